// tract-sandbox hook delivery: create_user first and ect_user_id, message hook
// fields, per-user FIFO under retries, timeouts, disable and re-enable after an
// exhausted retry schedule, and HMAC signatures checked independently.

#include "SandboxTestKit.h"

#include <QElapsedTimer>
#include <QMessageAuthenticationCode>
#include <QTcpServer>
#include <QTcpSocket>
#include <algorithm>

using namespace sbtest;

namespace {

const QByteArray kSecret = "tr4ct s3cret/ü"_ba;

// Accepts connections and never answers: every hook sent here times out.
class BlackHole : public QTcpServer {
public:
    QList<QTcpSocket *> held;
    BlackHole() {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection())
                held.append(s);
        });
    }
};

} // namespace

class SandboxDeliveryTest : public QObject {
    Q_OBJECT
    SandboxProcess m_sandbox;
    HookReceiver m_receiver;

    QString hookText(const Hook &h) const {
        return h.json.value(u"message_body"_s).toObject().value(u"text"_s).toString();
    }
    // Attempts (any status) for one user's message with `text`, in order.
    QList<int> attemptIndexes(const QString &user, const QString &text) const {
        QList<int> out;
        const auto &all = m_receiver.attempts();
        for (int i = 0; i < all.size(); ++i) {
            if (userOf(all.at(i)) == user && hookText(all.at(i)) == text)
                out.append(i);
        }
        return out;
    }
    bool hookEnabled(const QString &category, const QString &subcategory) const {
        const auto list = m_sandbox.tract("GET", u"/tract/hooks/list/"_s);
        for (const QJsonValue &v : list.json.value(u"hooks"_s).toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(u"category"_s).toString() == category &&
                o.value(u"subcategory"_s).toString() == subcategory)
                return o.value(u"enabled"_s).toBool();
        }
        return false;
    }
    // A user owned by the ECT, so the bot stays quiet.
    void ectUser(const QString &id) {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, id}}).status, 201);
        QCOMPARE(
            m_sandbox.post(u"/sandbox/owner"_s, {{u"user_id"_s, id}, {u"receiver"_s, u"demo"_s}})
                .status,
            200);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_receiver.listen());
        QStringList args = fastArgs();
        args << u"--hook-secret"_s << QString::fromUtf8(kSecret) << u"--hook-timeout"_s << u"400"_s;
        QVERIFY2(m_sandbox.start(args), qPrintable(m_sandbox.errorString()));
    }

    void init() {
        QVERIFY(resetSandbox(m_sandbox));
        QTest::qWait(30); // let hooks of the previous test still in flight land
        m_receiver.setPolicy({});
        m_receiver.clear();
    }

    void createUserFirstAndEctUserId() {
        QVERIFY(registerHooks(m_sandbox, m_receiver));
        m_receiver.setPolicy([](const Hook &h, int) {
            if (h.subcategory == u"create_user"_s)
                return http::Response::json(
                    200, {{u"success"_s, true}, {u"ect_user_id"_s, u"ECT-"_s + userOf(h)}});
            return http::Response::json(200, {{u"success"_s, true}});
        });
        QCOMPARE(say(m_sandbox, u"ana"_s, u"hello"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(3));
        QCOMPARE(timeline(m_receiver, u"ana"_s),
                 QStringList({u"create_user"_s, u"ceu TEXT hello"_s, u"iva TEXT"_s}));
        const QJsonObject create = m_receiver.hooks().first().json;
        QCOMPARE(create.value(u"user_id"_s).toString(), u"ana"_s);
        QCOMPARE(create.value(u"third_party_user_id"_s).toString(), u"tp-ana"_s);
        QVERIFY(!create.value(u"user_name"_s).toString().isEmpty());
        QVERIFY(!create.value(u"device_platform"_s).toString().isEmpty());
        // details_available is List[dict] in the create-user hook.
        const QJsonArray available = create.value(u"details_available"_s).toArray();
        QCOMPARE(available.size(), 5);
        QCOMPARE(available.first().toObject(),
                 QJsonObject({{u"key"_s, u"email"_s}, {u"label"_s, u"Email"_s}}));

        QTRY_COMPARE(findUser(m_sandbox.state(), u"ana"_s).value(u"ect_user_id"_s).toString(),
                     u"ECT-ana"_s);
        QCOMPARE(m_sandbox
                     .post(u"/sandbox/events"_s, {{u"user_id"_s, u"ana"_s},
                                                  {u"category"_s, u"aeu_events"_s},
                                                  {u"subcategory"_s, u"received"_s}})
                     .status,
                 200);
        QVERIFY(m_receiver.waitForHooks(4));
        QCOMPARE(m_receiver.hooks().last().json,
                 QJsonObject({{u"user_id"_s, u"ana"_s},
                              {u"third_party_user_id"_s, u"tp-ana"_s},
                              {u"ect_user_id"_s, u"ECT-ana"_s},
                              {u"conversation_number"_s, u"1"_s},
                              {u"type"_s, u"aeu_events"_s},
                              {u"subtype"_s, u"received"_s}}));
        QCOMPARE(m_receiver.hooks().last().path, "/hooks/aeu_events/received"_ba);
    }

    void messageIdsAndTimestamps() {
        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        for (const QString &u : {u"m1"_s, u"m2"_s, u"m1"_s})
            QCOMPARE(say(m_sandbox, u, u"hi"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(6)); // three ceu, three bot greetings
        QTest::qWait(100);
        QCOMPARE(m_receiver.hooks().size(), 6);
        QList<qint64> ids;
        for (const Hook &h : m_receiver.hooks()) {
            ids.append(h.json.value(u"message_id"_s).toInteger());
            const QDateTime t =
                QDateTime::fromString(h.json.value(u"timestamp"_s).toString(), Qt::ISODateWithMs);
            QVERIFY(t.isValid());
            QCOMPARE(t.timeSpec(), Qt::UTC);
            QVERIFY(t >= before && t <= QDateTime::currentDateTimeUtc());
        }
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, QList<qint64>({1, 2, 3, 4, 5, 6})); // unique and incremental
        // Per user, ids increase in delivery order.
        for (const QString &u : {u"m1"_s, u"m2"_s}) {
            qint64 last = 0;
            for (const Hook &h : hooksForUser(m_receiver.hooks(), u)) {
                QVERIFY(h.json.value(u"message_id"_s).toInteger() > last);
                last = h.json.value(u"message_id"_s).toInteger();
            }
        }
        // No create_user hook registered: it is recorded as skipped, not sent.
        const QList<QJsonObject> d = deliveriesFor(m_sandbox.state(), u"m2"_s);
        QCOMPARE(d.first().value(u"subcategory"_s).toString(), u"create_user"_s);
        QCOMPARE(d.first().value(u"status"_s).toString(), u"skipped"_s);
        QCOMPARE(d.first().value(u"attempts"_s).toInt(), 0);
    }

    void signatures() {
        QVERIFY(registerHooks(m_sandbox, m_receiver));
        QCOMPARE(say(m_sandbox, u"sig"_s, u"Show me a picture of the store"_s).status, 200);
        QCOMPARE(m_sandbox
                     .post(u"/sandbox/events"_s,
                           {{u"user_id"_s, u"sig"_s},
                            {u"category"_s, u"aeu_events"_s},
                            {u"subcategory"_s, u"transition"_s},
                            {u"metadata"_s,
                             QJsonObject{{u"kind"_s, u"team"_s}, {u"to"_s, u"Billing ✓"_s}}}})
                     .status,
                 200);
        QVERIFY(m_receiver.waitForHooks(4));
        // The bot answers 20 ms after the user's message, racing the event this
        // test posts: on a slow run (sanitizers) the answer comes first. Only the
        // hooks `say` caused in turn have an order to check.
        QStringList hooks = timeline(m_receiver, u"sig"_s);
        QCOMPARE(hooks.size(), 4);
        std::sort(hooks.begin() + 2, hooks.end());
        QCOMPARE(hooks, QStringList({u"create_user"_s, u"ceu TEXT Show me a picture of the store"_s,
                                     u"aeu_events/transition"_s, u"iva CAROUSEL"_s}));
        for (const Hook &h : m_receiver.hooks()) {
            const QByteArray sha1 =
                "sha1=" +
                QMessageAuthenticationCode::hash(h.body, kSecret, QCryptographicHash::Sha1).toHex();
            const QByteArray sha256 = "sha256=" + QMessageAuthenticationCode::hash(
                                                      h.body, kSecret, QCryptographicHash::Sha256)
                                                      .toHex();
            QCOMPARE(header(h, "x-hub-signature"), sha1);
            QCOMPARE(header(h, "x-hub-signature-256"), sha256);
            QCOMPARE(sha1.size(), 5 + 40);
            QCOMPARE(sha256.size(), 7 + 64);
            // The check can fail: another secret or another body gives another signature.
            QVERIFY(header(h, "x-hub-signature-256") !=
                    "sha256=" + QMessageAuthenticationCode::hash(h.body, "other"_ba,
                                                                 QCryptographicHash::Sha256)
                                    .toHex());
            QVERIFY(header(h, "x-hub-signature-256") !=
                    "sha256=" + QMessageAuthenticationCode::hash(h.body + ' ', kSecret,
                                                                 QCryptographicHash::Sha256)
                                    .toHex());
            QCOMPARE(header(h, "content-type"), "application/json"_ba);
        }
        QCOMPARE(m_receiver.hooksOf(u"aeu_events"_s).first().json.value(u"metadata"_s).toString(),
                 u"{\"kind\":\"team\",\"to\":\"Billing ✓\"}"_s);
    }

    void noSignatureWithoutSecret() {
        SandboxProcess plain;
        QVERIFY2(plain.start(fastArgs()), qPrintable(plain.errorString()));
        HookReceiver receiver;
        QVERIFY(receiver.listen());
        QVERIFY(registerHooks(plain, receiver, {{u"message"_s, u"receive"_s}}));
        QCOMPARE(say(plain, u"p"_s, u"hi"_s).status, 200);
        QVERIFY(receiver.waitForHooks(2));
        for (const Hook &h : receiver.hooks()) {
            QVERIFY(header(h, "x-hub-signature").isNull());
            QVERIFY(header(h, "x-hub-signature-256").isNull());
        }
    }

    // A's first hook fails twice; A's later hooks wait for it, B's do not.
    void fifoUnderRetries() {
        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        ectUser(u"A"_s);
        ectUser(u"B"_s);
        int failures = 0;
        m_receiver.setPolicy([&failures](const Hook &h, int) {
            if (userOf(h) == u"A"_s &&
                h.json.value(u"message_body"_s).toObject().value(u"text"_s) == u"a1"_s &&
                failures < 2) {
                ++failures;
                return http::Response::error(failures == 1 ? 500 : 503, u"not now"_s);
            }
            return http::Response::json(200, {{u"success"_s, true}});
        });
        for (const auto &[user, text] : QList<QPair<QString, QString>>{{u"A"_s, u"a1"_s},
                                                                       {u"A"_s, u"a2"_s},
                                                                       {u"B"_s, u"b1"_s},
                                                                       {u"A"_s, u"a3"_s},
                                                                       {u"B"_s, u"b2"_s},
                                                                       {u"A"_s, u"a4"_s}})
            QCOMPARE(say(m_sandbox, user, text).status, 200);
        QVERIFY(m_receiver.waitForHooks(6));
        QTest::qWait(100);
        QCOMPARE(m_receiver.hooks().size(), 6);
        QCOMPARE(timeline(m_receiver, u"A"_s), QStringList({u"ceu TEXT a1"_s, u"ceu TEXT a2"_s,
                                                            u"ceu TEXT a3"_s, u"ceu TEXT a4"_s}));
        QCOMPARE(timeline(m_receiver, u"B"_s), QStringList({u"ceu TEXT b1"_s, u"ceu TEXT b2"_s}));

        const QList<int> a1 = attemptIndexes(u"A"_s, u"a1"_s);
        QCOMPARE(a1.size(), 3);
        // Each of A's later hooks was first tried only after a1 was acknowledged.
        for (const QString &t : {u"a2"_s, u"a3"_s, u"a4"_s}) {
            const QList<int> tries = attemptIndexes(u"A"_s, t);
            QCOMPARE(tries.size(), 1);
            QVERIFY2(tries.first() > a1.last(), qPrintable(t));
        }
        // B was not held up by A's retries.
        QVERIFY(attemptIndexes(u"B"_s, u"b2"_s).first() < a1.last());
        // The retries followed the 0.2 s schedule.
        const auto &all = m_receiver.attempts();
        QVERIFY(all.at(a1.at(1)).receivedMs - all.at(a1.at(0)).receivedMs >= 180);
        QVERIFY(all.at(a1.at(2)).receivedMs - all.at(a1.at(1)).receivedMs >= 180);

        const QList<QJsonObject> d = deliveriesFor(m_sandbox.state(), u"A"_s);
        QStringList summary;
        for (const QJsonObject &o : d)
            summary << u"%1/%2 %3 %4"_s
                           .arg(o.value(u"category"_s).toString(),
                                o.value(u"subcategory"_s).toString(),
                                o.value(u"status"_s).toString())
                           .arg(o.value(u"attempts"_s).toInt());
        QCOMPARE(
            summary,
            QStringList({u"user_events/create_user skipped 0"_s, u"thread_control/take skipped 0"_s,
                         u"message/receive delivered 3"_s, u"message/receive delivered 1"_s,
                         u"message/receive delivered 1"_s, u"message/receive delivered 1"_s}));
        QCOMPARE(d.at(2).value(u"last_error"_s), QJsonValue(QJsonValue::Undefined));
    }

    void anyNon2xxIsRetriedAnd2xxAcks() {
        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        ectUser(u"C"_s);
        m_receiver.setPolicy([](const Hook &, int index) {
            switch (index) {
            case 0:
                return http::Response::error(404, u"no"_s);
            case 1:
                return http::Response::error(400, u"no"_s);
            case 2:
                return http::Response::empty(204); // a 2xx without a body still acknowledges
            default:
                return http::Response::json(202, {});
            }
        });
        QCOMPARE(say(m_sandbox, u"C"_s, u"c1"_s).status, 200);
        QCOMPARE(say(m_sandbox, u"C"_s, u"c2"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(2));
        QCOMPARE(m_receiver.attempts().size(), 4);
        QCOMPARE(timeline(m_receiver, u"C"_s), QStringList({u"ceu TEXT c1"_s, u"ceu TEXT c2"_s}));
        const QList<QJsonObject> d = deliveriesFor(m_sandbox.state(), u"C"_s);
        QCOMPARE(d.at(2).value(u"attempts"_s).toInt(), 3);
        QCOMPARE(d.at(3).value(u"attempts"_s).toInt(), 1);
    }

    // Timeouts count as failures; an exhausted schedule disables the hook, and
    // registering it again (elsewhere) delivers what waited.
    void timeoutDisablesThenReRegisterFlushes() {
        BlackHole hole;
        QVERIFY(hole.listen(QHostAddress::LocalHost, 0));
        const QString holeUrl =
            u"http://127.0.0.1:%1/hooks/message/receive"_s.arg(hole.serverPort());
        QCOMPARE(m_sandbox
                     .tract("POST", u"/tract/hooks/register/"_s,
                            {{u"category"_s, u"message"_s},
                             {u"subcategory"_s, u"receive"_s},
                             {u"url"_s, holeUrl}})
                     .status,
                 200);
        ectUser(u"T"_s);
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(say(m_sandbox, u"T"_s, u"t1"_s).status, 200);
        // 3 attempts x 400 ms timeout + 2 x 200 ms between them.
        QTRY_VERIFY_WITH_TIMEOUT(!hookEnabled(u"message"_s, u"receive"_s), 6000);
        QVERIFY2(clock.elapsed() >= 1500, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(hole.held.size(), 3);
        QJsonObject t1 = deliveriesFor(m_sandbox.state(), u"T"_s).last();
        QCOMPARE(t1.value(u"status"_s).toString(), u"waiting"_s);
        QCOMPARE(t1.value(u"attempts"_s).toInt(), 3);
        QVERIFY(!t1.value(u"last_error"_s).toString().isEmpty());

        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        QVERIFY(m_receiver.waitForHooks(1));
        QCOMPARE(timeline(m_receiver, u"T"_s), QStringList({u"ceu TEXT t1"_s}));
        QVERIFY(hookEnabled(u"message"_s, u"receive"_s));
        t1 = deliveriesFor(m_sandbox.state(), u"T"_s).last();
        QCOMPARE(t1.value(u"status"_s).toString(), u"delivered"_s);
        QCOMPARE(t1.value(u"attempts"_s).toInt(), 4);
        QCOMPARE(hole.held.size(), 3);
    }

    void disableAndReEnable() {
        QVERIFY(registerHooks(m_sandbox, m_receiver,
                              {{u"message"_s, u"receive"_s}, {u"aeu_events"_s, u"received"_s}}));
        for (const QString &u : {u"D"_s, u"E"_s, u"F"_s})
            ectUser(u);
        m_receiver.setFailing(true);
        QCOMPARE(say(m_sandbox, u"D"_s, u"d1"_s).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!hookEnabled(u"message"_s, u"receive"_s), 5000);
        QCOMPARE(m_receiver.attempts().size(), 3); // the first try and two retries
        QVERIFY(hookEnabled(u"aeu_events"_s, u"received"_s));

        const auto event = [this](const QString &user) {
            return m_sandbox
                .post(u"/sandbox/events"_s, {{u"user_id"_s, user},
                                             {u"category"_s, u"aeu_events"_s},
                                             {u"subcategory"_s, u"received"_s}})
                .status;
        };
        // While disabled: D's later hooks (of any category) queue behind d1; E's
        // message waits for the registration and E's event behind it; F has
        // nothing queued, so its event goes out.
        QCOMPARE(say(m_sandbox, u"D"_s, u"d2"_s).status, 200);
        QCOMPARE(event(u"D"_s), 200);
        QCOMPARE(say(m_sandbox, u"D"_s, u"d3"_s).status, 200);
        QCOMPARE(say(m_sandbox, u"E"_s, u"e1"_s).status, 200);
        QCOMPARE(event(u"E"_s), 200);
        m_receiver.setFailing(false);
        QCOMPARE(event(u"F"_s), 200);
        QVERIFY(m_receiver.waitForHooks(1));
        QTest::qWait(500);
        QCOMPARE(describeAll(m_receiver.hooks()), QStringList{u"aeu_events/received"_s});
        QCOMPARE(userOf(m_receiver.hooks().first()), u"F"_s);
        QCOMPARE(m_receiver.attempts().size(), 4); // nothing was tried while disabled

        QJsonObject state = m_sandbox.state();
        const QList<QJsonObject> d = deliveriesFor(state, u"D"_s);
        QCOMPARE(d.at(2).value(u"status"_s).toString(), u"waiting"_s); // d1, the failed one
        QCOMPARE(d.at(2).value(u"attempts"_s).toInt(), 3);
        QCOMPARE(d.at(2).value(u"last_error"_s).toString(), u"HTTP 500"_s);
        QCOMPARE(d.at(3).value(u"status"_s).toString(), u"queued"_s);
        QCOMPARE(d.at(3).value(u"attempts"_s).toInt(), 0);
        QCOMPARE(deliveriesFor(state, u"E"_s).at(2).value(u"status"_s).toString(), u"waiting"_s);

        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        QVERIFY(m_receiver.waitForHooks(7));
        QTest::qWait(100);
        QCOMPARE(m_receiver.hooks().size(), 7);
        QCOMPARE(timeline(m_receiver, u"D"_s),
                 QStringList({u"ceu TEXT d1"_s, u"ceu TEXT d2"_s, u"aeu_events/received"_s,
                              u"ceu TEXT d3"_s}));
        QCOMPARE(timeline(m_receiver, u"E"_s),
                 QStringList({u"ceu TEXT e1"_s, u"aeu_events/received"_s}));
        QVERIFY(hookEnabled(u"message"_s, u"receive"_s));
        state = m_sandbox.state();
        QCOMPARE(deliveriesFor(state, u"D"_s).at(2).value(u"attempts"_s).toInt(), 4);
        for (const QJsonValue &v : state.value(u"deliveries"_s).toArray()) {
            const QString status = v.toObject().value(u"status"_s).toString();
            QVERIFY2(status == u"delivered"_s || status == u"skipped"_s, qPrintable(status));
        }
    }

    // A hook disabled again after re-registration gets a full schedule again.
    void scheduleRestartsAfterReEnable() {
        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        ectUser(u"G"_s);
        m_receiver.setFailing(true);
        QCOMPARE(say(m_sandbox, u"G"_s, u"g1"_s).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!hookEnabled(u"message"_s, u"receive"_s), 5000);
        QCOMPARE(m_receiver.attempts().size(), 3);
        QVERIFY(registerHooks(m_sandbox, m_receiver, {{u"message"_s, u"receive"_s}}));
        QTRY_VERIFY_WITH_TIMEOUT(!hookEnabled(u"message"_s, u"receive"_s), 5000);
        QCOMPARE(m_receiver.attempts().size(), 6);
        QCOMPARE(deliveriesFor(m_sandbox.state(), u"G"_s).last().value(u"attempts"_s).toInt(), 6);
    }
};

QTEST_GUILESS_MAIN(SandboxDeliveryTest)
#include "tst_sandbox_delivery.moc"
