#include "network/auth/Jwt.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QList>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

// Strings name their context, "tract::auth", in full: a tr() helper would be
// filed by lupdate under the enclosing class instead.
namespace tract::auth {

namespace {

constexpr auto kUrl = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray b64url(const QByteArray &data) {
    return data.toBase64(kUrl);
}

std::optional<QByteArray> fromB64url(const QByteArray &text) {
    auto r = QByteArray::fromBase64Encoding(text, kUrl | QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return r.decoded;
}

struct Parts {
    QJsonObject header;
    QJsonObject claims;
    QByteArray signedPart; // "header.payload"
    QByteArray signature;  // decoded
};

Expected<Parts> split(const QByteArray &token) {
    if (token.isEmpty())
        return Error{QString(),
                     QCoreApplication::translate("tract::auth", "the access token is empty")};
    if (token.size() > kMaxJwtBytes)
        return Error{QString(), QCoreApplication::translate(
                                    "tract::auth", "the access token is longer than %1 bytes")
                                    .arg(kMaxJwtBytes)};
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return Error{QString(), QCoreApplication::translate(
                                    "tract::auth",
                                    "the access token is not a JWT (three dot-separated parts)")};
    const auto header = fromB64url(parts.at(0));
    const auto payload = fromB64url(parts.at(1));
    const auto signature = fromB64url(parts.at(2));
    if (!header || !payload || !signature)
        return Error{QString(), QCoreApplication::translate(
                                    "tract::auth",
                                    "the access token is not a JWT (its parts are not base64url)")};
    const QJsonDocument h = QJsonDocument::fromJson(*header);
    const QJsonDocument p = QJsonDocument::fromJson(*payload);
    if (!h.isObject() || !p.isObject())
        return Error{QString(),
                     QCoreApplication::translate(
                         "tract::auth",
                         "the access token is not a JWT (header and claims are not JSON objects)")};
    return Parts{h.object(), p.object(), parts.at(0) + '.' + parts.at(1), *signature};
}

} // namespace

Expected<QJsonObject> jwtClaims(const QByteArray &token) {
    auto parts = split(token);
    if (!parts)
        return parts.error();
    return parts->claims;
}

Hs256Jwt::Hs256Jwt() {
    rotate();
}

void Hs256Jwt::rotate() {
    QByteArray key(32, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(key.data()), int(key.size())) != 1)
        qFatal("tract-sandbox: OpenSSL has no random bytes for the token key");
    m_key = key;
}

QByteArray Hs256Jwt::mac(const QByteArray &data) const {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), m_key.constData(), int(m_key.size()),
              reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), out,
              &length))
        return {};
    return QByteArray(reinterpret_cast<const char *>(out), int(length));
}

QByteArray Hs256Jwt::issue(const QJsonObject &claims) const {
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")}};
    const QByteArray signedPart = b64url(QJsonDocument(header).toJson(QJsonDocument::Compact)) +
                                  '.' +
                                  b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signedPart + '.' + b64url(mac(signedPart));
}

Hs256Jwt::Checked Hs256Jwt::verify(const QByteArray &token, const QDateTime &now) const {
    Checked c;
    auto parts = split(token);
    if (!parts) {
        c.message = parts.error().message;
        return c;
    }
    if (parts->header.value(QStringLiteral("alg")).toString() != QLatin1String("HS256")) {
        c.verdict = Verdict::Foreign;
        c.message = QCoreApplication::translate("tract::auth",
                                                "the access token was not issued by this TRACT");
        return c;
    }
    const QByteArray expected = mac(parts->signedPart);
    if (expected.isEmpty() || parts->signature.size() != expected.size() ||
        CRYPTO_memcmp(expected.constData(), parts->signature.constData(),
                      size_t(expected.size())) != 0) {
        c.verdict = Verdict::Foreign;
        c.message = QCoreApplication::translate("tract::auth",
                                                "the access token was not issued by this TRACT");
        return c;
    }
    c.claims = parts->claims;
    const QJsonValue exp = c.claims.value(QStringLiteral("exp"));
    if (!exp.isDouble()) {
        c.verdict = Verdict::Malformed;
        c.message = QCoreApplication::translate("tract::auth", "the access token has no expiry");
        return c;
    }
    const qint64 expiresAt = exp.toInteger();
    if (now.toSecsSinceEpoch() >= expiresAt) {
        c.verdict = Verdict::Expired;
        c.message =
            QCoreApplication::translate("tract::auth", "the access token expired at %1")
                .arg(QDateTime::fromSecsSinceEpoch(expiresAt, Qt::UTC).toString(Qt::ISODate));
        return c;
    }
    c.verdict = Verdict::Valid;
    return c;
}

} // namespace tract::auth
