#include "ViewsTestUtil.h"
#include "models/views/EventFeedModel.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace tract::store;
using namespace tract::views;
using namespace viewstest;

namespace {

const QString kUser = QStringLiteral("u1");

QStringList kinds(const EventFeedModel &m) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, EventFeedModel::KindColumn).data().toString());
    return out;
}

bool timeOrdered(const EventFeedModel &m) {
    for (int r = 1; r < m.rowCount(); ++r) {
        if (m.entryAt(r) < m.entryAt(r - 1))
            return false;
    }
    return true;
}

} // namespace

class TestEventFeed : public QObject {
    Q_OBJECT

    std::unique_ptr<TempStore> m_store;
    Store &store() { return m_store->store(); }
    void write(const WriteOp &op) {
        const WriteResult r = store().write(op);
        QVERIFY2(r.ok, qPrintable(r.error));
    }

private slots:
    void init() {
        m_store = std::make_unique<TempStore>();
        QVERIFY(m_store->isOpen());
    }
    void cleanup() { m_store.reset(); }

    void mergesSourcesInTimeOrder() {
        // Two conversations, events and messages interleaved by time, written
        // out of time order so seq order is not time order.
        write(hookEvent(kUser, QString(), QStringLiteral("user_events"),
                        QStringLiteral("create_user"), std::nullopt, at(0)));
        write(message(kUser, QStringLiteral("1"), QStringLiteral("hello"), QStringLiteral("ceu"), 1,
                      at(10)));
        write(message(kUser, QStringLiteral("2"), QStringLiteral("other conv"),
                      QStringLiteral("ceu"), 1, at(15)));
        write(hookEvent(kUser, QStringLiteral("1"), QStringLiteral("conversation_state"),
                        QStringLiteral("incomplete"), std::nullopt, at(20)));
        write(message(kUser, QStringLiteral("1"), QStringLiteral("bot reply"),
                      QStringLiteral("iva"), 2, at(12)));
        write(ownerChange(kUser, QStringLiteral("1"), QStringLiteral("iva"),
                          QStringLiteral("ect-me"), at(30)));
        write(hookEvent(QStringLiteral("someone-else"), QStringLiteral("1"),
                        QStringLiteral("aeu_events"), QStringLiteral("received"), std::nullopt,
                        at(25)));

        EventFeedModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setUser(kUser);
        QCOMPARE(
            kinds(model),
            (QStringList{QStringLiteral("user_events/create_user"), QStringLiteral("message/ceu"),
                         QStringLiteral("message/iva"), QStringLiteral("message/ceu"),
                         QStringLiteral("conversation_state/incomplete"),
                         QStringLiteral("thread_control/take")}));
        QCOMPARE(model.index(1, EventFeedModel::SummaryColumn).data().toString(),
                 QStringLiteral("hello"));
        QCOMPARE(model.index(5, EventFeedModel::SummaryColumn).data().toString(),
                 QStringLiteral("iva \u2192 ect-me (ect-me)"));
        QCOMPARE(model.index(4, EventFeedModel::SummaryColumn).data().toString(),
                 QStringLiteral("Handed over to agents"));
        QCOMPARE(model.index(3, 0).data(EventFeedModel::ConversationNumberRole).toString(),
                 QStringLiteral("2"));
        QCOMPARE(model.index(0, EventFeedModel::DirectionColumn).data().toString(),
                 QStringLiteral("in"));

        // Raw JSON: the hook body as received, the message body as stored.
        const QJsonObject raw =
            QJsonDocument::fromJson(
                model.index(4, 0).data(EventFeedModel::RawJsonRole).toString().toUtf8())
                .object();
        QCOMPARE(raw.value(QStringLiteral("subcategory")).toString(), QStringLiteral("incomplete"));
        const QJsonObject body =
            QJsonDocument::fromJson(
                model.index(1, 0).data(EventFeedModel::RawJsonRole).toString().toUtf8())
                .object();
        QCOMPARE(body.value(QStringLiteral("text")).toString(), QStringLiteral("hello"));

        // Category filter.
        model.setCategoryFilter(QStringLiteral("message"));
        QCOMPARE(model.rowCount(), 3);
        model.setCategoryFilter(QStringLiteral("thread_control"));
        QCOMPARE(kinds(model), QStringList{QStringLiteral("thread_control/take")});
        model.setCategoryFilter(QString());
        QCOMPARE(model.rowCount(), 6);
    }

    void pagesOlderWithoutGapsOrDuplicates() {
        // 150 messages and 150 events alternating in time.
        store().setGroupCommitPolicy({1000, 3'600'000});
        for (int i = 0; i < 150; ++i) {
            store().enqueue(message(kUser, QStringLiteral("1"), QStringLiteral("m%1").arg(i),
                                    QStringLiteral("ceu"), i + 1, at(2 * i)));
            store().enqueue(hookEvent(kUser, QStringLiteral("1"), QStringLiteral("aeu_events"),
                                      QStringLiteral("received"), QStringLiteral("e%1").arg(i),
                                      at(2 * i + 1)));
        }
        QVERIFY(store().flush());

        EventFeedModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(40);
        model.setUser(kUser);
        QCOMPARE(model.rowCount(), 40);
        // An event's summary says what it means, then its metadata.
        QCOMPARE(model.index(39, EventFeedModel::SummaryColumn).data().toString(),
                 QStringLiteral("Chat received by an agent: e149"));
        int pages = 1;
        while (model.canFetchOlder()) {
            QVERIFY(model.fetchOlder() > 0);
            ++pages;
            QVERIFY(timeOrdered(model));
        }
        QCOMPARE(pages, 8); // 300 / 40
        QCOMPARE(model.rowCount(), 300);
        for (int r = 0; r < 300; ++r) {
            const QString expected =
                r % 2 == 0 ? QStringLiteral("m%1").arg(r / 2)
                           : QStringLiteral("Chat received by an agent: e%1").arg(r / 2);
            QCOMPARE(model.index(r, EventFeedModel::SummaryColumn).data().toString(), expected);
        }
    }

    void liveUpdatesOutboxAndNotes() {
        write(message(kUser, QStringLiteral("1"), QStringLiteral("hi"), QStringLiteral("ceu"), 1,
                      at(0)));
        EventFeedModel model(&store());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&store(), &Store::committed, &model, &EventFeedModel::refresh);
        model.setUser(kUser);
        QCOMPARE(model.rowCount(), 1);

        // A hook received and a message in a brand-new conversation.
        write(hookEvent(kUser, QStringLiteral("1"), QStringLiteral("conversation_state"),
                        QStringLiteral("complete"), std::nullopt, at(5)));
        write(message(kUser, QStringLiteral("2"), QStringLiteral("new conv"), QStringLiteral("ceu"),
                      1, at(6)));
        QCOMPARE(kinds(model), (QStringList{QStringLiteral("message/ceu"),
                                            QStringLiteral("conversation_state/complete"),
                                            QStringLiteral("message/ceu")}));

        // An event sent through the outbox, then its result.
        OutgoingItem out;
        out.idempotencyKey = QStringLiteral("tc-1");
        out.kind = OutboxKind::ThreadControl;
        out.thread = {kUser, QStringLiteral("2")};
        out.category = QStringLiteral("thread_control");
        out.subcategory = QStringLiteral("take");
        out.payload = {{QStringLiteral("user_id"), kUser}};
        const WriteResult r = store().enqueueOutgoing(out);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.index(3, EventFeedModel::DirectionColumn).data().toString(),
                 QStringLiteral("out"));
        QVERIFY(store().markOutboxFailed(r.rowId, QStringLiteral("HTTP 409")));
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(4, 0).data(EventFeedModel::CategoryRole).toString(),
                 QStringLiteral("outbox"));
        QVERIFY(model.index(4, EventFeedModel::SummaryColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("HTTP 409")));

        // Notes never reach the store; another user's note is not shown.
        model.appendLocalNote(kUser, QStringLiteral("registration"),
                              QStringLiteral("hook message/receive rejected: 401"));
        model.appendLocalNote(QStringLiteral("u2"), QStringLiteral("registration"),
                              QStringLiteral("not mine"));
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(model.index(5, EventFeedModel::DirectionColumn).data().toString(),
                 QStringLiteral("local"));
        model.setCategoryFilter(QStringLiteral("outbox"));
        QCOMPARE(model.rowCount(), 1);
        // Live entries respect the filter.
        QVERIFY(store().retryOutbox(r.rowId));
        QVERIFY(store().markOutboxSent(r.rowId));
        QCOMPARE(model.rowCount(), 3); // failed, queued for retry, sent
        model.setCategoryFilter(QString());
        QCOMPARE(model.rowCount(), 8);

        // Notes survive switching users.
        model.setUser(QStringLiteral("u2"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, EventFeedModel::SummaryColumn).data().toString(),
                 QStringLiteral("not mine"));
    }
};

VIEWS_TEST_CLASS(TestEventFeed)
#include "tst_eventfeed.moc"
