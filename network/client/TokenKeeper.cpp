#include "network/client/TokenKeeper.h"

#include "models/common/Logging.h"
#include "network/auth/TokenMessages.h"
#include "network/client/TractClient.h"

#include <QCoreApplication>
#include <limits>
#include <utility>

namespace tract {

namespace {

constexpr int kMinRenewMs = 500;
constexpr int kMaxRetryMs = 60'000;

} // namespace

TokenKeeper::TokenKeeper(const QUrl &tractUrl, const QString &clientId, Signing signing,
                         QObject *parent)
    : QObject(parent)
    , m_issuer(new TractClient(tractUrl, clientId, QString(), this))
    , m_clientId(clientId)
    , m_signing(std::move(signing)) {
    // Each attempt carries its own timestamp: the keeper retries with a new
    // body instead of letting the call resend an ageing one.
    RetryPolicy policy = m_issuer->retryPolicy();
    policy.maxAttempts = 1;
    m_issuer->setRetryPolicy(policy);
    m_renewTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_renewTimer, &QTimer::timeout, this, &TokenKeeper::issue);
    connect(&m_retryTimer, &QTimer::timeout, this, &TokenKeeper::issue);
}

TokenKeeper::~TokenKeeper() {
    stop();
}

void TokenKeeper::start() {
    m_stopped = false;
    issue();
}

void TokenKeeper::stop() {
    m_stopped = true;
    m_renewTimer.stop();
    m_retryTimer.stop();
    settle(false, QCoreApplication::translate("tract::TokenKeeper", "the console is stopping"));
}

void TokenKeeper::attach(TractClient *client) {
    m_clients.append(client);
    client->setToken(m_token);
    QPointer<TokenKeeper> self(this);
    client->setTokenRenewer([self](const QString &rejected, QObject *context,
                                   std::function<void(bool, const QString &)> done) {
        if (!self) {
            done(false, QString());
            return;
        }
        self->renew(rejected, context, std::move(done));
    });
}

void TokenKeeper::renew(const QString &rejectedToken, QObject *context,
                        std::function<void(bool, const QString &)> done) {
    if (!m_token.isEmpty() && m_token != rejectedToken) {
        // Another call renewed it meanwhile: just try again with the new one.
        QMetaObject::invokeMethod(
            context, [done] { done(true, QString()); }, Qt::QueuedConnection);
        return;
    }
    m_waiters.append({context, std::move(done)});
    if (!m_inFlight && !m_stopped) {
        m_retryTimer.stop();
        issue();
    }
}

void TokenKeeper::settle(bool ok, const QString &message) {
    const QList<Waiter> waiters = std::exchange(m_waiters, {});
    for (const Waiter &w : waiters) {
        if (w.context)
            w.done(ok, message);
    }
}

void TokenKeeper::issue() {
    if (m_inFlight || m_stopped)
        return;
    auth::TokenIssueRequest request;
    request.clientId = m_clientId;
    request.fqdn = m_signing.fqdn;
    request.timestamp = QDateTime::currentDateTimeUtc();
    const QByteArray body = request.toBody();
    const auto signature = m_signing.key.sign(body);
    if (!signature) {
        const QString message = signature.error().message;
        qCWarning(lcAuth).noquote() << "cannot sign the token request:" << message;
        emit issueFailed(message, true, 0);
        settle(false, message);
        return;
    }
    m_inFlight = true;
    qCDebug(lcAuth) << "issuing an access token";
    auto *call = m_issuer->issueToken(body, signature.value(), m_signing.certUuid);
    call->onResult(this, [this](const TractResult<auth::IssuedToken> &result) {
        m_inFlight = false;
        if (m_stopped)
            return;
        if (!result) {
            const TractFailure &f = result.failure();
            const bool permanent = f.kind == TractFailure::Kind::Http4xx ||
                                   f.kind == TractFailure::Kind::BadResponse ||
                                   f.kind == TractFailure::Kind::Refused;
            const int delay = std::min(kMaxRetryMs, 1000 << std::min(m_failures, 6));
            ++m_failures;
            qCWarning(lcAuth).noquote()
                << "token issue failed:" << f.message << "- again in" << delay << "ms";
            m_retryTimer.start(delay);
            emit issueFailed(f.message, permanent, delay);
            settle(false, f.message);
            return;
        }
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const std::optional<qint64> lifetime = result->lifetimeMs(now);
        if (lifetime && *lifetime <= 0) {
            const QString message = QCoreApplication::translate(
                "tract::TokenKeeper", "TRACT issued an access token that has already expired");
            ++m_failures;
            m_retryTimer.start(std::min(kMaxRetryMs, 1000 << std::min(m_failures, 6)));
            emit issueFailed(message, true, m_retryTimer.interval());
            settle(false, message);
            return;
        }
        m_failures = 0;
        ++m_issued;
        m_token = result->token;
        m_expiresAt = lifetime ? now.addMSecs(*lifetime) : QDateTime();
        for (const auto &client : std::as_const(m_clients)) {
            if (client)
                client->setToken(m_token);
        }
        if (lifetime) {
            const qint64 renewIn =
                std::max<qint64>(kMinRenewMs, qint64(double(*lifetime) * m_renewFraction));
            m_renewTimer.start(int(std::min<qint64>(renewIn, std::numeric_limits<int>::max())));
            qCInfo(lcAuth).noquote() << "access token issued, valid for" << *lifetime / 1000
                                     << "s; renewing in" << renewIn / 1000.0 << "s";
        } else {
            // Nothing says when it ends: it is renewed when TRACT answers 401.
            m_renewTimer.stop();
            qCInfo(lcAuth).noquote() << "access token issued, lifetime not given";
        }
        emit tokenIssued(m_expiresAt);
        settle(true, QString());
    });
}

} // namespace tract
