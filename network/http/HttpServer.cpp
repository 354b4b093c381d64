#include "network/http/HttpServer.h"

#include "models/common/Logging.h"
#include "network/http/HttpConnection.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace http {

namespace {

// Answers 503 and closes the way HttpConnection closes after a refusal, so the
// request the client already sent does not turn the close into an RST that
// destroys the 503 before the client reads it.
void refuseOverCapacity(QTcpSocket *socket) {
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [socket] {
        if (socket->bytesToWrite() == 0)
            shutdownWrite(socket);
    });
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QObject::connect(socket, &QTcpSocket::errorOccurred, socket, [socket] {
        if (socket->state() == QAbstractSocket::UnconnectedState)
            socket->deleteLater();
    });
    QTimer::singleShot(kLingerMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    socket->write(Response::error(503, QStringLiteral("too many connections")).serialize(true));
}

} // namespace

HttpServer::HttpServer(QObject *parent)
    : QObject(parent) {}

void HttpServer::setLimits(const ServerLimits &limits) {
    m_limits = limits;
    if (m_server)
        m_server->setMaxPendingConnections(m_limits.maxConnections);
}

HttpServer::~HttpServer() {
    // Delete connections while this object is whole: they report closing to it.
    // One whose socket is emitting right now (a handler deleting the server)
    // is cut loose and deleted later: deleting a socket inside its own
    // readyRead crashes in QIODevice.
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *connection : connections) {
        if (connection->inSocketSignal())
            connection->detach();
        else
            delete connection;
    }
}

bool HttpServer::listen(const QHostAddress &address, quint16 port) {
    if (!m_server) {
        m_server = new QTcpServer(this);
        m_server->setMaxPendingConnections(m_limits.maxConnections);
        connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
    }
    return m_server->listen(address, port);
}

void HttpServer::close() {
    if (m_server)
        m_server->close();
}

bool HttpServer::isListening() const {
    return m_server && m_server->isListening();
}
quint16 HttpServer::serverPort() const {
    return m_server ? m_server->serverPort() : 0;
}
QHostAddress HttpServer::serverAddress() const {
    return m_server ? m_server->serverAddress() : QHostAddress();
}
QString HttpServer::errorString() const {
    return m_server ? m_server->errorString() : QString();
}

void HttpServer::onNewConnection() {
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections >= m_limits.maxConnections) {
            refuseOverCapacity(socket);
            continue;
        }
        ++m_connections;
        new HttpConnection(socket, this);
        emit connectionCountChanged(m_connections);
    }
}

void HttpServer::connectionClosed() {
    --m_connections;
    emit connectionCountChanged(m_connections);
}

} // namespace http
