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
        qCDebug(lcStore) << "full-text index off or SQLite without FTS5; search uses LIKE";
        return false;
    }
    const bool haveTable =
        objectExists(db, QStringLiteral("table"), QStringLiteral("messages_fts"));
    bool haveTriggers = true;
    for (const QString &t : kTriggerNames)
        haveTriggers = haveTriggers && objectExists(db, QStringLiteral("trigger"), t);
    if (haveTable && haveTriggers)
        return true;

    // Missing or out of sync (a library without FTS5 dropped the triggers):
    // (re)create and rebuild from messages in one transaction.
    if (!db.begin())
        return false;
    const QStringList statements = {
        QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(body_text, "
                       "content='messages', content_rowid='seq', "
                       "tokenize='unicode61 remove_diacritics 2')"),
        QStringLiteral(
            "CREATE TRIGGER IF NOT EXISTS messages_fts_ai AFTER INSERT ON messages BEGIN "
            "INSERT INTO messages_fts (rowid, body_text) VALUES (new.seq, new.body_text); "
            "END"),
        QStringLiteral(
            "CREATE TRIGGER IF NOT EXISTS messages_fts_ad AFTER DELETE ON messages BEGIN "
            "INSERT INTO messages_fts (messages_fts, rowid, body_text) "
            "VALUES ('delete', old.seq, old.body_text); END"),
        QStringLiteral(
            "CREATE TRIGGER IF NOT EXISTS messages_fts_au AFTER UPDATE OF body_text ON "
            "messages BEGIN "
            "INSERT INTO messages_fts (messages_fts, rowid, body_text) "
            "VALUES ('delete', old.seq, old.body_text); "
            "INSERT INTO messages_fts (rowid, body_text) VALUES (new.seq, new.body_text); "
            "END"),
        QStringLiteral("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')"),
    };
    for (const QString &sql : statements) {
        if (!db.exec(sql)) {
            db.rollback();
            return false;
        }
    }
    if (!db.commit())
        return false;
    qCDebug(lcStore) << "built the FTS5 message index";
    return true;
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
