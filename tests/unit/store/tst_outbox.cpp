#include "StoreTestUtil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace tract::store;

namespace {

OutgoingItem reply(const QString &key, const QString &user, const QString &text) {
    OutgoingItem o;
    o.idempotencyKey = key;
    o.kind = OutboxKind::Message;
    o.thread = {user, u"1"_s};
    o.body = QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, text}};
    o.payload = QJsonObject{{u"user_id"_s, user},
                            {u"sender"_s, u"aeu"_s},
                            {u"message_body"_s, u"{\"type\":\"TEXT\"}"_s}};
    return o;
}

QList<qint64> ids(const QList<OutboxItem> &items) {
    QList<qint64> out;
    for (const OutboxItem &i : items)
        out.append(i.id);
    return out;
}

} // namespace

class TestOutbox : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    int m_n = 0;
    Store &store() { return *m_store; }

    void reopen() {
        const QString path = m_store->path();
        m_store = std::make_unique<Store>();
        QVERIFY2(m_store->open(path), qPrintable(m_store->lastError()));
    }

private slots:
    void init() {
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open(m_dir.filePath(u"outbox-%1.db"_s.arg(m_n++))));
    }
    void cleanup() { m_store.reset(); }

    void pendingToSent() {
        const WriteResult r = store().enqueueOutgoing(reply(u"k1"_s, u"u"_s, u"hello"_s));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(r.inserted);
        auto item = store().outboxItem(r.rowId);
        QVERIFY(item);
        QCOMPARE(item->state, OutboxState::Pending);
        QCOMPARE(item->attempts, 0);
        QVERIFY(item->messageSeq);
        QCOMPARE(item->payload.value(u"sender"_s).toString(), u"aeu"_s);

        // The reply shows in its thread at once, as an outgoing pending message.
        const MessagePage page = store().messages(MessageQuery::newest({u"u"_s, u"1"_s}));
        QCOMPARE(page.messages.size(), 1);
        QCOMPARE(page.messages.first().direction, Direction::Out);
        QCOMPARE(page.messages.first().sender, u"aeu"_s);
        QCOMPARE(page.messages.first().outboxState, std::optional(OutboxState::Pending));

        // Enqueueing the same key again is harmless.
        const WriteResult again = store().enqueueOutgoing(reply(u"k1"_s, u"u"_s, u"hello"_s));
        QVERIFY(again.ok && !again.inserted);
        QCOMPARE(again.rowId, r.rowId);
        QCOMPARE(store().messages(MessageQuery::newest({u"u"_s, u"1"_s})).messages.size(), 1);

        QVERIFY(store().markOutboxSent(r.rowId));
        item = store().outboxItem(r.rowId);
        QCOMPARE(item->state, OutboxState::Sent);
        QCOMPARE(item->attempts, 1);
        QVERIFY(item->sentAt);
        QCOMPARE(store().message(*item->messageSeq)->outboxState, std::optional(OutboxState::Sent));
        // Sent is final.
        QVERIFY(!store().markOutboxFailed(r.rowId, u"late"_s));
        QVERIFY(!store().cancelOutbox(r.rowId));
        QVERIFY(!store().retryOutbox(r.rowId));
        QVERIFY(!store().markOutboxSent(999));
    }

    void failedRetriedThenSent() {
        const qint64 id = store().enqueueOutgoing(reply(u"k1"_s, u"u"_s, u"x"_s)).rowId;
        QVERIFY(store().markOutboxFailed(id, u"HTTP 503: try later"_s));
        auto item = store().outboxItem(id);
        QCOMPARE(item->state, OutboxState::Failed);
        QCOMPARE(item->lastError, u"HTTP 503: try later"_s);
        QCOMPARE(item->attempts, 1);
        const Message m = *store().message(*item->messageSeq);
        QCOMPARE(m.outboxState, std::optional(OutboxState::Failed));
        QCOMPARE(m.outboxError, u"HTTP 503: try later"_s);
        QVERIFY(!store().markOutboxSent(id)); // must be retried first

        QVERIFY(store().retryOutbox(id));
        item = store().outboxItem(id);
        QCOMPARE(item->state, OutboxState::Pending);
        QVERIFY(item->lastError.isEmpty());
        QVERIFY(store().markOutboxSent(id));
        item = store().outboxItem(id);
        QCOMPARE(item->state, OutboxState::Sent);
        QCOMPARE(item->attempts, 2);
    }

    void cancel() {
        const qint64 a = store().enqueueOutgoing(reply(u"a"_s, u"u"_s, u"a"_s)).rowId;
        const qint64 b = store().enqueueOutgoing(reply(u"b"_s, u"u"_s, u"b"_s)).rowId;
        QVERIFY(store().cancelOutbox(a)); // pending -> cancelled
        QVERIFY(store().markOutboxFailed(b, u"x"_s));
        QVERIFY(store().cancelOutbox(b)); // failed -> cancelled
        QCOMPARE(store().outboxItem(a)->state, OutboxState::Cancelled);
        QCOMPARE(store().outboxItem(b)->state, OutboxState::Cancelled);
        QVERIFY(!store().retryOutbox(a));
        QVERIFY(store().outboxReady().isEmpty());
        OutboxQuery cancelled;
        cancelled.state = OutboxState::Cancelled;
        QCOMPARE(store().outboxItems(cancelled).size(), 2);
    }

    void perUserOrder() {
        const qint64 a1 = store().enqueueOutgoing(reply(u"a1"_s, u"alice"_s, u"1"_s)).rowId;
        const qint64 b1 = store().enqueueOutgoing(reply(u"b1"_s, u"bob"_s, u"1"_s)).rowId;
        const qint64 a2 = store().enqueueOutgoing(reply(u"a2"_s, u"alice"_s, u"2"_s)).rowId;
        OutgoingItem event;
        event.idempotencyKey = u"a3"_s;
        event.kind = OutboxKind::Event;
        event.thread = {u"alice"_s, QString()};
        event.category = u"aeu_events"_s;
        event.subcategory = u"received"_s;
        event.payload = QJsonObject{{u"type"_s, u"aeu_events"_s}, {u"subtype"_s, u"received"_s}};
        const WriteResult a3r = store().enqueueOutgoing(event);
        QVERIFY2(a3r.ok, qPrintable(a3r.error));
        const qint64 a3 = a3r.rowId;
        QVERIFY(store().outboxItem(a3)->eventSeq);

        // Only each user's head may go.
        QCOMPARE(ids(store().outboxReady()), (QList<qint64>{a1, b1}));
        // A failed head blocks that user only.
        QVERIFY(store().markOutboxFailed(a1, u"timeout"_s));
        QCOMPARE(ids(store().outboxReady()), (QList<qint64>{b1}));
        QVERIFY(store().markOutboxSent(b1));
        QVERIFY(store().outboxReady().isEmpty());
        QVERIFY(store().retryOutbox(a1));
        QCOMPARE(ids(store().outboxReady()), (QList<qint64>{a1}));
        QVERIFY(store().markOutboxSent(a1));
        QCOMPARE(ids(store().outboxReady()), (QList<qint64>{a2}));
        // Cancelling the head unblocks the next.
        QVERIFY(store().cancelOutbox(a2));
        QCOMPARE(ids(store().outboxReady()), (QList<qint64>{a3}));
        QVERIFY(store().markOutboxSent(a3));
        QVERIFY(store().outboxReady().isEmpty());

        OutboxQuery alice;
        alice.userId = u"alice"_s;
        QCOMPARE(ids(store().outboxItems(alice)), (QList<qint64>{a1, a2, a3}));
        // Outgoing events show in the user's feed.
        EventQuery feed;
        feed.userId = u"alice"_s;
        const QList<Event> events = store().events(feed);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().direction, Direction::Out);
        QCOMPARE(events.first().outboxId, std::optional<qint64>(a3));
    }

    void survivesReopen() {
        const qint64 a = store().enqueueOutgoing(reply(u"a"_s, u"u"_s, u"a"_s)).rowId;
        const qint64 b = store().enqueueOutgoing(reply(u"b"_s, u"u"_s, u"b"_s)).rowId;
        const qint64 c = store().enqueueOutgoing(reply(u"c"_s, u"v"_s, u"c"_s)).rowId;
        QVERIFY(store().markOutboxSent(a));
        QVERIFY(store().markOutboxFailed(c, u"HTTP 400: bad body"_s));
        reopen();
        QCOMPARE(store().outboxItem(a)->state, OutboxState::Sent);
        QCOMPARE(store().outboxItem(b)->state, OutboxState::Pending);
        QCOMPARE(store().outboxItem(c)->state, OutboxState::Failed);
        QCOMPARE(store().outboxItem(c)->lastError, u"HTTP 400: bad body"_s);
        QCOMPARE(ids(store().outboxReady()), (QList<qint64>{b}));
        QVERIFY(store().retryOutbox(c));
        reopen();
        QCOMPARE(ids(store().outboxReady()), (QList<qint64>{b, c}));
        // New items continue after the old ones (ids are never reused).
        const qint64 d = store().enqueueOutgoing(reply(u"d"_s, u"v"_s, u"d"_s)).rowId;
        QVERIFY(d > c);
    }

    void rejectsIncompleteItems() {
        OutgoingItem noKey = reply(QString(), u"u"_s, u"x"_s);
        QVERIFY(!store().enqueueOutgoing(noKey).ok);
        OutgoingItem noConversation = reply(u"k"_s, u"u"_s, u"x"_s);
        noConversation.thread.conversationNumber.clear();
        QVERIFY(!store().enqueueOutgoing(noConversation).ok);
        QVERIFY(store().outboxItems().isEmpty()); // nothing half-written
    }
};

STORE_TEST_CLASS(TestOutbox)
#include "tst_outbox.moc"
