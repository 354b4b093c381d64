#pragma once

#include "models/store/StoreTypes.h"

#include <QHash>

namespace tract::store {

class Database;

// Every statement that changes the database. Runs inside a transaction the
// caller owns (Store: one per group commit or per direct write) and records
// what changed in a ChangeSet. Keeps a cache of thread ids, which the caller
// must drop after any rollback (a rolled-back thread row would otherwise be
// referenced by the next insert).
class Writer {
public:
    explicit Writer(Database &db)
        : m_db(db) {}

    WriteResult apply(const WriteOp &op, ChangeSet &changes);

    WriteResult insertMessage(const IncomingMessage &m, ChangeSet &changes);
    WriteResult insertEvent(const IncomingEvent &e, ChangeSet &changes);
    WriteResult upsertUser(const User &u, ChangeSet &changes);
    WriteResult recordOwnership(const OwnershipSnapshot &s, ChangeSet &changes);
    WriteResult enqueueOutgoing(const OutgoingItem &o, ChangeSet &changes);

    // Moves an outbox item to `to` if it is currently in one of `from`; false
    // when it is not (unknown id, or already sent / cancelled).
    bool transitionOutbox(qint64 id, OutboxState to, std::initializer_list<OutboxState> from,
                          const QString &error, ChangeSet &changes);
    bool markRead(const ThreadKey &key, const std::optional<MessageCursor> &upTo,
                  ChangeSet &changes);
    bool saveHook(const HookRecord &hook, ChangeSet &changes);
    bool removeHook(const QString &category, const QString &subcategory, ChangeSet &changes);
    bool clearHooks(ChangeSet &changes);

    void forgetCachedIds() { m_threadIds.clear(); }
    // Call at the start of each write transaction: forgets the cached thread
    // ids if retention deleted threads since the last one (Retention).
    void startTransaction();
    std::optional<qint64> findThread(const ThreadKey &key);

private:
    struct MessageRow {
        qint64 threadId = 0;
        std::optional<qint64> messageId;
        QString sender;
        Direction direction = Direction::In;
        std::optional<qint64> timestampMs;
        qint64 receivedAtMs = 0;
        QJsonObject body;
        std::optional<QJsonObject> metadata;
        QByteArray dedupKey; // null: no dedup possible
        std::optional<qint64> outboxId;
    };
    WriteResult insertMessageRow(const MessageRow &row, ChangeSet &changes);

    std::optional<qint64> ensureThread(const ThreadKey &key, qint64 nowMs, ChangeSet &changes);
    bool ensureUser(const QString &userId, qint64 nowMs);
    // The named conversation's thread, or the user's most recently active one.
    std::optional<qint64> targetThread(const QString &userId, const QString &conversationNumber);
    bool setThreadOwner(qint64 threadId, const QString &owner, qint64 atMs);
    WriteResult sqlFailure() const;

    Database &m_db;
    QHash<ThreadKey, qint64> m_threadIds;
    qint64 m_pruneGeneration = -1;
};

} // namespace tract::store
