#pragma once

#include <QObject>
#include <QSet>
#include <QTimer>

namespace tract {

class TractClient;
struct TractFailure;
namespace store {
class Store;
struct OutboxItem;
} // namespace store

// Sends what the outbox holds, oldest first and one at a time per end user, so
// replies arrive in the order the agent wrote them. A permanent refusal (a 4xx,
// success:false) marks the item failed with TRACT's reason, which blocks that
// user's later items until the agent retries or cancels it; anything transient
// is retried until it goes through, with a growing pause. Each request carries
// the item's idempotency key in metadata so TRACT can drop a resend.
class OutboxSender : public QObject {
    Q_OBJECT
public:
    OutboxSender(store::Store *store, TractClient *client, QObject *parent = nullptr);

    // Looks for work now (after an enqueue, a retry, a reconnect).
    void kick();
    int inFlight() const { return int(m_inFlight.size()); }

signals:
    void delivered(qint64 outboxId);
    void failed(qint64 outboxId, const QString &reason);
    // TRACT could not be reached; the sender tries again in `delayMs`.
    void unreachable(const QString &reason, int delayMs);
    void reachable();

private:
    void send(const store::OutboxItem &item);
    void finished(qint64 id, const QString &userId, const TractFailure *failure);
    void onTransientFailure(const QString &reason);

    store::Store *m_store;
    TractClient *m_client;
    QSet<QString> m_inFlight; // user ids with an item on the wire
    QTimer m_retryTimer;
    int m_backoffMs = 0;
    bool m_wasUnreachable = false;
};

} // namespace tract
