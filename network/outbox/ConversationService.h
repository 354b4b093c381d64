#pragma once

#include <QJsonObject>
#include <QObject>
#include <optional>

namespace tract {

class OutboxSender;
namespace store {
class Store;
}

// What agents do to a conversation that must reach TRACT: replies and events.
// Each is committed to the outbox as pending before anything is sent (so a
// crash or an outage loses nothing), with an idempotency key in metadata.
class ConversationService : public QObject {
    Q_OBJECT
public:
    ConversationService(store::Store *store, OutboxSender *sender, QObject *parent = nullptr);

    struct Queued {
        bool ok = false;
        qint64 outboxId = 0;
        QString error;
    };
    // `hsl` goes out as the serialized message_body; sender is "aeu".
    // `idempotencyKey` empty: a new random one. A caller that may ask twice for
    // the same thing (a hub command sent again) passes its own, and the second
    // ask returns the first item.
    Queued sendMessage(const QString &userId, const QString &conversationNumber,
                       const QJsonObject &hsl, const QString &ectUserId = {},
                       const QString &idempotencyKey = {});
    Queued sendEvent(const QString &userId, const QString &conversationNumber,
                     const QString &category, const QString &subcategory,
                     const std::optional<QString> &metadata = {},
                     const QString &idempotencyKey = {});

private:
    store::Store *m_store;
    OutboxSender *m_sender;
};

} // namespace tract
