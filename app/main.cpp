#include "app/ConsoleCore.h"
#include "app/ConsoleLauncher.h"
#include "app/ConsoleOptions.h"
#include "app/Exporter.h"
#include "app/HubBackend.h"
#include "app/HubMode.h"
#include "app/LocalBackend.h"
#include "app/TranslationLoader.h"
#include "app/UnixSignals.h"
#include "app/WindowController.h"
#include "models/store/Store.h"
#include "network/hub/TeamHub.h"
#include "network/registration/HookRegistrar.h"
#include "network/secrets/ConsoleSecrets.h"
#include "network/secrets/SecretStore.h"
#include "ui/FirstRunDialog.h"
#include "ui/MainWindow.h"
#include "ui/hsl/RenderCommand.h"
#include "ui/panels/ConsoleSettings.h"
#include "ui/panels/SettingsDialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QIcon>
#include <QMessageBox>
#include <QProcess>
#include <QProgressDialog>
#include <QSettings>
#include <QTextStream>
#include <cstdio>
#include <memory>

namespace {

// Modes that never open a window run without a display.
bool needsGui(int argc, char *argv[]) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--headless" || a == "--hub" || a.startsWith("--hub-add-agent") ||
            a.startsWith("--hub-remove-agent") || a == "--hub-list-agents" || a == "--export" ||
            a.startsWith("--import-signing-key") || a.startsWith("--export=") || a == "--help" ||
            a == "-h" || a == "--version" || a == "-v")
            return false;
    }
    return true;
}

// --lang is needed before the parser runs: its option texts are translated.
QString languageArgument(int argc, char *argv[]) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--lang" && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (a.startsWith("--lang="))
            return QString::fromLocal8Bit(a.mid(7));
    }
    return {};
}

QList<std::pair<QString, QString>> menuLanguages(const console::TranslationLoader &loader) {
    QList<std::pair<QString, QString>> out;
    for (const auto &language : loader.available())
        out.append({language.code, language.nativeName});
    return out;
}

// View → Language → Restart now: the same command line, without a --lang that
// would override the new choice.
void restartIfAsked(const console::WindowController *window) {
    if (!window || !window->restartRequested())
        return;
    QStringList args = QCoreApplication::arguments().mid(1);
    for (qsizetype i = 0; i < args.size();) {
        if (args.at(i) == u"--lang")
            args.remove(i, qMin<qsizetype>(2, args.size() - i));
        else if (args.at(i).startsWith(u"--lang="))
            args.remove(i);
        else
            ++i;
    }
    if (!QProcess::startDetached(QCoreApplication::applicationFilePath(), args))
        QTextStream(stderr) << "tract-console: "
                            << QCoreApplication::translate("console", "could not restart")
                            << Qt::endl;
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
            << QCoreApplication::translate("console", "no stored conversations in %1")
                   .arg(options.effectiveDataDir())
            << Qt::endl;
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
    std::unique_ptr<tract::hub::TeamHub> hub;
    QObject::connect(&launcher, &console::ConsoleLauncher::failed, [](const QString &message) {
        QTextStream(stderr) << "tract-console: " << message << Qt::endl;
        QCoreApplication::exit(1);
    });
    QObject::connect(&launcher, &console::ConsoleLauncher::notice, [](const QString &message) {
        QTextStream(stderr) << "tract-console: " << message << Qt::endl;
    });
    QObject::connect(
        &launcher, &console::ConsoleLauncher::started, [&](console::ConsoleCore *core) {
            // These lines are a contract: scripts read the addresses, then a line per hook.
            printLine(QStringLiteral("listening on %1").arg(core->listenUrl()));
            if (options.hub) {
                QString error;
                hub = console::startTeamHub(core, options, &error);
                if (!hub) {
                    QTextStream(stderr) << "tract-console: " << error << Qt::endl;
                    QCoreApplication::exit(1);
                    return;
                }
                printLine(QStringLiteral("hub listening on %1").arg(hub->url()));
            }
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
    console::UnixSignals unixSignals;
    QObject::connect(&unixSignals, &console::UnixSignals::terminationRequested,
                     [] { QCoreApplication::quit(); });
    launcher.launch();
    const int code = QCoreApplication::exec();
    hub.reset(); // before the core it follows
    return code;
}

// Saves the token in the keychain before anything reads it back.
bool storeToken(const QString &clientId, const QString &token) {
    secrets::SecretStore store;
    secrets::ConsoleSecrets secrets(&store, QString());
    QEventLoop loop;
    bool ok = false;
    QString message;
    secrets.storeToken(clientId, token, &loop, [&](const secrets::ConsoleSecrets::Loaded &loaded) {
        ok = loaded.result.ok();
        message = loaded.result.message;
        loop.quit();
    });
    loop.exec();
    if (!ok)
        QMessageBox::critical(
            nullptr, QCoreApplication::translate("console", "Token not saved"),
            QCoreApplication::translate(
                "console",
                "The token could not be stored in the keychain: %1\nSet TRACT_TOKEN instead.")
                .arg(message));
    return ok;
}

// The window. Without --tract-url or --demo it uses the saved settings; with
// nothing saved it offers the demo or a connection.
int runWindow(console::ConsoleOptions options, const console::TranslationLoader &languages) {
    QSettings saved;
    ui::ConsoleSettings settings;
    settings.load(saved);
    if (!options.demo && options.tractUrl.isEmpty()) {
        if (!settings.tractUrl.isEmpty()) {
            options.tractUrl = QUrl(settings.tractUrl);
            options.clientId = settings.clientId.isEmpty() ? options.clientId : settings.clientId;
            if (!settings.receiverId.isEmpty())
                options.receiverId = settings.receiverId;
            if (!settings.publicUrl.isEmpty())
                options.publicUrl = settings.publicUrl;
            if (QHostAddress address; address.setAddress(settings.listenAddress)) {
                options.listenAddress = address;
                options.listenPort = settings.listenPort;
            }
        } else {
            ui::FirstRunDialog welcome;
            const int choice = welcome.exec();
            if (choice == ui::FirstRunDialog::Demo) {
                options.demo = true;
            } else if (choice == ui::FirstRunDialog::Connect) {
                ui::SettingsDialog dialog;
                dialog.setSettings(settings);
                QString token;
                QObject::connect(&dialog, &ui::SettingsDialog::tokenEdited,
                                 [&token](const QString &t) { token = t; });
                if (dialog.exec() != QDialog::Accepted)
                    return 0;
                dialog.settings().save(saved);
                if (!token.isEmpty() && !storeToken(dialog.settings().clientId, token))
                    return 1;
                return runWindow(options, languages); // now configured
            } else {
                return 0;
            }
        }
    }

    console::ConsoleLauncher launcher(options);
    std::unique_ptr<console::WindowController> window;
    QObject::connect(&launcher, &console::ConsoleLauncher::failed, [](const QString &message) {
        QMessageBox::critical(
            nullptr, QCoreApplication::translate("console", "TRACT Console cannot start"), message);
        QCoreApplication::exit(1);
    });
    QObject::connect(&launcher, &console::ConsoleLauncher::notice, [](const QString &message) {
        QTextStream(stderr) << "tract-console: " << message << Qt::endl;
    });
    std::unique_ptr<console::LocalBackend> backend;
    QObject::connect(
        &launcher, &console::ConsoleLauncher::started, [&](console::ConsoleCore *core) {
            backend = std::make_unique<console::LocalBackend>(core);
            window = std::make_unique<console::WindowController>(backend.get(), options.demo);
            window->setLanguages(menuLanguages(languages));
            window->show();
        });
    launcher.launch();
    const int code = QApplication::exec();
    restartIfAsked(window.get());
    window.reset(); // before the core it shows
    backend.reset();
    return code;
}

// A team console: the agent token (environment, then keychain), the hub
// connection with a progress dialog until the hub welcomes this agent, then
// the same window, fed by the hub.
int runTeamWindow(const console::ConsoleOptions &options,
                  const console::TranslationLoader &languages) {
    const auto fail = [](const QString &message) {
        QTextStream(stderr) << "tract-console: " << message << Qt::endl;
        QMessageBox::critical(
            nullptr, QCoreApplication::translate("console", "TRACT Console cannot start"), message);
        return 1;
    };
    const QUrl &url = options.hubUrl;
    const QString authority =
        url.host() + QLatin1Char(':') +
        QString::number(url.port(url.scheme() == QLatin1String("wss") ? 443 : 80));
    secrets::SecretStore store;
    secrets::ConsoleSecrets secrets(&store, options.effectiveDataDir());
    secrets::ConsoleSecrets::Loaded token;
    {
        QEventLoop loop;
        secrets.loadAgentToken(authority, options.agentTokenFromEnv, &loop,
                               [&](const secrets::ConsoleSecrets::Loaded &loaded) {
                                   token = loaded;
                                   loop.quit();
                               });
        loop.exec();
    }
    if (!token.result.ok())
        return fail(token.result.message);
    if (!token.result.message.isEmpty())
        QTextStream(stderr) << "tract-console: " << token.result.message << Qt::endl;

    console::HubBackend backend(url, token.result.value);
    QString error;
    if (!backend.start(&error))
        return fail(error);
    QProgressDialog progress(
        QCoreApplication::translate("console", "Connecting to the hub at %1…").arg(url.toString()),
        QCoreApplication::translate("console", "Cancel"), 0, 0);
    progress.setWindowTitle(QStringLiteral("TRACT Console"));
    progress.setMinimumDuration(0);
    QObject::connect(&progress, &QProgressDialog::canceled, [] { QCoreApplication::exit(0); });
    QObject::connect(&backend, &console::ConsoleBackend::linkChanged,
                     [&](bool, const QString &text) {
                         if (!backend.isReady())
                             progress.setLabelText(url.toString() + QLatin1Char('\n') + text);
                     });
    std::unique_ptr<console::WindowController> window;
    QObject::connect(&backend, &console::HubBackend::ready, [&] {
        progress.reset();
        progress.hide();
        window = std::make_unique<console::WindowController>(&backend, false);
        window->setLanguages(menuLanguages(languages));
        window->show();
    });
    int code = 0;
    QObject::connect(&backend, &console::ConsoleBackend::fatal, [&](const QString &message) {
        progress.hide();
        QTextStream(stderr) << "tract-console: " << message << Qt::endl;
        QMessageBox::critical(window ? window->window() : nullptr,
                              QCoreApplication::translate("console", "TRACT Console"), message);
        code = 1;
        QCoreApplication::exit(1);
    });
    progress.show();
    const int exitCode = QApplication::exec();
    restartIfAsked(window.get());
    window.reset(); // before the backend it shows
    return code ? code : exitCode;
}

} // namespace

int main(int argc, char *argv[]) {
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        // A preview never opens a window: it needs no display.
        if ((a == "--render-hsl" || a.startsWith("--render-hsl=")) &&
            qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    std::unique_ptr<QCoreApplication> app(needsGui(argc, argv) ? new QApplication(argc, argv)
                                                               : new QCoreApplication(argc, argv));
    QCoreApplication::setApplicationName(QStringLiteral("tract-console"));
    QCoreApplication::setOrganizationName(QStringLiteral("tract-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TRACT_VERSION));
    if (auto *gui = qobject_cast<QApplication *>(app.get())) {
        gui->setWindowIcon(QIcon::fromTheme(QStringLiteral("tract-console"),
                                            QIcon(QStringLiteral(":/icons/tract-console.svg"))));
        gui->setDesktopFileName(QStringLiteral("io.github.tract_console.TractConsole"));
    }
    // --lang, else View → Language, else the system's; English when none of
    // them can be had. TRACT_TRANSLATIONS_DIR points a test at other catalogues.
    const QString qmDir = qEnvironmentVariableIsSet("TRACT_TRANSLATIONS_DIR")
                              ? qEnvironmentVariable("TRACT_TRANSLATIONS_DIR")
                              : QDir(QCoreApplication::applicationDirPath())
                                    .absoluteFilePath(QStringLiteral(TRACT_QM_RELATIVE_DIR));
    console::TranslationLoader languages(QDir::cleanPath(qmDir),
                                         QStringLiteral(":/i18n/tract-console_en.qm"));
    languages.install(languageArgument(argc, argv),
                      QSettings().value(QStringLiteral("ui/language")).toString());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("console", "Desktop agent console for Haptik's TRACT API"));
    parser.addHelpOption();
    parser.addVersionOption();
    console::ConsoleOptions::addOptions(parser);
    parser.addOptions({
        {QStringLiteral("render-hsl"),
         QCoreApplication::translate("console", "Render one HSL message to a PNG and exit."),
         QStringLiteral("MESSAGE.json")},
        {QStringLiteral("output"),
         QCoreApplication::translate("console", "The PNG written by --render-hsl."),
         QStringLiteral("OUT.png")},
        {QStringLiteral("width"),
         QCoreApplication::translate("console", "Image width for --render-hsl."),
         QStringLiteral("PX"), QStringLiteral("480")},
        {QStringLiteral("lang"),
         QCoreApplication::translate(
             "console", "The language of the window and messages, e.g. es or hi (default: View → "
                        "Language, else the system's)."),
         QStringLiteral("CODE")},
        {QStringLiteral("theme"),
         QCoreApplication::translate("console", "light or dark, for --render-hsl."),
         QStringLiteral("light|dark"), QStringLiteral("light")},
    });
    parser.process(*app);

    if (parser.isSet(QStringLiteral("render-hsl"))) {
        QTextStream err(stderr);
        bool ok = false;
        const int width = parser.value(QStringLiteral("width")).toInt(&ok);
        if (!ok) {
            err << "tract-console: "
                << QCoreApplication::translate("console",
                                               "--width: expected a number of pixels, got \"%1\"")
                       .arg(parser.value(QStringLiteral("width")))
                << Qt::endl;
            return 2;
        }
        return hslui::runRenderCommand(parser.value(QStringLiteral("render-hsl")),
                                       parser.value(QStringLiteral("output")), width,
                                       parser.value(QStringLiteral("theme")), err);
    }

    const auto parsed = console::ConsoleOptions::fromParser(parser);
    if (!parsed) {
        QTextStream(stderr) << "tract-console: " << parsed.error().toString() << Qt::endl;
        return 2;
    }
    console::ConsoleOptions options = parsed.value();
    if (options.retainDays < 0) {
        QSettings saved;
        ui::ConsoleSettings settings;
        settings.load(saved);
        options.retainDays = settings.retainDays;
    }
    if (!options.exportUser.isEmpty())
        return runExport(options);
    if (!options.importSigningKey.isEmpty())
        return console::importSigningKey(options);
    if (options.isHubAdmin())
        return console::runHubAdmin(options);
    if (options.headless || options.hub)
        return runHeadless(options);
    if (!options.hubUrl.isEmpty())
        return runTeamWindow(options, languages);
    return runWindow(options, languages);
}
