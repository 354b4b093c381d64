#pragma once

#include "network/http/HttpServer.h"

#include <QObject>
#include <QTimer>

#include <memory>

class QTcpSocket;
struct http_parser;
struct http_parser_settings;

namespace http {

// One client connection: feeds bytes to http-parser, enforces the limits, runs
// the server's filter and handler, and writes responses in order.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    void answer(quint64 sequence, const Response &response);

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
    void feed();
    bool addHeaderBytes(size_t length);
    void refuse(const Response &response); // answer now and close, body unread
    void write(const Response &response, bool close);
    void beginClose();
    void onIdleTimeout();
    void onRequestTimeout();

    QTcpSocket *m_socket;
    HttpServer *m_server;
    std::unique_ptr<http_parser> m_parser;
    QByteArray m_pending; // received, not yet fed to the parser
    State m_state = State::Reading;

    Request m_request;
    QByteArray m_url;
    QByteArray m_field;
    QByteArray m_value;
    bool m_lastWasValue = false;
    int m_headerBytes = 0;
    bool m_inMessage = false;
    bool m_refused = false;
    bool m_keepAlive = true;
    quint64 m_sequence = 0;

    QTimer m_idleTimer;
    QTimer m_requestTimer;
};

} // namespace http
