#include "sandbox/SandboxServer.h"

#include "models/common/Logging.h"
#include "network/auth/TokenMessages.h"
#include "sandbox/ScenarioPlayer.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTimer>
#include <QUuid>

namespace sandbox {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("sandbox", text);
}

http::Response badRequest(const tract::Error &e) {
    return http::Response::error(400, e.toString());
}
http::Response ok(const QJsonObject &o = {}) {
    return http::Response::json(200, o);
}

constexpr int kRegistrationGraceMs = 500;
// Haptik's window for the signed body's timestamp.
constexpr qint64 kTimestampWindowSeconds = 150;

QByteArray normalisedPath(QByteArray path) {
    while (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    return path;
}

QString requiredString(const QJsonObject &body, const QString &key, tract::Error &error) {
    const QJsonValue v = body.value(key);
    if (v.isUndefined() || v.isNull())
        error = {key, tr("required field missing")};
    else if (!v.isString())
        error = {key, tr("expected string")};
    else if (v.toString().isEmpty())
        error = {key, tr("must not be empty")};
    else if (v.toString().size() > tract::limits::kIdLength)
        error = {key, tr("longer than %1 characters").arg(tract::limits::kIdLength)};
    return v.toString();
}

QString optionalString(const QJsonObject &body, const QString &key, tract::Error &error) {
    const QJsonValue v = body.value(key);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString() && !v.isDouble())
        error = {key, tr("expected string")};
    return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
}

} // namespace

SandboxServer::SandboxServer(const SandboxConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_hooks(new HookDispatcher(
          {config.retrySchedule, config.hookTimeoutMs, config.hookSecret.toUtf8()}, this))
    , m_world(new SandboxWorld(config, m_hooks, this)) {
    http::ServerLimits limits;
    limits.maxBodyBytes = 1 << 20;
    m_http.setLimits(limits);
    m_http.setHeadFilter([this](const http::RequestHead &head) { return checkHead(head); });
    m_http.setHandler(
        [this](const http::Request &r, const http::Responder &responder) { handle(r, responder); });
    installRoutes();
}

SandboxServer::~SandboxServer() = default;

bool SandboxServer::start() {
    if (!m_config.signingCertFile.isEmpty()) {
        auto cert = tract::auth::SigningCertificate::fromFile(m_config.signingCertFile);
        if (!cert) {
            m_error = QStringLiteral("--require-signed-token: ") + cert.error().message;
            return false;
        }
        m_signingCert = cert.value();
        // The same certificate always gets the same UUID, as with a pre-shared one at Haptik.
        m_certUuid =
            !m_config.certUuid.isEmpty()
                ? m_config.certUuid
                : QUuid::createUuidV5(QUuid(QStringLiteral("6c1f3b0e-3f43-4f8e-9a55-2f1d6a7e0c11")),
                                      m_signingCert->fingerprint())
                      .toString(QUuid::WithoutBraces);
        addRoute(
            "POST", "/tract/management/token/issue/",
            [this](const http::Request &r, const QJsonObject &) { return issueToken(r); }, false,
            false);
        m_routes[normalisedPath("/tract/management/token/issue/")].signedRequest = true;
        addRoute(
            "POST", "/sandbox/revoke-tokens",
            [this](const http::Request &, const QJsonObject &) { return revokeTokens(); }, false,
            false);
    }
    if (!m_http.listen(m_config.listenAddress, m_config.listenPort)) {
        m_error = tr("cannot listen on %1:%2: %3")
                      .arg(m_config.listenAddress.toString())
                      .arg(m_config.listenPort)
                      .arg(m_http.errorString());
        return false;
    }
    m_world->setMediaBaseUrl(baseUrl());
    return true;
}

QString SandboxServer::baseUrl() const {
    const QHostAddress a = m_http.serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + a.toString() + QLatin1Char(']')
                             : a.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(m_http.serverPort());
}

tract::Expected<bool> SandboxServer::loadScenario(const QString &nameOrFile) {
    auto scenario = Scenario::load(nameOrFile);
    if (!scenario)
        return scenario.error();
    delete m_scenario;
    m_scenario = new ScenarioPlayer(scenario.value(), m_world, this);
    if (m_ectReady)
        m_scenario->start();
    else
        connect(this, &SandboxServer::ectReady, m_scenario, &ScenarioPlayer::start,
                Qt::SingleShotConnection);
    return true;
}

void SandboxServer::addRoute(const QByteArray &method, const QByteArray &path, Route handler,
                             bool tractAuth, bool jsonBody) {
    m_routes.insert(normalisedPath(path), {method, std::move(handler), tractAuth, jsonBody});
}

void SandboxServer::installRoutes() {
    using R = const http::Request &;
    using B = const QJsonObject &;
    addRoute("POST", "/tract/hooks/register/", [this](R, B b) { return registerHook(b); });
    addRoute(
        "GET", "/tract/hooks/list/", [this](R, B) { return listHooks(); }, true, false);
    addRoute("POST", "/tract/user/", [this](R, B b) { return getUser(b, false); });
    addRoute("POST", "/tract/user/details/", [this](R, B b) { return getUser(b, true); });
    addRoute("POST", "/tract/message/send/", [this](R, B b) { return sendMessage(b); });
    addRoute("POST", "/tract/event/send", [this](R, B b) { return sendEvent(b); });
    addRoute("POST", "/tract/events/send",
             [this](R, B b) { return sendEvent(b); }); // later revision's path
    addRoute("POST", "/tract/thread_control/listeners/",
             [this](R, B b) { return fetchListeners(b); });
    addRoute("POST", "/tract/thread_control/request", [this](R, B b) { return threadControl(b); });

    addRoute(
        "POST", "/sandbox/users", [this](R, B b) { return createUser(b); }, false);
    addRoute(
        "POST", "/sandbox/messages", [this](R, B b) { return userMessage(b); }, false);
    addRoute(
        "POST", "/sandbox/events", [this](R, B b) { return emitEvent(b); }, false);
    addRoute(
        "POST", "/sandbox/owner", [this](R, B b) { return setOwner(b); }, false);
    addRoute(
        "GET", "/sandbox/state", [this](R, B) { return state(); }, false, false);
    addRoute(
        "POST", "/sandbox/reset", [this](R, B) { return reset(); }, false, false);
}

const SandboxServer::RouteEntry *SandboxServer::route(const QByteArray &path) const {
    const auto it = m_routes.constFind(normalisedPath(path));
    return it == m_routes.cend() ? nullptr : &*it;
}

std::optional<http::Response> SandboxServer::checkHead(const http::RequestHead &head) const {
    if (head.path.startsWith("/sandbox/media/")) {
        if (head.method != "GET")
            return http::Response::error(
                405, tr("method %1 not allowed; use GET").arg(QString::fromLatin1(head.method)));
        return std::nullopt;
    }
    const RouteEntry *r = route(head.path);
    if (!r)
        return http::Response::error(404,
                                     tr("no such endpoint: %1").arg(QString::fromUtf8(head.path)));
    if (r->method != head.method) {
        http::Response res = http::Response::error(
            405, tr("method %1 not allowed; use %2")
                     .arg(QString::fromLatin1(head.method), QString::fromLatin1(r->method)));
        res.headers.append({QByteArrayLiteral("Allow"), r->method});
        return res;
    }
    if (r->signedRequest)
        return std::nullopt; // its Signature is checked against the body
    if (r->tractAuth && m_signingCert)
        return checkBearer(head);
    if (r->tractAuth) {
        const bool tokenOk = head.header("authorization") == "Bearer " + m_config.token.toUtf8();
        const bool clientOk = head.header("client-id") == m_config.clientId.toUtf8();
        if (!tokenOk || !clientOk) {
            return http::Response::error(
                401, tokenOk ? tr("missing or unknown client-id header")
                             : tr("missing or wrong Authorization: Bearer token"));
        }
    } else if (!head.peerAddress.isLoopback()) {
        return http::Response::error(403, tr("the control API answers loopback clients only"));
    }
    return std::nullopt;
}

void SandboxServer::handle(const http::Request &request, const http::Responder &responder) {
    if (request.path.startsWith("/sandbox/media/")) {
        responder.send(media(request.path));
        return;
    }
    const RouteEntry *r = route(request.path);
    QJsonObject body;
    if (r->jsonBody) {
        auto parsed = tract::parseObject(request.body);
        if (!parsed) {
            responder.send(badRequest(parsed.error()));
            return;
        }
        body = parsed.value();
    }
    responder.send(r->handler(request, body));
}

// --- TRACT endpoints ---------------------------------------------------------

// With --require-signed-token only tokens issued here, unexpired, to this client id.
std::optional<http::Response> SandboxServer::checkBearer(const http::RequestHead &head) const {
    const QByteArray authorization = head.header("authorization");
    if (!authorization.startsWith("Bearer ") || authorization.size() <= 7)
        return http::Response::error(401, tr("missing Authorization: Bearer token"));
    const auto checked =
        m_jwt.verify(authorization.mid(7).trimmed(), QDateTime::currentDateTimeUtc());
    if (checked.verdict != tract::auth::Hs256Jwt::Verdict::Valid)
        return http::Response::error(401, checked.message);
    if (head.header("client-id") != m_config.clientId.toUtf8() ||
        checked.claims.value(QStringLiteral("sub")).toString() != m_config.clientId)
        return http::Response::error(401, tr("missing or unknown client-id header"));
    return std::nullopt;
}

// POST /tract/management/token/issue/: Haptik's checks, each failure a 400
// saying which one failed.
http::Response SandboxServer::issueToken(const http::Request &request) {
    const auto refuse = [](const QString &why) {
        qCInfo(lcSandbox).noquote() << "token issue refused:" << why;
        return http::Response::error(400, why);
    };
    if (!request.header("signaturecertchainurl").isEmpty() &&
        request.header("signaturecertuuid").isEmpty())
        return refuse(tr("SignatureCertChainUrl is not supported here; pre-share the "
                         "certificate and send SignatureCertUUID"));
    const QByteArray uuid = request.header("signaturecertuuid");
    if (uuid.isEmpty())
        return refuse(tr("missing SignatureCertUUID header"));
    if (QString::fromUtf8(uuid) != m_certUuid)
        return refuse(tr("SignatureCertUUID names no certificate known here"));
    const QByteArray signature = request.header("signature");
    if (signature.isEmpty())
        return refuse(tr("missing Signature header"));
    if (request.body.size() > tract::auth::TokenIssueRequest::kMaxBodyBytes)
        return refuse(tr("the body is larger than %1 bytes")
                          .arg(tract::auth::TokenIssueRequest::kMaxBodyBytes));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (auto valid = m_signingCert->checkValidAt(now); !valid)
        return refuse(valid.error().message);
    if (auto verified = m_signingCert->verify(request.body, signature); !verified)
        return refuse(verified.error().message);
    auto body = tract::auth::TokenIssueRequest::fromBody(request.body);
    if (!body)
        return refuse(body.error().toString());
    if (body->clientId != m_config.clientId)
        return refuse(QStringLiteral("client_id: ") +
                      tr("unknown client id '%1'").arg(body->clientId.left(100)));
    if (auto host = m_signingCert->checkHost(body->fqdn); !host)
        return refuse(QStringLiteral("fqdn: ") + host.error().message);
    const qint64 skew = now.secsTo(body->timestamp);
    if (qAbs(skew) > kTimestampWindowSeconds)
        return refuse(QStringLiteral("timestamp: ") +
                      tr("%1 is %2 s from TRACT's clock (%3); at most %4 s are allowed")
                          .arg(tract::auth::TokenIssueRequest::formatTimestamp(body->timestamp))
                          .arg(qAbs(skew))
                          .arg(tract::auth::TokenIssueRequest::formatTimestamp(now))
                          .arg(kTimestampWindowSeconds));
    const qint64 iat = now.toSecsSinceEpoch();
    tract::auth::IssuedToken issued;
    issued.token = QString::fromLatin1(
        m_jwt.issue({{QStringLiteral("iss"), QStringLiteral("tract-sandbox")},
                     {QStringLiteral("sub"), body->clientId},
                     {QStringLiteral("fqdn"), body->fqdn},
                     {QStringLiteral("iat"), iat},
                     {QStringLiteral("exp"), iat + m_config.tokenLifetimeSeconds},
                     {QStringLiteral("jti"), QUuid::createUuid().toString(QUuid::WithoutBraces)}}));
    issued.expiresIn = m_config.tokenLifetimeSeconds;
    ++m_tokensIssued;
    qCInfo(lcSandbox).noquote() << "issued an access token to" << body->clientId << "for"
                                << m_config.tokenLifetimeSeconds << "s";
    return ok(issued.toJson());
}

http::Response SandboxServer::registerHook(const QJsonObject &body) {
    auto req = tract::RegisterHookRequest::fromJson(body);
    if (!req)
        return badRequest(req.error());
    const QString category = tract::normaliseCategory(req->category);
    if (!tract::isKnownEvent(category, req->subcategory) && category != QLatin1String("message"))
        return badRequest({tract::eventCategoryFromString(category) ? QStringLiteral("subcategory")
                                                                    : QStringLiteral("category"),
                           tr("unknown hook %1/%2").arg(req->category, req->subcategory)});
    const QUrl url(req->url, QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return badRequest({QStringLiteral("url"), tr("expected an absolute http or https URL")});
    m_hooks->registerHook(category, req->subcategory, url);
    qCInfo(lcSandbox).noquote() << "registered" << category + QLatin1Char('/') + req->subcategory;
    if (category == QLatin1String("message") && req->subcategory == QLatin1String("receive") &&
        !m_ectReady) {
        // An ECT registers its hooks one after another; let it finish before the
        // scenario or load starts, so no create_user or event hook is skipped.
        m_ectReady = true;
        QTimer::singleShot(kRegistrationGraceMs, this, &SandboxServer::ectReady);
    }
    return ok();
}

http::Response SandboxServer::listHooks() {
    tract::ListHooksResponse res;
    for (const auto &r : m_hooks->registrations()) {
        tract::HookRegistration h;
        h.category = r.category;
        h.subcategory = r.subcategory;
        h.url = r.url.toString();
        h.enabled = r.enabled;
        res.hooks.append(h);
    }
    return ok(res.toJson());
}

http::Response SandboxServer::getUser(const QJsonObject &body, bool detailsEndpoint) {
    if (detailsEndpoint || body.contains(QStringLiteral("details_requested"))) {
        auto req = tract::GetUserDetailsRequest::fromJson(body);
        if (!req)
            return badRequest(req.error());
        const SimUser *u = m_world->user(req->userId);
        if (!u)
            return http::Response::error(404, tr("unknown user_id '%1'").arg(req->userId));
        tract::GetUserDetailsResponse res;
        res.userId = u->userId;
        for (const QString &key : req->detailsRequested) {
            if (u->details.contains(key))
                res.details.insert(key, u->details.value(key));
        }
        return ok(res.toJson());
    }
    auto req = tract::GetUserRequest::fromJson(body);
    if (!req)
        return badRequest(req.error());
    const SimUser *u = m_world->user(req->userId);
    if (!u)
        return http::Response::error(404, tr("unknown user_id '%1'").arg(req->userId));
    tract::GetUserResponse res;
    res.userId = u->userId;
    res.thirdPartyUserId = u->thirdPartyUserId;
    res.userName = u->userName;
    res.devicePlatform = u->devicePlatform;
    res.detailsAvailable = u->details.keys();
    return ok(res.toJson());
}

http::Response SandboxServer::sendMessage(const QJsonObject &body) {
    // TRACT takes message_body as a string of serialized HSL only.
    if (body.contains(QStringLiteral("message_body")) &&
        !body.value(QStringLiteral("message_body")).isString())
        return badRequest(
            {QStringLiteral("message_body"), tr("expected a string holding serialized HSL JSON")});
    auto req = tract::SendMessageRequest::fromJson(body);
    if (!req)
        return badRequest(req.error());
    if (auto error = m_world->ectSendsMessage(req.value(), body))
        return http::Response::error(error->status, error->message);
    return ok();
}

http::Response SandboxServer::sendEvent(const QJsonObject &body) {
    auto req = tract::SendEventRequest::fromJson(body);
    if (!req)
        return badRequest(req.error());
    if (auto error = m_world->ectSendsEvent(req.value(), body))
        return http::Response::error(error->status, error->message);
    return ok({{QStringLiteral("success"), true}});
}

http::Response SandboxServer::fetchListeners(const QJsonObject &body) {
    auto req = tract::FetchListenersRequest::fromJson(body);
    if (!req)
        return badRequest(req.error());
    if (!m_world->user(req->userId))
        return http::Response::error(404, tr("unknown user_id '%1'").arg(req->userId));
    tract::FetchListenersResponse res;
    res.listeners = m_world->listeners(req->userId);
    return ok(res.toJson());
}

http::Response SandboxServer::threadControl(const QJsonObject &body) {
    auto req = tract::ThreadControlRequest::fromJson(body);
    if (!req)
        return badRequest(req.error());
    if (!m_world->user(req->userId))
        return http::Response::error(404, tr("unknown user_id '%1'").arg(req->userId));
    auto res = m_world->threadControl(req.value());
    if (!res)
        return badRequest(res.error());
    return ok(res->toJson());
}

// --- control API -------------------------------------------------------------

http::Response SandboxServer::createUser(const QJsonObject &body) {
    tract::Error error;
    SandboxWorld::NewUser spec;
    spec.userId = optionalString(body, QStringLiteral("user_id"), error);
    spec.userName = optionalString(body, QStringLiteral("user_name"), error);
    spec.devicePlatform = optionalString(body, QStringLiteral("device_platform"), error);
    if (body.contains(QStringLiteral("details")) &&
        !body.value(QStringLiteral("details")).isObject())
        error = {QStringLiteral("details"), tr("expected object")};
    spec.details = body.value(QStringLiteral("details")).toObject();
    if (!error.message.isEmpty())
        return badRequest(error);
    if (spec.userId.size() > tract::limits::kIdLength)
        return badRequest({QStringLiteral("user_id"),
                           tr("longer than %1 characters").arg(tract::limits::kIdLength)});
    const bool existed = !spec.userId.isEmpty() && m_world->user(spec.userId);
    const QString id = m_world->ensureUser(spec);
    return http::Response::json(existed ? 200 : 201, {{QStringLiteral("user_id"), id}});
}

http::Response SandboxServer::userMessage(const QJsonObject &body) {
    tract::Error error;
    const QString userId = requiredString(body, QStringLiteral("user_id"), error);
    if (!error.message.isEmpty())
        return badRequest(error);
    QJsonObject hsl;
    if (body.contains(QStringLiteral("message_body"))) {
        const QJsonValue v = body.value(QStringLiteral("message_body"));
        if (v.isString())
            hsl = QJsonDocument::fromJson(v.toString().toUtf8()).object();
        else
            hsl = v.toObject();
        if (!hsl.value(QStringLiteral("type")).isString())
            return badRequest({QStringLiteral("message_body"),
                               tr("expected an HSL object with a string \"type\"")});
    } else if (body.value(QStringLiteral("text")).isString() &&
               !body.value(QStringLiteral("text")).toString().isEmpty()) {
        hsl = SimulatedBot::text(body.value(QStringLiteral("text")).toString());
    } else {
        return badRequest(
            {QStringLiteral("text"), tr("expected a non-empty string, or message_body")});
    }
    m_world->ensureUser({userId, {}, {}, {}, {}});
    m_world->endUserSays(userId, hsl);
    return ok({{QStringLiteral("user_id"), userId}});
}

http::Response SandboxServer::emitEvent(const QJsonObject &body) {
    tract::Error error;
    const QString userId = requiredString(body, QStringLiteral("user_id"), error);
    const QString category = requiredString(body, QStringLiteral("category"), error);
    const QString subcategory = requiredString(body, QStringLiteral("subcategory"), error);
    if (!error.message.isEmpty())
        return badRequest(error);
    std::optional<QString> metadata;
    const QJsonValue m = body.value(QStringLiteral("metadata"));
    if (m.isString())
        metadata = m.toString();
    else if (m.isObject())
        metadata = QString::fromUtf8(QJsonDocument(m.toObject()).toJson(QJsonDocument::Compact));
    else if (!m.isUndefined() && !m.isNull())
        return badRequest({QStringLiteral("metadata"), tr("expected string or object")});
    if (!m_world->user(userId))
        return http::Response::error(404, tr("unknown user_id '%1'").arg(userId));
    m_world->emitEvent(userId, category, subcategory, metadata);
    return ok();
}

http::Response SandboxServer::setOwner(const QJsonObject &body) {
    tract::Error error;
    const QString userId = requiredString(body, QStringLiteral("user_id"), error);
    const QString receiver = requiredString(body, QStringLiteral("receiver"), error);
    if (!error.message.isEmpty())
        return badRequest(error);
    if (!m_world->user(userId))
        return http::Response::error(404, tr("unknown user_id '%1'").arg(userId));
    if (!m_world->isListener(receiver))
        return badRequest(
            {QStringLiteral("receiver"),
             tr("'%1' is not a listener (iva, sac or %2)").arg(receiver, m_config.clientId)});
    m_world->setOwner(userId, receiver, QStringLiteral("take"), receiver);
    return ok({{QStringLiteral("user_id"), userId}, {QStringLiteral("owner"), receiver}});
}

http::Response SandboxServer::state() {
    QJsonObject s = m_world->stateJson();
    QJsonArray hooks;
    for (const auto &r : m_hooks->registrations()) {
        hooks.append(QJsonObject{{QStringLiteral("category"), r.category},
                                 {QStringLiteral("subcategory"), r.subcategory},
                                 {QStringLiteral("url"), r.url.toString()},
                                 {QStringLiteral("enabled"), r.enabled}});
    }
    s.insert(QStringLiteral("hooks"), hooks);
    s.insert(QStringLiteral("deliveries"), m_hooks->deliveriesJson());
    s.insert(QStringLiteral("client_id"), m_config.clientId);
    s.insert(QStringLiteral("strict_thread_control"), m_config.strictThreadControl);
    if (m_signingCert)
        s.insert(QStringLiteral("tokens_issued"), m_tokensIssued);
    return ok(s);
}

http::Response SandboxServer::reset() {
    m_hooks->reset();
    m_world->reset();
    m_ectReady = false;
    if (m_scenario)
        m_scenario->stop();
    return ok();
}

// Every token issued so far becomes foreign (TRACT rotated its key).
http::Response SandboxServer::revokeTokens() {
    m_jwt.rotate();
    qCInfo(lcSandbox) << "access tokens revoked";
    return ok({{QStringLiteral("revoked"), m_tokensIssued}});
}

http::Response SandboxServer::media(const QByteArray &path) {
    const QString name = QString::fromUtf8(path.mid(int(qstrlen("/sandbox/media/"))));
    if (name.contains(QLatin1Char('/')) || name.startsWith(QLatin1Char('.')))
        return http::Response::error(404, tr("no such media"));
    QFile file(QStringLiteral(":/sandbox/media/") + name);
    if (!file.open(QIODevice::ReadOnly))
        return http::Response::error(404, tr("no such media: %1").arg(name));
    http::Response r;
    r.contentType = name.endsWith(QLatin1String(".svg"))
                        ? QByteArrayLiteral("image/svg+xml")
                        : QByteArrayLiteral("application/octet-stream");
    r.body = file.readAll();
    r.headers.append({QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("max-age=86400")});
    return r;
}

} // namespace sandbox
