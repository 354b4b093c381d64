// The auth layer (network/auth, network/client/TokenKeeper) on its own:
// - the private key: file permission checks, PEM problems, key types, and a
//   signature byte-for-byte equal to one OpenSSL makes directly (RSA) or
//   verifiable with the certificate (ECDSA);
// - the certificate checks; the token response parser, input by input;
// - TokenKeeper and the client's 401 handling against a scripted HTTP server
//   (our own http::HttpServer on loopback), where every answer must be exact.
#include "TestPki.h"
#include "network/auth/Jwt.h"
#include "network/auth/SigningCertificate.h"
#include "network/auth/SigningKey.h"
#include "network/auth/TokenMessages.h"
#include "network/client/TokenKeeper.h"
#include "network/client/TractClient.h"
#include "network/http/HttpServer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <optional>
#include <sys/stat.h>
#include <vector>

using namespace tract;
using namespace Qt::StringLiterals;
using testsupport::makeCertificate;
using testsupport::makeIdentity;
using testsupport::TestIdentity;
using testsupport::writeFile;

namespace {

const QString kFqdn = u"ect.example.test"_s;

QByteArray b64url(const QByteArray &d) {
    return d.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// A JWT-shaped token with these claims (the signature is not checked by the console).
QByteArray jwt(const QJsonObject &claims) {
    return b64url(R"({"alg":"HS256","typ":"JWT"})") + '.' +
           b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.' +
           b64url(QByteArray(32, 's'));
}

QByteArray tokenResponse(const QByteArray &token, int expiresIn) {
    return QJsonDocument(QJsonObject{{u"token"_s, QString::fromLatin1(token)},
                                     {u"token_type"_s, u"Bearer"_s},
                                     {u"expires_in"_s, expiresIn}})
        .toJson(QJsonDocument::Compact);
}

http::Response answer(int status, const QByteArray &body) {
    http::Response r;
    r.status = status;
    r.body = body;
    return r;
}

// Answers each request with the next scripted response (the last repeats).
class ScriptedServer {
public:
    ScriptedServer() {
        m_server.setHandler([this](const http::Request &req, const http::Responder &responder) {
            requests.push_back(req);
            http::Response next = m_script.empty() ? answer(500, "{}") : m_script.front();
            if (m_script.size() > 1)
                m_script.erase(m_script.begin());
            responder.send(next);
        });
        http::ServerLimits limits;
        limits.maxBodyBytes = 1 << 20;
        m_server.setLimits(limits);
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_server.serverPort())); }
    void script(std::vector<http::Response> responses) { m_script = std::move(responses); }
    std::vector<http::Request> requests;

private:
    http::HttpServer m_server;
    std::vector<http::Response> m_script;
};

class LogCapture {
public:
    LogCapture() {
        s_lines = &m_lines;
        QLoggingCategory::setFilterRules(u"tract.*=true"_s);
        m_previous = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &,
                                               const QString &msg) { s_lines->append(msg); });
    }
    ~LogCapture() {
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
        s_lines = nullptr;
    }
    QString text() const { return m_lines.join(u'\n'); }

private:
    static inline QStringList *s_lines = nullptr;
    QStringList m_lines;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

class TestAuth : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestIdentity m_rsa;
    TestIdentity m_ec;

    QString path(const QString &name) const { return QDir(m_dir.path()).filePath(name); }

    TokenKeeper::Signing signing() const {
        auto key = auth::SigningKey::fromPem(m_rsa.keyPem);
        return {key.value(), u"cert-1"_s, kFqdn};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_rsa = makeIdentity(kFqdn);
        m_ec = makeIdentity(kFqdn, -3600, 86400, testsupport::KeyType::EcP256);
        QVERIFY(!m_rsa.keyPem.isEmpty() && !m_ec.keyPem.isEmpty());
    }

    // --- the private key

    void keyFilePermissions_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("0600") << 0600 << true;
        QTest::newRow("0400") << 0400 << true;
        QTest::newRow("0640") << 0640 << false;
        QTest::newRow("0644") << 0644 << false;
        QTest::newRow("0604") << 0604 << false;
        QTest::newRow("0660") << 0660 << false;
    }
    void keyFilePermissions() {
        QFETCH(int, mode);
        QFETCH(bool, accepted);
        const QString file = path(u"key-%1.pem"_s.arg(mode, 0, 8));
        QVERIFY(writeFile(file, m_rsa.keyPem, 0600));
        QVERIFY(::chmod(QFile::encodeName(file).constData(), mode_t(mode)) == 0);
        const auto key = auth::SigningKey::fromFile(file);
        QCOMPARE(key.ok(), accepted);
        if (!accepted) {
            QVERIFY2(key.error().message.contains(u"other users may read it"_s),
                     qPrintable(key.error().message));
            QVERIFY2(key.error().message.contains(u"chmod 600"_s), qPrintable(key.error().message));
            // Nothing of the key in the message.
            QVERIFY(!key.error().message.contains(u"BEGIN"_s));
        }
    }

    void badKeys_data() {
        QTest::addColumn<QByteArray>("pem");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty") << QByteArray() << u"empty"_s;
        QTest::newRow("not PEM") << QByteArray("just some bytes") << u"not in PEM format"_s;
        QTest::newRow("broken PEM")
            << QByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            << u"cannot be read"_s;
        QTest::newRow("a certificate") << m_rsa.certPem << u"cannot be read"_s;
        QTest::newRow("encrypted") << QByteArray("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n"
                                                 "-----END ENCRYPTED PRIVATE KEY-----\n")
                                   << u"encrypted"_s;
        QTest::newRow("oversized")
            << QByteArray("-----BEGIN PRIVATE KEY-----\n") + QByteArray(70 * 1024, 'A')
            << u"larger than"_s;
        QTest::newRow("RSA 1024")
            << makeIdentity(kFqdn, -60, 60, testsupport::KeyType::Rsa1024).keyPem
            << u"at least 2048"_s;
    }
    void badKeys() {
        QFETCH(QByteArray, pem);
        QFETCH(QString, error);
        const auto key = auth::SigningKey::fromPem(pem);
        QVERIFY(!key);
        QVERIFY2(key.error().message.contains(error), qPrintable(key.error().message));
    }

    void keyFileThatIsNotAFile() {
        const auto dir = auth::SigningKey::fromFile(m_dir.path());
        QVERIFY(!dir);
        QVERIFY2(dir.error().message.contains(u"not a regular file"_s) ||
                     dir.error().message.contains(u"other users"_s),
                 qPrintable(dir.error().message));
        const auto missing = auth::SigningKey::fromFile(path(u"nope.pem"_s));
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(u"no such file"_s));
    }

    // RSA PKCS#1 v1.5 is deterministic: our signer must give exactly what OpenSSL
    // gives for SHA-1 over the same bytes, and the certificate must accept it.
    void rsaSignatureIsSha1OverTheExactBytes() {
        const auto key = auth::SigningKey::fromPem(m_rsa.keyPem);
        QVERIFY2(key, qPrintable(key.error().message));
        QCOMPARE(key->algorithmName(), u"RSA-2048"_s);
        const QByteArray body = R"({"client_id":"demo","fqdn":"x","timestamp":"t"})";
        const auto signature = key->sign(body);
        QVERIFY(signature);
        QCOMPARE(signature.value(), testsupport::signSha1(m_rsa.keyPem, body));
        const auto cert = auth::SigningCertificate::fromPem(m_rsa.certPem);
        QVERIFY(cert);
        QVERIFY(cert->verify(body, signature.value()));
        QVERIFY(!cert->verify(body + ' ', signature.value()));
    }

    void ecdsaSignatureVerifies() {
        const auto key = auth::SigningKey::fromPem(m_ec.keyPem);
        QVERIFY2(key, qPrintable(key.error().message));
        QCOMPARE(key->algorithmName(), u"EC-256"_s);
        const QByteArray body = "hello";
        const auto cert = auth::SigningCertificate::fromPem(m_ec.certPem);
        QVERIFY(cert->verify(body, key->sign(body).value()));
        QVERIFY(!cert->verify("hellp", key->sign(body).value()));
        // The RSA certificate does not accept it.
        QVERIFY(!auth::SigningCertificate::fromPem(m_rsa.certPem)
                     ->verify(body, key->sign(body).value()));
    }

    // --- the certificate

    void certificateChecks() {
        const auto cert = auth::SigningCertificate::fromPem(m_rsa.certPem);
        QVERIFY(cert);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(cert->checkValidAt(now));
        QVERIFY(!cert->checkValidAt(now.addDays(2)));
        QVERIFY(!cert->checkValidAt(now.addSecs(-7200)));
        QVERIFY(cert->checkHost(kFqdn));
        QVERIFY(cert->checkHost(u"ECT.example.test"_s));
        QVERIFY(!cert->checkHost(u"other.example.test"_s));
        QVERIFY(!cert->checkHost(u"example.test"_s));
        QVERIFY(!cert->checkHost(QString()));
        QCOMPARE(cert->fingerprint().size(), 32);
        const auto expired =
            auth::SigningCertificate::fromPem(makeCertificate(m_rsa.keyPem, kFqdn, -7200, -3600));
        QVERIFY(expired);
        QVERIFY(!expired->checkValidAt(now));
        QVERIFY(expired->checkValidAt(now).error().message.contains(u"expired"_s));

        for (const QByteArray &bad :
             {QByteArray(), QByteArray("garbage"), m_rsa.keyPem,
              QByteArray("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
              QByteArray(70 * 1024, 'C')}) {
            const auto c = auth::SigningCertificate::fromPem(bad);
            QVERIFY(!c);
            QVERIFY(!c.error().message.isEmpty());
        }
        for (const QByteArray &sig :
             {QByteArray(), QByteArray("!!"), QByteArray(5000, 'A'), QByteArray("AAAA")})
            QVERIFY(!cert->verify("body", sig));
    }

    // --- the request body

    void requestBodyIsCompactJsonWithZTimestamp() {
        auth::TokenIssueRequest r;
        r.clientId = u"demo"_s;
        r.fqdn = kFqdn;
        r.timestamp = QDateTime(QDate(2026, 12, 7), QTime(9, 30, 0, 456), Qt::UTC);
        QCOMPARE(
            r.toBody(),
            QByteArray(
                R"({"client_id":"demo","fqdn":"ect.example.test","timestamp":"2026-12-07T09:30:00Z"})"));
        const auto back = auth::TokenIssueRequest::fromBody(r.toBody());
        QVERIFY(back);
        QCOMPARE(back->timestamp, QDateTime(QDate(2026, 12, 7), QTime(9, 30), Qt::UTC));
    }

    // --- the token response, input by input

    void tokenResponses_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error"); // empty: accepted
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QByteArray good = jwt({{u"exp"_s, now + 600}});
        QTest::newRow("good") << tokenResponse(good, 600) << QString();
        QTest::newRow("no expires_in") << QByteArray(R"({"token":")" + good + R"("})") << QString();
        QTest::newRow("no exp claim, no expires_in")
            << QByteArray(R"({"token":")" + jwt({{u"sub"_s, u"demo"_s}}) + R"("})") << QString();
        QTest::newRow("empty") << QByteArray() << u"the body is empty"_s;
        QTest::newRow("not JSON") << QByteArray("<html>ok</html>") << u"not JSON"_s;
        QTest::newRow("array") << QByteArray(R"(["token"])") << u"not a JSON object"_s;
        QTest::newRow("oversized") << QByteArray(R"({"token":")" + good + R"(","pad":")" +
                                                 QByteArray(70000, 'p') + R"("})")
                                   << u"larger than 65536 bytes"_s;
        QTest::newRow("missing token")
            << QByteArray(R"({"expires_in":60})") << u"token: required field missing"_s;
        QTest::newRow("token null")
            << QByteArray(R"({"token":null})") << u"token: required field missing"_s;
        QTest::newRow("token a number")
            << QByteArray(R"({"token":42})") << u"token: expected string"_s;
        QTest::newRow("token empty")
            << QByteArray(R"({"token":""})") << u"token: must not be empty"_s;
        QTest::newRow("token not a JWT")
            << QByteArray(R"({"token":"demo-token"})") << u"token: the access token is not a JWT"_s;
        QTest::newRow("token with bad base64") << QByteArray(R"({"token":"a*b.c*d.e*f"})")
                                               << u"token: the access token is not a JWT"_s;
        QTest::newRow("token too long")
            << QByteArray(R"({"token":")" + QByteArray(9000, 'a') + R"("})")
            << u"token: longer than 8192"_s;
        QTest::newRow("claims not an object")
            << QByteArray(R"({"token":")" + b64url("{}") + '.' + b64url("[1]") + ".c2ln" + R"("})")
            << u"not JSON objects"_s;
        QTest::newRow("exp a string")
            << tokenResponse(jwt({{u"exp"_s, u"tomorrow"_s}}), 60) << u"exp claim is not a time"_s;
        QTest::newRow("expires_in a string")
            << QByteArray(R"({"token":")" + good + R"(","expires_in":"600"})")
            << u"expires_in: expected a number of seconds"_s;
        QTest::newRow("expires_in negative")
            << tokenResponse(good, -5) << u"expires_in: expected 1 to"_s;
        QTest::newRow("expires_in zero")
            << tokenResponse(good, 0) << u"expires_in: expected 1 to"_s;
        QTest::newRow("expires_in huge")
            << QByteArray(R"({"token":")" + good + R"(","expires_in":1e12})")
            << u"expires_in: expected 1 to"_s;
        QTest::newRow("token_type MAC")
            << QByteArray(R"({"token":")" + good + R"(","token_type":"MAC"})")
            << u"token_type: expected \"Bearer\""_s;
        QTest::newRow("token_type a number")
            << QByteArray(R"({"token":")" + good + R"(","token_type":1})")
            << u"token_type: expected \"Bearer\""_s;
    }
    void tokenResponses() {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        const auto r = auth::IssuedToken::fromJson(body);
        if (error.isEmpty()) {
            QVERIFY2(r, qPrintable(r.error().toString()));
            QVERIFY(!r->token.isEmpty());
        } else {
            QVERIFY(!r);
            QVERIFY2(r.error().toString().contains(error), qPrintable(r.error().toString()));
        }
    }

    void lifetimeIsTheShorterOfExpiresInAndExp() {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auth::IssuedToken t;
        QVERIFY(!t.lifetimeMs(now));
        t.expiresIn = 600;
        QCOMPARE(*t.lifetimeMs(now), 600'000);
        t.expiresAt = now.addSecs(300);
        QCOMPARE(*t.lifetimeMs(now), 300'000);
        t.expiresAt = now.addSecs(-10); // clock skew: expires_in wins
        QCOMPARE(*t.lifetimeMs(now), 600'000);
        t.expiresIn.reset();
        QVERIFY(*t.lifetimeMs(now) < 0);
    }

    // --- the sandbox's JWTs

    void hs256Tokens() {
        auth::Hs256Jwt jwts;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QByteArray token =
            jwts.issue({{u"sub"_s, u"demo"_s}, {u"exp"_s, now.toSecsSinceEpoch() + 60}});
        QCOMPARE(jwts.verify(token, now).verdict, auth::Hs256Jwt::Verdict::Valid);
        QCOMPARE(jwts.verify(token, now.addSecs(61)).verdict, auth::Hs256Jwt::Verdict::Expired);
        QCOMPARE(auth::Hs256Jwt().verify(token, now).verdict, auth::Hs256Jwt::Verdict::Foreign);
        QCOMPARE(jwts.verify("x.y", now).verdict, auth::Hs256Jwt::Verdict::Malformed);
        QCOMPARE(jwts.verify(QByteArray(9000, 'a'), now).verdict,
                 auth::Hs256Jwt::Verdict::Malformed);
        const QByteArray noExp = jwts.issue({{u"sub"_s, u"demo"_s}});
        QCOMPARE(jwts.verify(noExp, now).verdict, auth::Hs256Jwt::Verdict::Malformed);
        jwts.rotate();
        QCOMPARE(jwts.verify(token, now).verdict, auth::Hs256Jwt::Verdict::Foreign);
    }

    // --- TokenKeeper over HTTP

    // What goes out: the exact signed bytes, Signature and SignatureCertUUID,
    // no bearer token; what comes back ends up as the clients' token.
    void keeperSignsTheRequestAndHandsOutTheToken() {
        ScriptedServer server;
        QVERIFY(server.listen());
        const QByteArray token = jwt({{u"exp"_s, QDateTime::currentSecsSinceEpoch() + 600}});
        server.script({answer(200, tokenResponse(token, 600))});
        LogCapture log;
        TokenKeeper keeper(server.url(), u"demo"_s, signing());
        TractClient client(server.url(), u"demo"_s, QString());
        keeper.attach(&client);
        QSignalSpy issued(&keeper, &TokenKeeper::tokenIssued);
        keeper.start();
        QVERIFY(issued.wait(10000));
        QCOMPARE(keeper.token(), QString::fromLatin1(token));
        QVERIFY(client.hasToken());
        QVERIFY(keeper.expiresAt() > QDateTime::currentDateTimeUtc().addSecs(590));

        QCOMPARE(server.requests.size(), size_t(1));
        const http::Request &req = server.requests.front();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, QByteArray("/tract/management/token/issue/"));
        QCOMPARE(req.header("signaturecertuuid"), QByteArray("cert-1"));
        QVERIFY(req.header("authorization").isEmpty());
        const auto body = auth::TokenIssueRequest::fromBody(req.body);
        QVERIFY2(body, req.body.constData());
        QCOMPARE(body->clientId, u"demo"_s);
        QCOMPARE(body->fqdn, kFqdn);
        QVERIFY(qAbs(body->timestamp.secsTo(QDateTime::currentDateTimeUtc())) < 30);
        QVERIFY(auth::SigningCertificate::fromPem(m_rsa.certPem)
                    ->verify(req.body, req.header("signature")));
        // Neither the token nor the signature is logged.
        QVERIFY(!log.text().contains(QString::fromLatin1(token)));
        QVERIFY(!log.text().contains(QString::fromLatin1(req.header("signature"))));
    }

    // Every unusable answer is a permanent failure naming the problem; the
    // keeper does not crash and has no token.
    void keeperRejectsBadAnswers_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("permanent");
        QTest::addColumn<QString>("message");
        QTest::newRow("400 bad signature")
            << 400 << QByteArray(R"({"error":"the signature does not match"})") << true
            << u"the signature does not match"_s;
        QTest::newRow("not JSON") << 200 << QByteArray("OK") << true << u"not JSON"_s;
        QTest::newRow("missing token") << 200 << QByteArray(R"({"expires_in":5})") << true
                                       << u"token: required field missing"_s;
        QTest::newRow("token not a JWT")
            << 200 << QByteArray(R"({"token":"abc"})") << true << u"not a JWT"_s;
        QTest::newRow("expires_in wrong type")
            << 200
            << QByteArray(R"({"token":")" + jwt({{u"sub"_s, u"demo"_s}}) +
                          R"(","expires_in":true})")
            << true << u"expires_in"_s;
        QTest::newRow("already expired")
            << 200
            << QByteArray(R"({"token":")" +
                          jwt({{u"exp"_s, QDateTime::currentSecsSinceEpoch() - 100}}) + R"("})")
            << true << u"already expired"_s;
        QTest::newRow("oversized")
            << 200 << QByteArray(R"({"pad":")" + QByteArray(100'000, 'x') + R"("})") << true
            << u"larger than"_s;
        QTest::newRow("503") << 503 << QByteArray("{}") << false << u"HTTP 503"_s;
    }
    void keeperRejectsBadAnswers() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, permanent);
        QFETCH(QString, message);
        ScriptedServer server;
        QVERIFY(server.listen());
        server.script({answer(status, body)});
        TokenKeeper keeper(server.url(), u"demo"_s, signing());
        QSignalSpy failed(&keeper, &TokenKeeper::issueFailed);
        keeper.start();
        QVERIFY(failed.wait(10000));
        keeper.stop();
        QVERIFY(!keeper.hasToken());
        QCOMPARE(failed.first().at(1).toBool(), permanent);
        QVERIFY2(failed.first().at(0).toString().contains(message),
                 qPrintable(failed.first().at(0).toString()));
        QVERIFY(failed.first().at(2).toInt() >= 1000); // tried again later, never at once
    }

    // Renewed before it expires: at 80 % of a 1 s lifetime.
    void keeperRenewsBeforeExpiry() {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.script({answer(200, tokenResponse(jwt({{u"n"_s, 1}}), 1)),
                       answer(200, tokenResponse(jwt({{u"n"_s, 2}}), 1)),
                       answer(200, tokenResponse(jwt({{u"n"_s, 3}}), 600))});
        TokenKeeper keeper(server.url(), u"demo"_s, signing());
        QSignalSpy issued(&keeper, &TokenKeeper::tokenIssued);
        QElapsedTimer timer;
        timer.start();
        keeper.start();
        QTRY_COMPARE_WITH_TIMEOUT(issued.count(), 3, 10000);
        QVERIFY2(timer.elapsed() >= 1400 && timer.elapsed() < 5000,
                 qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(keeper.issuedCount(), 3);
        QTest::qWait(300);
        QCOMPARE(issued.count(), 3); // the 600 s one is not renewed yet
    }

    // A 401 on an attached client's call: one new token, then the call once more
    // with it; a second 401 is the call's failure.
    void unauthorizedCallRenewsAndRetriesOnce() {
        ScriptedServer server;
        QVERIFY(server.listen());
        const QByteArray first = jwt({{u"n"_s, 1}});
        const QByteArray second = jwt({{u"n"_s, 2}});
        server.script({answer(200, tokenResponse(first, 600)),
                       answer(401, R"({"error":"the access token was not issued by this TRACT"})"),
                       answer(200, tokenResponse(second, 600)), answer(200, R"({"hooks":[]})")});
        TokenKeeper keeper(server.url(), u"demo"_s, signing());
        TractClient client(server.url(), u"demo"_s, QString());
        keeper.attach(&client);
        QSignalSpy issued(&keeper, &TokenKeeper::tokenIssued);
        keeper.start();
        QVERIFY(issued.wait(10000));
        client.setToken(QString::fromLatin1(first));

        std::optional<bool> ok;
        QObject context;
        client.listHooks()->onResult(&context, [&](const TractResult<ListHooksResponse> &r) {
            ok = r.ok();
            if (!r)
                qWarning() << r.failure().message;
        });
        QTRY_VERIFY_WITH_TIMEOUT(ok.has_value(), 10000);
        QVERIFY(*ok);
        QCOMPARE(server.requests.size(), size_t(4));
        QCOMPARE(server.requests[1].header("authorization"), "Bearer " + first);
        QCOMPARE(server.requests[2].path, QByteArray("/tract/management/token/issue/"));
        QCOMPARE(server.requests[3].header("authorization"), "Bearer " + second);

        // Now TRACT keeps saying 401: one renewal, one retry, then the failure.
        server.script({answer(401, R"({"error":"no"})"),
                       answer(200, tokenResponse(jwt({{u"n"_s, 3}}), 600)),
                       answer(401, R"({"error":"still no"})")});
        const size_t before = server.requests.size();
        std::optional<TractFailure> failure;
        SendMessageRequest message;
        message.userId = u"u1"_s;
        message.messageBody = QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, u"hi"_s}};
        client.sendMessage(message)->onResult(&context, [&](const TractResult<Ack> &r) {
            if (!r)
                failure = r.failure();
            else
                failure = TractFailure{};
        });
        QTRY_VERIFY_WITH_TIMEOUT(failure.has_value(), 10000);
        QCOMPARE(failure->httpStatus, 401);
        QCOMPARE(server.requests.size() - before, size_t(3));
    }

    // No new token to be had: the call fails with the 401 and says why.
    void unauthorizedCallWhenRenewalFails() {
        ScriptedServer server;
        QVERIFY(server.listen());
        server.script(
            {answer(200, tokenResponse(jwt({{u"n"_s, 1}}), 600)),
             answer(401, R"({"error":"expired"})"),
             answer(400, R"({"error":"the signing certificate expired at 2026-01-01"})")});
        TokenKeeper keeper(server.url(), u"demo"_s, signing());
        TractClient client(server.url(), u"demo"_s, QString());
        keeper.attach(&client);
        QSignalSpy issued(&keeper, &TokenKeeper::tokenIssued);
        keeper.start();
        QVERIFY(issued.wait(10000));
        std::optional<TractFailure> failure;
        QObject context;
        client.listHooks()->onResult(&context, [&](const TractResult<ListHooksResponse> &r) {
            failure = r ? TractFailure{} : r.failure();
        });
        QTRY_VERIFY_WITH_TIMEOUT(failure.has_value(), 10000);
        QCOMPARE(failure->httpStatus, 401);
        QVERIFY2(failure->message.contains(u"signing certificate expired"_s),
                 qPrintable(failure->message));
        keeper.stop();
    }
};

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
