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
    QByteArray method;  // "POST"
    QByteArray path;    // percent-decoded, without the query
    QByteArray query;   // raw, without '?'
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
    QByteArray serialize(bool close) const;
};

QByteArray reasonPhrase(int status);

} // namespace http
