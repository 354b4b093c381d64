#include "models/store/SearchIndex.h"

#include "models/common/Logging.h"
#include "models/store/Database.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace tract::store::SearchIndex {

namespace {

bool fts5Available(Database &db) {
    QSqlQuery q(db.connection());
    if (!q.exec(QStringLiteral("CREATE VIRTUAL TABLE temp.tract_fts5_probe USING fts5(x)")))
        return false;
    q.exec(QStringLiteral("DROP TABLE temp.tract_fts5_probe"));
    return true;
}

bool objectExists(Database &db, const QString &type, const QString &name) {
    QSqlQuery q(db.connection());
    q.prepare(QStringLiteral("SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?"));
    q.addBindValue(type);
    q.addBindValue(name);
    return q.exec() && q.next();
}

// messages_fts_ai is the per-row insert trigger of schema versions before 3;
// it is only ever dropped now.
const QString kTriggerNames[] = {QStringLiteral("messages_fts_ai"),
                                 QStringLiteral("messages_fts_ad"),
                                 QStringLiteral("messages_fts_au")};

void collectText(const QJsonValue &v, QStringList &out, bool wanted) {
    if (v.isString()) {
        if (wanted && !v.toString().isEmpty())
            out.append(v.toString());
    } else if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            collectText(item, out, wanted);
    } else if (v.isObject()) {
        static const QStringList keys = {
            QStringLiteral("text"),        QStringLiteral("title"),
            QStringLiteral("sub_title"),   QStringLiteral("subtitle"),
            QStringLiteral("description"), QStringLiteral("actionable_text")};
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            collectText(it.value(), out, keys.contains(it.key()));
    }
}

} // namespace

bool setUp(Database &db, bool allowed) {
    if (!allowed || !fts5Available(db)) {
        for (const QString &t : kTriggerNames) {
            QSqlQuery q(db.connection());
            // Trigger names are constants, not values; DROP TRIGGER takes no parameters.
            q.exec(QStringLiteral("DROP TRIGGER IF EXISTS ") + t);
        }
        // Nothing keeps the index in sync from now on: rebuild it when it is back.
        db.exec(QStringLiteral("DELETE FROM search_index_state"));
        qCDebug(lcStore) << "full-text index off or SQLite without FTS5; search uses LIKE";
        return false;
    }
    // Deletes and body updates of rows the index already holds must reach it
    // (FTS5 external content needs the old text to remove a row); rows past the
    // watermark are not in the index yet, and the indexer reads their current text.
    const QStringList triggers = {
        QStringLiteral("DROP TRIGGER IF EXISTS messages_fts_ai"),
        QStringLiteral("CREATE TRIGGER IF NOT EXISTS messages_fts_ad AFTER DELETE ON messages "
                       "WHEN old.seq <= (SELECT indexed_seq FROM search_index_state) BEGIN "
                       "INSERT INTO messages_fts (messages_fts, rowid, body_text) "
                       "VALUES ('delete', old.seq, old.body_text); END"),
        QStringLiteral(
            "CREATE TRIGGER IF NOT EXISTS messages_fts_au AFTER UPDATE OF body_text ON "
            "messages WHEN old.seq <= (SELECT indexed_seq FROM search_index_state) "
            "BEGIN "
            "INSERT INTO messages_fts (messages_fts, rowid, body_text) "
            "VALUES ('delete', old.seq, old.body_text); "
            "INSERT INTO messages_fts (rowid, body_text) VALUES (new.seq, new.body_text); "
            "END"),
    };
    const bool haveTable =
        objectExists(db, QStringLiteral("table"), QStringLiteral("messages_fts"));
    bool haveWatermark = false;
    {
        QSqlQuery q(db.connection());
        haveWatermark = q.exec(QStringLiteral("SELECT 1 FROM search_index_state")) && q.next();
    }
    bool haveTriggers = !objectExists(db, QStringLiteral("trigger"), kTriggerNames[0]);
    for (const QString &t : {kTriggerNames[1], kTriggerNames[2]})
        haveTriggers = haveTriggers && objectExists(db, QStringLiteral("trigger"), t);
    if (haveTable && haveWatermark && haveTriggers)
        return true;

    QStringList statements;
    if (haveTable && haveWatermark) {
        // Index up to the watermark is valid (e.g. just migrated): only the
        // triggers are missing; indexPending backfills the rest.
        statements = triggers;
    } else {
        // Missing or out of sync (search was off meanwhile): (re)create and
        // rebuild from messages, watermark at the newest message.
        statements.append(
            QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(body_text, "
                           "content='messages', content_rowid='seq', "
                           "tokenize='unicode61 remove_diacritics 2')"));
        statements.append(triggers);
        statements.append(
            QStringLiteral("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')"));
        statements.append(
            QStringLiteral("INSERT OR REPLACE INTO search_index_state (id, indexed_seq) "
                           "VALUES (1, (SELECT coalesce(max(seq), 0) FROM messages))"));
    }
    if (!db.begin())
        return false;
    for (const QString &sql : statements) {
        if (!db.exec(sql)) {
            db.rollback();
            return false;
        }
    }
    if (!db.commit())
        return false;
    qCDebug(lcStore) << (haveTable && haveWatermark ? "set up the FTS5 index triggers"
                                                    : "built the FTS5 message index");
    return true;
}

int indexPending(QSqlDatabase &db, QString *error) {
    QSqlQuery q(db);
    auto fail = [&](bool inTransaction) {
        if (error)
            *error = q.lastError().text();
        q.finish();
        if (inTransaction)
            q.exec(QStringLiteral("ROLLBACK"));
        return -1;
    };
    // Without the write lock first: most calls find nothing to do.
    if (!q.exec(QStringLiteral("SELECT (SELECT indexed_seq FROM search_index_state) < "
                               "(SELECT max(seq) FROM messages)")) ||
        !q.next())
        return fail(false);
    const bool behind = q.value(0).toBool(); // NULL (no watermark, no messages): false
    q.finish();
    if (!behind)
        return 0;
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return fail(false);
    // Under the write lock every message up to max(seq) is committed, and later
    // ones get a larger seq (AUTOINCREMENT), so the range below is complete.
    if (!q.exec(QStringLiteral("SELECT indexed_seq, (SELECT coalesce(max(seq), 0) FROM messages) "
                               "FROM search_index_state")) ||
        !q.next())
        return fail(true);
    const qint64 from = q.value(0).toLongLong();
    const qint64 to = q.value(1).toLongLong();
    q.finish();
    int indexed = 0;
    if (to > from) {
        q.prepare(QStringLiteral("INSERT INTO messages_fts (rowid, body_text) "
                                 "SELECT seq, body_text FROM messages WHERE seq > ? AND seq <= ?"));
        q.addBindValue(from);
        q.addBindValue(to);
        if (!q.exec())
            return fail(true);
        indexed = q.numRowsAffected();
        q.prepare(QStringLiteral("UPDATE search_index_state SET indexed_seq = ?"));
        q.addBindValue(to);
        if (!q.exec())
            return fail(true);
    }
    if (!q.exec(QStringLiteral("COMMIT")))
        return fail(true);
    return indexed;
}

QString matchExpression(const QString &text) {
    static const QRegularExpression separators(QStringLiteral("[^\\w]+"),
                                               QRegularExpression::UseUnicodePropertiesOption);
    const QStringList words = text.split(separators, Qt::SkipEmptyParts);
    QStringList terms;
    for (const QString &w : words) {
        QString quoted = w;
        quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        terms.append(QLatin1Char('"') + quoted + QLatin1Char('"'));
    }
    if (!terms.isEmpty())
        terms.last().append(QLatin1Char('*'));
    return terms.join(QLatin1Char(' '));
}

QString likePattern(const QString &text) {
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

QString bodyText(const QJsonObject &hsl) {
    QStringList parts;
    collectText(hsl, parts, false);
    return parts.join(QLatin1Char('\n'));
}

} // namespace tract::store::SearchIndex
