#pragma once

#include "models/common/Expected.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace tract::auth {

// Largest access token either side handles (a header value, kept in memory).
constexpr qsizetype kMaxJwtBytes = 8 * 1024;

// The claims of a JWT (header.payload.signature, base64url), read without
// checking the signature: the console cannot, the key is TRACT's. An error
// unless it has that shape and both header and payload are JSON objects.
Expected<QJsonObject> jwtClaims(const QByteArray &token);

// HS256 JWTs (HMAC-SHA256 by OpenSSL) under a random 256-bit key: how
// tract-sandbox issues and checks access tokens. A new key (rotate()) makes
// every token issued before it foreign.
class Hs256Jwt {
public:
    Hs256Jwt(); // a fresh random key
    void rotate();

    QByteArray issue(const QJsonObject &claims) const;

    enum class Verdict { Valid, Malformed, Foreign, Expired };
    struct Checked {
        Verdict verdict = Verdict::Malformed;
        QJsonObject claims; // for Valid and Expired
        QString message;    // for a person: why not Valid
    };
    // Valid needs this key's signature, alg HS256 and a numeric `exp` after `now`.
    Checked verify(const QByteArray &token, const QDateTime &now) const;

private:
    QByteArray mac(const QByteArray &data) const;
    QByteArray m_key;
};

} // namespace tract::auth
