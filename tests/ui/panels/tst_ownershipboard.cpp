#include "PanelsTest.h"
#include "models/views/ThreadListModel.h"
#include "ui/panels/OwnershipBoard.h"

#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

using namespace panelstest;
using tract::views::ThreadListModel;

class TestOwnershipBoard : public QObject {
    Q_OBJECT

    std::unique_ptr<SampleStore> m_sample;
    std::unique_ptr<ThreadListModel> m_threads;

    QStringList shownUsers(const ui::OwnershipBoard &board) {
        QStringList users;
        const QAbstractItemModel *m = board.shownModel();
        for (int r = 0; r < m->rowCount(); ++r)
            users << m->index(r, 0).data(ThreadListModel::UserIdRole).toString();
        return users;
    }

private slots:
    void init() {
        m_sample = std::make_unique<SampleStore>();
        QVERIFY(m_sample->ok());
        m_threads = std::make_unique<ThreadListModel>(&m_sample->store(), kMe);
        m_threads->reload();
        QCOMPARE(m_threads->rowCount(), 5);
    }
    void cleanup() {
        m_threads.reset();
        m_sample.reset();
    }

    void showsEveryThreadLongestWaitFirst() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        QCOMPARE(board.shownModel()->rowCount(), 5);
        // "%n thread(s)": plural forms come from the English catalogue in the app.
        QVERIFY2(board.countText().startsWith(u"5 thread") &&
                     board.countText().endsWith(u", 1 waiting"),
                 qPrintable(board.countText()));
        // Waiting, with me and with others carry a wait; the longest is first.
        QCOMPARE(shownUsers(board).first(), QStringLiteral("u4"));
        // Preview and unread are the thread list's business.
        QVERIFY(board.view()->isColumnHidden(ThreadListModel::PreviewColumn));
        QVERIFY(board.view()->isColumnHidden(ThreadListModel::UnreadColumn));
        QVERIFY(!board.view()->isColumnHidden(ThreadListModel::WaitingColumn));
    }

    void filtersByState_data() {
        QTest::addColumn<int>("filter");
        QTest::addColumn<QStringList>("users");
        QTest::newRow("waiting") << int(ui::OwnershipBoard::WaitingForAgent)
                                 << QStringList{QStringLiteral("u2")};
        QTest::newRow("with me") << int(ui::OwnershipBoard::WithMe)
                                 << QStringList{QStringLiteral("u3")};
        QTest::newRow("with others")
            << int(ui::OwnershipBoard::WithOthers) << QStringList{QStringLiteral("u4")};
        QTest::newRow("bot") << int(ui::OwnershipBoard::Bot) << QStringList{QStringLiteral("u1")};
        QTest::newRow("complete") << int(ui::OwnershipBoard::Complete)
                                  << QStringList{QStringLiteral("u5")};
    }

    void filtersByState() {
        QFETCH(int, filter);
        QFETCH(QStringList, users);
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        auto *combo = byName<QComboBox>(&board, QStringLiteral("Thread state filter"));
        combo->setCurrentIndex(filter);
        QCOMPARE(board.stateFilter(), ui::OwnershipBoard::StateFilter(filter));
        QCOMPARE(shownUsers(board), users);
        QVERIFY(board.countText().startsWith(u"1 thread"));
        QVERIFY(board.countText().endsWith(filter == ui::OwnershipBoard::WaitingForAgent
                                               ? QStringLiteral(", 1 waiting")
                                               : QStringLiteral(", 0 waiting")));
        board.setStateFilter(ui::OwnershipBoard::AllStates);
        QCOMPARE(shownUsers(board).size(), 5);
    }

    void filtersByText() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        QTest::keyClicks(byName<QLineEdit>(&board, QStringLiteral("Search threads")),
                         QStringLiteral("refund"));
        QCOMPARE(shownUsers(board), QStringList{QStringLiteral("u3")});
        board.setSearchText(QStringLiteral("sac")); // owner
        QCOMPARE(shownUsers(board), QStringList{QStringLiteral("u4")});
        board.setSearchText({});
        QCOMPARE(shownUsers(board).size(), 5);
    }

    void sortsByHeaderClick() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        board.resize(1000, 400);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QHeaderView *header = board.view()->horizontalHeader();
        const int x = header->sectionViewportPosition(ThreadListModel::UserColumn) + 10;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        const QStringList expected{QStringLiteral("u1"), QStringLiteral("u2"), QStringLiteral("u3"),
                                   QStringLiteral("u4"), QStringLiteral("u5")};
        const QStringList first = shownUsers(board);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QStringList reversed = expected;
        std::reverse(reversed.begin(), reversed.end());
        // Names are alphabetical by user id in the sample: ascending, then descending.
        QCOMPARE(first, expected);
        QCOMPARE(shownUsers(board), reversed);
        // Sorted, the state filter still applies on top.
        board.setStateFilter(ui::OwnershipBoard::WithOthers);
        QCOMPARE(shownUsers(board), QStringList{QStringLiteral("u4")});
    }

    void doubleClickActivatesTheThread() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        board.setStateFilter(ui::OwnershipBoard::WithMe);
        board.resize(1000, 400);
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        QSignalSpy spy(&board, &ui::OwnershipBoard::threadActivated);
        QTableView *view = board.view();
        const QRect cell = view->visualRect(view->model()->index(0, 0));
        // A double click as the window system delivers it: press, release,
        // then a double-click event and a release.
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QMouseEvent dblClick(QEvent::MouseButtonDblClick, cell.center(),
                             view->viewport()->mapToGlobal(cell.center()), Qt::LeftButton,
                             Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view->viewport(), &dblClick);
        QTest::mouseRelease(view->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toString(), QStringLiteral("u3"));
        QCOMPARE(spy.at(0).at(1).toString(), QStringLiteral("1"));
    }

    void waitingTimeText_data() {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("0") << qint64(0) << QStringLiteral("0 s");
        QTest::newRow("45s") << qint64(45'900) << QStringLiteral("45 s");
        QTest::newRow("4m12s") << qint64(252'000) << QStringLiteral("4 min 12 s");
        QTest::newRow("1h3m") << qint64(3'780'000) << QStringLiteral("1 h 3 min");
        QTest::newRow("negative") << qint64(-5000) << QStringLiteral("0 s");
    }

    void waitingTimeText() {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(ui::OwnershipBoard::formatWaiting(ms), text);
    }

    void waitingTimeTicksEverySecond() {
        ui::OwnershipBoard board;
        board.setSourceModel(m_threads.get());
        board.resize(1000, 400);
        QDateTime now = m_sample->now();
        board.setClock([&] { return now; });
        board.show();
        QVERIFY(QTest::qWaitForWindowExposed(&board));
        const QImage before = board.view()->viewport()->grab().toImage();
        now = now.addSecs(7);
        // The 1 s timer repaints with the new time without any model change.
        QTRY_VERIFY_WITH_TIMEOUT(board.view()->viewport()->grab().toImage() != before, 3000);
    }

    void refusesOtherModels() {
        ui::OwnershipBoard board;
        QStandardItemModel other(2, 2);
        QTest::ignoreMessage(QtWarningMsg, "OwnershipBoard: the source must be a ThreadListModel");
        board.setSourceModel(&other);
        QCOMPARE(board.shownModel()->rowCount(), 0);
    }
};

PANELS_TEST(TestOwnershipBoard)
#include "tst_ownershipboard.moc"
