#include "network/outbox/OutboxSender.h"

#include "models/common/Logging.h"
#include "models/store/Store.h"
#include "network/client/TractClient.h"

namespace tract {

namespace {
constexpr int kFirstBackoffMs = 1000;
constexpr int kMaxBackoffMs = 30'000;
} // namespace

OutboxSender::OutboxSender(store::Store *store, TractClient *client, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_client(client) {
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &OutboxSender::kick);
}

void OutboxSender::kick() {
    if (m_retryTimer.isActive())
        return; // backing off; the timer kicks
    for (const store::OutboxItem &item : m_store->outboxReady()) {
        if (!m_inFlight.contains(item.thread.userId))
            send(item);
    }
}

void OutboxSender::send(const store::OutboxItem &item) {
    m_inFlight.insert(item.thread.userId);
    const qint64 id = item.id;
    const QString userId = item.thread.userId;
    const auto onAck = [this, id, userId](const TractResult<Ack> &r) {
        finished(id, userId, r ? nullptr : &r.failure());
    };

    // Payloads are written by this console, so one that does not parse is a bug
    // of an older version: fail the item visibly rather than send garbage.
    const auto unreadable = [&](const Error &e) {
        TractFailure f;
        f.kind = TractFailure::Kind::BadResponse;
        f.message = tr("stored request is unreadable: %1").arg(e.toString());
        finished(id, userId, &f);
    };
    switch (item.kind) {
    case store::OutboxKind::Message:
        if (auto request = SendMessageRequest::fromJson(item.payload))
            m_client->sendMessage(request.value())->onResult(this, onAck);
        else
            unreadable(request.error());
        break;
    case store::OutboxKind::Event:
        if (auto request = SendEventRequest::fromJson(item.payload))
            m_client->sendEvent(request.value())->onResult(this, onAck);
        else
            unreadable(request.error());
        break;
    case store::OutboxKind::ThreadControl:
        if (auto request = ThreadControlRequest::fromJson(item.payload)) {
            m_client->threadControl(request.value())
                ->onResult(this, [this, id, userId](const TractResult<ThreadControlResponse> &r) {
                    finished(id, userId, r ? nullptr : &r.failure());
                });
        } else {
            unreadable(request.error());
        }
        break;
    }
}

void OutboxSender::finished(qint64 id, const QString &userId, const TractFailure *failure) {
    m_inFlight.remove(userId);
    if (!failure) {
        m_backoffMs = 0;
        if (m_wasUnreachable) {
            m_wasUnreachable = false;
            emit reachable();
        }
        m_store->markOutboxSent(id);
        emit delivered(id);
        kick();
        return;
    }
    if (failure->retryable) {
        onTransientFailure(failure->message);
        return;
    }
    m_store->markOutboxFailed(id, failure->message);
    qCInfo(lcOutbox).noquote() << "outbox item" << id << "refused:" << failure->message;
    emit failed(id, failure->message);
    kick();
}

void OutboxSender::onTransientFailure(const QString &reason) {
    m_backoffMs = m_backoffMs == 0 ? kFirstBackoffMs : std::min(m_backoffMs * 2, kMaxBackoffMs);
    m_wasUnreachable = true;
    qCInfo(lcOutbox).noquote() << "TRACT unreachable:" << reason << "- retrying in" << m_backoffMs
                               << "ms";
    emit unreachable(reason, m_backoffMs);
    m_retryTimer.start(m_backoffMs);
}

} // namespace tract
