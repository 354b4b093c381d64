#pragma once

#include "models/common/Expected.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace tract::auth {

// POST /tract/management/token/issue/: the signed body.
//     {"client_id":"demo","fqdn":"ect.example.com","timestamp":"2026-12-07T09:30:00Z"}
// The bytes toBody() returns are the bytes signed and the bytes sent.
struct TokenIssueRequest {
    static constexpr qsizetype kMaxBodyBytes = 16 * 1024;
    static constexpr int kMaxFieldLength = 253; // an FQDN's limit; ids are shorter

    QString clientId;
    QString fqdn;
    QDateTime timestamp; // UTC, whole seconds on the wire

    QByteArray toBody() const;
    // Strict, for TRACT's side: a JSON object of three non-empty strings, the
    // timestamp ISO 8601 UTC with `Z` (fractions of a second allowed).
    static Expected<TokenIssueRequest> fromBody(const QByteArray &body);
    static QString formatTimestamp(const QDateTime &time); // "2026-12-07T09:30:00Z"
};

// The answer. TRACT does not document it; we read (and the sandbox sends)
//     {"token":"<JWT>","token_type":"Bearer","expires_in":3600}
// `expires_in` (seconds) is optional, so is the JWT's `exp` claim; the token is
// good until the earlier of the two (docs/authentication.md).
struct IssuedToken {
    static constexpr qsizetype kMaxBodyBytes = 64 * 1024;
    static constexpr qint64 kMaxLifetimeSeconds = 366LL * 24 * 3600;

    QString token;
    std::optional<qint64> expiresIn;    // seconds, from the response
    std::optional<QDateTime> expiresAt; // the JWT's exp claim

    QJsonObject toJson() const;
    // Every missing, mistyped or out-of-range field is an error naming it.
    static Expected<IssuedToken> fromJson(const QByteArray &body);
    // How long, from `now`, the token may be used; nothing when neither the
    // response nor the JWT says. A JWT `exp` that the local clock already
    // passed while `expires_in` says otherwise is clock skew: expires_in wins.
    std::optional<qint64> lifetimeMs(const QDateTime &now) const;
};

} // namespace tract::auth
