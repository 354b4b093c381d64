#include "network/http/HttpConnection.h"

#include "models/common/Logging.h"

#include <QTcpSocket>

#include <http_parser.h>
#include <sys/socket.h>

namespace http {

namespace {

HttpConnection *self(http_parser *p) { return static_cast<HttpConnection *>(p->data); }

const http_parser_settings &parserSettings()
{
    static const http_parser_settings settings = [] {
        http_parser_settings s;
        http_parser_settings_init(&s);
        s.on_message_begin = [](http_parser *p) { return self(p)->onMessageBegin(); };
        s.on_url = [](http_parser *p, const char *at, size_t n) { return self(p)->onUrl(at, n); };
        s.on_header_field = [](http_parser *p, const char *at, size_t n) {
            return self(p)->onHeaderField(at, n);
        };
        s.on_header_value = [](http_parser *p, const char *at, size_t n) {
            return self(p)->onHeaderValue(at, n);
        };
        s.on_headers_complete = [](http_parser *p) { return self(p)->onHeadersComplete(); };
        s.on_body = [](http_parser *p, const char *at, size_t n) { return self(p)->onBody(at, n); };
        s.on_message_complete = [](http_parser *p) { return self(p)->onMessageComplete(); };
        return s;
    }();
    return settings;
}

// After a refusal the client may still be sending its body; keep reading (and
// dropping) it for a moment so the kernel does not answer with RST and destroy
// the response before the client reads it.
constexpr int kLingerMs = 2000;

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(std::make_unique<http_parser>())
{
    m_socket->setParent(this);
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;

    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_server->limits().idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, &HttpConnection::onIdleTimeout);
    m_requestTimer.setSingleShot(true);
    m_requestTimer.setInterval(m_server->limits().requestTimeoutMs);
    connect(&m_requestTimer, &QTimer::timeout, this, &HttpConnection::onRequestTimeout);

    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "connection error:" << m_socket->errorString();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    });
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_state == State::Closing && m_socket->bytesToWrite() == 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    });
    m_idleTimer.start();
}

HttpConnection::~HttpConnection() { m_server->connectionClosed(); }

void HttpConnection::onReadyRead()
{
    if (m_state == State::Closing) {
        m_socket->readAll(); // draining after a refusal
        return;
    }
    m_pending += m_socket->readAll();
    if (m_state == State::Reading) {
        m_idleTimer.start();
        feed();
    }
}

void HttpConnection::feed()
{
    while (m_state == State::Reading && !m_pending.isEmpty()) {
        const size_t parsed = http_parser_execute(m_parser.get(), &parserSettings(),
                                                  m_pending.constData(), size_t(m_pending.size()));
        m_pending.remove(0, qsizetype(parsed));
        const auto err = http_errno(m_parser->http_errno);
        if (m_state == State::Closing)
            return; // refused inside a callback; the answer is already written
        if (err == HPE_PAUSED) {
            http_parser_pause(m_parser.get(), 0);
            // Paused at message complete: hand the request over, then carry on
            // with pipelined data only once it is answered.
            m_state = State::AwaitingHandler;
            m_idleTimer.stop();
            const auto state = std::make_shared<Responder::State>();
            state->connection = this;
            state->sequence = ++m_sequence;
            const Responder responder(state);
            if (m_server->m_handler)
                m_server->m_handler(m_request, responder);
            else
                responder.send(Response::error(404, QStringLiteral("not found")));
            continue; // answered synchronously: the loop goes on with the next request
        }
        if (err != HPE_OK) {
            refuse(Response::error(400, QStringLiteral("malformed HTTP request: %1")
                                            .arg(QString::fromLatin1(http_errno_description(err)))));
            return;
        }
    }
}

void HttpConnection::answer(quint64 sequence, const Response &response)
{
    if (m_state != State::AwaitingHandler || sequence != m_sequence)
        return;
    const bool close = !m_keepAlive;
    write(response, close);
    if (close) {
        beginClose();
        return;
    }
    m_state = State::Reading;
    m_request = Request();
    m_idleTimer.start();
    // Asynchronous answers resume parsing here; synchronous ones return to feed().
    QMetaObject::invokeMethod(this, &HttpConnection::feed, Qt::QueuedConnection);
}

int HttpConnection::onMessageBegin()
{
    m_request = Request();
    m_url.clear();
    m_field.clear();
    m_value.clear();
    m_lastWasValue = false;
    m_headerBytes = 0;
    m_inMessage = true;
    m_requestTimer.start();
    return 0;
}

bool HttpConnection::addHeaderBytes(size_t length)
{
    m_headerBytes += int(length);
    if (m_headerBytes > m_server->limits().maxHeaderBytes) {
        refuse(Response::error(431, QStringLiteral("request headers larger than %1 bytes")
                                        .arg(m_server->limits().maxHeaderBytes)));
        return false;
    }
    return true;
}

int HttpConnection::onUrl(const char *at, size_t length)
{
    if (!addHeaderBytes(length))
        return 1;
    m_url.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderField(const char *at, size_t length)
{
    if (!addHeaderBytes(length))
        return 1;
    if (m_lastWasValue) {
        if (m_request.headers.size() >= m_server->limits().maxHeaderCount) {
            refuse(Response::error(431, QStringLiteral("more than %1 request headers")
                                            .arg(m_server->limits().maxHeaderCount)));
            return 1;
        }
        m_request.headers.append({m_field.toLower(), m_value.trimmed()});
        m_field.clear();
        m_value.clear();
        m_lastWasValue = false;
    }
    m_field.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderValue(const char *at, size_t length)
{
    if (!addHeaderBytes(length))
        return 1;
    m_value.append(at, qsizetype(length));
    m_lastWasValue = true;
    return 0;
}

int HttpConnection::onHeadersComplete()
{
    if (!m_field.isEmpty())
        m_request.headers.append({m_field.toLower(), m_value.trimmed()});
    m_request.method = http_method_str(http_method(m_parser->method));
    m_request.peerAddress = m_socket->peerAddress();
    http_parser_url url;
    http_parser_url_init(&url);
    if (http_parser_parse_url(m_url.constData(), size_t(m_url.size()), 0, &url) != 0) {
        refuse(Response::error(400, QStringLiteral("malformed request target")));
        return 1;
    }
    if (url.field_set & (1 << UF_PATH)) {
        m_request.path = QByteArray::fromPercentEncoding(
            m_url.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len));
    }
    if (url.field_set & (1 << UF_QUERY))
        m_request.query = m_url.mid(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len);
    if (m_parser->flags & F_CONTENTLENGTH)
        m_request.contentLength = qint64(m_parser->content_length);
    m_keepAlive = http_should_keep_alive(m_parser.get()) != 0;

    if (m_server->m_headFilter) {
        if (auto refusal = m_server->m_headFilter(m_request)) {
            refuse(*refusal);
            return 1;
        }
    }
    const qint64 maxBody = m_server->limits().maxBodyBytes;
    if (m_request.contentLength > maxBody) {
        refuse(Response::error(413, QStringLiteral("body larger than %1 bytes").arg(maxBody)));
        return 1;
    }
    if (m_request.header("expect").toLower() == "100-continue" && m_parser->http_major == 1
        && m_parser->http_minor >= 1) {
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    if (m_request.contentLength > 0)
        m_request.body.reserve(qsizetype(m_request.contentLength));
    return 0;
}

int HttpConnection::onBody(const char *at, size_t length)
{
    const qint64 maxBody = m_server->limits().maxBodyBytes;
    if (m_request.body.size() + qint64(length) > maxBody) {
        refuse(Response::error(413, QStringLiteral("body larger than %1 bytes").arg(maxBody)));
        return 1;
    }
    m_request.body.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onMessageComplete()
{
    m_inMessage = false;
    m_requestTimer.stop();
    http_parser_pause(m_parser.get(), 1);
    return 0;
}

void HttpConnection::refuse(const Response &response)
{
    if (m_state == State::Closing)
        return;
    write(response, true);
    beginClose();
}

void HttpConnection::write(const Response &response, bool close)
{
    m_socket->write(response.serialize(close));
}

void HttpConnection::beginClose()
{
    m_state = State::Closing;
    m_idleTimer.stop();
    m_requestTimer.stop();
    m_pending.clear();
    if (m_socket->bytesToWrite() == 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    QTimer::singleShot(kLingerMs, this, [this] { m_socket->abort(); deleteLater(); });
}

void HttpConnection::onIdleTimeout()
{
    if (m_state != State::Reading)
        return;
    if (m_inMessage) {
        refuse(Response::error(408, QStringLiteral("request not completed in time")));
        return;
    }
    qCDebug(lcHttp) << "closing idle connection from" << m_socket->peerAddress();
    m_socket->abort();
    deleteLater();
}

void HttpConnection::onRequestTimeout()
{
    if (m_state == State::Reading && m_inMessage)
        refuse(Response::error(408, QStringLiteral("request not completed in time")));
}

// --- Responder -------------------------------------------------------------

void Responder::send(const Response &response) const
{
    if (!m_state || m_state->answered)
        return;
    m_state->answered = true;
    if (m_state->connection)
        m_state->connection->answer(m_state->sequence, response);
}

bool Responder::isConnected() const { return m_state && m_state->connection; }

} // namespace http
