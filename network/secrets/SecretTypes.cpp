#include "network/secrets/SecretTypes.h"

namespace secrets {

QString tokenKey(const QString &clientId) {
    return QStringLiteral("token/") + clientId;
}

QString hookPathSecretKey(const QString &clientId) {
    return QStringLiteral("hook-path-secret/") + clientId;
}

QString hookSecretKey(const QString &clientId) {
    return QStringLiteral("hook-secret/") + clientId;
}

QString signingKeyKey(const QString &clientId) {
    return QStringLiteral("signing-key/") + clientId;
}

QString agentTokenKey(const QString &hubAuthority) {
    return QStringLiteral("agent-token/") + hubAuthority;
}

QString SecretResult::statusName(Status status) {
    switch (status) {
    case Status::Ok:
        return QStringLiteral("Ok");
    case Status::NotFound:
        return QStringLiteral("NotFound");
    case Status::NoKeychain:
        return QStringLiteral("NoKeychain");
    case Status::Denied:
        return QStringLiteral("Denied");
    case Status::TimedOut:
        return QStringLiteral("TimedOut");
    case Status::Failed:
        return QStringLiteral("Failed");
    }
    return QString();
}

} // namespace secrets
