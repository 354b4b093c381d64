#include "app/ConsoleCore.h"
#include "app/ConsoleLauncher.h"
#include "app/ConsoleOptions.h"
#include "app/Exporter.h"
#include "models/store/Store.h"
#include "network/registration/HookRegistrar.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QTextStream>
#include <cstdio>
#include <memory>

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("console", text);
}

// Modes that never open a window run without a display.
bool needsGui(int argc, char *argv[]) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--headless" || a == "--export" || a.startsWith("--export=") || a == "--help" ||
            a == "-h" || a == "--version" || a == "-v")
            return false;
    }
    return true;
}

void printLine(const QString &line) {
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

int runExport(const console::ConsoleOptions &options) {
    QTextStream err(stderr);
    const QString path =
        QDir(options.effectiveDataDir()).filePath(QStringLiteral("console.sqlite"));
    if (!QFile::exists(path)) {
        err << "tract-console: "
            << tr("no stored conversations in %1").arg(options.effectiveDataDir()) << Qt::endl;
        return 1;
    }
    tract::store::Store store;
    if (!store.open(path)) {
        err << "tract-console: " << store.lastError() << Qt::endl;
        return 1;
    }
    QFile out;
    out.open(stdout, QIODevice::WriteOnly);
    const console::Exporter exporter(store, options.exportFormat == QLatin1String("text")
                                                ? console::Exporter::Format::Text
                                                : console::Exporter::Format::Json);
    QString error;
    const QString user =
        options.exportUser == QLatin1String("all") ? QString() : options.exportUser;
    if (!exporter.write(user, out, &error)) {
        err << "tract-console: " << error << Qt::endl;
        return 1;
    }
    return 0;
}

int runHeadless(const console::ConsoleOptions &options) {
    console::ConsoleLauncher launcher(options);
    QObject::connect(&launcher, &console::ConsoleLauncher::failed, [](const QString &message) {
        QTextStream(stderr) << "tract-console: " << message << Qt::endl;
        QCoreApplication::exit(1);
    });
    QObject::connect(&launcher, &console::ConsoleLauncher::notice, [](const QString &message) {
        QTextStream(stderr) << "tract-console: " << message << Qt::endl;
    });
    QObject::connect(&launcher, &console::ConsoleLauncher::started, [](console::ConsoleCore *core) {
        // Both lines are a contract: scripts read the address, then a line per hook.
        printLine(QStringLiteral("listening on %1").arg(core->listenUrl()));
        QObject::connect(
            core->registrar(), &tract::HookRegistrar::statusChanged,
            [](const tract::HookRegistrar::Status &s) {
                const QString hook = s.hook.category + QLatin1Char('/') + s.hook.subcategory;
                if (s.state == tract::HookRegistrar::State::Registered)
                    printLine(QStringLiteral("hook %1: registered").arg(hook));
                else if (s.state == tract::HookRegistrar::State::Failed)
                    printLine(QStringLiteral("hook %1: failed: %2").arg(hook, s.reason));
            });
    });
    launcher.launch();
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char *argv[]) {
    std::unique_ptr<QCoreApplication> app(needsGui(argc, argv) ? new QApplication(argc, argv)
                                                               : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(QStringLiteral("tract-console"));
    QCoreApplication::setOrganizationName(QStringLiteral("tract-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRACT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Desktop agent console for Haptik's TRACT API"));
    parser.addHelpOption();
    parser.addVersionOption();
    console::ConsoleOptions::addOptions(parser);
    parser.process(*app);

    const auto options = console::ConsoleOptions::fromParser(parser);
    if (!options) {
        QTextStream(stderr) << "tract-console: " << options.error().toString() << Qt::endl;
        return 2;
    }
    if (!options->exportUser.isEmpty())
        return runExport(options.value());
    if (options->headless)
        return runHeadless(options.value());
    QTextStream(stderr) << "tract-console: "
                        << tr("the window is not built yet; run with --headless") << Qt::endl;
    return 2;
}
