#pragma once

#include "app/ConsoleCore.h"
#include "app/ConsoleOptions.h"

#include <QObject>
#include <functional>
#include <memory>

namespace secrets {
class SecretStore;
class ConsoleSecrets;
} // namespace secrets
namespace sandbox {
class SandboxServer;
}
namespace tract {
class TokenKeeper;
namespace auth {
class SigningKey;
}
} // namespace tract

namespace console {

// Turns the command line into a running ConsoleCore: gathers the secrets
// (keychain, environment or the private file), or in demo mode starts the
// built-in sandbox first, then starts the core.
class ConsoleLauncher : public QObject {
    Q_OBJECT
public:
    explicit ConsoleLauncher(const ConsoleOptions &options, QObject *parent = nullptr);
    ~ConsoleLauncher() override;

    // Asynchronous (the keychain is); `started` or `failed` follows.
    void launch();
    ConsoleCore *core() const { return m_core.get(); }
    sandbox::SandboxServer *demoSandbox() const { return m_sandbox.get(); }
    // With --cert-uuid: the keeper of the access token TRACT issued.
    tract::TokenKeeper *tokenKeeper() const { return m_tokens.get(); }

signals:
    void started(console::ConsoleCore *core);
    void failed(const QString &message);
    // Said once when there is no keychain and a fallback is used.
    void notice(const QString &message);

private:
    void loadSigningKey();
    void haveSigningKey(const tract::auth::SigningKey &key);
    void haveToken(const QString &token);
    void haveSecrets(const QString &token, const QString &pathSecret);
    void startCore(ConsoleCore::Settings settings);

    ConsoleOptions m_options;
    std::unique_ptr<secrets::SecretStore> m_secretStore;
    std::unique_ptr<secrets::ConsoleSecrets> m_secrets;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<tract::TokenKeeper> m_tokens; // outlives the core whose client it feeds
    std::unique_ptr<ConsoleCore> m_core;
    bool m_noticeGiven = false;
    bool m_haveFirstToken = false;
    bool m_issueNoticeGiven = false;
};

// --import-signing-key FILE: checks the key and stores it in the keychain for
// --client-id. Prints one line; 0 on success.
int importSigningKey(const ConsoleOptions &options);

} // namespace console
