#pragma once

#include "models/common/Expected.h"

#include <QHostAddress>
#include <QString>
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
    bool headless = false;
    bool demo = false;
    QString exportUser; // user id or "all"; empty: no export
    QString exportFormat = QStringLiteral("json");

    static void addOptions(QCommandLineParser &parser);
    static tract::Expected<ConsoleOptions> fromParser(const QCommandLineParser &parser);

    QString effectiveDataDir() const;
    QString effectiveReceiverId() const { return receiverId.isEmpty() ? clientId : receiverId; }
};

// "127.0.0.1:8470", "[::1]:0", "localhost:0" -> address and port.
tract::Expected<std::pair<QHostAddress, quint16>> parseHostPort(const QString &text);

} // namespace console
