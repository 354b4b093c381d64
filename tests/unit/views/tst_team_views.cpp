#include "ViewsTestUtil.h"
#include "models/team/TeamTypes.h"
#include "models/views/TeamModel.h"
#include "models/views/ThreadFilterModel.h"
#include "models/views/ThreadListModel.h"

#include <QAbstractItemModelTester>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

using namespace tract::store;
using namespace tract::views;
using namespace viewstest;
using tract::team::Agent;
using tract::team::Assignment;
using tract::team::AssignmentState;
using tract::team::Presence;
using tract::team::Role;
using tract::team::TeamState;
using Filter = ThreadFilterModel::Filter;

namespace {

// The console's TRACT receiver: in team mode every handed-off thread is "with
// me" as TRACT sees it, whichever agent holds it.
const QString kReceiver = QStringLiteral("ect-team");

QStringList usersOf(const QAbstractItemModel &m) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, 0).data(ThreadListModel::UserIdRole).toString());
    out.sort();
    return out;
}

Assignment assigned(const QString &user, const QString &agent, const QDateTime &since) {
    Assignment a;
    a.userId = user;
    a.conversationNumber = QStringLiteral("1");
    a.agent = agent;
    a.state = AssignmentState::Assigned;
    a.waitingSince = since;
    a.assignedAt = since.addSecs(1);
    return a;
}

Assignment queued(const QString &user, const QDateTime &since) {
    Assignment a;
    a.userId = user;
    a.conversationNumber = QStringLiteral("1");
    a.state = AssignmentState::Queued;
    a.waitingSince = since;
    return a;
}

Agent agent(const QString &name, Role role, int capacity, Presence presence) {
    Agent a;
    a.name = name;
    a.role = role;
    a.capacity = capacity;
    a.presence = presence;
    return a;
}

} // namespace

class TestTeamViews : public QObject {
    Q_OBJECT

    std::unique_ptr<TempStore> m_store;
    TeamState m_team;

    Store &store() { return m_store->store(); }
    void write(const WriteOp &op) {
        const WriteResult r = store().write(op);
        QVERIFY2(r.ok, qPrintable(r.error));
    }
    int rowOf(const ThreadListModel &m, const char *user) {
        return m.rowOf({QString::fromLatin1(user), QStringLiteral("1")});
    }

    // u1 with the bot, u2..u4 handed off to the team (TRACT owner: the team's
    // receiver), u5 complete. The end users wrote at 20 (u2), 30 (u3), 40 (u4).
    void populate() {
        write(user(QStringLiteral("u1"), QStringLiteral("Asha Rao"), QStringLiteral("14")));
        write(user(QStringLiteral("u2"), QStringLiteral("Ben Okafor"), QStringLiteral("5")));
        write(user(QStringLiteral("u3"), QStringLiteral("Chen Wei"), QStringLiteral("3")));
        write(message(QStringLiteral("u1"), QStringLiteral("1"), QStringLiteral("hours?"),
                      QStringLiteral("ceu"), 1, at(10)));
        const char *handedOff[] = {"u2", "u3", "u4"};
        int t = 20;
        for (const char *u : handedOff) {
            const QString id = QString::fromLatin1(u);
            write(message(id, QStringLiteral("1"), QStringLiteral("a person please"),
                          QStringLiteral("ceu"), 1, at(t)));
            write(
                ownerChange(id, QStringLiteral("1"), QStringLiteral("iva"), kReceiver, at(t + 1)));
            t += 10;
        }
        write(message(QStringLiteral("u5"), QStringLiteral("1"), QStringLiteral("bye"),
                      QStringLiteral("ceu"), 1, at(50)));
        write(hookEvent(QStringLiteral("u5"), QStringLiteral("1"),
                        QStringLiteral("conversation_state"), QStringLiteral("complete"),
                        std::nullopt, at(51)));
    }

    // Priya (this console) holds u3 and u4, u2 waits in the queue; Ravi's u1
    // assignment names another conversation, so no row of u1 is his.
    void makeTeam() {
        m_team = TeamState{};
        m_team.me = QStringLiteral("Priya");
        m_team.myRole = Role::Agent;
        for (const Agent &a :
             {agent(QStringLiteral("Priya"), Role::Agent, 3, Presence::Online),
              agent(QStringLiteral("Ravi"), Role::Agent, 2, Presence::Away),
              agent(QStringLiteral("Sam"), Role::Supervisor, 3, Presence::Offline)})
            m_team.agents.insert(a.name, a);
        for (const Assignment &a : {assigned(QStringLiteral("u3"), QStringLiteral("Priya"), at(31)),
                                    assigned(QStringLiteral("u4"), QStringLiteral("Priya"), at(41)),
                                    queued(QStringLiteral("u2"), at(21))})
            m_team.assignments.insert(a.userId, a);
        Assignment other = assigned(QStringLiteral("u1"), QStringLiteral("Ravi"), at(5));
        other.conversationNumber = QStringLiteral("7");
        m_team.assignments.insert(other.userId, other);
    }

private slots:
    void init() {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->isOpen());
        populate();
        makeTeam();
    }
    void cleanup() { m_store.reset(); }

    void singleSeatHasNoTeamFields() {
        ThreadListModel model(&store(), kReceiver);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.team(), nullptr);
        for (int r = 0; r < model.rowCount(); ++r) {
            const QModelIndex i = model.index(r, 0);
            QCOMPARE(i.data(ThreadListModel::AssigneeRole).toString(), QString());
            QCOMPARE(i.data(ThreadListModel::QueuedRole).toBool(), false);
            QCOMPARE(model.index(r, ThreadListModel::AssigneeColumn).data().toString(), QString());
            QVERIFY(!(model.flags(i) & Qt::ItemIsDragEnabled));
        }
        QCOMPARE(model.headerData(ThreadListModel::AssigneeColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Agent"));
    }

    void teamFillsAssigneeAndQueued() {
        ThreadListModel model(&store(), kReceiver);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy mode(&model, &ThreadListModel::teamModeChanged);
        model.setTeam(&m_team);
        QCOMPARE(mode.size(), 1);
        QCOMPARE(mode.at(0).at(0).toBool(), true);

        const auto cell = [&](const char *user, int column, int role = Qt::DisplayRole) {
            return model.index(rowOf(model, user), column).data(role);
        };
        QCOMPARE(cell("u3", 0, ThreadListModel::AssigneeRole).toString(), QStringLiteral("Priya"));
        QCOMPARE(cell("u3", 0, ThreadListModel::AssignedToMeRole).toBool(), true);
        QCOMPARE(cell("u3", ThreadListModel::AssigneeColumn).toString(), QStringLiteral("Priya"));
        QCOMPARE(cell("u4", 0, ThreadListModel::AssigneeRole).toString(), QStringLiteral("Priya"));
        QCOMPARE(cell("u2", 0, ThreadListModel::QueuedRole).toBool(), true);
        QCOMPARE(cell("u2", 0, ThreadListModel::AssigneeRole).toString(), QString());
        QCOMPARE(cell("u2", 0, ThreadListModel::AssignedToMeRole).toBool(), false);
        QCOMPARE(cell("u2", ThreadListModel::AssigneeColumn).toString(), QStringLiteral("Queued"));
        // Ravi's assignment is for conversation 7, not this row's 1.
        QCOMPARE(cell("u1", 0, ThreadListModel::AssigneeRole).toString(), QString());
        QCOMPARE(cell("u1", 0, ThreadListModel::QueuedRole).toBool(), false);
        QCOMPARE(cell("u5", ThreadListModel::AssigneeColumn).toString(), QString());
        // The row struct carries the same values the roles report.
        QCOMPARE(model.row(rowOf(model, "u4")).assignee, QStringLiteral("Priya"));
        QVERIFY(model.row(rowOf(model, "u2")).queued);
        QVERIFY(model.flags(model.index(0, 0)) & Qt::ItemIsDragEnabled);

        // TRACT says every handed-off thread is with this console; the state
        // shown says whose it is in the team.
        QCOMPARE(cell("u3", 0, ThreadListModel::StateRole).toInt(), int(ThreadState::WithMe));
        QCOMPARE(cell("u3", ThreadListModel::StateColumn).toString(), QStringLiteral("With me"));
        QCOMPARE(cell("u2", ThreadListModel::StateColumn).toString(),
                 QStringLiteral("With the team"));
        m_team.assignments[QStringLiteral("u3")].agent = QStringLiteral("Ravi");
        model.teamChanged();
        QCOMPARE(cell("u3", 0, ThreadListModel::StateNameRole).toString(),
                 QStringLiteral("With the team"));
        QCOMPARE(cell("u3", 0, ThreadListModel::AssignedToMeRole).toBool(), false);
        QCOMPARE(cell("u5", ThreadListModel::StateColumn).toString(), QStringLiteral("Complete"));

        // Back to single seat: everything clears.
        model.setTeam(nullptr);
        QCOMPARE(cell("u2", ThreadListModel::StateColumn).toString(), QStringLiteral("With me"));
        QCOMPARE(mode.size(), 2);
        QCOMPARE(cell("u3", 0, ThreadListModel::AssigneeRole).toString(), QString());
        QCOMPARE(cell("u2", 0, ThreadListModel::QueuedRole).toBool(), false);
    }

    void teamChangedSignalsOnlyChangedRows() {
        ThreadListModel model(&store(), kReceiver);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTeam(&m_team);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.teamChanged(); // nothing moved
        QCOMPARE(changed.size(), 0);

        // Ravi takes u4 from Priya; u2 goes from the queue to Ravi.
        m_team.assignments[QStringLiteral("u4")].agent = QStringLiteral("Ravi");
        m_team.assignments[QStringLiteral("u2")] =
            assigned(QStringLiteral("u2"), QStringLiteral("Ravi"), at(21));
        model.teamChanged();
        QSet<int> rows;
        for (const QList<QVariant> &args : std::as_const(changed)) {
            const QModelIndex tl = args.at(0).toModelIndex();
            const QModelIndex br = args.at(1).toModelIndex();
            for (int r = tl.row(); r <= br.row(); ++r)
                rows.insert(r);
        }
        QCOMPARE(rows, (QSet<int>{rowOf(model, "u4"), rowOf(model, "u2")}));
        QCOMPARE(model.index(rowOf(model, "u4"), ThreadListModel::AssigneeColumn).data().toString(),
                 QStringLiteral("Ravi"));
        QCOMPARE(model.index(rowOf(model, "u2"), 0).data(ThreadListModel::QueuedRole).toBool(),
                 false);

        // A thread that closes loses its assignee.
        changed.clear();
        m_team.assignments[QStringLiteral("u3")].state = AssignmentState::Closed;
        model.teamChanged();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), rowOf(model, "u3"));
        QCOMPARE(model.index(rowOf(model, "u3"), 0).data(ThreadListModel::AssigneeRole).toString(),
                 QString());
    }

    void searchMatchesTheAssignee() {
        ThreadListModel model(&store(), kReceiver);
        ThreadFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSearchText(QStringLiteral("priya"));
        QCOMPARE(proxy.rowCount(), 0); // single seat: nobody is called Priya
        model.setTeam(&m_team);
        QCOMPARE(usersOf(proxy), (QStringList{QStringLiteral("u3"), QStringLiteral("u4")}));
        m_team.assignments[QStringLiteral("u4")].agent = QStringLiteral("Ravi");
        model.teamChanged();
        QCOMPARE(usersOf(proxy), QStringList{QStringLiteral("u3")});
    }

    void filtersInTeamMode() {
        ThreadListModel model(&store(), kReceiver);
        ThreadFilterModel proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        const QStringList handedOff{QStringLiteral("u2"), QStringLiteral("u3"),
                                    QStringLiteral("u4")};

        // Single seat: TRACT's owner decides; every handed-off thread is mine.
        proxy.setFilter(Filter::Mine);
        QCOMPARE(usersOf(proxy), handedOff);
        proxy.setFilter(Filter::Queue); // = Waiting: nothing is "incomplete" here
        QCOMPARE(usersOf(proxy), QStringList());

        model.setTeam(&m_team);
        proxy.setFilter(Filter::Mine);
        QCOMPARE(usersOf(proxy), (QStringList{QStringLiteral("u3"), QStringLiteral("u4")}));
        proxy.setFilter(Filter::Queue);
        QCOMPARE(usersOf(proxy), QStringList{QStringLiteral("u2")});
        proxy.setFilter(Filter::All);
        QCOMPARE(proxy.rowCount(), 5);

        // The hub moves threads: the filter follows teamChanged() alone.
        proxy.setFilter(Filter::Mine);
        m_team.assignments[QStringLiteral("u2")] =
            assigned(QStringLiteral("u2"), QStringLiteral("Priya"), at(21));
        m_team.assignments[QStringLiteral("u4")].agent = QStringLiteral("Ravi");
        model.teamChanged();
        QCOMPARE(usersOf(proxy), (QStringList{QStringLiteral("u2"), QStringLiteral("u3")}));
        proxy.setFilter(Filter::Queue);
        QCOMPARE(usersOf(proxy), QStringList());

        // Leaving team mode re-filters rows that did not change.
        proxy.setFilter(Filter::Mine);
        model.setTeam(nullptr);
        QCOMPARE(usersOf(proxy), handedOff);
    }

    void acceptsWithAndWithoutTeam() {
        ThreadListModel model(&store(), kReceiver);
        model.setTeam(&m_team);
        const ThreadRow &u4 = model.row(rowOf(model, "u4"));
        const QString priya = QStringLiteral("Priya");
        const QString ravi = QStringLiteral("Ravi");
        QVERIFY(ThreadFilterModel::accepts(u4, Filter::Mine, {}, &priya));
        QVERIFY(!ThreadFilterModel::accepts(u4, Filter::Mine, {}, &ravi));
        QVERIFY(ThreadFilterModel::accepts(u4, Filter::Mine, {})); // WithMe as TRACT sees it
        QVERIFY(!ThreadFilterModel::accepts(u4, Filter::Queue, {}, &priya));
    }

    void sortsByAgent() {
        ThreadListModel model(&store(), kReceiver);
        model.setTeam(&m_team);
        m_team.assignments[QStringLiteral("u3")].agent = QStringLiteral("Ravi");
        model.teamChanged();
        ThreadFilterModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilter(Filter::All);
        proxy.sort(ThreadListModel::AssigneeColumn, Qt::AscendingOrder);
        QStringList order;
        for (int r = 0; r < proxy.rowCount(); ++r)
            order << proxy.index(r, ThreadListModel::AssigneeColumn).data().toString();
        // Unassigned (u1, u5), then the queue, then agents by name.
        QCOMPARE(order, (QStringList{QString(), QString(), QStringLiteral("Queued"),
                                     QStringLiteral("Priya"), QStringLiteral("Ravi")}));
    }

    void dragCarriesUserAndConversation() {
        ThreadListModel model(&store(), kReceiver);
        model.setTeam(&m_team);
        const int r3 = rowOf(model, "u3");
        QCOMPARE(model.mimeTypes(), QStringList{ThreadListModel::kThreadMimeType});
        // A row selection: one index per column, one thread.
        std::unique_ptr<QMimeData> mime(
            model.mimeData({model.index(r3, 0), model.index(r3, ThreadListModel::StateColumn)}));
        QVERIFY(mime);
        QVERIFY(mime->hasFormat(ThreadListModel::kThreadMimeType));
        const QList<ThreadKey> keys = ThreadListModel::threadsFromMime(mime.get());
        QCOMPARE(keys.size(), 1);
        QCOMPARE(keys.first(), (ThreadKey{QStringLiteral("u3"), QStringLiteral("1")}));
        QMimeData other;
        other.setText(QStringLiteral("u3"));
        QVERIFY(ThreadListModel::threadsFromMime(&other).isEmpty());
    }

    void teamModelRows() {
        ThreadListModel threads(&store(), kReceiver);
        threads.setTeam(&m_team);
        TeamModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setClock([] { return at(30 + 125); });
        model.setTeam(&m_team);
        model.setThreads(&threads);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(TeamModel::ColumnCount));
        QCOMPARE(model.agentAt(0), QStringLiteral("Priya"));
        QCOMPARE(model.agentAt(1), QStringLiteral("Ravi"));
        QCOMPARE(model.agentAt(2), QStringLiteral("Sam"));

        const auto text = [&](int row, int column) {
            return model.index(row, column).data().toString();
        };
        QCOMPARE(text(0, TeamModel::NameColumn), QStringLiteral("Priya (you)"));
        QCOMPARE(model.index(0, 0).data(TeamModel::AgentNameRole).toString(),
                 QStringLiteral("Priya"));
        QCOMPARE(model.index(0, 0).data(TeamModel::IsMeRole).toBool(), true);
        QCOMPARE(text(0, TeamModel::RoleColumn), QStringLiteral("Agent"));
        QCOMPARE(text(2, TeamModel::RoleColumn), QStringLiteral("Supervisor"));
        QCOMPARE(text(0, TeamModel::PresenceColumn), QStringLiteral("Online"));
        QCOMPARE(text(1, TeamModel::PresenceColumn), QStringLiteral("Away"));
        QCOMPARE(text(2, TeamModel::PresenceColumn), QStringLiteral("Offline"));
        QCOMPARE(model.index(1, 0).data(TeamModel::PresenceRole).toInt(), int(Presence::Away));
        QCOMPARE(text(0, TeamModel::LoadColumn), QStringLiteral("2 / 3"));
        QCOMPARE(model.index(0, 0).data(TeamModel::OpenCountRole).toInt(), 2);
        QCOMPARE(model.index(0, 0).data(TeamModel::CapacityRole).toInt(), 3);
        // Longest wait first: Chen Wei wrote at 30, u4 (no name) at 40.
        QCOMPARE(text(0, TeamModel::ThreadsColumn), QStringLiteral("Chen Wei, u4"));
        QCOMPARE(model.index(0, 0).data(TeamModel::ThreadUserIdsRole).toStringList(),
                 (QStringList{QStringLiteral("u3"), QStringLiteral("u4")}));
        QCOMPARE(model.index(0, 0).data(TeamModel::LongestWaitingSinceRole).toDateTime(), at(30));
        QCOMPARE(text(0, TeamModel::WaitingColumn), QStringLiteral("2 min"));
        // Ravi holds u1's conversation 7, which the thread list has not seen:
        // the wait runs from the handoff (5 s).
        QCOMPARE(text(1, TeamModel::LoadColumn), QStringLiteral("1 / 2"));
        QCOMPARE(text(1, TeamModel::ThreadsColumn), QStringLiteral("u1"));
        QCOMPARE(model.index(1, 0).data(TeamModel::LongestWaitingSinceRole).toDateTime(), at(5));
        QCOMPARE(text(2, TeamModel::LoadColumn), QStringLiteral("0 / 3"));
        QCOMPARE(text(2, TeamModel::ThreadsColumn), QString());
        QCOMPARE(text(2, TeamModel::WaitingColumn), QString());
        QCOMPARE(model.queuedCount(), 1);
        QCOMPARE(model.oldestQueuedSince(), at(21));
        QCOMPARE(model.onlineCount(), 1);
        QCOMPARE(model.headerData(TeamModel::WaitingColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Longest wait"));
    }

    void teamModelNamesFromLookup() {
        TeamModel model;
        model.setDisplayNameLookup([](const QString &id) {
            return id == QLatin1String("u4") ? QStringLiteral("Dana Petrova") : QString();
        });
        model.setClock([] { return at(41 + 30); });
        model.setTeam(&m_team);
        // No thread list: names from the lookup (else the id), waits from the handoff.
        QCOMPARE(model.index(0, TeamModel::ThreadsColumn).data().toString(),
                 QStringLiteral("u3, Dana Petrova"));
        QCOMPARE(model.index(0, TeamModel::WaitingColumn).data().toString(),
                 QStringLiteral("40 s"));
    }

    void teamModelSignalsWhatChanged() {
        TeamModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTeam(&m_team);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.teamChanged();
        QCOMPARE(changed.size(), 0);

        m_team.agents[QStringLiteral("Ravi")].presence = Presence::Online;
        model.teamChanged();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(model.index(1, TeamModel::PresenceColumn).data().toString(),
                 QStringLiteral("Online"));
        QCOMPARE(model.onlineCount(), 2);

        // The queued thread goes to Sam: Sam's row changes, and the queue empties.
        changed.clear();
        m_team.assignments[QStringLiteral("u2")] =
            assigned(QStringLiteral("u2"), QStringLiteral("Sam"), at(21));
        model.teamChanged();
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
        QCOMPARE(model.index(2, TeamModel::LoadColumn).data().toString(), QStringLiteral("1 / 3"));
        QCOMPARE(model.queuedCount(), 0);
        QVERIFY(!model.oldestQueuedSince().isValid());
        QCOMPARE(reset.size(), 0);

        // A new agent: the rows are rebuilt in name order.
        m_team.agents.insert(QStringLiteral("Anil"),
                             agent(QStringLiteral("Anil"), Role::Agent, 1, Presence::Online));
        model.teamChanged();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.rowOfAgent(QStringLiteral("Anil")), 0);
        QCOMPARE(model.rowOfAgent(QStringLiteral("Sam")), 3);

        model.setTeam(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void teamModelFollowsTheThreadList() {
        ThreadListModel threads(&store(), kReceiver);
        TeamModel model;
        model.setTeam(&m_team);
        model.setThreads(&threads);
        QCOMPARE(model.index(0, TeamModel::ThreadsColumn).data().toString(),
                 QStringLiteral("Chen Wei, u4"));
        write(user(QStringLiteral("u4"), QStringLiteral("Dana Petrova"), QStringLiteral("14")));
        ChangeSet changes;
        changes.users.insert(QStringLiteral("u4"));
        threads.refresh(changes);
        // Picked up on the next event-loop pass, not synchronously per change.
        QTRY_COMPARE(model.index(0, TeamModel::ThreadsColumn).data().toString(),
                     QStringLiteral("Chen Wei, Dana Petrova"));
    }
};

VIEWS_TEST_CLASS(TestTeamViews)
#include "tst_team_views.moc"
