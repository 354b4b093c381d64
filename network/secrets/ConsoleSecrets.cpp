#include "network/secrets/ConsoleSecrets.h"

#include "models/common/Logging.h"
#include "network/secrets/SecretStore.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <array>

namespace secrets {

namespace {

using Status = SecretResult::Status;

ConsoleSecrets::Loaded loaded(SecretResult result, ConsoleSecrets::Source source) {
    const ConsoleSecrets::Source actual = result.ok() ? source : ConsoleSecrets::Source::None;
    return {std::move(result), actual};
}

} // namespace

ConsoleSecrets::ConsoleSecrets(SecretStore *store, const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_file(dataDir) {}

QString ConsoleSecrets::generateSecret() {
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words.data()), int(sizeof(words)))
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

void ConsoleSecrets::deliver(QObject *context, const Callback &callback, Loaded l) {
    // Always from the event loop, so callers see one order whatever the source.
    QMetaObject::invokeMethod(
        context ? context : this, [callback, l] { callback(l); }, Qt::QueuedConnection);
}

void ConsoleSecrets::loadToken(const QString &clientId, QObject *context, Callback callback) {
    const QString fromEnv = m_env.value(QStringLiteral("TRACT_TOKEN"));
    if (!fromEnv.isEmpty()) {
        SecretResult r;
        r.status = Status::Ok;
        r.value = fromEnv;
        deliver(context, callback, {r, Source::Environment});
        return;
    }
    if (!m_store)
        return;
    m_store->read(tokenKey(clientId))
        ->onResult(context ? context : this, [callback, clientId](const SecretResult &result) {
            SecretResult r = result;
            if (r.status == Status::NotFound)
                r.message = tr("No token is stored for client id '%1'. Enter it in the "
                               "connection settings or set TRACT_TOKEN.")
                                .arg(clientId);
            else if (r.status == Status::NoKeychain)
                r.message += QLatin1Char(' ') + tr("Set TRACT_TOKEN to pass the token instead.");
            callback(loaded(r, Source::Keychain));
        });
}

void ConsoleSecrets::storeToken(const QString &clientId, const QString &token, QObject *context,
                                Callback callback) {
    if (!m_store)
        return;
    m_store->write(tokenKey(clientId), token)
        ->onResult(context ? context : this, [callback](const SecretResult &result) {
            callback(loaded(result, Source::Keychain));
        });
}

void ConsoleSecrets::loadAgentToken(const QString &hubAuthority, bool fromEnv, QObject *context,
                                    Callback callback) {
    const QString key = agentTokenKey(hubAuthority);
    if (fromEnv) {
        const QString token = m_env.value(QStringLiteral("TRACT_AGENT_TOKEN"));
        if (token.isEmpty()) {
            SecretResult r;
            r.status = Status::NotFound;
            r.message = tr("--agent-token-from-env: TRACT_AGENT_TOKEN is empty or not set");
            deliver(context, callback, {r, Source::None});
            return;
        }
        if (!m_store)
            return;
        m_store->write(key, token)
            ->onResult(context ? context : this, [callback, token](const SecretResult &saved) {
                SecretResult r;
                r.status = Status::Ok;
                r.value = token;
                if (!saved.ok())
                    r.message = tr("The agent token was not saved in the keychain (%1); pass "
                                   "it with --agent-token-from-env next time too.")
                                    .arg(saved.message);
                callback({r, Source::Environment});
            });
        return;
    }
    if (!m_store)
        return;
    m_store->read(key)->onResult(context ? context : this, [callback, hubAuthority](
                                                               const SecretResult &result) {
        SecretResult r = result;
        if (r.status == Status::NotFound)
            r.message = tr("No agent token is stored for the hub at %1. Ask your "
                           "supervisor for one and start once with TRACT_AGENT_TOKEN set "
                           "and --agent-token-from-env.")
                            .arg(hubAuthority);
        else if (r.status == Status::NoKeychain)
            r.message += QLatin1Char(' ') +
                         tr("Pass the token with TRACT_AGENT_TOKEN and --agent-token-from-env.");
        callback(loaded(r, Source::Keychain));
    });
}

void ConsoleSecrets::loadHookPathSecret(const QString &clientId, QObject *context,
                                        Callback callback) {
    if (!m_store)
        return;
    const QString key = hookPathSecretKey(clientId);
    QObject *receiver = context ? context : this;
    QPointer<ConsoleSecrets> self(this);
    m_store->read(key)->onResult(receiver, [self, key, receiver, callback](const SecretResult &r) {
        if (!self)
            return;
        if (r.status == Status::NoKeychain) {
            self->hookSecretFromFile(key, receiver, callback);
            return;
        }
        if (r.status != Status::NotFound) {
            callback(loaded(r, Source::Keychain));
            return;
        }
        const QString secret = generateSecret();
        self->m_store->write(key, secret)
            ->onResult(receiver, [self, key, receiver, callback, secret](const SecretResult &w) {
                if (!self)
                    return;
                if (w.status == Status::NoKeychain) {
                    self->hookSecretFromFile(key, receiver, callback);
                    return;
                }
                SecretResult stored = w;
                stored.value = secret;
                callback(loaded(stored, Source::Keychain));
            });
    });
}

void ConsoleSecrets::hookSecretFromFile(const QString &key, QObject *context,
                                        const Callback &callback) {
    SecretResult r = m_file.read(key);
    if (r.status == Status::NotFound) {
        const QString secret = generateSecret();
        r = m_file.write(key, secret);
        if (r.ok())
            r.value = secret;
    }
    if (r.ok())
        qCInfo(lcSecrets).noquote()
            << "no keychain; hook-path secret kept in" << m_file.filePath(key);
    deliver(context, callback, loaded(r, Source::File));
}

} // namespace secrets
