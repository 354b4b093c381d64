// tract-sandbox --require-signed-token: the signed token issue Haptik documents
// (POST /tract/management/token/issue/, Signature = base64 RSA-SHA1 over the
// exact body, SignatureCertUUID), checked against the real binary over loopback
// HTTP. Keys and certificates are made per run (TestPki); signatures in this
// file are computed with OpenSSL directly, not with the console's signer.

#include "SandboxTestKit.h"
#include "TestPki.h"

#include <QDateTime>
#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

using namespace sbtest;
using testsupport::makeCertificate;
using testsupport::makeIdentity;
using testsupport::signSha1;
using testsupport::TestIdentity;
using testsupport::writeFile;

namespace {

const QString kFqdn = u"ect.example.test"_s;
const QByteArray kUuid = "test-cert-1";

QString stamp(const QDateTime &t) {
    return t.toUTC().toString(u"yyyy-MM-dd'T'HH:mm:ss'Z'"_s);
}

QByteArray issueBody(const QDateTime &t = QDateTime::currentDateTimeUtc(),
                     const QString &clientId = u"demo"_s, const QString &fqdn = kFqdn) {
    return compact({{u"client_id"_s, clientId}, {u"fqdn"_s, fqdn}, {u"timestamp"_s, stamp(t)}});
}

SandboxProcess::Reply issue(const SandboxProcess &sandbox, const QByteArray &body,
                            const QByteArray &signature, const QByteArray &uuid = kUuid) {
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
    if (!signature.isNull())
        headers.append({"Signature", signature});
    if (!uuid.isNull())
        headers.append({"SignatureCertUUID", uuid});
    return sandbox.raw("POST", u"/tract/management/token/issue/"_s, body, headers);
}

QJsonObject jwtPayload(const QString &token) {
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3)
        return {};
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding))
        .object();
}

QString errorOf(const SandboxProcess::Reply &r) {
    return r.json.value(u"error"_s).toString();
}

struct ProcessRun {
    int exitCode = -1;
    QByteArray err;
};

ProcessRun runSandbox(const QStringList &args) {
    QProcess p;
    p.start(SandboxProcess::binary(), QStringList{u"--listen"_s, u"127.0.0.1:0"_s} + args);
    ProcessRun r;
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitCode();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class SandboxAuthTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestIdentity m_good;
    TestIdentity m_other; // a key TRACT never saw
    SandboxProcess m_sandbox;

    QString file(const QString &name) const { return QDir(m_dir.path()).filePath(name); }
    QByteArray sign(const QByteArray &body) const { return signSha1(m_good.keyPem, body); }
    QString goodToken() {
        const QByteArray body = issueBody();
        const auto r = issue(m_sandbox, body, sign(body));
        if (r.status != 200)
            qWarning() << "issue gave" << r.status << r.body;
        return r.json.value(u"token"_s).toString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_good = makeIdentity(kFqdn);
        m_other = makeIdentity(kFqdn);
        QVERIFY(!m_good.certPem.isEmpty() && !m_other.certPem.isEmpty());
        QVERIFY(writeFile(file(u"good.pem"_s), m_good.certPem, 0644));
        QVERIFY2(m_sandbox.start(fastArgs() + QStringList{u"--require-signed-token"_s,
                                                          file(u"good.pem"_s), u"--cert-uuid"_s,
                                                          QString::fromLatin1(kUuid),
                                                          u"--token-lifetime"_s, u"2"_s}),
                 qPrintable(m_sandbox.errorString()));
    }

    void goodKeyGetsAJwtThatWorks() {
        const QDateTime before = QDateTime::currentDateTimeUtc();
        const QByteArray body = issueBody();
        const auto r = issue(m_sandbox, body, sign(body));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"token_type"_s).toString(), u"Bearer"_s);
        QCOMPARE(r.json.value(u"expires_in"_s).toInt(), 2);
        const QString token = r.json.value(u"token"_s).toString();
        const QJsonObject claims = jwtPayload(token);
        QCOMPARE(claims.value(u"sub"_s).toString(), u"demo"_s);
        QCOMPARE(claims.value(u"fqdn"_s).toString(), kFqdn);
        const qint64 exp = claims.value(u"exp"_s).toInteger();
        QVERIFY2(exp >= before.toSecsSinceEpoch() + 1 && exp <= before.toSecsSinceEpoch() + 3,
                 qPrintable(QString::number(exp)));

        const auto listed = m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, token);
        QCOMPARE(listed.status, 200);
        QCOMPARE(m_sandbox.state().value(u"tokens_issued"_s).toInt() >= 1, true);
    }

    // Only tokens it issued: the configured static token, none, garbage, one
    // signed by another key, one for another client id.
    void acceptsOnlyItsOwnTokens() {
        QCOMPARE(m_sandbox.tract("GET", u"/tract/hooks/list/"_s).status, 401); // demo-token
        QCOMPARE(m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, QString()).status, 401);
        const auto garbage = m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, u"a.b.c"_s);
        QCOMPARE(garbage.status, 401);
        QVERIFY2(errorOf(garbage).contains(u"not a JWT"_s), garbage.body.constData());

        const QString token = goodToken();
        QVERIFY(!token.isEmpty());
        // Same header and claims, signature of another HS256 key.
        QList<QByteArray> parts = token.toLatin1().split('.');
        parts[2] = QByteArray(32, 'x').toBase64(QByteArray::Base64UrlEncoding |
                                                QByteArray::OmitTrailingEquals);
        const auto forged = m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {},
                                            QString::fromLatin1(parts.join('.')));
        QCOMPARE(forged.status, 401);
        QVERIFY2(errorOf(forged).contains(u"not issued by this TRACT"_s), forged.body.constData());
        // A changed claim breaks the signature as well.
        QJsonObject claims = jwtPayload(token);
        claims.insert(u"exp"_s, claims.value(u"exp"_s).toInteger() + 3600);
        parts = token.toLatin1().split('.');
        parts[1] = compact(claims).toBase64(QByteArray::Base64UrlEncoding |
                                            QByteArray::OmitTrailingEquals);
        QCOMPARE(
            m_sandbox
                .tract("GET", u"/tract/hooks/list/"_s, {}, QString::fromLatin1(parts.join('.')))
                .status,
            401);
        const auto otherClient =
            m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, token, u"someone-else"_s);
        QCOMPARE(otherClient.status, 401);
        QCOMPARE(m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, token).status, 200);
    }

    void wrongKeyIsRefused() {
        const QByteArray body = issueBody();
        const auto r = issue(m_sandbox, body, signSha1(m_other.keyPem, body));
        QCOMPARE(r.status, 400);
        QVERIFY2(errorOf(r).contains(u"signature does not match"_s), r.body.constData());
        QVERIFY(!r.json.contains(u"token"_s));
    }

    void tamperedBodyIsRefused_data() {
        QTest::addColumn<QByteArray>("signedBody");
        QTest::addColumn<QByteArray>("sentBody");
        const QByteArray body = issueBody();
        QByteArray otherFqdn = body;
        otherFqdn.replace("ect.example.test", "ect.example.tesu");
        QTest::newRow("one byte changed") << body << otherFqdn;
        QTest::newRow("whitespace added") << body << QByteArray(body).insert(1, ' ');
        QTest::newRow("trailing newline") << body << body + '\n';
        QTest::newRow("re-serialized, keys reordered")
            << body
            << QByteArray("{\"timestamp\":\"" + stamp(QDateTime::currentDateTimeUtc()).toLatin1() +
                          "\",\"fqdn\":\"ect.example.test\",\"client_id\":\"demo\"}");
    }
    void tamperedBodyIsRefused() {
        QFETCH(QByteArray, signedBody);
        QFETCH(QByteArray, sentBody);
        const auto r = issue(m_sandbox, sentBody, sign(signedBody));
        QCOMPARE(r.status, 400);
        QVERIFY2(errorOf(r).contains(u"signature does not match"_s), r.body.constData());
    }

    void timestampWindow_data() {
        QTest::addColumn<int>("offsetSeconds");
        QTest::addColumn<int>("status");
        QTest::newRow("now") << 0 << 200;
        QTest::newRow("100 s old") << -100 << 200;
        QTest::newRow("100 s ahead") << 100 << 200;
        QTest::newRow("160 s old") << -160 << 400;
        QTest::newRow("an hour old") << -3600 << 400;
        QTest::newRow("160 s ahead") << 160 << 400;
        QTest::newRow("a day ahead") << 86400 << 400;
    }
    void timestampWindow() {
        QFETCH(int, offsetSeconds);
        QFETCH(int, status);
        const QByteArray body = issueBody(QDateTime::currentDateTimeUtc().addSecs(offsetSeconds));
        const auto r = issue(m_sandbox, body, sign(body));
        QCOMPARE(r.status, status);
        if (status == 400)
            QVERIFY2(errorOf(r).startsWith(u"timestamp: "_s) &&
                         errorOf(r).contains(u"at most 150 s"_s),
                     r.body.constData());
    }

    void expiredJwtGets401() {
        const QString token = goodToken();
        QVERIFY(!token.isEmpty());
        QCOMPARE(m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, token).status, 200);
        const qint64 exp = jwtPayload(token).value(u"exp"_s).toInteger();
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentSecsSinceEpoch() >= exp, 5000);
        const auto r = m_sandbox.tract("POST", u"/tract/user/"_s, {{u"user_id"_s, u"x"_s}}, token);
        QCOMPARE(r.status, 401);
        QVERIFY2(errorOf(r).contains(u"expired"_s), r.body.constData());
        // A fresh one works again.
        QCOMPARE(m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, goodToken()).status, 200);
    }

    void revokedTokensGet401() {
        const QString token = goodToken();
        QCOMPARE(m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, token).status, 200);
        QCOMPARE(m_sandbox.post(u"/sandbox/revoke-tokens"_s, {}).status, 200);
        const auto r = m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, token);
        QCOMPARE(r.status, 401);
        QVERIFY2(errorOf(r).contains(u"not issued by this TRACT"_s), r.body.constData());
        QCOMPARE(m_sandbox.tract("GET", u"/tract/hooks/list/"_s, {}, goodToken()).status, 200);
    }

    // Every malformed request is a 400 naming what is wrong, and the sandbox
    // keeps serving. Bodies are correctly signed unless the row is about the
    // signature, so each reaches the check it is about.
    void malformedRequests_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("signature"); // "sign" signs the body; null: no header
        QTest::addColumn<QByteArray>("uuid");      // null: no header
        QTest::addColumn<QString>("error");
        const QByteArray good = issueBody();
        const QByteArray now = stamp(QDateTime::currentDateTimeUtc()).toLatin1();
        QTest::newRow("no Signature")
            << good << QByteArray() << kUuid << u"missing Signature header"_s;
        QTest::newRow("no SignatureCertUUID")
            << good << QByteArray("sign") << QByteArray() << u"missing SignatureCertUUID"_s;
        QTest::newRow("unknown SignatureCertUUID")
            << good << QByteArray("sign") << QByteArray("other-cert") << u"names no certificate"_s;
        QTest::newRow("Signature not base64")
            << good << QByteArray("%%%not base64%%%") << kUuid << u"not base64"_s;
        QTest::newRow("Signature oversized")
            << good << QByteArray(5000, 'A') << kUuid << u"longer than 4096"_s;
        QTest::newRow("Signature of garbage bytes")
            << good << QByteArray("AAAA") << kUuid << u"signature does not match"_s;
        QTest::newRow("empty body")
            << QByteArray() << QByteArray("sign") << kUuid << u"the body is empty"_s;
        QTest::newRow("not JSON") << QByteArray("client_id=demo") << QByteArray("sign") << kUuid
                                  << u"not JSON"_s;
        QTest::newRow("truncated JSON")
            << good.left(good.size() - 5) << QByteArray("sign") << kUuid << u"not JSON"_s;
        QTest::newRow("array") << QByteArray("[1,2]") << QByteArray("sign") << kUuid
                               << u"not a JSON object"_s;
        QTest::newRow("oversized body")
            << QByteArray("{\"client_id\":\"demo\",\"fqdn\":\"ect.example.test\",\"timestamp\":\"" +
                          now + "\",\"pad\":\"" + QByteArray(20000, 'x') + "\"}")
            << QByteArray("sign") << kUuid << u"larger than 16384 bytes"_s;
        QTest::newRow("missing client_id")
            << compact({{u"fqdn"_s, kFqdn}, {u"timestamp"_s, QString::fromLatin1(now)}})
            << QByteArray("sign") << kUuid << u"client_id: required field missing"_s;
        QTest::newRow("missing fqdn")
            << compact({{u"client_id"_s, u"demo"_s}, {u"timestamp"_s, QString::fromLatin1(now)}})
            << QByteArray("sign") << kUuid << u"fqdn: required field missing"_s;
        QTest::newRow("missing timestamp")
            << compact({{u"client_id"_s, u"demo"_s}, {u"fqdn"_s, kFqdn}}) << QByteArray("sign")
            << kUuid << u"timestamp: required field missing"_s;
        QTest::newRow("client_id a number")
            << compact({{u"client_id"_s, 42},
                        {u"fqdn"_s, kFqdn},
                        {u"timestamp"_s, QString::fromLatin1(now)}})
            << QByteArray("sign") << kUuid << u"client_id: expected string"_s;
        QTest::newRow("fqdn an object")
            << compact({{u"client_id"_s, u"demo"_s},
                        {u"fqdn"_s, QJsonObject{}},
                        {u"timestamp"_s, QString::fromLatin1(now)}})
            << QByteArray("sign") << kUuid << u"fqdn: expected string"_s;
        QTest::newRow("timestamp a number")
            << compact({{u"client_id"_s, u"demo"_s},
                        {u"fqdn"_s, kFqdn},
                        {u"timestamp"_s, QDateTime::currentSecsSinceEpoch()}})
            << QByteArray("sign") << kUuid << u"timestamp: expected string"_s;
        QTest::newRow("timestamp without Z")
            << compact({{u"client_id"_s, u"demo"_s},
                        {u"fqdn"_s, kFqdn},
                        {u"timestamp"_s, QString::fromLatin1(now).chopped(1)}})
            << QByteArray("sign") << kUuid << u"timestamp: expected ISO 8601"_s;
        QTest::newRow("timestamp not a date")
            << compact({{u"client_id"_s, u"demo"_s},
                        {u"fqdn"_s, kFqdn},
                        {u"timestamp"_s, u"2026-13-45T99:00:00Z"_s}})
            << QByteArray("sign") << kUuid << u"timestamp: expected ISO 8601"_s;
        QTest::newRow("empty client_id")
            << compact({{u"client_id"_s, u""_s},
                        {u"fqdn"_s, kFqdn},
                        {u"timestamp"_s, QString::fromLatin1(now)}})
            << QByteArray("sign") << kUuid << u"client_id: must not be empty"_s;
        QTest::newRow("unknown client_id")
            << issueBody(QDateTime::currentDateTimeUtc(), u"acme"_s) << QByteArray("sign") << kUuid
            << u"unknown client id 'acme'"_s;
        QTest::newRow("fqdn not in the certificate")
            << issueBody(QDateTime::currentDateTimeUtc(), u"demo"_s, u"evil.example.test"_s)
            << QByteArray("sign") << kUuid << u"not among the signing certificate's DNS names"_s;
    }
    void malformedRequests() {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, signature);
        QFETCH(QByteArray, uuid);
        QFETCH(QString, error);
        const auto r = issue(m_sandbox, body, signature == "sign" ? sign(body) : signature, uuid);
        QCOMPARE(r.status, 400);
        QVERIFY2(errorOf(r).contains(error), r.body.constData());
        QVERIFY(!r.json.contains(u"token"_s));
        QCOMPARE(m_sandbox.get(u"/sandbox/state"_s).status, 200); // still serving
    }

    void wrongMethodAndBodyTooLargeForTheServer() {
        const auto get = m_sandbox.raw("GET", u"/tract/management/token/issue/"_s, {}, {});
        QCOMPARE(get.status, 405);
        const QByteArray huge(2 * 1024 * 1024, 'x');
        const auto big = issue(m_sandbox, huge, "AAAA");
        QCOMPARE(big.status, 413);
        QCOMPARE(m_sandbox.get(u"/sandbox/state"_s).status, 200);
    }

    void expiredOrNotYetValidCertificate_data() {
        QTest::addColumn<qint64>("notBefore");
        QTest::addColumn<qint64>("notAfter");
        QTest::addColumn<QString>("error");
        QTest::newRow("expired an hour ago")
            << qint64(-86400) << qint64(-3600) << u"the signing certificate expired at"_s;
        QTest::newRow("valid from tomorrow") << qint64(86400) << qint64(2 * 86400)
                                             << u"the signing certificate is not valid before"_s;
    }
    void expiredOrNotYetValidCertificate() {
        QFETCH(qint64, notBefore);
        QFETCH(qint64, notAfter);
        QFETCH(QString, error);
        const QString path = file(u"dated-%1.pem"_s.arg(notBefore));
        QVERIFY(writeFile(path, makeCertificate(m_good.keyPem, kFqdn, notBefore, notAfter), 0644));
        SandboxProcess dated;
        QVERIFY2(
            dated.start(fastArgs() + QStringList{u"--require-signed-token"_s, path,
                                                 u"--cert-uuid"_s, QString::fromLatin1(kUuid)}),
            qPrintable(dated.errorString()));
        const QByteArray body = issueBody();
        const auto r = issue(dated, body, sign(body));
        QCOMPARE(r.status, 400);
        QVERIFY2(errorOf(r).contains(error), r.body.constData());
    }

    // Without --cert-uuid the UUID is derived from the certificate and printed.
    void defaultUuidIsPrinted() {
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start(fastArgs() +
                               QStringList{u"--require-signed-token"_s, file(u"good.pem"_s)}),
                 qPrintable(sandbox.errorString()));
        QByteArray uuid;
        QTRY_VERIFY_WITH_TIMEOUT(sandbox.output().contains("SignatureCertUUID "), 5000);
        const QByteArray out = sandbox.output();
        const qsizetype at = out.indexOf("SignatureCertUUID ") + 18;
        uuid = out.mid(at, out.indexOf(',', at) - at);
        QCOMPARE(uuid.size(), 36);
        const QByteArray body = issueBody();
        QCOMPARE(issue(sandbox, body, sign(body), uuid).status, 200);
        QCOMPARE(issue(sandbox, body, sign(body), kUuid).status, 400);
    }

    void badCertificateOptions_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no such file")
            << QStringList{u"--require-signed-token"_s, u"/nonexistent/cert.pem"_s} << 1
            << u"tract-sandbox: --require-signed-token: cannot read the certificate"_s;
        QTest::newRow("not a certificate") << QStringList{u"--require-signed-token"_s, u"NOTPEM"_s}
                                           << 1 << u"not a PEM certificate"_s;
        QTest::newRow("a private key, not a certificate")
            << QStringList{u"--require-signed-token"_s, u"KEY"_s} << 1
            << u"not a PEM certificate"_s;
        QTest::newRow("lifetime zero")
            << QStringList{u"--require-signed-token"_s, u"GOOD"_s, u"--token-lifetime"_s, u"0"_s}
            << 2 << u"tract-sandbox: --token-lifetime: expected 1 to 86400 seconds"_s;
        QTest::newRow("lifetime not a number")
            << QStringList{u"--require-signed-token"_s, u"GOOD"_s, u"--token-lifetime"_s, u"soon"_s}
            << 2 << u"tract-sandbox: --token-lifetime: expected 1 to 86400 seconds"_s;
        QTest::newRow("uuid with a newline")
            << QStringList{u"--require-signed-token"_s, u"GOOD"_s, u"--cert-uuid"_s, u"a\nb"_s} << 2
            << u"tract-sandbox: --cert-uuid: expected up to 128"_s;
        QTest::newRow("uuid without certificate")
            << QStringList{u"--cert-uuid"_s, u"abc"_s} << 2
            << u"tract-sandbox: --cert-uuid: goes with --require-signed-token"_s;
    }
    void badCertificateOptions() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QVERIFY(writeFile(file(u"notpem.pem"_s), QByteArray(3000, 'z'), 0644));
        QVERIFY(writeFile(file(u"key.pem"_s), m_good.keyPem, 0600));
        for (QString &a : args) {
            if (a == u"NOTPEM"_s)
                a = file(u"notpem.pem"_s);
            else if (a == u"KEY"_s)
                a = file(u"key.pem"_s);
            else if (a == u"GOOD"_s)
                a = file(u"good.pem"_s);
        }
        const ProcessRun r = runSandbox(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(SandboxAuthTest)
#include "tst_sandbox_auth.moc"
