#include "network/client/TractCall.h"

#include "models/common/Logging.h"
#include "network/client/TractClient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>

namespace tract {

namespace {

bool isSuccess(int status) {
    return status >= 200 && status < 300;
}

// TRACT's {"error": "..."} text, if the body has one.
QString serverErrorText(const QByteArray &body) {
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonValue error = doc.object().value(QStringLiteral("error"));
    if (error.isString())
        return error.toString().left(1000);
    return QString();
}

// "Http5xx 503", "Timeout": the failure in a log line.
QString shortDescription(const TractFailure &f) {
    const QString kind = TractFailure::kindName(f.kind);
    return f.httpStatus ? kind + QLatin1Char(' ') + QString::number(f.httpStatus) : kind;
}

} // namespace

TractCall::TractCall(TractClient *client, Spec spec)
    : QObject(client)
    , m_client(client)
    , m_spec(std::move(spec))
    , m_policy(client->retryPolicy()) {
    m_attemptTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_attemptTimer, &QTimer::timeout, this, &TractCall::onAttemptTimeout);
    connect(&m_retryTimer, &QTimer::timeout, this, &TractCall::startAttempt);
    // Started from the event loop, never from the caller's stack: every result,
    // even an immediate failure, then arrives after the caller has connected.
    QMetaObject::invokeMethod(this, &TractCall::startAttempt, Qt::QueuedConnection);
}

TractCall::~TractCall() {
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void TractCall::abandon() {
    m_finished = true;
    m_attemptTimer.stop();
    m_retryTimer.stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    deleteLater();
}

void TractCall::startAttempt() {
    if (m_finished || !m_client)
        return;
    ++m_attempt;
    m_timedOut = false;
    QNetworkRequest request = m_client->makeRequest(m_spec.path, m_authHeaders.isEmpty());
    for (const auto &[name, value] : m_authHeaders)
        request.setRawHeader(name, value);
    m_tokenUsed = m_client->m_token;
    if (!request.url().isValid() || request.url().host().isEmpty()) {
        TractFailure f;
        f.kind = TractFailure::Kind::Network;
        f.message = tr("No TRACT server address is set, or it is not a valid URL.");
        fail(f);
        return;
    }
    QNetworkAccessManager *nam = m_client->networkAccessManager();
    m_reply = m_spec.method == "GET" ? nam->get(request)
                                     : nam->sendCustomRequest(request, m_spec.method, m_spec.body);
    connect(m_reply, &QNetworkReply::finished, this, &TractCall::onReplyFinished);
    m_attemptTimer.start(m_policy.timeoutForAttempt(m_attempt));
    // Method and path only: headers (the token) and bodies (user data) stay out of logs.
    qCDebug(lcClient).noquote() << QString::fromLatin1(m_spec.method) << m_spec.path << "attempt"
                                << m_attempt << "of" << m_policy.maxAttempts;
}

void TractCall::onAttemptTimeout() {
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // emits finished(), handled in onReplyFinished()
}

void TractCall::onReplyFinished() {
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    m_attemptTimer.stop();
    reply->deleteLater();
    if (m_finished || !m_client)
        return;

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (!m_timedOut && isSuccess(status)) {
        const QByteArray body = reply->readAll();
        std::optional<TractFailure> failure = acceptBody(body);
        if (!failure) {
            qCDebug(lcClient).noquote()
                << QString::fromLatin1(m_spec.method) << m_spec.path << "->" << status;
            finish();
            return;
        }
        failure->httpStatus = status;
        fail(*failure);
        return;
    }

    bool surelyNotProcessed = false;
    TractFailure failure = failureFrom(reply, surelyNotProcessed);
    failure.attempts = m_attempt;
    if (status == 401 && !m_timedOut && renewTokenAndRetry(failure))
        return;
    const bool mayRepeat = m_spec.idempotency == Idempotency::Safe ||
                           m_policy.retryUnsafeWhenAmbiguous || surelyNotProcessed;
    if (!failure.retryable || !mayRepeat || m_attempt >= m_policy.maxAttempts) {
        fail(failure);
        return;
    }

    int delayMs = 0;
    const std::optional<qint64> retryAfter = RetryPolicy::parseRetryAfter(
        reply->rawHeader("Retry-After"), QDateTime::currentDateTimeUtc());
    if (retryAfter) {
        if (*retryAfter > m_policy.maxRetryAfterMs) {
            // Waiting that long inside one call would hold the UI hostage; the
            // caller (the outbox) can schedule a later try with retryAfterMs.
            failure.retryAfterMs = *retryAfter;
            fail(failure);
            return;
        }
        delayMs = int(*retryAfter);
    } else {
        delayMs = m_policy.backoffDelayMs(m_attempt, QRandomGenerator::global()->generateDouble());
    }
    qCInfo(lcClient).noquote() << QString::fromLatin1(m_spec.method) << m_spec.path
                               << "failed:" << shortDescription(failure) << "- attempt"
                               << m_attempt + 1 << "in" << delayMs << "ms";
    emit retryScheduled(m_attempt + 1, delayMs);
    m_retryTimer.start(delayMs);
}

TractFailure TractCall::failureFrom(QNetworkReply *reply, bool &surelyNotProcessed) const {
    using Kind = TractFailure::Kind;
    TractFailure f;
    const QString server = m_client->serverName();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();

    if (m_timedOut) {
        f.kind = Kind::Timeout;
        f.retryable = true;
        f.message = tr("TRACT at %1 did not answer within %2 s.")
                        .arg(server)
                        .arg(m_policy.timeoutForAttempt(m_attempt) / 1000.0, 0, 'g', 3);
        return f;
    }

    if (status == 0) {
        f.kind = Kind::Network;
        f.retryable = true;
        switch (reply->error()) {
        case QNetworkReply::ConnectionRefusedError:
            surelyNotProcessed = true;
            f.message = tr("Could not connect to TRACT at %1: connection refused.").arg(server);
            break;
        case QNetworkReply::HostNotFoundError:
            surelyNotProcessed = true;
            f.message = tr("Could not find the TRACT server %1.").arg(server);
            break;
        case QNetworkReply::RemoteHostClosedError:
            f.message = tr("TRACT at %1 closed the connection before answering.").arg(server);
            break;
        case QNetworkReply::SslHandshakeFailedError:
        case QNetworkReply::InsecureRedirectError:
            // A certificate does not fix itself by trying again.
            surelyNotProcessed = true;
            f.retryable = false;
            f.message = tr("The secure connection to TRACT at %1 failed: %2")
                            .arg(server, reply->errorString());
            break;
        case QNetworkReply::ProtocolUnknownError:
            surelyNotProcessed = true;
            f.retryable = false;
            f.message = tr("The TRACT address %1 is not an http or https URL.").arg(server);
            break;
        default:
            f.message = tr("Could not talk to TRACT at %1: %2").arg(server, reply->errorString());
            break;
        }
        f.message = m_client->redacted(f.message);
        return f;
    }

    f.httpStatus = status;
    f.serverError = m_client->redacted(serverErrorText(reply->readAll()));
    const QString detail =
        f.serverError.isEmpty()
            ? QString::fromLatin1(
                  reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray())
            : f.serverError;
    if (status == 429) {
        f.kind = Kind::RateLimited;
        f.retryable = true;
        surelyNotProcessed = true;
        f.message = tr("TRACT is limiting requests (HTTP 429); try again later.");
    } else if (status >= 500) {
        f.kind = Kind::Http5xx;
        f.retryable = status != 501 && status != 505;
        surelyNotProcessed = status == 503;
        f.message =
            tr("TRACT failed to %1 (HTTP %2): %3").arg(m_spec.operation).arg(status).arg(detail);
    } else {
        f.kind = Kind::Http4xx;
        f.retryable = false;
        switch (status) {
        case 401:
            f.message = tr("TRACT did not accept the credentials (HTTP 401): %1. Check the token "
                           "and the client id.")
                            .arg(detail);
            break;
        case 403:
            f.message = tr("TRACT refused: %1 (HTTP 403)").arg(detail);
            break;
        case 404:
            f.message = tr("TRACT could not %1: %2 (HTTP 404)").arg(m_spec.operation, detail);
            break;
        case 400:
            f.message =
                tr("TRACT rejected the request to %1: %2 (HTTP 400)").arg(m_spec.operation, detail);
            break;
        default:
            f.message = tr("TRACT could not %1 (HTTP %2): %3")
                            .arg(m_spec.operation)
                            .arg(status)
                            .arg(detail);
            break;
        }
    }
    return f;
}

// A 401 means TRACT did nothing with the request, so even an unsafe call may
// be repeated: once, after the client's renewer got a new token (or found one
// another call had already got).
bool TractCall::renewTokenAndRetry(const TractFailure &failure) {
    if (m_renewed || !m_authHeaders.isEmpty() || !m_client->canRenewToken())
        return false;
    m_renewed = true;
    qCInfo(lcClient).noquote() << QString::fromLatin1(m_spec.method) << m_spec.path
                               << "got 401: renewing the access token, then trying once more";
    QPointer<TractCall> self(this);
    m_client->renewToken(m_tokenUsed, this, [self, failure](bool ok, const QString &why) {
        if (!self || self->m_finished)
            return;
        if (ok) {
            self->startAttempt();
            return;
        }
        TractFailure f = failure;
        if (!why.isEmpty())
            f.message += QLatin1Char(' ') + tr("A new access token could not be had: %1").arg(why);
        self->fail(f);
    });
    return true;
}

void TractCall::fail(TractFailure failure) {
    failure.attempts = m_attempt;
    if (m_client) { // whatever path built the text, a server echoing the token is not repeated
        failure.message = m_client->redacted(failure.message);
        failure.serverError = m_client->redacted(failure.serverError);
    }
    if (failure.attempts > 1 && failure.retryable) {
        //: %n: attempts made, including the first
        failure.message +=
            QLatin1Char(' ') + tr("(gave up after %n attempt(s))", nullptr, m_attempt);
    }
    qCWarning(lcClient).noquote() << QString::fromLatin1(m_spec.method) << m_spec.path
                                  << "failed:" << shortDescription(failure) << "after" << m_attempt
                                  << "attempt(s):" << failure.message;
    storeFailure(failure);
    finish();
}

void TractCall::finish() {
    m_finished = true;
    m_attemptTimer.stop();
    m_retryTimer.stop();
    QPointer<TractCall> self(this);
    emit finished();
    // A receiver may have destroyed the client (and with it this call) meanwhile.
    if (self)
        deleteLater();
}

} // namespace tract
