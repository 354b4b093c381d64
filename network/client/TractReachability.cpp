#include "network/client/TractReachability.h"

#include "network/client/TractClient.h"

namespace tract {

TractReachability::TractReachability(TractClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client) {
    connect(&m_timer, &QTimer::timeout, this, &TractReachability::check);
}

void TractReachability::setInterval(int ms) {
    if (ms <= 0) {
        m_timer.stop();
        return;
    }
    m_timer.start(ms);
}

void TractReachability::check() {
    if (m_checking || !m_client)
        return;
    m_checking = true;
    auto *call = m_client->listHooks();
    // A probe reports the present; the outbox does the retrying.
    RetryPolicy probe;
    probe.maxAttempts = 1;
    probe.attemptTimeoutsMs = {m_timeoutMs};
    call->setRetryPolicy(probe);
    call->onResult(this, [this](const TractResult<ListHooksResponse> &result) {
        m_checking = false;
        m_lastChecked = QDateTime::currentDateTimeUtc();
        State state = State::Reachable;
        QString message;
        if (!result) {
            const TractFailure &f = result.failure();
            const bool credentials = f.httpStatus == 401 || f.httpStatus == 403;
            // Any other answer (400, 404, a refusal) still proves TRACT is there.
            const bool answered = f.kind == TractFailure::Kind::Http4xx ||
                                  f.kind == TractFailure::Kind::Refused ||
                                  f.kind == TractFailure::Kind::BadResponse;
            state = credentials ? State::Unauthorized
                                : (answered ? State::Reachable : State::Unreachable);
            message = state == State::Reachable ? QString() : f.message;
        }
        const bool changed = state != m_state || message != m_message;
        m_state = state;
        m_message = message;
        if (changed)
            emit stateChanged(m_state, m_message);
        emit checked(m_state);
    });
}

} // namespace tract
