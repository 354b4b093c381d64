// Hostile and broken input POSTed straight to the headless console's webhook
// listener over raw sockets: each case gets its exact status and JSON error,
// and nothing of it reaches the store (export and row counts unchanged).
// Signatures are checked on a second console started with
// --hook-secret-from-env; a slow-loris client is cut off by the timeouts.

#include "ConsoleTestKit.h"

#include <QDir>
#include <QElapsedTimer>
#include <QMessageAuthenticationCode>
#include <QTcpSocket>
#include <QTemporaryDir>

using namespace consoletest;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

const QByteArray kHookSecret = QByteArrayLiteral("integration-hook-secret");

QByteArray sign256(const QByteArray &body, const QByteArray &secret = kHookSecret) {
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

QByteArray sign1(const QByteArray &body, const QByteArray &secret = kHookSecret) {
    return "sha1=" +
           QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha1).toHex();
}

const Headers kJson{{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};

// A valid message hook for user `bad-1`, with one field replaced (or removed
// when `value` is undefined).
QByteArray messageWith(const QString &field, const QJsonValue &value) {
    QJsonObject o = messageHook(u"bad-1"_s, u"ceu"_s, u"bad input"_s, 555);
    if (value.isUndefined())
        o.remove(field);
    else
        o.insert(field, value);
    return compact(o);
}

QByteArray eventWith(const QString &field, const QJsonValue &value) {
    QJsonObject o{{u"user_id"_s, u"bad-1"_s},
                  {u"conversation_number"_s, u"1"_s},
                  {u"type"_s, u"conversation_state"_s},
                  {u"subtype"_s, u"complete"_s},
                  {u"timestamp"_s, u"2024-05-01T10:00:00Z"_s}};
    if (value.isUndefined())
        o.remove(field);
    else
        o.insert(field, value);
    return compact(o);
}

} // namespace

class ConsoleBadInputTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_signedDir;
    SandboxProcess m_sandbox;
    SandboxProcess m_signedSandbox;
    ConsoleProcess m_console;
    ConsoleProcess m_signed; // requires X-Hub-Signature(-256)
    QByteArray m_secret;
    QByteArray m_signedSecret;
    ConsoleProcess::Export m_before;
    QMap<QString, qint64> m_countsBefore;

    QString database() const { return QDir(m_dir.path()).filePath(u"console.sqlite"_s); }
    QByteArray path(const QString &c, const QString &s) const { return hookPath(m_secret, c, s); }

    static bool registered(ConsoleProcess &console, const SandboxProcess &sandbox,
                           QByteArray *secret) {
        if (!console.waitForHookLines(15))
            return false;
        const QJsonArray listed = listedHooks(sandbox);
        *secret = registeredPathSecret(sandbox);
        return listed.size() == 15 && !secret->isEmpty();
    }

    void addCase(const char *name, const QByteArray &request, int status, const QString &error) {
        QTest::newRow(name) << request << status << error;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid() && m_signedDir.isValid());
        QVERIFY2(m_sandbox.start(fastSandboxArgs()), qPrintable(m_sandbox.errorString()));
        QVERIFY2(m_console.start(m_sandbox.baseUrl(), m_dir.path()),
                 qPrintable(m_console.errorString()));
        QVERIFY2(registered(m_console, m_sandbox, &m_secret), m_console.output().constData());

        QVERIFY2(
            m_signedSandbox.start(fastSandboxArgs() +
                                  QStringList{u"--hook-secret"_s, QString::fromUtf8(kHookSecret)}),
            qPrintable(m_signedSandbox.errorString()));
        QProcessEnvironment env;
        env.insert(u"TRACT_HOOK_SECRET"_s, QString::fromUtf8(kHookSecret));
        QVERIFY2(m_signed.start(m_signedSandbox.baseUrl(), m_signedDir.path(), 0,
                                {u"--hook-secret-from-env"_s}, env),
                 qPrintable(m_signed.errorString()));
        QVERIFY2(registered(m_signed, m_signedSandbox, &m_signedSecret),
                 m_signed.output().constData());

        // Something stored first, so "unchanged" compares real content.
        const int port = m_console.port();
        QCOMPARE(postJson(port, path(u"message"_s, u"receive"_s),
                          compact(messageHook(u"seed-1"_s, u"ceu"_s, u"seed"_s, 1,
                                              u"2024-05-01T09:00:00Z"_s)))
                     .status,
                 200);
        QCOMPARE(postJson(port, path(u"user_events"_s, u"create_user"_s),
                          compact({{u"user_id"_s, u"seed-1"_s}, {u"user_name"_s, u"Seed"_s}}))
                     .status,
                 200);
        QCOMPARE(postJson(port, path(u"conversation_state"_s, u"waiting"_s),
                          compact({{u"user_id"_s, u"seed-1"_s},
                                   {u"conversation_number"_s, u"1"_s},
                                   {u"type"_s, u"conversation_state"_s},
                                   {u"subtype"_s, u"waiting"_s}}))
                     .status,
                 200);
        // A content type with parameters is still JSON.
        QCOMPARE(rawExchange(port, buildPost(path(u"message"_s, u"receive"_s),
                                             compact(messageHook(u"seed-1"_s, u"iva"_s,
                                                                 u"seed reply"_s, 2)),
                                             {{"Content-Type", "Application/JSON; charset=utf-8"}}))
                     .status,
                 200);
        m_before = ConsoleProcess::exportData(m_dir.path());
        QCOMPARE(m_before.exitCode, 0);
        QCOMPARE(exportedThread(m_before.json, u"seed-1"_s).value(u"messages"_s).toArray().size(),
                 2);
        m_countsBefore = tableCounts(database());
        QCOMPARE(m_countsBefore.value(u"messages"_s), 2);
    }

    void refusesBadInput_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error"); // exact, or a prefix when it ends with '*'

        const QByteArray msg = path(u"message"_s, u"receive"_s);
        const QByteArray ev = path(u"conversation_state"_s, u"complete"_s);
        const QByteArray cu = path(u"user_events"_s, u"create_user"_s);
        const QByteArray good = messageWith(u"sender"_s, u"ceu"_s);
        const auto post = [](const QByteArray &p, const QByteArray &body,
                             const Headers &h = kJson) {
            return buildPost(p, body, h);
        };

        // Not JSON, or not an object.
        addCase("invalid JSON", post(msg, R"({"user_id": "bad-1",)"), 400,
                u"body: invalid JSON: *"_s);
        addCase("empty body", post(msg, ""), 400, u"body: empty, expected a JSON object"_s);
        addCase("whitespace body", post(msg, " \r\n\t"), 400,
                u"body: empty, expected a JSON object"_s);
        addCase("JSON array", post(msg, "[1,2]"), 400,
                u"body: expected a JSON object, got array"_s);
        addCase("JSON number", post(msg, "42"), 400, u"body: expected a JSON object, got number"_s);
        addCase("JSON string", post(msg, R"("hi")"), 400,
                u"body: expected a JSON object, got string"_s);
        addCase("invalid UTF-8", post(msg, "{\"user_id\":\"bad-\xff\xfe\"}"), 400, u"body: *"_s);
        addCase("trailing garbage", post(msg, good + "}x"), 400, u"body: invalid JSON: *"_s);
        QByteArray deep = R"({"user_id":"bad-1","metadata":)";
        deep += QByteArray(5000, '[') + QByteArray(5000, ']') + '}';
        addCase("nested too deeply", post(msg, deep), 400, u"body: invalid JSON: *"_s);

        // Message fields missing or mistyped.
        addCase("user_id missing", post(msg, messageWith(u"user_id"_s, QJsonValue::Undefined)), 400,
                u"user_id: required field missing"_s);
        addCase("user_id object", post(msg, messageWith(u"user_id"_s, QJsonObject{})), 400,
                u"user_id: expected string"_s);
        addCase("user_id empty", post(msg, messageWith(u"user_id"_s, u""_s)), 400,
                u"user_id: must not be empty"_s);
        addCase("user_id null", post(msg, messageWith(u"user_id"_s, QJsonValue::Null)), 400,
                u"user_id: expected string"_s);
        addCase("user_id too long", post(msg, messageWith(u"user_id"_s, QString(300, u'u'))), 400,
                u"user_id: longer than 256 characters"_s);
        addCase("conversation_number missing",
                post(msg, messageWith(u"conversation_number"_s, QJsonValue::Undefined)), 400,
                u"conversation_number: required field missing"_s);
        addCase("conversation_number array",
                post(msg, messageWith(u"conversation_number"_s, QJsonArray{1})), 400,
                u"conversation_number: expected string"_s);
        addCase("message_body missing",
                post(msg, messageWith(u"message_body"_s, QJsonValue::Undefined)), 400,
                u"message_body: required field missing"_s);
        addCase("message_body number", post(msg, messageWith(u"message_body"_s, 7)), 400,
                u"message_body: expected object or string holding HSL JSON"_s);
        addCase("message_body array", post(msg, messageWith(u"message_body"_s, QJsonArray{})), 400,
                u"message_body: expected object or string holding HSL JSON"_s);
        addCase("message_body not HSL (no type)",
                post(msg, messageWith(u"message_body"_s, QJsonObject{{u"text"_s, u"hi"_s}})), 400,
                u"message_body.type: required field missing"_s);
        addCase("message_body not HSL (type not a string)",
                post(msg, messageWith(u"message_body"_s, QJsonObject{{u"type"_s, QJsonArray{}}})),
                400, u"message_body.type: expected string"_s);
        addCase("message_body string not JSON",
                post(msg, messageWith(u"message_body"_s, u"hello agent"_s)), 400,
                u"message_body: *"_s);
        addCase("message_body string not an object",
                post(msg, messageWith(u"message_body"_s, u"[1]"_s)), 400,
                u"message_body: expected a JSON object, got array"_s);
        addCase("sender missing", post(msg, messageWith(u"sender"_s, QJsonValue::Undefined)), 400,
                u"sender: required field missing"_s);
        addCase("sender not a spec sender", post(msg, messageWith(u"sender"_s, u"bot"_s)), 400,
                u"sender: expected one of ceu, iva, haptik, ect, aeu"_s);
        addCase("sender number", post(msg, messageWith(u"sender"_s, 1)), 400,
                u"sender: expected string"_s);
        addCase("metadata array", post(msg, messageWith(u"metadata"_s, QJsonArray{})), 400,
                u"metadata: expected object"_s);
        addCase("message_id not an integer", post(msg, messageWith(u"message_id"_s, u"abc"_s)), 400,
                u"message_id: expected integer or string holding an integer"_s);
        addCase("message_id fraction", post(msg, messageWith(u"message_id"_s, 1.5)), 400,
                u"message_id: expected integer or string holding an integer"_s);
        addCase("timestamp not ISO", post(msg, messageWith(u"timestamp"_s, u"yesterday"_s)), 400,
                u"timestamp: expected ISO 8601 date-time"_s);
        addCase("timestamp a date only", post(msg, messageWith(u"timestamp"_s, u"2024-05-01"_s)),
                400, u"timestamp: expected ISO 8601 date-time"_s);

        // Events.
        addCase("event type missing", post(ev, eventWith(u"type"_s, QJsonValue::Undefined)), 400,
                u"type: required field missing"_s);
        addCase("event subtype number", post(ev, eventWith(u"subtype"_s, QJsonArray{})), 400,
                u"subtype: expected string"_s);
        addCase("event conversation_number missing",
                post(ev, eventWith(u"conversation_number"_s, QJsonValue::Undefined)), 400,
                u"conversation_number: required field missing"_s);
        addCase("event metadata number", post(ev, eventWith(u"metadata"_s, 12)), 400,
                u"metadata: expected string or object"_s);
        addCase("event user_id missing", post(ev, eventWith(u"user_id"_s, QJsonValue::Undefined)),
                400, u"user_id: required field missing"_s);

        // create_user.
        addCase("create_user user_id missing", post(cu, R"({"user_name":"Nobody"})"), 400,
                u"user_id: required field missing"_s);
        addCase("create_user user_name array", post(cu, R"({"user_id":"bad-1","user_name":["a"]})"),
                400, u"user_name: expected string"_s);
        addCase("create_user details_available object",
                post(cu, R"({"user_id":"bad-1","details_available":{"a":1}})"), 400,
                u"details_available: *"_s);

        // Paths and secrets: nothing revealed.
        addCase("wrong secret",
                post(hookPath(QByteArray(43, 'A'), u"message"_s, u"receive"_s), good), 404,
                u"not found"_s);
        addCase("secret prefix only",
                post(hookPath(m_secret.left(20), u"message"_s, u"receive"_s), good), 404,
                u"not found"_s);
        addCase("no secret", post("/hooks/message/receive", good), 404, u"not found"_s);
        addCase("unknown hook", post(path(u"message"_s, u"send"_s), good), 404,
                u"unknown hook message/send"_s);
        addCase("path too long", post(msg + "/extra", good), 404, u"not found"_s);
        addCase("root path", post("/", good), 404, u"not found"_s);

        // Methods (checked first), content types, sizes.
        addCase("GET", "GET " + msg + " HTTP/1.1\r\nHost: x\r\n\r\n", 405,
                u"method not allowed; TRACT hooks use POST"_s);
        addCase("PUT",
                "PUT " + msg +
                    " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: " +
                    QByteArray::number(good.size()) + "\r\n\r\n" + good,
                405, u"method not allowed; TRACT hooks use POST"_s);
        addCase("DELETE on an unknown path", "DELETE /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 405,
                u"method not allowed; TRACT hooks use POST"_s);
        addCase("text/plain", post(msg, good, {{"Content-Type", "text/plain"}}), 415,
                u"expected Content-Type: application/json"_s);
        addCase("no content type", post(msg, good, {}), 415,
                u"expected Content-Type: application/json"_s);
        addCase("form encoded",
                post(msg, "user_id=bad-1", {{"Content-Type", "application/x-www-form-urlencoded"}}),
                415, u"expected Content-Type: application/json"_s);
        addCase("body over 1 MiB (Content-Length, 100-continue)",
                "POST " + msg +
                    " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Expect: 100-continue\r\nContent-Length: 1048577\r\n\r\n",
                413, u"body larger than 1048576 bytes"_s);
        QByteArray big =
            messageWith(u"metadata"_s, QJsonObject{{u"pad"_s, QString(1100000, u'x')}});
        addCase("body over 1 MiB (chunked)", buildPost(msg, big, kJson, true), 413,
                u"body larger than 1048576 bytes"_s);
    }

    void refusesBadInput() {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, error);
        const RawReply r = rawExchange(m_console.port(), request);
        QVERIFY2(r.status != 0, "no answer");
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.json.keys(), QStringList{u"error"_s});
        const QString actual = r.json.value(u"error"_s).toString();
        if (error.endsWith(u'*'))
            QVERIFY2(actual.startsWith(error.chopped(1)), qPrintable(actual));
        else
            QCOMPARE(actual, error);
        if (status == 405)
            QCOMPARE(r.header("allow"), QByteArray("POST"));
        // Secrets never echo back.
        QVERIFY(!r.body.contains(m_secret));
    }

    void requiresSignatures_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        const QByteArray msg = hookPath(m_signedSecret, u"message"_s, u"receive"_s);
        const QByteArray body = compact(messageHook(u"bad-2"_s, u"ceu"_s, u"unsigned"_s, 77));
        const QByteArray other = compact(messageHook(u"bad-2"_s, u"ceu"_s, u"other"_s, 78));
        const auto post = [&](const Headers &h, const QByteArray &b) {
            return buildPost(msg, b, kJson + h);
        };
        const QString missing = u"missing X-Hub-Signature or X-Hub-Signature-256 header"_s;
        const QString bad256 = u"X-Hub-Signature-256 does not match the body"_s;
        const QString bad1 = u"X-Hub-Signature does not match the body"_s;
        addCase("no signature", post({}, body), 401, missing);
        addCase("empty signature", post({{"X-Hub-Signature-256", ""}}, body), 401, missing);
        addCase("sha256 of another body", post({{"X-Hub-Signature-256", sign256(other)}}, body),
                401, bad256);
        addCase("sha256 with another secret",
                post({{"X-Hub-Signature-256", sign256(body, "not-the-secret")}}, body), 401,
                bad256);
        addCase("sha256 without prefix",
                post({{"X-Hub-Signature-256", sign256(body).mid(7)}}, body), 401, bad256);
        addCase("sha256 truncated", post({{"X-Hub-Signature-256", sign256(body).chopped(2)}}, body),
                401, bad256);
        addCase("sha1 wrong", post({{"X-Hub-Signature", sign1(other)}}, body), 401, bad1);
        addCase(
            "sha256 right, sha1 wrong",
            post({{"X-Hub-Signature-256", sign256(body)}, {"X-Hub-Signature", sign1(other)}}, body),
            401, bad1);
        addCase("signature checked before the body",
                post({{"X-Hub-Signature-256", sign256("x")}}, "not json"), 401, bad256);
        addCase("wrong secret path still 404",
                buildPost(hookPath(m_secret == m_signedSecret ? QByteArray(43, 'B') : m_secret,
                                   u"message"_s, u"receive"_s),
                          body, kJson),
                404, u"not found"_s);
    }

    void requiresSignatures() {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, error);
        const RawReply r = rawExchange(m_signed.port(), request);
        QCOMPARE(r.status, status);
        QCOMPARE(r.json.keys(), QStringList{u"error"_s});
        QCOMPARE(r.json.value(u"error"_s).toString(), error);
    }

    void acceptsSignedHooks() {
        // Right signatures (either header, or both) go through, as do the
        // sandbox's own signed deliveries.
        const QByteArray msg = hookPath(m_signedSecret, u"message"_s, u"receive"_s);
        const QByteArray a = compact(messageHook(u"signed-1"_s, u"ceu"_s, u"sha256 only"_s, 1));
        const QByteArray b = compact(messageHook(u"signed-1"_s, u"ceu"_s, u"sha1 only"_s, 2));
        const QByteArray c = compact(messageHook(u"signed-1"_s, u"ceu"_s, u"both"_s, 3));
        QCOMPARE(
            rawExchange(m_signed.port(),
                        buildPost(msg, a, kJson + Headers{{"X-Hub-Signature-256", sign256(a)}}))
                .status,
            200);
        QCOMPARE(rawExchange(m_signed.port(),
                             buildPost(msg, b, kJson + Headers{{"X-Hub-Signature", sign1(b)}}))
                     .status,
                 200);
        QCOMPARE(rawExchange(
                     m_signed.port(),
                     buildPost(msg, c,
                               kJson + Headers{{"x-hub-signature-256",
                                                sign256(c).toUpper().replace("SHA256=", "sha256=")},
                                               {"X-Hub-Signature", sign1(c)}}))
                     .status,
                 200);
        QCOMPARE(m_signedSandbox
                     .post(u"/sandbox/messages"_s,
                           {{u"user_id"_s, u"signed-2"_s}, {u"text"_s, u"signed by TRACT"_s}})
                     .status,
                 200);
        VERIFY_DELIVERED(m_signedSandbox, 3, 10000);
        const auto exported = ConsoleProcess::exportData(m_signedDir.path());
        QCOMPARE(exported.exitCode, 0);
        QStringList texts;
        for (const QJsonValue &v :
             exportedThread(exported.json, u"signed-1"_s).value(u"messages"_s).toArray())
            texts.append(textOf(v.toObject()));
        QCOMPARE(texts, (QStringList{u"sha256 only"_s, u"sha1 only"_s, u"both"_s}));
        QStringList ceu;
        for (const QJsonValue &v :
             exportedThread(exported.json, u"signed-2"_s).value(u"messages"_s).toArray()) {
            if (v.toObject().value(u"sender"_s).toString() == u"ceu"_s)
                ceu.append(textOf(v.toObject()));
        }
        QCOMPARE(ceu, QStringList{u"signed by TRACT"_s});
        // Nothing of the refused ones.
        QVERIFY(exportedThread(exported.json, u"bad-2"_s).isEmpty());
    }

    void cutsOffSlowClients() {
        // Three clients at once: one sends nothing (idle timeout), one trickles its
        // headers a byte a second, one trickles its body (request timeout). The
        // listener's limits are 30 s each; none may hold on much longer.
        const QByteArray msg = path(u"message"_s, u"receive"_s);
        QTcpSocket idle, slowHead, slowBody;
        for (QTcpSocket *s : {&idle, &slowHead, &slowBody}) {
            s->connectToHost(QHostAddress::LocalHost, m_console.port());
            QVERIFY(s->waitForConnected(5000));
        }
        QElapsedTimer clock;
        clock.start();
        slowHead.write("POST " + msg + " HTTP/1.1\r\n");
        slowBody.write("POST " + msg +
                       " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 200\r\n\r\n{");
        qint64 closedAt[3] = {-1, -1, -1};
        QByteArray answers[3];
        QTcpSocket *sockets[3] = {&idle, &slowHead, &slowBody};
        while (clock.elapsed() < 45000) {
            QTest::qWait(1000);
            bool allClosed = true;
            for (int i = 0; i < 3; ++i) {
                answers[i] += sockets[i]->readAll();
                if (closedAt[i] < 0 && sockets[i]->state() != QAbstractSocket::ConnectedState)
                    closedAt[i] = clock.elapsed();
                allClosed = allClosed && closedAt[i] >= 0;
            }
            if (allClosed)
                break;
            if (closedAt[1] < 0)
                slowHead.write("X");
            if (closedAt[2] < 0)
                slowBody.write(" ");
        }
        for (int i = 0; i < 3; ++i) {
            QVERIFY2(closedAt[i] >= 0, qPrintable(u"client %1 still connected"_s.arg(i)));
            QVERIFY2(closedAt[i] >= 28000 && closedAt[i] <= 33000,
                     qPrintable(u"client %1 cut off after %2 ms"_s.arg(i).arg(closedAt[i])));
        }
        QCOMPARE(answers[0], QByteArray()); // idle: nothing to answer
        for (int i : {1, 2}) {
            RawReply r;
            const qsizetype headEnd = answers[i].indexOf("\r\n\r\n");
            QVERIFY2(headEnd > 0, answers[i].constData());
            QVERIFY2(answers[i].startsWith("HTTP/1.1 408 "), answers[i].constData());
            const QJsonObject json = QJsonDocument::fromJson(answers[i].mid(headEnd + 4)).object();
            QCOMPARE(json, (QJsonObject{{u"error"_s, u"request not completed in time"_s}}));
        }
    }

    void storeUnchanged() {
        const auto after = ConsoleProcess::exportData(m_dir.path());
        QCOMPARE(after.exitCode, 0);
        QCOMPARE(after.out, m_before.out);
        QCOMPARE(tableCounts(database()), m_countsBefore);
        QCOMPARE(queryRows(database(), u"SELECT COUNT(*) FROM users WHERE user_id LIKE 'bad-%'"_s)
                     .value(0)
                     .value(0)
                     .toInt(),
                 0);
        // The listener is still healthy.
        QCOMPARE(postJson(m_console.port(), path(u"message"_s, u"receive"_s),
                          compact(messageHook(u"seed-1"_s, u"ceu"_s, u"still here"_s, 3)))
                     .status,
                 200);
        const auto counts = tableCounts(database());
        QCOMPARE(counts.value(u"messages"_s), m_countsBefore.value(u"messages"_s) + 1);
    }

    void cleanupTestCase() {
        m_console.stop();
        m_signed.stop();
        m_sandbox.stop();
        m_signedSandbox.stop();
    }
};

QTEST_GUILESS_MAIN(ConsoleBadInputTest)
#include "tst_console_badinput.moc"
