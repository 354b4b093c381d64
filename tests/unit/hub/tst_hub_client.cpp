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

class TestHubClient : public QObject {
    Q_OBJECT
private slots:
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
