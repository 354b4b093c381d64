#pragma once

#include <QString>

namespace secrets {

// The keychain's service name; keys below are "<kind>/<client-id>".
inline QString serviceName() {
    return QStringLiteral("tract-console");
}
QString tokenKey(const QString &clientId);          // "token/<id>"
QString hookPathSecretKey(const QString &clientId); // "hook-path-secret/<id>"
QString hookSecretKey(const QString &clientId);     // "hook-secret/<id>"
// The ECT's PEM private key for signed token issue: "signing-key/<id>".
QString signingKeyKey(const QString &clientId);
// A team console's agent token for the hub it connects to: "agent-token/<host>:<port>".
QString agentTokenKey(const QString &hubAuthority);

// The outcome of one secret operation. `message` is for a person and never
// contains the secret.
struct SecretResult {
    enum class Status {
        Ok,
        NotFound,   // no such entry (a read or a delete)
        NoKeychain, // no Secret Service / keychain reachable: use the file fallback
        Denied,     // the user or the system refused access
        TimedOut,   // no answer in time (an unlock prompt nobody answers, a hung daemon)
        Failed,     // anything else; `message` says what
    };
    Status status = Status::Failed;
    QString value; // the secret, for a successful read
    QString message;

    bool ok() const { return status == Status::Ok; }
    static QString statusName(Status status); // "NoKeychain": for logs and tests
};

} // namespace secrets
