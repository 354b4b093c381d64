#include "models/tract/Codes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace tract;

class TestCodes : public QObject {
    Q_OBJECT

private slots:
    void senders_data();
    void senders();
    void senderNamesAreCaseSensitive();
    void devicePlatforms_data();
    void devicePlatforms();
    void devicePlatformNameFallbacks();
    void eventCategories_data();
    void eventCategories();
    void collectionStateIsConversationState();
    void knownEvents_data();
    void knownEvents();
    void threadControlTypes_data();
    void threadControlTypes();
};

void TestCodes::senders_data() {
    QTest::addColumn<QString>("wire");
    QTest::addColumn<Sender>("sender");
    QTest::addColumn<QString>("display");
    QTest::newRow("ceu") << u"ceu"_s << Sender::Ceu << u"End user"_s;
    QTest::newRow("iva") << u"iva"_s << Sender::Iva << u"Bot"_s;
    QTest::newRow("haptik") << u"haptik"_s << Sender::Haptik << u"Haptik"_s;
    QTest::newRow("ect") << u"ect"_s << Sender::Ect << u"External chat tool"_s;
    QTest::newRow("aeu") << u"aeu"_s << Sender::Aeu << u"Agent"_s;
}

void TestCodes::senders() {
    QFETCH(QString, wire);
    QFETCH(Sender, sender);
    QFETCH(QString, display);
    QCOMPARE(senderFromString(wire), std::optional<Sender>(sender));
    QCOMPARE(toString(sender), wire);
    QCOMPARE(senderDisplayName(sender), display);
    QVERIFY(allSenderNames().contains(wire));
}

void TestCodes::senderNamesAreCaseSensitive() {
    QCOMPARE(allSenderNames(), QStringList({u"ceu"_s, u"iva"_s, u"haptik"_s, u"ect"_s, u"aeu"_s}));
    QVERIFY(!senderFromString(u"CEU"));
    QVERIFY(!senderFromString(u"bot"));
    QVERIFY(!senderFromString(u""));
}

void TestCodes::devicePlatforms_data() {
    QTest::addColumn<int>("id");
    QTest::addColumn<DevicePlatform>("platform");
    QTest::addColumn<QString>("name");
    const auto row = [](int id, DevicePlatform p, const QString &name) {
        QTest::addRow("%d", id) << id << p << name;
    };
    row(2, DevicePlatform::Android, u"Android"_s);
    row(3, DevicePlatform::Facebook, u"Facebook"_s);
    row(4, DevicePlatform::Jio, u"Jio"_s);
    row(5, DevicePlatform::WebSdk, u"WebSDK"_s);
    row(6, DevicePlatform::Ios, u"iOS"_s);
    row(9, DevicePlatform::Voice, u"Voice"_s);
    row(11, DevicePlatform::Kookoo, u"Kookoo"_s);
    row(12, DevicePlatform::Phonecom, u"Phonecom"_s);
    row(13, DevicePlatform::Webhook, u"Webhook"_s);
    row(14, DevicePlatform::WhatsApp, u"WhatsApp"_s);
    row(15, DevicePlatform::JioConnector, u"Jio Connector"_s);
    row(16, DevicePlatform::Ivr, u"IVR"_s);
    row(17, DevicePlatform::Ison, u"ISON"_s);
    row(18, DevicePlatform::JioIvr, u"JIO IVR"_s);
    row(19, DevicePlatform::SmsGupshup, u"SMS Gupshup"_s);
    row(20, DevicePlatform::Netcore, u"Netcore"_s);
    row(21, DevicePlatform::GoogleBusinessMessages, u"Google Business Messages"_s);
    row(22, DevicePlatform::SunshineZendesk, u"Sunshine Zendesk"_s);
}

void TestCodes::devicePlatforms() {
    QFETCH(int, id);
    QFETCH(DevicePlatform, platform);
    QFETCH(QString, name);
    QCOMPARE(static_cast<int>(platform), id);
    QCOMPARE(devicePlatformFromId(id), std::optional<DevicePlatform>(platform));
    QCOMPARE(devicePlatformName(QString::number(id)), name);
    QVERIFY(allDevicePlatforms().contains(platform));
}

void TestCodes::devicePlatformNameFallbacks() {
    QCOMPARE(allDevicePlatforms().size(), 18);
    QCOMPARE(devicePlatformName(u" 14 "_s), u"WhatsApp"_s);
    QCOMPARE(devicePlatformName(u"99"_s), u"Platform 99"_s);
    QCOMPARE(devicePlatformName(u"WhatsApp"_s), u"WhatsApp"_s);
    QCOMPARE(devicePlatformName(QString()), QString());
    QVERIFY(!devicePlatformFromId(1));
    QVERIFY(!devicePlatformFromId(7));
    QVERIFY(!devicePlatformFromId(23));
}

void TestCodes::eventCategories_data() {
    QTest::addColumn<QString>("wire");
    QTest::addColumn<EventCategory>("category");
    QTest::addColumn<QStringList>("subcategories");
    QTest::newRow("conversation_state")
        << u"conversation_state"_s << EventCategory::ConversationState
        << QStringList{u"incomplete"_s, u"complete"_s, u"waiting"_s, u"pinned"_s, u"bot"_s};
    QTest::newRow("aeu_events") << u"aeu_events"_s << EventCategory::AeuEvents
                                << QStringList{u"received"_s, u"allocated"_s, u"user_timeout"_s,
                                               u"transition"_s, u"entity_update"_s};
    QTest::newRow("user_events") << u"user_events"_s << EventCategory::UserEvents
                                 << QStringList{u"create_user"_s};
    QTest::newRow("thread_control") << u"thread_control"_s << EventCategory::ThreadControl
                                    << QStringList{u"take"_s, u"pass"_s, u"request"_s};
    QTest::newRow("message") << u"message"_s << EventCategory::Message << QStringList{u"receive"_s};
}

void TestCodes::eventCategories() {
    QFETCH(QString, wire);
    QFETCH(EventCategory, category);
    QFETCH(QStringList, subcategories);
    QCOMPARE(eventCategoryFromString(wire), std::optional<EventCategory>(category));
    QCOMPARE(toString(category), wire);
    QCOMPARE(subcategoriesOf(category), subcategories);
    QCOMPARE(normaliseCategory(wire), wire);
    for (const QString &sub : subcategories)
        QVERIFY2(isKnownEvent(wire, sub), qPrintable(sub));
}

void TestCodes::collectionStateIsConversationState() {
    QCOMPARE(eventCategoryFromString(u"collection_state"),
             std::optional<EventCategory>(EventCategory::ConversationState));
    QCOMPARE(normaliseCategory(u"collection_state"_s), u"conversation_state"_s);
    QCOMPARE(normaliseCategory(u"something_else"_s), u"something_else"_s);
    QVERIFY(!eventCategoryFromString(u"Conversation_State"));
    QVERIFY(!eventCategoryFromString(u""));
}

void TestCodes::knownEvents_data() {
    QTest::addColumn<QString>("category");
    QTest::addColumn<QString>("subcategory");
    QTest::addColumn<bool>("known");
    QTest::newRow("collection_state/bot") << u"collection_state"_s << u"bot"_s << true;
    QTest::newRow("aeu_events/entity_update") << u"aeu_events"_s << u"entity_update"_s << true;
    QTest::newRow("message/receive") << u"message"_s << u"receive"_s << true;
    QTest::newRow("message/complete") << u"message"_s << u"complete"_s << false;
    QTest::newRow("conversation_state/receive") << u"conversation_state"_s << u"receive"_s << false;
    QTest::newRow("unknown category") << u"billing"_s << u"paid"_s << false;
    QTest::newRow("empty") << QString() << QString() << false;
}

void TestCodes::knownEvents() {
    QFETCH(QString, category);
    QFETCH(QString, subcategory);
    QFETCH(bool, known);
    QCOMPARE(isKnownEvent(category, subcategory), known);
}

void TestCodes::threadControlTypes_data() {
    QTest::addColumn<QString>("wire");
    QTest::addColumn<ThreadControlType>("type");
    QTest::newRow("request") << u"request"_s << ThreadControlType::Request;
    QTest::newRow("pass") << u"pass"_s << ThreadControlType::Pass;
    QTest::newRow("take") << u"take"_s << ThreadControlType::Take;
}

void TestCodes::threadControlTypes() {
    QFETCH(QString, wire);
    QFETCH(ThreadControlType, type);
    QCOMPARE(threadControlTypeFromString(wire), std::optional<ThreadControlType>(type));
    QCOMPARE(toString(type), wire);
    QVERIFY(!threadControlTypeFromString(wire.toUpper()));
}

int runCodesTests(int argc, char **argv) {
    TestCodes test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_codes.moc"
