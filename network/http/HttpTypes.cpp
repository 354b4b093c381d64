#include "network/http/HttpTypes.h"

#include <QJsonDocument>

namespace http {

QByteArray RequestHead::header(QByteArrayView lowerCaseName) const {
    for (const auto &h : headers) {
        if (h.first == lowerCaseName)
            return h.second;
    }
    return {};
}

QByteArray RequestHead::mediaType() const {
    QByteArray type = header("content-type");
    const qsizetype semi = type.indexOf(';');
    if (semi >= 0)
        type.truncate(semi);
    return type.trimmed().toLower();
}

Response Response::json(int status, const QJsonObject &object) {
    Response r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

Response Response::error(int status, const QString &message) {
    return json(status, QJsonObject{{QStringLiteral("error"), message}});
}

Response Response::empty(int status) {
    Response r;
    r.status = status;
    r.contentType.clear();
    return r;
}

QByteArray Response::serialize(bool close) const {
    return serialize(close, false, true);
}

QByteArray Response::serialize(bool close, bool keepAlive, bool withBody) const {
    // A 1xx or 204 response ends with its headers; a Content-Length there would
    // make a client wait for a body that never comes (or misread the next response).
    const bool bodyless = (status >= 100 && status < 200) || status == 204;
    QByteArray out;
    out.reserve(128 + (withBody && !bodyless ? body.size() : 0));
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty() && !bodyless)
        out += "Content-Type: " + contentType + "\r\n";
    if (!bodyless)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    if (close)
        out += "Connection: close\r\n";
    else if (keepAlive)
        out += "Connection: keep-alive\r\n";
    for (const auto &h : headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "\r\n";
    if (withBody && !bodyless)
        out += body;
    return out;
}

QByteArray reasonPhrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return status < 300 ? "OK" : status < 400 ? "Redirect" : "Error";
    }
}

} // namespace http
