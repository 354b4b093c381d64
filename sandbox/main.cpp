#include "sandbox/LoadGenerator.h"
#include "sandbox/SandboxConfig.h"
#include "sandbox/SandboxServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>

// tract-sandbox: a local TRACT server with a simulated bot and end users.
int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tract-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRACT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("sandbox", "A local TRACT server with a simulated bot and end "
                                               "users, for development, tests and demos."));
    parser.addHelpOption();
    parser.addVersionOption();
    sandbox::SandboxConfig::addOptions(parser);
    parser.process(app);

    QTextStream err(stderr);
    const auto config = sandbox::SandboxConfig::fromParser(parser);
    if (!config) {
        err << "tract-sandbox: " << config.error().toString() << Qt::endl;
        return 2;
    }
    sandbox::SandboxServer server(config.value());
    if (!server.start()) {
        err << "tract-sandbox: " << server.errorString() << Qt::endl;
        return 1;
    }
    if (!config->scenario.isEmpty()) {
        if (auto loaded = server.loadScenario(config->scenario); !loaded) {
            err << "tract-sandbox: " << loaded.error().toString() << Qt::endl;
            return 2;
        }
    }
    // The first line is a contract: scripts and tests read the address from it.
    std::printf("listening on %s\n", qPrintable(server.baseUrl()));
    std::fflush(stdout);
    if (const auto &cert = server.signingCertificate()) {
        err << "tract-sandbox: "
            << QCoreApplication::translate("sandbox",
                                           "signed token issue: SignatureCertUUID %1, certificate "
                                           "valid %2 to %3")
                   .arg(server.certUuid(), cert->notBefore().toString(Qt::ISODate),
                        cert->notAfter().toString(Qt::ISODate))
            << Qt::endl;
    }

    if (config->load.enabled()) {
        auto *load = new sandbox::LoadGenerator(config->load, &server.world(), &server.hooks(),
                                                config->clientId, &app);
        QObject::connect(load, &sandbox::LoadGenerator::finished, &app, [load] {
            std::printf("%s\n", qPrintable(load->report()));
            std::fflush(stdout);
            QCoreApplication::exit(0);
        });
        err << "tract-sandbox: load waits for the ECT to register message/receive" << Qt::endl;
        QObject::connect(&server, &sandbox::SandboxServer::ectReady, load,
                         &sandbox::LoadGenerator::start, Qt::SingleShotConnection);
    }
    return app.exec();
}
