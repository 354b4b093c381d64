// The console gets its access token by a signed request (issue #12), against
// the real tract-sandbox --require-signed-token over loopback:
// - the real tract-console --headless with --signing-key/--cert-uuid/--fqdn
//   registers its hooks with the token it was issued, renews it, and never
//   prints it; a key others may read, a wrong key, an expired certificate and
//   incomplete options end it with a clear message; a key imported into the
//   keychain works without --signing-key;
// - the real launcher and core in-process send replies with the issued token,
//   after it expired (renewed in time) and after TRACT revoked it (401, a new
//   token, the reply sent once).

#include "ConsoleTestKit.h"
#include "TestPki.h"
#include "app/ConsoleCore.h"
#include "app/ConsoleLauncher.h"
#include "models/store/Store.h"
#include "network/client/TokenKeeper.h"
#include "network/outbox/ConversationService.h"
#include "network/outbox/OutboxSender.h"
#include "network/registration/HookRegistrar.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace consoletest;
using testsupport::makeCertificate;
using testsupport::makeIdentity;
using testsupport::TestIdentity;
using testsupport::writeFile;

namespace {

const QString kFqdn = u"ect.example.test"_s;
const QString kUuid = u"cert-e2e-1"_s;

int tokensIssued(const SandboxProcess &sandbox) {
    return sandbox.state().value(u"tokens_issued"_s).toInt();
}

int registeredHooks(const SandboxProcess &sandbox) {
    return int(sandbox.state().value(u"hooks"_s).toArray().size());
}

QStringList receivedTexts(const SandboxProcess &sandbox) {
    QStringList texts;
    for (const QJsonValue &v :
         sandbox.state().value(u"received"_s).toObject().value(u"messages"_s).toArray())
        texts.append(textOf(v.toObject()));
    return texts;
}

bool prepareUser(const SandboxProcess &sandbox, const QString &userId) {
    const int created = sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, userId}}).status;
    const int owned =
        sandbox.post(u"/sandbox/owner"_s, {{u"user_id"_s, userId}, {u"receiver"_s, u"demo"_s}})
            .status;
    return created == 201 && owned == 200;
}

} // namespace

class ConsoleAuthTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestIdentity m_good;
    SandboxProcess m_sandbox; // tokens live 3 s

    QString file(const QString &name) const { return QDir(m_dir.path()).filePath(name); }
    QString dataDir(const QString &name) const { return file(u"data-"_s + name); }
    QStringList signingArgs(const QString &key) const {
        return {u"--signing-key"_s, key, u"--cert-uuid"_s, kUuid, u"--fqdn"_s, kFqdn};
    }
    // The full command line of a headless console against `sandbox`.
    QStringList headless(const SandboxProcess &sandbox, const QString &data,
                         const QStringList &more) const {
        return QStringList{u"--headless"_s,
                           u"--tract-url"_s,
                           sandbox.baseUrl().toString(),
                           u"--data-dir"_s,
                           data,
                           u"--listen"_s,
                           u"127.0.0.1:0"_s} +
               more;
    }
    static QProcessEnvironment env() {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        e.remove(u"TRACT_TOKEN"_s);
        return e;
    }
    bool startSigned(SandboxProcess &sandbox, const QString &cert, int lifetime) const {
        return sandbox.start(fastSandboxArgs() +
                             QStringList{u"--require-signed-token"_s, cert, u"--cert-uuid"_s, kUuid,
                                         u"--token-lifetime"_s, QString::number(lifetime)});
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!ConsoleProcess::binary().isEmpty(), "TRACT_CONSOLE_BIN");
        m_good = makeIdentity(kFqdn);
        QVERIFY(!m_good.keyPem.isEmpty());
        QVERIFY(writeFile(file(u"ect.key"_s), m_good.keyPem, 0600));
        QVERIFY(writeFile(file(u"ect.pem"_s), m_good.certPem, 0644));
        QVERIFY2(startSigned(m_sandbox, file(u"ect.pem"_s), 3),
                 qPrintable(m_sandbox.errorString()));
    }

    void headlessConsoleRegistersHooksWithIssuedToken() {
        ConsoleProcess console;
        QVERIFY2(console.start(m_sandbox.baseUrl(), dataDir(u"headless"_s), 0,
                               signingArgs(file(u"ect.key"_s))),
                 qPrintable(console.errorString()));
        QVERIFY2(console.waitForHookLines(15), console.output().constData());
        for (const QString &line : console.hookLines())
            QVERIFY2(line.endsWith(u": registered"_s), qPrintable(line));
        QCOMPARE(registeredHooks(m_sandbox), 15);
        const int first = tokensIssued(m_sandbox);
        QVERIFY(first >= 1);
        // The 3 s token is renewed before it runs out, again and again.
        QTRY_VERIFY_WITH_TIMEOUT(tokensIssued(m_sandbox) >= first + 2, 10000);
        QVERIFY(console.process().state() == QProcess::Running);
        const QByteArray out = console.output();
        QVERIFY2(!out.contains("failed"), out.constData());
        // Neither token (a JWT's header starts "eyJ") nor key is ever printed.
        QVERIFY2(!out.contains("eyJ"), out.constData());
        QVERIFY(!out.contains(m_good.keyPem.split('\n').at(1)));
        console.stop();
        m_sandbox.post(u"/sandbox/reset"_s, {});
    }

    void refusedStarts_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("key readable by others")
            << u"open-key"_s << 1 << u"other users may read it (mode 0644)"_s;
        QTest::newRow("no such key file") << u"missing-key"_s << 1 << u"no such file"_s;
        QTest::newRow("not a key") << u"garbage-key"_s << 1 << u"not in PEM format"_s;
        QTest::newRow("wrong key")
            << u"wrong-key"_s << 1
            << u"TRACT did not issue an access token: TRACT rejected the request to issue an "
               u"access token: the signature does not match"_s;
        QTest::newRow("unknown certificate UUID")
            << u"wrong-uuid"_s << 1 << u"SignatureCertUUID names no certificate"_s;
        QTest::newRow("fqdn not in the certificate")
            << u"wrong-fqdn"_s << 1 << u"is not among the signing certificate's DNS names"_s;
        QTest::newRow("cert-uuid without fqdn")
            << u"no-fqdn"_s << 2 << u"--cert-uuid needs --fqdn"_s;
        QTest::newRow("fqdn with a space")
            << u"bad-fqdn"_s << 2 << u"--fqdn: expected a host name"_s;
        QTest::newRow("uuid with CR LF")
            << u"bad-uuid"_s << 2 << u"--cert-uuid: expected up to 128"_s;
        QTest::newRow("signing key without uuid")
            << u"no-uuid"_s << 2 << u"--signing-key: goes with --cert-uuid"_s;
    }
    void refusedStarts() {
        QFETCH(QString, what);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const QString good = file(u"ect.key"_s);
        QStringList args = signingArgs(good);
        if (what == u"open-key"_s) {
            QVERIFY(writeFile(file(u"open.key"_s), m_good.keyPem, 0644));
            args = signingArgs(file(u"open.key"_s));
        } else if (what == u"missing-key"_s) {
            args = signingArgs(file(u"nothing-here.key"_s));
        } else if (what == u"garbage-key"_s) {
            QVERIFY(writeFile(file(u"garbage.key"_s), QByteArray(500, 'g'), 0600));
            args = signingArgs(file(u"garbage.key"_s));
        } else if (what == u"wrong-key"_s) {
            QVERIFY(writeFile(file(u"other.key"_s), makeIdentity(kFqdn).keyPem, 0600));
            args = signingArgs(file(u"other.key"_s));
        } else if (what == u"wrong-uuid"_s) {
            args[3] = u"some-other-cert"_s;
        } else if (what == u"wrong-fqdn"_s) {
            args[5] = u"other.example.test"_s;
        } else if (what == u"no-fqdn"_s) {
            args = args.mid(0, 4);
        } else if (what == u"bad-fqdn"_s) {
            args[5] = u"ect example"_s;
        } else if (what == u"bad-uuid"_s) {
            args[3] = u"abc\r\nX-Evil: 1"_s;
        } else if (what == u"no-uuid"_s) {
            args = args.mid(0, 2);
        }
        const auto run =
            ConsoleProcess::run(headless(m_sandbox, dataDir(what), args), env(), 30000);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(!run.err.contains(m_good.keyPem.split('\n').at(1))); // no key material
        QVERIFY(!run.out.contains("listening on"));
    }

    void expiredCertificateIsReportedAtStart() {
        QVERIFY(writeFile(file(u"expired.pem"_s),
                          makeCertificate(m_good.keyPem, kFqdn, -7 * 86400, -86400), 0644));
        SandboxProcess sandbox;
        QVERIFY2(startSigned(sandbox, file(u"expired.pem"_s), 3600),
                 qPrintable(sandbox.errorString()));
        const auto run = ConsoleProcess::run(
            headless(sandbox, dataDir(u"expired"_s), signingArgs(file(u"ect.key"_s))), env(),
            30000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("TRACT did not issue an access token") &&
                     run.err.contains("the signing certificate expired at"),
                 run.err.constData());
    }

    // The key in the keychain instead of a file: --import-signing-key, then
    // --cert-uuid and --fqdn alone.
    void keyImportedIntoTheKeychain() {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("needs a Secret Service: run through scripts/test");
        const auto refused = ConsoleProcess::run(
            {u"--import-signing-key"_s, file(u"open.key"_s), u"--client-id"_s, u"demo"_s}, env());
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("other users may read it"), refused.err.constData());

        const auto imported = ConsoleProcess::run(
            {u"--import-signing-key"_s, file(u"ect.key"_s), u"--client-id"_s, u"demo"_s}, env());
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        QVERIFY2(imported.out.contains("signing key (RSA-2048) stored in the keychain for client "
                                       "id 'demo'"),
                 imported.out.constData());
        QVERIFY(!imported.out.contains("PRIVATE"));

        ConsoleProcess console;
        QVERIFY2(console.start(m_sandbox.baseUrl(), dataDir(u"keychain"_s), 0,
                               {u"--cert-uuid"_s, kUuid, u"--fqdn"_s, kFqdn}),
                 qPrintable(console.errorString()));
        QVERIFY2(console.waitForHookLines(15), console.output().constData());
        for (const QString &line : console.hookLines())
            QVERIFY2(line.endsWith(u": registered"_s), qPrintable(line));

        // Another client id has no key there.
        const auto none = ConsoleProcess::run(
            headless(m_sandbox, dataDir(u"nokey"_s),
                     {u"--client-id"_s, u"acme"_s, u"--cert-uuid"_s, kUuid, u"--fqdn"_s, kFqdn}),
            env(), 30000);
        QCOMPARE(none.exitCode, 1);
        QVERIFY2(none.err.contains("no signing key for client id 'acme' in the keychain"),
                 none.err.constData());
        console.stop();
        m_sandbox.post(u"/sandbox/reset"_s, {});
    }

    // The real launcher and core: replies go out with the issued token, before
    // and after it expired, and after TRACT revoked it.
    void repliesAcrossRenewalAndRevocation() {
        SandboxProcess longLived; // tokens live an hour: only a 401 renews them
        QVERIFY2(startSigned(longLived, file(u"ect.pem"_s), 3600),
                 qPrintable(longLived.errorString()));
        for (SandboxProcess *sandbox : {&m_sandbox, &longLived}) {
            const bool shortLived = sandbox == &m_sandbox;
            console::ConsoleOptions options;
            options.tractUrl = sandbox->baseUrl();
            options.clientId = u"demo"_s;
            options.dataDir = dataDir(shortLived ? u"core-short"_s : u"core-long"_s);
            options.signingKeyFile = file(u"ect.key"_s);
            options.certUuid = kUuid;
            options.fqdn = kFqdn;
            console::ConsoleLauncher launcher(options);
            QSignalSpy started(&launcher, &console::ConsoleLauncher::started);
            QSignalSpy failedToStart(&launcher, &console::ConsoleLauncher::failed);
            launcher.launch();
            QTRY_VERIFY_WITH_TIMEOUT(started.count() + failedToStart.count() > 0, 15000);
            QVERIFY2(started.count() == 1,
                     failedToStart.isEmpty()
                         ? "no start"
                         : qPrintable(failedToStart.first().first().toString()));
            console::ConsoleCore *core = launcher.core();
            QTRY_COMPARE_WITH_TIMEOUT(core->registrar()->registeredCount(), 15, 10000);
            const QString user = shortLived ? u"auth-short"_s : u"auth-long"_s;
            QVERIFY(prepareUser(*sandbox, user));
            QSignalSpy delivered(core->outbox(), &tract::OutboxSender::delivered);
            QSignalSpy failed(core->outbox(), &tract::OutboxSender::failed);
            const auto send = [&](const QString &text) {
                const auto queued = core->conversations()->sendMessage(user, u"1"_s, textHsl(text));
                QVERIFY2(queued.ok, qPrintable(queued.error));
            };

            send(u"first"_s);
            QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 1, 10000);
            const int issuedBefore = tokensIssued(*sandbox);
            if (shortLived) {
                // Past the first token's 3 s: renewed in time, the reply just goes.
                QTest::qWait(4000);
                QVERIFY(tokensIssued(*sandbox) > issuedBefore);
                send(u"after expiry"_s);
            } else {
                QCOMPARE(issuedBefore, 1);
                QCOMPARE(sandbox->post(u"/sandbox/revoke-tokens"_s, {}).status, 200);
                send(u"after revocation"_s);
            }
            QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 2, 15000);
            QCOMPARE(failed.count(), 0);
            if (!shortLived)
                QCOMPARE(tokensIssued(*sandbox), 2); // the 401 got exactly one new token
            QCOMPARE(
                receivedTexts(*sandbox),
                QStringList({u"first"_s, shortLived ? u"after expiry"_s : u"after revocation"_s}));
            QVERIFY(launcher.tokenKeeper()->hasToken());
            core->stop();
        }
    }
};

QTEST_GUILESS_MAIN(ConsoleAuthTest)
#include "tst_console_auth.moc"
