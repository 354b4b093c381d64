#include "models/store/SearchIndex.h"

#include "models/common/Logging.h"
#include "models/store/Database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

namespace tract::store::SearchIndex {

namespace {

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

// A transaction that writes only the index file: a deferred BEGIN, and the
// caller's first statement writes "search", so the store file is never locked
// for writing (BEGIN IMMEDIATE would lock every attached file). Rolled back
// unless committed.
class IndexTransaction {
public:
    explicit IndexTransaction(QSqlDatabase &db)
        : m_q(db) {}
    ~IndexTransaction() {
        if (m_open) {
            m_q.finish();
            m_q.exec(QStringLiteral("ROLLBACK"));
        }
    }
    bool begin() {
        m_open = m_q.exec(QStringLiteral("BEGIN"));
        return m_open;
    }
    bool commit() {
        m_q.finish();
        if (!m_q.exec(QStringLiteral("COMMIT")))
            return false;
        m_open = false;
        return true;
    }
    QSqlQuery &query() { return m_q; }
    QString error() const { return m_q.lastError().text(); }

private:
    QSqlQuery m_q;
    bool m_open = false;
};

bool exec(QSqlQuery &q, const QString &sql) {
    q.finish();
    return q.exec(sql);
}

// Creates the index tables if needed and checks that the index belongs to this
// store file and is not ahead of it; otherwise empties it (watermark 0).
bool prepareIndex(QSqlDatabase &db, QString *error) {
    IndexTransaction tx(db);
    QSqlQuery &q = tx.query();
    const auto fail = [&] {
        if (error)
            *error = tx.error();
        return false;
    };
    // Setting user_version (the index layout) writes, so the lock is taken
    // before anything is read: a deferred transaction that read first could
    // not upgrade once another connection had written (SQLITE_BUSY_SNAPSHOT).
    if (!tx.begin() || !exec(q, QStringLiteral("PRAGMA search.user_version = 1")) ||
        !exec(q, QStringLiteral("CREATE TABLE IF NOT EXISTS search.index_state ("
                                "id INTEGER PRIMARY KEY CHECK (id = 1), "
                                "store_token TEXT NOT NULL, indexed_seq INTEGER NOT NULL)")) ||
        !exec(q, QStringLiteral("CREATE VIRTUAL TABLE IF NOT EXISTS search.messages_fts USING "
                                "fts5(body_text, content='', "
                                "tokenize='unicode61 remove_diacritics 2')")) ||
        !exec(q, QStringLiteral("INSERT OR IGNORE INTO search.index_state "
                                "(id, store_token, indexed_seq) "
                                "SELECT 1, token, 0 FROM main.store_identity")))
        return fail();
    // sqlite_sequence holds the highest seq ever given out: an index past it
    // was built from a later copy of this file than the one now here.
    if (!exec(q, QStringLiteral("SELECT s.store_token = i.token AND s.indexed_seq <= "
                                "coalesce((SELECT seq FROM main.sqlite_sequence "
                                "WHERE name = 'messages'), 0) "
                                "FROM search.index_state s, main.store_identity i")))
        return fail();
    if (!q.next()) {
        if (error)
            *error = QStringLiteral("the store has no identity row");
        return false;
    }
    const bool valid = q.value(0).toBool();
    if (!valid) {
        qCInfo(lcStore) << "the search index belongs to another copy of the store; rebuilding it";
        if (!exec(q, QStringLiteral(
                         "INSERT INTO search.messages_fts (messages_fts) VALUES ('delete-all')")) ||
            !exec(q, QStringLiteral("UPDATE search.index_state SET indexed_seq = 0, "
                                    "store_token = (SELECT token FROM main.store_identity)")))
            return fail();
    }
    return tx.commit() || fail();
}

bool attachFile(QSqlDatabase &db, const QString &file, QString *error) {
    QSqlQuery q(db);
    q.prepare(QStringLiteral("ATTACH DATABASE ? AS search"));
    q.addBindValue(file);
    if (!q.exec()) {
        if (error)
            *error = q.lastError().text();
        return false;
    }
    // Derived data, but a torn index would need a rebuild: same WAL
    // durability as the store (no fsync per commit).
    if (!exec(q, QStringLiteral("PRAGMA search.journal_mode=WAL")) || !q.next() ||
        q.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0 ||
        !exec(q, QStringLiteral("PRAGMA search.synchronous=NORMAL"))) {
        if (error)
            *error = q.lastError().isValid() ? q.lastError().text()
                                             : QStringLiteral("cannot switch the index to WAL");
        return false;
    }
    q.finish();
    return true;
}

void detach(QSqlDatabase &db) {
    QSqlQuery q(db);
    q.exec(QStringLiteral("DETACH DATABASE search"));
}

} // namespace

QString indexPath(const QString &storePath) {
    const QFileInfo info(storePath);
    const QString suffix = info.suffix();
    const QString base = suffix.isEmpty() ? info.fileName() : info.completeBaseName();
    return info.dir().filePath(base + QStringLiteral(".search") +
                               (suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix));
}

bool fts5Available(QSqlDatabase &db) {
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("CREATE VIRTUAL TABLE temp.tract_fts5_probe USING fts5(x)")))
        return false;
    q.exec(QStringLiteral("DROP TABLE temp.tract_fts5_probe"));
    return true;
}

bool attach(QSqlDatabase &db, const QString &storePath, QString *error) {
    if (!fts5Available(db)) {
        if (error)
            *error = QStringLiteral("this SQLite library has no FTS5");
        return false;
    }
    const QString file = indexPath(storePath);
    if (attachFile(db, file, error) && prepareIndex(db, error))
        return true;
    // The index is derived data: one SQLite cannot use (damaged, not a
    // database, an unknown layout) is replaced by a new one.
    qCWarning(lcStore).noquote() << "replacing the search index" << file
                                 << "after:" << (error ? *error : QString());
    detach(db);
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(file + suffix);
    if (attachFile(db, file, error) && prepareIndex(db, error))
        return true;
    detach(db);
    return false;
}

int indexPending(QSqlDatabase &db, int maxRows, QString *error) {
    {
        // Without any lock first: most calls find nothing to do.
        QSqlQuery q(db);
        if (!q.exec(QStringLiteral("SELECT (SELECT indexed_seq FROM search.index_state) < "
                                   "(SELECT coalesce(max(seq), 0) FROM main.messages)")) ||
            !q.next()) {
            if (error)
                *error = q.lastError().text();
            return -1;
        }
        if (!q.value(0).toBool())
            return 0;
    }
    IndexTransaction tx(db);
    QSqlQuery &q = tx.query();
    const auto fail = [&] {
        if (error)
            *error = tx.error();
        return -1;
    };
    // The no-op UPDATE takes the index's write lock before the watermark is
    // read, so two indexers never index the same rows. Every seq up to the
    // snapshot's max(seq) is committed: seqs are handed out in commit order.
    if (!tx.begin() ||
        !exec(q, QStringLiteral("UPDATE search.index_state SET indexed_seq = indexed_seq")) ||
        !exec(q, QStringLiteral("SELECT indexed_seq FROM search.index_state")) || !q.next())
        return fail();
    const qint64 from = q.value(0).toLongLong();
    q.finish();
    q.prepare(QStringLiteral("SELECT count(*), max(seq) FROM (SELECT seq FROM main.messages "
                             "WHERE seq > ? ORDER BY seq LIMIT ?)"));
    q.addBindValue(from);
    q.addBindValue(qMax(1, maxRows));
    if (!q.exec() || !q.next())
        return fail();
    const int count = q.value(0).toInt();
    const qint64 to = q.value(1).toLongLong();
    q.finish();
    if (count > 0) {
        q.prepare(QStringLiteral("INSERT INTO search.messages_fts (rowid, body_text) "
                                 "SELECT seq, body_text FROM main.messages "
                                 "WHERE seq > ? AND seq <= ?"));
        q.addBindValue(from);
        q.addBindValue(to);
        if (!q.exec())
            return fail();
        q.prepare(QStringLiteral("UPDATE search.index_state SET indexed_seq = ?"));
        q.addBindValue(to);
        if (!q.exec())
            return fail();
    }
    if (!tx.commit())
        return fail();
    return count;
}

bool catchUp(QSqlDatabase &db, QString *error, const std::function<bool()> &stop) {
    // Rows per transaction: whoever waits for the index lock (a search, a
    // shutdown) waits for one batch at most.
    constexpr int kBatch = 1000;
    for (int n = kBatch; n == kBatch;) {
        if (stop && stop())
            return true;
        n = indexPending(db, kBatch, error);
        if (n < 0)
            return false;
    }
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
