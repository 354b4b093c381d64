#include "PanelsTest.h"
#include "TeamSample.h"
#include "models/views/ThreadListModel.h"
#include "ui/panels/OwnershipBoard.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QMenu>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace panelstest;
using tract::views::ThreadListModel;

// The ownership board in team mode: the Agent column for everyone, and for
// supervisors the assign menu and draggable rows.
class TestOwnershipBoardTeam : public QObject {
    Q_OBJECT

    std::unique_ptr<SampleStore> m_sample;
    std::unique_ptr<ThreadListModel> m_threads;
    tract::team::TeamState m_team;

    QModelIndex rowOf(const ui::OwnershipBoard &board, const QString &user, int column = 0) {
        const QAbstractItemModel *m = board.shownModel();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data(ThreadListModel::UserIdRole).toString() == user)
                return m->index(r, column);
        }
        return {};
    }

    // Right-clicks `user`'s row; returns the menu that opened, if any.
    QMenu *rightClick(ui::OwnershipBoard &board, const QString &user) {
        QTableView *view = board.view();
        const QPoint at =
            view->visualRect(rowOf(board, user, ThreadListModel::UserColumn)).center();
        QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
        QApplication::sendEvent(view->viewport(), &event);
        const auto menus = board.findChildren<QMenu *>();
        for (QMenu *m : menus) {
            if (m->accessibleName() == QLatin1String("Thread actions") && m->isVisible())
                return m;
        }
        return nullptr;
    }

    static QAction *actionFor(QMenu *menu, const QString &agent) {
        const auto actions = menu->actions();
        for (QAction *a : actions) {
            if (a->data().toString() == agent)
                return a;
        }
        return nullptr;
    }

private slots:
    void init() {
        m_sample = std::make_unique<SampleStore>();
        QVERIFY(m_sample->ok());
        m_team = sampleTeam(m_sample->now());
        m_threads = std::make_unique<ThreadListModel>(&m_sample->store(), kMe);
        m_threads->setTeam(&m_team);
    }
    void cleanup() {
        QApplication::closeAllWindows();
        m_threads.reset();
        m_sample.reset();
    }

    void agentColumnOnlyInTeamMode() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        QVERIFY(board.view()->isColumnHidden(ThreadListModel::AssigneeColumn));
        board.setTeamMode(&m_team, false);
        QVERIFY(!board.view()->isColumnHidden(ThreadListModel::AssigneeColumn));
        QCOMPARE(
            rowOf(board, QStringLiteral("u3"), ThreadListModel::AssigneeColumn).data().toString(),
            QStringLiteral("Priya"));
        QCOMPARE(
            rowOf(board, QStringLiteral("u2"), ThreadListModel::AssigneeColumn).data().toString(),
            QStringLiteral("Queued"));
        QCOMPARE(board.shownModel()
                     ->headerData(ThreadListModel::AssigneeColumn, Qt::Horizontal)
                     .toString(),
                 QStringLiteral("Agent"));
        // The search finds threads by their agent.
        board.setSearchText(QStringLiteral("ravi"));
        QCOMPARE(board.shownModel()->rowCount(), 1);
        QCOMPARE(board.shownModel()->index(0, 0).data(ThreadListModel::UserIdRole).toString(),
                 QStringLiteral("u4"));
        board.setSearchText({});
        board.setTeamMode(nullptr, false);
        QVERIFY(board.view()->isColumnHidden(ThreadListModel::AssigneeColumn));
    }

    void contextMenuAssignsToAnAgent() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        board.setTeamMode(&m_team, true);
        board.resize(1100, 400);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QSignalSpy spy(&board, &ui::OwnershipBoard::assignRequested);

        QMenu *menu = rightClick(board, QStringLiteral("u2"));
        QVERIFY(menu);
        auto *assignTo = menu->findChild<QMenu *>(QStringLiteral("assignToMenu"));
        QVERIFY(assignTo);
        QCOMPARE(assignTo->menuAction()->text(), QStringLiteral("&Assign to"));
        // Every agent, with presence and load.
        QCOMPARE(actionFor(assignTo, QStringLiteral("Priya"))->text(),
                 QStringLiteral("Priya — Online, 1 / 3"));
        QCOMPARE(actionFor(assignTo, QStringLiteral("Ravi"))->text(),
                 QStringLiteral("Ravi — Away, 1 / 2"));
        QCOMPARE(actionFor(assignTo, QStringLiteral("Meera"))->text(),
                 QStringLiteral("Meera — Offline, 0 / 3"));
        QVERIFY(actionFor(assignTo, QStringLiteral("Sam")));
        // Ben is queued: "back to the queue" has nothing to do.
        auto *back = menu->findChild<QAction *>(QStringLiteral("backToQueue"));
        QVERIFY(back);
        QVERIFY(!back->isEnabled());

        actionFor(assignTo, QStringLiteral("Priya"))->trigger();
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("u2"));
        QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("Priya"));
        menu->close();
    }

    void contextMenuSendsBackToTheQueue() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        board.setTeamMode(&m_team, true);
        board.resize(1100, 400);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QSignalSpy spy(&board, &ui::OwnershipBoard::assignRequested);

        QMenu *menu = rightClick(board, QStringLiteral("u3"));
        QVERIFY(menu);
        auto *assignTo = menu->findChild<QMenu *>(QStringLiteral("assignToMenu"));
        // Chen is Priya's: her entry is checked, not offered.
        QAction *priya = actionFor(assignTo, QStringLiteral("Priya"));
        QVERIFY(priya->isChecked());
        QVERIFY(!priya->isEnabled());
        auto *back = menu->findChild<QAction *>(QStringLiteral("backToQueue"));
        QVERIFY(back->isEnabled());
        back->trigger();
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("u3"));
        QCOMPARE(spy.at(0).at(1).toString(), QString());
        menu->close();
    }

    void agentsGetNoMenuAndNoDrag() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        board.setTeamMode(&m_team, false);
        board.resize(1100, 400);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QVERIFY(!board.canAssign());
        QVERIFY(!rightClick(board, QStringLiteral("u2")));
        QVERIFY(!board.view()->dragEnabled());
        QMenu menu;
        board.addAssignActions(&menu, QStringLiteral("u2"));
        QVERIFY(menu.actions().isEmpty());

        board.setTeamMode(&m_team, true);
        QVERIFY(board.view()->dragEnabled());
        QVERIFY(board.shownModel()->flags(rowOf(board, QStringLiteral("u2"))) &
                Qt::ItemIsDragEnabled);
    }

    void singleSeatUnchanged() {
        ThreadListModel threads(&m_sample->store(), kMe); // no team
        ui::OwnershipBoard board;
        board.setSourceModel(&threads);
        board.resize(1100, 400);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QVERIFY(board.view()->isColumnHidden(ThreadListModel::AssigneeColumn));
        QVERIFY(!rightClick(board, QStringLiteral("u2")));
        QVERIFY(!board.view()->dragEnabled());
        QVERIFY(!(board.shownModel()->flags(rowOf(board, QStringLiteral("u2"))) &
                  Qt::ItemIsDragEnabled));
    }

    void screenshot() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        board.setTeamMode(&m_team, true);
        const QDateTime now = m_sample->now();
        board.setClock([now] { return now; });
        QVERIFY(shoot(&board, QStringLiteral("ownership-board-team"), QSize(1100, 300)));
    }
};

PANELS_TEST(TestOwnershipBoardTeam)
#include "tst_ownershipboard_team.moc"
