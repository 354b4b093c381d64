#pragma once

#include "network/http/HttpTypes.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>
#include <optional>

class QTcpServer;

namespace http {

class HttpConnection;

// Answers one request, now or later (after a database commit, say). Copies share
// the same request; the first send() wins, later ones are ignored. If the client
// went away meanwhile, send() does nothing. If the last copy is destroyed without
// a send(), the client gets a 500 rather than a connection that hangs for ever.
// Use it in the server's thread only.
class Responder {
public:
    Responder() = default;
    void send(const Response &response) const;
    // The client's connection is still open (not gone, not closing).
    bool isConnected() const;

private:
    friend class HttpConnection;
    struct State {
        ~State();
        QPointer<HttpConnection> connection;
        quint64 sequence = 0;
        bool answered = false;
    };
    explicit Responder(std::shared_ptr<State> state)
        : m_state(std::move(state)) {}
    std::shared_ptr<State> m_state;
};

struct ServerLimits {
    qint64 maxBodyBytes = 1 << 20;  // 413 before any byte beyond is buffered
    int maxHeaderBytes = 16 * 1024; // request line + headers; 431 beyond
    int maxHeaderCount = 100;
    int idleTimeoutMs = 30'000;    // no byte from an idle or stalled client
    int requestTimeoutMs = 30'000; // first byte of a request to its last (slow-loris)
    int maxConnections = 512;      // 503 and close beyond
};

// An HTTP/1.1 server on QTcpServer with Debian's http-parser doing the parsing.
// It exists because Qt 6.4's QHttpServer buffers any body size, ignores
// `Connection: close`, never answers `Expect: 100-continue` and has no idle
// timeout. Requests on one connection are answered in order; pipelined requests
// wait until the previous one is answered.
//
// Lives in the thread it was created in (or moved to); call listen() there.
class HttpServer : public QObject {
    Q_OBJECT
public:
    // Runs when a request's headers are complete. Return a response to refuse
    // the request without reading its body (405, 404, 415, 401...).
    using HeadFilter = std::function<std::optional<Response>(const RequestHead &)>;
    using Handler = std::function<void(const Request &, const Responder &)>;

    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override;

    // Applies to connections accepted afterwards.
    void setLimits(const ServerLimits &limits);
    const ServerLimits &limits() const { return m_limits; }
    void setHeadFilter(HeadFilter filter) { m_headFilter = std::move(filter); }
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    bool listen(const QHostAddress &address, quint16 port);
    void close();
    bool isListening() const;
    quint16 serverPort() const;
    QHostAddress serverAddress() const;
    QString errorString() const;
    // Open connections, including those closing after a refusal.
    int connectionCount() const { return m_connections; }

signals:
    void connectionCountChanged(int count);

private:
    friend class HttpConnection;
    void onNewConnection();
    void connectionClosed();

    QTcpServer *m_server = nullptr;
    ServerLimits m_limits;
    HeadFilter m_headFilter;
    Handler m_handler;
    int m_connections = 0;
};

} // namespace http
