// The headless console against the real sandbox: it registers every hook (its
// output lines and TRACT's list agree), answers create_user with an
// ect_user_id, and stores messages from every sender and every event.

#include "ConsoleTestKit.h"

#include <QDir>
#include <QSet>
#include <QTemporaryDir>

using namespace consoletest;

class ConsoleIngestTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    ConsoleProcess m_console;
    QByteArray m_secret;

    QString database() const { return QDir(m_dir.path()).filePath(u"console.sqlite"_s); }
    QByteArray path(const QString &category, const QString &subcategory) const {
        return hookPath(m_secret, category, subcategory);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_sandbox.start(fastSandboxArgs()), qPrintable(m_sandbox.errorString()));
        QVERIFY2(m_console.start(m_sandbox.baseUrl(), m_dir.path()),
                 qPrintable(m_console.errorString()));
    }

    void registersEveryHook() {
        QVERIFY2(m_console.waitForHookLines(15), m_console.output().constData());
        QStringList expected;
        for (const HookKind &k : allHookKinds())
            expected.append(u"hook %1/%2: registered"_s.arg(k.first, k.second));
        QStringList lines = m_console.hookLines();
        lines.sort();
        expected.sort();
        QCOMPARE(lines, expected);

        // TRACT's own list: the same 15, enabled, at <base>/hooks/<secret>/<cat>/<sub>.
        const QJsonArray listed = listedHooks(m_sandbox);
        QCOMPARE(listed.size(), 15);
        m_secret = registeredPathSecret(m_sandbox);
        QCOMPARE(m_secret.size(), 43); // 256 bits, base64url, no padding
        const QString base = m_console.baseUrl().toString();
        QSet<QString> seen;
        for (const QJsonValue &v : listed) {
            const QJsonObject h = v.toObject();
            const QString category = h.value(u"category"_s).toString();
            const QString subcategory = h.value(u"subcategory"_s).toString();
            QVERIFY2(allHookKinds().contains(HookKind{category, subcategory}),
                     qPrintable(category + u'/' + subcategory));
            QCOMPARE(h.value(u"url"_s).toString(),
                     base + QString::fromUtf8(path(category, subcategory)));
            QCOMPARE(h.value(u"enabled"_s).toBool(), true);
            seen.insert(category + u'/' + subcategory);
        }
        QCOMPARE(seen.size(), 15);

        // Nothing more is printed: no hook failed or flapped afterwards.
        QTest::qWait(300);
        QCOMPARE(m_console.hookLines().size(), 15);
    }

    void createUserRepliesWithEctUserId() {
        QVERIFY(!m_secret.isEmpty());
        const auto created = m_sandbox.post(
            u"/sandbox/users"_s, {{u"user_id"_s, u"ing-1"_s}, {u"user_name"_s, u"Asha Rao"_s}});
        QCOMPARE(created.status, 201);
        QTRY_VERIFY_WITH_TIMEOUT(
            !findUser(m_sandbox.state(), u"ing-1"_s).value(u"ect_user_id"_s).toString().isEmpty(),
            10000);
        const QString ectUserId =
            findUser(m_sandbox.state(), u"ing-1"_s).value(u"ect_user_id"_s).toString();
        QVERIFY2(ectUserId.startsWith(u"tc-"_s), qPrintable(ectUserId));

        // The console keeps the same id, and the user's data.
        const auto rows = queryRows(
            database(),
            u"SELECT ect_user_id, name, third_party_user_id FROM users WHERE user_id = ?"_s,
            {u"ing-1"_s});
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().value(0).toString(), ectUserId);
        QCOMPARE(rows.first().value(1).toString(), u"Asha Rao"_s);
        QCOMPARE(rows.first().value(2).toString(), u"tp-ing-1"_s);

        // Straight to the listener: the reply carries the id, and a redelivery
        // gets the same one.
        const QByteArray body =
            compact({{u"user_id"_s, u"ing-direct"_s},
                     {u"user_name"_s, u"Ben Okafor"_s},
                     {u"device_platform"_s, 14},
                     {u"details_available"_s,
                      QJsonArray{QJsonObject{{u"key"_s, u"email"_s}, {u"label"_s, u"Email"_s}}}}});
        const RawReply first =
            postJson(m_console.port(), path(u"user_events"_s, u"create_user"_s), body);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.json.value(u"success"_s).toBool(), true);
        const QString directId = first.json.value(u"ect_user_id"_s).toString();
        QVERIFY2(directId.startsWith(u"tc-"_s), first.body.constData());
        QCOMPARE(first.json.keys(), (QStringList{u"ect_user_id"_s, u"success"_s}));
        const RawReply again =
            postJson(m_console.port(), path(u"user_events"_s, u"create_user"_s), body);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json.value(u"ect_user_id"_s).toString(), directId);
        QVERIFY(directId != ectUserId);
    }

    void ingestsEverySender() {
        QVERIFY(!m_secret.isEmpty());
        // ceu and iva come from the sandbox: the user writes, the bot (owner) answers.
        QCOMPARE(m_sandbox
                     .post(u"/sandbox/messages"_s,
                           {{u"user_id"_s, u"ing-1"_s}, {u"text"_s, u"hello there"_s}})
                     .status,
                 200);
        VERIFY_DELIVERED(m_sandbox, 3, 10000); // create_user, ceu, iva+

        // haptik, ect and aeu the sandbox never sends: straight to the listener,
        // one of them with message_body as a string of serialized HSL (later revision).
        const QByteArray messagePath = path(u"message"_s, u"receive"_s);
        int nextId = 90001;
        for (const QString &sender : {u"haptik"_s, u"ect"_s, u"aeu"_s}) {
            QJsonObject hook = messageHook(u"ing-1"_s, sender, u"from "_s + sender, nextId++,
                                           u"2024-05-01T10:00:00.000Z"_s);
            if (sender == u"ect"_s)
                hook.insert(u"message_body"_s, QString::fromUtf8(compact(textHsl(u"from ect"_s))));
            const RawReply r = postJson(m_console.port(), messagePath, compact(hook));
            QCOMPARE(r.status, 200);
            QCOMPARE(r.body, QByteArray(R"({"success":true})"));
        }

        const auto exported = ConsoleProcess::exportData(m_dir.path());
        QCOMPARE(exported.exitCode, 0);
        const QJsonArray messages =
            exportedThread(exported.json, u"ing-1"_s).value(u"messages"_s).toArray();
        QMap<QString, QStringList> bySender;
        for (const QJsonValue &v : messages) {
            const QJsonObject m = v.toObject();
            QCOMPARE(m.value(u"direction"_s).toString(), u"in"_s);
            bySender[m.value(u"sender"_s).toString()].append(textOf(m));
        }
        QCOMPARE(bySender.keys(),
                 (QStringList{u"aeu"_s, u"ceu"_s, u"ect"_s, u"haptik"_s, u"iva"_s}));
        QCOMPARE(bySender.value(u"ceu"_s), QStringList{u"hello there"_s});
        QCOMPARE(bySender.value(u"haptik"_s), QStringList{u"from haptik"_s});
        QCOMPARE(bySender.value(u"ect"_s), QStringList{u"from ect"_s});
        QCOMPARE(bySender.value(u"aeu"_s), QStringList{u"from aeu"_s});
        QVERIFY(!bySender.value(u"iva"_s).isEmpty());

        // Exactly what the sandbox delivered, plus the three direct ones.
        int delivered = 0;
        for (const QJsonValue &v : m_sandbox.state().value(u"deliveries"_s).toArray()) {
            const QJsonObject d = v.toObject();
            if (d.value(u"user_id"_s).toString() == u"ing-1"_s &&
                d.value(u"category"_s).toString() == u"message"_s)
                ++delivered;
        }
        QCOMPARE(messages.size(), delivered + 3);
    }

    void ingestsEveryEvent() {
        QVERIFY(!m_secret.isEmpty());
        const QString ectUserId =
            findUser(m_sandbox.state(), u"ing-1"_s).value(u"ect_user_id"_s).toString();
        QVERIFY(!ectUserId.isEmpty());
        QStringList sent;
        int seq = 0;
        for (const HookKind &k : eventHookKinds()) {
            QJsonObject metadata{{u"seq"_s, ++seq}};
            if (k.first == u"thread_control"_s)
                metadata = {{u"seq"_s, seq},
                            {u"from"_s, u"iva"_s},
                            {u"to"_s, u"demo"_s},
                            {u"requester"_s, u"demo"_s}};
            const auto r = m_sandbox.post(u"/sandbox/events"_s, {{u"user_id"_s, u"ing-1"_s},
                                                                 {u"category"_s, k.first},
                                                                 {u"subcategory"_s, k.second},
                                                                 {u"metadata"_s, metadata}});
            QCOMPARE(r.status, 200);
            sent.append(k.first + u'/' + k.second + u' ' + QString::fromUtf8(compact(metadata)));
        }
        VERIFY_DELIVERED(m_sandbox, 3 + 13, 15000);

        const auto exported = ConsoleProcess::exportData(m_dir.path());
        QCOMPARE(exported.exitCode, 0);
        QStringList stored;
        for (const QJsonValue &v :
             exportedThread(exported.json, u"ing-1"_s).value(u"events"_s).toArray()) {
            const QJsonObject e = v.toObject();
            const QString metadata = e.value(u"metadata"_s).toString();
            if (!metadata.contains(u"\"seq\""_s))
                continue; // the bot's own events (a handover), if any
            QCOMPARE(e.value(u"direction"_s).toString(), u"in"_s);
            stored.append(e.value(u"category"_s).toString() + u'/' +
                          e.value(u"subcategory"_s).toString() + u' ' + metadata);
        }
        QCOMPARE(stored, sent);

        // The event hooks that followed create_user carried the ect_user_id the
        // console had answered; the console kept them as received.
        const auto rows =
            queryRows(database(),
                      u"SELECT category, subcategory, raw_json FROM events "
                      "WHERE user_id = ? AND metadata LIKE '%\"seq\"%' ORDER BY seq"_s,
                      {u"ing-1"_s});
        QCOMPARE(rows.size(), 13);
        for (const QVariantList &row : rows) {
            const QJsonObject raw = QJsonDocument::fromJson(row.value(2).toByteArray()).object();
            QCOMPARE(raw.value(u"ect_user_id"_s).toString(), ectUserId);
            QCOMPARE(raw.value(u"user_id"_s).toString(), u"ing-1"_s);
        }
    }

    void cleanupTestCase() {
        m_console.stop();
        m_sandbox.stop();
    }
};

QTEST_GUILESS_MAIN(ConsoleIngestTest)
#include "tst_console_ingest.moc"
