#pragma once

#include "models/team/TeamTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QStringList>
#include <QTimer>
#include <functional>

class QWebSocket;
class QWebSocketServer;
class QWebSocketCorsAuthenticator;

namespace tract::hub {

class HubDatabase;
class HubServer;

// One console's connection: who it is once it said hello, and its command
// budget (a token bucket, so a runaway client cannot starve the others).
class HubSession : public QObject {
    Q_OBJECT
public:
    HubSession(QWebSocket *socket, HubServer *server);
    ~HubSession() override;

    QString agent() const { return m_agent; }
    team::Role role() const { return m_role; }
    bool isAuthenticated() const { return !m_agent.isEmpty(); }
    // A frame of its own (a result, an error): the events published before it
    // go out first, so it never overtakes them.
    void send(const QJsonObject &frame);
    void sendText(const QString &frame);
    void close(quint16 code, const QString &reason);

private:
    friend class HubServer;
    bool takeCommandToken(int *retryAfterMs);
    void write(const QString &frame); // straight to the socket's buffer

    QWebSocket *m_socket;
    HubServer *m_server;
    QString m_agent;
    team::Role m_role = team::Role::Agent;
    QTimer m_helloTimer;
    double m_tokens;
    QElapsedTimer m_refill;
    int m_refusals = 0;
    bool m_closing = false;
};

// The hub's WebSocket side (docs/hub-protocol.md): the handshake (Origin
// allowlist, TLS), the hello and its token, the replay from the event log,
// frame checks and the rate limit. What commands mean is not its business: it
// hands each one on and sends back what it is given.
class HubServer : public QObject {
    Q_OBJECT
public:
    struct Settings {
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 0;
        QString tlsCertFile; // both set: wss://
        QString tlsKeyFile;
        QStringList allowedOrigins;
    };
    // The state after the newest event, for a console whose resume point is
    // no longer kept; must carry "seq".
    using SnapshotSource = std::function<QJsonObject()>;

    HubServer(const Settings &settings, HubDatabase *db, QObject *parent = nullptr);
    ~HubServer() override;

    bool start(QString *error);
    QString url() const; // ws://HOST:PORT or wss://HOST:PORT
    void setSnapshotSource(SnapshotSource source) { m_snapshot = std::move(source); }
    // Fields the welcome carries beyond the protocol's own (the roster, ...).
    void setWelcomeSource(std::function<QJsonObject()> source) { m_welcome = std::move(source); }
    int connectionCount() const { return int(m_sessions.size()); }
    int connectionsOf(const QString &agent) const;
    static constexpr int kCoalesceMs = 4;
    // Sends what broadcast() gathered, now (before any other frame, a replay or
    // a close, so nothing overtakes an event).
    void flushEvents();

public slots:
    // Live events, in order, to every console that is past its replay. They are
    // gathered for at most kCoalesceMs after the previous send to all, then
    // written to every socket together and flushed: under load each console gets
    // a few frames per system call instead of one, and when the hub is quiet an
    // event goes out on the next pass of the event loop.
    void broadcast(const QStringList &frames);
    void closeAgent(const QString &agent, quint16 code, const QString &reason);
    void closeAll();

signals:
    void commandReceived(tract::hub::HubSession *session, const QJsonObject &command);
    void agentConnected(const QString &agent);    // its first connection
    void agentDisconnected(const QString &agent); // its last connection closed

private:
    void onNewConnection();
    void onOrigin(QWebSocketCorsAuthenticator *authenticator);
    void onText(HubSession *session, const QString &text);
    void onHello(HubSession *session, const QJsonObject &hello);
    void replay(HubSession *session, qint64 resumeFrom);
    void onClosed(HubSession *session);

    Settings m_settings;
    HubDatabase *m_db;
    QWebSocketServer *m_server = nullptr;
    QList<HubSession *> m_sessions;
    QHash<QString, int> m_connections; // authenticated connections per agent
    SnapshotSource m_snapshot;
    std::function<QJsonObject()> m_welcome;
    QStringList m_pending; // published, not yet sent
    QTimer m_flushTimer;
    QElapsedTimer m_sinceFlush;
};

} // namespace tract::hub
