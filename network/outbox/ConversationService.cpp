#include "network/outbox/ConversationService.h"

#include "models/store/Store.h"
#include "models/tract/WireTypes.h"
#include "network/outbox/OutboxSender.h"

#include <QJsonDocument>
#include <QUuid>

namespace tract {

namespace {

QString newIdempotencyKey() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Event metadata is a string, usually JSON text: the key joins it there. Text
// that is not a JSON object is the agent's own and is sent untouched.
std::optional<QString> withIdempotencyKey(const std::optional<QString> &metadata,
                                          const QString &key) {
    QJsonObject object;
    if (metadata && !metadata->isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(metadata->toUtf8());
        if (!doc.isObject())
            return metadata;
        object = doc.object();
    }
    object.insert(QStringLiteral("idempotency_key"), key);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

ConversationService::Queued queued(const store::WriteResult &r) {
    return {r.ok, r.rowId, r.error};
}

} // namespace

ConversationService::ConversationService(store::Store *store, OutboxSender *sender, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_sender(sender) {}

ConversationService::Queued ConversationService::sendMessage(const QString &userId,
                                                             const QString &conversationNumber,
                                                             const QJsonObject &hsl,
                                                             const QString &ectUserId,
                                                             const QString &idempotencyKey) {
    store::OutgoingItem item;
    item.idempotencyKey = idempotencyKey.isEmpty() ? newIdempotencyKey() : idempotencyKey;
    item.kind = store::OutboxKind::Message;
    item.thread = {userId, conversationNumber};
    item.body = hsl;
    item.sender = toString(Sender::Aeu);

    SendMessageRequest request;
    request.userId = userId;
    if (!ectUserId.isEmpty())
        request.ectUserId = ectUserId;
    request.messageBody = hsl;
    request.sender = Sender::Aeu;
    request.metadata = QJsonObject{{QStringLiteral("idempotency_key"), item.idempotencyKey}};
    item.payload = request.toJson();

    const Queued result = queued(m_store->enqueueOutgoing(item));
    if (result.ok)
        m_sender->kick();
    return result;
}

ConversationService::Queued ConversationService::sendEvent(const QString &userId,
                                                           const QString &conversationNumber,
                                                           const QString &category,
                                                           const QString &subcategory,
                                                           const std::optional<QString> &metadata,
                                                           const QString &idempotencyKey) {
    store::OutgoingItem item;
    item.idempotencyKey = idempotencyKey.isEmpty() ? newIdempotencyKey() : idempotencyKey;
    item.kind = store::OutboxKind::Event;
    item.thread = {userId, conversationNumber};
    item.category = category;
    item.subcategory = subcategory;
    item.metadata = metadata;

    SendEventRequest request;
    request.userId = userId;
    request.type = category;
    request.subtype = subcategory;
    request.metadata = withIdempotencyKey(metadata, item.idempotencyKey);
    item.payload = request.toJson();

    const Queued result = queued(m_store->enqueueOutgoing(item));
    if (result.ok)
        m_sender->kick();
    return result;
}

} // namespace tract
