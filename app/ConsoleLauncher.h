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

signals:
    void started(console::ConsoleCore *core);
    void failed(const QString &message);
    // Said once when there is no keychain and a fallback is used.
    void notice(const QString &message);

private:
    void haveToken(const QString &token);
    void haveSecrets(const QString &token, const QString &pathSecret);
    void startCore(ConsoleCore::Settings settings);

    ConsoleOptions m_options;
    std::unique_ptr<secrets::SecretStore> m_secretStore;
    std::unique_ptr<secrets::ConsoleSecrets> m_secrets;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<ConsoleCore> m_core;
    bool m_noticeGiven = false;
};

} // namespace console
