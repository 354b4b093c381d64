#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace http {

// Header names are stored lower-cased; values as received.
using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Everything known about a request once its headers are in, before the body is
// read: enough to refuse it (wrong method, unknown path) without buffering.
struct RequestHead {
    QByteArray method; // "POST"
    QByteArray path;   // percent-decoded, without the query
    QByteArray query;  // raw, without '?'
    HeaderList headers;
    qint64 contentLength = -1; // -1: not given (chunked or no body)
    QHostAddress peerAddress;

    QByteArray header(QByteArrayView lowerCaseName) const;
    // The media type of Content-Type, lower-cased, without parameters.
    QByteArray mediaType() const;
};

struct Request : RequestHead {
    QByteArray body;
};

struct Response {
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    HeaderList headers; // extra headers

    static Response json(int status, const QJsonObject &object);
    // `{"error": message}`: the shape every error of ours has.
    static Response error(int status, const QString &message);
    static Response empty(int status);

    // Serialized status line, headers and body. `close` adds `Connection: close`.
    // 1xx and 204 carry neither Content-Length nor a body (RFC 9110 8.6).
    QByteArray serialize(bool close) const;
    // As above; without `close`, `keepAlive` adds `Connection: keep-alive`, which
    // an HTTP/1.0 client needs to keep the connection. `withBody` false leaves the
    // body out but keeps its Content-Length: the answer to a HEAD request.
    QByteArray serialize(bool close, bool keepAlive, bool withBody) const;
};

QByteArray reasonPhrase(int status);

} // namespace http
