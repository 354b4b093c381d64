#include "app/LocalBackend.h"

#include "app/ConsoleCore.h"
#include "app/ListenerThread.h"
#include "models/store/Store.h"
#include "network/client/TractClient.h"
#include "network/client/TractReachability.h"
#include "network/outbox/ConversationService.h"
#include "network/outbox/OutboxSender.h"
#include "network/registration/HookRegistrar.h"

namespace console {

LocalBackend::LocalBackend(ConsoleCore *core, QObject *parent)
    : ConsoleBackend(parent)
    , m_core(core) {
    connect(core->listener(), &ListenerThread::storeChanged, this, &ConsoleBackend::storeChanged);
    connect(core->store(), &tract::store::Store::committed, this, &ConsoleBackend::storeChanged);
    connect(core->listener(), &ListenerThread::hookStored, this, &ConsoleBackend::hookStored);
    connect(core->listener(), &ListenerThread::hookRefused, this,
            [this](int status, const QString &reason) {
                emit note(QString(), QStringLiteral("listener"),
                          tr("A hook was refused with %1: %2").arg(status).arg(reason));
            });

    connect(core->registrar(), &tract::HookRegistrar::statusChanged, this,
            [this](const tract::HookRegistrar::Status &status) {
                reportHookStatus();
                if (status.state == tract::HookRegistrar::State::Failed)
                    emit note(
                        QString(), QStringLiteral("registration"),
                        tr("Hook %1/%2 not registered: %3")
                            .arg(status.hook.category, status.hook.subcategory, status.reason));
            });
    connect(core->registrar(), &tract::HookRegistrar::roundFinished, this,
            &LocalBackend::reportHookStatus);

    m_reachability = new tract::TractReachability(core->client(), this);
    connect(m_reachability, &tract::TractReachability::stateChanged, this,
            &LocalBackend::reportReachability);
    m_reachability->setInterval(15'000);
    m_reachability->check();
    connect(core->outbox(), &tract::OutboxSender::unreachable, this,
            [this](const QString &, int delayMs) {
                emit linkChanged(
                    false, tr("TRACT unreachable, retrying in %1 s").arg((delayMs + 999) / 1000));
            });
    connect(core->outbox(), &tract::OutboxSender::reachable, m_reachability,
            &tract::TractReachability::check);
}

tract::store::Store *LocalBackend::store() const {
    return m_core->store();
}

QString LocalBackend::receiverId() const {
    return m_core->settings().receiverId;
}

QString LocalBackend::sourceText() const {
    return m_core->listenUrl();
}

QString LocalBackend::sendReply(const QString &userId, const QString &conversationNumber,
                                const QJsonObject &hsl) {
    const auto stored = m_core->store()->user(userId);
    const auto queued = m_core->conversations()->sendMessage(
        userId, conversationNumber, hsl,
        stored && stored->ectUserId ? *stored->ectUserId : QString());
    return queued.ok ? QString() : queued.error;
}

void LocalBackend::threadControl(const QString &userId, Control action, const QString &receiver,
                                 QObject *context, Done<tract::ThreadControlResponse> done) {
    tract::TractClient *client = m_core->client();
    auto *call = action == Control::Take   ? client->take(userId)
                 : action == Control::Pass ? client->pass(userId, receiver)
                                           : client->request(userId);
    call->onResult(context, std::move(done));
}

void LocalBackend::fetchListeners(const QString &userId, QObject *context,
                                  Done<tract::FetchListenersResponse> done) {
    m_core->client()->fetchListeners(userId)->onResult(context, std::move(done));
}

void LocalBackend::getUser(const QString &userId, QObject *context,
                           Done<tract::GetUserResponse> done) {
    m_core->client()->getUser(userId)->onResult(context, std::move(done));
}

void LocalBackend::getUserDetails(const QString &userId, const QStringList &keys, QObject *context,
                                  Done<tract::GetUserDetailsResponse> done) {
    m_core->client()->getUserDetails(userId, keys)->onResult(context, std::move(done));
}

void LocalBackend::retryOutbox(qint64 outboxId) {
    m_core->store()->retryOutbox(outboxId);
    m_core->outbox()->kick();
}

void LocalBackend::cancelOutbox(qint64 outboxId) {
    m_core->store()->cancelOutbox(outboxId);
}

int LocalBackend::unsentReplies() const {
    // The outbox is durable: a pending reply is sent after a restart, so
    // quitting loses nothing.
    return 0;
}

QString LocalBackend::clientId() const {
    return m_core->settings().clientId;
}

void LocalBackend::setTractToken(const QString &token) {
    m_core->client()->setToken(token); // takes effect with the next call
}

void LocalBackend::announce() {
    reportReachability();
    reportHookStatus();
}

void LocalBackend::reportReachability() {
    using S = tract::TractReachability::State;
    switch (m_reachability->state()) {
    case S::Reachable:
        emit linkChanged(true, tr("TRACT reachable"));
        break;
    case S::Unauthorized:
        emit linkChanged(false, tr("TRACT refuses the token"));
        break;
    case S::Unreachable:
        emit linkChanged(false, tr("TRACT unreachable"));
        break;
    case S::Unknown:
        emit linkChanged(false, tr("Checking TRACT…"));
        break;
    }
}

void LocalBackend::reportHookStatus() {
    const auto &statuses = m_core->registrar()->statuses();
    QStringList lines;
    for (const auto &s : statuses) {
        QString line = s.hook.category + QLatin1Char('/') + s.hook.subcategory +
                       QStringLiteral(": ") + tract::toString(s.state);
        if (!s.reason.isEmpty())
            line += QStringLiteral(" (") + s.reason + QLatin1Char(')');
        lines << line;
    }
    emit hookStatusChanged(m_core->registrar()->registeredCount(), int(statuses.size()),
                           lines.join(QLatin1Char('\n')));
}

} // namespace console
