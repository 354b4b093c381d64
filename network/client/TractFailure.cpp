#include "network/client/TractFailure.h"

namespace tract {

QString TractFailure::kindName(Kind kind) {
    switch (kind) {
    case Kind::Network:
        return QStringLiteral("Network");
    case Kind::Timeout:
        return QStringLiteral("Timeout");
    case Kind::Http4xx:
        return QStringLiteral("Http4xx");
    case Kind::Http5xx:
        return QStringLiteral("Http5xx");
    case Kind::RateLimited:
        return QStringLiteral("RateLimited");
    case Kind::BadResponse:
        return QStringLiteral("BadResponse");
    case Kind::Refused:
        return QStringLiteral("Refused");
    }
    return QString();
}

} // namespace tract
