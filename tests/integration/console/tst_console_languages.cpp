// The console's languages, end to end: the real tract-console chooses its
// language from --lang, the saved View → Language setting or the system locale,
// falls back to English with a warning on an unknown language or a missing or
// damaged catalogue, and the checked-in catalogues are complete.
#include "ConsoleProcess.h"
#include "app/TranslationLoader.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using consoletest::ConsoleProcess;

namespace {

// A help text main.cpp translates in the "console" context.
constexpr const char *kHelpText = "Render one HSL message to a PNG and exit.";

QString qmDirectory() {
    return QDir(QFileInfo(ConsoleProcess::binary()).absolutePath())
        .absoluteFilePath(u"../share/tract-console/translations"_s);
}

// QCommandLineParser wraps long help lines: compare with whitespace collapsed.
QString collapsed(const QString &text) {
    return text.simplified();
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runConsole(const QStringList &args, const QProcessEnvironment &env) {
    const ConsoleProcess::Run r = ConsoleProcess::run(args, env, 30000);
    return {r.exitCode, QString::fromUtf8(r.out), QString::fromUtf8(r.err)};
}

QString translated(const QString &code) {
    QTranslator t;
    if (!t.load(QDir(qmDirectory()).filePath(u"tract-console_%1.qm"_s.arg(code))))
        return {};
    return t.translate("console", kHelpText);
}

} // namespace

class ConsoleLanguagesTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    // A clean environment: English system locale, settings in a scratch home.
    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_home.filePath(u"config"_s));
        env.insert(u"LANG"_s, u"en_US.UTF-8"_s);
        env.insert(u"LC_ALL"_s, u"en_US.UTF-8"_s);
        env.remove(u"LANGUAGE"_s);
        env.remove(u"LC_MESSAGES"_s);
        env.remove(u"TRACT_TRANSLATIONS_DIR"_s);
        return env;
    }

    void saveLanguage(const QString &code) {
        QDir().mkpath(m_home.filePath(u"config/tract-console"_s));
        QFile f(m_home.filePath(u"config/tract-console/tract-console.conf"_s));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("[ui]\nlanguage=" + code.toUtf8() + "\n");
    }

    // `text` empty: the catalogue has no translation of it (untranslated).
    void expectHelpIn(const Run &run, const QString &text) {
        QVERIFY2(!text.isEmpty(), "the catalogue has no translation of the help text");
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(collapsed(run.out).contains(collapsed(text)),
                 qPrintable(u"help does not contain \"%1\":\n%2"_s.arg(text, run.out)));
    }

private slots:
    void initTestCase() {
        QVERIFY2(!ConsoleProcess::binary().isEmpty(), "TRACT_CONSOLE_BIN is not set");
        QVERIFY(m_home.isValid());
    }

    void cleanup() { QFile::remove(m_home.filePath(u"config/tract-console/tract-console.conf"_s)); }

    // Every message of every shipped catalogue is translated, with the
    // placeholders and the one accelerator of its source, and both plural forms.
    void cataloguesAreComplete_data() {
        QTest::addColumn<QString>("code");
        QTest::newRow("es") << u"es"_s;
        QTest::newRow("hi") << u"hi"_s;
    }
    void cataloguesAreComplete() {
        QFETCH(QString, code);
        QFile f(QStringLiteral(TRACT_SOURCE_DIR) +
                u"/translations/tract-console_%1.ts"_s.arg(code));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        QXmlStreamReader xml(&f);
        static const QRegularExpression placeholder(u"%L?\\d"_s);
        static const QRegularExpression accelerator(u"(?<!&)&(?!&)"_s);
        const auto placeholders = [](const QString &s) {
            QSet<QString> out;
            for (auto it = placeholder.globalMatch(s); it.hasNext();)
                out.insert(it.next().captured());
            return out;
        };
        int messages = 0;
        QStringList problems;
        QString source;
        QStringList forms;
        bool numerus = false, unfinished = false;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == u"message") {
                numerus = xml.attributes().value(u"numerus"_s) == u"yes";
                source.clear();
                forms.clear();
                unfinished = false;
            } else if (xml.isStartElement() && xml.name() == u"source") {
                source = xml.readElementText();
            } else if (xml.isStartElement() && xml.name() == u"translation") {
                const auto type = xml.attributes().value(u"type"_s);
                unfinished = type == u"unfinished" || type == u"vanished" || type == u"obsolete";
                if (!numerus)
                    forms << xml.readElementText();
            } else if (xml.isStartElement() && xml.name() == u"numerusform") {
                forms << xml.readElementText();
            } else if (xml.isEndElement() && xml.name() == u"message") {
                ++messages;
                const QString where = u"\"%1\": "_s.arg(source);
                if (unfinished)
                    problems << where + u"unfinished"_s;
                if (forms.size() != (numerus ? 2 : 1))
                    problems << where + u"%1 forms"_s.arg(forms.size());
                for (const QString &form : std::as_const(forms)) {
                    if (form.trimmed().isEmpty())
                        problems << where + u"empty"_s;
                    if (placeholders(form) != placeholders(source))
                        problems << where + u"placeholders differ in \"%1\""_s.arg(form);
                    if (form.count(accelerator) != source.count(accelerator))
                        problems << where + u"accelerators differ in \"%1\""_s.arg(form);
                }
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages > 500);
        QVERIFY2(problems.isEmpty(),
                 qPrintable(u"%1 problems, the first:\n"_s.arg(problems.size()) +
                            problems.mid(0, 20).join(u'\n')));
    }

    void langOptionTranslatesHelp_data() {
        QTest::addColumn<QString>("code");
        QTest::newRow("es") << u"es"_s;
        QTest::newRow("hi") << u"hi"_s;
    }
    void langOptionTranslatesHelp() {
        QFETCH(QString, code);
        const QString text = translated(code);
        QVERIFY2(
            !text.isEmpty() && text != QLatin1String(kHelpText),
            qPrintable(u"no %1 translation of the help text in %2"_s.arg(code, qmDirectory())));
        expectHelpIn(runConsole({u"--lang"_s, code, u"--help"_s}, environment()), text);
        expectHelpIn(runConsole({u"--lang=%1"_s.arg(code), u"--help"_s}, environment()), text);
        // A regional name picks the language's catalogue.
        expectHelpIn(runConsole({u"--lang"_s, code + u"-IN"_s, u"--help"_s}, environment()), text);
    }

    void systemLocaleChoosesLanguage() {
        QProcessEnvironment env = environment();
        env.insert(u"LANG"_s, u"es_MX.UTF-8"_s);
        env.insert(u"LC_ALL"_s, u"es_MX.UTF-8"_s);
        expectHelpIn(runConsole({u"--help"_s}, env), translated(u"es"_s));
    }

    // View → Language is saved as ui/language; it beats the system locale and
    // --lang beats it.
    void savedLanguageAndOverride() {
        saveLanguage(u"hi"_s);
        expectHelpIn(runConsole({u"--help"_s}, environment()), translated(u"hi"_s));
        expectHelpIn(runConsole({u"--lang"_s, u"es"_s, u"--help"_s}, environment()),
                     translated(u"es"_s));
        saveLanguage(u"system"_s);
        expectHelpIn(runConsole({u"--help"_s}, environment()), QLatin1String(kHelpText));
    }

    void unknownLanguageFallsBackToEnglish_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("made up") << u"xx-YY"_s;
        QTest::newRow("garbage") << u"!!"_s;
    }
    void unknownLanguageFallsBackToEnglish() {
        QFETCH(QString, name);
        const Run run = runConsole({u"--lang"_s, name, u"--help"_s}, environment());
        expectHelpIn(run, QLatin1String(kHelpText));
        QVERIFY2(run.err.contains(u"unknown language"_s), qPrintable(run.err));
    }

    void unknownSavedLanguageFallsBackToEnglish() {
        saveLanguage(u"xx"_s);
        const Run run = runConsole({u"--help"_s}, environment());
        expectHelpIn(run, QLatin1String(kHelpText));
        QVERIFY2(run.err.contains(u"unknown language"_s), qPrintable(run.err));
    }

    // A language the console knows but whose catalogue is not installed, or is
    // damaged: English with a warning, and the window's texts are never empty.
    void missingOrDamagedCatalogue_data() {
        QTest::addColumn<QByteArray>("content"); // empty: no file at all
        QTest::addColumn<QString>("warning");
        QTest::newRow("missing") << QByteArray() << u"no Español translation"_s;
        QTest::newRow("damaged") << QByteArray("\x3c\xb8\x64\x18 not a catalogue", 20)
                                 << u"cannot read the Español translation"_s;
        QTest::newRow("empty file") << QByteArray("", 0) << u"cannot read"_s;
    }
    void missingOrDamagedCatalogue() {
        QFETCH(QByteArray, content);
        QFETCH(QString, warning);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        if (!content.isNull() || QTest::currentDataTag() == QByteArray("empty file")) {
            QFile f(dir.filePath(u"tract-console_es.qm"_s));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        QProcessEnvironment env = environment();
        env.insert(u"TRACT_TRANSLATIONS_DIR"_s, dir.path());
        const Run run = runConsole({u"--lang"_s, u"es"_s, u"--help"_s}, env);
        expectHelpIn(run, QLatin1String(kHelpText));
        QVERIFY2(run.err.contains(warning), qPrintable(run.err));
    }

    // Numbers and dates follow the chosen language (the system here is en_US).
    void formatsFollowLanguage_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("number");
        QTest::addColumn<QString>("month");
        // Spanish: the decimal comma; Hindi: Indian digit grouping (lakhs).
        QTest::newRow("es") << 2.5 << u"es"_s << u"2,5"_s << u"diciembre"_s;
        QTest::newRow("hi") << 1234567.0 << u"hi"_s << u"12,34,567"_s << u"दिसंबर"_s;
        QTest::newRow("en") << 1234567.0 << u"en"_s << u"1,234,567"_s << u"December"_s;
    }
    void formatsFollowLanguage() {
        QFETCH(double, value);
        QFETCH(QString, code);
        QFETCH(QString, number);
        QFETCH(QString, month);
        const QLocale before;
        {
            console::TranslationLoader loader(qmDirectory(), u":/no-fallback.qm"_s);
            QCOMPARE(loader.install(code, {}), code);
            QVERIFY2(loader.warning().isEmpty(), qPrintable(loader.warning()));
            QCOMPARE(QLocale().toString(value, 'g', 10), number);
            const QString date = QLocale().toString(QDate(2026, 12, 7), QLocale::LongFormat);
            QVERIFY2(date.contains(month), qPrintable(date));
            QCOMPARE(QCoreApplication::translate("console", kHelpText),
                     code == u"en" ? QLatin1String(kHelpText) : translated(code));
            // The standard dialog buttons speak it too (Qt has no Hindi catalogue).
            // So do GNOME's dialog buttons and the edit menus of text fields.
            const std::pair<const char *, const char *> qtTexts[] = {
                {"QPlatformTheme", "Cancel"},
                {"QGnomeTheme", "&Cancel"},
                {"QLineEdit", "&Copy"},
                {"QWidgetTextControl", "&Paste"},
            };
            for (const auto &[context, source] : qtTexts) {
                const QString text = QCoreApplication::translate(context, source);
                QVERIFY2(code == u"en" ? text == QLatin1String(source)
                                       : text != QLatin1String(source),
                         qPrintable(code + u": "_s + QLatin1String(context) + u' ' + text));
            }
        }
        QLocale::setDefault(before);
    }

    // Devanagari needs a font that covers it (scripts/setup installs one; the
    // package depends on it): without one, Hindi is boxes.
    void devanagariFontInstalled() {
        QVERIFY2(!QFontDatabase::families(QFontDatabase::Devanagari).isEmpty(),
                 "no font covers Devanagari: run scripts/setup (fonts-lohit-deva)");
    }
};

QTEST_MAIN(ConsoleLanguagesTest)
#include "tst_console_languages.moc"
