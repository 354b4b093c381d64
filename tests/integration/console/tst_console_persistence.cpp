// Redeliveries are stored once (same message_id; same content and timestamp
// without one; same timestamped event), and a restart on the same --data-dir
// keeps everything: the export before and after is byte-for-byte equal.

#include "ConsoleTestKit.h"

#include <QDir>
#include <QTemporaryDir>

using namespace consoletest;

class ConsolePersistenceTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    ConsoleProcess m_console;
    QByteArray m_secret;

    QString database() const { return QDir(m_dir.path()).filePath(u"console.sqlite"_s); }
    QByteArray path(const QString &c, const QString &s) const { return hookPath(m_secret, c, s); }

    int post(const QByteArray &p, const QJsonObject &body) {
        const RawReply r = postJson(m_console.port(), p, compact(body));
        return r.status;
    }

    QStringList texts(const QString &userId) {
        const auto exported = ConsoleProcess::exportData(m_dir.path());
        QStringList out;
        for (const QJsonValue &v :
             exportedThread(exported.json, userId).value(u"messages"_s).toArray())
            out.append(v.toObject().value(u"sender"_s).toString() + u' ' + textOf(v.toObject()));
        return out;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_sandbox.start(fastSandboxArgs()), qPrintable(m_sandbox.errorString()));
        QVERIFY2(m_console.start(m_sandbox.baseUrl(), m_dir.path()),
                 qPrintable(m_console.errorString()));
        QVERIFY2(m_console.waitForHookLines(15), m_console.output().constData());
        m_secret = registeredPathSecret(m_sandbox);
        QVERIFY(!m_secret.isEmpty());
    }

    void sameMessageIdStoredOnce() {
        const QByteArray msg = path(u"message"_s, u"receive"_s);
        const QJsonObject hook =
            messageHook(u"re-1"_s, u"ceu"_s, u"first"_s, 41, u"2024-05-01T10:00:00.250Z"_s);
        QCOMPARE(post(msg, hook), 200);
        QCOMPARE(post(msg, hook), 200); // TRACT never saw the first ack
        // "41" and 41 are the same id; a changed timestamp does not make it new.
        QJsonObject asString = hook;
        asString.insert(u"message_id"_s, u"41"_s);
        asString.insert(u"timestamp"_s, u"2024-05-01T10:00:05Z"_s);
        QCOMPARE(post(msg, asString), 200);
        QCOMPARE(
            post(msg, messageHook(u"re-1"_s, u"ceu"_s, u"second"_s, 42, u"2024-05-01T10:00:01Z"_s)),
            200);
        QCOMPARE(texts(u"re-1"_s), (QStringList{u"ceu first"_s, u"ceu second"_s}));
        // The same id in another conversation is another message.
        QCOMPARE(post(msg, messageHook(u"re-1"_s, u"ceu"_s, u"first"_s, 41,
                                       u"2024-05-01T10:00:00.250Z"_s, u"2"_s)),
                 200);
        const auto exported = ConsoleProcess::exportData(m_dir.path());
        QCOMPARE(
            exportedThread(exported.json, u"re-1"_s, u"2"_s).value(u"messages"_s).toArray().size(),
            1);
    }

    void sameContentAndTimestampStoredOnce() {
        // The spec's revision has no message_id: content, sender and timestamp
        // identify a redelivery.
        const QByteArray msg = path(u"message"_s, u"receive"_s);
        const QJsonObject hook =
            messageHook(u"re-2"_s, u"iva"_s, u"no id"_s, {}, u"2024-05-01T11:00:00Z"_s);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(post(msg, hook), 200);
        // Same words a second later: a new message. Another sender: new too.
        QCOMPARE(
            post(msg, messageHook(u"re-2"_s, u"iva"_s, u"no id"_s, {}, u"2024-05-01T11:00:01Z"_s)),
            200);
        QCOMPARE(
            post(msg, messageHook(u"re-2"_s, u"ceu"_s, u"no id"_s, {}, u"2024-05-01T11:00:01Z"_s)),
            200);
        // message_body as serialized HSL is the same content as the object.
        QJsonObject serialized = hook;
        serialized.insert(u"message_body"_s, QString::fromUtf8(compact(textHsl(u"no id"_s))));
        QCOMPARE(post(msg, serialized), 200);
        QCOMPARE(texts(u"re-2"_s), (QStringList{u"iva no id"_s, u"iva no id"_s, u"ceu no id"_s}));
    }

    void sameTimestampedEventStoredOnce() {
        const QByteArray p = path(u"aeu_events"_s, u"allocated"_s);
        const QJsonObject event{{u"user_id"_s, u"re-1"_s},
                                {u"conversation_number"_s, u"1"_s},
                                {u"type"_s, u"aeu_events"_s},
                                {u"subtype"_s, u"allocated"_s},
                                {u"metadata"_s, u"{\"agent\":\"a1\"}"_s},
                                {u"timestamp"_s, u"2024-05-01T10:00:02Z"_s}};
        QCOMPARE(post(p, event), 200);
        QCOMPARE(post(p, event), 200);
        QJsonObject later = event;
        later.insert(u"timestamp"_s, u"2024-05-01T10:00:03Z"_s);
        QCOMPARE(post(p, later), 200);
        const auto exported = ConsoleProcess::exportData(m_dir.path());
        const QJsonArray events =
            exportedThread(exported.json, u"re-1"_s).value(u"events"_s).toArray();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).toObject().value(u"timestamp"_s).toString(),
                 u"2024-05-01T10:00:02.000Z"_s);
        QCOMPARE(events.at(1).toObject().value(u"timestamp"_s).toString(),
                 u"2024-05-01T10:00:03.000Z"_s);
    }

    void redeliveredCreateUserKeepsItsId() {
        const QByteArray p = path(u"user_events"_s, u"create_user"_s);
        const QJsonObject hook{{u"user_id"_s, u"re-1"_s}, {u"user_name"_s, u"Chen Wei"_s}};
        const RawReply first = postJson(m_console.port(), p, compact(hook));
        const RawReply second = postJson(m_console.port(), p, compact(hook));
        QCOMPARE(first.status, 200);
        QCOMPARE(second.status, 200);
        QVERIFY(!first.json.value(u"ect_user_id"_s).toString().isEmpty());
        QCOMPARE(second.json.value(u"ect_user_id"_s), first.json.value(u"ect_user_id"_s));
        const auto rows =
            queryRows(database(), u"SELECT COUNT(*) FROM events WHERE user_id = 're-1' AND "
                                  "category = 'user_events'"_s);
        QCOMPARE(rows.value(0).value(0).toInt(), 1);
    }

    void restartKeepsEverything() {
        // Also something the sandbox delivered, with a bot answer.
        QCOMPARE(
            m_sandbox
                .post(u"/sandbox/messages"_s, {{u"user_id"_s, u"re-3"_s}, {u"text"_s, u"hello"_s}})
                .status,
            200);
        VERIFY_DELIVERED(m_sandbox, 3, 10000);
        const auto before = ConsoleProcess::exportData(m_dir.path());
        QCOMPARE(before.exitCode, 0);
        const auto textBefore = ConsoleProcess::exportData(m_dir.path(), u"all"_s, u"text"_s);
        const auto countsBefore = tableCounts(database());
        QVERIFY(countsBefore.value(u"messages"_s) >= 8);
        const QString ectUserId =
            findUser(m_sandbox.state(), u"re-3"_s).value(u"ect_user_id"_s).toString();
        QVERIFY(!ectUserId.isEmpty());

        m_console.stop();
        QVERIFY2(m_console.start(m_sandbox.baseUrl(), m_dir.path()),
                 qPrintable(m_console.errorString()));
        QVERIFY2(m_console.waitForHookLines(15), m_console.output().constData());
        for (const QString &line : m_console.hookLines())
            QVERIFY2(line.endsWith(u": registered"_s), qPrintable(line));
        // Same secret after the restart: TRACT's URLs stay valid.
        QCOMPARE(registeredPathSecret(m_sandbox), m_secret);

        const auto after = ConsoleProcess::exportData(m_dir.path());
        QCOMPARE(after.exitCode, 0);
        QCOMPARE(after.out, before.out);
        QCOMPARE(ConsoleProcess::exportData(m_dir.path(), u"all"_s, u"text"_s).out, textBefore.out);
        QCOMPARE(tableCounts(database()), countsBefore);
        const auto rows =
            queryRows(database(), u"SELECT ect_user_id FROM users WHERE user_id = 're-3'"_s);
        QCOMPARE(rows.value(0).value(0).toString(), ectUserId);

        // Deduplication survives the restart too.
        QCOMPARE(
            post(path(u"message"_s, u"receive"_s),
                 messageHook(u"re-1"_s, u"ceu"_s, u"first"_s, 41, u"2024-05-01T10:00:00.250Z"_s)),
            200);
        QCOMPARE(post(path(u"message"_s, u"receive"_s),
                      messageHook(u"re-2"_s, u"iva"_s, u"no id"_s, {}, u"2024-05-01T11:00:00Z"_s)),
                 200);
        QCOMPARE(ConsoleProcess::exportData(m_dir.path()).out, before.out);
    }

    void cleanupTestCase() {
        m_console.stop();
        m_sandbox.stop();
    }
};

QTEST_GUILESS_MAIN(ConsolePersistenceTest)
#include "tst_console_persistence.moc"
