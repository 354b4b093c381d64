#pragma once

#include "models/common/Expected.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace sandbox {

// --load users=N,rate=R,duration=S
struct LoadSpec {
    int users = 0;
    double rate = 0;     // messages per second across all users
    double duration = 0; // seconds
    bool enabled() const { return users > 0 && rate > 0 && duration > 0; }
    static tract::Expected<LoadSpec> parse(const QString &spec);
};

struct SandboxConfig {
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 8470;
    QString clientId = QStringLiteral("demo");
    QString token = QStringLiteral("demo-token");
    QString hookSecret; // empty: hooks are not signed
    QString scenario;   // empty: idle
    // Haptik's documented webhook retry schedule, in seconds.
    QList<double> retrySchedule{5, 25, 125, 625, 1410, 1410};
    bool strictThreadControl = false;
    LoadSpec load;
    quint32 seed = 1;
    // Signed token issue (docs/authentication.md): with a certificate, the
    // bearer token must be a JWT this sandbox issued at
    // /tract/management/token/issue/ to a request signed with its key.
    QString signingCertFile; // --require-signed-token CERT.pem
    QString certUuid;        // SignatureCertUUID; empty: derived from the certificate
    int tokenLifetimeSeconds = 3600;

    int hookTimeoutMs = 5000;
    int botReplyDelayMs = 700;
    int userReplyDelayMs = 2500;    // 0: simulated users never answer agents
    int requestGrantDelayMs = 1500; // how long iva/sac "think" before granting a request
    int maxAutoReplies = 3;         // per conversation, so two robots cannot chat forever

    static void addOptions(QCommandLineParser &parser);
    // Reads the options; every bad value is an error that names its option.
    static tract::Expected<SandboxConfig> fromParser(const QCommandLineParser &parser);
    static tract::Expected<QList<double>> parseRetrySchedule(const QString &text);
};

} // namespace sandbox
