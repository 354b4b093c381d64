#include "network/http/HttpConnection.h"

#include "models/common/Logging.h"

#include <QScopedValueRollback>
#include <QTcpSocket>
#include <http_parser.h>
#include <limits>
#include <sys/socket.h>
#include <utility>

namespace http {

namespace {

HttpConnection *self(http_parser *p) {
    return static_cast<HttpConnection *>(p->data);
}

const http_parser_settings &parserSettings() {
    static const http_parser_settings settings = [] {
        http_parser_settings s;
        http_parser_settings_init(&s);
        s.on_message_begin = [](http_parser *p) {
            return self(p)->onMessageBegin();
        };
        s.on_url = [](http_parser *p, const char *at, size_t n) {
            return self(p)->onUrl(at, n);
        };
        s.on_header_field = [](http_parser *p, const char *at, size_t n) {
            return self(p)->onHeaderField(at, n);
        };
        s.on_header_value = [](http_parser *p, const char *at, size_t n) {
            return self(p)->onHeaderValue(at, n);
        };
        s.on_headers_complete = [](http_parser *p) {
            return self(p)->onHeadersComplete();
        };
        s.on_body = [](http_parser *p, const char *at, size_t n) {
            return self(p)->onBody(at, n);
        };
        s.on_message_complete = [](http_parser *p) {
            return self(p)->onMessageComplete();
        };
        return s;
    }();
    return settings;
}

// While a request waits for its handler, pipelined bytes stay in the socket: a
// bounded read buffer leaves the rest in the kernel (TCP flow control), so a
// client cannot make the server buffer without limit.
constexpr qint64 kReadBufferBytes = 64 * 1024;

} // namespace

void shutdownWrite(QTcpSocket *socket) {
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0)
        ::shutdown(int(fd), SHUT_WR);
}

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server)
    , m_socket(socket)
    , m_server(server)
    , m_parser(std::make_unique<http_parser>()) {
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadBufferBytes);
    http_parser_init(m_parser.get(), HTTP_REQUEST);
    m_parser->data = this;

    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(m_server->limits().idleTimeoutMs);
    connect(&m_idleTimer, &QTimer::timeout, this, &HttpConnection::onIdleTimeout);
    m_requestTimer.setSingleShot(true);
    m_requestTimer.setInterval(m_server->limits().requestTimeoutMs);
    connect(&m_requestTimer, &QTimer::timeout, this, &HttpConnection::onRequestTimeout);

    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcHttp) << "connection error:" << m_socket->errorString();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            deleteLater();
    });
    m_idleTimer.start();
}

HttpConnection::~HttpConnection() {
    if (m_server)
        m_server->connectionClosed();
}

void HttpConnection::detach() {
    m_server = nullptr;
    m_state = State::Closing;
    m_halfClosed = true; // no linger: nothing more is sent
    m_idleTimer.stop();
    m_requestTimer.stop();
    setParent(nullptr);
    m_socket->abort();
    deleteLater();
}

void HttpConnection::onReadyRead() {
    const QScopedValueRollback<bool> inSignal(m_inSocketSignal, true);
    switch (m_state) {
    case State::Closing:
        m_socket->readAll(); // draining after a refusal
        return;
    case State::AwaitingHandler:
        return; // pipelined bytes wait in the (bounded) socket buffer
    case State::Reading:
        m_idleTimer.start();
        feed();
        return;
    }
}

void HttpConnection::onBytesWritten() {
    // Output progressing is not idleness: a slow reader of a large response is
    // not cut, while one that stops reading altogether still is.
    if (m_idleTimer.isActive())
        m_idleTimer.start();
    if (m_state == State::Closing && m_socket->bytesToWrite() == 0)
        halfClose();
}

void HttpConnection::feed() {
    while (m_state == State::Reading) {
        if (m_pending.isEmpty()) {
            m_pending = m_socket->readAll();
            if (m_pending.isEmpty())
                return;
        }
        // The request timer runs from the first byte of a request, blank lines
        // before it included, to its last byte.
        if (!m_inMessage && !m_requestTimer.isActive())
            m_requestTimer.start();
        // Until its headers are complete, a request is fed no more bytes than the
        // header limit allows: the data callbacks do not see every byte
        // (whitespace, line ends), so counting what goes in is the exact measure.
        const bool inHead = !m_headersDone;
        qsizetype chunk = m_pending.size();
        if (inHead) {
            const int maxHeaderBytes = m_server->limits().maxHeaderBytes;
            if (m_headBytesFed >= maxHeaderBytes) {
                refuse(headersTooLarge());
                return;
            }
            chunk = qMin(chunk, qsizetype(maxHeaderBytes - m_headBytesFed));
        }
        const size_t parsed = http_parser_execute(m_parser.get(), &parserSettings(),
                                                  m_pending.constData(), size_t(chunk));
        m_pending.remove(0, qsizetype(parsed));
        if (m_state == State::Closing)
            return; // refused inside a callback; the answer is already written
        const auto err = http_errno(m_parser->http_errno);
        if (inHead && !m_headersDone && err != HPE_PAUSED)
            m_headBytesFed += int(parsed);
        if (err == HPE_PAUSED) {
            // Paused at message complete: hand the request over, then carry on
            // with pipelined data only once it is answered.
            http_parser_pause(m_parser.get(), 0);
            if (!dispatch())
                return; // the handler deleted the server, and with it this connection
            continue;   // answered synchronously: the loop goes on with the next request
        }
        if (err == HPE_HEADER_OVERFLOW) {
            // http-parser's own cap (80 KiB, trailers included) is below ours.
            refuse(headersTooLarge());
            return;
        }
        if (err != HPE_OK || parsed == 0) {
            // parsed == 0 without an error cannot happen with http-parser 2.9;
            // refusing beats spinning for ever if it ever does.
            refuse(
                Response::error(400, QStringLiteral("malformed HTTP request: %1")
                                         .arg(QString::fromLatin1(http_errno_description(err)))));
            return;
        }
    }
}

bool HttpConnection::dispatch() {
    m_state = State::AwaitingHandler;
    m_idleTimer.stop();
    m_requestTimer.stop();
    // The handler gets its own copy: it may keep reading it after answering,
    // when this connection has moved on to the next request (or is gone).
    const Request request = std::exchange(m_request, Request());
    const QPointer<HttpConnection> alive(this);
    {
        auto state = std::make_shared<Responder::State>();
        state->connection = this;
        state->sequence = ++m_sequence;
        const Responder responder(std::move(state));
        // A copy: the handler may replace itself (setHandler) while it runs.
        if (const HttpServer::Handler handler = m_server->m_handler)
            handler(request, responder);
        else
            responder.send(Response::error(404, QStringLiteral("not found")));
    }
    return !alive.isNull();
}

bool HttpConnection::isOpen() const {
    return m_state != State::Closing && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::answer(quint64 sequence, const Response &response) {
    if (m_state != State::AwaitingHandler || sequence != m_sequence)
        return;
    const bool close = !m_keepAlive;
    write(response, close);
    if (close) {
        beginClose();
        return;
    }
    m_state = State::Reading;
    m_idleTimer.start();
    // Asynchronous answers resume parsing here when pipelined bytes wait (in the
    // socket buffer they signal nothing new); synchronous ones return to
    // feed()'s loop and make this call a no-op. With nothing waiting, the next
    // bytes' readyRead resumes it: no posted event per answer at full load.
    if (!m_pending.isEmpty() || m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::feed, Qt::QueuedConnection);
}

int HttpConnection::onMessageBegin() {
    m_request = Request();
    m_url.clear();
    m_field.clear();
    m_value.clear();
    m_lastWasValue = false;
    m_headerBytes = 0;
    m_inMessage = true;
    m_headersDone = false;
    m_isHead = false;
    m_keepAliveHeader = false;
    if (!m_requestTimer.isActive())
        m_requestTimer.start();
    return 0;
}

bool HttpConnection::addHeaderBytes(size_t length) {
    m_headerBytes += int(length);
    if (m_headerBytes > m_server->limits().maxHeaderBytes) {
        refuse(headersTooLarge());
        return false;
    }
    return true;
}

Response HttpConnection::headersTooLarge() const {
    return Response::error(431, QStringLiteral("request headers larger than %1 bytes")
                                    .arg(m_server->limits().maxHeaderBytes));
}

bool HttpConnection::appendHeader() {
    if (m_request.headers.size() >= m_server->limits().maxHeaderCount) {
        refuse(Response::error(
            431,
            QStringLiteral("more than %1 request headers").arg(m_server->limits().maxHeaderCount)));
        return false;
    }
    m_request.headers.append({m_field.toLower(), m_value.trimmed()});
    m_field.clear();
    m_value.clear();
    m_lastWasValue = false;
    return true;
}

int HttpConnection::onUrl(const char *at, size_t length) {
    if (!addHeaderBytes(length))
        return 1;
    m_url.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderField(const char *at, size_t length) {
    if (!addHeaderBytes(length))
        return 1;
    if (m_headersDone)
        return 0; // a chunked body's trailer: not a request header, dropped
    if (m_lastWasValue && !appendHeader())
        return 1;
    m_field.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onHeaderValue(const char *at, size_t length) {
    if (!addHeaderBytes(length))
        return 1;
    if (m_headersDone)
        return 0;
    m_value.append(at, qsizetype(length));
    m_lastWasValue = true;
    return 0;
}

// Any value but 0, 1 and 2 is an error for on_headers_complete: 1 means "no
// body follows" and would make the parser carry on with the next message.
constexpr int kHeadersError = -1;

int HttpConnection::onHeadersComplete() {
    if (!m_field.isEmpty() && !appendHeader())
        return kHeadersError;
    m_headersDone = true;
    if (m_parser->http_major != 1) {
        // http-parser takes "GET /" as HTTP/0.9 and any digits as a version.
        if (m_parser->http_major == 0)
            refuse(Response::error(400,
                                   QStringLiteral("malformed HTTP request: no HTTP/1.x version")));
        else
            refuse(Response::error(505, QStringLiteral("HTTP version not supported")));
        return kHeadersError;
    }
    m_request.method = http_method_str(http_method(m_parser->method));
    m_request.peerAddress = m_socket->peerAddress();
    http_parser_url url;
    http_parser_url_init(&url);
    if (http_parser_parse_url(m_url.constData(), size_t(m_url.size()), 0, &url) != 0) {
        refuse(Response::error(400, QStringLiteral("malformed request target")));
        return kHeadersError;
    }
    if (url.field_set & (1 << UF_PATH)) {
        m_request.path = QByteArray::fromPercentEncoding(
            m_url.mid(url.field_data[UF_PATH].off, url.field_data[UF_PATH].len));
    }
    if (url.field_set & (1 << UF_QUERY))
        m_request.query = m_url.mid(url.field_data[UF_QUERY].off, url.field_data[UF_QUERY].len);
    if (m_parser->flags & F_CONTENTLENGTH) {
        // http-parser accepts lengths up to 2^64 - 1; beyond qint64 they would
        // turn negative and slip past the body limit.
        m_request.contentLength =
            qint64(qMin(m_parser->content_length, uint64_t(std::numeric_limits<qint64>::max())));
    }
    m_keepAlive = http_should_keep_alive(m_parser.get()) != 0;
    m_keepAliveHeader = m_keepAlive && m_parser->http_minor == 0;
    m_isHead = m_parser->method == HTTP_HEAD;

    if (m_server->m_headFilter) {
        if (auto refusal = m_server->m_headFilter(m_request)) {
            refuse(*refusal);
            return kHeadersError;
        }
    }
    const qint64 maxBody = m_server->limits().maxBodyBytes;
    if (m_request.contentLength > maxBody) {
        refuse(Response::error(413, QStringLiteral("body larger than %1 bytes").arg(maxBody)));
        return kHeadersError;
    }
    if (m_request.header("expect").toLower() == "100-continue" && m_parser->http_minor >= 1)
        m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    if (m_request.contentLength > 0)
        m_request.body.reserve(qsizetype(m_request.contentLength));
    return 0;
}

int HttpConnection::onBody(const char *at, size_t length) {
    const qint64 maxBody = m_server->limits().maxBodyBytes;
    if (m_request.body.size() + qint64(length) > maxBody) {
        refuse(Response::error(413, QStringLiteral("body larger than %1 bytes").arg(maxBody)));
        return 1;
    }
    m_request.body.append(at, qsizetype(length));
    return 0;
}

int HttpConnection::onMessageComplete() {
    m_inMessage = false;
    m_headersDone = false;
    m_headBytesFed = 0;
    m_requestTimer.stop();
    http_parser_pause(m_parser.get(), 1);
    return 0;
}

void HttpConnection::refuse(const Response &response) {
    if (m_state == State::Closing)
        return;
    write(response, true);
    beginClose();
}

void HttpConnection::write(const Response &response, bool close) {
    const QByteArray bytes = response.serialize(close, m_keepAliveHeader, !m_isHead);
    // Straight to the kernel when nothing is queued before it. Through
    // QTcpSocket's buffer every answer arms its write notifier and disarms it
    // once flushed, and with the GLib event dispatcher each of those is a
    // poll-set change and a wake-up write: two syscalls per ack, a few percent
    // of the listener's time at full load (docs/benchmarks.md). What the
    // kernel does not take now, and any error, goes the usual way.
    qsizetype sent = 0;
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0 && m_socket->bytesToWrite() == 0) {
        const ssize_t n = ::send(int(fd), bytes.constData(), size_t(bytes.size()),
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0)
            sent = qsizetype(n);
    }
    if (sent < bytes.size())
        m_socket->write(bytes.constData() + sent, bytes.size() - sent);
}

void HttpConnection::beginClose() {
    m_state = State::Closing;
    m_requestTimer.stop();
    m_pending.clear();
    // Until the answer is flushed, the idle timer drops a client that stopped
    // reading; afterwards the linger period bounds the close.
    m_idleTimer.start();
    if (m_socket->bytesToWrite() == 0)
        halfClose();
}

void HttpConnection::halfClose() {
    if (m_halfClosed)
        return;
    m_halfClosed = true;
    m_idleTimer.stop();
    shutdownWrite(m_socket);
    QTimer::singleShot(kLingerMs, this, &HttpConnection::closeNow);
}

void HttpConnection::closeNow() {
    m_idleTimer.stop();
    m_requestTimer.stop();
    m_socket->abort();
    deleteLater();
}

void HttpConnection::onIdleTimeout() {
    switch (m_state) {
    case State::AwaitingHandler:
        return;
    case State::Closing:
        qCDebug(lcHttp) << "dropping a client that does not read its answer";
        closeNow();
        return;
    case State::Reading:
        if (m_inMessage) {
            refuse(Response::error(408, QStringLiteral("request not completed in time")));
            return;
        }
        qCDebug(lcHttp) << "closing idle connection from" << m_socket->peerAddress();
        closeNow();
        return;
    }
}

void HttpConnection::onRequestTimeout() {
    if (m_state != State::Reading)
        return;
    if (m_inMessage)
        refuse(Response::error(408, QStringLiteral("request not completed in time")));
    else
        closeNow(); // only blank lines so far: nothing to answer
}

// --- Responder -------------------------------------------------------------

Responder::State::~State() {
    if (!answered && connection) {
        answered = true;
        connection->answer(
            sequence, Response::error(500, QStringLiteral("request dropped without an answer")));
    }
}

void Responder::send(const Response &response) const {
    if (!m_state || m_state->answered)
        return;
    m_state->answered = true;
    if (m_state->connection)
        m_state->connection->answer(m_state->sequence, response);
}

bool Responder::isConnected() const {
    return m_state && m_state->connection && m_state->connection->isOpen();
}

} // namespace http
