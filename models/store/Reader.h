#pragma once

#include "models/store/StoreTypes.h"

#include <QJsonObject>
#include <functional>

namespace tract::store {

class Database;

// Every query. Pages are bounded (limits are clamped) and walk indexes from a
// cursor, so the cost of a page does not grow with the thread.
class Reader {
public:
    explicit Reader(Database &db)
        : m_db(db) {}

    std::optional<User> user(const QString &userId);
    QList<User> users();

    std::optional<Thread> thread(const ThreadKey &key);
    std::optional<Thread> thread(qint64 id);
    QList<Thread> threads(const ThreadQuery &query);
    int totalUnread();

    MessagePage messages(const MessageQuery &query);
    std::optional<Message> message(qint64 seq);
    QList<Message> messagesAfter(qint64 seq, int limit);
    QList<Event> eventsAfter(qint64 seq, int limit);
    QList<Message> search(const SearchQuery &query);

    QList<Event> events(const EventQuery &query);

    std::optional<OwnershipSnapshot> latestOwnership(const QString &userId);

    std::optional<OutboxItem> outboxItem(qint64 id);
    QList<OutboxItem> outboxItems(const OutboxQuery &query);
    QList<OutboxItem> outboxReady(int limit);

    QList<HookRecord> hooks();

    bool exportRecords(const std::optional<QString> &userId,
                       const std::function<bool(const QJsonObject &)> &sink);

private:
    std::optional<qint64> threadId(const ThreadKey &key);
    bool existsBeyond(qint64 threadId, const MessageCursor &c, bool newer);

    Database &m_db;
};

} // namespace tract::store
