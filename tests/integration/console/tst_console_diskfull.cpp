// The disk fills up under the console (issue #12): the real in-process core
// keeps its store on a small tmpfs the test mounts, the real sandbox delivers
// hooks, and the test fills the tmpfs to the last byte. The listener must then
// answer 503 (so TRACT retries) rather than ack what it could not commit;
// once space returns the retries land and every message is in the store once.
//
// Mounting needs root (CI runs as root); otherwise the test skips and says why.

#include "ConsoleTestKit.h"
#include "app/ConsoleCore.h"
#include "models/store/Store.h"
#include "network/listener/HookCatalog.h"
#include "network/registration/HookRegistrar.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <unistd.h>

using namespace consoletest;

namespace {

// The sandbox keeps retrying for 50 s: long enough to free the space.
QStringList patientSandboxArgs() {
    QStringList schedule;
    for (int i = 0; i < 100; ++i)
        schedule << u"0.5"_s;
    return {u"--bot-delay"_s,    u"20"_s,   u"--user-reply-delay"_s, u"0"_s,
            u"--hook-timeout"_s, u"2000"_s, u"--retry-schedule"_s,   schedule.join(u',')};
}

bool run(const QString &program, const QStringList &args, QString *output) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool ok =
        p.waitForFinished(20'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    *output = QString::fromLocal8Bit(p.readAll()).trimmed();
    return ok;
}

// Writes until the filesystem refuses another byte.
qint64 fillUp(const QString &path) {
    QFile filler(path);
    if (!filler.open(QIODevice::WriteOnly))
        return -1;
    qint64 total = 0;
    for (const int chunk : {256 * 1024, 4096, 512, 1}) {
        const QByteArray block(chunk, 'x');
        while (filler.write(block) == chunk && filler.flush())
            total += chunk;
        filler.unsetError();
    }
    filler.close();
    return total;
}

QStringList storedTexts(tract::store::Store *store, const QString &user) {
    QStringList texts;
    const auto page = store->messages(tract::store::MessageQuery::oldest({user, u"1"_s}, 1000));
    for (const auto &m : page.messages) {
        if (m.sender == u"ceu"_s)
            texts << m.body.value(u"text"_s).toString();
    }
    return texts;
}

bool any503(const SandboxProcess &sandbox) {
    const QJsonArray deliveries = sandbox.state().value(u"deliveries"_s).toArray();
    for (const QJsonValue &v : deliveries) {
        if (v.toObject().value(u"last_error"_s).toString() == u"HTTP 503"_s)
            return true;
    }
    return false;
}

} // namespace

class ConsoleDiskFullTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_mount;

private slots:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("needs root to mount a small tmpfs (scripts/test in CI runs as root)");
        QVERIFY(m_dir.isValid());
        const QString mount = m_dir.filePath(u"disk"_s);
        QVERIFY(QDir().mkpath(mount));
        QString out;
        if (!run(u"mount"_s,
                 {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=3m,mode=0700"_s, u"tmpfs"_s, mount}, &out))
            QSKIP(qPrintable(u"cannot mount a tmpfs here (%1)"_s.arg(out)));
        m_mount = mount;
    }

    void cleanupTestCase() {
        if (m_mount.isEmpty())
            return;
        QString out;
        if (!run(u"umount"_s, {m_mount}, &out))
            qWarning().noquote() << "umount" << m_mount << "failed:" << out;
    }

    void fullDiskAnswers503AndLosesNothing() {
        const QString user = u"disk-1"_s;
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start(patientSandboxArgs()), qPrintable(sandbox.errorString()));

        console::ConsoleCore::Settings settings;
        settings.tractUrl = sandbox.baseUrl();
        settings.clientId = u"demo"_s;
        settings.token = u"demo-token"_s;
        settings.receiverId = u"demo"_s;
        settings.dataDir = m_mount + u"/data"_s;
        settings.pathSecret = tract::generatePathSecret();
        console::ConsoleCore core(settings);
        QString error;
        QVERIFY2(core.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(core.registrar()->registeredCount(), 15, 10000);

        auto say = [&](const QString &text) {
            return sandbox.post(u"/sandbox/messages"_s, {{u"user_id"_s, user}, {u"text"_s, text}})
                       .status < 300;
        };
        QCOMPARE(sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, user}}).status, 201);
        QStringList said;
        for (int i = 1; i <= 5; ++i) {
            said << u"before %1"_s.arg(i);
            QVERIFY(say(said.constLast()));
        }
        QTRY_COMPARE_WITH_TIMEOUT(storedTexts(core.store(), user), said, 15000);
        VERIFY_DELIVERED(sandbox, 0, 15000);

        // The disk fills up. Messages keep coming; TRACT must hear 503.
        const QString filler = m_mount + u"/filler"_s;
        const qint64 filled = fillUp(filler);
        QVERIFY2(filled > 0, "could not fill the tmpfs");
        qInfo() << "filled the tmpfs with" << filled << "bytes";
        for (int i = 1; i <= 30; ++i) {
            said << u"while full %1 with a longer text so that pages fill up too"_s.arg(i);
            QVERIFY(say(said.constLast()));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(any503(sandbox), undelivered(sandbox).constData(), 20000);
        QVERIFY2(!allDelivered(sandbox), undelivered(sandbox).constData());
        // What was acknowledged before is still readable.
        QCOMPARE(storedTexts(core.store(), user).mid(0, 5), said.mid(0, 5));

        // Space returns: the retries land, each message once, in order.
        QVERIFY(QFile::remove(filler));
        VERIFY_DELIVERED(sandbox, 0, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(storedTexts(core.store(), user), said, 10000);
        // The console works normally afterwards.
        said << u"after"_s;
        QVERIFY(say(said.constLast()));
        QTRY_COMPARE_WITH_TIMEOUT(storedTexts(core.store(), user), said, 10000);
        core.stop();
    }
};

QTEST_GUILESS_MAIN(ConsoleDiskFullTest)
#include "tst_console_diskfull.moc"
