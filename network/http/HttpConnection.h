#pragma once

#include "network/http/HttpServer.h"

#include <QObject>
#include <QTimer>
#include <memory>

class QTcpSocket;
struct http_parser;
struct http_parser_settings;

namespace http {

// After a refusal the client may still be sending its body. Closing a socket with
// unread input makes the kernel answer with RST, which can destroy the response
// before the client reads it; so the server half-closes once its output is
// flushed, reads and drops what still arrives, and closes for good after this.
constexpr int kLingerMs = 2000;
// Half-closes: no more output, input still read.
void shutdownWrite(QTcpSocket *socket);

// One client connection: feeds bytes to http-parser, enforces the limits, runs
// the server's filter and handler, and writes responses in order.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    void answer(quint64 sequence, const Response &response);
    // Connected and not closing.
    bool isOpen() const;
    // Inside a signal of its socket (reading): must not be deleted right now.
    bool inSocketSignal() const { return m_inSocketSignal; }
    // For the server's destructor: aborts, forgets the server and deletes
    // itself later.
    void detach();

    // http-parser callbacks (C linkage shims forward here).
    int onMessageBegin();
    int onUrl(const char *at, size_t length);
    int onHeaderField(const char *at, size_t length);
    int onHeaderValue(const char *at, size_t length);
    int onHeadersComplete();
    int onBody(const char *at, size_t length);
    int onMessageComplete();

private:
    enum class State { Reading, AwaitingHandler, Closing };

    void onReadyRead();
    void onBytesWritten();
    void feed();
    bool dispatch(); // false: this connection was deleted meanwhile
    bool addHeaderBytes(size_t length);
    Response headersTooLarge() const;
    bool appendHeader();
    void refuse(const Response &response); // answer now and close, body unread
    void write(const Response &response, bool close);
    void beginClose();
    void halfClose();
    void closeNow();
    void onIdleTimeout();
    void onRequestTimeout();

    QTcpSocket *m_socket;
    HttpServer *m_server; // null once detached
    std::unique_ptr<http_parser> m_parser;
    QByteArray m_pending; // received, not yet fed to the parser
    State m_state = State::Reading;

    Request m_request;
    QByteArray m_url;
    QByteArray m_field;
    QByteArray m_value;
    bool m_lastWasValue = false;
    int m_headerBytes = 0;  // URL, names and values, trailers included
    int m_headBytesFed = 0; // every byte fed before the headers completed
    bool m_inMessage = false;
    bool m_headersDone = false;
    bool m_keepAlive = true;
    bool m_keepAliveHeader = false; // HTTP/1.0 keep-alive: say so in the response
    bool m_isHead = false;
    bool m_halfClosed = false;
    bool m_inSocketSignal = false;
    quint64 m_sequence = 0;

    QTimer m_idleTimer;
    QTimer m_requestTimer;
};

} // namespace http
