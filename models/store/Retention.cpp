#include "models/store/Retention.h"

#include "models/common/Logging.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace tract::store::Retention {

namespace {

// BEGIN IMMEDIATE and COMMIT on the maintenance connection; rolled back
// unless committed.
class Transaction {
public:
    explicit Transaction(QSqlDatabase &db)
        : m_db(db) {}
    ~Transaction() {
        if (m_open) {
            QSqlQuery q(m_db);
            q.exec(QStringLiteral("ROLLBACK"));
        }
    }
    bool begin() {
        QSqlQuery q(m_db);
        m_open = q.exec(QStringLiteral("BEGIN IMMEDIATE"));
        if (!m_open)
            m_error = q.lastError().text();
        return m_open;
    }
    bool commit() {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("COMMIT"))) {
            m_error = q.lastError().text();
            return false;
        }
        m_open = false;
        return true;
    }
    QString error() const { return m_error; }

private:
    QSqlDatabase &m_db;
    bool m_open = false;
    QString m_error;
};

// Runs `sql` with `binds`; the number of rows it changed, or -1 with `error`.
int run(QSqlDatabase &db, const QString &sql, const QVariantList &binds, QString *error) {
    QSqlQuery q(db);
    q.prepare(sql);
    for (const QVariant &v : binds)
        q.addBindValue(v);
    if (!q.exec()) {
        *error = sql.left(60) + QStringLiteral("…: ") + q.lastError().text();
        return -1;
    }
    return q.numRowsAffected();
}

} // namespace

qint64 cutoffFor(int days, qint64 nowMs) {
    return nowMs - qint64(days) * 24 * 3600 * 1000;
}

StepResult step(QSqlDatabase &db, qint64 cutoffMs, bool searchIndex, int maxRows) {
    StepResult result;
    Transaction tx(db);
    if (!tx.begin()) {
        result.error = tx.error();
        return result;
    }
    QString error;
    qint64 threadId = 0;
    QString userId;
    QString conversation;
    {
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "SELECT t.id, t.user_id, t.conversation_number FROM main.threads t "
            "WHERE t.state = 'complete' AND t.last_activity_ms < ? AND NOT EXISTS ("
            "SELECT 1 FROM main.outbox o WHERE o.user_id = t.user_id "
            "AND o.conversation_number = t.conversation_number AND o.state IN (0, 2)) "
            "ORDER BY t.last_activity_ms, t.id LIMIT 1"));
        q.addBindValue(cutoffMs);
        if (!q.exec()) {
            result.error = q.lastError().text();
            return result;
        }
        if (!q.next()) {
            result.ok = true; // nothing eligible
            return result;
        }
        threadId = q.value(0).toLongLong();
        userId = q.value(1).toString();
        conversation = q.value(2).toString();
    }
    const QVariantList thread{threadId};
    const QVariantList limited{threadId, maxRows};
    // A contentless FTS5 index forgets a row only when told its text again.
    if (searchIndex &&
        run(db,
            QStringLiteral("INSERT INTO search.messages_fts (messages_fts, rowid, body_text) "
                           "SELECT 'delete', seq, body_text FROM main.messages "
                           "WHERE seq IN (SELECT seq FROM main.messages WHERE thread_id = ? "
                           "ORDER BY seq LIMIT ?) "
                           "AND seq <= (SELECT indexed_seq FROM search.index_state)"),
            limited, &error) < 0) {
        result.error = error;
        return result;
    }
    const int messages = run(db,
                             QStringLiteral("DELETE FROM main.messages WHERE seq IN (SELECT seq "
                                            "FROM main.messages WHERE thread_id = ? "
                                            "ORDER BY seq LIMIT ?)"),
                             limited, &error);
    const int events =
        messages < 0 ? -1
                     : run(db,
                           QStringLiteral("DELETE FROM main.events WHERE seq IN (SELECT seq FROM "
                                          "main.events WHERE thread_id = ? ORDER BY seq LIMIT ?)"),
                           {threadId, maxRows - messages}, &error);
    if (events < 0) {
        result.error = error;
        return result;
    }
    result.deletedRows = messages + events;
    result.didWork = true;
    result.changes.threads.insert(threadId);
    result.changes.users.insert(userId);
    if (result.deletedRows < maxRows) {
        // Everything of the thread's that had rows is gone: the thread goes too.
        const QVariantList key{userId, conversation};
        const bool ok =
            run(db,
                QStringLiteral("DELETE FROM main.outbox WHERE user_id = ? AND "
                               "conversation_number = ? AND id NOT IN (SELECT outbox_id FROM "
                               "main.messages WHERE outbox_id IS NOT NULL UNION SELECT outbox_id "
                               "FROM main.events WHERE outbox_id IS NOT NULL)"),
                key, &error) >= 0 &&
            run(db,
                QStringLiteral("DELETE FROM main.ownership_snapshots WHERE user_id = ? AND "
                               "conversation_number = ?"),
                key, &error) >= 0 &&
            run(db, QStringLiteral("DELETE FROM main.threads WHERE id = ?"), thread, &error) >= 0 &&
            run(db, QStringLiteral("UPDATE main.store_generation SET pruned = pruned + 1"), {},
                &error) >= 0;
        if (!ok) {
            result.error = error;
            return result;
        }
        result.changes.removedThreads.insert(threadId);
        result.changes.threadList = true;
        // The user's own rows (feed events without a thread, ownership
        // snapshots without a conversation) go with its last thread, if they are
        // as old; the user row once nothing refers to it.
        const QVariantList oldUser{userId, cutoffMs, userId};
        const QString noThreadLeft =
            QStringLiteral(" AND NOT EXISTS (SELECT 1 FROM main.threads WHERE user_id = ?)");
        const bool userOk =
            run(db,
                QStringLiteral("DELETE FROM main.events WHERE user_id = ? AND thread_id IS NULL "
                               "AND received_at_ms < ? AND outbox_id IS NULL") +
                    noThreadLeft,
                oldUser, &error) >= 0 &&
            run(db,
                QStringLiteral("DELETE FROM main.ownership_snapshots WHERE user_id = ? AND "
                               "taken_at_ms < ?") +
                    noThreadLeft,
                oldUser, &error) >= 0 &&
            run(db,
                QStringLiteral("DELETE FROM main.users WHERE user_id = ? AND updated_at_ms < ?") +
                    noThreadLeft +
                    QStringLiteral(" AND NOT EXISTS (SELECT 1 FROM main.events WHERE user_id = ?) "
                                   "AND NOT EXISTS (SELECT 1 FROM main.outbox WHERE user_id = ?)"),
                {userId, cutoffMs, userId, userId, userId}, &error) >= 0;
        if (!userOk) {
            result.error = error;
            return result;
        }
    } else {
        // Keep the thread's counters true for what is left.
        if (run(db,
                QStringLiteral("UPDATE main.threads SET message_count = (SELECT count(*) FROM "
                               "main.messages WHERE thread_id = ?) WHERE id = ?"),
                {threadId, threadId}, &error) < 0) {
            result.error = error;
            return result;
        }
    }
    if (!tx.commit()) {
        result.error = tx.error();
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace tract::store::Retention
