#include "models/tract/WireTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QTest>
#include <functional>

using namespace Qt::StringLiterals;
using namespace tract;

using Check = std::function<void()>;
Q_DECLARE_METATYPE(Check)

// Declared before the payload literals: Qt 6.4 moc loses its place inside raw
// strings holding \" and would not see the class.
class TestWireTypes : public QObject {
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void malformed_data();
    void malformed();
    void lenient_data();
    void lenient();
    void booleans_data();
    void booleans();
    void unknownFieldsKeptInExtra();
    void aliasKeyNotInExtra();
    void equalityComparesEveryField();
    void timestampKeptInUtc();
    void hugeStringRejectedQuickly();
    void parseObjectErrors();
    void ownershipChange();
};

namespace {

QByteArray compact(const QJsonObject &json) {
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// Key order and spacing of a literal do not matter; its content does.
QByteArray canonical(const QByteArray &json) {
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    return doc.isObject() ? compact(doc.object()) : QByteArray("<expected JSON is not an object>");
}

QJsonObject object(const QByteArray &json) {
    return QJsonDocument::fromJson(json).object();
}

// A valid payload with one field replaced or removed.
QByteArray with(const QByteArray &base, const QString &key, const QJsonValue &value) {
    QJsonObject json = object(base);
    json.insert(key, value);
    return compact(json);
}

QByteArray without(const QByteArray &base, const QString &key) {
    QJsonObject json = object(base);
    json.remove(key);
    return compact(json);
}

QString longString(int length) {
    return QString(length, u'x');
}

QByteArray nestedArrays(int depth) {
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

template <typename T> void checkRoundTrip(const T &value, const QByteArray &expected) {
    QCOMPARE(compact(value.toJson()), canonical(expected));

    const Expected<T> back = T::fromJson(value.toJson());
    QVERIFY2(back.ok(), qPrintable(back.error().toString()));
    QVERIFY(*back == value);
    QVERIFY(!(*back != value));

    const Expected<T> parsed = T::fromJson(expected);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error().toString()));
    QVERIFY(*parsed == value);
}

template <typename T> QString errorOf(const QByteArray &body) {
    const Expected<T> parsed = T::fromJson(body);
    return parsed ? u"<accepted>"_s : parsed.error().toString();
}

template <typename T> QByteArray normalised(const QByteArray &body) {
    const Expected<T> parsed = T::fromJson(body);
    return parsed ? compact(parsed->toJson()) : parsed.error().toString().toUtf8();
}

QString ownershipError(const QByteArray &metadata) {
    const Expected<OwnershipChange> parsed =
        OwnershipChange::fromMetadata(QString::fromUtf8(metadata));
    return parsed ? u"<accepted>"_s : parsed.error().toString();
}

using ErrorOf = QString (*)(const QByteArray &);
using Normalise = QByteArray (*)(const QByteArray &);

const QHash<QString, ErrorOf> &errorParsers() {
    static const QHash<QString, ErrorOf> parsers{
        {u"RegisterHookRequest"_s, errorOf<RegisterHookRequest>},
        {u"ErrorResponse"_s, errorOf<ErrorResponse>},
        {u"ListHooksResponse"_s, errorOf<ListHooksResponse>},
        {u"CreateUserHook"_s, errorOf<CreateUserHook>},
        {u"CreateUserReply"_s, errorOf<CreateUserReply>},
        {u"GetUserRequest"_s, errorOf<GetUserRequest>},
        {u"GetUserResponse"_s, errorOf<GetUserResponse>},
        {u"GetUserDetailsRequest"_s, errorOf<GetUserDetailsRequest>},
        {u"GetUserDetailsResponse"_s, errorOf<GetUserDetailsResponse>},
        {u"MessageHook"_s, errorOf<MessageHook>},
        {u"SuccessResponse"_s, errorOf<SuccessResponse>},
        {u"SendMessageRequest"_s, errorOf<SendMessageRequest>},
        {u"EventHook"_s, errorOf<EventHook>},
        {u"SendEventRequest"_s, errorOf<SendEventRequest>},
        {u"FetchListenersRequest"_s, errorOf<FetchListenersRequest>},
        {u"FetchListenersResponse"_s, errorOf<FetchListenersResponse>},
        {u"ThreadControlRequest"_s, errorOf<ThreadControlRequest>},
        {u"ThreadControlResponse"_s, errorOf<ThreadControlResponse>},
        {u"OwnershipChange"_s, ownershipError},
    };
    return parsers;
}

const QHash<QString, Normalise> &normalisers() {
    static const QHash<QString, Normalise> parsers{
        {u"HookRegistration"_s, normalised<HookRegistration>},
        {u"CreateUserHook"_s, normalised<CreateUserHook>},
        {u"GetUserResponse"_s, normalised<GetUserResponse>},
        {u"MessageHook"_s, normalised<MessageHook>},
        {u"SuccessResponse"_s, normalised<SuccessResponse>},
        {u"SendMessageRequest"_s, normalised<SendMessageRequest>},
        {u"EventHook"_s, normalised<EventHook>},
        {u"SendEventRequest"_s, normalised<SendEventRequest>},
        {u"Listener"_s, normalised<Listener>},
        {u"ThreadControlRequest"_s, normalised<ThreadControlRequest>},
        {u"ThreadControlResponse"_s, normalised<ThreadControlResponse>},
    };
    return parsers;
}

const QByteArray kHsl = R"({"type":"TEXT","text":"hi","data":{"quick_replies":[]}})";
const QByteArray kMessageHook =
    R"({"user_id":"u1","conversation_number":"7","sender":"ceu",
        "message_body":{"type":"TEXT","text":"hi","data":{"quick_replies":[]}}})";
const QByteArray kSendMessage =
    R"({"user_id":"u1","sender":"aeu",
        "message_body":"{\"type\":\"TEXT\",\"text\":\"hi\",\"data\":{\"quick_replies\":[]}}"})";
const QByteArray kEventHook =
    R"({"conversation_number":"7","user_id":"u1","type":"conversation_state","subtype":"complete"})";
const QByteArray kSendEvent = R"({"user_id":"u1","type":"aeu_events","subtype":"allocated"})";
const QByteArray kThreadControl =
    R"({"user_id":"u1","type":"pass","requester":"ect-1","receiver":"iva"})";
const QByteArray kCreateUser = R"({"user_id":"u1"})";
const QByteArray kListeners = R"({"listeners":[{"id":"iva"},{"id":"sac"},{"id":"ect-1"}]})";
const QByteArray kRegisterHook =
    R"({"category":"message","subcategory":"receive","url":"http://127.0.0.1:8080/hooks/s/message/receive"})";

} // namespace

void TestWireTypes::roundTrip_data() {
    QTest::addColumn<Check>("check");

    QTest::newRow("RegisterHookRequest") << Check([] {
        RegisterHookRequest v;
        v.category = u"message"_s;
        v.subcategory = u"receive"_s;
        v.url = u"http://127.0.0.1:8080/hooks/s/message/receive"_s;
        checkRoundTrip(v, kRegisterHook);
    });
    QTest::newRow("ErrorResponse empty") << Check([] { checkRoundTrip(ErrorResponse{}, "{}"); });
    QTest::newRow("ErrorResponse") << Check([] {
        ErrorResponse v;
        v.error = u"unknown category"_s;
        checkRoundTrip(v, R"({"error":"unknown category"})");
    });
    QTest::newRow("HookRegistration") << Check([] {
        HookRegistration v;
        v.category = u"conversation_state"_s;
        v.subcategory = u"bot"_s;
        v.url = u"https://ect.example/hooks/s/conversation_state/bot"_s;
        v.enabled = false;
        checkRoundTrip(v, R"({"category":"conversation_state","subcategory":"bot",
                              "url":"https://ect.example/hooks/s/conversation_state/bot",
                              "enabled":false})");
    });
    QTest::newRow("ListHooksResponse") << Check([] {
        HookRegistration hook;
        hook.category = u"message"_s;
        hook.subcategory = u"receive"_s;
        hook.url = u"https://ect.example/m"_s;
        ListHooksResponse v;
        v.hooks = {hook, hook};
        v.hooks[1].subcategory = u"send"_s;
        checkRoundTrip(v, R"({"hooks":[
            {"category":"message","subcategory":"receive","url":"https://ect.example/m","enabled":true},
            {"category":"message","subcategory":"send","url":"https://ect.example/m","enabled":true}]})");
    });
    QTest::newRow("ListHooksResponse error") << Check([] {
        ListHooksResponse v;
        v.error = u"not authorised"_s;
        checkRoundTrip(v, R"({"hooks":[],"error":"not authorised"})");
    });
    QTest::newRow("CreateUserHook") << Check([] {
        CreateUserHook v;
        v.userId = u"u1"_s;
        v.thirdPartyUserId = u"wa-919800000000"_s;
        v.userName = u"Asha Rao"_s;
        v.devicePlatform = u"14"_s;
        v.detailsAvailable = QJsonArray{QJsonObject{{u"key"_s, u"email"_s}}, u"phone"_s};
        checkRoundTrip(v, R"({"user_id":"u1","third_party_user_id":"wa-919800000000",
                              "user_name":"Asha Rao","device_platform":"14",
                              "details_available":[{"key":"email"},"phone"]})");
    });
    QTest::newRow("CreateUserHook minimal") << Check([] {
        CreateUserHook v;
        v.userId = u"u1"_s;
        checkRoundTrip(v, kCreateUser);
    });
    QTest::newRow("CreateUserReply") << Check([] {
        CreateUserReply v;
        v.ectUserId = u"case-9"_s;
        checkRoundTrip(v, R"({"success":true,"ect_user_id":"case-9"})");
    });
    QTest::newRow("GetUserRequest") << Check([] {
        GetUserRequest v;
        v.userId = u"u1"_s;
        checkRoundTrip(v, R"({"user_id":"u1"})");
    });
    QTest::newRow("GetUserResponse") << Check([] {
        GetUserResponse v;
        v.userId = u"u1"_s;
        v.thirdPartyUserId = u"fb-1"_s;
        v.userName = u"Ravi"_s;
        v.devicePlatform = u"3"_s;
        v.detailsAvailable = {u"email"_s, u"phone"_s};
        checkRoundTrip(v, R"({"user_id":"u1","third_party_user_id":"fb-1","user_name":"Ravi",
                              "device_platform":"3","details_available":["email","phone"]})");
    });
    QTest::newRow("GetUserDetailsRequest") << Check([] {
        GetUserDetailsRequest v;
        v.userId = u"u1"_s;
        v.detailsRequested = {u"email"_s, u"city"_s};
        checkRoundTrip(v, R"({"user_id":"u1","details_requested":["email","city"]})");
    });
    QTest::newRow("GetUserDetailsResponse") << Check([] {
        GetUserDetailsResponse v;
        v.userId = u"u1"_s;
        v.details = QJsonObject{{u"email"_s, u"a@b.example"_s}, {u"orders"_s, 3}};
        checkRoundTrip(v, R"({"user_id":"u1","details":{"email":"a@b.example","orders":3}})");
    });
    QTest::newRow("MessageHook") << Check([] {
        MessageHook v;
        v.userId = u"u1"_s;
        v.conversationNumber = u"7"_s;
        v.messageBody = object(kHsl);
        v.sender = Sender::Iva;
        v.metadata = QJsonObject{{u"channel"_s, u"web"_s}};
        v.messageId = 42;
        v.timestamp = QDateTime(QDate(2024, 3, 1), QTime(4, 30), Qt::UTC);
        checkRoundTrip(v, R"({"user_id":"u1","conversation_number":"7","sender":"iva",
            "message_body":{"type":"TEXT","text":"hi","data":{"quick_replies":[]}},
            "metadata":{"channel":"web"},"message_id":42,"timestamp":"2024-03-01T04:30:00Z"})");
    });
    QTest::newRow("MessageHook minimal") << Check([] {
        MessageHook v;
        v.userId = u"u1"_s;
        v.conversationNumber = u"7"_s;
        v.messageBody = object(kHsl);
        checkRoundTrip(v, kMessageHook);
    });
    QTest::newRow("SuccessResponse")
        << Check([] { checkRoundTrip(SuccessResponse{}, R"({"success":true})"); });
    QTest::newRow("SuccessResponse error") << Check([] {
        SuccessResponse v;
        v.success = false;
        v.error = u"store unavailable"_s;
        checkRoundTrip(v, R"({"success":false,"error":"store unavailable"})");
    });
    QTest::newRow("SendMessageRequest") << Check([] {
        SendMessageRequest v;
        v.userId = u"12345"_s;
        v.messageBody = object(R"({"text":"Hello, how can I help?","type":"TEXT",
                                   "data":{"quick_replies":[]}})");
        checkRoundTrip(v, R"({"user_id":"12345","sender":"aeu",
            "message_body":"{\"data\":{\"quick_replies\":[]},\"text\":\"Hello, how can I help?\",\"type\":\"TEXT\"}"})");
    });
    QTest::newRow("SendMessageRequest full") << Check([] {
        SendMessageRequest v;
        v.userId = u"u1"_s;
        v.thirdPartyUserId = u"wa-1"_s;
        v.ectUserId = u"case-9"_s;
        v.messageBody = object(R"({"type":"TEXT","text":"ok"})");
        v.sender = Sender::Ect;
        v.metadata = QJsonObject{{u"agent"_s, u"a7"_s}};
        checkRoundTrip(v, R"({"user_id":"u1","third_party_user_id":"wa-1","ect_user_id":"case-9",
            "message_body":"{\"text\":\"ok\",\"type\":\"TEXT\"}","sender":"ect",
            "metadata":{"agent":"a7"}})");
    });
    QTest::newRow("EventHook") << Check([] {
        EventHook v;
        v.conversationNumber = u"7"_s;
        v.userId = u"u1"_s;
        v.thirdPartyUserId = u"wa-1"_s;
        v.ectUserId = u"case-9"_s;
        v.type = u"thread_control"_s;
        v.subtype = u"pass"_s;
        v.metadata = uR"({"from":"iva","requester":"iva","to":"ect-1"})"_s;
        checkRoundTrip(v, R"({"conversation_number":"7","user_id":"u1","third_party_user_id":"wa-1",
            "ect_user_id":"case-9","type":"thread_control","subtype":"pass",
            "metadata":"{\"from\":\"iva\",\"requester\":\"iva\",\"to\":\"ect-1\"}"})");
    });
    QTest::newRow("EventHook minimal") << Check([] {
        EventHook v;
        v.conversationNumber = u"7"_s;
        v.userId = u"u1"_s;
        v.type = u"conversation_state"_s;
        v.subtype = u"complete"_s;
        checkRoundTrip(v, kEventHook);
    });
    QTest::newRow("SendEventRequest") << Check([] {
        SendEventRequest v;
        v.userId = u"u1"_s;
        v.ectUserId = u"case-9"_s;
        v.type = u"aeu_events"_s;
        v.subtype = u"allocated"_s;
        v.metadata = u"agent a7"_s;
        checkRoundTrip(v, R"({"user_id":"u1","ect_user_id":"case-9","type":"aeu_events",
                              "subtype":"allocated","metadata":"agent a7"})");
    });
    QTest::newRow("FetchListenersRequest") << Check([] {
        FetchListenersRequest v;
        v.userId = u"u1"_s;
        checkRoundTrip(v, R"({"user_id":"u1"})");
    });
    QTest::newRow("Listener") << Check([] {
        Listener v;
        v.id = u"iva"_s;
        v.name = u"Bot"_s;
        v.isPrimary = true;
        v.isDefault = true;
        checkRoundTrip(v, R"({"id":"iva","name":"Bot","is_primary":true,"is_default":true,
                              "active":false})");
    });
    QTest::newRow("FetchListenersResponse") << Check([] {
        Listener iva;
        iva.id = u"iva"_s;
        iva.isPrimary = true;
        Listener ect;
        ect.id = u"ect-1"_s;
        ect.name = u"Console"_s;
        ect.active = true;
        FetchListenersResponse v;
        v.listeners = {iva, ect};
        checkRoundTrip(v, R"({"listeners":[
            {"id":"iva","name":"","is_primary":true,"is_default":false,"active":false},
            {"id":"ect-1","name":"Console","is_primary":false,"is_default":false,"active":true}]})");
    });
    QTest::newRow("ThreadControlRequest") << Check([] {
        ThreadControlRequest v;
        v.userId = u"u1"_s;
        v.type = ThreadControlType::Pass;
        v.requester = u"ect-1"_s;
        v.receiver = u"iva"_s;
        checkRoundTrip(v, kThreadControl);
    });
    QTest::newRow("ThreadControlResponse") << Check([] {
        ThreadControlResponse v;
        v.reason = ThreadControlReason{u"not_primary"_s, u"only primaries may take"_s};
        checkRoundTrip(v, R"({"success":false,
            "reason":{"code":"not_primary","message":"only primaries may take"}})");
    });
    QTest::newRow("ThreadControlResponse success") << Check([] {
        ThreadControlResponse v;
        v.success = true;
        checkRoundTrip(v, R"({"success":true})");
    });
}

void TestWireTypes::roundTrip() {
    QFETCH(Check, check);
    check();
}

void TestWireTypes::malformed_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");

    const auto row = [](const char *name, const char *type, const QByteArray &input,
                        const QString &error) {
        QTest::newRow(name) << QString::fromLatin1(type) << input << error;
    };
    const QString expectedHsl = u"message_body: expected object or string holding HSL JSON"_s;
    const QString senders = u"sender: expected one of ceu, iva, haptik, ect, aeu"_s;
    const QString notIso = u"timestamp: expected ISO 8601 date-time"_s;
    const QString notInteger = u"message_id: expected integer or string holding an integer"_s;

    // Raw bodies.
    row("body empty", "MessageHook", "", u"body: empty, expected a JSON object"_s);
    row("body whitespace", "MessageHook", " \r\n", u"body: empty, expected a JSON object"_s);
    row("body array", "MessageHook", "[1]", u"body: expected a JSON object, got array"_s);
    row("body number", "MessageHook", "42", u"body: expected a JSON object, got number"_s);
    row("body string", "MessageHook", "\"hi\"", u"body: expected a JSON object, got string"_s);
    row("body null", "EventHook", "null", u"body: expected a JSON object, got null"_s);
    row("body not JSON", "MessageHook", "user_id=u1",
        u"body: invalid JSON: illegal value at offset 1"_s);
    row("body unterminated", "MessageHook", R"({"user_id":"u1")",
        u"body: invalid JSON: unterminated string at offset 15"_s);
    row("body garbage after", "MessageHook", "{} x",
        u"body: invalid JSON: unexpected data after the value at offset 3"_s);
    row("body invalid UTF-8", "MessageHook", "{\"user_id\":\"u\xff\xfe\"}",
        u"body: invalid JSON: invalid UTF-8 at offset 13"_s);
    row("body invalid UTF-8 key", "EventHook", "{\"us\xc3\":1}",
        u"body: invalid JSON: invalid UTF-8 at offset 4"_s);
    row("body 5000 nested arrays", "MessageHook", nestedArrays(5000),
        u"body: invalid JSON: nested too deeply at offset 1025"_s);
    row("body deep in a field", "EventHook", "{\"metadata\":" + nestedArrays(5000) + "}",
        u"body: invalid JSON: nested too deeply at offset 1036"_s);

    // Required ids.
    row("user_id missing", "MessageHook", without(kMessageHook, u"user_id"_s),
        u"user_id: required field missing"_s);
    row("user_id empty", "MessageHook", with(kMessageHook, u"user_id"_s, u""_s),
        u"user_id: must not be empty"_s);
    row("user_id bool", "MessageHook", with(kMessageHook, u"user_id"_s, true),
        u"user_id: expected string"_s);
    row("user_id null", "GetUserRequest", R"({"user_id":null})", u"user_id: expected string"_s);
    row("user_id fraction", "GetUserRequest", R"({"user_id":7.5})", u"user_id: expected string"_s);
    row("user_id object", "FetchListenersRequest", R"({"user_id":{}})",
        u"user_id: expected string"_s);
    row("user_id 257 chars", "GetUserRequest", with("{}", u"user_id"_s, longString(257)),
        u"user_id: longer than 256 characters"_s);
    row("user_id 10 MB", "MessageHook", with(kMessageHook, u"user_id"_s, longString(10 << 20)),
        u"user_id: longer than 256 characters"_s);
    row("conversation_number missing", "MessageHook",
        without(kMessageHook, u"conversation_number"_s),
        u"conversation_number: required field missing"_s);
    row("conversation_number array", "EventHook",
        with(kEventHook, u"conversation_number"_s, QJsonArray{7}),
        u"conversation_number: expected string"_s);

    // message_body.
    row("message_body missing", "MessageHook", without(kMessageHook, u"message_body"_s),
        u"message_body: required field missing"_s);
    row("message_body number", "MessageHook", with(kMessageHook, u"message_body"_s, 42),
        expectedHsl);
    row("message_body array", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s, QJsonArray{QString::fromUtf8(kHsl)}), expectedHsl);
    row("message_body null", "MessageHook", with(kMessageHook, u"message_body"_s, QJsonValue::Null),
        expectedHsl);
    row("message_body string not JSON", "MessageHook",
        with(kMessageHook, u"message_body"_s, u"hello there"_s),
        u"message_body: invalid JSON: illegal value at offset 1"_s);
    row("message_body string truncated", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s, uR"({"type":"TEXT","text":"hi)"_s),
        u"message_body: invalid JSON: unterminated string at offset 26"_s);
    row("message_body string empty", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s, u""_s),
        u"message_body: empty, expected a JSON object"_s);
    row("message_body string array", "MessageHook",
        with(kMessageHook, u"message_body"_s, uR"([{"type":"TEXT"}])"_s),
        u"message_body: expected a JSON object, got array"_s);
    row("message_body string string", "MessageHook",
        with(kMessageHook, u"message_body"_s, uR"("TEXT")"_s),
        u"message_body: expected a JSON object, got string"_s);
    row("message_body string deep", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s, QString::fromLatin1(nestedArrays(5000))),
        u"message_body: invalid JSON: nested too deeply at offset 1025"_s);
    row("message_body string no type", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s, uR"({"text":"hi"})"_s),
        u"message_body.type: required field missing"_s);
    row("message_body object no type", "MessageHook",
        with(kMessageHook, u"message_body"_s, QJsonObject{{u"text"_s, u"hi"_s}}),
        u"message_body.type: required field missing"_s);
    row("message_body type number", "MessageHook",
        with(kMessageHook, u"message_body"_s, QJsonObject{{u"type"_s, 1}}),
        u"message_body.type: expected string"_s);
    row("message_body type empty", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s, uR"({"type":""})"_s),
        u"message_body.type: must not be empty"_s);
    row("message_body 2 MB string", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s,
             uR"({"type":"TEXT","text":")"_s + longString(2 << 20) + uR"("})"_s),
        u"message_body: longer than 1048576 bytes"_s);
    row("message_body 2 MB object", "MessageHook",
        with(kMessageHook, u"message_body"_s,
             QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, longString(2 << 20)}}),
        u"message_body: longer than 1048576 bytes"_s);

    // sender.
    row("sender missing", "MessageHook", without(kMessageHook, u"sender"_s),
        u"sender: required field missing"_s);
    row("sender unknown", "MessageHook", with(kMessageHook, u"sender"_s, u"bot"_s), senders);
    row("sender upper case", "SendMessageRequest", with(kSendMessage, u"sender"_s, u"AEU"_s),
        senders);
    row("sender number", "MessageHook", with(kMessageHook, u"sender"_s, 1),
        u"sender: expected string"_s);

    // metadata, message_id, timestamp.
    row("metadata number", "MessageHook", with(kMessageHook, u"metadata"_s, 5),
        u"metadata: expected object"_s);
    row("metadata string not JSON", "SendMessageRequest",
        with(kSendMessage, u"metadata"_s, u"{oops"_s),
        u"metadata: invalid JSON: unterminated object at offset 2"_s);
    row("message_id word", "MessageHook", with(kMessageHook, u"message_id"_s, u"abc"_s),
        notInteger);
    row("message_id digits and letters", "MessageHook",
        with(kMessageHook, u"message_id"_s, u"12abc"_s), notInteger);
    row("message_id fraction", "MessageHook", with(kMessageHook, u"message_id"_s, 1.5), notInteger);
    row("message_id bool", "MessageHook", with(kMessageHook, u"message_id"_s, true), notInteger);
    row("timestamp word", "MessageHook", with(kMessageHook, u"timestamp"_s, u"yesterday"_s),
        notIso);
    row("timestamp date only", "MessageHook", with(kMessageHook, u"timestamp"_s, u"2024-03-01"_s),
        notIso);
    row("timestamp month 13", "MessageHook",
        with(kMessageHook, u"timestamp"_s, u"2024-13-01T10:00:00Z"_s), notIso);
    row("timestamp epoch number", "MessageHook", with(kMessageHook, u"timestamp"_s, 1709287200),
        u"timestamp: expected string"_s);

    // Events.
    row("event type missing", "EventHook", without(kEventHook, u"type"_s),
        u"type: required field missing"_s);
    row("event category number", "EventHook",
        with(without(kEventHook, u"type"_s), u"category"_s, 5), u"category: expected string"_s);
    row("event subtype missing", "SendEventRequest", without(kSendEvent, u"subtype"_s),
        u"subtype: required field missing"_s);
    row("event subcategory empty", "SendEventRequest",
        with(without(kSendEvent, u"subtype"_s), u"subcategory"_s, u""_s),
        u"subcategory: must not be empty"_s);
    row("event metadata array", "EventHook", with(kEventHook, u"metadata"_s, QJsonArray{1}),
        u"metadata: expected string or object"_s);
    row("event metadata 70000 chars", "EventHook",
        with(kEventHook, u"metadata"_s, longString(70000)),
        u"metadata: longer than 65536 characters"_s);

    // Thread control.
    row("thread control type unknown", "ThreadControlRequest",
        with(kThreadControl, u"type"_s, u"grab"_s), u"type: expected one of request, pass, take"_s);
    row("thread control type capitalised", "ThreadControlRequest",
        with(kThreadControl, u"type"_s, u"Take"_s), u"type: expected one of request, pass, take"_s);
    row("thread control requester missing", "ThreadControlRequest",
        without(kThreadControl, u"requester"_s), u"requester: required field missing"_s);
    row("thread control receiver empty", "ThreadControlRequest",
        with(kThreadControl, u"receiver"_s, u""_s), u"receiver: must not be empty"_s);
    row("listeners missing", "FetchListenersResponse", "{}",
        u"listeners: required field missing"_s);
    row("listeners object", "FetchListenersResponse", R"({"listeners":{}})",
        u"listeners: expected array"_s);
    row("listeners[2].id wrong type", "FetchListenersResponse",
        R"({"listeners":[{"id":"iva"},{"id":"sac"},{"id":{}}]})",
        u"listeners[2].id: expected string"_s);
    row("listeners[1].id missing", "FetchListenersResponse",
        R"({"listeners":[{"id":"iva"},{"name":"SAC"}]})",
        u"listeners[1].id: required field missing"_s);
    row("listeners[0] string", "FetchListenersResponse", R"({"listeners":["iva"]})",
        u"listeners[0]: expected object"_s);
    row("listeners[0].is_primary word", "FetchListenersResponse",
        R"({"listeners":[{"id":"iva","is_primary":"yes"}]})",
        u"listeners[0].is_primary: expected boolean"_s);
    {
        QJsonArray many;
        for (int i = 0; i < 1001; ++i)
            many.append(QJsonObject{{u"id"_s, i}});
        row("listeners 1001", "FetchListenersResponse", with("{}", u"listeners"_s, many),
            u"listeners: more than 1000 items"_s);
    }
    row("thread control success missing", "ThreadControlResponse", "{}",
        u"success: required field missing"_s);
    row("thread control success 2", "ThreadControlResponse", R"({"success":2})",
        u"success: expected boolean"_s);
    row("thread control success maybe", "ThreadControlResponse", R"({"success":"maybe"})",
        u"success: expected boolean"_s);
    row("thread control reason number", "ThreadControlResponse", R"({"success":false,"reason":5})",
        u"reason: expected object or string"_s);

    // Users and hooks.
    row("device_platform bool", "CreateUserHook", with(kCreateUser, u"device_platform"_s, true),
        u"device_platform: expected string"_s);
    row("user_name 1025 chars", "CreateUserHook",
        with(kCreateUser, u"user_name"_s, longString(1025)),
        u"user_name: longer than 1024 characters"_s);
    row("details_available string", "CreateUserHook",
        with(kCreateUser, u"details_available"_s, u"email"_s),
        u"details_available: expected array"_s);
    row("details_available[0] number", "CreateUserHook",
        with(kCreateUser, u"details_available"_s, QJsonArray{1}),
        u"details_available[0]: expected object or string"_s);
    row("details_available[1] nameless dict", "GetUserResponse",
        R"({"user_id":"u1","details_available":["email",{"label":"Phone"}]})",
        uR"(details_available[1]: expected string or object with a string "key" or "name")"_s);
    row("details_requested missing", "GetUserDetailsRequest", R"({"user_id":"u1"})",
        u"details_requested: required field missing"_s);
    row("details_requested empty", "GetUserDetailsRequest",
        R"({"user_id":"u1","details_requested":[]})", u"details_requested: must not be empty"_s);
    row("details_requested[1] empty", "GetUserDetailsRequest",
        R"({"user_id":"u1","details_requested":["email",""]})",
        u"details_requested[1]: must not be empty"_s);
    row("details not object", "GetUserDetailsResponse", R"({"user_id":"u1","details":"x"})",
        u"details: expected object"_s);
    row("create user reply success missing", "CreateUserReply", R"({"ect_user_id":"c"})",
        u"success: required field missing"_s);
    row("register hook category missing", "RegisterHookRequest",
        without(kRegisterHook, u"category"_s), u"category: required field missing"_s);
    row("register hook url 4097 chars", "RegisterHookRequest",
        with(kRegisterHook, u"url"_s, longString(4097)), u"url: longer than 4096 characters"_s);
    row("hooks[1].url missing", "ListHooksResponse",
        R"({"hooks":[{"category":"message","subcategory":"receive","url":"u"},
                     {"category":"message","subcategory":"receive"}]})",
        u"hooks[1].url: required field missing"_s);
    row("error number", "ErrorResponse", R"({"error":5})", u"error: expected string"_s);
    row("success word", "SuccessResponse", R"({"success":"yes"})", u"success: expected boolean"_s);

    // Ownership metadata.
    row("ownership empty", "OwnershipChange", "", u"metadata: empty, expected a JSON object"_s);
    row("ownership not JSON", "OwnershipChange", "iva -> ect",
        u"metadata: invalid JSON: illegal value at offset 1"_s);
    row("ownership to missing", "OwnershipChange", R"({"from":"iva"})",
        u"metadata.to: required field missing"_s);
}

void TestWireTypes::malformed() {
    QFETCH(QString, type);
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    const ErrorOf parse = errorParsers().value(type);
    QVERIFY2(parse, qPrintable(type));
    QCOMPARE(parse(input), error);
}

void TestWireTypes::lenient_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");

    const auto row = [](const char *name, const char *type, const QByteArray &input,
                        const QByteArray &expected) {
        QTest::newRow(name) << QString::fromLatin1(type) << input << canonical(expected);
    };
    const QByteArray hook = R"({"user_id":"u1","conversation_number":"7","sender":"ceu",
        "message_body":{"type":"TEXT","text":"hi","data":{"quick_replies":[]}})";

    row("message_body as string", "MessageHook",
        with(kMessageHook, u"message_body"_s, QString::fromUtf8(kHsl)), hook + "}");
    row("conversation_number as number", "MessageHook",
        with(kMessageHook, u"conversation_number"_s, 7), hook + "}");
    row("user_id as number", "MessageHook", with(kMessageHook, u"user_id"_s, 12345),
        R"({"user_id":"12345","conversation_number":"7","sender":"ceu",
            "message_body":{"type":"TEXT","text":"hi","data":{"quick_replies":[]}}})");
    row("message_id number", "MessageHook", with(kMessageHook, u"message_id"_s, 42),
        hook + R"(,"message_id":42})");
    row("message_id string", "MessageHook", with(kMessageHook, u"message_id"_s, u"42"_s),
        hook + R"(,"message_id":42})");
    row("message_id 42.0", "MessageHook", with(kMessageHook, u"message_id"_s, 42.0),
        hook + R"(,"message_id":42})");
    row("message_id null", "MessageHook", with(kMessageHook, u"message_id"_s, QJsonValue::Null),
        hook + "}");
    row("timestamp with offset", "MessageHook",
        with(kMessageHook, u"timestamp"_s, u"2024-03-01T10:00:00+05:30"_s),
        hook + R"(,"timestamp":"2024-03-01T04:30:00Z"})");
    row("timestamp without zone", "MessageHook",
        with(kMessageHook, u"timestamp"_s, u"2024-03-01T10:00:00"_s),
        hook + R"(,"timestamp":"2024-03-01T10:00:00Z"})");
    row("timestamp with millis", "MessageHook",
        with(kMessageHook, u"timestamp"_s, u"2024-03-01T10:00:00.250Z"_s),
        hook + R"(,"timestamp":"2024-03-01T10:00:00.250Z"})");
    row("metadata as string", "MessageHook", with(kMessageHook, u"metadata"_s, uR"({"a":1})"_s),
        hook + R"(,"metadata":{"a":1}})");
    row("metadata null", "MessageHook", with(kMessageHook, u"metadata"_s, QJsonValue::Null),
        hook + "}");
    row("send message_body as object", "SendMessageRequest",
        with(kSendMessage, u"message_body"_s, object(kHsl)),
        R"({"user_id":"u1","sender":"aeu",
            "message_body":"{\"data\":{\"quick_replies\":[]},\"text\":\"hi\",\"type\":\"TEXT\"}"})");
    row("send optional ids null", "SendMessageRequest",
        with(with(kSendMessage, u"third_party_user_id"_s, QJsonValue::Null), u"ect_user_id"_s, 99),
        R"({"user_id":"u1","sender":"aeu","ect_user_id":"99",
            "message_body":"{\"data\":{\"quick_replies\":[]},\"text\":\"hi\",\"type\":\"TEXT\"}"})");
    row("event category/subcategory", "EventHook",
        R"({"conversation_number":7,"user_id":"u1","category":"aeu_events",
            "subcategory":"allocated"})",
        R"({"conversation_number":"7","user_id":"u1","type":"aeu_events",
            "subtype":"allocated"})");
    row("event collection_state", "EventHook",
        R"({"conversation_number":"7","user_id":"u1","category":"collection_state",
            "subcategory":"bot"})",
        R"({"conversation_number":"7","user_id":"u1","type":"conversation_state",
            "subtype":"bot"})");
    row("event type collection_state", "SendEventRequest",
        R"({"user_id":"u1","type":"collection_state","subtype":"complete"})",
        R"({"user_id":"u1","type":"conversation_state","subtype":"complete"})");
    row("event metadata object", "EventHook",
        with(kEventHook, u"metadata"_s, QJsonObject{{u"to"_s, u"ect-1"_s}, {u"from"_s, u"iva"_s}}),
        R"({"conversation_number":"7","user_id":"u1","type":"conversation_state",
            "subtype":"complete","metadata":"{\"from\":\"iva\",\"to\":\"ect-1\"}"})");
    row("send event category alias", "SendEventRequest",
        R"({"user_id":"u1","category":"aeu_events","subcategory":"user_timeout",
            "metadata":"idle 300 s"})",
        R"({"user_id":"u1","type":"aeu_events","subtype":"user_timeout",
            "metadata":"idle 300 s"})");
    row("device_platform as number", "CreateUserHook", R"({"user_id":"u1","device_platform":14})",
        R"({"user_id":"u1","device_platform":"14"})");
    row("details_available mixed", "CreateUserHook",
        R"({"user_id":"u1","details_available":["email",{"key":"phone"}]})",
        R"({"user_id":"u1","details_available":["email",{"key":"phone"}]})");
    row("details_available dicts reduced", "GetUserResponse",
        R"({"user_id":"u1","device_platform":5,
            "details_available":[{"key":"email","label":"E-mail"},{"name":"phone"},"city"]})",
        R"({"user_id":"u1","device_platform":"5","details_available":["email","phone","city"]})");
    row("success absent means ok", "SuccessResponse", "{}", R"({"success":true})");
    row("success absent with error", "SuccessResponse", R"({"error":"no"})",
        R"({"success":false,"error":"no"})");
    row("success as string", "SuccessResponse", R"({"success":"true"})", R"({"success":true})");
    row("hook enabled default", "HookRegistration",
        R"({"category":"message","subcategory":"receive","url":"u"})",
        R"({"category":"message","subcategory":"receive","url":"u","enabled":true})");
    row("hook enabled as string", "HookRegistration",
        R"({"category":"message","subcategory":"receive","url":"u","enabled":"0"})",
        R"({"category":"message","subcategory":"receive","url":"u","enabled":false})");
    row("listener id as number", "Listener", R"({"id":17,"is_primary":1,"active":"true"})",
        R"({"id":"17","name":"","is_primary":true,"is_default":false,"active":true})");
    row("thread control requester number", "ThreadControlRequest",
        R"({"user_id":"u1","type":"take","requester":3,"receiver":"ect-1"})",
        R"({"user_id":"u1","type":"take","requester":"3","receiver":"ect-1"})");
    row("reason as string", "ThreadControlResponse", R"({"success":"0","reason":"not primary"})",
        R"({"success":false,"reason":{"code":"","message":"not primary"}})");
    row("reason other dict", "ThreadControlResponse",
        R"({"success":false,"reason":{"detail":"no","status":403}})",
        R"({"success":false,"reason":{"code":"",
            "message":"{\"detail\":\"no\",\"status\":403}"}})");
    row("reason only message", "ThreadControlResponse",
        R"({"success":false,"reason":{"message":"busy"}})",
        R"({"success":false,"reason":{"code":"","message":"busy"}})");
}

void TestWireTypes::lenient() {
    QFETCH(QString, type);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const Normalise normalise = normalisers().value(type);
    QVERIFY2(normalise, qPrintable(type));
    QCOMPARE(normalise(input), expected);
}

void TestWireTypes::booleans_data() {
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("expected");
    QTest::newRow("true") << QJsonValue(true) << true;
    QTest::newRow("false") << QJsonValue(false) << false;
    QTest::newRow("1") << QJsonValue(1) << true;
    QTest::newRow("0") << QJsonValue(0) << false;
    QTest::newRow("\"true\"") << QJsonValue(u"true"_s) << true;
    QTest::newRow("\"false\"") << QJsonValue(u"false"_s) << false;
    QTest::newRow("\"1\"") << QJsonValue(u"1"_s) << true;
    QTest::newRow("\"0\"") << QJsonValue(u"0"_s) << false;
}

void TestWireTypes::booleans() {
    QFETCH(QJsonValue, value);
    QFETCH(bool, expected);
    const Expected<Listener> listener = Listener::fromJson(QJsonObject{{u"id"_s, u"x"_s},
                                                                       {u"is_primary"_s, value},
                                                                       {u"is_default"_s, value},
                                                                       {u"active"_s, value}});
    QVERIFY2(listener.ok(), qPrintable(listener.error().toString()));
    QCOMPARE(listener->isPrimary, expected);
    QCOMPARE(listener->isDefault, expected);
    QCOMPARE(listener->active, expected);
    const Expected<ThreadControlResponse> response =
        ThreadControlResponse::fromJson(QJsonObject{{u"success"_s, value}});
    QVERIFY(response.ok());
    QCOMPARE(response->success, expected);
}

void TestWireTypes::unknownFieldsKeptInExtra() {
    const QByteArray body = R"({"user_id":"u1","conversation_number":"7","sender":"iva",
        "message_body":"{\"type\":\"TEXT\",\"text\":\"hi\"}",
        "client_id":"c-1","isNew":true,"nested":{"a":[1,2]}})";
    const Expected<MessageHook> hook = MessageHook::fromJson(body);
    QVERIFY2(hook.ok(), qPrintable(hook.error().toString()));
    QCOMPARE(compact(hook->extra),
             canonical(R"({"client_id":"c-1","isNew":true,"nested":{"a":[1,2]}})"));
    QCOMPARE(toString(hook->sender), u"iva"_s);
    QCOMPARE(hook->messageBody.value(u"text"_s).toString(), u"hi"_s);
    const QJsonObject out = hook->toJson();
    QVERIFY(!out.contains(u"client_id"_s));
    QVERIFY(!out.contains(u"isNew"_s));
    QVERIFY(!out.contains(u"nested"_s));
    QCOMPARE(out.keys(),
             QStringList({u"conversation_number"_s, u"message_body"_s, u"sender"_s, u"user_id"_s}));

    // Nested values keep their own extras.
    const Expected<FetchListenersResponse> listeners = FetchListenersResponse::fromJson(
        QByteArray(R"({"listeners":[{"id":"sac","team":"billing"}],"cursor":"n2"})"));
    QVERIFY(listeners.ok());
    QCOMPARE(compact(listeners->extra), QByteArray(R"({"cursor":"n2"})"));
    QCOMPARE(compact(listeners->listeners.at(0).extra), QByteArray(R"({"team":"billing"})"));
}

void TestWireTypes::aliasKeyNotInExtra() {
    const Expected<EventHook> event = EventHook::fromJson(QByteArray(
        R"({"conversation_number":"7","user_id":"u1","category":"collection_state","subcategory":"complete"})"));
    QVERIFY(event.ok());
    QCOMPARE(event->type, u"conversation_state"_s);
    QCOMPARE(event->subtype, u"complete"_s);
    QVERIFY(event->extra.isEmpty());

    // With both names present the spec's wins; the other is kept, not lost.
    const Expected<EventHook> both = EventHook::fromJson(QByteArray(
        R"({"conversation_number":"7","user_id":"u1","type":"aeu_events","category":"message","subtype":"received"})"));
    QVERIFY(both.ok());
    QCOMPARE(both->type, u"aeu_events"_s);
    QCOMPARE(compact(both->extra), QByteArray(R"({"category":"message"})"));
}

void TestWireTypes::equalityComparesEveryField() {
    MessageHook a;
    a.userId = u"u1"_s;
    a.conversationNumber = u"7"_s;
    a.messageBody = object(kHsl);
    MessageHook b = a;
    QVERIFY(a == b);
    b.messageId = 1;
    QVERIFY(a != b);
    b = a;
    b.sender = Sender::Aeu;
    QVERIFY(a != b);
    b = a;
    b.extra.insert(u"x"_s, 1);
    QVERIFY(a != b);

    ThreadControlResponse r1;
    r1.reason = ThreadControlReason{u"c"_s, u"m"_s};
    ThreadControlResponse r2 = r1;
    QVERIFY(r1 == r2);
    r2.reason->message = u"other"_s;
    QVERIFY(r1 != r2);
}

void TestWireTypes::timestampKeptInUtc() {
    const Expected<MessageHook> hook =
        MessageHook::fromJson(with(kMessageHook, u"timestamp"_s, u"2024-03-01T10:00:00-04:00"_s));
    QVERIFY(hook.ok());
    QVERIFY(hook->timestamp.has_value());
    QCOMPARE(hook->timestamp->timeSpec(), Qt::UTC);
    QCOMPARE(*hook->timestamp, QDateTime(QDate(2024, 3, 1), QTime(14, 0), Qt::UTC));
    QCOMPARE(hook->toJson().value(u"timestamp"_s).toString(), u"2024-03-01T14:00:00Z"_s);
}

void TestWireTypes::hugeStringRejectedQuickly() {
    const QByteArray body = with(kSendMessage, u"user_id"_s, longString(10 << 20));
    QElapsedTimer timer;
    timer.start();
    const Expected<SendMessageRequest> parsed = SendMessageRequest::fromJson(body);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().path, u"user_id"_s);
    QCOMPARE(parsed.error().message, u"longer than 256 characters"_s);
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

void TestWireTypes::parseObjectErrors() {
    const Expected<QJsonObject> ok = parseObject(R"({"a":1})");
    QVERIFY(ok.ok());
    QCOMPARE(ok->value(u"a"_s).toInt(), 1);

    const Expected<QJsonObject> bad = parseObject("{\"a\":\"\xc0\xaf\"}");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().path, u"body"_s);
    QCOMPARE(bad.error().message, u"invalid JSON: invalid UTF-8 at offset 6"_s);
}

void TestWireTypes::ownershipChange() {
    OwnershipChange change;
    change.from = u"iva"_s;
    change.to = u"ect-1"_s;
    change.requester = u"iva"_s;
    QCOMPARE(change.toMetadata(), uR"({"from":"iva","requester":"iva","to":"ect-1"})"_s);
    const Expected<OwnershipChange> back = OwnershipChange::fromMetadata(change.toMetadata());
    QVERIFY2(back.ok(), qPrintable(back.error().toString()));
    QVERIFY(*back == change);

    const Expected<OwnershipChange> noRequester =
        OwnershipChange::fromMetadata(uR"({"from":"sac","to":"iva"})"_s);
    QVERIFY(noRequester.ok());
    QCOMPARE(noRequester->requester, QString());
    QCOMPARE(noRequester->to, u"iva"_s);
}

int runWireTypesTests(int argc, char **argv) {
    TestWireTypes test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_wiretypes.moc"
