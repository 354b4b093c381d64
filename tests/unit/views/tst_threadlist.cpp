#include "ViewsTestUtil.h"
#include "models/views/ConversationModel.h"
#include "models/views/ThreadFilterModel.h"
#include "models/views/ThreadListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tract::store;
using namespace tract::views;
using namespace viewstest;
using Filter = ThreadFilterModel::Filter;
using SortMode = ThreadFilterModel::SortMode;

namespace {

const QString kMe = QStringLiteral("ect-me");

QStringList usersInOrder(const QAbstractItemModel &m) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, 0).data(ThreadListModel::UserIdRole).toString());
    return out;
}

} // namespace

class TestThreadList : public QObject {
    Q_OBJECT

    std::unique_ptr<TempStore> m_store;

    Store &store() { return m_store->store(); }
    void write(const WriteOp &op) {
        const WriteResult r = store().write(op);
        QVERIFY2(r.ok, qPrintable(r.error));
    }

    // One thread per state; activity u1 oldest ... u5 newest.
    void populate() {
        write(user(QStringLiteral("u1"), QStringLiteral("Asha Bot"), QStringLiteral("14")));
        write(user(QStringLiteral("u2"), QStringLiteral("Ben Waiting"), QStringLiteral("5")));
        write(message(QStringLiteral("u1"), QStringLiteral("1"), QStringLiteral("hi bot"),
                      QStringLiteral("ceu"), 1, at(10)));
        write(message(QStringLiteral("u2"), QStringLiteral("1"), QStringLiteral("need a human"),
                      QStringLiteral("ceu"), 1, at(20)));
        write(hookEvent(QStringLiteral("u2"), QStringLiteral("1"),
                        QStringLiteral("conversation_state"), QStringLiteral("incomplete"),
                        std::nullopt, at(21)));
        write(message(QStringLiteral("u3"), QStringLiteral("1"), QStringLiteral("refund please"),
                      QStringLiteral("ceu"), 1, at(30)));
        write(ownerChange(QStringLiteral("u3"), QStringLiteral("1"), QStringLiteral("iva"), kMe,
                          at(31)));
        write(message(QStringLiteral("u4"), QStringLiteral("1"), QStringLiteral("Parcel LOST"),
                      QStringLiteral("ceu"), 1, at(40)));
        write(ownerChange(QStringLiteral("u4"), QStringLiteral("1"), QStringLiteral("iva"),
                          QStringLiteral("sac"), at(41)));
        write(message(QStringLiteral("u5"), QStringLiteral("1"), QStringLiteral("thanks, bye"),
                      QStringLiteral("ceu"), 1, at(50)));
        write(hookEvent(QStringLiteral("u5"), QStringLiteral("1"),
                        QStringLiteral("conversation_state"), QStringLiteral("complete"),
                        std::nullopt, at(51)));
    }

private slots:
    // Retention deletes an old completed thread while the window shows it:
    // its row leaves the list, the open conversation empties, the rest stay.
    void prunedThreadsLeaveTheViews() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("views.db"));
        const ThreadKey old{QStringLiteral("old"), QStringLiteral("1")};
        const ThreadKey kept{QStringLiteral("kept"), QStringLiteral("1")};
        const QDateTime longAgo = QDateTime::currentDateTimeUtc().addDays(-40);
        Store viewer; // the window's own connection, as in the app
        QVERIFY(viewer.open(path));
        QVERIFY(viewer
                    .write(message(old.userId, old.conversationNumber, QStringLiteral("bye"),
                                   QStringLiteral("ceu"), 1, longAgo))
                    .ok);
        QVERIFY(viewer
                    .write(hookEvent(old.userId, old.conversationNumber,
                                     QStringLiteral("conversation_state"),
                                     QStringLiteral("complete"), std::nullopt, longAgo))
                    .ok);
        QVERIFY(viewer
                    .write(message(kept.userId, kept.conversationNumber, QStringLiteral("hi"),
                                   QStringLiteral("ceu"), 2))
                    .ok);
        ThreadListModel list(&viewer, kMe);
        QAbstractItemModelTester listTester(&list,
                                            QAbstractItemModelTester::FailureReportingMode::QtTest);
        list.reload();
        QCOMPARE(list.rowCount(), 2);
        ConversationModel conversation(&viewer);
        conversation.setThread(old);
        QCOMPARE(conversation.rowCount(), 1);

        Store::Options pruning;
        pruning.path = path;
        pruning.retainDays = 30;
        Store listener; // the listener's store prunes; views hear its commits
        connect(&listener, &Store::committed, &list, &ThreadListModel::refresh);
        connect(&listener, &Store::committed, &conversation, &ConversationModel::refresh);
        QSignalSpy removed(&list, &QAbstractItemModel::rowsRemoved);
        QVERIFY(listener.open(pruning));
        QTRY_COMPARE_WITH_TIMEOUT(list.rowCount(), 1, 10000);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(usersInOrder(list), QStringList{kept.userId});
        QCOMPARE(conversation.rowCount(), 0);
        // Later writes find the right rows (the row maps were rebuilt).
        QVERIFY(viewer
                    .write(message(kept.userId, kept.conversationNumber, QStringLiteral("more"),
                                   QStringLiteral("ceu"), 3))
                    .ok);
        ChangeSet changed;
        changed.threads.insert(viewer.thread(kept)->id);
        list.refresh(changed);
        QCOMPARE(list.index(0, 0).data(ThreadListModel::PreviewRole).toString(),
                 QStringLiteral("more"));
    }

    void init() {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->isOpen());
        populate();
    }
    void cleanup() { m_store.reset(); }

    void loadsEveryThreadWithItsFields() {
        ThreadListModel model(&store(), kMe);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(ThreadListModel::ColumnCount));

        const int r1 = model.rowOf({QStringLiteral("u1"), QStringLiteral("1")});
        QVERIFY(r1 >= 0);
        const QModelIndex i1 = model.index(r1, ThreadListModel::UserColumn);
        QCOMPARE(i1.data().toString(), QStringLiteral("Asha Bot"));
        QCOMPARE(i1.data(ThreadListModel::PlatformRole).toString(), QStringLiteral("WhatsApp"));
        QCOMPARE(model.index(r1, ThreadListModel::PlatformColumn).data().toString(),
                 QStringLiteral("WhatsApp"));
        QCOMPARE(i1.data(ThreadListModel::StateRole).toInt(), int(ThreadState::Bot));
        QCOMPARE(i1.data(ThreadListModel::PreviewRole).toString(), QStringLiteral("hi bot"));
        QCOMPARE(i1.data(ThreadListModel::UnreadRole).toInt(), 1);
        QCOMPARE(i1.data(ThreadListModel::ConversationNumberRole).toString(), QStringLiteral("1"));
        const auto key = i1.data(ThreadListModel::ThreadKeyRole).value<ThreadKey>();
        QCOMPARE(key, (ThreadKey{QStringLiteral("u1"), QStringLiteral("1")}));

        // No name: the user id stands in.
        const int r3 = model.rowOf({QStringLiteral("u3"), QStringLiteral("1")});
        QCOMPARE(model.index(r3, ThreadListModel::UserColumn).data().toString(),
                 QStringLiteral("u3"));
        QCOMPARE(model.index(r3, 0).data(ThreadListModel::StateRole).toInt(),
                 int(ThreadState::WithMe));
        QCOMPARE(model.index(r3, 0).data(ThreadListModel::OwnerRole).toString(), kMe);

        QCOMPARE(model.index(model.rowOf({QStringLiteral("u2"), QStringLiteral("1")}), 0)
                     .data(ThreadListModel::StateRole)
                     .toInt(),
                 int(ThreadState::WaitingForAgent));
        QCOMPARE(model.index(model.rowOf({QStringLiteral("u4"), QStringLiteral("1")}), 0)
                     .data(ThreadListModel::StateRole)
                     .toInt(),
                 int(ThreadState::WithOther));
        QCOMPARE(model.index(model.rowOf({QStringLiteral("u5"), QStringLiteral("1")}), 0)
                     .data(ThreadListModel::StateRole)
                     .toInt(),
                 int(ThreadState::Complete));
        QCOMPARE(model.rowOf({QStringLiteral("nobody"), QStringLiteral("1")}), -1);
    }

    void refreshUpdatesOnlyChangedRows() {
        ThreadListModel model(&store(), kMe);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&store(), &Store::committed, &model, &ThreadListModel::refresh);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

        write(message(QStringLiteral("u1"), QStringLiteral("1"), QStringLiteral("second"),
                      QStringLiteral("ceu"), 2, at(60)));
        QCOMPARE(changed.count(), 1);
        const int r1 = model.rowOf({QStringLiteral("u1"), QStringLiteral("1")});
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), r1);
        QCOMPARE(model.index(r1, 0).data(ThreadListModel::PreviewRole).toString(),
                 QStringLiteral("second"));
        QCOMPARE(model.index(r1, 0).data(ThreadListModel::UnreadRole).toInt(), 2);
        QCOMPARE(inserted.count(), 0);

        // A new thread is appended, not a reset.
        QSignalSpy added(&model, &ThreadListModel::threadsAdded);
        write(message(QStringLiteral("u6"), QStringLiteral("9"), QStringLiteral("new here"),
                      QStringLiteral("ceu"), 1, at(70)));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(added.count(), 1);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.rowOf({QStringLiteral("u6"), QStringLiteral("9")}), 5);

        // A user update renames every row of that user.
        changed.clear();
        write(user(QStringLiteral("u6"), QStringLiteral("Chitra"), QStringLiteral("6")));
        QCOMPARE(model.index(5, 0).data().toString(), QStringLiteral("Chitra"));
        QCOMPARE(model.index(5, 0).data(ThreadListModel::PlatformRole).toString(),
                 QStringLiteral("iOS"));
        QCOMPARE(changed.count(), 1);

        // Ownership and state changes re-derive the state.
        write(ownerChange(QStringLiteral("u2"), QStringLiteral("1"), QStringLiteral("iva"), kMe,
                          at(80)));
        QCOMPARE(model.index(model.rowOf({QStringLiteral("u2"), QStringLiteral("1")}), 0)
                     .data(ThreadListModel::StateRole)
                     .toInt(),
                 int(ThreadState::WithMe));

        // Nothing relevant: no signal at all.
        changed.clear();
        inserted.clear();
        HookRecord hook;
        hook.category = QStringLiteral("message");
        hook.subcategory = QStringLiteral("receive");
        hook.url = QStringLiteral("http://127.0.0.1/hooks/x/message/receive");
        QVERIFY(store().saveHookRegistration(hook));
        model.refresh(ChangeSet{});
        QCOMPARE(changed.count(), 0);
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(reset.count(), 0);
    }

    void filtersAndSearch() {
        ThreadListModel model(&store(), kMe);
        ThreadFilterModel proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 5); // All includes complete threads

        proxy.setFilter(Filter::Mine);
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u3")});
        proxy.setFilter(Filter::Waiting);
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u2")});
        proxy.setFilter(Filter::Bot);
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u1")});
        proxy.setFilter(Filter::Complete);
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u5")});
        proxy.setFilter(Filter::All);

        // Name, user id, preview and owner; case-insensitive; combined with the filter.
        proxy.setSearchText(QStringLiteral("  BEN "));
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u2")});
        proxy.setSearchText(QStringLiteral("u4"));
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u4")});
        proxy.setSearchText(QStringLiteral("parcel lost"));
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u4")});
        proxy.setSearchText(QStringLiteral("SAC"));
        QCOMPARE(usersInOrder(proxy), QStringList{QStringLiteral("u4")});
        proxy.setFilter(Filter::Mine);
        QCOMPARE(proxy.rowCount(), 0);
        proxy.setSearchText(QString());
        QCOMPARE(proxy.rowCount(), 1);

        // Live: a thread entering the filtered state appears.
        connect(&store(), &Store::committed, &model, &ThreadListModel::refresh);
        write(ownerChange(QStringLiteral("u1"), QStringLiteral("1"), QStringLiteral("iva"), kMe,
                          at(90)));
        QCOMPARE(proxy.rowCount(), 2);
    }

    void waitingAndOwnerSince() {
        ThreadListModel model(&store(), kMe);
        const auto role = [&](const char *user, int r) {
            return model.index(model.rowOf({QString::fromLatin1(user), QStringLiteral("1")}), 0)
                .data(r)
                .toDateTime();
        };
        QCOMPARE(role("u2", ThreadListModel::WaitingSinceRole), at(20));
        QCOMPARE(role("u3", ThreadListModel::WaitingSinceRole), at(30));
        QCOMPARE(role("u4", ThreadListModel::WaitingSinceRole), at(40));
        // The bot answers its own threads; nobody answers a complete one.
        QVERIFY(!role("u1", ThreadListModel::WaitingSinceRole).isValid());
        QVERIFY(!role("u5", ThreadListModel::WaitingSinceRole).isValid());
        QCOMPARE(role("u3", ThreadListModel::OwnerSinceRole), at(31));
        QCOMPARE(role("u4", ThreadListModel::OwnerSinceRole), at(41));
        QVERIFY(!role("u1", ThreadListModel::OwnerSinceRole).isValid());
        QVERIFY(!model
                     .index(model.rowOf({QStringLiteral("u2"), QStringLiteral("1")}),
                            ThreadListModel::WaitingColumn)
                     .data()
                     .toString()
                     .isEmpty());

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.tickWaitingTimes();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().column(),
                 int(ThreadListModel::WaitingColumn));
    }

    void sortByWaitingTime() {
        ThreadListModel model(&store(), kMe);
        ThreadFilterModel proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.sortMode(), SortMode::WaitingTime);
        // Waiting longest first, then the rest newest activity first.
        QCOMPARE(usersInOrder(proxy),
                 (QStringList{QStringLiteral("u2"), QStringLiteral("u3"), QStringLiteral("u4"),
                              QStringLiteral("u5"), QStringLiteral("u1")}));
        // An agent's reply ends u2's wait: it moves behind the waiting ones.
        connect(&store(), &Store::committed, &model, &ThreadListModel::refresh);
        write(message(QStringLiteral("u2"), QStringLiteral("1"), QStringLiteral("hello, Ben"),
                      QStringLiteral("aeu"), 2, at(110)));
        QCOMPARE(usersInOrder(proxy),
                 (QStringList{QStringLiteral("u3"), QStringLiteral("u4"), QStringLiteral("u2"),
                              QStringLiteral("u5"), QStringLiteral("u1")}));
    }

    void sortModes() {
        ThreadListModel model(&store(), kMe);
        ThreadFilterModel proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setSortMode(SortMode::LastActivity);
        QCOMPARE(usersInOrder(proxy),
                 (QStringList{QStringLiteral("u5"), QStringLiteral("u4"), QStringLiteral("u3"),
                              QStringLiteral("u2"), QStringLiteral("u1")}));

        // Header click: ascending by user column, then back to a named mode.
        proxy.sort(ThreadListModel::UserColumn, Qt::AscendingOrder);
        QCOMPARE(proxy.sortMode(), SortMode::ByColumn);
        QCOMPARE(usersInOrder(proxy).first(), QStringLiteral("u1")); // "Asha Bot"
        proxy.setSortMode(SortMode::LastActivity);
        QCOMPARE(usersInOrder(proxy).first(), QStringLiteral("u5"));

        // Live re-sort: new activity moves a thread to the top.
        connect(&store(), &Store::committed, &model, &ThreadListModel::refresh);
        write(message(QStringLiteral("u1"), QStringLiteral("1"), QStringLiteral("again"),
                      QStringLiteral("ceu"), 2, at(100)));
        QCOMPARE(usersInOrder(proxy).first(), QStringLiteral("u1"));
    }
};

VIEWS_TEST_CLASS(TestThreadList)
#include "tst_threadlist.moc"
