#include "test_hsl_model.h"

#include "models/hsl/Compose.h"
#include "models/hsl/Message.h"
#include "models/hsl/Parser.h"
#include "models/hsl/RichText.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace hsl;

namespace {

QByteArray fixture(const char *name) {
    QFile f(QStringLiteral(TRACT_SOURCE_DIR "/tests/data/hsl/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}

Message parseFixture(const char *name) {
    return Parser::parse(fixture(name));
}

QJsonObject json(const char *text) {
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

// Compact, readable form of rich text for table-driven tests:
// lines joined by "|"; a styled or linked span is "{flags[@link]:text}" with
// flags in the order b(old) i(talic) s(trike) u(nderline).
QString repr(const RichText &rt) {
    QStringList lines;
    for (const Line &line : rt.lines) {
        QString out;
        for (const Span &s : line) {
            if (s.styles == 0 && s.link.isEmpty()) {
                out += s.text;
                continue;
            }
            out += QLatin1Char('{');
            if (s.has(Style::Bold))
                out += QLatin1Char('b');
            if (s.has(Style::Italic))
                out += QLatin1Char('i');
            if (s.has(Style::Strike))
                out += QLatin1Char('s');
            if (s.has(Style::Underline))
                out += QLatin1Char('u');
            if (s.isLink())
                out += QLatin1Char('@') + s.link;
            out += QLatin1Char(':') + s.text + QLatin1Char('}');
        }
        lines.append(out);
    }
    return lines.join(QLatin1Char('|'));
}

QByteArray nested(int depth) {
    // {"type":"TEXT","data":{"x":[[[...]]]}}: object + data object = 2 levels.
    QByteArray inner;
    for (int i = 0; i < depth - 2; ++i)
        inner += '[';
    for (int i = 0; i < depth - 2; ++i)
        inner += ']';
    return QByteArray("{\"type\":\"TEXT\",\"text\":\"deep\",\"data\":{\"x\":") + inner + "}}";
}

} // namespace

// --- Element shapes (fixtures) -------------------------------------------
void TestHslModel::textWithQuickReplies() {
    const Message m = parseFixture("text_quick_replies.json");
    QCOMPARE(m.kind, Kind::Text);
    QVERIFY(m.errorString().isEmpty());
    QCOMPARE(m.text, QStringLiteral("Would you like to *rate* us?"));
    QCOMPARE(repr(m.richText), QStringLiteral("Would you like to {b:rate} us?"));
    QCOMPARE(m.quickReplies.size(), 2);
    const Actionable &later = m.quickReplies[1];
    QCOMPARE(later.text, QStringLiteral("Maybe later"));
    QCOMPARE(later.type, ActionType::TextOnly);
    QCOMPARE(later.uri, Uri::None);
    QVERIFY(later.isDefault);
    QCOMPARE(later.message, QStringLiteral("Maybe later{task}"));
    QCOMPARE(later.gogoMessage, QStringLiteral("rate_later"));
    QCOMPARE(later.botMessage(), QStringLiteral("rate_later"));
    QCOMPARE(m.quickReplies[0].botMessage(), QStringLiteral("Sure"));
    QVERIFY(!m.quickReplies[0].isDefault);
    QVERIFY(!m.truncated);
    QCOMPARE(m.raw.value(QLatin1String("voice_text")).toString(),
             QStringLiteral("Would you like to rate us?"));
}

void TestHslModel::textPlainWithLinkAndNewline() {
    const Message m = parseFixture("text_plain.json");
    QCOMPARE(m.kind, Kind::Text);
    QVERIFY(m.quickReplies.isEmpty());
    QCOMPARE(m.richText.lines.size(), 2);
    QCOMPARE(repr(m.richText),
             QStringLiteral("Your ticket is open.|We reply within a day: "
                            "{@https://status.example.org/t/42:https://status.example.org/t/42}."));
}

void TestHslModel::buttonItems() {
    const Message m = parseFixture("button_links.json");
    QCOMPARE(m.kind, Kind::Button);
    QCOMPARE(m.buttons.size(), 4);
    const Actionable &faq = m.buttons[0];
    QCOMPARE(faq.uri, Uri::Link);
    QCOMPARE(faq.type, ActionType::AppAction);
    QCOMPARE(faq.url, QStringLiteral("https://help.example.net/faq"));
    QVERIFY(faq.opensUrl());
    const Actionable &call = m.buttons[1];
    QCOMPARE(call.uri, Uri::Call);
    QCOMPARE(call.phone, QStringLiteral("+15550100"));
    QVERIFY(!call.isDefault);
    const Actionable &restart = m.buttons[2];
    QCOMPARE(restart.uri, Uri::None);
    QCOMPARE(restart.uriRaw, QString());
    QCOMPARE(restart.type, ActionType::TextOnly);
    QCOMPARE(restart.botMessage(), QStringLiteral("restart_flow"));
    const Actionable &portal = m.buttons[3];
    QCOMPARE(portal.uri, Uri::SelfServeWeb);
    QCOMPARE(portal.url, QStringLiteral("https://portal.example.net/")); // url empty -> link
    QVERIFY(portal.opensUrl());
}

void TestHslModel::buttonFileWithoutText() {
    const Message m = parseFixture("button_file.json");
    QCOMPARE(m.kind, Kind::Button);
    QVERIFY(m.text.isEmpty());
    QVERIFY(m.richText.isEmpty());
    QCOMPARE(m.buttons.size(), 1);
    QCOMPARE(m.buttons[0].url, QStringLiteral("https://files.example.net/invoice-0042.pdf"));
    QCOMPARE(summary(m), QStringLiteral("🔗 invoice-0042.pdf"));
}

void TestHslModel::buttonDocumentPicker() {
    const Message m = parseFixture("button_document_picker.json");
    QCOMPARE(m.kind, Kind::Button);
    QCOMPARE(m.buttons[0].uri, Uri::DocumentPicker);
    QCOMPARE(m.buttons[0].mimeTypes,
             QStringList({QStringLiteral("application/pdf"), QStringLiteral("image/jpeg")}));
}

void TestHslModel::carouselCards() {
    const Message m = parseFixture("carousel_cards.json");
    QCOMPARE(m.kind, Kind::Carousel);
    QVERIFY(!m.isImage());
    const Carousel &c = m.carousel;
    QCOMPARE(c.imageAspectRatio, 1.33);   // numeric string
    QCOMPARE(c.width, CardWidth::Medium); // case-insensitive
    QCOMPARE(c.widthRaw, QStringLiteral("medium"));
    QVERIFY(!c.isNoImageLayout());
    QCOMPARE(c.items.size(), 2);
    const CarouselCard &single = c.items[0];
    QCOMPARE(single.imageUrl, QStringLiteral("https://img.example.net/rooms/single.jpg"));
    QVERIFY(single.hasImage());
    QVERIFY(!single.isVideoEmbed());
    QCOMPARE(single.title, QStringLiteral("Single"));
    QCOMPARE(single.subTitle, QStringLiteral("1 bed"));
    QCOMPARE(single.description, QStringLiteral("Quiet, garden view"));
    QCOMPARE(single.meta, QStringLiteral("room-1"));
    QCOMPARE(single.actionables.size(), 2);
    QVERIFY(single.actionables[0].isDefault);
    QCOMPARE(single.actionables[1].uri, Uri::CarouselDetail);
    QCOMPARE(single.actionables[1].payload.value(QLatin1String("images")).toArray().size(), 1);
    QVERIFY(single.hasMiniActionable);
    QCOMPARE(single.miniActionable.type, ActionType::Share);
    QCOMPARE(single.miniActionable.payload.value(QLatin1String("show_share_option")).toBool(),
             true);
    QVERIFY(!c.items[1].hasMiniActionable);
    QCOMPARE(summary(m), QStringLiteral("Carousel: Single, Double"));
}

void TestHslModel::carouselNoImage() {
    const Message m = parseFixture("carousel_no_image.json");
    QCOMPARE(m.kind, Kind::Carousel);
    QVERIFY(m.text.isEmpty()); // no "text" key at all
    QVERIFY(m.carousel.isNoImageLayout());
    QCOMPARE(m.carousel.imageAspectRatio, 1000.1);
    QVERIFY(!m.carousel.items[0].hasImage());
    QVERIFY(!m.carousel.items[1].hasImage());
    QCOMPARE(m.carousel.items[0].subTitle, QStringLiteral("4% a year"));
    QVERIFY(!m.isImage());
}

void TestHslModel::carouselImageOnlyCards() {
    const Message m = parseFixture("carousel_image_only.json");
    QCOMPARE(m.kind, Kind::Carousel);
    QCOMPARE(m.carousel.width, CardWidth::Fat);
    QCOMPARE(m.carousel.items.size(), 3);
    for (const CarouselCard &c : m.carousel.items) {
        QVERIFY(c.hasImage());
        QVERIFY(!c.hasText());
        QVERIFY(c.actionables.isEmpty());
    }
    QVERIFY(!m.isImage()); // three cards: a gallery, not the image element
    QCOMPARE(summary(m), QStringLiteral("Carousel: Gallery"));
}

void TestHslModel::carouselVideo() {
    const Message m = parseFixture("carousel_video.json");
    QCOMPARE(m.kind, Kind::Carousel);
    QCOMPARE(m.carousel.width, CardWidth::Big);
    const CarouselCard &c = m.carousel.items[0];
    QVERIFY(c.isVideoEmbed());
    QVERIFY(!c.hasImage());
    QVERIFY(!m.isImage());
    QCOMPARE(summary(m), QStringLiteral("▶ How to reset your router"));
}

void TestHslModel::image() {
    const Message m = parseFixture("image.json");
    QCOMPARE(m.kind, Kind::Carousel);
    QVERIFY(m.isImage());
    QCOMPARE(m.carousel.imageAspectRatio, 1.5);
    QCOMPARE(m.carousel.items[0].imageUrl, QStringLiteral("https://img.example.net/receipt.png"));
    QCOMPARE(repr(m.richText), QStringLiteral("{b:Thats out}!"));
    QCOMPARE(summary(m), QStringLiteral("🖼 Thats out!"));
    Message bare = Parser::parse(QByteArray(
        R"({"text":"","type":"CAROUSEL","data":{"image_aspect_ratio":1.77,"width":"FAT",
            "items":[{"thumbnail":{"image":"https://e.example/p.jpg"},"actionables":[]}]}})"));
    QVERIFY(bare.isImage());
    QCOMPARE(summary(bare), QStringLiteral("🖼 Image"));
    // An action on the single card makes it a card, not an image.
    const Message card = Parser::parse(QByteArray(
        R"({"type":"CAROUSEL","data":{"items":[{"thumbnail":{"image":"https://e.example/p.jpg"},
            "actionables":[{"actionable_text":"Buy","type":"TEXT_ONLY","payload":{"message":"buy"}}]}]}})"));
    QVERIFY(!card.isImage());
}

void TestHslModel::systemEvents() {
    const Message m = parseFixture("system_pinned.json");
    QCOMPARE(m.kind, Kind::System);
    QCOMPARE(m.system.eventName, QStringLiteral("chat_pinned"));
    QCOMPARE(m.system.agentName, QStringLiteral("Asha"));
    QCOMPARE(m.system.teamName, QStringLiteral("Billing"));
    QCOMPARE(m.system.profileImage, QStringLiteral("https://img.example.net/a.png"));
    QCOMPARE(summary(m), QStringLiteral("Asha from Billing joined the chat"));
    const Message empty = parseFixture("system_empty.json");
    QCOMPARE(empty.kind, Kind::System);
    QVERIFY(empty.system.eventName.isEmpty());
    QVERIFY(empty.system.payload.isEmpty());
}

void TestHslModel::form() {
    const Message m = parseFixture("form.json");
    QCOMPARE(m.kind, Kind::Form);
    QVERIFY(m.text.isEmpty());
    QCOMPARE(m.form.title, QStringLiteral("Book a visit"));
    QCOMPARE(m.form.subtitle, QStringLiteral("Tell us when"));
    QCOMPARE(m.form.fields.size(), 3);
    // Sorted by order; "2" as a string counts as 2.
    QCOMPARE(m.form.fields[0].key, QStringLiteral("branch"));
    QCOMPARE(m.form.fields[1].key, QStringLiteral("date"));
    QCOMPARE(m.form.fields[1].order, 2);
    QCOMPARE(
        m.form.fields[0].options,
        QStringList({QStringLiteral("North"), QStringLiteral("South"), QStringLiteral("East")}));
    const FormField &email = m.form.fields[2];
    QCOMPARE(email.keyboardType, QStringLiteral("email"));
    QCOMPARE(email.autofillSource, QStringLiteral("profile.email"));
    QCOMPARE(email.icon, QString()); // absent
    QCOMPARE(summary(m), QStringLiteral("Form: Book a visit"));
}

void TestHslModel::silentAndNativeAction() {
    const Message s = parseFixture("silent.json");
    QCOMPARE(s.kind, Kind::Silent);
    QVERIFY(s.isHidden());
    QCOMPARE(s.silentActions.size(), 2);
    QCOMPARE(s.silentActions[0].type, QStringLiteral("UPDATE_PROFILE"));
    QCOMPARE(s.silentActions[0].data.value(QLatin1String("Id")).toInt(), 7);
    QCOMPARE(summary(s), QStringLiteral("Silent action"));
    const Message n = parseFixture("native_action.json");
    QCOMPARE(n.kind, Kind::NativeAction);
    QVERIFY(n.isHidden());
    QCOMPARE(n.nativeMethod, QStringLiteral("open_settings"));
    QCOMPARE(summary(n), QStringLiteral("App action: open_settings"));
}

void TestHslModel::unknownTypeKeepsTextAndRaw() {
    const Message m = parseFixture("unknown_type.json");
    QCOMPARE(m.kind, Kind::Unknown);
    QVERIFY(m.isValid());
    QCOMPARE(m.typeRaw, QStringLiteral("RECEIPT"));
    QCOMPARE(m.text, QStringLiteral("Your receipt"));
    QCOMPARE(m.raw.value(QLatin1String("data")).toObject().value(QLatin1String("total")).toString(),
             QStringLiteral("12.50"));
    QCOMPARE(summary(m), QStringLiteral("Your receipt [unsupported RECEIPT]"));
    // Unknown types are not checked further: odd data is kept, not rejected.
    const Message odd = Parser::parse(QByteArray(R"({"type":"TAB_LIST","data":[1,2]})"));
    QCOMPARE(odd.kind, Kind::Unknown);
    QCOMPARE(summary(odd), QStringLiteral("[unsupported TAB_LIST]"));
}

void TestHslModel::actionableEnums() {
    QCOMPARE(uriFromString(QStringLiteral("LINK")), Uri::Link);
    QCOMPARE(uriFromString(QStringLiteral(" send_location ")), Uri::SendLocation);
    QCOMPARE(uriFromString(QString()), Uri::None);
    QCOMPARE(uriFromString(QStringLiteral("TELEPORT")), Uri::Other);
    QCOMPARE(uriToString(Uri::SendMultipleLocations), QStringLiteral("SEND_MULTIPLE_LOCATIONS"));
    QCOMPARE(uriToString(Uri::Other), QString());
    QCOMPARE(actionTypeFromString(QStringLiteral("TAB_LIST_TEXT_ONLY")),
             ActionType::TabListTextOnly);
    QCOMPARE(actionTypeFromString(QStringLiteral("SHARE_REFERRAL")), ActionType::ShareReferral);
    QCOMPARE(actionTypeFromString(QStringLiteral("FLY")), ActionType::Other);
    QCOMPARE(actionTypeToString(ActionType::FormShow), QStringLiteral("FORM_SHOW"));
    const Message m = Parser::parse(QByteArray(
        R"({"type":"BUTTON","data":{"items":[{"actionable_text":"x","uri":"TELEPORT","type":"FLY","payload":{}}]}})"));
    QCOMPARE(m.buttons[0].uri, Uri::Other);
    QCOMPARE(m.buttons[0].uriRaw, QStringLiteral("TELEPORT"));
    QCOMPARE(m.buttons[0].typeRaw, QStringLiteral("FLY"));
}

// --- Leniency -------------------------------------------------------------
void TestHslModel::lenientScalars() {
    const Message m = parseFixture("lenient.json");
    QCOMPARE(m.kind, Kind::Text);
    QCOMPARE(m.text, QStringLiteral("12345"));
    QCOMPARE(m.typeRaw, QStringLiteral(" text "));
    QCOMPARE(m.quickReplies.size(), 3);
    const Actionable &a = m.quickReplies[0];
    QCOMPARE(a.text, QStringLiteral("42"));
    QVERIFY(a.isDefault);
    QCOMPARE(a.type, ActionType::TextOnly);
    QCOMPARE(a.typeRaw, QStringLiteral("text_only"));
    QCOMPARE(a.message, QStringLiteral("7"));
    QCOMPARE(a.gogoMessage, QString());
    QCOMPARE(m.quickReplies[1].url, QStringLiteral("https://legacy.example.net"));
    QVERIFY(m.quickReplies[1].isDefault);
    QVERIFY(m.quickReplies[2].isDefault);
}

void TestHslModel::lenientBooleans_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("expected");
    QTest::newRow("int 1") << QByteArray("1") << true;
    QTest::newRow("int 0") << QByteArray("0") << false;
    QTest::newRow("true") << QByteArray("true") << true;
    QTest::newRow("false") << QByteArray("false") << false;
    QTest::newRow("\"1\"") << QByteArray("\"1\"") << true;
    QTest::newRow("\"0\"") << QByteArray("\"0\"") << false;
    QTest::newRow("\"True\"") << QByteArray("\"True\"") << true;
    QTest::newRow("\"false\"") << QByteArray("\"false\"") << false;
    QTest::newRow("\"\"") << QByteArray("\"\"") << false;
    QTest::newRow("null") << QByteArray("null") << false;
    QTest::newRow("object") << QByteArray("{}") << false;
}

void TestHslModel::lenientBooleans() {
    QFETCH(QByteArray, value);
    QFETCH(bool, expected);
    const Message m = Parser::parse(
        QByteArray(
            R"({"type":"TEXT","text":"t","data":{"quick_replies":[{"actionable_text":"a","type":"TEXT_ONLY","is_default":)") +
        value + R"(,"payload":{"message":"a"}}]}})");
    QCOMPARE(m.kind, Kind::Text);
    QCOMPARE(m.quickReplies[0].isDefault, expected);
}

void TestHslModel::lenientNumbersAndFallbacks() {
    const Message m = Parser::parse(QByteArray(
        R"({"type":"CAROUSEL","data":{"image_aspect_ratio":"wide","width":"HUGE","items":[
            {"thumbnail":"https://e.example/t.png","subtitle":"fallback sub","meta":{"opaque":true},
             "actionable":[{"actionable_text":"Go","type":"TEXT_ONLY","payload":{"message":"go"}}]}]}})"));
    QCOMPARE(m.kind, Kind::Carousel);
    QCOMPARE(m.carousel.imageAspectRatio, 0.0);  // unparseable -> absent
    QCOMPARE(m.carousel.width, CardWidth::Thin); // unknown -> default, raw kept
    QCOMPARE(m.carousel.widthRaw, QStringLiteral("HUGE"));
    const CarouselCard &c = m.carousel.items[0];
    QCOMPARE(c.imageUrl, QStringLiteral("https://e.example/t.png"));
    QCOMPARE(c.subTitle, QStringLiteral("fallback sub"));
    QVERIFY(c.meta.isEmpty());
    QCOMPARE(c.actionables.size(), 1);
    QVERIFY(m.isImage() == false);
    // A negative ratio is nonsense: treated as absent.
    const Message neg = Parser::parse(
        QByteArray(R"({"type":"CAROUSEL","data":{"image_aspect_ratio":-3,"items":[{}]}})"));
    QCOMPARE(neg.carousel.imageAspectRatio, 0.0);
    // mime_types given as one string.
    const Message mt = Parser::parse(QByteArray(
        R"({"type":"BUTTON","data":{"items":[{"uri":"DOCUMENT_PICKER","payload":{"mime_types":"application/pdf"}}]}})"));
    QCOMPARE(mt.buttons[0].mimeTypes, QStringList{QStringLiteral("application/pdf")});
}

void TestHslModel::textIsOptionalAndQuickRepliesOptional() {
    const Message m = Parser::parse(QByteArray(R"({"type":"TEXT"})"));
    QCOMPARE(m.kind, Kind::Text);
    QVERIFY(m.text.isEmpty());
    QVERIFY(m.quickReplies.isEmpty());
    const Message n = Parser::parse(QByteArray(R"({"type":"TEXT","text":null,"data":null})"));
    QCOMPARE(n.kind, Kind::Text);
}

void TestHslModel::messageBodyAsString() {
    // TRACT's message_body: a string holding serialized HSL. Given to the
    // parser still JSON-quoted, it is decoded once more.
    const QByteArray inner = R"({"text":"hi","type":"TEXT","data":{"quick_replies":[]}})";
    const QByteArray quoted =
        QJsonDocument(QJsonArray{QString::fromUtf8(inner)}).toJson(QJsonDocument::Compact);
    const QByteArray once = quoted.mid(1, quoted.size() - 2); // strip [ ]
    const Message m = Parser::parse(once);
    QCOMPARE(m.kind, Kind::Text);
    QCOMPARE(m.text, QStringLiteral("hi"));
    // From the wire layer as a QJsonValue string and as an object.
    QCOMPARE(Parser::parse(QJsonValue(QString::fromUtf8(inner))).text, QStringLiteral("hi"));
    QCOMPARE(Parser::parse(QJsonValue(json(inner.constData()))).text, QStringLiteral("hi"));
    QCOMPARE(Parser::parse(QString::fromUtf8(inner)).text, QStringLiteral("hi"));
    // Only once: a string holding a string holding HSL is Invalid.
    const QByteArray twice = QJsonDocument(QJsonArray{QString::fromUtf8(once)})
                                 .toJson(QJsonDocument::Compact)
                                 .chopped(1)
                                 .mid(1);
    const Message t = Parser::parse(twice);
    QCOMPARE(t.kind, Kind::Invalid);
    QCOMPARE(t.errorString(), QStringLiteral("message_body: expected HSL object, got a string"));
    const Message v = Parser::parse(QJsonValue(42));
    QCOMPARE(v.kind, Kind::Invalid);
    QCOMPARE(v.errorString(), QStringLiteral("message_body: expected object or string"));
    QCOMPARE(Parser::parse(QJsonValue()).errorString(), QStringLiteral("message_body: missing"));
}

// --- Malformed input: always a defined Invalid message ------------------------
void TestHslModel::malformed_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("text");
    auto row = [](const char *name, const QByteArray &in, const char *err, const char *text = "") {
        QTest::newRow(name) << in << QString::fromUtf8(err) << QString::fromUtf8(text);
    };
    row("empty", "", "message_body: empty");
    row("blank", " \n\t ", "message_body: empty");
    row("prose", "hello there", "message_body: not JSON");
    row("unterminated", "{\"type\":\"TEXT\"", "message_body: not JSON");
    row("trailing garbage", "{\"type\":\"TEXT\"} x", "message_body: not JSON");
    row("array", "[]", "message_body: expected object");
    row("array of hsl", "[{\"type\":\"TEXT\"}]", "message_body: expected object");
    row("number", "42", "message_body: not JSON");
    row("null", "null", "message_body: not JSON");
    row("quoted prose", "\"just words\"", "message_body: not JSON");
    row("bad string", "\"unterminated", "message_body: not JSON");
    row("no type", "{}", "type: missing");
    row("no type keeps text", "{\"text\":\"hi\"}", "type: missing", "hi");
    row("null type", "{\"type\":null,\"text\":\"x\"}", "type: missing", "x");
    row("numeric type", "{\"type\":5}", "type: expected string");
    row("array type", "{\"type\":[\"TEXT\"]}", "type: expected string");
    row("object text", "{\"type\":\"TEXT\",\"text\":{\"a\":1}}", "text: expected string");
    row("array text", "{\"type\":\"TEXT\",\"text\":[\"a\"]}", "text: expected string");
    row("data array", "{\"type\":\"TEXT\",\"data\":[]}", "data: expected object");
    row("data string", "{\"type\":\"TEXT\",\"text\":\"t\",\"data\":\"x\"}", "data: expected object",
        "t");
    row("qr object", "{\"type\":\"TEXT\",\"data\":{\"quick_replies\":{}}}",
        "data.quick_replies: expected array");
    row("qr string item", "{\"type\":\"TEXT\",\"data\":{\"quick_replies\":[\"Yes\"]}}",
        "data.quick_replies[0]: expected object");
    row("qr label object",
        "{\"type\":\"TEXT\",\"data\":{\"quick_replies\":[{\"actionable_text\":{}}]}}",
        "data.quick_replies[0].actionable_text: expected string");
    row("qr payload string",
        "{\"type\":\"TEXT\",\"data\":{\"quick_replies\":[{\"payload\":\"Yes\"}]}}",
        "data.quick_replies[0].payload: expected object");
    row("button no items", "{\"type\":\"BUTTON\",\"text\":\"x\"}", "data.items: missing", "x");
    row("button items string", "{\"type\":\"BUTTON\",\"data\":{\"items\":\"a\"}}",
        "data.items: expected array");
    row("button item number", "{\"type\":\"BUTTON\",\"data\":{\"items\":[1]}}",
        "data.items[0]: expected object");
    row("button url array",
        "{\"type\":\"BUTTON\",\"data\":{\"items\":[{\"payload\":{\"url\":[\"x\"]}}]}}",
        "data.items[0].payload.url: expected string");
    row("button link object",
        "{\"type\":\"BUTTON\",\"data\":{\"items\":[{\"payload\":{\"link\":{}}}]}}",
        "data.items[0].payload.link: expected string");
    row("mime types object",
        "{\"type\":\"BUTTON\",\"data\":{\"items\":[{\"payload\":{\"mime_types\":{}}}]}}",
        "data.items[0].payload.mime_types: expected array");
    row("carousel no items", "{\"type\":\"CAROUSEL\",\"data\":{}}", "data.items: missing");
    row("carousel no data", "{\"type\":\"CAROUSEL\",\"text\":\"c\"}", "data.items: missing", "c");
    row("carousel empty", "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[]}}",
        "data.items: expected at least one card");
    row("carousel items object", "{\"type\":\"CAROUSEL\",\"data\":{\"items\":{}}}",
        "data.items: expected array");
    row("carousel null card", "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[null]}}",
        "data.items[0]: expected object");
    row("thumbnail array", "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[{\"thumbnail\":[1]}]}}",
        "data.items[0].thumbnail: expected object");
    row("image object",
        "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[{\"thumbnail\":{\"image\":{}}}]}}",
        "data.items[0].thumbnail.image: expected string");
    row("title array", "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[{\"title\":[]}]}}",
        "data.items[0].title: expected string");
    row("actionables object", "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[{\"actionables\":{}}]}}",
        "data.items[0].actionables: expected array");
    row("card action payload",
        "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[{},{\"actionables\":[{\"payload\":[]}]}]}}",
        "data.items[1].actionables[0].payload: expected object");
    row("mini string",
        "{\"type\":\"CAROUSEL\",\"data\":{\"items\":[{\"mini_actionable\":\"share\"}]}}",
        "data.items[0].mini_actionable: expected object");
    row("width object", "{\"type\":\"CAROUSEL\",\"data\":{\"width\":{},\"items\":[{}]}}",
        "data.width: expected string");
    row("system payload array", "{\"type\":\"SYSTEM\",\"data\":{\"payload\":[]}}",
        "data.payload: expected object");
    row("system event object", "{\"type\":\"SYSTEM\",\"data\":{\"event_name\":{}}}",
        "data.event_name: expected string");
    row("form fields object", "{\"type\":\"FORM\",\"data\":{\"fields\":{}}}",
        "data.fields: expected array");
    row("form field string", "{\"type\":\"FORM\",\"data\":{\"fields\":[\"city\"]}}",
        "data.fields[0]: expected object");
    row("form options string", "{\"type\":\"FORM\",\"data\":{\"fields\":[{\"options\":\"a\"}]}}",
        "data.fields[0].options: expected array");
    row("form option array", "{\"type\":\"FORM\",\"data\":{\"fields\":[{\"options\":[[\"x\"]]}]}}",
        "data.fields[0].options[0]: expected string");
    row("form title object", "{\"type\":\"FORM\",\"title\":{},\"data\":{}}",
        "title: expected string");
    row("silent item number", "{\"type\":\"SILENT\",\"data\":{\"silent_actions\":[1]}}",
        "data.silent_actions[0]: expected object");
    row("silent data string",
        "{\"type\":\"SILENT\",\"data\":{\"silent_actions\":[{\"data\":\"x\"}]}}",
        "data.silent_actions[0].data: expected object");
    row("native method array", "{\"type\":\"NATIVE_ACTION\",\"data\":{\"method\":[]}}",
        "data.method: expected string");
    row("too deep", nested(limits::kMaxDepth + 1), "message_body: nested deeper than 32 levels");
    row("very deep", QByteArray(5000, '[') + QByteArray(5000, ']'),
        "message_body: nested deeper than 32 levels");
    row("too large",
        QByteArray("{\"type\":\"TEXT\",\"text\":\"") + QByteArray(limits::kMaxInputBytes, 'a') +
            "\"}",
        "message_body: larger than 1048576 bytes");
}

void TestHslModel::malformed() {
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QFETCH(QString, text);
    const Message m = Parser::parse(input);
    QCOMPARE(m.kind, Kind::Invalid);
    QVERIFY(!m.isValid());
    QCOMPARE(m.errorString(), error);
    QCOMPARE(m.text, text);
    // Invalid messages carry nothing half-parsed.
    QVERIFY(m.quickReplies.isEmpty());
    QVERIFY(m.buttons.isEmpty());
    QVERIFY(m.carousel.items.isEmpty());
    QVERIFY(!summary(m).isEmpty());
    QVERIFY(!isValidForSending(m));
}

void TestHslModel::invalidUtf8IsDefined() {
    const Message m = Parser::parse(QByteArray("{\"type\":\"TEXT\",\"text\":\"a\xff\xfe b\"}"));
    // Qt's parser rejects malformed UTF-8 in strings.
    QCOMPARE(m.kind, Kind::Invalid);
    QCOMPARE(m.errorString(), QStringLiteral("message_body: not JSON"));
}

void TestHslModel::summaryOfInvalid() {
    QCOMPARE(summary(Parser::parse(QByteArray("nope"))), QStringLiteral("Unreadable message"));
    QCOMPARE(summary(Parser::parse(QByteArray(R"({"text":"kept *text*"})"))),
             QStringLiteral("kept text"));
}

// --- Limits -------------------------------------------------------------------
void TestHslModel::depthLimitBoundary() {
    const Message ok = Parser::parse(nested(limits::kMaxDepth));
    QCOMPARE(ok.kind, Kind::Text);
    QCOMPARE(Parser::parse(nested(limits::kMaxDepth + 1)).kind, Kind::Invalid);
    // The same limit for an already-parsed object.
    const QJsonObject deepOk = QJsonDocument::fromJson(nested(limits::kMaxDepth)).object();
    const QJsonObject deepBad = QJsonDocument::fromJson(nested(limits::kMaxDepth + 1)).object();
    QVERIFY(!deepBad.isEmpty());
    QCOMPARE(Parser::parse(deepOk).kind, Kind::Text);
    const Message bad = Parser::parse(deepBad);
    QCOMPARE(bad.kind, Kind::Invalid);
    QCOMPARE(bad.errorString(), QStringLiteral("message_body: nested deeper than 32 levels"));
    // Brackets inside strings do not count.
    const Message strings =
        Parser::parse(QByteArray("{\"type\":\"TEXT\",\"text\":\"") + QByteArray(100, '[') + "\\\"" +
                      QByteArray(100, '{') + "\"}");
    QCOMPARE(strings.kind, Kind::Text);
    QCOMPARE(strings.text.size(), 201);
}

void TestHslModel::listLimitTruncates() {
    QJsonArray qrs;
    for (int i = 0; i < 150; ++i)
        qrs.append(QJsonObject{{QStringLiteral("actionable_text"), QString::number(i)},
                               {QStringLiteral("type"), QStringLiteral("TEXT_ONLY")}});
    const QJsonObject o{
        {QStringLiteral("type"), QStringLiteral("TEXT")},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("quick_replies"), qrs}}}};
    const Message m = Parser::parse(o);
    QCOMPARE(m.kind, Kind::Text);
    QCOMPARE(m.quickReplies.size(), limits::kMaxItems);
    QCOMPARE(m.quickReplies.last().text, QStringLiteral("99"));
    QVERIFY(m.truncated);
    // Exactly at the limit: nothing cut.
    QJsonArray hundred;
    for (int i = 0; i < limits::kMaxItems; ++i)
        hundred.append(QJsonObject{{QStringLiteral("title"), QString::number(i)}});
    const Message c = Parser::parse(
        QJsonObject{{QStringLiteral("type"), QStringLiteral("CAROUSEL")},
                    {QStringLiteral("data"), QJsonObject{{QStringLiteral("items"), hundred}}}});
    QCOMPARE(c.carousel.items.size(), limits::kMaxItems);
    QVERIFY(!c.truncated);
}

void TestHslModel::textLimitTruncates() {
    const QString longText(limits::kMaxTextLength + 10, QLatin1Char('x'));
    const Message m = Parser::parse(QJsonObject{{QStringLiteral("type"), QStringLiteral("TEXT")},
                                                {QStringLiteral("text"), longText}});
    QCOMPARE(m.kind, Kind::Text);
    QCOMPARE(m.text.size(), limits::kMaxTextLength);
    QVERIFY(m.truncated);
    // Never cut inside a surrogate pair.
    const QString emojiAtEdge =
        QString(limits::kMaxTextLength - 1, QLatin1Char('y')) + QStringLiteral("😀tail");
    const Message e = Parser::parse(QJsonObject{{QStringLiteral("type"), QStringLiteral("TEXT")},
                                                {QStringLiteral("text"), emojiAtEdge}});
    QCOMPARE(e.text.size(), limits::kMaxTextLength - 1);
    QVERIFY(!e.text.back().isHighSurrogate());
    QVERIFY(e.truncated);
    // Exactly at the limit: kept whole.
    const Message exact = Parser::parse(
        QJsonObject{{QStringLiteral("type"), QStringLiteral("TEXT")},
                    {QStringLiteral("text"), QString(limits::kMaxTextLength, QLatin1Char('z'))}});
    QVERIFY(!exact.truncated);
}

// --- Rich text ------------------------------------------------------------------
void TestHslModel::richText_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    auto row = [](const char *name, const char *in, const char *out) {
        QTest::newRow(name) << QString::fromUtf8(in) << QString::fromUtf8(out);
    };
    row("plain", "hello", "hello");
    row("bold", "*bold*", "{b:bold}");
    row("italic", "_italic_", "{i:italic}");
    row("strike", "~gone~", "{s:gone}");
    row("underline", "`under`", "{u:under}");
    row("doc sample", "*Thats out*!", "{b:Thats out}!");
    row("in sentence", "a *b* c", "a {b:b} c");
    row("two pairs", "*a* *b*", "{b:a} {b:b}");
    row("all four", "*b* _i_ ~s~ `u`", "{b:b} {i:i} {s:s} {u:u}");
    row("arithmetic", "2*3*4", "2*3*4");
    row("snake case", "snake_case_name", "snake_case_name");
    row("bullet", "* item", "* item");
    row("spaced stars", "a * b * c", "a * b * c");
    row("unclosed", "*unclosed", "*unclosed");
    row("unopened", "closed*", "closed*");
    row("empty pair", "**", "**");
    row("double stars", "**bold**", "*{b:bold}*");
    row("dunder", "__init__", "_{i:init}_");
    row("space inside closer", "*a *", "*a *");
    row("closer inside word", "*a*b", "*a*b");
    row("inner spaces ok", "price *5 * 3*", "price {b:5 * 3}");
    row("nested", "*a _b_ c*", "{b:a }{bi:b}{b: c}");
    row("nested tight", "~*both*~", "{bs:both}");
    row("crossed", "*a _b* c_", "{b:a _b} c_");
    row("same marker not nested", "*a *b* c*", "{b:a *b} c*");
    row("pair needs same line", "*multi\nline*", "*multi|line*");
    row("after emoji", "emoji 😀*x*", "emoji 😀{b:x}");
    row("punctuation around", "(*note*)", "({b:note})");
    row("html bold", "<b>bold</b>", "<b>bold</b>");
    row("html img", "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>");
    row("html anchor", "<a href=\"https://evil.example\">x</a>",
        "<a href=\"{@https://evil.example:https://evil.example}\">x</a>");
    row("entities", "&amp; &lt;b&gt;", "&amp; &lt;b&gt;");
    row("script", "<script>alert('x')</script>", "<script>alert('x')</script>");
    row("url", "see https://x.example/a_b_c.",
        "see {@https://x.example/a_b_c:https://x.example/a_b_c}.");
    row("url markers inside", "https://x.example/*a*/~b~",
        "{@https://x.example/*a*/~b:https://x.example/*a*/~b}~");
    row("bold url", "*https://x.example*", "{b@https://x.example:https://x.example}");
    row("italic url", "_https://x.example/a_", "{i@https://x.example/a:https://x.example/a}");
    row("www", "go to www.example.com/path!",
        "go to {@https://www.example.com/path:www.example.com/path}!");
    row("http", "http://a.example", "{@http://a.example:http://a.example}");
    row("uppercase scheme", "HTTPS://EXAMPLE.COM", "{@HTTPS://EXAMPLE.COM:HTTPS://EXAMPLE.COM}");
    row("balanced parens", "(https://x.example/wiki/Foo_(bar))",
        "({@https://x.example/wiki/Foo_(bar):https://x.example/wiki/Foo_(bar)})");
    row("query", "https://x.example/?q=a&b=c#frag",
        "{@https://x.example/?q=a&b=c#frag:https://x.example/?q=a&b=c#frag}");
    row("url ends at angle", "<https://x.example>", "<{@https://x.example:https://x.example}>");
    row("glued scheme", "xhttps://no.example", "xhttps://no.example");
    row("scheme only", "https://", "https://");
    row("scheme then space", "https:// x", "https:// x");
    row("www only", "www.", "www.");
    row("javascript", "javascript:alert(1)", "javascript:alert(1)");
    row("ftp", "ftp://files.example", "ftp://files.example");
    row("crlf", "line1\r\nline2\rline3\n", "line1|line2|line3|");
    row("unicode separators", "a\u2028b\u2029c", "a|b|c");
    row("blank lines", "a\n\nb", "a||b");
    row("empty", "", "");
}

void TestHslModel::richText() {
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const RichText rt = RichText::fromMarkup(input);
    QCOMPARE(repr(rt), expected);
    for (const Line &l : rt.lines)
        for (const Span &s : l)
            QVERIFY(!s.text.isEmpty());
}

void TestHslModel::htmlStaysLiteral() {
    const QString html = QStringLiteral("<b>hi</b> <img src=\"x.png\"> <a href=x>y</a> &lt;");
    const Message m = Parser::parse(QJsonObject{{QStringLiteral("type"), QStringLiteral("TEXT")},
                                                {QStringLiteral("text"), html}});
    QCOMPARE(m.richText.toPlainText(), html);
    QVERIFY(!m.richText.hasLinks());
    QCOMPARE(summary(m), html);
}

void TestHslModel::richTextPlainAndLinks() {
    const RichText rt = RichText::fromMarkup(u"*a* b\nc https://x.example");
    QCOMPARE(rt.toPlainText(), QStringLiteral("a b\nc https://x.example"));
    QVERIFY(rt.hasLinks());
    QVERIFY(!rt.isEmpty());
    QVERIFY(RichText::fromMarkup(u"").isEmpty());
    QVERIFY(RichText::fromMarkup(u"\n").isEmpty());
    QCOMPARE(RichText::fromMarkup(u"\n").lines.size(), 2);
}

void TestHslModel::richTextHostileIsFast() {
    // Many openers with no closers: must stay near-linear.
    QString hostile;
    while (hostile.size() < limits::kMaxTextLength)
        hostile += QStringLiteral("*a _b ~c `d ");
    QString urls;
    while (urls.size() < limits::kMaxTextLength)
        urls += QLatin1String("https://x.example/((((( ");
    QElapsedTimer t;
    t.start();
    const RichText a = RichText::fromMarkup(hostile);
    const RichText b = RichText::fromMarkup(urls);
    QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(a.toPlainText(), hostile);
    QCOMPARE(b.toPlainText(), urls);
}

// --- Summary ------------------------------------------------------------------
void TestHslModel::summaryCases() {
    QCOMPARE(summary(parseFixture("text_plain.json")),
             QStringLiteral(
                 "Your ticket is open. We reply within a day: https://status.example.org/t/42."));
    QCOMPARE(summary(parseFixture("text_quick_replies.json")),
             QStringLiteral("Would you like to rate us?"));
    QCOMPARE(
        summary(Parser::parse(QByteArray(
            R"({"type":"TEXT","data":{"quick_replies":[{"actionable_text":"Yes"},{"actionable_text":"No"}]}})"))),
        QStringLiteral("Quick replies: Yes, No"));
    QCOMPARE(summary(parseFixture("button_links.json")), QStringLiteral("Pick one"));
    QCOMPARE(summary(parseFixture("carousel_no_image.json")),
             QStringLiteral("Carousel: Savings, Current"));
    QCOMPARE(summary(parseFixture("system_empty.json")), QStringLiteral("Chat closed"));
    QCOMPARE(summary(Parser::parse(QByteArray(R"({"type":"NATIVE_ACTION"})"))),
             QStringLiteral("App action"));
    QCOMPARE(summary(Parser::parse(QByteArray(R"({"type":"CAROUSEL","data":{"items":[{},{}]}})"))),
             QStringLiteral("Carousel (2 cards)"));
    const Message longText = textMessage(QStringLiteral("abcdefghijklmnop"));
    QCOMPARE(summary(longText, 10), QStringLiteral("abcdefghi…"));
    QCOMPARE(summary(longText, 10).size(), 10);
}

// --- Composer: builders and validation --------------------------------------
void TestHslModel::buildTextExactJson() {
    const Message m = textMessage(QStringLiteral("Hello, how can I help?"));
    QVERIFY(isValidForSending(m));
    QVERIFY(validateForSending(m).isEmpty());
    QCOMPARE(toMessageBody(m),
             QByteArray(
                 R"({"data":{"quick_replies":[]},"text":"Hello, how can I help?","type":"TEXT"})"));
}

void TestHslModel::buildQuickRepliesExactJson() {
    const Message m =
        textMessage(QStringLiteral("Anything else?"),
                    {quickReply(QStringLiteral("Yes")),
                     quickReply(QStringLiteral("No, thanks"), QStringLiteral("No, thanks"),
                                QStringLiteral("close_flow"))});
    QVERIFY(isValidForSending(m));
    const QJsonObject expected =
        json(R"({"text":"Anything else?","type":"TEXT","data":{"quick_replies":[
        {"actionable_text":"Yes","is_default":0,"type":"TEXT_ONLY","payload":{"message":"Yes","gogo_message":""}},
        {"actionable_text":"No, thanks","is_default":0,"type":"TEXT_ONLY","payload":{"message":"No, thanks","gogo_message":"close_flow"}}]}})");
    QCOMPARE(toJson(m), expected);
}

void TestHslModel::buildButtonsExactJson() {
    const Message m = buttonMessage(
        QStringLiteral("Useful links"),
        {linkButton(QStringLiteral("Open help page"), QStringLiteral("https://example.com/help")),
         textButton(QStringLiteral("Talk to sales"), QStringLiteral("I want to talk to sales"))});
    QVERIFY(isValidForSending(m));
    const QJsonObject expected = json(R"({"text":"Useful links","type":"BUTTON","data":{"items":[
        {"actionable_text":"Open help page","location_required":false,"is_default":0,"uri":"LINK","type":"APP_ACTION",
         "payload":{"url":"https://example.com/help","gogo_message":""}},
        {"actionable_text":"Talk to sales","location_required":false,"is_default":0,"uri":"","type":"TEXT_ONLY",
         "payload":{"message":"I want to talk to sales","gogo_message":""}}]}})");
    QCOMPARE(toJson(m), expected);
    QCOMPARE(textButton(QStringLiteral("Go")).message, QStringLiteral("Go"));
}

void TestHslModel::builtMessagesRoundTrip() {
    const QList<Message> messages = {
        textMessage(QStringLiteral("plain *bold* https://x.example")),
        textMessage(QStringLiteral("q"),
                    {quickReply(QStringLiteral("A"), QStringLiteral("a"), QStringLiteral("g"))}),
        buttonMessage(QString(), {linkButton(QStringLiteral("file.pdf"),
                                             QStringLiteral("https://f.example/file.pdf"))}),
        buttonMessage(QStringLiteral("b"), {textButton(QStringLiteral("T"))}),
    };
    for (const Message &m : messages) {
        const QByteArray body = toMessageBody(m);
        QVERIFY(!body.isEmpty());
        const Message back = Parser::parse(body);
        QCOMPARE(back.kind, m.kind);
        QVERIFY2(back == m, body.constData());
    }
    // Parsed lenient spellings go out canonical.
    const Message lenient = Parser::parse(QByteArray(
        R"({"type":"BUTTON","text":"x","data":{"items":[{"actionable_text":"L","uri":"link","type":"app_action","payload":{"link":"https://l.example"}}]}})"));
    QVERIFY(isValidForSending(lenient));
    const QJsonObject item =
        toJson(lenient)[QLatin1String("data")][QLatin1String("items")][0].toObject();
    QCOMPARE(item[QLatin1String("uri")].toString(), QStringLiteral("LINK"));
    QCOMPARE(item[QLatin1String("type")].toString(), QStringLiteral("APP_ACTION"));
    QCOMPARE(item[QLatin1String("payload")][QLatin1String("url")].toString(),
             QStringLiteral("https://l.example"));
}

void TestHslModel::validation_data() {
    QTest::addColumn<Message>("message");
    QTest::addColumn<QStringList>("issues"); // "E path: message" / "W path: message"
    const QString longLabel(30, QLatin1Char('L'));
    QTest::newRow("empty text") << textMessage(QStringLiteral("  "))
                                << QStringList{QStringLiteral("E text: empty")};
    QTest::newRow("text too long")
        << textMessage(QString(limits::kMaxTextLength + 1, QLatin1Char('a')))
        << QStringList{QStringLiteral("E text: longer than 65536 characters")};
    QTest::newRow("blank label")
        << textMessage(QStringLiteral("t"), {quickReply(QStringLiteral(" "), QStringLiteral("m"))})
        << QStringList{QStringLiteral("E data.quick_replies[0].actionable_text: empty label")};
    QTest::newRow("long quick reply label")
        << textMessage(QStringLiteral("t"), {quickReply(longLabel)})
        << QStringList{
               QStringLiteral("W data.quick_replies[0].actionable_text: label longer than 27 "
                              "characters; some channels cut it")};
    QTest::newRow("huge label")
        << textMessage(QStringLiteral("t"), {quickReply(QString(300, QLatin1Char('x')))})
        << QStringList{QStringLiteral(
               "E data.quick_replies[0].actionable_text: label longer than 256 characters")};
    Actionable linkQr = linkButton(QStringLiteral("x"), QStringLiteral("https://x.example"));
    QTest::newRow("quick reply not text only")
        << textMessage(QStringLiteral("t"), {linkQr})
        << QStringList{QStringLiteral("E data.quick_replies[0]: quick replies must be TEXT_ONLY")};
    Actionable emptyMsg = quickReply(QStringLiteral("x"));
    emptyMsg.message.clear();
    QTest::newRow("quick reply empty message")
        << textMessage(QStringLiteral("t"), {emptyMsg})
        << QStringList{QStringLiteral("E data.quick_replies[0].payload.message: empty")};
    QList<Actionable> many;
    for (int i = 0; i <= limits::kMaxItems; ++i)
        many.append(quickReply(QStringLiteral("q")));
    QTest::newRow("too many quick replies")
        << textMessage(QStringLiteral("t"), many)
        << QStringList{QStringLiteral("E data.quick_replies: more than 100 items")};
    QTest::newRow("no buttons") << buttonMessage(QStringLiteral("t"), {})
                                << QStringList{QStringLiteral("E data.items: at least one button")};
    QTest::newRow("file button without text")
        << buttonMessage(QString(), {linkButton(QStringLiteral("a.pdf"),
                                                QStringLiteral("https://f.example/a.pdf"))})
        << QStringList{};
    for (const char *bad : {"ftp://f.example/a", "javascript:alert(1)", "https://", "not a url", "",
                            "www.example.com"}) {
        QTest::newRow(qPrintable(QStringLiteral("bad url ") + QLatin1String(bad)))
            << buttonMessage(QStringLiteral("t"),
                             {linkButton(QStringLiteral("Go"), QString::fromUtf8(bad))})
            << QStringList{
                   QStringLiteral("E data.items[0].payload.url: expected an http or https URL")};
    }
    QTest::newRow("http ok") << buttonMessage(
                                    QStringLiteral("t"),
                                    {linkButton(QStringLiteral("Go"),
                                                QStringLiteral("http://a.example/x?y=1"))})
                             << QStringList{};
    QTest::newRow("long button label")
        << buttonMessage(QStringLiteral("t"),
                         {textButton(QStringLiteral("twenty-two characters!"))})
        << QStringList{QStringLiteral("W data.items[0].actionable_text: label longer than 21 "
                                      "characters; some channels cut it")};
    QTest::newRow("four buttons")
        << buttonMessage(QStringLiteral("t"),
                         {textButton(QStringLiteral("1")), textButton(QStringLiteral("2")),
                          textButton(QStringLiteral("3")), textButton(QStringLiteral("4"))})
        << QStringList{QStringLiteral(
               "W data.items: more than 3 buttons; quick replies suit more options")};
    Actionable call = linkButton(QStringLiteral("Call"), QString());
    call.uri = Uri::Call;
    QTest::newRow("call button")
        << buttonMessage(QStringLiteral("t"), {call})
        << QStringList{
               QStringLiteral("E data.items[0]: only LINK and TEXT_ONLY buttons can be sent")};
    QTest::newRow("carousel") << parseFixture("image.json")
                              << QStringList{QStringLiteral(
                                     "E type: only TEXT and BUTTON messages can be sent")};
    QTest::newRow("errors before warnings")
        << buttonMessage(
               QStringLiteral("t"),
               {textButton(longLabel), linkButton(QStringLiteral("x"), QStringLiteral("bad"))})
        << QStringList{
               QStringLiteral("E data.items[1].payload.url: expected an http or https URL"),
               QStringLiteral("W data.items[0].actionable_text: label longer than 21 characters; "
                              "some channels cut it")};
}

void TestHslModel::validation() {
    QFETCH(Message, message);
    QFETCH(QStringList, issues);
    QStringList got;
    bool hasError = false;
    for (const Issue &i : validateForSending(message)) {
        got.append((i.severity == Issue::Error ? QStringLiteral("E ") : QStringLiteral("W ")) +
                   i.toString());
        hasError = hasError || i.severity == Issue::Error;
    }
    QCOMPARE(got, issues);
    QCOMPARE(isValidForSending(message), !hasError);
    QCOMPARE(toMessageBody(message).isEmpty(), hasError);
}

QTEST_GUILESS_MAIN(TestHslModel)
