#include "network/client/TractClient.h"

#include "models/common/Logging.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>

namespace tract {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("tract::TractClient", text);
}

QByteArray compact(const QJsonObject &object) {
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool isLoopback(const QUrl &url) {
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

TractFailure badResponse(const QString &operation, const Error &error) {
    TractFailure f;
    f.kind = TractFailure::Kind::BadResponse;
    f.message = tr("TRACT answered the request to %1 with something the console cannot read: %2")
                    .arg(operation, error.toString());
    return f;
}

TractFailure refused(const QString &operation, const QString &serverText) {
    TractFailure f;
    f.kind = TractFailure::Kind::Refused;
    f.serverError = serverText;
    f.message = tr("TRACT refused to %1: %2").arg(operation, serverText);
    return f;
}

// Bodies of calls whose success carries nothing. An empty body counts as {}:
// TRACT documents "error" as the only, optional field.
template <typename Response> Expected<Response> readLenient(const QByteArray &body) {
    if (body.trimmed().isEmpty())
        return Response::fromJson(QJsonObject());
    return Response::fromJson(body);
}

// Calls whose answer is simply the typed value.
template <typename Response> auto parseAs(const QString &op) {
    return [op](const QByteArray &body) -> TractResult<Response> {
        auto r = Response::fromJson(body);
        if (!r)
            return badResponse(op, r.error());
        return r.value();
    };
}

// Calls whose success carries nothing: TRACT's optional "error", or a
// "success": false, is a refusal; a body with neither is an acknowledgement.
auto acknowledged(const QString &op) {
    return [op](const QByteArray &body) -> TractResult<Ack> {
        auto r = readLenient<ErrorResponse>(body);
        if (!r)
            return badResponse(op, r.error());
        if (r->error)
            return refused(op, *r->error);
        const QJsonValue success =
            QJsonDocument::fromJson(body).object().value(QStringLiteral("success"));
        if (success.isBool() && !success.toBool())
            return refused(op, tr("success is false"));
        return Ack{};
    };
}

} // namespace

TractClient::TractClient(QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this)) {
    // Certificate checks stay at Qt's default (VerifyPeer); sslErrors are never
    // ignored, so a bad certificate is a Network failure the user sees.
    m_nam->setRedirectPolicy(QNetworkRequest::SameOriginRedirectPolicy);
}

TractClient::TractClient(const QUrl &baseUrl, const QString &clientId, const QString &token,
                         QObject *parent)
    : TractClient(parent) {
    setBaseUrl(baseUrl);
    m_clientId = clientId;
    m_token = token;
}

TractClient::~TractClient() = default;

void TractClient::setBaseUrl(const QUrl &baseUrl) {
    m_baseUrl = baseUrl;
    // A system proxy must not see, or break, calls to a local sandbox.
    m_nam->setProxy(isLoopback(baseUrl) ? QNetworkProxy(QNetworkProxy::NoProxy)
                                        : QNetworkProxy(QNetworkProxy::DefaultProxy));
}

QString TractClient::redacted(QString text) const {
    if (m_token.size() >= 4)
        text.replace(m_token, QStringLiteral("<token>"));
    return text;
}

void TractClient::renewToken(const QString &rejectedToken, QObject *context,
                             std::function<void(bool, const QString &)> done) {
    if (!m_renewer) {
        done(false, QString());
        return;
    }
    m_renewer(rejectedToken, context, std::move(done));
}

QString TractClient::serverName() const {
    return m_baseUrl.port() > 0
               ? m_baseUrl.host() + QLatin1Char(':') + QString::number(m_baseUrl.port())
               : m_baseUrl.host();
}

QNetworkRequest TractClient::makeRequest(const QString &path, bool bearer) const {
    QUrl url = m_baseUrl;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path);
    url.setQuery(QString());
    url.setFragment(QString());
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArrayLiteral("TRACT-Console/" TRACT_VERSION));
    request.setRawHeader("Accept", "application/json");
    if (bearer)
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    request.setRawHeader("client-id", m_clientId.toUtf8());
    // Our own per-attempt timer decides; Qt's transfer timeout stays off.
    request.setTransferTimeout(0);
    return request;
}

template <typename T>
TractReply<T> *TractClient::start(TractCall::Spec spec, typename TractReply<T>::Parser parser) {
    return new TractReply<T>(this, std::move(spec), std::move(parser));
}

TractReply<auth::IssuedToken> *TractClient::issueToken(const QByteArray &body,
                                                       const QByteArray &signature,
                                                       const QString &certUuid) {
    const QString op = tr("issue an access token");
    // Issuing again is harmless: a token nobody uses simply expires.
    auto *call = start<auth::IssuedToken>(
        {"POST", QStringLiteral("/tract/management/token/issue/"), body,
         TractCall::Idempotency::Safe, op},
        [op](const QByteArray &response) -> TractResult<auth::IssuedToken> {
            auto r = auth::IssuedToken::fromJson(response);
            if (!r)
                return badResponse(op, r.error());
            return r.value();
        });
    call->setAuthHeaders({{QByteArrayLiteral("Signature"), signature},
                          {QByteArrayLiteral("SignatureCertUUID"), certUuid.toUtf8()}});
    return call;
}

TractReply<Ack> *TractClient::registerHook(const RegisterHookRequest &request) {
    const QString op = tr("register the %1/%2 hook").arg(request.category, request.subcategory);
    // Registering the same category/subcategory again replaces it: safe to repeat.
    return start<Ack>({"POST", QStringLiteral("/tract/hooks/register/"), compact(request.toJson()),
                       TractCall::Idempotency::Safe, op},
                      acknowledged(op));
}

TractReply<ListHooksResponse> *TractClient::listHooks() {
    const QString op = tr("list the registered hooks");
    return start<ListHooksResponse>(
        {"GET", QStringLiteral("/tract/hooks/list/"), {}, TractCall::Idempotency::Safe, op},
        [op](const QByteArray &body) -> TractResult<ListHooksResponse> {
            auto r = readLenient<ListHooksResponse>(body);
            if (!r)
                return badResponse(op, r.error());
            if (r->error)
                return refused(op, *r->error);
            return r.value();
        });
}

TractReply<GetUserResponse> *TractClient::getUser(const QString &userId) {
    const QString op = tr("get user '%1'").arg(userId);
    GetUserRequest request;
    request.userId = userId;
    return start<GetUserResponse>({"POST", QStringLiteral("/tract/user/"),
                                   compact(request.toJson()), TractCall::Idempotency::Safe, op},
                                  parseAs<GetUserResponse>(op));
}

TractReply<GetUserDetailsResponse> *
TractClient::getUserDetails(const QString &userId, const QStringList &detailsRequested) {
    const QString op = tr("get details of user '%1'").arg(userId);
    GetUserDetailsRequest request;
    request.userId = userId;
    request.detailsRequested = detailsRequested;
    return start<GetUserDetailsResponse>({"POST", QStringLiteral("/tract/user/"),
                                          compact(request.toJson()), TractCall::Idempotency::Safe,
                                          op},
                                         parseAs<GetUserDetailsResponse>(op));
}

TractReply<Ack> *TractClient::sendMessage(const SendMessageRequest &request) {
    const QString op = tr("send the message to user '%1'").arg(request.userId);
    return start<Ack>({"POST", QStringLiteral("/tract/message/send/"), compact(request.toJson()),
                       TractCall::Idempotency::Unsafe, op},
                      acknowledged(op));
}

TractReply<Ack> *TractClient::sendEvent(const SendEventRequest &request) {
    const QString op =
        tr("send the %1/%2 event for user '%3'").arg(request.type, request.subtype, request.userId);
    return start<Ack>({"POST", QStringLiteral("/tract/event/send"), compact(request.toJson()),
                       TractCall::Idempotency::Unsafe, op},
                      acknowledged(op));
}

TractReply<FetchListenersResponse> *TractClient::fetchListeners(const QString &userId) {
    const QString op = tr("fetch the listeners of user '%1'").arg(userId);
    FetchListenersRequest request;
    request.userId = userId;
    return start<FetchListenersResponse>(
        {"POST", QStringLiteral("/tract/thread_control/listeners/"), compact(request.toJson()),
         TractCall::Idempotency::Safe, op},
        parseAs<FetchListenersResponse>(op));
}

TractReply<ThreadControlResponse> *TractClient::threadControl(const ThreadControlRequest &request) {
    QString op;
    switch (request.type) {
    case ThreadControlType::Take:
        op = tr("take control of user '%1'").arg(request.userId);
        break;
    case ThreadControlType::Pass:
        op = tr("pass control of user '%1' to '%2'").arg(request.userId, request.receiver);
        break;
    case ThreadControlType::Request:
        op = tr("request control of user '%1'").arg(request.userId);
        break;
    }
    return start<ThreadControlResponse>(
        {"POST", QStringLiteral("/tract/thread_control/request"), compact(request.toJson()),
         TractCall::Idempotency::Unsafe, op},
        [op](const QByteArray &body) -> TractResult<ThreadControlResponse> {
            auto r = ThreadControlResponse::fromJson(body);
            if (!r)
                return badResponse(op, r.error());
            if (r->success)
                return r.value();
            const QString why =
                r->reason ? (r->reason->message.isEmpty() ? r->reason->code : r->reason->message)
                          : tr("no reason given");
            TractFailure f = refused(op, why);
            f.reason = r->reason;
            if (r->reason && !r->reason->code.isEmpty() && !r->reason->message.isEmpty())
                f.message += QStringLiteral(" (") + r->reason->code + QLatin1Char(')');
            return f;
        });
}

TractReply<ThreadControlResponse> *TractClient::take(const QString &userId) {
    return threadControl({userId, ThreadControlType::Take, m_clientId, m_clientId, {}});
}

TractReply<ThreadControlResponse> *TractClient::pass(const QString &userId,
                                                     const QString &receiver) {
    return threadControl({userId, ThreadControlType::Pass, m_clientId, receiver, {}});
}

TractReply<ThreadControlResponse> *TractClient::request(const QString &userId) {
    // We ask for control to come to us; the owner decides.
    return threadControl({userId, ThreadControlType::Request, m_clientId, m_clientId, {}});
}

} // namespace tract
