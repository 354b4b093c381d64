// tract-sandbox's command line: the fixed contract, and bad values that must end
// the program with a non-zero exit and one line naming the option.

#include "SandboxTestKit.h"

#include <QProcess>
#include <QTcpServer>
#include <QTemporaryFile>

using namespace sbtest;

namespace {

struct Run {
    int exitCode = -1;
    QByteArray out, err;
};

Run run(const QStringList &args) {
    QProcess p;
    p.start(SandboxProcess::binary(), args);
    Run r;
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class SandboxCliTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(!SandboxProcess::binary().isEmpty(), "TRACT_SANDBOX_BIN"); }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString listen = u"--listen"_s;
        QTest::newRow("listen without port")
            << QStringList{listen, u"127.0.0.1"_s} << 2
            << u"tract-sandbox: --listen: expected HOST:PORT, e.g. 127.0.0.1:8470"_s;
        QTest::newRow("listen port too big")
            << QStringList{listen, u"127.0.0.1:70000"_s} << 2
            << u"tract-sandbox: --listen: expected HOST:PORT, e.g. 127.0.0.1:8470"_s;
        QTest::newRow("listen port not a number")
            << QStringList{listen, u"127.0.0.1:http"_s} << 2
            << u"tract-sandbox: --listen: expected HOST:PORT, e.g. 127.0.0.1:8470"_s;
        QTest::newRow("listen host not an address")
            << QStringList{listen, u"example.com:8470"_s} << 2
            << u"tract-sandbox: --listen: 'example.com' is not an IP address"_s;
        QTest::newRow("listen bad IPv4")
            << QStringList{listen, u"999.1.1.1:0"_s} << 2
            << u"tract-sandbox: --listen: '999.1.1.1' is not an IP address"_s;
        QTest::newRow("retry schedule word")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--retry-schedule"_s, u"5,soon,25"_s} << 2
            << u"tract-sandbox: --retry-schedule: 'soon' is not a number of seconds between 0 and "
               "86400"_s;
        QTest::newRow("retry schedule negative")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--retry-schedule=-1"_s} << 2
            << u"tract-sandbox: --retry-schedule: '-1' is not a number of seconds between 0 and "
               "86400"_s;
        QTest::newRow("retry schedule too long")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--retry-schedule"_s, u"99999"_s} << 2
            << u"tract-sandbox: --retry-schedule: '99999' is not a number of seconds between 0 "
               "and 86400"_s;
        QTest::newRow("unknown scenario")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--scenario"_s, u"no-such-scenario"_s} << 2
            << u"tract-sandbox: --scenario: no file 'no-such-scenario' and no built-in scenario "
               "of that name (built in: demo, quiet)"_s;
        QTest::newRow("load zero users")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--load"_s, u"users=0,rate=1,duration=1"_s}
            << 2 << u"tract-sandbox: --load: 'users=0' is not key=positive number"_s;
        QTest::newRow("load unknown key")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--load"_s,
                           u"users=1,rate=1,duration=1,burst=2"_s}
            << 2 << u"tract-sandbox: --load: unknown key 'burst' (use users, rate, duration)"_s;
        QTest::newRow("load incomplete")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--load"_s, u"users=1,rate=1"_s} << 2
            << u"tract-sandbox: --load: expected users=N,rate=R,duration=S"_s;
        QTest::newRow("hook timeout zero")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--hook-timeout"_s, u"0"_s} << 2
            << u"tract-sandbox: --hook-timeout: must be positive"_s;
        QTest::newRow("bot delay word")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--bot-delay"_s, u"fast"_s} << 2
            << u"tract-sandbox: --bot-delay: expected milliseconds between 0 and 3600000"_s;
        QTest::newRow("client id iva")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--client-id"_s, u"iva"_s} << 2
            << u"tract-sandbox: --client-id: 'iva' and 'sac' are Haptik's own receivers"_s;
        QTest::newRow("empty token") << QStringList{listen, u"127.0.0.1:0"_s, u"--token="_s} << 2
                                     << u"tract-sandbox: --token: must not be empty"_s;
        QTest::newRow("seed negative")
            << QStringList{listen, u"127.0.0.1:0"_s, u"--seed=-3"_s} << 2
            << u"tract-sandbox: --seed: expected a non-negative whole number"_s;
        QTest::newRow("unknown option") << QStringList{listen, u"127.0.0.1:0"_s, u"--frobnicate"_s}
                                        << 1 << u"tract-sandbox: Unknown option 'frobnicate'."_s;
    }

    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run r = run(args);
        QCOMPARE(r.exitCode, exitCode);
        QCOMPARE(r.out, QByteArray());                       // no "listening on" line
        QCOMPARE(QString::fromUtf8(r.err), message + u'\n'); // exactly one line
    }

    void badScenarioFile() {
        QTemporaryFile file(QDir::tempPath() + u"/scenario-XXXXXX.json"_s);
        QVERIFY(file.open());
        file.write("{\"name\": \"broken\", \"steps\": [{\"after_ms\": 10}]}");
        file.close();
        const Run r = run({u"--listen"_s, u"127.0.0.1:0"_s, u"--scenario"_s, file.fileName()});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(QString::fromUtf8(r.err),
                 u"tract-sandbox: %1: steps[0].user_id: required field missing\n"_s.arg(
                     file.fileName()));
    }

    void portInUse() {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        const Run r = run({u"--listen"_s, u"127.0.0.1:%1"_s.arg(taken.serverPort())});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.out, QByteArray());
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.startsWith(
                     u"tract-sandbox: cannot listen on 127.0.0.1:%1: "_s.arg(taken.serverPort())),
                 qPrintable(err));
        QCOMPARE(err.count(u'\n'), 1);
    }

    void firstLineAndDefaults() {
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start(), qPrintable(sandbox.errorString()));
        QCOMPARE(sandbox.baseUrl().scheme(), u"http"_s);
        QCOMPARE(sandbox.baseUrl().host(), u"127.0.0.1"_s);
        QVERIFY(sandbox.port() > 0); // port 0 picked a free one
        QCOMPARE(sandbox.baseUrl().toString(), u"http://127.0.0.1:%1"_s.arg(sandbox.port()));
        // Default client id `demo`, token `demo-token`.
        QCOMPARE(sandbox.tract("GET", u"/tract/hooks/list/"_s).status, 200);
        QCOMPARE(sandbox.state().value(u"client_id"_s).toString(), u"demo"_s);
    }

    void customCredentials() {
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({u"--client-id"_s, u"acme-ect"_s, u"--token"_s, u"s3cr3t"_s}),
                 qPrintable(sandbox.errorString()));
        QCOMPARE(sandbox.tract("GET", u"/tract/hooks/list/"_s).status, 401);
        QCOMPARE(sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, u"s3cr3t"_s, u"demo"_s).status,
                 401);
        QCOMPARE(
            sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, u"s3cr3t"_s, u"acme-ect"_s).status,
            200);
        // The ECT's listener id is its client id.
        QCOMPARE(sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"q"_s}}).status, 201);
        const auto r = sandbox.tract("POST", u"/tract/thread_control/listeners/"_s,
                                     {{u"user_id"_s, u"q"_s}}, u"s3cr3t"_s, u"acme-ect"_s);
        QCOMPARE(r.json.value(u"listeners"_s).toArray().at(2).toObject().value(u"id"_s).toString(),
                 u"acme-ect"_s);
    }

    void localhostAndExplicitPort() {
        // A free port, found the same way the sandbox would.
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        QProcess p;
        p.start(SandboxProcess::binary(), {u"--listen"_s, u"localhost:%1"_s.arg(port)});
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(p.canReadLine(), 5000);
        QCOMPARE(p.readLine(), u"listening on http://127.0.0.1:%1\n"_s.arg(port).toUtf8());
        p.terminate();
        QVERIFY(p.waitForFinished(3000));
    }
};

QTEST_GUILESS_MAIN(SandboxCliTest)
#include "tst_sandbox_cli.moc"
