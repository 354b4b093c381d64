#pragma once

#include "network/auth/Jwt.h"
#include "network/auth/SigningCertificate.h"
#include "network/http/HttpServer.h"
#include "sandbox/HookDispatcher.h"
#include "sandbox/SandboxConfig.h"
#include "sandbox/SandboxWorld.h"

#include <QHash>
#include <QObject>
#include <functional>

namespace sandbox {

class ScenarioPlayer;

// tract-sandbox's HTTP face: the TRACT endpoints (bearer token + client-id),
// the loopback-only control API under /sandbox/, and the demo media.
class SandboxServer : public QObject {
    Q_OBJECT
public:
    explicit SandboxServer(const SandboxConfig &config, QObject *parent = nullptr);
    ~SandboxServer() override;

    // Listens on the configured address; false with errorString() on failure.
    bool start();
    QString errorString() const { return m_error; }
    QString baseUrl() const; // http://HOST:PORT
    quint16 port() const { return m_http.serverPort(); }

    // Plays a scenario (name under resources/scenarios or a file) once the ECT has
    // registered its message hook, so a console that connects late misses nothing.
    tract::Expected<bool> loadScenario(const QString &nameOrFile);

    // With --require-signed-token: the SignatureCertUUID it accepts, and the certificate.
    QString certUuid() const { return m_certUuid; }
    const std::optional<tract::auth::SigningCertificate> &signingCertificate() const {
        return m_signingCert;
    }

    SandboxWorld &world() { return *m_world; }
    HookDispatcher &hooks() { return *m_hooks; }

signals:
    // The ECT registered its message hook (and had a moment for the rest).
    void ectReady();

private:
    using Route = std::function<http::Response(const http::Request &, const QJsonObject &body)>;
    struct RouteEntry {
        QByteArray method;
        Route handler;
        bool tractAuth = true;
        bool jsonBody = true;
        bool signedRequest = false; // authenticated by its Signature, checked with the body
    };
    void addRoute(const QByteArray &method, const QByteArray &path, Route handler,
                  bool tractAuth = true, bool jsonBody = true);
    void installRoutes();
    std::optional<http::Response> checkHead(const http::RequestHead &head) const;
    void handle(const http::Request &request, const http::Responder &responder);
    const RouteEntry *route(const QByteArray &path) const;

    // TRACT endpoints
    http::Response issueToken(const http::Request &request);
    std::optional<http::Response> checkBearer(const http::RequestHead &head) const;
    http::Response registerHook(const QJsonObject &body);
    http::Response listHooks();
    http::Response getUser(const QJsonObject &body, bool detailsEndpoint);
    http::Response sendMessage(const QJsonObject &body);
    http::Response sendEvent(const QJsonObject &body);
    http::Response fetchListeners(const QJsonObject &body);
    http::Response threadControl(const QJsonObject &body);
    // control API
    http::Response createUser(const QJsonObject &body);
    http::Response userMessage(const QJsonObject &body);
    http::Response emitEvent(const QJsonObject &body);
    http::Response setOwner(const QJsonObject &body);
    http::Response state();
    http::Response reset();
    http::Response revokeTokens();
    http::Response media(const QByteArray &path);

    SandboxConfig m_config;
    http::HttpServer m_http;
    HookDispatcher *m_hooks;
    SandboxWorld *m_world;
    ScenarioPlayer *m_scenario = nullptr;
    QHash<QByteArray, RouteEntry> m_routes; // by path without trailing slash
    QString m_error;
    bool m_ectReady = false;
    std::optional<tract::auth::SigningCertificate> m_signingCert;
    QString m_certUuid;
    tract::auth::Hs256Jwt m_jwt;
    int m_tokensIssued = 0;
};

} // namespace sandbox
