// tract-sandbox TRACT endpoints over real HTTP: every endpoint, authentication,
// and the bad-input matrix. The sandbox must answer each bad request with the
// exact status and error, and still be up afterwards.

#include "SandboxTestKit.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>

using namespace sbtest;

namespace {

enum Auth { Good, NoToken, WrongToken, NoClientId, WrongClientId, NoHeaders, LowerBearer };

QList<QPair<QByteArray, QByteArray>> headersFor(Auth auth) {
    QList<QPair<QByteArray, QByteArray>> h{{"Content-Type"_ba, "application/json"_ba}};
    const QByteArray token = auth == WrongToken    ? "Bearer wrong-token"_ba
                             : auth == LowerBearer ? "bearer demo-token"_ba
                                                   : "Bearer demo-token"_ba;
    if (auth != NoToken && auth != NoHeaders)
        h.append({"Authorization"_ba, token});
    if (auth != NoClientId && auth != NoHeaders)
        h.append({"client-id"_ba, auth == WrongClientId ? "acme"_ba : "demo"_ba});
    return h;
}

QByteArray hsl(const char *type) {
    return compact({{u"type"_s, QString::fromLatin1(type)}, {u"text"_s, u"hello"_s}});
}

} // namespace

class SandboxApiTest : public QObject {
    Q_OBJECT
    SandboxProcess m_sandbox;
    HookReceiver m_receiver;

private slots:
    void initTestCase() {
        QVERIFY(m_receiver.listen());
        QVERIFY2(m_sandbox.start(fastArgs()), qPrintable(m_sandbox.errorString()));
    }

    // Every test starts from an empty world with all hooks registered and user
    // "u1" owned by the ECT; only hooks caused by the test itself are recorded.
    void init() {
        QVERIFY(resetSandbox(m_sandbox));
        QTest::qWait(30); // let hooks of the previous test still in flight land
        QVERIFY(registerHooks(m_sandbox, m_receiver));
        m_receiver.clear();
        QCOMPARE(m_sandbox
                     .post(u"/sandbox/users"_s,
                           {{u"user_id"_s, u"u1"_s},
                            {u"user_name"_s, u"Uma Iyer"_s},
                            {u"device_platform"_s, u"14"_s},
                            {u"details"_s, QJsonObject{{u"email"_s, u"uma@example.com"_s},
                                                       {u"plan"_s, u"Plus"_s}}}})
                     .status,
                 201);
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/owner"_s, {{u"user_id"_s, u"u1"_s}, {u"receiver"_s, u"demo"_s}})
                .status,
            200);
        QVERIFY(m_receiver.waitForHooks(2)); // create_user, thread_control/take
        QTest::qWait(20);
        QCOMPARE(m_receiver.attempts().size(), 2);
        m_receiver.clear();
    }

    void hooksRegisterAndList() {
        QVERIFY(resetSandbox(m_sandbox));
        auto list = m_sandbox.tract("GET", u"/tract/hooks/list/"_s);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json, QJsonObject({{u"hooks"_s, QJsonArray()}}));

        const QList<HookKind> kinds{{u"user_events"_s, u"create_user"_s},
                                    {u"message"_s, u"receive"_s},
                                    {u"collection_state"_s, u"complete"_s}};
        for (const HookKind &k : kinds) {
            const auto r = m_sandbox.tract("POST", u"/tract/hooks/register/"_s,
                                           {{u"category"_s, k.first},
                                            {u"subcategory"_s, k.second},
                                            {u"url"_s, m_receiver.urlFor(k.first, k.second)}});
            QCOMPARE(r.status, 200);
            QCOMPARE(r.json, QJsonObject());
        }
        const auto entry = [](const QString &c, const QString &s, const QString &url) {
            return QJsonObject{
                {u"category"_s, c}, {u"subcategory"_s, s}, {u"url"_s, url}, {u"enabled"_s, true}};
        };
        // Sorted; the later revision's collection_state is stored as conversation_state.
        QJsonArray expected{
            entry(u"conversation_state"_s, u"complete"_s,
                  m_receiver.urlFor(u"collection_state"_s, u"complete"_s)),
            entry(u"message"_s, u"receive"_s, m_receiver.urlFor(u"message"_s, u"receive"_s)),
            entry(u"user_events"_s, u"create_user"_s,
                  m_receiver.urlFor(u"user_events"_s, u"create_user"_s))};
        list = m_sandbox.tract("GET", u"/tract/hooks/list/"_s);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json.value(u"hooks"_s).toArray(), expected);

        // Registering again replaces the URL; the path works without its trailing slash.
        const QString other = u"http://127.0.0.1:9/other"_s;
        QCOMPARE(m_sandbox
                     .tract("POST", u"/tract/hooks/register"_s,
                            {{u"category"_s, u"message"_s},
                             {u"subcategory"_s, u"receive"_s},
                             {u"url"_s, other}})
                     .status,
                 200);
        expected[1] = entry(u"message"_s, u"receive"_s, other);
        list = m_sandbox.tract("GET", u"/tract/hooks/list"_s);
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json.value(u"hooks"_s).toArray(), expected);
        QCOMPARE(m_sandbox.state().value(u"hooks"_s).toArray(), expected);
    }

    void getUserAndDetails() {
        auto r = m_sandbox.tract("POST", u"/tract/user/"_s, {{u"user_id"_s, u"u1"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json,
                 QJsonObject({{u"user_id"_s, u"u1"_s},
                              {u"third_party_user_id"_s, u"tp-u1"_s},
                              {u"user_name"_s, u"Uma Iyer"_s},
                              {u"device_platform"_s, u"14"_s},
                              {u"details_available"_s, QJsonArray{u"email"_s, u"plan"_s}}}));

        const QJsonObject details{{u"user_id"_s, u"u1"_s},
                                  {u"details"_s, QJsonObject{{u"email"_s, u"uma@example.com"_s},
                                                             {u"plan"_s, u"Plus"_s}}}};
        const QJsonObject request{
            {u"user_id"_s, u"u1"_s},
            {u"details_requested"_s, QJsonArray{u"plan"_s, u"email"_s, u"shoe_size"_s}}};
        r = m_sandbox.tract("POST", u"/tract/user/"_s, request);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, details); // unknown keys are left out
        r = m_sandbox.tract("POST", u"/tract/user/details/"_s, request); // later revision
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, details);

        r = m_sandbox.tract("POST", u"/tract/user/"_s, {{u"user_id"_s, u"ghost"_s}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, QJsonObject({{u"error"_s, u"unknown user_id 'ghost'"_s}}));
        r = m_sandbox.tract(
            "POST", u"/tract/user/"_s,
            {{u"user_id"_s, u"ghost"_s}, {u"details_requested"_s, QJsonArray{u"email"_s}}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, QJsonObject({{u"error"_s, u"unknown user_id 'ghost'"_s}}));

        // Ids arrive as numbers from some senders.
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"42"_s}}).status, 201);
        r = m_sandbox.tract("POST", u"/tract/user/"_s, {{u"user_id"_s, 42}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json.value(u"user_id"_s).toString(), u"42"_s);
        QCOMPARE(r.json.value(u"details_available"_s).toArray(),
                 QJsonArray({u"city"_s, u"email"_s, u"order_id"_s, u"phone"_s, u"plan"_s}));
    }

    void messageSendOnlyByOwner() {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"u2"_s}}).status, 201);
        const auto send = [this](const QString &user, const QByteArray &body,
                                 const QString &sender = u"aeu"_s) {
            return m_sandbox.tract("POST", u"/tract/message/send/"_s,
                                   {{u"user_id"_s, user},
                                    {u"sender"_s, sender},
                                    {u"message_body"_s, QString::fromUtf8(body)}});
        };
        auto r = send(u"u2"_s, hsl("TEXT"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.json,
                 QJsonObject({{u"error"_s, u"user 'u2' is owned by 'iva'; only the owner may "
                                           "message the user (take or request control first)"_s}}));
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/owner"_s, {{u"user_id"_s, u"u2"_s}, {u"receiver"_s, u"sac"_s}})
                .status,
            200);
        r = send(u"u2"_s, hsl("TEXT"));
        QCOMPARE(r.status, 403);
        QVERIFY2(r.json.value(u"error"_s).toString().contains(u"owned by 'sac'"_s), r.body);

        r = send(u"ghost"_s, hsl("TEXT"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, QJsonObject({{u"error"_s, u"unknown user_id 'ghost'"_s}}));

        // u1 is owned by the ECT: every known HSL type and every sender goes through.
        const char *types[] = {"TEXT", "BUTTON", "CAROUSEL",     "SYSTEM",
                               "FORM", "SILENT", "NATIVE_ACTION"};
        for (const char *type : types) {
            r = send(u"u1"_s, hsl(type));
            QVERIFY2(r.status == 200, type);
            QCOMPARE(r.json, QJsonObject());
        }
        for (const QString &sender : {u"ceu"_s, u"iva"_s, u"haptik"_s, u"ect"_s, u"aeu"_s}) {
            r = send(u"u1"_s, hsl("TEXT"), sender);
            QVERIFY2(r.status == 200, qPrintable(sender));
        }
        r = send(u"u1"_s, hsl("HOLOGRAM"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json,
                 QJsonObject({{u"error"_s, u"message_body.type: unknown HSL type 'HOLOGRAM'"_s}}));

        const QJsonArray received =
            m_sandbox.state().value(u"received"_s).toObject().value(u"messages"_s).toArray();
        QCOMPARE(received.size(), 12);
        const QJsonObject first = received.first().toObject();
        QCOMPARE(first.value(u"user_id"_s).toString(), u"u1"_s);
        QCOMPARE(first.value(u"sender"_s).toString(), u"aeu"_s);
        QCOMPARE(first.value(u"message_body"_s).toString(), QString::fromUtf8(hsl("TEXT")));
        QVERIFY(first.value(u"received_at"_s).toString().endsWith(u'Z'));
        // The ECT's own messages are not echoed back as hooks.
        QTest::qWait(100);
        QCOMPARE(m_receiver.hooksOf(u"message"_s).size(), 0);
    }

    // A resend with a seen idempotency key is acknowledged but not taken twice.
    void messageSendIdempotency() {
        const auto send = [this](const QString &key, const char *type = "TEXT") {
            return m_sandbox.tract("POST", u"/tract/message/send/"_s,
                                   {{u"user_id"_s, u"u1"_s},
                                    {u"sender"_s, u"aeu"_s},
                                    {u"message_body"_s, QString::fromUtf8(hsl(type))},
                                    {u"metadata"_s, QJsonObject{{u"idempotency_key"_s, key}}}});
        };
        const auto received = [this] {
            return m_sandbox.state()
                .value(u"received"_s)
                .toObject()
                .value(u"messages"_s)
                .toArray()
                .size();
        };
        QCOMPARE(send(u"k-1"_s, "HOLOGRAM").status, 400); // a refused send uses no key
        QCOMPARE(received(), 0);
        QCOMPARE(send(u"k-1"_s).status, 200);
        QCOMPARE(received(), 1);
        const auto again = send(u"k-1"_s);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json, QJsonObject());
        QCOMPARE(received(), 1);
        QCOMPARE(send(u"k-2"_s).status, 200);
        QCOMPARE(received(), 2);
        QVERIFY(resetSandbox(m_sandbox)); // reset forgets the keys
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/owner"_s, {{u"user_id"_s, u"u1"_s}, {u"receiver"_s, u"demo"_s}})
                .status,
            404);
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"u1"_s}}).status, 201);
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/owner"_s, {{u"user_id"_s, u"u1"_s}, {u"receiver"_s, u"demo"_s}})
                .status,
            200);
        QCOMPARE(send(u"k-1"_s).status, 200);
        QCOMPARE(received(), 1);
    }

    void eventSend() {
        auto r = m_sandbox.tract("POST", u"/tract/event/send"_s,
                                 {{u"user_id"_s, u"u1"_s},
                                  {u"type"_s, u"aeu_events"_s},
                                  {u"subtype"_s, u"allocated"_s},
                                  {u"metadata"_s, u"{\"agent\":\"Ann\"}"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject({{u"success"_s, true}}));
        // The later revision's path and field names.
        r = m_sandbox.tract("POST", u"/tract/events/send"_s,
                            {{u"user_id"_s, u"u1"_s},
                             {u"category"_s, u"aeu_events"_s},
                             {u"subcategory"_s, u"user_timeout"_s},
                             {u"metadata"_s, QJsonObject{{u"after_s"_s, 300}}}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject({{u"success"_s, true}}));
        r = m_sandbox.tract("POST", u"/tract/event/send"_s,
                            {{u"user_id"_s, u"ghost"_s},
                             {u"type"_s, u"aeu_events"_s},
                             {u"subtype"_s, u"allocated"_s}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, QJsonObject({{u"error"_s, u"unknown user_id 'ghost'"_s}}));

        const QJsonArray events =
            m_sandbox.state().value(u"received"_s).toObject().value(u"events"_s).toArray();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).toObject().value(u"subtype"_s).toString(), u"allocated"_s);
        QCOMPARE(events.at(0).toObject().value(u"metadata"_s).toString(), u"{\"agent\":\"Ann\"}"_s);
        QCOMPARE(events.at(1).toObject().value(u"subcategory"_s).toString(), u"user_timeout"_s);

        // The ECT completing the conversation hands the thread back to the bot.
        r = m_sandbox.tract("POST", u"/tract/event/send"_s,
                            {{u"user_id"_s, u"u1"_s},
                             {u"type"_s, u"conversation_state"_s},
                             {u"subtype"_s, u"complete"_s}});
        QCOMPARE(r.status, 200);
        QVERIFY(m_receiver.waitForHooks(1));
        QCOMPARE(timeline(m_receiver, u"u1"_s),
                 QStringList{u"thread_control/pass demo>iva by demo"_s});
        const QJsonObject u1 = findUser(m_sandbox.state(), u"u1"_s);
        QCOMPARE(u1.value(u"owner"_s).toString(), u"iva"_s);
        QCOMPARE(u1.value(u"conversation_state"_s).toString(), u"complete"_s);
    }

    void listeners() {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"u3"_s}}).status, 201);
        const auto listener = [](const QString &id, const QString &name, bool primary,
                                 bool isDefault, bool active) {
            return QJsonObject{{u"id"_s, id},
                               {u"name"_s, name},
                               {u"is_primary"_s, primary},
                               {u"is_default"_s, isDefault},
                               {u"active"_s, active}};
        };
        auto r = m_sandbox.tract("POST", u"/tract/thread_control/listeners/"_s,
                                 {{u"user_id"_s, u"u3"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(
            r.json,
            QJsonObject({{u"listeners"_s,
                          QJsonArray{listener(u"iva"_s, u"IVA (bot)"_s, true, true, true),
                                     listener(u"sac"_s, u"Smart Agent Chat"_s, true, false, false),
                                     listener(u"demo"_s, u"External chat tool (demo)"_s, false,
                                              false, false)}}}));
        r = m_sandbox.tract("POST", u"/tract/thread_control/listeners/"_s,
                            {{u"user_id"_s, u"u1"_s}});
        QCOMPARE(r.status, 200);
        QStringList active;
        for (const QJsonValue &v : r.json.value(u"listeners"_s).toArray()) {
            if (v.toObject().value(u"active"_s).toBool())
                active << v.toObject().value(u"id"_s).toString();
        }
        QCOMPARE(active, QStringList{u"demo"_s});
        r = m_sandbox.tract("POST", u"/tract/thread_control/listeners/"_s,
                            {{u"user_id"_s, u"ghost"_s}});
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, QJsonObject({{u"error"_s, u"unknown user_id 'ghost'"_s}}));
    }

    void threadControlEndpoint() {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, u"u4"_s}}).status, 201);
        auto r = control(m_sandbox, u"u4"_s, u"take"_s, u"demo"_s, u"demo"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject({{u"success"_s, true}}));
        QCOMPARE(ownerOf(m_sandbox, u"u4"_s), u"demo"_s);
        r = control(m_sandbox, u"ghost"_s, u"take"_s, u"demo"_s, u"demo"_s);
        QCOMPARE(r.status, 404);
        QCOMPARE(r.json, QJsonObject({{u"error"_s, u"unknown user_id 'ghost'"_s}}));
    }

    // The bot side, seen through the message hooks.
    void botConversationHooks() {
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(say(m_sandbox, u"u5"_s, u"hello"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(3));
        QCOMPARE(timeline(m_receiver, u"u5"_s),
                 QStringList({u"create_user"_s, u"ceu TEXT hello"_s, u"iva TEXT"_s}));
        const QList<Hook> messages = m_receiver.hooksOf(u"message"_s, u"receive"_s);
        qint64 lastId = 0;
        for (const Hook &h : messages) {
            QVERIFY2(h.json.value(u"message_id"_s).isDouble(), h.body);
            const qint64 id = h.json.value(u"message_id"_s).toInteger();
            QCOMPARE(id, lastId + 1); // incremental, from 1 after a reset
            lastId = id;
            const QString ts = h.json.value(u"timestamp"_s).toString();
            QVERIFY2(ts.endsWith(u'Z'), qPrintable(ts));
            const QDateTime t = QDateTime::fromString(ts, Qt::ISODateWithMs);
            QVERIFY2(t.isValid(), qPrintable(ts));
            QVERIFY(t.toMSecsSinceEpoch() >= before - 1000);
            QCOMPARE(h.json.value(u"conversation_number"_s).toString(), u"1"_s);
            QVERIFY(h.json.value(u"message_body"_s).isObject());
        }
        const QJsonObject greeting = messages.at(1).json.value(u"message_body"_s).toObject();
        QCOMPARE(greeting.value(u"data"_s).toObject().value(u"quick_replies"_s).toArray().size(),
                 4);

        m_receiver.clear();
        QCOMPARE(say(m_sandbox, u"u5"_s, u"Can I talk to a human?"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(4));
        QCOMPARE(timeline(m_receiver, u"u5"_s),
                 QStringList({u"ceu TEXT Can I talk to a human?"_s, u"iva TEXT"_s, u"iva SYSTEM"_s,
                              u"conversation_state/incomplete"_s}));
        // Handed over: the bot stays quiet, the user's messages still arrive.
        m_receiver.clear();
        QCOMPARE(say(m_sandbox, u"u5"_s, u"hello?"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(1));
        QTest::qWait(200);
        QCOMPARE(timeline(m_receiver, u"u5"_s), QStringList({u"ceu TEXT hello?"_s}));
        QCOMPARE(ownerOf(m_sandbox, u"u5"_s), u"iva"_s); // permissive: nobody took it yet
    }

    void badInput_data() {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("auth");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");

        const QString reg = u"/tract/hooks/register/"_s;
        const QString user = u"/tract/user/"_s;
        const QString send = u"/tract/message/send/"_s;
        const QString event = u"/tract/event/send"_s;
        const QString listeners = u"/tract/thread_control/listeners/"_s;
        const QString tc = u"/tract/thread_control/request"_s;
        const QByteArray url = "\"url\":\"http://127.0.0.1:9/h\""_ba;
        const QByteArray text = "\"{\\\"type\\\":\\\"TEXT\\\",\\\"text\\\":\\\"hi\\\"}\""_ba;
        const auto row = [](const char *name, const QByteArray &method, const QString &path,
                            const QByteArray &body, int auth, int status, const QString &error) {
            QTest::newRow(name) << method << path << body << auth << status << error;
        };

        // body
        row("invalid JSON", "POST", reg, "{\"category\":", Good, 400,
            u"body: invalid JSON: unterminated object at offset 12"_s);
        row("JSON array body", "POST", reg, "[{\"category\":\"message\"}]", Good, 400,
            u"body: expected a JSON object, got array"_s);
        row("JSON string body", "POST", user, "\"u1\"", Good, 400,
            u"body: expected a JSON object, got string"_s);
        row("empty body", "POST", send, "", Good, 400, u"body: empty, expected a JSON object"_s);
        row("invalid UTF-8", "POST", user, "{\"user_id\":\"\xff\xfe\"}", Good, 400,
            u"body: invalid JSON: invalid UTF-8 at offset 12"_s);
        row("nested too deeply", "POST", user, QByteArray(5000, '['), Good, 400,
            u"body: invalid JSON: nested too deeply at offset 1025"_s);
        // hooks/register
        row("register: category missing", "POST", reg, "{\"subcategory\":\"receive\"," + url + "}",
            Good, 400, u"category: required field missing"_s);
        row("register: subcategory missing", "POST", reg, "{\"category\":\"message\"," + url + "}",
            Good, 400, u"subcategory: required field missing"_s);
        row("register: url missing", "POST", reg,
            "{\"category\":\"message\",\"subcategory\":\"receive\"}", Good, 400,
            u"url: required field missing"_s);
        row("register: category number", "POST", reg,
            "{\"category\":5,\"subcategory\":\"receive\"," + url + "}", Good, 400,
            u"category: expected string"_s);
        row("register: category empty", "POST", reg,
            "{\"category\":\"\",\"subcategory\":\"receive\"," + url + "}", Good, 400,
            u"category: must not be empty"_s);
        row("register: unknown category", "POST", reg,
            "{\"category\":\"weather\",\"subcategory\":\"rain\"," + url + "}", Good, 400,
            u"category: unknown hook weather/rain"_s);
        row("register: unknown subcategory", "POST", reg,
            "{\"category\":\"conversation_state\",\"subcategory\":\"dancing\"," + url + "}", Good,
            400, u"subcategory: unknown hook conversation_state/dancing"_s);
        row("register: url not a URL", "POST", reg,
            "{\"category\":\"message\",\"subcategory\":\"receive\",\"url\":\"not a url\"}", Good,
            400, u"url: expected an absolute http or https URL"_s);
        row("register: ftp url", "POST", reg,
            "{\"category\":\"message\",\"subcategory\":\"receive\",\"url\":\"ftp://h/x\"}", Good,
            400, u"url: expected an absolute http or https URL"_s);
        row("register: url without host", "POST", reg,
            "{\"category\":\"message\",\"subcategory\":\"receive\",\"url\":\"http:///x\"}", Good,
            400, u"url: expected an absolute http or https URL"_s);
        // user
        row("user: user_id missing", "POST", user, "{}", Good, 400,
            u"user_id: required field missing"_s);
        row("user: user_id boolean", "POST", user, "{\"user_id\":true}", Good, 400,
            u"user_id: expected string"_s);
        row("user: user_id empty", "POST", user, "{\"user_id\":\"\"}", Good, 400,
            u"user_id: must not be empty"_s);
        row("user: user_id too long", "POST", user,
            "{\"user_id\":\"" + QByteArray(300, 'x') + "\"}", Good, 400,
            u"user_id: longer than 256 characters"_s);
        row("user: details_requested string", "POST", user,
            "{\"user_id\":\"u1\",\"details_requested\":\"email\"}", Good, 400,
            u"details_requested: expected array"_s);
        row("user: details_requested empty", "POST", user,
            "{\"user_id\":\"u1\",\"details_requested\":[]}", Good, 400,
            u"details_requested: must not be empty"_s);
        row("user: details_requested item number", "POST", user,
            "{\"user_id\":\"u1\",\"details_requested\":[\"email\",7]}", Good, 400,
            u"details_requested[1]: expected string"_s);
        row("user: unknown user", "POST", user, "{\"user_id\":\"ghost\"}", Good, 404,
            u"unknown user_id 'ghost'"_s);
        // message/send
        row("send: user_id missing", "POST", send,
            "{\"sender\":\"aeu\",\"message_body\":" + text + "}", Good, 400,
            u"user_id: required field missing"_s);
        row("send: message_body missing", "POST", send, "{\"user_id\":\"u1\",\"sender\":\"aeu\"}",
            Good, 400, u"message_body: required field missing"_s);
        row("send: sender missing", "POST", send,
            "{\"user_id\":\"u1\",\"message_body\":" + text + "}", Good, 400,
            u"sender: required field missing"_s);
        row("send: unknown sender", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"robot\",\"message_body\":" + text + "}", Good, 400,
            u"sender: expected one of ceu, iva, haptik, ect, aeu"_s);
        row("send: sender number", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":3,\"message_body\":" + text + "}", Good, 400,
            u"sender: expected string"_s);
        row("send: message_body object", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"aeu\",\"message_body\":{\"type\":\"TEXT\"}}", Good,
            400, u"message_body: expected a string holding serialized HSL JSON"_s);
        row("send: message_body not JSON", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"aeu\",\"message_body\":\"hello there\"}", Good, 400,
            u"message_body: invalid JSON: illegal value at offset 1"_s);
        row("send: message_body JSON array", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"aeu\",\"message_body\":\"[1]\"}", Good, 400,
            u"message_body: expected a JSON object, got array"_s);
        row("send: HSL without type", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"aeu\",\"message_body\":\"{\\\"text\\\":\\\"x\\\"}\"}",
            Good, 400, u"message_body.type: required field missing"_s);
        row("send: HSL type number", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"aeu\",\"message_body\":\"{\\\"type\\\":1}\"}", Good,
            400, u"message_body.type: expected string"_s);
        row("send: HSL unknown type", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"aeu\",\"message_body\":\"{\\\"type\\\":\\\"VIDEO\\\"}"
            "\"}",
            Good, 400, u"message_body.type: unknown HSL type 'VIDEO'"_s);
        row("send: metadata number", "POST", send,
            "{\"user_id\":\"u1\",\"sender\":\"aeu\",\"metadata\":5,\"message_body\":" + text + "}",
            Good, 400, u"metadata: expected object"_s);
        // event/send
        row("event: type missing", "POST", event, "{\"user_id\":\"u1\",\"subtype\":\"allocated\"}",
            Good, 400, u"type: required field missing"_s);
        row("event: subtype missing", "POST", event, "{\"user_id\":\"u1\",\"type\":\"aeu_events\"}",
            Good, 400, u"subtype: required field missing"_s);
        row("event: type empty", "POST", event,
            "{\"user_id\":\"u1\",\"type\":\"\",\"subtype\":\"allocated\"}", Good, 400,
            u"type: must not be empty"_s);
        row("event: metadata number", "POST", event,
            "{\"user_id\":\"u1\",\"type\":\"aeu_events\",\"subtype\":\"allocated\",\"metadata\":1}",
            Good, 400, u"metadata: expected string or object"_s);
        // thread control
        row("listeners: user_id missing", "POST", listeners, "{}", Good, 400,
            u"user_id: required field missing"_s);
        row("listeners: user_id array", "POST", listeners, "{\"user_id\":[\"u1\"]}", Good, 400,
            u"user_id: expected string"_s);
        row("control: unknown type", "POST", tc,
            "{\"user_id\":\"u1\",\"type\":\"steal\",\"requester\":\"demo\",\"receiver\":\"demo\"}",
            Good, 400, u"type: expected one of request, pass, take"_s);
        row("control: type missing", "POST", tc,
            "{\"user_id\":\"u1\",\"requester\":\"demo\",\"receiver\":\"demo\"}", Good, 400,
            u"type: required field missing"_s);
        row("control: requester missing", "POST", tc,
            "{\"user_id\":\"u1\",\"type\":\"take\",\"receiver\":\"demo\"}", Good, 400,
            u"requester: required field missing"_s);
        row("control: receiver missing", "POST", tc,
            "{\"user_id\":\"u1\",\"type\":\"take\",\"requester\":\"demo\"}", Good, 400,
            u"receiver: required field missing"_s);
        row("control: receiver empty", "POST", tc,
            "{\"user_id\":\"u1\",\"type\":\"take\",\"requester\":\"demo\",\"receiver\":\"\"}", Good,
            400, u"receiver: must not be empty"_s);
        // transport
        row("2 MiB body", "POST", send, QByteArray(2 << 20, ' '), Good, 413,
            u"body larger than 1048576 bytes"_s);
        row("2 MiB body to the control API", "POST", u"/sandbox/messages"_s,
            QByteArray(2 << 20, ' '), NoHeaders, 413, u"body larger than 1048576 bytes"_s);
        row("GET on a POST endpoint", "GET", send, "", Good, 405,
            u"method GET not allowed; use POST"_s);
        row("POST on hooks/list", "POST", u"/tract/hooks/list/"_s, "{}", Good, 405,
            u"method POST not allowed; use GET"_s);
        row("DELETE on the control API", "DELETE", u"/sandbox/users"_s, "", NoHeaders, 405,
            u"method DELETE not allowed; use POST"_s);
        row("unknown TRACT path", "POST", u"/tract/nope/"_s, "{}", Good, 404,
            u"no such endpoint: /tract/nope/"_s);
        row("unknown top-level path", "GET", u"/"_s, "", NoHeaders, 404, u"no such endpoint: /"_s);
        // authentication
        const QString auth401 = u"missing or wrong Authorization: Bearer token"_s;
        const QString client401 = u"missing or unknown client-id header"_s;
        row("no token", "POST", user, "{\"user_id\":\"u1\"}", NoToken, 401, auth401);
        row("wrong token", "POST", user, "{\"user_id\":\"u1\"}", WrongToken, 401, auth401);
        row("lower-case bearer", "POST", user, "{\"user_id\":\"u1\"}", LowerBearer, 401, auth401);
        row("no client-id", "POST", user, "{\"user_id\":\"u1\"}", NoClientId, 401, client401);
        row("wrong client-id", "POST", user, "{\"user_id\":\"u1\"}", WrongClientId, 401, client401);
        row("no headers on hooks/list", "GET", u"/tract/hooks/list/"_s, "", NoHeaders, 401,
            auth401);
        row("no headers on register", "POST", reg,
            "{\"category\":\"message\",\"subcategory\":\"receive\"," + url + "}", NoHeaders, 401,
            auth401);
        row("wrong token before bad body", "POST", send, "not json", WrongToken, 401, auth401);
    }

    void badInput() {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, auth);
        QFETCH(int, status);
        QFETCH(QString, error);
        const auto r = m_sandbox.raw(method, path, body, headersFor(Auth(auth)));
        QVERIFY2(r.status == status,
                 qPrintable(u"status %1: %2"_s.arg(r.status).arg(QString::fromUtf8(r.body))));
        QCOMPARE(r.json, QJsonObject({{u"error"_s, error}}));
        // Nothing changed: no hook went out, the registrations are intact.
        QCOMPARE(m_receiver.attempts().size(), 0);
        QCOMPARE(
            m_sandbox.tract("GET", u"/tract/hooks/list/"_s).json.value(u"hooks"_s).toArray().size(),
            allHookKinds().size());
    }

    // Every field of every endpoint given every wrong JSON type: never a 5xx,
    // and a 400 always names the field.
    void typeConfusionSweep() {
        const QString text = QString::fromUtf8(hsl("TEXT"));
        const QList<QPair<QString, QJsonObject>> endpoints{
            {u"/tract/hooks/register/"_s,
             {{u"category"_s, u"message"_s},
              {u"subcategory"_s, u"receive"_s},
              {u"url"_s, m_receiver.urlFor(u"message"_s, u"receive"_s)}}},
            {u"/tract/user/"_s,
             {{u"user_id"_s, u"u1"_s}, {u"details_requested"_s, QJsonArray{u"email"_s}}}},
            {u"/tract/message/send/"_s,
             {{u"user_id"_s, u"u1"_s},
              {u"sender"_s, u"aeu"_s},
              {u"message_body"_s, text},
              {u"metadata"_s, QJsonObject{{u"k"_s, 1}}},
              {u"ect_user_id"_s, u"e1"_s},
              {u"third_party_user_id"_s, u"t1"_s}}},
            {u"/tract/event/send"_s,
             {{u"user_id"_s, u"u1"_s},
              {u"type"_s, u"aeu_events"_s},
              {u"subtype"_s, u"received"_s},
              {u"metadata"_s, u"{}"_s}}},
            {u"/tract/thread_control/listeners/"_s, {{u"user_id"_s, u"u1"_s}}},
            {u"/tract/thread_control/request"_s,
             {{u"user_id"_s, u"u1"_s},
              {u"type"_s, u"take"_s},
              {u"requester"_s, u"demo"_s},
              {u"receiver"_s, u"demo"_s}}},
        };
        const QList<QJsonValue> wrong{QJsonValue(QJsonValue::Null),
                                      true,
                                      0,
                                      1.5,
                                      -7,
                                      QJsonArray(),
                                      QJsonArray{1},
                                      QJsonObject(),
                                      QJsonObject{{u"type"_s, u"TEXT"_s}},
                                      u""_s,
                                      QString(5000, u'x'),
                                      u"{\"type\":\"TEXT\"}"_s};
        int requests = 0;
        for (const auto &endpoint : endpoints) {
            const auto ok = m_sandbox.tract("POST", endpoint.first, endpoint.second);
            QVERIFY2(ok.status == 200,
                     qPrintable(endpoint.first + u' ' + QString::fromUtf8(ok.body)));
            for (auto it = endpoint.second.constBegin(); it != endpoint.second.constEnd(); ++it) {
                for (const QJsonValue &value : wrong) {
                    QJsonObject body = endpoint.second;
                    body.insert(it.key(), value);
                    const auto r = m_sandbox.tract("POST", endpoint.first, body);
                    ++requests;
                    const QString what = endpoint.first + u' ' + QString::fromUtf8(compact(body)) +
                                         u" -> "_s + QString::number(r.status) + u' ' +
                                         QString::fromUtf8(r.body);
                    QVERIFY2(r.status == 200 || r.status == 400 || r.status == 404,
                             qPrintable(what));
                    if (r.status == 400)
                        QVERIFY2(r.json.value(u"error"_s).toString().startsWith(it.key()),
                                 qPrintable(what));
                    if (r.status == 404)
                        QVERIFY2(
                            r.json.value(u"error"_s).toString().startsWith(u"unknown user_id"_s),
                            qPrintable(what));
                }
            }
        }
        QVERIFY(requests > 150);
        QCOMPARE(m_sandbox.get(u"/sandbox/state"_s).status, 200);
    }

    // Random bytes as bodies and as whole requests.
    void garbageNeverCrashes() {
        QRandomGenerator rng(20240611);
        const QStringList paths{u"/tract/hooks/register/"_s,
                                u"/tract/user/"_s,
                                u"/tract/message/send/"_s,
                                u"/tract/event/send"_s,
                                u"/tract/thread_control/listeners/"_s,
                                u"/tract/thread_control/request"_s,
                                u"/sandbox/messages"_s,
                                u"/sandbox/users"_s,
                                u"/sandbox/events"_s,
                                u"/sandbox/owner"_s};
        const QByteArray valid =
            "{\"user_id\":\"u1\",\"type\":\"take\",\"requester\":\"demo\",\"receiver\":\"sac\","
            "\"sender\":\"aeu\",\"message_body\":\"{\\\"type\\\":\\\"TEXT\\\"}\"}";
        for (int i = 0; i < 120; ++i) {
            QByteArray body;
            if (i % 2 == 0) { // a valid body cut short or with a byte changed
                body = valid.left(int(rng.bounded(valid.size() + 1)));
                if (!body.isEmpty())
                    body[int(rng.bounded(body.size()))] = char(rng.bounded(256));
            } else {
                body.resize(int(rng.bounded(200)));
                for (char &c : body)
                    c = char(rng.bounded(256));
            }
            const QString path = paths.at(i % paths.size());
            const auto r = m_sandbox.raw("POST", path, body, headersFor(Good));
            QVERIFY2(r.status >= 200 && r.status < 500,
                     qPrintable(
                         u"%1 -> %2 %3"_s.arg(path).arg(r.status).arg(QString::fromUtf8(r.body))));
        }
        // Not HTTP at all.
        for (const QByteArray &junk :
             {"GARBAGE\r\n\r\n"_ba, "\x16\x03\x01\x02\x00\x01\x00"_ba,
              "POST /tract/user/ HTTP/1.1\r\nContent-Length: -5\r\n\r\n"_ba}) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_sandbox.port());
            QVERIFY(socket.waitForConnected(3000));
            socket.write(junk);
            QVERIFY(socket.waitForReadyRead(3000));
            const QByteArray answer = socket.readAll();
            QVERIFY2(answer.startsWith("HTTP/1.1 400 "), answer.constData());
        }
        QCOMPARE(m_sandbox.process().state(), QProcess::Running);
    }

    // After everything above, the sandbox still answers.
    void stillAnswers() {
        QCOMPARE(m_sandbox.process().state(), QProcess::Running);
        const auto r = m_sandbox.get(u"/sandbox/state"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json.value(u"users"_s).isArray());
        QCOMPARE(findUser(r.json, u"u1"_s).value(u"owner"_s).toString(), u"demo"_s);
    }
};

QTEST_GUILESS_MAIN(SandboxApiTest)
#include "tst_sandbox_api.moc"
