// `tract-sandbox --scenario demo` end to end, with a real hook receiver acting
// as the ECT: six users appear (create_user before their first message), reach
// their states, the bot shows every HSL element type, and users end up with
// several owners. Then the simulated users answer an agent after a delay.

#include "SandboxTestKit.h"

#include <QElapsedTimer>
#include <QSet>

using namespace sbtest;

namespace {
const QStringList kUsers{u"asha"_s, u"ben"_s, u"chen"_s, u"dana"_s, u"elif"_s, u"farid"_s};
}

class SandboxScenarioTest : public QObject {
    Q_OBJECT
    SandboxProcess m_sandbox;
    HookReceiver m_receiver;

    bool sawCeu(const QString &user, const QString &type) const {
        for (const Hook &h : hooksForUser(m_receiver.hooks(), user)) {
            if (h.json.value(u"sender"_s).toString() == u"ceu"_s &&
                h.json.value(u"message_body"_s).toObject().value(u"type"_s).toString() == type)
                return true;
        }
        return false;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_receiver.listen());
        m_receiver.setPolicy([](const Hook &h, int) {
            if (h.subcategory == u"create_user"_s)
                return http::Response::json(
                    200, {{u"success"_s, true}, {u"ect_user_id"_s, u"case-"_s + userOf(h)}});
            return http::Response::json(200, {{u"success"_s, true}});
        });
        QVERIFY2(m_sandbox.start({u"--scenario"_s, u"demo"_s, u"--bot-delay"_s, u"100"_s,
                                  u"--user-reply-delay"_s, u"300"_s, u"--hook-timeout"_s, u"2000"_s,
                                  u"--retry-schedule"_s, u"0.2"_s}),
                 qPrintable(m_sandbox.errorString()));
    }

    void waitsForTheEct() {
        QTest::qWait(300);
        QCOMPARE(m_sandbox.state().value(u"users"_s).toArray().size(), 0);
        QVERIFY(registerHooks(m_sandbox, m_receiver));
        QTRY_COMPARE_WITH_TIMEOUT(m_sandbox.state().value(u"users"_s).toArray().size(), 6, 3000);
    }

    void playsToTheEnd() {
        // The last step is farid's photo (about 26 s in); the bot answers it.
        QTRY_VERIFY_WITH_TIMEOUT(sawCeu(u"farid"_s, u"CAROUSEL"_s), 45000);
        QTRY_COMPARE_WITH_TIMEOUT(describe(hooksForUser(m_receiver.hooks(), u"farid"_s).last()),
                                  u"iva TEXT"_s, 5000);
        QTest::qWait(300);
        QCOMPARE(m_sandbox.process().state(), QProcess::Running);
    }

    void everyUserCreatedBeforeTheirFirstMessage() {
        const QList<Hook> &hooks = m_receiver.hooks();
        QSet<QString> created;
        for (const Hook &h : hooks) {
            const QString user = userOf(h);
            if (h.subcategory == u"create_user"_s) {
                QVERIFY2(!created.contains(user), qPrintable(user)); // once
                created.insert(user);
            } else {
                QVERIFY2(created.contains(user), qPrintable(describe(h) + u" for "_s + user));
            }
        }
        QCOMPARE(created, QSet<QString>(kUsers.begin(), kUsers.end()));
        // Order holds per user only (users' hooks travel on different
        // connections), so find Asha's create_user rather than the first one.
        QJsonObject asha;
        for (const Hook &h : m_receiver.hooksOf(u"user_events"_s)) {
            if (h.json.value(u"user_id"_s).toString() == u"asha"_s)
                asha = h.json;
        }
        QCOMPARE(asha.value(u"user_id"_s).toString(), u"asha"_s);
        QCOMPARE(asha.value(u"user_name"_s).toString(), u"Asha Rao"_s);
        QCOMPARE(asha.value(u"device_platform"_s).toString(), u"14"_s);
        QCOMPARE(asha.value(u"details_available"_s).toArray().size(), 5);
        // The ECT's ids were kept and come back in later event hooks.
        const QJsonObject state = m_sandbox.state();
        for (const QString &u : kUsers)
            QCOMPARE(findUser(state, u).value(u"ect_user_id"_s).toString(), u"case-"_s + u);
        for (const Hook &h : hooks) {
            if (h.category != u"message"_s && h.category != u"user_events"_s)
                QCOMPARE(h.json.value(u"ect_user_id"_s).toString(), u"case-"_s + userOf(h));
        }
        // Every hook was acknowledged on the first try.
        for (const QJsonValue &v : state.value(u"deliveries"_s).toArray()) {
            QCOMPARE(v.toObject().value(u"status"_s).toString(), u"delivered"_s);
            QCOMPARE(v.toObject().value(u"attempts"_s).toInt(), 1);
        }
        QCOMPARE(m_receiver.attempts().size(), m_receiver.hooks().size());
    }

    void usersReachTheirStates() {
        // The event hooks each user got, in order.
        const auto events = [this](const QString &user) {
            QStringList out;
            for (const QString &d : timeline(m_receiver, user)) {
                if (d.contains(u'/'))
                    out << d;
            }
            return out;
        };
        QCOMPARE(events(u"dana"_s), QStringList({u"conversation_state/complete"_s}));
        QCOMPARE(events(u"ben"_s), QStringList({u"conversation_state/incomplete"_s}));
        QCOMPARE(events(u"chen"_s), QStringList({u"conversation_state/incomplete"_s}));
        QCOMPARE(events(u"elif"_s),
                 QStringList({u"thread_control/take iva>sac by sac"_s, u"aeu_events/allocated"_s}));
        QCOMPARE(events(u"asha"_s), QStringList());
        QCOMPARE(events(u"farid"_s), QStringList());
        const QJsonObject allocated =
            m_receiver.hooksOf(u"aeu_events"_s, u"allocated"_s).first().json;
        QCOMPARE(
            parse(allocated.value(u"metadata"_s).toString().toUtf8()),
            QJsonObject({{u"agent"_s, u"Priya (Smart Agent Chat)"_s}, {u"team"_s, u"Billing"_s}}));

        const QJsonObject state = m_sandbox.state();
        const auto is = [&](const QString &user, const QString &owner, const QString &conv) {
            const QJsonObject u = findUser(state, user);
            return u.value(u"owner"_s).toString() == owner &&
                   u.value(u"conversation_state"_s).toString() == conv &&
                   u.value(u"conversation_number"_s).toString() == u"1"_s;
        };
        QVERIFY(is(u"dana"_s, u"iva"_s, u"complete"_s));
        QVERIFY(is(u"ben"_s, u"iva"_s, u"incomplete"_s));
        QVERIFY(is(u"chen"_s, u"iva"_s, u"incomplete"_s));
        QVERIFY(is(u"elif"_s, u"sac"_s, u"bot"_s));
        QVERIFY(is(u"asha"_s, u"iva"_s, u"bot"_s));
        QVERIFY(is(u"farid"_s, u"iva"_s, u"bot"_s));

        // A plan chosen from the carousel leads to the address form.
        QCOMPARE(timeline(m_receiver, u"asha"_s),
                 QStringList({u"create_user"_s, u"ceu TEXT Hi"_s, u"iva TEXT"_s,
                              u"ceu TEXT See plans"_s, u"iva CAROUSEL"_s, u"iva TEXT"_s,
                              u"ceu TEXT I choose the Plus plan"_s, u"iva TEXT"_s, u"iva FORM"_s}));
        // Once handed over, the bot no longer answers chen.
        const QStringList chen = timeline(m_receiver, u"chen"_s);
        QCOMPARE(chen.last(), u"ceu TEXT Hello? Is anyone there? *This is urgent*"_s);
        // SAC owns elif: the bot answered only before the takeover.
        const QStringList elif = timeline(m_receiver, u"elif"_s);
        QCOMPARE(elif,
                 QStringList({u"create_user"_s, u"ceu TEXT Hello, I need help with my invoice"_s,
                              u"iva BUTTON"_s, u"thread_control/take iva>sac by sac"_s,
                              u"aeu_events/allocated"_s}));
    }

    void botUsedEveryElementType() {
        QSet<QString> types;
        bool quickReplies = false, image = false, cards = false;
        for (const Hook &h : m_receiver.hooksOf(u"message"_s)) {
            if (h.json.value(u"sender"_s).toString() != u"iva"_s)
                continue;
            const QJsonObject body = h.json.value(u"message_body"_s).toObject();
            const QString type = body.value(u"type"_s).toString();
            types.insert(type);
            const QJsonObject data = body.value(u"data"_s).toObject();
            if (type == u"TEXT"_s && !data.value(u"quick_replies"_s).toArray().isEmpty())
                quickReplies = true;
            if (type == u"CAROUSEL"_s) {
                const QJsonArray items = data.value(u"items"_s).toArray();
                const QString url = items.first()
                                        .toObject()
                                        .value(u"thumbnail"_s)
                                        .toObject()
                                        .value(u"image"_s)
                                        .toString();
                QVERIFY2(url.startsWith(m_sandbox.baseUrl().toString() + u"/sandbox/media/"_s),
                         qPrintable(url));
                (items.size() == 1 ? image : cards) = true;
            }
        }
        QCOMPARE(types,
                 QSet<QString>({u"TEXT"_s, u"BUTTON"_s, u"CAROUSEL"_s, u"FORM"_s, u"SYSTEM"_s}));
        QVERIFY(quickReplies);
        QVERIFY(image);
        QVERIFY(cards);
        // The media the bot links to is served.
        const auto svg = m_sandbox.get(u"/sandbox/media/store.svg"_s);
        QCOMPARE(svg.status, 200);
        QVERIFY(svg.body.contains("<svg"));
    }

    // The ECT takes ben: now users have three different owners; ben answers the
    // agent after the configured delay, picking the agent's quick reply.
    void severalOwnersAndSimulatedReplies() {
        QCOMPARE(control(m_sandbox, u"ben"_s, u"take"_s, u"demo"_s, u"demo"_s).json,
                 QJsonObject({{u"success"_s, true}}));
        QSet<QString> owners;
        for (const QJsonValue &v : m_sandbox.state().value(u"users"_s).toArray())
            owners.insert(v.toObject().value(u"owner"_s).toString());
        QCOMPARE(owners, QSet<QString>({u"iva"_s, u"sac"_s, u"demo"_s}));

        QTRY_COMPARE(timeline(m_receiver, u"ben"_s).last(),
                     u"thread_control/take iva>demo by demo"_s);
        const qsizetype before = m_receiver.hooks().size();
        QElapsedTimer clock;
        clock.start();
        const QJsonObject agentText{
            {u"type"_s, u"TEXT"_s},
            {u"text"_s, u"Hi Ben, I can see your refund. Shall I escalate it?"_s},
            {u"data"_s,
             QJsonObject{{u"quick_replies"_s,
                          QJsonArray{QJsonObject{
                              {u"actionable_text"_s, u"Yes please"_s},
                              {u"is_default"_s, 0},
                              {u"type"_s, u"TEXT_ONLY"_s},
                              {u"payload"_s, QJsonObject{{u"message"_s, u"Yes please"_s},
                                                         {u"gogo_message"_s, u""_s}}}}}}}}};
        const auto r =
            m_sandbox.tract("POST", u"/tract/message/send/"_s,
                            {{u"user_id"_s, u"ben"_s},
                             {u"sender"_s, u"aeu"_s},
                             {u"message_body"_s, QString::fromUtf8(compact(agentText))}});
        QCOMPARE(r.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(m_receiver.hooks().size() > before, 3000);
        QVERIFY2(clock.elapsed() >= 280, qPrintable(QString::number(clock.elapsed())));
        const QStringList ben = timeline(m_receiver, u"ben"_s);
        QCOMPARE(ben.mid(ben.size() - 2), QStringList({u"thread_control/take iva>demo by demo"_s,
                                                       u"ceu TEXT Yes please"_s}));

        // At most three automatic answers per conversation.
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(m_sandbox
                         .tract("POST", u"/tract/message/send/"_s,
                                {{u"user_id"_s, u"ben"_s},
                                 {u"sender"_s, u"aeu"_s},
                                 {u"message_body"_s, u"{\"type\":\"TEXT\",\"text\":\"ok\"}"_s}})
                         .status,
                     200);
        }
        QTest::qWait(900);
        int answers = 0;
        for (const QString &d : timeline(m_receiver, u"ben"_s).mid(ben.size()))
            answers += d.startsWith(u"ceu "_s) ? 1 : 0;
        QCOMPARE(answers, 2); // 1 above + 2 more = 3
        // The bot stays quiet while the ECT owns the thread.
        for (const QString &d : timeline(m_receiver, u"ben"_s).mid(ben.size()))
            QVERIFY2(!d.startsWith(u"iva"_s), qPrintable(d));
    }
};

QTEST_GUILESS_MAIN(SandboxScenarioTest)
#include "tst_sandbox_scenario.moc"
