// HubClient against a real hub process and the real sandbox: resume after a
// kill -9 of the hub with no gap and no duplicate, and replies queued while
// the hub was down go out once, in order, after the reconnect.
#include "network/hub/HubClient.h"
#include "tests/support/SandboxProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using tract::hub::HubClient;

namespace {
QString consoleBinary() {
    return qEnvironmentVariable("TRACT_CONSOLE_BIN");
}

QString addAgent(const QString &dataDir, const QString &name, const QString &role) {
    QProcess p;
    p.start(consoleBinary(),
            {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--hub-add-agent"), name,
             QStringLiteral("--role"), role});
    p.waitForFinished(10000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// `tract-console --hub`, reading its two contract lines.
struct HubProcess {
    QProcess process;
    QUrl hubUrl;
    bool start(const QUrl &tract, const QString &dataDir, const QString &hubListen) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TRACT_TOKEN"), QStringLiteral("demo-token"));
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(consoleBinary(), {QStringLiteral("--hub"), QStringLiteral("--tract-url"),
                                        tract.toString(), QStringLiteral("--client-id"),
                                        QStringLiteral("demo"), QStringLiteral("--data-dir"),
                                        dataDir, QStringLiteral("--hub-listen"), hubListen});
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 15000 && out.count("hook ") < 15) {
            process.waitForReadyRead(200);
            out += process.readAllStandardOutput();
        }
        for (const QByteArray &line : out.split('\n'))
            if (line.startsWith("hub listening on "))
                hubUrl = QUrl(QString::fromUtf8(line.mid(17)));
        return hubUrl.isValid() && out.count("registered") == 15;
    }
    ~HubProcess() {
        process.kill();
        process.waitForFinished();
    }
};

QJsonObject text(const QString &t) {
    return {{QStringLiteral("text"), t},
            {QStringLiteral("type"), QStringLiteral("TEXT")},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("quick_replies"), QJsonArray()}}}};
}
} // namespace

// A raw socket, for frames HubClient would never send.
struct RawSocket {
    QWebSocket socket;
    QList<QJsonObject> frames;
    bool closed = false;
    explicit RawSocket(const QUrl &url) {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString &t) {
            frames.append(QJsonDocument::fromJson(t.toUtf8()).object());
        });
        QObject::connect(&socket, &QWebSocket::disconnected, [this] { closed = true; });
        socket.open(url);
    }
    bool waitOpen() {
        QElapsedTimer t;
        t.start();
        while (socket.state() != QAbstractSocket::ConnectedState && t.elapsed() < 5000)
            QTest::qWait(20);
        return socket.state() == QAbstractSocket::ConnectedState;
    }
    void send(const QJsonObject &o) {
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    std::optional<QJsonObject> resultFor(const QString &id) const {
        for (const QJsonObject &f : frames)
            if (f.value(QLatin1String("type")) == QLatin1String("result") &&
                f.value(QLatin1String("id")) == id)
                return f;
        return std::nullopt;
    }
    int count(const char *type) const {
        int n = 0;
        for (const QJsonObject &f : frames)
            n += f.value(QLatin1String("type")) == QLatin1String(type);
        return n;
    }
};

QJsonObject hello(const QString &token) {
    return {{QStringLiteral("type"), QStringLiteral("hello")},
            {QStringLiteral("token"), token},
            {QStringLiteral("resume_from"), 0}};
}
QJsonObject command(const QString &id, const QString &action, QJsonObject fields = {}) {
    fields.insert(QStringLiteral("type"), QStringLiteral("command"));
    fields.insert(QStringLiteral("id"), id);
    fields.insert(QStringLiteral("action"), action);
    return fields;
}

class TestHubClient : public QObject {
    Q_OBJECT
private slots:
    // Bad frames, refusals and idempotency on one hub: the bad-frame matrix
    // of docs/hub-protocol.md, and nothing of it reaches TRACT.
    void badFramesRefusalsAndRepeats() {
        testsupport::SandboxProcess sandbox;
        QVERIFY(sandbox.start({QStringLiteral("--bot-delay"), QStringLiteral("0"),
                               QStringLiteral("--user-reply-delay"), QStringLiteral("0")}));
        QTemporaryDir dir;
        const QString priya =
            addAgent(dir.path(), QStringLiteral("Priya"), QStringLiteral("agent"));
        const QString ravi = addAgent(dir.path(), QStringLiteral("Ravi"), QStringLiteral("agent"));
        HubProcess hub;
        QVERIFY(hub.start(sandbox.baseUrl(), dir.path(), QStringLiteral("127.0.0.1:0")));

        { // wrong token: 4001 and not a byte of data
            RawSocket s(hub.hubUrl);
            QVERIFY(s.waitOpen());
            s.send(hello(QStringLiteral("wrong")));
            QTRY_VERIFY_WITH_TIMEOUT(s.closed, 5000);
            QCOMPARE(int(s.socket.closeCode()), 4001);
            QCOMPARE(s.frames.size(), 0);
        }
        { // a command before hello: 4001
            RawSocket s(hub.hubUrl);
            QVERIFY(s.waitOpen());
            s.send(command(QStringLiteral("c"), QStringLiteral("take")));
            QTRY_VERIFY_WITH_TIMEOUT(s.closed, 5000);
            QCOMPARE(int(s.socket.closeCode()), 4001);
            QCOMPARE(s.frames.size(), 0);
        }
        { // a binary frame: 1003
            RawSocket s(hub.hubUrl);
            QVERIFY(s.waitOpen());
            s.send(hello(priya));
            QTRY_COMPARE_WITH_TIMEOUT(s.count("welcome"), 1, 5000);
            s.socket.sendBinaryMessage(QByteArray("\x01\x02"));
            QTRY_VERIFY_WITH_TIMEOUT(s.closed, 5000);
            QCOMPARE(int(s.socket.closeCode()), 1003);
        }

        sandbox.post(QStringLiteral("/sandbox/users"),
                     {{QStringLiteral("user_id"), QStringLiteral("asha")},
                      {QStringLiteral("user_name"), QStringLiteral("Asha Rao")}});
        RawSocket p(hub.hubUrl), r(hub.hubUrl);
        QVERIFY(p.waitOpen() && r.waitOpen());
        p.send(hello(priya));
        QTRY_COMPARE_WITH_TIMEOUT(p.count("welcome"), 1, 5000);
        sandbox.post(QStringLiteral("/sandbox/messages"),
                     {{QStringLiteral("user_id"), QStringLiteral("asha")},
                      {QStringLiteral("text"), QStringLiteral("I want to talk to an agent")}});
        const auto assigned = [&] {
            for (const QJsonObject &f : p.frames)
                if (f.value(QLatin1String("kind")) == QLatin1String("assignment") &&
                    f.value(QLatin1String("agent")) == QLatin1String("Priya"))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(assigned(), 5000);
        r.send(hello(ravi));
        QTRY_COMPARE_WITH_TIMEOUT(r.count("welcome"), 1, 5000);

        // Malformed frames: an error each, the connection stays.
        r.socket.sendTextMessage(QStringLiteral("not json"));
        r.socket.sendTextMessage(QStringLiteral("[1,2]"));
        r.send({{QStringLiteral("type"), QStringLiteral("bogus")}});
        r.send({{QStringLiteral("type"), QStringLiteral("command")}});
        QTRY_COMPARE_WITH_TIMEOUT(r.count("error"), 4, 5000);
        r.send(command(QStringLiteral("u1"), QStringLiteral("fly")));
        QTRY_VERIFY_WITH_TIMEOUT(r.resultFor(QStringLiteral("u1")), 5000);
        QVERIFY(!r.resultFor(QStringLiteral("u1"))->value(QLatin1String("ok")).toBool());

        // Ravi may not write to, pass or complete Priya's thread, nor assign.
        const QJsonObject body{{QStringLiteral("user_id"), QStringLiteral("asha")},
                               {QStringLiteral("message_body"), text(QStringLiteral("not mine"))}};
        r.send(command(QStringLiteral("r1"), QStringLiteral("send_message"), body));
        r.send(command(QStringLiteral("r2"), QStringLiteral("complete"),
                       {{QStringLiteral("user_id"), QStringLiteral("asha")}}));
        r.send(command(QStringLiteral("r3"), QStringLiteral("assign"),
                       {{QStringLiteral("user_id"), QStringLiteral("asha")},
                        {QStringLiteral("agent"), QStringLiteral("Ravi")}}));
        QTRY_VERIFY_WITH_TIMEOUT(r.resultFor(QStringLiteral("r3")), 5000);
        for (const char *id : {"r1", "r2", "r3"}) {
            const QJsonObject res = *r.resultFor(QLatin1String(id));
            QVERIFY2(!res.value(QLatin1String("ok")).toBool(), id);
            QVERIFY(!res.value(QLatin1String("error")).toString().isEmpty());
        }
        QVERIFY(r.resultFor(QStringLiteral("r1"))
                    ->value(QLatin1String("error"))
                    .toString()
                    .contains(QStringLiteral("Priya")));

        // Priya's reply, sent twice with one id: one answer, one message at TRACT.
        p.send(command(QStringLiteral("t"), QStringLiteral("take"),
                       {{QStringLiteral("user_id"), QStringLiteral("asha")}}));
        QTRY_VERIFY_WITH_TIMEOUT(p.resultFor(QStringLiteral("t")), 5000);
        QVERIFY(p.resultFor(QStringLiteral("t"))->value(QLatin1String("ok")).toBool());
        const QJsonObject mine{{QStringLiteral("user_id"), QStringLiteral("asha")},
                               {QStringLiteral("message_body"), text(QStringLiteral("only once"))}};
        p.send(command(QStringLiteral("m"), QStringLiteral("send_message"), mine));
        p.send(command(QStringLiteral("m"), QStringLiteral("send_message"), mine));
        QTRY_COMPARE_WITH_TIMEOUT(p.count("result"), 3, 5000);
        QList<QJsonObject> answers;
        for (const QJsonObject &f : p.frames)
            if (f.value(QLatin1String("id")) == QLatin1String("m"))
                answers.append(f);
        QCOMPARE(answers.size(), 2);
        QCOMPARE(answers[0], answers[1]);
        QVERIFY(answers[0].value(QLatin1String("ok")).toBool());
        const auto received = [&] {
            return QJsonDocument(sandbox.state().value(QLatin1String("received")).toObject())
                .toJson(QJsonDocument::Compact);
        };
        QTRY_COMPARE_WITH_TIMEOUT(received().count("only once"), 1, 5000);
        QTest::qWait(300);
        QCOMPARE(received().count("only once"), 1);
        QCOMPARE(received().count("not mine"), 0);
        QVERIFY(hub.process.state() == QProcess::Running);
    }

    void resumesAfterKillAndSendsQueuedRepliesOnce() {
        testsupport::SandboxProcess sandbox;
        QVERIFY2(sandbox.start({QStringLiteral("--bot-delay"), QStringLiteral("0"),
                                QStringLiteral("--user-reply-delay"), QStringLiteral("0"),
                                QStringLiteral("--grant-delay"), QStringLiteral("50")}),
                 qPrintable(sandbox.errorString()));
        QTemporaryDir dir;
        const QString token =
            addAgent(dir.path(), QStringLiteral("Priya"), QStringLiteral("agent"));
        QCOMPARE(token.size(), 43);

        auto hub = std::make_unique<HubProcess>();
        QVERIFY(hub->start(sandbox.baseUrl(), dir.path(), QStringLiteral("127.0.0.1:0")));
        const QUrl url = hub->hubUrl;

        HubClient client(url, token);
        QList<qint64> seqs;
        QList<QJsonObject> events;
        connect(&client, &HubClient::eventReceived, this, [&](const QJsonObject &e) {
            seqs.append(e.value(QLatin1String("seq")).toInteger());
            events.append(e);
        });
        QHash<QString, QJsonObject> results;
        connect(&client, &HubClient::resultReceived, this,
                [&](const QString &id, const QJsonObject &r) { results.insert(id, r); });
        client.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), HubClient::State::Connected, 5000);

        sandbox.post(QStringLiteral("/sandbox/users"),
                     {{QStringLiteral("user_id"), QStringLiteral("asha")},
                      {QStringLiteral("user_name"), QStringLiteral("Asha Rao")}});
        sandbox.post(QStringLiteral("/sandbox/messages"),
                     {{QStringLiteral("user_id"), QStringLiteral("asha")},
                      {QStringLiteral("text"), QStringLiteral("I want to talk to an agent")}});
        const auto assignedToMe = [&] {
            for (const QJsonObject &e : events)
                if (e.value(QLatin1String("kind")) == QLatin1String("assignment") &&
                    e.value(QLatin1String("agent")) == QLatin1String("Priya"))
                    return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(assignedToMe(), 5000);
        const QString take = client.send(QStringLiteral("take"),
                                         {{QStringLiteral("user_id"), QStringLiteral("asha")}});
        QTRY_VERIFY_WITH_TIMEOUT(results.contains(take), 5000);
        QVERIFY2(results[take].value(QLatin1String("ok")).toBool(),
                 qPrintable(results[take].value(QLatin1String("error")).toString()));

        // The hub dies; the agent keeps typing.
        hub->process.kill();
        hub->process.waitForFinished();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), HubClient::State::Reconnecting, 5000);
        const qint64 before = client.lastSeq();
        const QString first =
            client.send(QStringLiteral("send_message"),
                        {{QStringLiteral("user_id"), QStringLiteral("asha")},
                         {QStringLiteral("message_body"), text(QStringLiteral("queued one"))}});
        const QString second =
            client.send(QStringLiteral("send_message"),
                        {{QStringLiteral("user_id"), QStringLiteral("asha")},
                         {QStringLiteral("message_body"), text(QStringLiteral("queued two"))}});
        QCOMPARE(client.pendingCommands(), 2);

        hub = std::make_unique<HubProcess>();
        QVERIFY(hub->start(sandbox.baseUrl(), dir.path(),
                           QStringLiteral("127.0.0.1:%1").arg(url.port())));
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), HubClient::State::Connected, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(results.contains(first) && results.contains(second), 5000);
        QVERIFY(results[first].value(QLatin1String("ok")).toBool());
        QVERIFY(results[second].value(QLatin1String("ok")).toBool());
        QCOMPARE(client.pendingCommands(), 0);
        QVERIFY(client.lastSeq() > before);

        // Every event once, in order, across the kill.
        for (int i = 0; i < seqs.size(); ++i)
            QCOMPARE(seqs[i], qint64(i + 1));

        // TRACT (the sandbox) got each queued reply once, in the order typed.
        const auto sent = [&] {
            const QByteArray dump = QJsonDocument(sandbox.state()).toJson(QJsonDocument::Compact);
            return std::make_pair(dump.count("queued one"),
                                  dump.indexOf("queued one") < dump.indexOf("queued two"));
        };
        QTRY_VERIFY_WITH_TIMEOUT(sent().first >= 1, 10000);
        const QByteArray dump =
            QJsonDocument(sandbox.state().value(QLatin1String("received")).toObject())
                .toJson(QJsonDocument::Compact);
        QCOMPARE(dump.count("queued one"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            QJsonDocument(sandbox.state().value(QLatin1String("received")).toObject())
                .toJson(QJsonDocument::Compact)
                .count("queued two"),
            1, 10000);
        QVERIFY(sent().second);
    }

    void wrongTokenIsRefusedWithoutRetrying() {
        testsupport::SandboxProcess sandbox;
        QVERIFY(sandbox.start());
        QTemporaryDir dir;
        addAgent(dir.path(), QStringLiteral("Priya"), QStringLiteral("agent"));
        HubProcess hub;
        QVERIFY(hub.start(sandbox.baseUrl(), dir.path(), QStringLiteral("127.0.0.1:0")));
        HubClient client(hub.hubUrl, QStringLiteral("not-a-token"));
        QSignalSpy refused(&client, &HubClient::refused);
        QSignalSpy events(&client, &HubClient::eventReceived);
        client.start(0);
        QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 5000);
        QCOMPARE(client.state(), HubClient::State::Refused);
        QTest::qWait(600); // a retry would come after 250 ms
        QCOMPARE(client.state(), HubClient::State::Refused);
        QCOMPARE(events.size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHubClient)
#include "tst_hub_client.moc"
