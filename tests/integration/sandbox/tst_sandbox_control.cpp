// tract-sandbox control API (/sandbox/..., loopback only, no auth): users,
// end-user messages, events, owner, state, reset, media.

#include "SandboxTestKit.h"

#include <QNetworkAccessManager>
#include <QNetworkInterface>
#include <QNetworkProxy>
#include <QNetworkReply>

using namespace sbtest;

class SandboxControlTest : public QObject {
    Q_OBJECT
    SandboxProcess m_sandbox;
    HookReceiver m_receiver;

    static QJsonObject error(const QString &message) { return {{u"error"_s, message}}; }

private slots:
    void initTestCase() {
        QVERIFY(m_receiver.listen());
        QVERIFY2(m_sandbox.start(fastArgs()), qPrintable(m_sandbox.errorString()));
    }

    void init() {
        QVERIFY(resetSandbox(m_sandbox));
        QTest::qWait(30); // let hooks of the previous test still in flight land
        QVERIFY(registerHooks(m_sandbox, m_receiver));
        m_receiver.clear();
    }

    void createUsers() {
        auto r = m_sandbox.post(u"/sandbox/users"_s, {});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json, QJsonObject({{u"user_id"_s, u"user-1"_s}}));
        r = m_sandbox.post(u"/sandbox/users"_s, {});
        QCOMPARE(r.json, QJsonObject({{u"user_id"_s, u"user-2"_s}}));
        r = m_sandbox.post(
            u"/sandbox/users"_s,
            {{u"user_id"_s, u"zoe"_s}, {u"user_name"_s, u"Zoe Park"_s}, {u"device_platform"_s, 5}});
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json, QJsonObject({{u"user_id"_s, u"zoe"_s}}));
        r = m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"zoe"_s}});
        QCOMPARE(r.status, 200); // exists already: nothing new
        QCOMPARE(r.json, QJsonObject({{u"user_id"_s, u"zoe"_s}}));
        // A generated id never collides with a chosen one.
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"user-3"_s}}).status, 201);
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {}).json.value(u"user_id"_s).toString(),
                 u"user-4"_s);

        QVERIFY(m_receiver.waitForHooks(5));
        QTest::qWait(100);
        QCOMPARE(m_receiver.hooks().size(), 5); // one create_user each, none for the repeat
        const QJsonObject zoe = hooksForUser(m_receiver.hooks(), u"zoe"_s).first().json;
        QCOMPARE(zoe.value(u"user_name"_s).toString(), u"Zoe Park"_s);
        QCOMPARE(zoe.value(u"device_platform"_s).toString(), u"5"_s);

        const QJsonObject state = m_sandbox.state();
        QStringList ids;
        for (const QJsonValue &v : state.value(u"users"_s).toArray())
            ids << v.toObject().value(u"user_id"_s).toString();
        QCOMPARE(ids, QStringList({u"user-1"_s, u"user-2"_s, u"zoe"_s, u"user-3"_s,
                                   u"user-4"_s})); // creation order
        const QJsonObject z = findUser(state, u"zoe"_s);
        QCOMPARE(z.value(u"owner"_s).toString(), u"iva"_s);
        QCOMPARE(z.value(u"conversation_number"_s).toString(), u"1"_s);
        QCOMPARE(z.value(u"user_name"_s).toString(), u"Zoe Park"_s);

        // Custom details are offered and answered as given.
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/users"_s,
                      {{u"user_id"_s, u"vip"_s},
                       {u"details"_s, QJsonObject{{u"tier"_s, u"gold"_s}, {u"email"_s, u"v@x"_s}}}})
                .status,
            201);
        QVERIFY(m_receiver.waitForHooks(6));
        QCOMPARE(m_receiver.hooks().last().json.value(u"details_available"_s).toArray(),
                 QJsonArray({QJsonObject{{u"key"_s, u"email"_s}, {u"label"_s, u"Email"_s}},
                             QJsonObject{{u"key"_s, u"tier"_s}, {u"label"_s, u"tier"_s}}}));
        const auto details = m_sandbox.tract(
            "POST", u"/tract/user/"_s,
            {{u"user_id"_s, u"vip"_s}, {u"details_requested"_s, QJsonArray{u"tier"_s}}});
        QCOMPARE(details.json.value(u"details"_s).toObject(),
                 QJsonObject({{u"tier"_s, u"gold"_s}}));
    }

    void createUserBadInput() {
        auto r = m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, true}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"user_id: expected string"_s));
        r = m_sandbox.post(u"/sandbox/users"_s, {{u"details"_s, u"lots"_s}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"details: expected object"_s));
        r = m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, QString(257, u'u')}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"user_id: longer than 256 characters"_s));
        r = m_sandbox.raw("POST", u"/sandbox/users"_s, "[]", {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"body: expected a JSON object, got array"_s));
        QCOMPARE(m_sandbox.state().value(u"users"_s).toArray().size(), 0);
    }

    void endUserMessages() {
        // An unknown user is created first.
        auto r = say(m_sandbox, u"neo"_s, u"hello"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject({{u"user_id"_s, u"neo"_s}}));
        QVERIFY(m_receiver.waitForHooks(3));
        QCOMPARE(timeline(m_receiver, u"neo"_s),
                 QStringList({u"create_user"_s, u"ceu TEXT hello"_s, u"iva TEXT"_s}));

        // HSL as an object and as a string; the hook carries it as given.
        m_receiver.clear();
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/owner"_s, {{u"user_id"_s, u"neo"_s}, {u"receiver"_s, u"demo"_s}})
                .status,
            200);
        const QJsonObject photo{
            {u"text"_s, u""_s},
            {u"type"_s, u"CAROUSEL"_s},
            {u"data"_s,
             QJsonObject{{u"width"_s, u"FAT"_s},
                         {u"items"_s,
                          QJsonArray{QJsonObject{
                              {u"thumbnail"_s, QJsonObject{{u"image"_s, u"https://e.com/p.jpg"_s}}},
                              {u"actionables"_s, QJsonArray()}}}}}}};
        r = m_sandbox.post(u"/sandbox/messages"_s,
                           {{u"user_id"_s, u"neo"_s}, {u"message_body"_s, photo}});
        QCOMPARE(r.status, 200);
        r = m_sandbox.post(u"/sandbox/messages"_s,
                           {{u"user_id"_s, u"neo"_s},
                            {u"message_body"_s, u"{\"type\":\"TEXT\",\"text\":\"as string\"}"_s}});
        QCOMPARE(r.status, 200);
        QVERIFY(m_receiver.waitForHooks(3));
        QCOMPARE(timeline(m_receiver, u"neo"_s),
                 QStringList({u"thread_control/take iva>demo by demo"_s, u"ceu CAROUSEL "_s,
                              u"ceu TEXT as string"_s}));
        QCOMPARE(m_receiver.hooks().at(1).json.value(u"message_body"_s).toObject(), photo);
    }

    void endUserMessagesBadInput_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("no user_id")
            << "{\"text\":\"hi\"}"_ba << 400 << u"user_id: required field missing"_s;
        QTest::newRow("user_id number")
            << "{\"user_id\":5,\"text\":\"hi\"}"_ba << 400 << u"user_id: expected string"_s;
        QTest::newRow("user_id empty")
            << "{\"user_id\":\"\",\"text\":\"hi\"}"_ba << 400 << u"user_id: must not be empty"_s;
        QTest::newRow("neither text nor message_body")
            << "{\"user_id\":\"q\"}"_ba << 400
            << u"text: expected a non-empty string, or message_body"_s;
        QTest::newRow("empty text") << "{\"user_id\":\"q\",\"text\":\"\"}"_ba << 400
                                    << u"text: expected a non-empty string, or message_body"_s;
        QTest::newRow("text number") << "{\"user_id\":\"q\",\"text\":7}"_ba << 400
                                     << u"text: expected a non-empty string, or message_body"_s;
        const QString hslError = u"message_body: expected an HSL object with a string \"type\""_s;
        QTest::newRow("HSL without type")
            << "{\"user_id\":\"q\",\"message_body\":{\"text\":\"x\"}}"_ba << 400 << hslError;
        QTest::newRow("HSL string not JSON")
            << "{\"user_id\":\"q\",\"message_body\":\"hello\"}"_ba << 400 << hslError;
        QTest::newRow("HSL number")
            << "{\"user_id\":\"q\",\"message_body\":3}"_ba << 400 << hslError;
        QTest::newRow("invalid JSON") << "{\"user_id\":"_ba << 400
                                      << u"body: invalid JSON: unterminated object at offset 11"_s;
    }

    void endUserMessagesBadInput() {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        const auto r = m_sandbox.raw("POST", u"/sandbox/messages"_s, body, {});
        QCOMPARE(r.status, status);
        QCOMPARE(r.json, SandboxControlTest::error(error));
        QCOMPARE(m_sandbox.state().value(u"users"_s).toArray().size(), 0); // nobody created
    }

    void events() {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"ev"_s}}).status, 201);
        auto r = m_sandbox.post(u"/sandbox/events"_s,
                                {{u"user_id"_s, u"ev"_s},
                                 {u"category"_s, u"conversation_state"_s},
                                 {u"subcategory"_s, u"pinned"_s},
                                 {u"metadata"_s, QJsonObject{{u"agent"_s, u"Ann"_s}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject());
        r = m_sandbox.post(u"/sandbox/events"_s, {{u"user_id"_s, u"ev"_s},
                                                  {u"category"_s, u"aeu_events"_s},
                                                  {u"subcategory"_s, u"user_timeout"_s},
                                                  {u"metadata"_s, u"plain text"_s}});
        QCOMPARE(r.status, 200);
        QVERIFY(m_receiver.waitForHooks(3));
        const QList<Hook> hooks = hooksForUser(m_receiver.hooks(), u"ev"_s);
        QCOMPARE(describeAll(hooks), QStringList({u"create_user"_s, u"conversation_state/pinned"_s,
                                                  u"aeu_events/user_timeout"_s}));
        QCOMPARE(hooks.at(1).json.value(u"metadata"_s).toString(), u"{\"agent\":\"Ann\"}"_s);
        QCOMPARE(hooks.at(2).json.value(u"metadata"_s).toString(), u"plain text"_s);
        QCOMPARE(findUser(m_sandbox.state(), u"ev"_s).value(u"conversation_state"_s).toString(),
                 u"pinned"_s);

        r = m_sandbox.post(u"/sandbox/events"_s, {{u"user_id"_s, u"nobody"_s},
                                                  {u"category"_s, u"aeu_events"_s},
                                                  {u"subcategory"_s, u"received"_s}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, error(u"unknown user_id 'nobody'"_s));
        r = m_sandbox.post(u"/sandbox/events"_s,
                           {{u"user_id"_s, u"ev"_s}, {u"subcategory"_s, u"received"_s}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"category: required field missing"_s));
        r = m_sandbox.post(u"/sandbox/events"_s, {{u"user_id"_s, u"ev"_s},
                                                  {u"category"_s, u"aeu_events"_s},
                                                  {u"subcategory"_s, u"received"_s},
                                                  {u"metadata"_s, 12}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"metadata: expected string or object"_s));
    }

    void owner() {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"ow"_s}}).status, 201);
        auto r = m_sandbox.post(u"/sandbox/owner"_s,
                                {{u"user_id"_s, u"ow"_s}, {u"receiver"_s, u"sac"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject({{u"user_id"_s, u"ow"_s}, {u"owner"_s, u"sac"_s}}));
        QCOMPARE(ownerOf(m_sandbox, u"ow"_s), u"sac"_s);
        r = m_sandbox.post(u"/sandbox/owner"_s,
                           {{u"user_id"_s, u"ow"_s}, {u"receiver"_s, u"bob"_s}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"receiver: 'bob' is not a listener (iva, sac or demo)"_s));
        r = m_sandbox.post(u"/sandbox/owner"_s,
                           {{u"user_id"_s, u"nobody"_s}, {u"receiver"_s, u"sac"_s}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, error(u"unknown user_id 'nobody'"_s));
        r = m_sandbox.post(u"/sandbox/owner"_s, {{u"user_id"_s, u"ow"_s}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json, error(u"receiver: required field missing"_s));
        QCOMPARE(ownerOf(m_sandbox, u"ow"_s), u"sac"_s);
    }

    void stateShape() {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"st"_s}}).status, 201);
        QVERIFY(m_receiver.waitForHooks(1));
        // An ECT message, and a hook nobody registered for.
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/owner"_s, {{u"user_id"_s, u"st"_s}, {u"receiver"_s, u"demo"_s}})
                .status,
            200);
        QCOMPARE(m_sandbox
                     .tract("POST", u"/tract/message/send/"_s,
                            {{u"user_id"_s, u"st"_s},
                             {u"sender"_s, u"aeu"_s},
                             {u"message_body"_s, u"{\"type\":\"TEXT\",\"text\":\"x\"}"_s}})
                     .status,
                 200);
        QCOMPARE(m_sandbox
                     .tract("POST", u"/tract/event/send"_s,
                            {{u"user_id"_s, u"st"_s},
                             {u"type"_s, u"aeu_events"_s},
                             {u"subtype"_s, u"received"_s}})
                     .status,
                 200);
        QVERIFY(m_receiver.waitForHooks(2));
        const auto r = m_sandbox.get(u"/sandbox/state"_s);
        QCOMPARE(r.status, 200);
        const QJsonObject s = r.json;
        QCOMPARE(s.value(u"client_id"_s).toString(), u"demo"_s);
        QCOMPARE(s.value(u"hooks"_s).toArray().size(), allHookKinds().size());
        const QJsonObject user = s.value(u"users"_s).toArray().first().toObject();
        for (const QString &key : {u"user_id"_s, u"owner"_s, u"conversation_number"_s})
            QVERIFY2(user.value(key).isString(), qPrintable(key));
        QCOMPARE(user.value(u"owner"_s).toString(), u"demo"_s);
        const QJsonArray deliveries = s.value(u"deliveries"_s).toArray();
        QCOMPARE(deliveries.size(), 2);
        for (const QJsonValue &v : deliveries) {
            const QJsonObject d = v.toObject();
            QCOMPARE(d.value(u"user_id"_s).toString(), u"st"_s);
            QCOMPARE(d.value(u"status"_s).toString(), u"delivered"_s);
            QCOMPARE(d.value(u"attempts"_s).toInt(), 1);
            QVERIFY(d.value(u"ack_latency_ms"_s).toDouble() >= 0);
        }
        QCOMPARE(deliveries.at(1).toObject().value(u"subcategory"_s).toString(), u"take"_s);
        const QJsonObject received = s.value(u"received"_s).toObject();
        QCOMPARE(received.value(u"messages"_s).toArray().size(), 1);
        QCOMPARE(received.value(u"events"_s).toArray().size(), 1);
    }

    void resetForgetsEverything() {
        QCOMPARE(say(m_sandbox, u"gone"_s, u"hi"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(3));
        const auto r = m_sandbox.post(u"/sandbox/reset"_s, {});
        QCOMPARE(r.status, 200);
        const QJsonObject s = m_sandbox.state();
        QCOMPARE(s.value(u"users"_s).toArray().size(), 0);
        QCOMPARE(s.value(u"hooks"_s).toArray().size(), 0);
        QCOMPARE(s.value(u"deliveries"_s).toArray().size(), 0);
        QCOMPARE(s.value(u"received"_s).toObject(),
                 QJsonObject({{u"messages"_s, QJsonArray()}, {u"events"_s, QJsonArray()}}));
        QCOMPARE(
            m_sandbox.tract("GET", u"/tract/hooks/list/"_s).json.value(u"hooks"_s).toArray().size(),
            0);
        // Nothing more goes out, and numbering starts again.
        m_receiver.clear();
        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        QCOMPARE(say(m_sandbox, u"fresh"_s, u"hi"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(2));
        QCOMPARE(m_receiver.hooks().first().json.value(u"message_id"_s).toInt(), 1);
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {}).json.value(u"user_id"_s).toString(),
                 u"user-1"_s);
    }

    void media() {
        auto r = m_sandbox.get(u"/sandbox/media/plan-basic.svg"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.body.contains("<svg"));
        r = m_sandbox.get(u"/sandbox/media/nope.svg"_s);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, error(u"no such media: nope.svg"_s));
        r = m_sandbox.get(u"/sandbox/media/.hidden"_s);
        QCOMPARE(r.status, 404);
        r = m_sandbox.raw("POST", u"/sandbox/media/store.svg"_s, "{}", {});
        QCOMPARE(r.status, 405);
        QCOMPARE(r.json, error(u"method POST not allowed; use GET"_s));
    }

    void noAuthNeededButTractHeadersHarmless() {
        const auto r =
            m_sandbox.raw("POST", u"/sandbox/users"_s, "{}",
                          {{"Authorization"_ba, "Bearer wrong"_ba}, {"client-id"_ba, "other"_ba}});
        QCOMPARE(r.status, 201);
    }

    // The control API refuses clients that are not on loopback.
    void loopbackOnly() {
        QHostAddress external;
        for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
            if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback()) {
                external = a;
                break;
            }
        }
        if (external.isNull())
            QSKIP("no non-loopback IPv4 address on this machine");
        SandboxProcess open;
        QVERIFY2(open.start({u"--listen"_s, u"0.0.0.0:0"_s}), qPrintable(open.errorString()));
        QUrl url = open.baseUrl();
        SandboxProcess::Reply r;
        {
            // Talk to it through the external address.
            QNetworkAccessManager nam;
            nam.setProxy(QNetworkProxy::NoProxy);
            url.setHost(external.toString());
            url.setPath(u"/sandbox/state"_s);
            QNetworkReply *reply = nam.get(QNetworkRequest(url));
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 5000);
            r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            r.json = parse(reply->readAll());
            delete reply;
        }
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json, error(u"the control API answers loopback clients only"_s));
        QCOMPARE(open.get(u"/sandbox/state"_s).status, 200); // loopback still fine
    }
};

QTEST_GUILESS_MAIN(SandboxControlTest)
#include "tst_sandbox_control.moc"
