#include "network/listener/HookSignature.h"

#include "network/listener/HookCatalog.h"

#include <QCoreApplication>
#include <QMessageAuthenticationCode>

namespace tract {

namespace {

QByteArray header(const http::HeaderList &headers, QByteArrayView name) {
    for (const auto &h : headers) {
        if (h.first == name)
            return h.second;
    }
    return {};
}

// "sha1=abc..." -> lower-case hex digest matches?
bool matches(const QByteArray &value, QByteArrayView prefix, const QByteArray &body,
             const QByteArray &secret, QCryptographicHash::Algorithm algorithm) {
    if (!value.startsWith(prefix))
        return false;
    const QByteArray given = value.mid(prefix.size()).trimmed().toLower();
    const QByteArray expected = QMessageAuthenticationCode::hash(body, secret, algorithm).toHex();
    return constantTimeEquals(given, expected);
}

} // namespace

std::optional<QString> verifyHookSignature(const http::HeaderList &headers, const QByteArray &body,
                                           const QByteArray &secret) {
    const QByteArray sha1 = header(headers, "x-hub-signature");
    const QByteArray sha256 = header(headers, "x-hub-signature-256");
    if (sha1.isEmpty() && sha256.isEmpty())
        return QCoreApplication::translate("listener",
                                           "missing X-Hub-Signature or X-Hub-Signature-256 header");
    if (!sha256.isEmpty() && !matches(sha256, "sha256=", body, secret, QCryptographicHash::Sha256))
        return QCoreApplication::translate("listener",
                                           "X-Hub-Signature-256 does not match the body");
    if (!sha1.isEmpty() && !matches(sha1, "sha1=", body, secret, QCryptographicHash::Sha1))
        return QCoreApplication::translate("listener", "X-Hub-Signature does not match the body");
    return std::nullopt;
}

} // namespace tract
