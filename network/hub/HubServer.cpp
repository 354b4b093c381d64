#include "network/hub/HubServer.h"

#include "models/common/Logging.h"
#include "network/hub/HubDatabase.h"
#include "network/hub/HubProtocol.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSslCertificate>
#include <QSslKey>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>
#include <algorithm>
#include <cmath>
#include <utility>

#ifdef Q_OS_UNIX
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

namespace tract::hub {

namespace {
QJsonObject errorFrame(const QString &message) {
    return {{QStringLiteral("type"), QStringLiteral("error")}, {QStringLiteral("error"), message}};
}
constexpr int kReplayPage = 1000;
} // namespace

HubSession::HubSession(QWebSocket *socket, HubServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_tokens(protocol::kCommandBurst) {
    m_socket->setParent(this);
    m_helloTimer.setSingleShot(true);
    m_helloTimer.setInterval(protocol::kHelloTimeoutMs);
    m_refill.start();
}

HubSession::~HubSession() = default;

void HubSession::send(const QJsonObject &frame) {
    sendText(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void HubSession::sendText(const QString &frame) {
    m_server->flushEvents();
    write(frame);
}

void HubSession::write(const QString &frame) {
    if (!m_closing)
        m_socket->sendTextMessage(frame);
}

void HubSession::close(quint16 code, const QString &reason) {
    if (m_closing)
        return;
    m_server->flushEvents(); // the events before the close still reach it
    m_closing = true;
    m_socket->close(static_cast<QWebSocketProtocol::CloseCode>(code), reason);
}

bool HubSession::takeCommandToken(int *retryAfterMs) {
    const double elapsed = m_refill.restart() / 1000.0;
    m_tokens = std::min(protocol::kCommandBurst, m_tokens + elapsed * protocol::kCommandsPerSecond);
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return true;
    }
    *retryAfterMs = int(std::ceil((1.0 - m_tokens) / protocol::kCommandsPerSecond * 1000.0));
    return false;
}

HubServer::HubServer(const Settings &settings, HubDatabase *db, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_db(db) {
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_flushTimer, &QTimer::timeout, this, &HubServer::flushEvents);
}

HubServer::~HubServer() {
    closeAll();
}

bool HubServer::start(QString *error) {
    const bool secure = !m_settings.tlsCertFile.isEmpty() || !m_settings.tlsKeyFile.isEmpty();
    m_server = new QWebSocketServer(
        QStringLiteral("tract-console hub"),
        secure ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this);
    if (secure) {
        if (m_settings.tlsCertFile.isEmpty() || m_settings.tlsKeyFile.isEmpty()) {
            *error = tr("--hub-tls-cert and --hub-tls-key go together");
            return false;
        }
        QFile certFile(m_settings.tlsCertFile), keyFile(m_settings.tlsKeyFile);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
            *error = tr("cannot read %1")
                         .arg(certFile.isOpen() ? keyFile.fileName() : certFile.fileName());
            return false;
        }
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll());
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Rsa);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec);
        if (chain.isEmpty() || key.isNull()) {
            *error = chain.isEmpty() ? tr("%1 holds no PEM certificate").arg(certFile.fileName())
                                     : tr("%1 holds no PEM private key (RSA or EC, unencrypted)")
                                           .arg(keyFile.fileName());
            return false;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(chain);
        tls.setPrivateKey(key);
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // consoles authenticate by token
        m_server->setSslConfiguration(tls);
    }
    m_server->setHandshakeTimeout(protocol::kHelloTimeoutMs);
    connect(m_server, &QWebSocketServer::newConnection, this, &HubServer::onNewConnection);
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this, &HubServer::onOrigin);
    if (!m_server->listen(m_settings.address, m_settings.port)) {
        *error = tr("the hub cannot listen on %1:%2: %3")
                     .arg(m_settings.address.toString())
                     .arg(m_settings.port)
                     .arg(m_server->errorString());
        return false;
    }
#ifdef Q_OS_UNIX
    // Events are small frames a few milliseconds apart: with Nagle's algorithm
    // each would wait for the console's delayed ACK of the one before (up to
    // 40 ms). QWebSocket does not expose its TCP socket, but the connections a
    // listening socket accepts inherit TCP_NODELAY from it.
    const int noDelay = 1;
    if (::setsockopt(int(m_server->socketDescriptor()), IPPROTO_TCP, TCP_NODELAY, &noDelay,
                     sizeof noDelay) != 0)
        qCWarning(lcHub) << "cannot set TCP_NODELAY on the hub's socket";
#endif
    return true;
}

QString HubServer::url() const {
    const QHostAddress a = m_server->serverAddress();
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + a.toString() + QLatin1Char(']')
                             : a.toString();
    return QStringLiteral("%1://%2:%3")
        .arg(m_server->secureMode() == QWebSocketServer::SecureMode ? QStringLiteral("wss")
                                                                    : QStringLiteral("ws"),
             host)
        .arg(m_server->serverPort());
}

int HubServer::connectionsOf(const QString &agent) const {
    return m_connections.value(agent);
}

void HubServer::onOrigin(QWebSocketCorsAuthenticator *authenticator) {
    // Browsers always send Origin; native consoles never do. So an Origin that
    // is present must be one the operator allowed, or any web page could drive
    // the hub with a token it phished.
    const QString origin = authenticator->origin();
    const bool allowed = origin.isEmpty() || m_settings.allowedOrigins.contains(origin);
    if (!allowed)
        qCInfo(lcHub) << "refused a connection from origin" << origin;
    authenticator->setAllowed(allowed);
}

void HubServer::onNewConnection() {
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        socket->setMaxAllowedIncomingFrameSize(quint64(protocol::kMaxFrameBytes));
        socket->setMaxAllowedIncomingMessageSize(quint64(protocol::kMaxFrameBytes));
        auto *session = new HubSession(socket, this);
        m_sessions.append(session);
        connect(&session->m_helloTimer, &QTimer::timeout, session, [session] {
            session->close(protocol::NotAuthenticated, tr("no hello within 5 s"));
        });
        session->m_helloTimer.start();
        connect(socket, &QWebSocket::textMessageReceived, this,
                [this, session](const QString &text) { onText(session, text); });
        connect(socket, &QWebSocket::binaryMessageReceived, session, [session] {
            session->close(QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                           tr("only text frames"));
        });
        connect(socket, &QWebSocket::disconnected, this, [this, session] { onClosed(session); });
    }
}

void HubServer::onText(HubSession *session, const QString &text) {
    if (session->m_closing)
        return;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (!session->isAuthenticated()) {
        // Nothing but a hello is read from a stranger, and it is told nothing.
        if (doc.isObject() && doc.object().value(QLatin1String("type")) == QLatin1String("hello"))
            onHello(session, doc.object());
        else
            session->close(protocol::NotAuthenticated, tr("say hello first"));
        return;
    }
    if (parseError.error != QJsonParseError::NoError) {
        session->send(errorFrame(tr("the frame is not JSON: %1 at offset %2")
                                     .arg(parseError.errorString())
                                     .arg(parseError.offset)));
        return;
    }
    if (!doc.isObject()) {
        session->send(errorFrame(tr("a frame must be a JSON object")));
        return;
    }
    const QJsonObject frame = doc.object();
    const QJsonValue type = frame.value(QLatin1String("type"));
    if (type == QLatin1String("hello")) {
        session->send(errorFrame(tr("hello was said already")));
        return;
    }
    if (type != QLatin1String("command")) {
        session->send(errorFrame(type.isString()
                                     ? tr("unknown frame type \"%1\"").arg(type.toString())
                                     : tr("type is missing or not a string")));
        return;
    }
    const QJsonValue id = frame.value(QLatin1String("id"));
    if (!id.isString() || id.toString().isEmpty() ||
        id.toString().size() > protocol::kMaxCommandIdLength) {
        session->send(errorFrame(tr("a command needs an id: a string of 1 to 128 characters")));
        return;
    }
    int retryAfterMs = 0;
    if (!session->takeCommandToken(&retryAfterMs)) {
        if (++session->m_refusals > protocol::kFloodRefusals) {
            session->close(QWebSocketProtocol::CloseCodePolicyViolated, tr("too many commands"));
            return;
        }
        QJsonObject refused =
            protocol::result(id.toString(), false,
                             tr("too many commands: at most 20 a second; send it again later"));
        refused.insert(QStringLiteral("retry_after_ms"), retryAfterMs);
        session->send(refused);
        return;
    }
    emit commandReceived(session, frame);
}

void HubServer::onHello(HubSession *session, const QJsonObject &hello) {
    const QJsonValue resume = hello.value(QLatin1String("resume_from"));
    const auto agent = m_db->agentForToken(hello.value(QLatin1String("token")).toString());
    if (!agent || (!resume.isUndefined() && (!resume.isDouble() || resume.toDouble() < 0))) {
        session->close(protocol::NotAuthenticated, tr("not authenticated"));
        return;
    }
    session->m_helloTimer.stop();
    // What was published but not sent yet is in the log the replay reads: the
    // others get it first, and this console once, from the replay.
    flushEvents();
    session->m_agent = agent->name;
    session->m_role = agent->role;
    const qint64 last = m_db->lastSeq();
    QJsonObject welcome = m_welcome ? m_welcome() : QJsonObject();
    welcome.insert(QStringLiteral("type"), QStringLiteral("welcome"));
    welcome.insert(QStringLiteral("agent"), agent->name);
    welcome.insert(QStringLiteral("role"), team::roleName(agent->role));
    welcome.insert(QStringLiteral("capacity"), agent->capacity);
    welcome.insert(QStringLiteral("seq"), last);
    welcome.insert(QStringLiteral("keeps_from"), m_db->firstSeq());
    session->send(welcome);
    qCInfo(lcHub) << "console connected:" << agent->name;
    replay(session, resume.isDouble() ? resume.toInteger() : 0);
    if (m_connections[agent->name]++ == 0)
        emit agentConnected(agent->name);
}

void HubServer::replay(HubSession *session, qint64 resumeFrom) {
    qint64 from = resumeFrom;
    const qint64 last = m_db->lastSeq();
    if (resumeFrom > last || resumeFrom < m_db->firstSeq() - 1) {
        if (m_snapshot) {
            QJsonObject snapshot = m_snapshot();
            snapshot.insert(QStringLiteral("type"), QStringLiteral("snapshot"));
            from = snapshot.value(QLatin1String("seq")).toInteger();
            session->send(snapshot);
        }
    }
    // The event loop does not run during the replay, so nothing published
    // meanwhile can slip in between: live events follow in order.
    while (from < last) {
        const QStringList page = m_db->eventTextsAfter(from, kReplayPage);
        if (page.isEmpty())
            break;
        for (const QString &frame : page)
            session->write(frame);
        from += page.size();
    }
}

void HubServer::broadcast(const QStringList &frames) {
    if (frames.isEmpty())
        return;
    m_pending += frames;
    if (m_flushTimer.isActive())
        return;
    const qint64 since = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : qint64(kCoalesceMs);
    m_flushTimer.start(int(std::clamp<qint64>(kCoalesceMs - since, 0, kCoalesceMs)));
}

void HubServer::flushEvents() {
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    const QStringList frames = std::exchange(m_pending, QStringList());
    m_sinceFlush.start();
    // A copy: a write that fails closes its socket at once, which removes the
    // session from m_sessions (it is deleted later, not now).
    const QList<HubSession *> sessions = m_sessions;
    for (HubSession *session : sessions) {
        if (!session->isAuthenticated() || session->m_closing)
            continue;
        for (const QString &frame : frames)
            session->write(frame);
        session->m_socket->flush(); // one system call for the lot, now
    }
}

void HubServer::closeAgent(const QString &agent, quint16 code, const QString &reason) {
    flushEvents(); // what it was sent before, it still gets
    for (HubSession *session : std::as_const(m_sessions))
        if (session->agent() == agent)
            session->close(code, reason);
}

void HubServer::closeAll() {
    flushEvents();
    for (HubSession *session : std::as_const(m_sessions))
        session->close(QWebSocketProtocol::CloseCodeGoingAway, tr("the hub is shutting down"));
}

void HubServer::onClosed(HubSession *session) {
    m_sessions.removeOne(session);
    session->m_closing = true;
    const QString agent = session->agent();
    session->deleteLater();
    if (agent.isEmpty())
        return;
    qCInfo(lcHub) << "console disconnected:" << agent;
    if (--m_connections[agent] <= 0) {
        m_connections.remove(agent);
        emit agentDisconnected(agent);
    }
}

} // namespace tract::hub
