#pragma once

#include "network/secrets/FileSecretFallback.h"
#include "network/secrets/SecretTypes.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <functional>

namespace secrets {

class SecretStore;

// Where the console gets its secrets from, in one place:
// - the API token: $TRACT_TOKEN if set, else the keychain ("token/<client-id>");
//   never a file, so a machine without keychain passes it in the environment;
// - the hook-path secret: the keychain, or the 0600 file when no keychain is
//   reachable; generated (256 random bits, base64url) the first time.
// Results are delivered to `context` unless it was destroyed first.
class ConsoleSecrets : public QObject {
    Q_OBJECT
public:
    enum class Source { None, Environment, Keychain, File };
    Q_ENUM(Source)

    struct Loaded {
        SecretResult result; // result.value holds the secret when ok()
        Source source = Source::None;
    };
    using Callback = std::function<void(const Loaded &)>;

    ConsoleSecrets(SecretStore *store, const QString &dataDir, QObject *parent = nullptr);

    // Defaults to the process environment; tests pass their own.
    void setEnvironment(const QProcessEnvironment &env) { m_env = env; }

    void loadToken(const QString &clientId, QObject *context, Callback callback);
    void storeToken(const QString &clientId, const QString &token, QObject *context,
                    Callback callback);
    // A team console's agent token for the hub at `hubAuthority` ("host:port"):
    // with `fromEnv`, $TRACT_AGENT_TOKEN, then saved in the keychain so the
    // next start needs no environment (no keychain: said in the message of a
    // successful result, the token is still used); otherwise the keychain.
    void loadAgentToken(const QString &hubAuthority, bool fromEnv, QObject *context,
                        Callback callback);
    void loadHookPathSecret(const QString &clientId, QObject *context, Callback callback);

    const FileSecretFallback &fileFallback() const { return m_file; }
    static QString generateSecret(); // 32 random bytes from the system CSPRNG, base64url

private:
    void deliver(QObject *context, const Callback &callback, Loaded loaded);
    void hookSecretFromFile(const QString &key, QObject *context, const Callback &callback);

    QPointer<SecretStore> m_store;
    FileSecretFallback m_file;
    QProcessEnvironment m_env = QProcessEnvironment::systemEnvironment();
};

} // namespace secrets
