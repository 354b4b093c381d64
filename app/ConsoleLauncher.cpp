#include "app/ConsoleLauncher.h"

#include "network/auth/SigningKey.h"
#include "network/client/TokenKeeper.h"
#include "network/client/TractClient.h"
#include "network/secrets/ConsoleSecrets.h"
#include "network/secrets/SecretStore.h"
#include "network/secrets/SecretTypes.h"
#include "sandbox/SandboxServer.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QTextStream>

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
        s.retainDays = qMax(0, m_options.retainDays);
        startCore(s);
        return;
    }

    m_secretStore = std::make_unique<secrets::SecretStore>();
    m_secrets = std::make_unique<secrets::ConsoleSecrets>(m_secretStore.get(),
                                                          m_options.effectiveDataDir());
    if (m_options.issuesToken()) {
        // From the event loop, like every other outcome: a `failed` emitted
        // before the caller's exec() would be lost.
        QMetaObject::invokeMethod(this, &ConsoleLauncher::loadSigningKey, Qt::QueuedConnection);
        return;
    }
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

void ConsoleLauncher::loadSigningKey() {
    if (!m_options.signingKeyFile.isEmpty()) {
        const auto key = tract::auth::SigningKey::fromFile(m_options.signingKeyFile);
        if (!key) {
            emit failed(QStringLiteral("--signing-key: ") + key.error().message);
            return;
        }
        haveSigningKey(key.value());
        return;
    }
    const QString clientId = m_options.clientId;
    m_secretStore->read(secrets::signingKeyKey(clientId))
        ->onResult(this, [this, clientId](const secrets::SecretResult &r) {
            if (r.status == secrets::SecretResult::Status::NotFound) {
                emit failed(tr("no signing key for client id '%1' in the keychain: store one with "
                               "--import-signing-key FILE, or name a 0600 file with --signing-key")
                                .arg(clientId));
                return;
            }
            if (!r.ok()) {
                emit failed(tr("cannot read the signing key from the keychain (%1); name a 0600 "
                               "file with --signing-key instead")
                                .arg(r.message));
                return;
            }
            const auto key = tract::auth::SigningKey::fromPem(r.value.toUtf8());
            if (!key) {
                emit failed(tr("the signing key in the keychain cannot be used: %1")
                                .arg(key.error().message));
                return;
            }
            haveSigningKey(key.value());
        });
}

void ConsoleLauncher::haveSigningKey(const tract::auth::SigningKey &key) {
    m_tokens = std::make_unique<tract::TokenKeeper>(
        m_options.tractUrl, m_options.clientId,
        tract::TokenKeeper::Signing{key, m_options.certUuid, m_options.fqdn});
    connect(m_tokens.get(), &tract::TokenKeeper::tokenIssued, this, [this] {
        if (m_haveFirstToken)
            return; // later ones go to the client directly
        m_haveFirstToken = true;
        haveToken(m_tokens->token());
    });
    connect(m_tokens.get(), &tract::TokenKeeper::issueFailed, this,
            [this](const QString &message, bool permanent, int retryInMs) {
                if (m_haveFirstToken)
                    return; // the keeper logs it and tries again; calls say 401 meanwhile
                if (permanent) {
                    m_tokens->stop();
                    emit failed(tr("TRACT did not issue an access token: %1").arg(message));
                    return;
                }
                if (!m_issueNoticeGiven) {
                    m_issueNoticeGiven = true;
                    //: %2: seconds until the next try
                    emit notice(tr("TRACT did not issue an access token yet (%1); trying again in "
                                   "%2 s and after that")
                                    .arg(message)
                                    .arg(retryInMs / 1000));
                }
            });
    m_tokens->start();
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
                emit notice(m_tokens ? tr("no keychain reachable: the hook path secret is kept in "
                                          "a file only you can read in %1")
                                           .arg(m_options.effectiveDataDir())
                                     : tr("no keychain reachable: the token comes from "
                                          "TRACT_TOKEN and the "
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
    s.retainDays = qMax(0, m_options.retainDays);
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
    if (m_tokens)
        m_tokens->attach(m_core->client()); // renewals, and a new token after a 401
    emit started(m_core.get());
}

int importSigningKey(const ConsoleOptions &options) {
    QTextStream out(stdout), err(stderr);
    const auto pem = tract::auth::SigningKey::readPrivateFile(options.importSigningKey);
    if (!pem) {
        err << "tract-console: --import-signing-key: " << pem.error().message << Qt::endl;
        return 1;
    }
    const auto key = tract::auth::SigningKey::fromPem(pem.value());
    if (!key) {
        err << "tract-console: --import-signing-key: " << options.importSigningKey << ": "
            << key.error().message << Qt::endl;
        return 1;
    }
    secrets::SecretStore store;
    QEventLoop loop;
    secrets::SecretResult result;
    store.write(secrets::signingKeyKey(options.clientId), QString::fromLatin1(pem.value()))
        ->onResult(&loop, [&](const secrets::SecretResult &r) {
            result = r;
            loop.quit();
        });
    loop.exec();
    if (!result.ok()) {
        err << "tract-console: "
            << QCoreApplication::translate(
                   "console", "the signing key was not stored in the keychain (%1); name the "
                              "0600 file with --signing-key instead")
                   .arg(result.message)
            << Qt::endl;
        return 1;
    }
    out << QCoreApplication::translate("console",
                                       "signing key (%1) stored in the keychain for client id '%2'")
               .arg(key->algorithmName(), options.clientId)
        << Qt::endl;
    return 0;
}

} // namespace console
