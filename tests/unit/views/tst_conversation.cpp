#include "ViewsTestUtil.h"
#include "models/views/ConversationModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace tract::store;
using namespace tract::views;
using namespace viewstest;

namespace {

const ThreadKey kThread{QStringLiteral("u1"), QStringLiteral("1")};
constexpr int kMessages = 10'000;

qint64 idAt(const ConversationModel &m, int row) {
    return m.index(row).data(ConversationModel::MessageIdRole).toLongLong();
}

// The window is one contiguous stretch of the thread: no gaps, no duplicates.
bool contiguous(const ConversationModel &m) {
    for (int r = 1; r < m.rowCount(); ++r) {
        if (idAt(m, r) != idAt(m, r - 1) + 1)
            return false;
    }
    return true;
}

} // namespace

class TestConversationModel : public QObject {
    Q_OBJECT

    std::unique_ptr<TempStore> m_store;
    Store &store() { return m_store->store(); }

private slots:
    void init() {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->isOpen());
        // One transaction: the group commit holds everything until flush().
        store().setGroupCommitPolicy({kMessages + 1, 3'600'000});
        for (int i = 1; i <= kMessages; ++i) {
            store().enqueue(
                message(kThread.userId, kThread.conversationNumber, QStringLiteral("m%1").arg(i),
                        i % 3 == 0 ? QStringLiteral("aeu") : QStringLiteral("ceu"), i, at(i)));
        }
        QVERIFY(store().flush());
        store().setGroupCommitPolicy({});
    }
    void cleanup() { m_store.reset(); }

    void opensAtTheNewestPage() {
        ConversationModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setThread(kThread);
        QCOMPARE(model.rowCount(), model.pageSize());
        QCOMPARE(idAt(model, model.rowCount() - 1), qint64(kMessages));
        QVERIFY(contiguous(model));
        QVERIFY(model.canFetchOlder());
        QVERIFY(!model.canFetchNewer());
        QVERIFY(model.isAtNewest());

        const QModelIndex last = model.index(model.rowCount() - 1);
        QCOMPARE(last.data(ConversationModel::SenderRole).toString(), QStringLiteral("ceu"));
        QCOMPARE(last.data(ConversationModel::TimestampRole).toDateTime(), at(kMessages));
        QCOMPARE(last.data(ConversationModel::DayRole).toDate(),
                 at(kMessages).toLocalTime().date());
        QCOMPARE(last.data(ConversationModel::OutboxStateRole).toInt(), -1);
        const auto hsl =
            last.data(ConversationModel::HslRole).value<std::shared_ptr<const hsl::Message>>();
        QVERIFY(hsl);
        QCOMPARE(hsl->kind, hsl::Kind::Text);
        QCOMPARE(hsl->text, QStringLiteral("m%1").arg(kMessages));
        QCOMPARE(model.messageAt(model.rowCount() - 1).hsl, hsl); // parsed once, shared
        QCOMPARE(last.data().toString(), QStringLiteral("m%1").arg(kMessages));

        model.setThread({QStringLiteral("nobody"), QStringLiteral("1")});
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchOlder());
    }

    void pagesToTheTopAndBackWithinTheCap() {
        ConversationModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(100);
        model.setWindowCap(500);
        model.setThread(kThread);
        int pages = 0;
        int maxRows = model.rowCount();
        while (model.canFetchOlder()) {
            QVERIFY(model.fetchOlder() > 0);
            ++pages;
            maxRows = qMax(maxRows, model.rowCount());
            QVERIFY(model.rowCount() <= model.windowCap());
            QVERIFY2(contiguous(model), qPrintable(QStringLiteral("gap after page %1").arg(pages)));
        }
        QCOMPARE(pages, kMessages / 100 - 1);
        QCOMPARE(maxRows, 500);
        QCOMPARE(idAt(model, 0), qint64(1));
        QVERIFY(model.canFetchNewer()); // the bottom was trimmed
        QVERIFY(!model.isAtNewest());

        pages = 0;
        while (model.canFetchNewer()) {
            QVERIFY(model.fetchNewer() > 0);
            ++pages;
            QVERIFY(model.rowCount() <= model.windowCap());
            QVERIFY(contiguous(model));
        }
        QCOMPARE(idAt(model, model.rowCount() - 1), qint64(kMessages));
        QVERIFY(model.canFetchOlder());
        QVERIFY(model.isAtNewest());
        QCOMPARE(model.fetchNewer(), 0);
    }

    void appendsLiveOnlyAtTheNewestEnd() {
        ConversationModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&store(), &Store::committed, &model, &ConversationModel::refresh);
        model.setThread(kThread);
        QSignalSpy appended(&model, &ConversationModel::messagesAppended);
        QSignalSpy available(&model, &ConversationModel::newerMessagesAvailable);

        QVERIFY(store()
                    .insertMessage(message(kThread.userId, kThread.conversationNumber,
                                           QStringLiteral("live"), QStringLiteral("ceu"),
                                           kMessages + 1, at(kMessages + 1)))
                    .inserted);
        QCOMPARE(appended.count(), 1);
        QCOMPARE(appended.first().at(0).toInt(), 1);
        QCOMPARE(idAt(model, model.rowCount() - 1), qint64(kMessages + 1));
        QVERIFY(contiguous(model));

        // Another thread's message changes nothing here.
        QVERIFY(store()
                    .insertMessage(message(QStringLiteral("u2"), QStringLiteral("1"),
                                           QStringLiteral("elsewhere")))
                    .inserted);
        QCOMPARE(appended.count(), 1);

        // Scrolled far up, the window was trimmed: arrivals are counted, not loaded.
        model.setPageSize(100);
        model.setWindowCap(300);
        while (model.isAtNewest())
            model.fetchOlder();
        const int rows = model.rowCount();
        const qint64 lastLoaded = idAt(model, rows - 1);
        QVERIFY(store()
                    .insertMessage(message(kThread.userId, kThread.conversationNumber,
                                           QStringLiteral("while away"), QStringLiteral("ceu"),
                                           kMessages + 2, at(kMessages + 2)))
                    .inserted);
        QCOMPARE(appended.count(), 1);
        QCOMPARE(available.count(), 1);
        QCOMPARE(available.first().at(0).toInt(), 1);
        QCOMPARE(model.rowCount(), rows);
        QCOMPARE(idAt(model, rows - 1), lastLoaded);

        model.jumpToNewest();
        QCOMPARE(idAt(model, model.rowCount() - 1), qint64(kMessages + 2));
        QVERIFY(contiguous(model));
    }

    // A message that arrives late (TRACT retried it after newer ones were
    // delivered) shows at its place in the open thread at once: between its
    // neighbours by message_id, not at the bottom, and not only after reopening.
    void lateMessageAppearsInPlace() {
        const ThreadKey late{QStringLiteral("u3"), QStringLiteral("1")};
        for (int id = 10; id <= 100; id += 10)
            QVERIFY(store()
                        .insertMessage(message(late.userId, late.conversationNumber,
                                               QStringLiteral("m%1").arg(id), QStringLiteral("ceu"),
                                               id, at(id)))
                        .inserted);
        ConversationModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&store(), &Store::committed, &model, &ConversationModel::refresh);
        model.setThread(late);
        QCOMPARE(model.rowCount(), 10);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        auto ids = [&] {
            QList<qint64> out;
            for (int r = 0; r < model.rowCount(); ++r)
                out << idAt(model, r);
            return out;
        };

        QVERIFY(
            store()
                .insertMessage(message(late.userId, late.conversationNumber, QStringLiteral("late"),
                                       QStringLiteral("ceu"), 55, at(101)))
                .inserted);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 5); // after 50
        QCOMPARE(ids(), (QList<qint64>{10, 20, 30, 40, 50, 55, 60, 70, 80, 90, 100}));

        // A late one and a new one in the same commit: each in its place.
        store().setGroupCommitPolicy({10, 3'600'000});
        store().enqueue(message(late.userId, late.conversationNumber, QStringLiteral("new"),
                                QStringLiteral("ceu"), 110, at(102)));
        store().enqueue(message(late.userId, late.conversationNumber, QStringLiteral("late 2"),
                                QStringLiteral("ceu"), 15, at(103)));
        QVERIFY(store().flush());
        store().setGroupCommitPolicy({});
        QCOMPARE(ids(), (QList<qint64>{10, 15, 20, 30, 40, 50, 55, 60, 70, 80, 90, 100, 110}));

        // One that sorts before everything loaded, with the older part of the
        // thread out of the window: it comes with the older history.
        model.setPageSize(4);
        model.setThread(late); // the newest 4: 80..110
        QCOMPARE(ids().first(), qint64(80));
        QVERIFY(store()
                    .insertMessage(message(late.userId, late.conversationNumber,
                                           QStringLiteral("very late"), QStringLiteral("ceu"), 5,
                                           at(104)))
                    .inserted);
        QCOMPARE(ids().first(), qint64(80)); // not dropped into the window
        QVERIFY(model.canFetchOlder());
        while (model.canFetchOlder())
            model.fetchOlder();
        QCOMPARE(ids().first(), qint64(5));
    }

    void outboxStatesFollowTheStore() {
        ConversationModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&store(), &Store::committed, &model, &ConversationModel::refresh);
        model.setThread(kThread);
        QSignalSpy appended(&model, &ConversationModel::messagesAppended);

        OutgoingItem out;
        out.idempotencyKey = QStringLiteral("k1");
        out.thread = kThread;
        out.body = {{QStringLiteral("type"), QStringLiteral("TEXT")},
                    {QStringLiteral("text"), QStringLiteral("reply")}};
        out.payload = out.body;
        const WriteResult r = store().enqueueOutgoing(out);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(appended.count(), 1);
        const int row = model.rowCount() - 1;
        QCOMPARE(model.index(row).data(ConversationModel::OutboxIdRole).toLongLong(), r.rowId);
        QCOMPARE(model.index(row).data(ConversationModel::OutboxStateRole).toInt(),
                 int(OutboxState::Pending));
        QCOMPARE(model.index(row).data(ConversationModel::DirectionRole).toInt(),
                 int(Direction::Out));

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QVERIFY(store().markOutboxFailed(r.rowId, QStringLiteral("HTTP 503")));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.index(row).data(ConversationModel::OutboxStateRole).toInt(),
                 int(OutboxState::Failed));
        QCOMPARE(model.index(row).data(ConversationModel::OutboxErrorRole).toString(),
                 QStringLiteral("HTTP 503"));
        QVERIFY(store().retryOutbox(r.rowId));
        QVERIFY(store().markOutboxSent(r.rowId));
        QCOMPARE(model.index(row).data(ConversationModel::OutboxStateRole).toInt(),
                 int(OutboxState::Sent));
        QCOMPARE(model.index(row).data(ConversationModel::OutboxErrorRole).toString(), QString());
    }
};

VIEWS_TEST_CLASS(TestConversationModel)
#include "tst_conversation.moc"
