#include "network/http/HttpServer.h"

#include "models/common/Logging.h"
#include "network/http/HttpConnection.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace http {

HttpServer::HttpServer(QObject *parent) : QObject(parent) {}

HttpServer::~HttpServer()
{
    // Delete connections while this object is whole: they report closing to it.
    qDeleteAll(findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly));
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server) {
        m_server = new QTcpServer(this);
        m_server->setMaxPendingConnections(m_limits.maxConnections);
        connect(m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
    }
    return m_server->listen(address, port);
}

void HttpServer::close()
{
    if (m_server)
        m_server->close();
}

bool HttpServer::isListening() const { return m_server && m_server->isListening(); }
quint16 HttpServer::serverPort() const { return m_server ? m_server->serverPort() : 0; }
QHostAddress HttpServer::serverAddress() const { return m_server ? m_server->serverAddress() : QHostAddress(); }
QString HttpServer::errorString() const { return m_server ? m_server->errorString() : QString(); }

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_connections >= m_limits.maxConnections) {
            socket->write(Response::error(503, QStringLiteral("too many connections")).serialize(true));
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        ++m_connections;
        new HttpConnection(socket, this);
        emit connectionCountChanged(m_connections);
    }
}

void HttpServer::connectionClosed()
{
    --m_connections;
    emit connectionCountChanged(m_connections);
}

} // namespace http
