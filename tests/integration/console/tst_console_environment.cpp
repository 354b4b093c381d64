// The real binary on the machines agents actually have (issue #13): under
// LANG=C, C.UTF-8, de_DE.UTF-8 and a locale nobody has, non-ASCII user names and
// messages arrive, are stored and export byte for byte; and a broken fontconfig
// (unparsable configuration, garbage cache) still renders visible text, with a
// warning at most, never a crash.

#include "ConsoleTestKit.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>

using namespace consoletest;

namespace {

const QString kName = u"Zoë Müller-Łukasiewicz 山田 नमस्ते"_s;
const QString kText = u"Grüße, ¿qué tal? 你好 — नमस्ते ✓ 12,5 €"_s;

QProcessEnvironment localeEnv(const QString &locale) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"LANG"_s, locale);
    env.insert(u"LC_ALL"_s, locale);
    env.remove(u"LANGUAGE"_s);
    return env;
}

using Run = ConsoleProcess::Run;

Run run(const QStringList &args, const QProcessEnvironment &env) {
    return ConsoleProcess::run(args, env);
}

// Dark pixels on the light theme's background: text that can be seen.
int inkPixels(const QImage &image) {
    int ink = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            ink += qGray(image.pixel(x, y)) < 100;
    return ink;
}

} // namespace

class ConsoleEnvironmentTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // Renders the Hindi fixture with `env`; the PNG's ink, -1 when it failed.
    int renderInk(const QProcessEnvironment &env, const QString &name, QByteArray *err) {
        const QString out = QDir(m_dir.path()).filePath(name + u".png"_s);
        QFile::remove(out);
        const Run r = run({u"--render-hsl"_s,
                           QStringLiteral(TRACT_SOURCE_DIR "/tests/data/hsl/"
                                                           "text_hindi.json"),
                           u"--output"_s, out, u"--theme"_s, u"light"_s},
                          env);
        *err = r.err;
        if (r.exitCode != 0)
            return -1;
        const QImage image(out);
        return image.isNull() ? -1 : inkPixels(image);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void nonAsciiSurvivesEveryLocale_data() {
        QTest::addColumn<QString>("locale");
        for (const char *locale : {"C", "C.UTF-8", "de_DE.UTF-8", "xx_YY.UTF-8"})
            QTest::newRow(locale) << QString::fromLatin1(locale);
    }

    void nonAsciiSurvivesEveryLocale() {
        QFETCH(QString, locale);
        const QProcessEnvironment env = localeEnv(locale);
        const QString dataDir = QDir(m_dir.path()).filePath(u"data-"_s + locale);
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start(fastSandboxArgs()), qPrintable(sandbox.errorString()));
        ConsoleProcess console;
        QVERIFY2(console.start(sandbox.baseUrl(), dataDir, 0, {}, env),
                 qPrintable(console.errorString()));
        QVERIFY2(console.waitForHookLines(15), console.output().constData());

        QCOMPARE(
            sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"env-1"_s}, {u"user_name"_s, kName}})
                .status,
            201);
        QCOMPARE(
            sandbox.post(u"/sandbox/messages"_s, {{u"user_id"_s, u"env-1"_s}, {u"text"_s, kText}})
                .status,
            200);
        VERIFY_DELIVERED(sandbox, 3, 10000);
        console.stop();

        const Run json =
            run({u"--export"_s, u"all"_s, u"--format"_s, u"json"_s, u"--data-dir"_s, dataDir}, env);
        QCOMPARE(json.exitCode, 0);
        QJsonParseError error;
        const QJsonObject exported = QJsonDocument::fromJson(json.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, json.out.left(300).constData());
        const QJsonObject thread = exportedThread(exported, u"env-1"_s);
        QVERIFY2(!thread.isEmpty(), json.out.left(300).constData());
        QCOMPARE(thread.value(u"user_name"_s).toString(), kName);
        QStringList texts;
        for (const QJsonValue &m : thread.value(u"messages"_s).toArray())
            texts << textOf(m.toObject());
        QVERIFY2(texts.contains(kText), qPrintable(texts.join(u" | ")));

        // The text export is UTF-8 whatever the locale says.
        const Run text = run(
            {u"--export"_s, u"env-1"_s, u"--format"_s, u"text"_s, u"--data-dir"_s, dataDir}, env);
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(kText.toUtf8()), text.out.left(400).constData());
        QVERIFY2(text.out.contains(kName.toUtf8()), text.out.left(400).constData());
    }

    // Fonts that fail to load: an unparsable fontconfig configuration, or a
    // cache full of garbage. The message still renders, with visible text.
    void brokenFontconfigStillRendersText() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        QByteArray err;
        const int normal = renderInk(env, u"normal"_s, &err);
        QVERIFY2(normal > 100, err.constData());

        const QString broken = QDir(m_dir.path()).filePath(u"broken-fonts.conf"_s);
        QFile conf(broken);
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("<?xml version=\"1.0\"?>\n<fontconfig><dir>/usr/share/fonts</dir><match");
        conf.close();
        env.insert(u"FONTCONFIG_FILE"_s, broken);
        const int withBrokenConfig = renderInk(env, u"broken-config"_s, &err);
        QVERIFY2(withBrokenConfig > 100, err.constData());

        // A cache directory whose files are garbage (a crash mid-write, a disk
        // error): fontconfig must rescan, not trust them.
        const QString cacheDir = QDir(m_dir.path()).filePath(u"garbage-cache"_s);
        QVERIFY(QDir().mkpath(cacheDir));
        const QString garbageConf = QDir(m_dir.path()).filePath(u"garbage-cache.conf"_s);
        QFile gc(garbageConf);
        QVERIFY(gc.open(QIODevice::WriteOnly));
        gc.write(QStringLiteral("<?xml version=\"1.0\"?>\n<fontconfig>"
                                "<dir>/usr/share/fonts</dir><cachedir>%1</cachedir>"
                                "<include ignore_missing=\"yes\">/etc/fonts/conf.d</include>"
                                "</fontconfig>\n")
                     .arg(cacheDir)
                     .toUtf8());
        gc.close();
        env.insert(u"FONTCONFIG_FILE"_s, garbageConf);
        QVERIFY(renderInk(env, u"fresh-cache"_s, &err) > 100); // fills the cache
        const QStringList caches = QDir(cacheDir).entryList(QDir::Files);
        QVERIFY2(!caches.isEmpty(), "fontconfig wrote no cache files");
        for (const QString &name : caches) {
            QFile f(QDir(cacheDir).filePath(name));
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 size = f.size();
            f.write(QByteArray(int(std::min<qint64>(size, 4096)), '\x5a'));
        }
        const int withGarbageCache = renderInk(env, u"garbage-cache"_s, &err);
        QVERIFY2(withGarbageCache > 100, err.constData());
    }
};

QTEST_GUILESS_MAIN(ConsoleEnvironmentTest)
#include "tst_console_environment.moc"
