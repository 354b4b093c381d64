#include "network/registration/HookRegistrar.h"

#include "models/common/Logging.h"
#include "network/client/TractClient.h"

#include <QCoreApplication>

namespace tract {

QString toString(HookRegistrar::State state) {
    switch (state) {
    case HookRegistrar::State::Pending:
        return QCoreApplication::translate("registration", "pending");
    case HookRegistrar::State::Registered:
        return QCoreApplication::translate("registration", "registered");
    case HookRegistrar::State::Failed:
        return QCoreApplication::translate("registration", "failed");
    }
    return {};
}

HookRegistrar::HookRegistrar(TractClient *client, const QString &publicBase,
                             const QString &pathSecret, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_publicBase(publicBase)
    , m_pathSecret(pathSecret) {
    for (const HookKind &h : consoleHooks())
        m_statuses.append({h, State::Pending, {}});
    connect(&m_verifyTimer, &QTimer::timeout, this, &HookRegistrar::verify);
}

void HookRegistrar::setVerifyInterval(int ms) {
    if (ms > 0)
        m_verifyTimer.start(ms);
    else
        m_verifyTimer.stop();
}

int HookRegistrar::registeredCount() const {
    return int(std::count_if(m_statuses.cbegin(), m_statuses.cend(),
                             [](const Status &s) { return s.state == State::Registered; }));
}

void HookRegistrar::setStatus(int index, State state, const QString &reason) {
    Status &s = m_statuses[index];
    if (s.state == state && s.reason == reason)
        return;
    s.state = state;
    s.reason = reason;
    emit statusChanged(s);
}

void HookRegistrar::registerAll() {
    if (m_inFlight > 0)
        return; // a round is running; it ends with a verification anyway
    m_verifyAfterRound = true;
    for (int i = 0; i < m_statuses.size(); ++i)
        registerHook(i);
}

void HookRegistrar::registerHook(int index) {
    const HookKind hook = m_statuses.at(index).hook;
    RegisterHookRequest request;
    request.category = hook.category;
    request.subcategory = hook.subcategory;
    request.url = hookUrl(m_publicBase, m_pathSecret, hook);
    ++m_inFlight;
    m_client->registerHook(request)->onResult(this, [this, index](const TractResult<Ack> &r) {
        if (r)
            setStatus(index, State::Registered);
        else
            setStatus(index, State::Failed, r.failure().message);
        finishOne();
    });
}

void HookRegistrar::finishOne() {
    if (--m_inFlight > 0)
        return;
    if (m_verifyAfterRound) {
        m_verifyAfterRound = false;
        verify();
        return;
    }
    emit roundFinished(registeredCount(), int(m_statuses.size()));
}

void HookRegistrar::verify() {
    if (m_inFlight > 0)
        return;
    ++m_inFlight;
    m_client->listHooks()->onResult(this, [this](const TractResult<ListHooksResponse> &r) {
        if (!r) {
            // Unreachable: say so, and let the next verification re-register.
            for (int i = 0; i < m_statuses.size(); ++i) {
                if (m_statuses.at(i).state != State::Failed)
                    setStatus(i, State::Failed, r.failure().message);
            }
            finishOne();
            return;
        }
        for (int i = 0; i < m_statuses.size(); ++i) {
            const HookKind &hook = m_statuses.at(i).hook;
            const QString url = hookUrl(m_publicBase, m_pathSecret, hook);
            const bool listed =
                std::any_of(r->hooks.cbegin(), r->hooks.cend(), [&](const HookRegistration &h) {
                    return h.category == hook.category && h.subcategory == hook.subcategory &&
                           h.url == url && h.enabled;
                });
            if (listed) {
                setStatus(i, State::Registered);
            } else {
                qCInfo(lcClient).noquote()
                    << "hook" << hook.category + QLatin1Char('/') + hook.subcategory
                    << "missing or disabled at TRACT; registering again";
                registerHook(i);
            }
        }
        finishOne();
    });
}

} // namespace tract
