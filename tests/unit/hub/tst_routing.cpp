#include "models/team/TeamTypes.h"
#include "network/hub/AssignmentBook.h"
#include "network/hub/HubDatabase.h"
#include "network/hub/HubEventLog.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tract;

namespace {
team::Agent agent(const QString &name, int capacity, team::Presence p = team::Presence::Online,
                  team::Role role = team::Role::Agent) {
    return {name, role, capacity, p};
}
team::Assignment held(const QString &user, const QString &agent) {
    team::Assignment a;
    a.userId = user;
    a.agent = agent;
    a.state = agent.isEmpty() ? team::AssignmentState::Queued : team::AssignmentState::Assigned;
    return a;
}
QList<QJsonObject> frames(const QList<QList<QVariant>> &spy) {
    QList<QJsonObject> out;
    for (const auto &args : spy)
        for (const QString &f : args.at(0).toStringList())
            out.append(QJsonDocument::fromJson(f.toUtf8()).object());
    return out;
}
} // namespace

class TestHubRouting : public QObject {
    Q_OBJECT
private slots:
    void fewestOpenThreadsWins() {
        team::TeamState t;
        t.agents.insert(QStringLiteral("a"), agent(QStringLiteral("a"), 3));
        t.agents.insert(QStringLiteral("b"), agent(QStringLiteral("b"), 3));
        t.assignments.insert(QStringLiteral("u1"), held(QStringLiteral("u1"), QStringLiteral("a")));
        QCOMPARE(team::chooseAgent(t, {}), QStringLiteral("b"));
    }
    void awayOfflineFullAndSupervisorsGetNothing() {
        team::TeamState t;
        t.agents.insert(QStringLiteral("away"),
                        agent(QStringLiteral("away"), 3, team::Presence::Away));
        t.agents.insert(QStringLiteral("off"),
                        agent(QStringLiteral("off"), 3, team::Presence::Offline));
        t.agents.insert(
            QStringLiteral("sup"),
            agent(QStringLiteral("sup"), 3, team::Presence::Online, team::Role::Supervisor));
        t.agents.insert(QStringLiteral("full"), agent(QStringLiteral("full"), 1));
        t.assignments.insert(QStringLiteral("u1"),
                             held(QStringLiteral("u1"), QStringLiteral("full")));
        QCOMPARE(team::chooseAgent(t, {}), QString());
    }
    void tieGoesToTheLongestIdle() {
        team::TeamState t;
        t.agents.insert(QStringLiteral("a"), agent(QStringLiteral("a"), 3));
        t.agents.insert(QStringLiteral("b"), agent(QStringLiteral("b"), 3));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(team::chooseAgent(
                     t, {{QStringLiteral("a"), now}, {QStringLiteral("b"), now.addSecs(-60)}}),
                 QStringLiteral("b"));
        QCOMPARE(team::chooseAgent(t, {{QStringLiteral("b"), now}}), QStringLiteral("a"));
    }
    void queueIsOldestFirst() {
        team::TeamState t;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const auto &[user, age] :
             {std::pair{"new", 1}, std::pair{"old", 30}, std::pair{"mid", 10}}) {
            team::Assignment a = held(QLatin1String(user), QString());
            a.waitingSince = now.addSecs(-age);
            t.assignments.insert(a.userId, a);
        }
        QCOMPARE(team::queueOrder(t), (QStringList{QStringLiteral("old"), QStringLiteral("mid"),
                                                   QStringLiteral("new")}));
    }

    // The book on a real hub.sqlite: handoffs beyond capacity wait, a close
    // serves the oldest, every change is a numbered event, and it survives a
    // reopen.
    void bookRoutesQueuesAndPersists() {
        QTemporaryDir dir;
        QString error;
        {
            hub::HubDatabase db;
            QVERIFY2(db.open(dir.path(), &error), qPrintable(error));
            QVERIFY(db.addAgent({QStringLiteral("priya"), team::Role::Agent, 1}));
            QVERIFY(db.addAgent({QStringLiteral("ravi"), team::Role::Agent, 1}));
            hub::HubEventLog log(&db);
            log.load();
            QSignalSpy published(&log, &hub::HubEventLog::published);
            hub::AssignmentBook book;
            book.load(db);
            QVERIFY(log.write([&](hub::EventBatch &b) {
                book.syncRoster(b, db.agents());
                book.setPresence(b, QStringLiteral("priya"), team::Presence::Online);
                book.setPresence(b, QStringLiteral("ravi"), team::Presence::Online);
                const QDateTime t0 = QDateTime::currentDateTimeUtc();
                for (int i = 1; i <= 3; ++i)
                    book.handoff(b, QStringLiteral("u%1").arg(i), QStringLiteral("1"),
                                 t0.addSecs(i));
                return true;
            }));
            QCOMPARE(book.team().assigneeOf(QStringLiteral("u1")), QStringLiteral("priya"));
            QCOMPARE(book.team().assigneeOf(QStringLiteral("u2")), QStringLiteral("ravi"));
            QVERIFY(book.team().isQueued(QStringLiteral("u3")));
            QVERIFY(log.write([&](hub::EventBatch &b) {
                book.close(b, QStringLiteral("u2"), QStringLiteral("ravi"));
                return true;
            }));
            QCOMPARE(book.team().assigneeOf(QStringLiteral("u3")), QStringLiteral("ravi"));

            const QList<QJsonObject> events = frames(published);
            QCOMPARE(events.size(), int(log.lastSeq()));
            for (int i = 0; i < events.size(); ++i)
                QCOMPARE(events[i].value(QLatin1String("seq")).toInteger(), i + 1);
            const auto last = events.last();
            QCOMPARE(last.value(QLatin1String("kind")).toString(), QStringLiteral("assignment"));
            QCOMPARE(last.value(QLatin1String("agent")).toString(), QStringLiteral("ravi"));
            QCOMPARE(last.value(QLatin1String("reason")).toString(), QStringLiteral("routed"));
        }
        hub::HubDatabase db;
        QVERIFY(db.open(dir.path(), &error));
        hub::AssignmentBook again;
        again.load(db);
        QCOMPARE(again.team().assigneeOf(QStringLiteral("u3")), QStringLiteral("ravi"));
        QCOMPARE(again.team().assigneeOf(QStringLiteral("u1")), QStringLiteral("priya"));
        QVERIFY(!again.team().assignments.contains(QStringLiteral("u2"))); // closed
        QCOMPARE(db.eventTextsAfter(0, 1000).size(), int(db.lastSeq()));
    }

    void tokensAreHashedAndRevocable() {
        QTemporaryDir dir;
        QString error;
        hub::HubDatabase db;
        QVERIFY(db.open(dir.path(), &error));
        const auto token = db.addAgent({QStringLiteral("priya"), team::Role::Agent, 3});
        QVERIFY(token);
        QCOMPARE(token->size(), 43);
        QVERIFY(!db.addAgent({QStringLiteral("priya"), team::Role::Agent, 3}));
        QVERIFY(!db.addAgent({QString(), team::Role::Agent, 3}));
        QVERIFY(!db.addAgent({QStringLiteral("x"), team::Role::Agent, 0}));
        QCOMPARE(db.agentForToken(*token)->name, QStringLiteral("priya"));
        QVERIFY(!db.agentForToken(QStringLiteral("wrong")));
        // The database and its write-ahead log: the hash is in there, the token is not.
        QByteArray bytes;
        for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
            QFile file(dir.filePath(hub::HubDatabase::fileName() + suffix));
            if (file.open(QIODevice::ReadOnly))
                bytes += file.readAll();
        }
        QVERIFY(bytes.contains(hub::agentTokenHash(*token)));
        QVERIFY(!bytes.contains(token->toUtf8()));
        QVERIFY(db.removeAgent(QStringLiteral("priya"), &error));
        QVERIFY(!db.agentForToken(*token));
        QVERIFY(!db.removeAgent(QStringLiteral("priya"), &error));
    }
};

QTEST_GUILESS_MAIN(TestHubRouting)
#include "tst_routing.moc"
