#include "network/hub/StoreTailer.h"

#include "models/store/Store.h"
#include "models/tract/WireTypes.h"
#include "network/hub/AssignmentBook.h"
#include "network/hub/HubDatabase.h"
#include "network/hub/HubEventLog.h"
#include "network/hub/HubProtocol.h"

namespace tract::hub {

namespace {
const QString kMessageMark = QStringLiteral("store_message_seq");
const QString kEventMark = QStringLiteral("store_event_seq");
} // namespace

StoreTailer::StoreTailer(store::Store *store, QString receiverId)
    : m_store(store)
    , m_receiverId(std::move(receiverId)) {}

std::optional<std::pair<QString, QString>>
StoreTailer::commandOfKey(qint64 outboxId, const team::TeamState &team) const {
    const auto item = m_store->outboxItem(outboxId);
    const QString prefix = QStringLiteral("hub:");
    if (!item || !item->idempotencyKey.startsWith(prefix))
        return std::nullopt;
    // "hub:AGENT:ID" (HubCommands); names may hold ':', so the longest agent
    // name that fits wins.
    const QString rest = item->idempotencyKey.mid(prefix.size());
    QString agent;
    for (auto it = team.agents.cbegin(); it != team.agents.cend(); ++it)
        if (rest.startsWith(it.key() + QLatin1Char(':')) && it.key().size() > agent.size())
            agent = it.key();
    if (agent.isEmpty())
        return std::nullopt;
    return std::make_pair(agent, rest.mid(agent.size() + 1));
}

int StoreTailer::tail(EventBatch &batch, AssignmentBook &book, int limit) {
    HubDatabase &db = batch.db();
    const qint64 messageMark = db.mark(kMessageMark);
    const qint64 eventMark = db.mark(kEventMark);
    QList<store::Message> messages = m_store->messagesAfter(messageMark, limit);
    QList<store::Event> events = m_store->eventsAfter(eventMark, limit);
    // Messages and events are numbered apart; they are merged by arrival. A
    // full page may have more behind it, so nothing later than its last row
    // is taken from the other kind this round.
    QDateTime cutoff;
    if (messages.size() == limit)
        cutoff = messages.last().receivedAt;
    if (events.size() == limit && (!cutoff.isValid() || events.last().receivedAt < cutoff))
        cutoff = events.last().receivedAt;

    qint64 lastMessage = messageMark, lastEvent = eventMark;
    int turned = 0;
    auto mi = messages.cbegin();
    auto ei = events.cbegin();
    while (mi != messages.cend() || ei != events.cend()) {
        const bool takeMessage =
            ei == events.cend() || (mi != messages.cend() && mi->receivedAt <= ei->receivedAt);
        const QDateTime at = takeMessage ? mi->receivedAt : ei->receivedAt;
        if (cutoff.isValid() && at > cutoff)
            break;
        ++turned;
        if (takeMessage) {
            const store::Message &m = *mi++;
            QJsonObject message = protocol::messageJson(m);
            if (m.outboxId) {
                if (const auto command = db.commandForOutbox(*m.outboxId)) {
                    message.insert(QStringLiteral("command_id"), command->id);
                    message.insert(QStringLiteral("agent"), command->agent);
                } else if (const auto made = commandOfKey(*m.outboxId, book.team())) {
                    // The reply is committed before its command's answer is:
                    // its outbox key names both.
                    message.insert(QStringLiteral("command_id"), made->second);
                    message.insert(QStringLiteral("agent"), made->first);
                }
            }
            batch.add(QStringLiteral("message"),
                      {{QStringLiteral("user_id"), m.thread.userId},
                       {QStringLiteral("conversation_no"), m.thread.conversationNumber},
                       {QStringLiteral("message"), message}});
            lastMessage = m.seq;
            continue;
        }
        const store::Event &e = *ei++;
        lastEvent = e.seq;
        QJsonObject fields{{QStringLiteral("user_id"), e.thread.userId},
                           {QStringLiteral("conversation_no"), e.thread.conversationNumber},
                           {QStringLiteral("event"), protocol::eventJson(e)}};
        if (e.category == QLatin1String("user_events") &&
            e.subcategory == QLatin1String("create_user")) {
            store::User user = m_store->user(e.thread.userId).value_or(store::User());
            user.userId = e.thread.userId;
            fields.insert(QStringLiteral("user"), protocol::userJson(user));
            batch.add(QStringLiteral("user"), fields);
        } else if (e.category == QLatin1String("conversation_state")) {
            fields.insert(QStringLiteral("state"), e.subcategory);
            batch.add(e.category, fields);
            if (e.subcategory == QLatin1String("incomplete"))
                book.handoff(batch, e.thread.userId, e.thread.conversationNumber,
                             e.timestamp.value_or(e.receivedAt));
            else if (e.subcategory == QLatin1String("complete") ||
                     e.subcategory == QLatin1String("bot"))
                book.close(batch, e.thread.userId, QStringLiteral("hub"));
        } else if (e.category == QLatin1String("thread_control")) {
            const auto change = OwnershipChange::fromMetadata(e.metadata.value_or(QString()));
            fields.insert(QStringLiteral("action"), e.subcategory);
            if (change) {
                fields.insert(QStringLiteral("from"), change->from);
                fields.insert(QStringLiteral("to"), change->to);
                fields.insert(QStringLiteral("requester"), change->requester);
            }
            batch.add(e.category, fields);
            if (change && change->to == m_receiverId)
                book.handoff(batch, e.thread.userId, e.thread.conversationNumber,
                             e.timestamp.value_or(e.receivedAt));
            else if (change && !change->to.isEmpty())
                book.close(batch, e.thread.userId, QStringLiteral("hub"));
        } else {
            batch.add(e.category, fields);
        }
    }
    if (lastMessage != messageMark)
        batch.require(db.setMark(kMessageMark, lastMessage));
    if (lastEvent != eventMark)
        batch.require(db.setMark(kEventMark, lastEvent));
    return turned;
}

} // namespace tract::hub
