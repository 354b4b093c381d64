#pragma once

#include "models/common/Expected.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <QUrl>

class QCommandLineParser;

namespace console {

// tract-console's command line (a fixed contract; see README).
struct ConsoleOptions {
    QUrl tractUrl;
    QString clientId = QStringLiteral("demo");
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 0;
    QString publicUrl;  // empty: the listen address
    QString dataDir;    // empty: the platform's app data location
    QString receiverId; // our id among thread-control listeners; empty: the client id
    bool hookSecretFromEnv = false;
    // Signed token issue (docs/authentication.md): with a certificate UUID the
    // console gets its token from TRACT; the key is --signing-key's 0600 file,
    // else the keychain entry --import-signing-key stored.
    QString signingKeyFile;
    QString certUuid;
    QString fqdn;
    QString importSigningKey; // a file to store in the keychain, then exit
    bool issuesToken() const { return !certUuid.isEmpty(); }
    // Retention: completed conversations older than this many days are
    // deleted; 0 keeps everything, -1 (not given) uses the setting.
    static constexpr int kMaxRetainDays = 36500;
    int retainDays = -1;
    bool headless = false;
    bool demo = false;
    QString exportUser; // user id or "all"; empty: no export
    QString exportFormat = QStringLiteral("json");

    // Team hub (docs/hub-protocol.md).
    bool hub = false;
    QHostAddress hubAddress = QHostAddress::LocalHost;
    quint16 hubPort = 0;
    QString hubTlsCert;
    QString hubTlsKey;
    QStringList hubAllowedOrigins;
    int hubOfflineGraceSeconds = 120;
    qint64 hubKeepEvents = 100'000;
    // Agent administration on DATA_DIR/hub.sqlite; one of them at a time.
    QString hubAddAgent;
    QString hubRemoveAgent;
    bool hubListAgents = false;
    QString hubRole = QStringLiteral("agent");
    int hubCapacity = 3;
    // The console as a hub client: the window is fed by the hub at this URL.
    QUrl hubUrl;
    bool agentTokenFromEnv = false; // TRACT_AGENT_TOKEN, then kept in the keychain
    bool isHubAdmin() const {
        return !hubAddAgent.isEmpty() || !hubRemoveAgent.isEmpty() || hubListAgents;
    }

    static void addOptions(QCommandLineParser &parser);
    static tract::Expected<ConsoleOptions> fromParser(const QCommandLineParser &parser);

    QString effectiveDataDir() const;
    QString effectiveReceiverId() const { return receiverId.isEmpty() ? clientId : receiverId; }
};

// "127.0.0.1:8470", "[::1]:0", "localhost:0" -> address and port.
tract::Expected<std::pair<QHostAddress, quint16>> parseHostPort(const QString &text);

} // namespace console
