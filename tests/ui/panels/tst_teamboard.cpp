#include "PanelsTest.h"
#include "TeamSample.h"
#include "models/views/TeamModel.h"
#include "models/views/ThreadListModel.h"
#include "ui/panels/OwnershipBoard.h"
#include "ui/panels/TeamBoard.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace panelstest;
using tract::views::TeamModel;
using tract::views::ThreadListModel;

namespace {

// What a drag of `user`'s row out of the ownership board carries: the board's
// own (proxied) model makes it, as QAbstractItemView::startDrag would.
std::unique_ptr<QMimeData> dragOutOfBoard(const ui::OwnershipBoard &board, const QString &user) {
    const QAbstractItemModel *m = board.shownModel();
    for (int r = 0; r < m->rowCount(); ++r) {
        if (m->index(r, 0).data(ThreadListModel::UserIdRole).toString() != user)
            continue;
        QModelIndexList row;
        for (int c = 0; c < m->columnCount(); ++c)
            row << m->index(r, c);
        return std::unique_ptr<QMimeData>(m->mimeData(row));
    }
    return nullptr;
}

// Drag enter, move and drop at `pos` on `target`, as the window system
// delivers them. Returns whether the move was accepted (the cursor would say
// "can drop here").
bool dragAndDrop(QWidget *target, const QPoint &pos, const QMimeData *mime) {
    const Qt::DropActions actions = Qt::CopyAction | Qt::MoveAction;
    QDragEnterEvent enter(pos, actions, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    if (!enter.isAccepted())
        return false;
    QDragMoveEvent move(pos, actions, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &move);
    const bool accepted = move.isAccepted();
    QDropEvent drop(QPointF(pos), actions, mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    return accepted && drop.isAccepted();
}

} // namespace

class TestTeamBoard : public QObject {
    Q_OBJECT

    std::unique_ptr<SampleStore> m_sample;
    std::unique_ptr<ThreadListModel> m_threads;
    std::unique_ptr<TeamModel> m_model;
    tract::team::TeamState m_team;

    QPoint agentRowCentre(ui::TeamBoard &board, const char *agent) {
        const int row = m_model->rowOfAgent(QString::fromLatin1(agent));
        return board.view()->visualRect(m_model->index(row, TeamModel::ThreadsColumn)).center();
    }

private slots:
    void init() {
        m_sample = std::make_unique<SampleStore>();
        QVERIFY(m_sample->ok());
        m_team = sampleTeam(m_sample->now());
        m_threads = std::make_unique<ThreadListModel>(&m_sample->store(), kMe);
        m_threads->setTeam(&m_team);
        m_model = std::make_unique<TeamModel>();
        const QDateTime now = m_sample->now();
        m_model->setClock([now] { return now; });
        m_model->setThreads(m_threads.get());
        m_model->setTeam(&m_team);
    }
    void cleanup() {
        m_model.reset();
        m_threads.reset();
        m_sample.reset();
    }

    void showsTheAgents() {
        ui::TeamBoard board;
        board.setModel(m_model.get());
        QCOMPARE(board.view()->model()->rowCount(), 4);
        QCOMPARE(board.summaryText(), QStringLiteral("Online: 2 of 4 · Open threads: 2"));
        QCOMPARE(board.queueText(), QStringLiteral("1 waiting, oldest 4 min"));
        const int priya = m_model->rowOfAgent(QStringLiteral("Priya"));
        QCOMPARE(m_model->index(priya, TeamModel::LoadColumn).data().toString(),
                 QStringLiteral("1 / 3"));
        QCOMPARE(m_model->index(priya, TeamModel::ThreadsColumn).data().toString(),
                 QStringLiteral("Chen Wei"));
        QVERIFY(!board.view()->isColumnHidden(TeamModel::PresenceColumn));
        // The threads column takes the room left; the others fit their text.
        QCOMPARE(board.view()->horizontalHeader()->sectionResizeMode(TeamModel::ThreadsColumn),
                 QHeaderView::Stretch);
    }

    void dropOnAnAgentAsksToAssign() {
        ui::OwnershipBoard source;
        source.setSourceModel(m_threads.get());
        source.setTeamMode(&m_team, true);
        ui::TeamBoard board;
        board.setModel(m_model.get());
        board.resize(900, 360);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QSignalSpy spy(&board, &ui::TeamBoard::assignRequested);

        // Ben (queued) onto Priya.
        const auto ben = dragOutOfBoard(source, QStringLiteral("u2"));
        QVERIFY(ben);
        QVERIFY(dragAndDrop(board.view()->viewport(), agentRowCentre(board, "Priya"), ben.get()));
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("u2"));
        QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("Priya"));

        // Dana (Ravi's) onto Meera, who is offline: the supervisor may.
        const auto dana = dragOutOfBoard(source, QStringLiteral("u4"));
        QVERIFY(dragAndDrop(board.view()->viewport(), agentRowCentre(board, "Meera"), dana.get()));
        QCOMPARE(spy.size(), 2);
        QCOMPARE(spy.at(1).at(0).toString(), QStringLiteral("u4"));
        QCOMPARE(spy.at(1).at(1).toString(), QStringLiteral("Meera"));

        // Chen onto Priya, who has him already: nothing to ask.
        const auto chen = dragOutOfBoard(source, QStringLiteral("u3"));
        dragAndDrop(board.view()->viewport(), agentRowCentre(board, "Priya"), chen.get());
        QCOMPARE(spy.size(), 2);

        // Below the last row there is no agent to drop on.
        const QPoint below(20, board.view()->viewport()->height() - 4);
        QVERIFY(!board.view()->indexAt(below).isValid());
        QVERIFY(!dragAndDrop(board.view()->viewport(), below, ben.get()));
        QCOMPARE(spy.size(), 2);
    }

    void dropOnTheQueueSendsItBack() {
        ui::OwnershipBoard source;
        source.setSourceModel(m_threads.get());
        source.setTeamMode(&m_team, true);
        ui::TeamBoard board;
        board.setModel(m_model.get());
        board.resize(900, 360);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QSignalSpy spy(&board, &ui::TeamBoard::assignRequested);
        QWidget *queue = board.queueTarget();
        QCOMPARE(queue->accessibleName(), QStringLiteral("Queue"));

        const auto chen = dragOutOfBoard(source, QStringLiteral("u3"));
        QVERIFY(dragAndDrop(queue, queue->rect().center(), chen.get()));
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("u3"));
        QCOMPARE(spy.at(0).at(1).toString(), QString());

        // Ben is queued already.
        const auto ben = dragOutOfBoard(source, QStringLiteral("u2"));
        dragAndDrop(queue, queue->rect().center(), ben.get());
        QCOMPARE(spy.size(), 1);
    }

    void refusesWhatIsNotAThread() {
        ui::TeamBoard board;
        board.setModel(m_model.get());
        board.resize(900, 360);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QSignalSpy spy(&board, &ui::TeamBoard::assignRequested);
        QMimeData text;
        text.setText(QStringLiteral("u2"));
        QVERIFY(!dragAndDrop(board.view()->viewport(), agentRowCentre(board, "Priya"), &text));
        QVERIFY(!dragAndDrop(board.queueTarget(), board.queueTarget()->rect().center(), &text));
        QCOMPARE(spy.size(), 0);
    }

    void readOnlyTakesNoDrops() {
        ui::OwnershipBoard source;
        source.setSourceModel(m_threads.get());
        source.setTeamMode(&m_team, true);
        ui::TeamBoard board;
        board.setModel(m_model.get());
        board.setReadOnly(true);
        board.resize(900, 360);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QSignalSpy spy(&board, &ui::TeamBoard::assignRequested);
        const auto ben = dragOutOfBoard(source, QStringLiteral("u2"));
        QVERIFY(!dragAndDrop(board.view()->viewport(), agentRowCentre(board, "Priya"), ben.get()));
        QVERIFY(!dragAndDrop(board.queueTarget(), board.queueTarget()->rect().center(), ben.get()));
        QCOMPARE(spy.size(), 0);
    }

    void followsTheTeam() {
        ui::TeamBoard board;
        board.setModel(m_model.get());
        m_team.agents[QStringLiteral("Ravi")].presence = tract::team::Presence::Online;
        m_team.assignments[QStringLiteral("u2")] =
            teamAssignment("u2", "Priya", m_sample->now().addSecs(-252));
        m_model->teamChanged();
        QCOMPARE(board.summaryText(), QStringLiteral("Online: 3 of 4 · Open threads: 3"));
        QCOMPARE(board.queueText(), QStringLiteral("empty"));
        const int priya = m_model->rowOfAgent(QStringLiteral("Priya"));
        // Ben has waited longer than Chen: he comes first.
        QCOMPARE(m_model->index(priya, TeamModel::ThreadsColumn).data().toString(),
                 QStringLiteral("Ben Okafor, Chen Wei"));
        QCOMPARE(m_model->index(priya, TeamModel::LoadColumn).data().toString(),
                 QStringLiteral("2 / 3"));
    }

    void screenshot() {
        ui::TeamBoard board;
        board.setModel(m_model.get());
        QVERIFY(shoot(&board, QStringLiteral("team-board"), QSize(860, 300)));
    }
};

PANELS_TEST(TestTeamBoard)
#include "tst_teamboard.moc"
