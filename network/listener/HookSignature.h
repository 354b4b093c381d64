#pragma once

#include "network/http/HttpTypes.h"

#include <QByteArray>
#include <QString>
#include <optional>

namespace tract {

// Checks Haptik's webhook signatures: `X-Hub-Signature: sha1=<hex HMAC-SHA1>` and
// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>` of the raw body. At least one
// must be present, and every one present must match.
// Returns nothing when the request is authentic, else why not.
std::optional<QString> verifyHookSignature(const http::HeaderList &headers, const QByteArray &body,
                                           const QByteArray &secret);

} // namespace tract
