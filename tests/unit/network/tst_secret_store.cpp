// Tests of network/secrets against the real Secret Service: scripts/test runs
// ctest inside dbus-run-session with a fresh, unlocked gnome-keyring. The
// "no keychain" path runs in a child process (this binary, re-run with
// --no-keychain-child) whose session bus address points at a missing socket.
#include "network/secrets/ConsoleSecrets.h"
#include "network/secrets/FileSecretFallback.h"
#include "network/secrets/SecretStore.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusReply>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QMetaEnum>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <csignal>
#include <memory>
#include <optional>
#include <sys/stat.h>

using namespace secrets;
using Status = SecretResult::Status;

namespace {

constexpr int kWaitMs = 30'000;
const char kChildFlag[] = "--no-keychain-child";
const char kHungChildFlag[] = "--hung-keychain-child";

SecretResult waitFor(SecretJob *job) {
    auto out = std::make_shared<std::optional<SecretResult>>();
    QObject context;
    job->onResult(&context, [out](const SecretResult &r) { *out = r; });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, kWaitMs);
    if (!out->has_value()) {
        SecretResult timedOut;
        timedOut.message = QStringLiteral("test: no result within %1 ms").arg(kWaitMs);
        return timedOut;
    }
    return **out;
}

ConsoleSecrets::Loaded waitForLoaded(const std::function<void(ConsoleSecrets::Callback)> &start) {
    auto out = std::make_shared<std::optional<ConsoleSecrets::Loaded>>();
    start([out](const ConsoleSecrets::Loaded &l) { *out = l; });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, kWaitMs);
    return out->value_or(ConsoleSecrets::Loaded{});
}

mode_t modeOf(const QString &path) {
    struct stat st {};
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 0777;
}

// Unique per run: several test binaries share the session's keyring.
QString uniqueId() {
    return QStringLiteral("test-%1").arg(QRandomGenerator::global()->generate64(), 0, 16);
}

QStringList s_log;

// The child: no reachable keychain. Prints what it saw, one key=value per line.
int runNoKeychainChild(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const QString dataDir = app.arguments().value(2);
    SecretStore store;
    int changes = 0;
    QObject::connect(&store, &SecretStore::keychainAvailabilityChanged, &app,
                     [&changes](bool, const QString &) { ++changes; });
    const SecretResult written =
        waitFor(store.write(tokenKey(QStringLiteral("child")), QStringLiteral("x")));
    const SecretResult read = waitFor(store.read(tokenKey(QStringLiteral("child"))));

    ConsoleSecrets console(&store, dataDir);
    const auto hook = waitForLoaded([&](ConsoleSecrets::Callback cb) {
        console.loadHookPathSecret(QStringLiteral("child"), &app, cb);
    });
    const auto again = waitForLoaded([&](ConsoleSecrets::Callback cb) {
        console.loadHookPathSecret(QStringLiteral("child"), &app, cb);
    });
    QTextStream out(stdout);
    out << "write=" << SecretResult::statusName(written.status) << '\n'
        << "read=" << SecretResult::statusName(read.status) << '\n'
        << "available=" << (store.keychainAvailable() ? 1 : 0) << '\n'
        << "signals=" << changes << '\n'
        << "message=" << store.unavailableReason() << '\n'
        << "hook_source="
        << QMetaEnum::fromType<ConsoleSecrets::Source>().valueToKey(int(hook.source)) << '\n'
        << "hook_len=" << hook.result.value.size() << '\n'
        << "hook_stable=" << (hook.result.value == again.result.value ? 1 : 0) << '\n'
        << "hook_file="
        << console.fileFallback().filePath(hookPathSecretKey(QStringLiteral("child"))) << '\n';
    return 0;
}

// The child on its own D-Bus session and keyring (the parent starts it under
// dbus-run-session): stops the Secret Service daemon with SIGSTOP, as if an
// unlock prompt were waiting for a password nobody types, and reports what
// the queue did. Stopping the shared daemon would stall every other test.
int runHungKeychainChild(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    QDBusConnectionInterface *bus = QDBusConnection::sessionBus().interface();
    const QDBusReply<uint> pid =
        bus ? bus->servicePid(QStringLiteral("org.freedesktop.secrets")) : QDBusReply<uint>();
    if (!pid.isValid() || pid.value() == 0) {
        out << "error=no Secret Service on the private bus\n";
        return 1;
    }
    SecretStore store;
    store.setTimeout(1000);
    const QString key = tokenKey(QStringLiteral("hung"));
    out << "write="
        << SecretResult::statusName(waitFor(store.write(key, QStringLiteral("v"))).status) << '\n';
    ::kill(pid_t(pid.value()), SIGSTOP);
    QElapsedTimer clock;
    clock.start();
    SecretJob *first = store.read(key);
    SecretJob *second = store.read(key); // queued behind the stuck one
    const SecretResult stuck = waitFor(first);
    out << "stuck=" << SecretResult::statusName(stuck.status) << '\n'
        << "stuck_ms=" << clock.elapsed() << '\n'
        << "stuck_message=" << stuck.message << '\n';
    const SecretResult queued = waitFor(second);
    out << "queued=" << SecretResult::statusName(queued.status) << '\n'
        << "queued_ms=" << clock.elapsed() << '\n';
    ::kill(pid_t(pid.value()), SIGCONT);
    // The daemon answers the stale calls now; the next job gets its own answer.
    const SecretResult after = waitFor(store.read(key));
    out << "after=" << SecretResult::statusName(after.status) << '\n'
        << "after_value=" << after.value << '\n'
        << "available=" << (store.keychainAvailable() ? 1 : 0) << '\n';
    return 0;
}

} // namespace

// A macro, not a helper: QSKIP must return from the test function itself.
#define REQUIRE_KEYCHAIN()                                                                         \
    do {                                                                                           \
        if (!m_haveKeychain)                                                                       \
            QSKIP("no Secret Service on this session bus (scripts/test provides one)");            \
    } while (false)

class TestSecretStore : public QObject {
    Q_OBJECT

private:
    bool m_haveKeychain = false;

private slots:
    void initTestCase() {
        SecretStore store;
        const SecretResult probe = waitFor(store.read(tokenKey(uniqueId())));
        m_haveKeychain = probe.status != Status::NoKeychain;
        // Inside dbus-run-session (scripts/test) the keychain must work; a bare
        // `ctest` without a session bus may skip the keychain cases.
        if (!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QVERIFY2(m_haveKeychain, qPrintable(probe.message));
        QVERIFY2(probe.status == Status::NotFound || !m_haveKeychain, qPrintable(probe.message));
    }

    void keys() {
        QCOMPARE(serviceName(), QStringLiteral("tract-console"));
        QCOMPARE(tokenKey(QStringLiteral("demo")), QStringLiteral("token/demo"));
        QCOMPARE(hookPathSecretKey(QStringLiteral("demo")),
                 QStringLiteral("hook-path-secret/demo"));
        QCOMPARE(hookSecretKey(QStringLiteral("demo")), QStringLiteral("hook-secret/demo"));
        QCOMPARE(SecretStore().service(), QStringLiteral("tract-console"));
    }

    void roundTrip() {
        REQUIRE_KEYCHAIN();
        SecretStore store;
        const QString key = tokenKey(uniqueId());
        QCOMPARE(waitFor(store.read(key)).status, Status::NotFound);
        QVERIFY(waitFor(store.write(key, QStringLiteral("first-value"))).ok());
        SecretResult read = waitFor(store.read(key));
        QVERIFY2(read.ok(), qPrintable(read.message));
        QCOMPARE(read.value, QStringLiteral("first-value"));

        QVERIFY(waitFor(store.write(key, QStringLiteral("second value, ünïcode"))).ok());
        QCOMPARE(waitFor(store.read(key)).value, QStringLiteral("second value, ünïcode"));

        QVERIFY(waitFor(store.remove(key)).ok());
        read = waitFor(store.read(key));
        QCOMPARE(read.status, Status::NotFound);
        QVERIFY(read.value.isEmpty());
        QVERIFY(store.keychainAvailable());
    }

    void jobsRunInOrder() {
        REQUIRE_KEYCHAIN();
        SecretStore store;
        const QString id = uniqueId();
        QStringList finished;
        QObject context;
        const int n = 12;
        // Writes and reads of one key interleaved: each read must see the write
        // just before it, which only holds if the jobs run strictly in order.
        const QString shared = hookSecretKey(id);
        for (int i = 0; i < n; ++i) {
            store.write(shared, QStringLiteral("v%1").arg(i))
                ->onResult(&context, [&finished, i](const SecretResult &r) {
                    finished << QStringLiteral("w%1:%2").arg(i).arg(r.ok());
                });
            store.read(shared)->onResult(&context, [&finished, i](const SecretResult &r) {
                finished << QStringLiteral("r%1:%2").arg(i).arg(r.value);
            });
        }
        auto *last = store.remove(shared);
        QCOMPARE(store.pendingJobs(), 2 * n + 1);
        QVERIFY(waitFor(last).ok());
        QStringList expected;
        for (int i = 0; i < n; ++i)
            expected << QStringLiteral("w%1:1").arg(i) << QStringLiteral("r%1:v%1").arg(i);
        QCOMPARE(finished, expected);
        QCOMPARE(store.pendingJobs(), 0);
    }

    void handlerMayQueueMoreWork() {
        REQUIRE_KEYCHAIN();
        SecretStore store;
        const QString key = tokenKey(uniqueId());
        std::optional<SecretResult> nested;
        QObject context;
        store.write(key, QStringLiteral("abc"))->onResult(&context, [&](const SecretResult &) {
            // Queued from inside a finished handler: starts later, from the queue.
            store.read(key)->onResult(&context, [&](const SecretResult &r) { nested = r; });
            QCOMPARE(store.pendingJobs(), 1);
        });
        QTRY_VERIFY_WITH_TIMEOUT(nested.has_value(), kWaitMs);
        QCOMPARE(nested->value, QStringLiteral("abc"));
        QVERIFY(waitFor(store.remove(key)).ok());
    }

    void destroyedReceiverGetsNothing() {
        REQUIRE_KEYCHAIN();
        SecretStore store;
        bool delivered = false;
        auto *receiver = new QObject;
        store.read(tokenKey(uniqueId()))->onResult(receiver, [&](const SecretResult &) {
            delivered = true;
        });
        delete receiver;
        QVERIFY(waitFor(store.read(tokenKey(uniqueId()))).status == Status::NotFound);
        QVERIFY(!delivered);
    }

    void noKeychainIsDetectedInAChild() {
        QTemporaryDir data;
        QVERIFY(data.isValid());
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                   QStringLiteral("unix:path=%1/no-such-bus-socket").arg(data.path()));
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(),
                    {QString::fromLatin1(kChildFlag), data.path()});
        QVERIFY(child.waitForFinished(60'000));
        QCOMPARE(child.exitCode(), 0);
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QVERIFY2(out.contains(QLatin1String("write=NoKeychain\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("read=NoKeychain\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("available=0\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("signals=1\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("message=No keychain is reachable")), qPrintable(out));
        // The hook-path secret falls back to the private file, generated once.
        QVERIFY2(out.contains(QLatin1String("hook_source=File\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("hook_len=43\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("hook_stable=1\n")), qPrintable(out));
        const QString file =
            FileSecretFallback(data.path()).filePath(hookPathSecretKey(QStringLiteral("child")));
        QCOMPARE(modeOf(file), mode_t(0600));
        QCOMPARE(child.readAllStandardError().contains("x\n"), false);
    }

    // An unanswered unlock prompt (the daemon stopped) times the job out with
    // a message, the job queued behind it times out too instead of waiting
    // for ever, and once the keychain answers again everything works.
    void hungKeychainTimesOut() {
        const QString session = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
        const QString keyring =
            QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (session.isEmpty() || keyring.isEmpty())
            QSKIP("needs dbus-run-session and gnome-keyring-daemon (scripts/setup installs them)");
        QTemporaryDir home;
        QVERIFY(home.isValid());
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // A keyring of its own, in a scratch data dir.
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path());
        child.setProcessEnvironment(env);
        child.start(session, {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                              QStringLiteral("echo -n hung | gnome-keyring-daemon --unlock "
                                             "--components=secrets >/dev/null && exec \"$0\" %1")
                                  .arg(QString::fromLatin1(kHungChildFlag)),
                              QCoreApplication::applicationFilePath()});
        QVERIFY(child.waitForFinished(60'000));
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QVERIFY2(child.exitCode() == 0,
                 qPrintable(out + QString::fromUtf8(child.readAllStandardError())));
        QVERIFY2(out.contains(QLatin1String("write=Ok\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("stuck=TimedOut\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("stuck_message=The keychain did not answer")),
                 qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("unlock prompt")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("queued=TimedOut\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("after=Ok\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("after_value=v\n")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("available=1\n")), qPrintable(out));
        // Each waited about the timeout, not D-Bus's 25 s.
        const auto ms = [&](const QString &name) {
            const int at = out.indexOf(name + QLatin1Char('='));
            return out.mid(at + name.size() + 1).section(QLatin1Char('\n'), 0, 0).toInt();
        };
        QVERIFY2(ms(QStringLiteral("stuck_ms")) >= 900 && ms(QStringLiteral("stuck_ms")) < 10'000,
                 qPrintable(out));
        QVERIFY2(ms(QStringLiteral("queued_ms")) < 15'000, qPrintable(out));
    }

    // --- the 0600 file fallback ---------------------------------------------

    void fileFallbackIsPrivateAndAtomic() {
        QTemporaryDir data;
        FileSecretFallback file(data.path());
        const QString key = hookPathSecretKey(QStringLiteral("demo"));
        QCOMPARE(file.read(key).status, Status::NotFound);
        QVERIFY(file.write(key, QStringLiteral("s3cret-path")).ok());

        const QString path = file.filePath(key);
        QCOMPARE(QFileInfo(path).fileName(), QStringLiteral("hook-path-secret%2Fdemo"));
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(modeOf(file.directory()), mode_t(0700));
        QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                             QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        QVERIFY(QFile::permissions(path).testFlag(QFileDevice::ReadOwner));
        QCOMPARE(file.read(key).value, QStringLiteral("s3cret-path"));
        // No temporary file left behind by the atomic write.
        QCOMPARE(QDir(file.directory()).entryList(QDir::Files | QDir::Hidden),
                 QStringList{QStringLiteral("hook-path-secret%2Fdemo")});

        // Overwriting a file someone made readable makes it private again.
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        QVERIFY(file.write(key, QStringLiteral("replaced")).ok());
        QCOMPARE(modeOf(path), mode_t(0600));
        QCOMPARE(file.read(key).value, QStringLiteral("replaced"));

        QVERIFY(file.remove(key).ok());
        QCOMPARE(file.read(key).status, Status::NotFound);
        QCOMPARE(file.remove(key).status, Status::NotFound);
    }

    void fileFallbackRefusesReadableFiles() {
        QTemporaryDir data;
        FileSecretFallback file(data.path());
        const QString key = hookPathSecretKey(QStringLiteral("demo"));
        QVERIFY(file.write(key, QStringLiteral("pw-4711")).ok());
        const QString path = file.filePath(key);

        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0644) == 0);
        SecretResult r = file.read(key);
        QCOMPARE(r.status, Status::Denied);
        QVERIFY(r.value.isEmpty());
        QVERIFY2(r.message.contains(QLatin1String("0644")), qPrintable(r.message));
        QVERIFY(!r.message.contains(QLatin1String("pw-4711")));

        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0640) == 0);
        QCOMPARE(file.read(key).status, Status::Denied);
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0600) == 0);
        QCOMPARE(file.read(key).value, QStringLiteral("pw-4711"));

        // A symlink to a private file elsewhere is not followed.
        const QString other = hookPathSecretKey(QStringLiteral("other"));
        QVERIFY(QFile::link(path, file.filePath(other)));
        QCOMPARE(file.read(other).status, Status::Denied);
    }

    // --- where the console's secrets come from ------------------------------

    void tokenFromEnvironmentWins() {
        SecretStore store;
        QTemporaryDir data;
        ConsoleSecrets console(&store, data.path());
        QProcessEnvironment env;
        env.insert(QStringLiteral("TRACT_TOKEN"), QStringLiteral("env-token"));
        console.setEnvironment(env);
        QObject context;
        const auto l = waitForLoaded([&](ConsoleSecrets::Callback cb) {
            console.loadToken(QStringLiteral("demo"), &context, cb);
        });
        QVERIFY(l.result.ok());
        QCOMPARE(l.result.value, QStringLiteral("env-token"));
        QCOMPARE(l.source, ConsoleSecrets::Source::Environment);
        QCOMPARE(store.pendingJobs(), 0); // the keychain was not asked
    }

    void tokenAndHookSecretFromKeychain() {
        REQUIRE_KEYCHAIN();
        SecretStore store;
        QTemporaryDir data;
        ConsoleSecrets console(&store, data.path());
        console.setEnvironment(QProcessEnvironment());
        QObject context;
        const QString id = uniqueId();

        auto l = waitForLoaded(
            [&](ConsoleSecrets::Callback cb) { console.loadToken(id, &context, cb); });
        QCOMPARE(l.result.status, Status::NotFound);
        QVERIFY2(l.result.message.contains(QLatin1String("TRACT_TOKEN")),
                 qPrintable(l.result.message));

        QVERIFY(waitForLoaded([&](ConsoleSecrets::Callback cb) {
                    console.storeToken(id, QStringLiteral("kc-token"), &context, cb);
                }).result.ok());
        l = waitForLoaded(
            [&](ConsoleSecrets::Callback cb) { console.loadToken(id, &context, cb); });
        QCOMPARE(l.result.value, QStringLiteral("kc-token"));
        QCOMPARE(l.source, ConsoleSecrets::Source::Keychain);

        const auto first = waitForLoaded(
            [&](ConsoleSecrets::Callback cb) { console.loadHookPathSecret(id, &context, cb); });
        QVERIFY2(first.result.ok(), qPrintable(first.result.message));
        QCOMPARE(first.source, ConsoleSecrets::Source::Keychain);
        QCOMPARE(first.result.value.size(), 43); // 256 bits, base64url, no padding
        QVERIFY(!first.result.value.contains(QLatin1Char('+')) &&
                !first.result.value.contains(QLatin1Char('/')));
        const auto second = waitForLoaded(
            [&](ConsoleSecrets::Callback cb) { console.loadHookPathSecret(id, &context, cb); });
        QCOMPARE(second.result.value, first.result.value);
        QVERIFY(!QFile::exists(console.fileFallback().filePath(hookPathSecretKey(id))));

        QVERIFY(waitFor(store.remove(tokenKey(id))).ok());
        QVERIFY(waitFor(store.remove(hookPathSecretKey(id))).ok());
    }

    void secretsNeverLogged() {
        REQUIRE_KEYCHAIN();
        s_log.clear();
        QLoggingCategory::setFilterRules(QStringLiteral("tract.*=true"));
        const QtMessageHandler previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &msg) { s_log << msg; });
        const QString secret = QStringLiteral("zz-secret-7f3a9c-zz");
        {
            SecretStore store;
            const QString key = tokenKey(uniqueId());
            QVERIFY(waitFor(store.write(key, secret)).ok());
            QCOMPARE(waitFor(store.read(key)).value, secret);
            QVERIFY(waitFor(store.remove(key)).ok());
            QTemporaryDir data;
            FileSecretFallback file(data.path());
            QVERIFY(file.write(key, secret).ok());
            QCOMPARE(file.read(key).value, secret);
        }
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
        const QString log = s_log.join(QLatin1Char('\n'));
        QVERIFY2(log.contains(QLatin1String("token/")), qPrintable(log)); // it did log, by key
        QVERIFY2(!log.contains(secret), qPrintable(log));
    }
};

int main(int argc, char **argv) {
    if (argc >= 2 && qstrcmp(argv[1], kChildFlag) == 0)
        return runNoKeychainChild(argc, argv);
    if (argc >= 2 && qstrcmp(argv[1], kHungChildFlag) == 0)
        return runHungKeychainChild(argc, argv);
    QCoreApplication app(argc, argv);
    TestSecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_secret_store.moc"
