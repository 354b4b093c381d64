#include "app/ConsoleLauncher.h"

#include "network/secrets/ConsoleSecrets.h"
#include "network/secrets/SecretStore.h"
#include "network/secrets/SecretTypes.h"
#include "sandbox/SandboxServer.h"

#include <QCoreApplication>
#include <QDir>

namespace console {

ConsoleLauncher::ConsoleLauncher(const ConsoleOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options) {}

ConsoleLauncher::~ConsoleLauncher() = default;

void ConsoleLauncher::launch() {
    if (m_options.demo) {
        // The demo talks to its own sandbox: no account, no keychain, and its
        // data apart from real conversations.
        sandbox::SandboxConfig config;
        config.listenPort = 0;
        config.clientId = m_options.clientId;
        config.token = secrets::ConsoleSecrets::generateSecret();
        config.scenario = QStringLiteral("demo");
        m_sandbox = std::make_unique<sandbox::SandboxServer>(config);
        if (!m_sandbox->start()) {
            emit failed(m_sandbox->errorString());
            return;
        }
        if (auto loaded = m_sandbox->loadScenario(config.scenario); !loaded) {
            emit failed(loaded.error().toString());
            return;
        }
        ConsoleCore::Settings s;
        s.tractUrl = QUrl(m_sandbox->baseUrl());
        s.clientId = config.clientId;
        s.token = config.token;
        s.dataDir = QDir(m_options.effectiveDataDir()).filePath(QStringLiteral("demo"));
        s.pathSecret = secrets::ConsoleSecrets::generateSecret();
        startCore(s);
        return;
    }

    m_secretStore = std::make_unique<secrets::SecretStore>();
    m_secrets = std::make_unique<secrets::ConsoleSecrets>(m_secretStore.get(),
                                                          m_options.effectiveDataDir());
    m_secrets->loadToken(
        m_options.clientId, this, [this](const secrets::ConsoleSecrets::Loaded &loaded) {
            if (!loaded.result.ok()) {
                emit failed(tr("no TRACT token: set TRACT_TOKEN or store one in the keychain (%1)")
                                .arg(loaded.result.message));
                return;
            }
            haveToken(loaded.result.value);
        });
}

void ConsoleLauncher::haveToken(const QString &token) {
    m_secrets->loadHookPathSecret(
        m_options.clientId, this, [this, token](const secrets::ConsoleSecrets::Loaded &loaded) {
            if (!loaded.result.ok()) {
                emit failed(tr("cannot keep the hook path secret: %1").arg(loaded.result.message));
                return;
            }
            if (loaded.source == secrets::ConsoleSecrets::Source::File && !m_noticeGiven) {
                m_noticeGiven = true;
                emit notice(tr("no keychain reachable: the token comes from TRACT_TOKEN and the "
                               "hook path secret is "
                               "kept in a file only you can read in %1")
                                .arg(m_options.effectiveDataDir()));
            }
            haveSecrets(token, loaded.result.value);
        });
}

void ConsoleLauncher::haveSecrets(const QString &token, const QString &pathSecret) {
    ConsoleCore::Settings s;
    s.tractUrl = m_options.tractUrl;
    s.clientId = m_options.clientId;
    s.token = token;
    s.receiverId = m_options.effectiveReceiverId();
    s.listenAddress = m_options.listenAddress;
    s.listenPort = m_options.listenPort;
    s.publicUrl = m_options.publicUrl;
    s.dataDir = m_options.effectiveDataDir();
    s.pathSecret = pathSecret;
    if (m_options.hookSecretFromEnv) {
        s.hookSecret = qgetenv("TRACT_HOOK_SECRET");
        if (s.hookSecret.isEmpty()) {
            emit failed(tr("--hook-secret-from-env: TRACT_HOOK_SECRET is empty or not set"));
            return;
        }
        startCore(s);
        return;
    }
    // A hook secret saved in the settings lives in the keychain; none means
    // hooks are not required to be signed.
    m_secretStore->read(secrets::hookSecretKey(m_options.clientId))
        ->onResult(this, [this, s](const secrets::SecretResult &result) mutable {
            if (result.ok())
                s.hookSecret = result.value.toUtf8();
            startCore(s);
        });
}

void ConsoleLauncher::startCore(ConsoleCore::Settings settings) {
    if (settings.receiverId.isEmpty())
        settings.receiverId = settings.clientId;
    m_core = std::make_unique<ConsoleCore>(settings);
    QString error;
    if (!m_core->start(&error)) {
        emit failed(error);
        return;
    }
    emit started(m_core.get());
}

} // namespace console
