// tract-sandbox thread control over real HTTP, in both rule sets: the permissive
// default and --strict-thread-control (Haptik's documented rules). Every
// ownership change must arrive as a thread_control/take|pass|request hook whose
// metadata is {"from","to","requester"}.

#include "SandboxTestKit.h"

#include <QElapsedTimer>

using namespace sbtest;

class SandboxThreadControlTest : public QObject {
    Q_OBJECT
    SandboxProcess m_sandbox; // permissive
    SandboxProcess m_strict;
    HookReceiver m_receiver;
    HookReceiver m_strictReceiver;

    static QJsonObject refusal(const QString &code, const QString &message) {
        return {{u"success"_s, false},
                {u"reason"_s, QJsonObject{{u"code"_s, code}, {u"message"_s, message}}}};
    }
    static QJsonObject success() { return {{u"success"_s, true}}; }

    // Creates `user` owned by `owner` and forgets the hooks that caused.
    static void newUser(const SandboxProcess &sandbox, HookReceiver &receiver, const QString &user,
                        const QString &owner = u"iva"_s) {
        QCOMPARE(sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, user}}).status, 201);
        int expected = 1;
        if (owner != u"iva"_s) {
            QCOMPARE(
                sandbox.post(u"/sandbox/owner"_s, {{u"user_id"_s, user}, {u"receiver"_s, owner}})
                    .status,
                200);
            ++expected;
        }
        QVERIFY(receiver.waitForHooks(expected));
        receiver.clear();
    }
    static QStringList activeListeners(const SandboxProcess &sandbox, const QString &user) {
        QStringList active;
        const auto r =
            sandbox.tract("POST", u"/tract/thread_control/listeners/"_s, {{u"user_id"_s, user}});
        for (const QJsonValue &v : r.json.value(u"listeners"_s).toArray()) {
            if (v.toObject().value(u"active"_s).toBool())
                active << v.toObject().value(u"id"_s).toString();
        }
        return active;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_receiver.listen());
        QVERIFY(m_strictReceiver.listen());
        QVERIFY2(m_sandbox.start(fastArgs()), qPrintable(m_sandbox.errorString()));
        QVERIFY2(m_strict.start(fastArgs() << u"--strict-thread-control"_s),
                 qPrintable(m_strict.errorString()));
        QCOMPARE(m_sandbox.state().value(u"strict_thread_control"_s).toBool(), false);
        QCOMPARE(m_strict.state().value(u"strict_thread_control"_s).toBool(), true);
    }

    void init() {
        for (auto *pair : {&m_sandbox, &m_strict})
            QVERIFY(resetSandbox(*pair));
        QTest::qWait(30); // let hooks of the previous test still in flight land
        QVERIFY(registerHooks(m_sandbox, m_receiver));
        QVERIFY(registerHooks(m_strict, m_strictReceiver));
        m_receiver.clear();
        m_strictReceiver.clear();
    }

    // --- permissive ------------------------------------------------------------

    void newUsersStartWithTheBot() {
        newUser(m_sandbox, m_receiver, u"n1"_s);
        QCOMPARE(ownerOf(m_sandbox, u"n1"_s), u"iva"_s);
        QCOMPARE(activeListeners(m_sandbox, u"n1"_s), QStringList{u"iva"_s});
    }

    void takeAndPass() {
        newUser(m_sandbox, m_receiver, u"p1"_s);
        QCOMPARE(control(m_sandbox, u"p1"_s, u"take"_s, u"demo"_s, u"demo"_s).json, success());
        QCOMPARE(ownerOf(m_sandbox, u"p1"_s), u"demo"_s);
        QCOMPARE(activeListeners(m_sandbox, u"p1"_s), QStringList{u"demo"_s});
        // Taking what one owns changes nothing and sends nothing.
        QCOMPARE(control(m_sandbox, u"p1"_s, u"take"_s, u"demo"_s, u"demo"_s).json, success());
        QCOMPARE(control(m_sandbox, u"p1"_s, u"pass"_s, u"demo"_s, u"sac"_s).json, success());
        QCOMPARE(activeListeners(m_sandbox, u"p1"_s), QStringList{u"sac"_s});
        // SAC is primary and may take back... and the ECT may take from SAC here.
        QCOMPARE(control(m_sandbox, u"p1"_s, u"take"_s, u"demo"_s, u"demo"_s).json, success());
        QVERIFY(m_receiver.waitForHooks(3));
        QTest::qWait(100);
        QCOMPARE(timeline(m_receiver, u"p1"_s),
                 QStringList({u"thread_control/take iva>demo by demo"_s,
                              u"thread_control/pass demo>sac by demo"_s,
                              u"thread_control/take sac>demo by demo"_s}));
        const Hook take = m_receiver.hooks().first();
        QCOMPARE(take.path, "/hooks/thread_control/take"_ba);
        QCOMPARE(take.json.value(u"type"_s).toString(), u"thread_control"_s);
        QCOMPARE(take.json.value(u"subtype"_s).toString(), u"take"_s);
        QCOMPARE(take.json.value(u"metadata"_s).toString(),
                 u"{\"from\":\"iva\",\"requester\":\"demo\",\"to\":\"demo\"}"_s);
        QCOMPARE(take.json.value(u"conversation_number"_s).toString(), u"1"_s);
    }

    void onlyOwnerMessagesTheUser() {
        newUser(m_sandbox, m_receiver, u"o1"_s);
        const QJsonObject message{
            {u"user_id"_s, u"o1"_s},
            {u"sender"_s, u"aeu"_s},
            {u"message_body"_s, u"{\"type\":\"TEXT\",\"text\":\"Hi, Ann here\"}"_s}};
        auto r = m_sandbox.tract("POST", u"/tract/message/send/"_s, message);
        QCOMPARE(r.status, 403);
        QVERIFY2(r.json.value(u"error"_s).toString().contains(u"owned by 'iva'"_s), r.body);
        QCOMPARE(control(m_sandbox, u"o1"_s, u"take"_s, u"demo"_s, u"demo"_s).json, success());
        r = m_sandbox.tract("POST", u"/tract/message/send/"_s, message);
        QCOMPARE(r.status, 200);
        QCOMPARE(control(m_sandbox, u"o1"_s, u"pass"_s, u"demo"_s, u"sac"_s).json, success());
        r = m_sandbox.tract("POST", u"/tract/message/send/"_s, message);
        QCOMPARE(r.status, 403);
        QVERIFY2(r.json.value(u"error"_s).toString().contains(u"owned by 'sac'"_s), r.body);
    }

    void passToBotCompletesConversation() {
        newUser(m_sandbox, m_receiver, u"c1"_s, u"demo"_s);
        QCOMPARE(control(m_sandbox, u"c1"_s, u"pass"_s, u"demo"_s, u"iva"_s).json, success());
        QVERIFY(m_receiver.waitForHooks(2));
        QCOMPARE(timeline(m_receiver, u"c1"_s),
                 QStringList({u"thread_control/pass demo>iva by demo"_s,
                              u"conversation_state/complete"_s}));
        QJsonObject u = findUser(m_sandbox.state(), u"c1"_s);
        QCOMPARE(u.value(u"owner"_s).toString(), u"iva"_s);
        QCOMPARE(u.value(u"conversation_state"_s).toString(), u"complete"_s);
        QCOMPARE(u.value(u"conversation_number"_s).toString(), u"1"_s);

        // The user's next message opens conversation 2, with the bot.
        m_receiver.clear();
        QCOMPARE(say(m_sandbox, u"c1"_s, u"hi again"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(3));
        QCOMPARE(timeline(m_receiver, u"c1"_s),
                 QStringList({u"conversation_state/bot"_s, u"ceu TEXT hi again"_s, u"iva TEXT"_s}));
        for (const Hook &h : m_receiver.hooks())
            QCOMPARE(h.json.value(u"conversation_number"_s).toString(), u"2"_s);
        u = findUser(m_sandbox.state(), u"c1"_s);
        QCOMPARE(u.value(u"conversation_number"_s).toString(), u"2"_s);
        QCOMPARE(u.value(u"conversation_state"_s).toString(), u"bot"_s);
    }

    void requestIsGrantedAfterTheDelay() {
        newUser(m_sandbox, m_receiver, u"r1"_s);
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(control(m_sandbox, u"r1"_s, u"request"_s, u"demo"_s, u"demo"_s).json, success());
        QCOMPARE(ownerOf(m_sandbox, u"r1"_s), u"iva"_s); // not yet: the bot thinks first
        QVERIFY(m_receiver.waitForHooks(1));
        QVERIFY2(clock.elapsed() >= 140, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(ownerOf(m_sandbox, u"r1"_s), u"demo"_s);
        QCOMPARE(timeline(m_receiver, u"r1"_s),
                 QStringList{u"thread_control/request iva>demo by demo"_s});

        // SAC grants requests too.
        QCOMPARE(control(m_sandbox, u"r1"_s, u"pass"_s, u"demo"_s, u"sac"_s).json, success());
        QCOMPARE(control(m_sandbox, u"r1"_s, u"request"_s, u"demo"_s, u"demo"_s).json, success());
        QVERIFY(m_receiver.waitForHooks(3));
        QCOMPARE(timeline(m_receiver, u"r1"_s),
                 QStringList({u"thread_control/request iva>demo by demo"_s,
                              u"thread_control/pass demo>sac by demo"_s,
                              u"thread_control/request sac>demo by demo"_s}));
    }

    void requestLapsesWhenOwnerChangesMeanwhile() {
        newUser(m_sandbox, m_receiver, u"r2"_s);
        QCOMPARE(control(m_sandbox, u"r2"_s, u"request"_s, u"demo"_s, u"demo"_s).json, success());
        QCOMPARE(control(m_sandbox, u"r2"_s, u"take"_s, u"sac"_s, u"sac"_s).json, success());
        QTest::qWait(400);
        QCOMPARE(ownerOf(m_sandbox, u"r2"_s), u"sac"_s);
        QCOMPARE(timeline(m_receiver, u"r2"_s),
                 QStringList{u"thread_control/take iva>sac by sac"_s});
    }

    void refusals_data() {
        QTest::addColumn<QString>("owner");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("requester");
        QTest::addColumn<QString>("receiver");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("pass by a non-owner")
            << u"iva"_s << u"pass"_s << u"demo"_s << u"sac"_s << u"not_owner"_s
            << u"only the owner (iva) may pass control"_s;
        QTest::newRow("pass to oneself")
            << u"demo"_s << u"pass"_s << u"demo"_s << u"demo"_s << u"same_receiver"_s
            << u"'demo' already owns this thread"_s;
        QTest::newRow("request by the owner")
            << u"demo"_s << u"request"_s << u"demo"_s << u"demo"_s << u"already_owner"_s
            << u"'demo' already owns this thread"_s;
        QTest::newRow("request from the ECT")
            << u"demo"_s << u"request"_s << u"sac"_s << u"sac"_s << u"owner_declined"_s
            << u"the owner (demo) does not answer control requests"_s;
        QTest::newRow("unknown requester")
            << u"iva"_s << u"take"_s << u"mallory"_s << u"demo"_s << u"unknown_requester"_s
            << u"'mallory' is not a listener on this thread"_s;
        QTest::newRow("unknown receiver")
            << u"demo"_s << u"pass"_s << u"demo"_s << u"bob"_s << u"unknown_receiver"_s
            << u"'bob' is not a listener on this thread"_s;
    }

    void refusals() {
        QFETCH(QString, owner);
        QFETCH(QString, type);
        QFETCH(QString, requester);
        QFETCH(QString, receiver);
        QFETCH(QString, code);
        QFETCH(QString, message);
        newUser(m_sandbox, m_receiver, u"x1"_s, owner);
        const auto r = control(m_sandbox, u"x1"_s, type, requester, receiver);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, refusal(code, message));
        QTest::qWait(250); // longer than the grant delay
        QCOMPARE(ownerOf(m_sandbox, u"x1"_s), owner);
        QCOMPARE(m_receiver.attempts().size(), 0);
    }

    void botHandoffInPermissiveMode() {
        QCOMPARE(say(m_sandbox, u"h1"_s, u"I want to talk to a person"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(5));
        QCOMPARE(timeline(m_receiver, u"h1"_s),
                 QStringList({u"create_user"_s, u"ceu TEXT I want to talk to a person"_s,
                              u"iva TEXT"_s, u"iva SYSTEM"_s, u"conversation_state/incomplete"_s}));
        QCOMPARE(ownerOf(m_sandbox, u"h1"_s), u"iva"_s); // waits for an agent to take it
        QCOMPARE(control(m_sandbox, u"h1"_s, u"take"_s, u"demo"_s, u"demo"_s).json, success());
        QVERIFY(m_receiver.waitForHooks(6));
        QCOMPARE(describe(m_receiver.hooks().last()), u"thread_control/take iva>demo by demo"_s);
    }

    // Message hooks go out whoever owns the thread; the bot answers only its own.
    void messagesReachTheEctWhoeverOwns() {
        newUser(m_sandbox, m_receiver, u"w1"_s, u"sac"_s);
        newUser(m_sandbox, m_receiver, u"w2"_s, u"demo"_s);
        QCOMPARE(say(m_sandbox, u"w1"_s, u"hello sac"_s).status, 200);
        QCOMPARE(say(m_sandbox, u"w2"_s, u"hello ect"_s).status, 200);
        QVERIFY(m_receiver.waitForHooks(2));
        QTest::qWait(200); // well past the bot's delay
        QCOMPARE(timeline(m_receiver, u"w1"_s), QStringList{u"ceu TEXT hello sac"_s});
        QCOMPARE(timeline(m_receiver, u"w2"_s), QStringList{u"ceu TEXT hello ect"_s});
    }

    void controlApiOwnerChangeIsHooked() {
        newUser(m_sandbox, m_receiver, u"k1"_s);
        const auto r = m_sandbox.post(u"/sandbox/owner"_s,
                                      {{u"user_id"_s, u"k1"_s}, {u"receiver"_s, u"sac"_s}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, QJsonObject({{u"user_id"_s, u"k1"_s}, {u"owner"_s, u"sac"_s}}));
        QVERIFY(m_receiver.waitForHooks(1));
        QCOMPARE(timeline(m_receiver, u"k1"_s),
                 QStringList{u"thread_control/take iva>sac by sac"_s});
    }

    // --- strict ----------------------------------------------------------------

    void strictRefusals_data() {
        QTest::addColumn<QString>("owner");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("requester");
        QTest::addColumn<QString>("receiver");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        const QString takeMsg = u"only primary receivers (iva, sac) may take control"_s;
        QTest::newRow("ECT takes from the bot")
            << u"iva"_s << u"take"_s << u"demo"_s << u"demo"_s << u"take_not_allowed"_s << takeMsg;
        QTest::newRow("ECT takes from SAC")
            << u"sac"_s << u"take"_s << u"demo"_s << u"demo"_s << u"take_not_allowed"_s << takeMsg;
        QTest::newRow("ECT requests") << u"iva"_s << u"request"_s << u"demo"_s << u"demo"_s
                                      << u"request_unsupported"_s << u"request is not supported"_s;
        QTest::newRow("SAC requests") << u"demo"_s << u"request"_s << u"sac"_s << u"sac"_s
                                      << u"request_unsupported"_s << u"request is not supported"_s;
        QTest::newRow("ECT passes without owning")
            << u"iva"_s << u"pass"_s << u"demo"_s << u"sac"_s << u"not_owner"_s
            << u"only the owner (iva) may pass control"_s;
    }

    void strictRefusals() {
        QFETCH(QString, owner);
        QFETCH(QString, type);
        QFETCH(QString, requester);
        QFETCH(QString, receiver);
        QFETCH(QString, code);
        QFETCH(QString, message);
        newUser(m_strict, m_strictReceiver, u"s1"_s, owner);
        const auto r = control(m_strict, u"s1"_s, type, requester, receiver);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json, refusal(code, message));
        QTest::qWait(250);
        QCOMPARE(ownerOf(m_strict, u"s1"_s), owner);
        QCOMPARE(m_strictReceiver.attempts().size(), 0);
    }

    void strictAllowedMoves() {
        newUser(m_strict, m_strictReceiver, u"s2"_s);
        QCOMPARE(control(m_strict, u"s2"_s, u"take"_s, u"sac"_s, u"sac"_s).json, success());
        QCOMPARE(control(m_strict, u"s2"_s, u"pass"_s, u"sac"_s, u"demo"_s).json, success());
        QCOMPARE(control(m_strict, u"s2"_s, u"pass"_s, u"demo"_s, u"sac"_s).json, success());
        QCOMPARE(control(m_strict, u"s2"_s, u"take"_s, u"iva"_s, u"iva"_s).json, success());
        QCOMPARE(control(m_strict, u"s2"_s, u"pass"_s, u"iva"_s, u"demo"_s).json, success());
        QCOMPARE(control(m_strict, u"s2"_s, u"pass"_s, u"demo"_s, u"iva"_s).json, success());
        QVERIFY(m_strictReceiver.waitForHooks(8));
        QTest::qWait(100);
        QCOMPARE(
            timeline(m_strictReceiver, u"s2"_s),
            QStringList(
                {u"thread_control/take iva>sac by sac"_s, u"thread_control/pass sac>demo by sac"_s,
                 u"thread_control/pass demo>sac by demo"_s, u"thread_control/take sac>iva by iva"_s,
                 u"conversation_state/complete"_s, u"thread_control/pass iva>demo by iva"_s,
                 u"thread_control/pass demo>iva by demo"_s, u"conversation_state/complete"_s}));
        QCOMPARE(ownerOf(m_strict, u"s2"_s), u"iva"_s);
    }

    // Under the strict rules the ECT cannot take, so the bot passes on handoff.
    void strictHandoffPassesToTheEct() {
        QCOMPARE(say(m_strict, u"s3"_s, u"Can I speak to a representative?"_s).status, 200);
        QVERIFY(m_strictReceiver.waitForHooks(6));
        QCOMPARE(timeline(m_strictReceiver, u"s3"_s),
                 QStringList({u"create_user"_s, u"ceu TEXT Can I speak to a representative?"_s,
                              u"iva TEXT"_s, u"iva SYSTEM"_s, u"conversation_state/incomplete"_s,
                              u"thread_control/pass iva>demo by iva"_s}));
        QCOMPARE(ownerOf(m_strict, u"s3"_s), u"demo"_s);
        QCOMPARE(activeListeners(m_strict, u"s3"_s), QStringList{u"demo"_s});
        const auto r =
            m_strict.tract("POST", u"/tract/message/send/"_s,
                           {{u"user_id"_s, u"s3"_s},
                            {u"sender"_s, u"aeu"_s},
                            {u"message_body"_s, u"{\"type\":\"TEXT\",\"text\":\"Hi\"}"_s}});
        QCOMPARE(r.status, 200);
    }
};

QTEST_GUILESS_MAIN(SandboxThreadControlTest)
#include "tst_sandbox_threadcontrol.moc"
