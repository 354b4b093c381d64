#include "StoreTestUtil.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace tract::store;
using storetest::RawDb;

// Retention (--retain-days): completed conversations older than the cutoff
// leave the store in the background; nothing else does.
class TestRetention : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    static QDateTime daysAgo(int days) { return QDateTime::currentDateTimeUtc().addDays(-days); }
    static IncomingMessage message(const ThreadKey &key, qint64 id, const QString &text,
                                   const QDateTime &at) {
        IncomingMessage m = storetest::textMessage(key.userId, key.conversationNumber, text, id);
        m.receivedAt = at;
        return m;
    }
    static IncomingEvent state(const ThreadKey &key, const QString &subcategory,
                               const QDateTime &at) {
        IncomingEvent e;
        e.thread = key;
        e.category = u"conversation_state"_s;
        e.subcategory = subcategory;
        e.timestamp = at;
        e.receivedAt = at;
        return e;
    }
    // A thread of `count` messages, last active `days` ago, in `finalState`.
    static void addThread(Store &store, const ThreadKey &key, int days, int count,
                          const QString &finalState, const QString &text) {
        const QDateTime at = daysAgo(days);
        for (int i = 1; i <= count; ++i)
            store.enqueue(message(key, 1000 * (1 + key.conversationNumber.toLongLong()) + i,
                                  u"%1 %2"_s.arg(text).arg(i), at));
        store.enqueue(state(key, finalState, at));
        QVERIFY(store.flush());
    }
    static Store::Options options(const QString &path, int retainDays) {
        Store::Options o;
        o.path = path;
        o.retainDays = retainDays;
        o.maintenanceIntervalMs = 20;
        return o;
    }
    static int rows(const QString &path, const QString &sql) {
        RawDb raw(path);
        return raw.scalar(sql).toInt();
    }

private slots:
    void prunesOnlyOldCompletedConversations() {
        const QString path = m_dir.filePath(u"r-%1.db"_s.arg(m_n++));
        const ThreadKey old{u"ann"_s, u"1"_s};       // complete, 40 days: goes
        const ThreadKey open{u"ben"_s, u"1"_s};      // 40 days but not complete: stays
        const ThreadKey recent{u"cara"_s, u"1"_s};   // complete, 2 days: stays
        const ThreadKey annRecent{u"ann"_s, u"2"_s}; // ann's other, recent thread
        const ThreadKey failedOut{u"dev"_s, u"1"_s}; // old, complete, a failed reply: stays
        qint64 failedId = 0;
        {
            Store store;
            QVERIFY(store.open(options(path, 0)));
            addThread(store, old, 40, 3, u"complete"_s, u"kettle"_s);
            addThread(store, open, 40, 2, u"incomplete"_s, u"parcel"_s);
            addThread(store, recent, 2, 2, u"complete"_s, u"teapot"_s);
            addThread(store, annRecent, 1, 1, u"waiting"_s, u"hello"_s);
            OutgoingItem reply;
            reply.idempotencyKey = u"reply-1"_s;
            reply.thread = failedOut;
            reply.body = QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, u"on its way"_s}};
            const WriteResult r = store.enqueueOutgoing(reply);
            QVERIFY(r.ok);
            failedId = r.rowId;
            QVERIFY(store.markOutboxFailed(failedId, u"TRACT said 500"_s));
            store.enqueue(state(failedOut, u"complete"_s, daysAgo(40)));
            QVERIFY(store.flush());
            // Default: nothing is pruned, however old.
            QTest::qWait(200);
            QCOMPARE(store.threads().size(), 5);
            QVERIFY(!store.search(SearchQuery(u"kettle"_s)).isEmpty());
        }
        {
            RawDb raw(path);
            raw.query(u"UPDATE threads SET last_activity_ms = ? WHERE user_id = 'dev'"_s,
                      {daysAgo(40).toMSecsSinceEpoch()});
        }

        Store store;
        QSignalSpy committed(&store, &Store::committed);
        QVERIFY(store.open(options(path, 30)));
        QTRY_VERIFY_WITH_TIMEOUT(!store.thread(old), 10000);
        QVERIFY(store.thread(open));
        QVERIFY(store.thread(recent));
        QVERIFY(store.thread(annRecent));
        QVERIFY(store.thread(failedOut));
        QVERIFY(store.outboxItem(failedId));
        QVERIFY(store.user(u"ann"_s)); // still has a thread
        QCOMPARE(store.messages(MessageQuery::newest(old)).messages.size(), 0);
        QCOMPARE(rows(path, u"SELECT count(*) FROM messages WHERE body_text LIKE '%kettle%'"_s), 0);
        QCOMPARE(rows(path, u"SELECT count(*) FROM events WHERE user_id = 'ann' AND "
                            "conversation_number = '1'"_s),
                 0);
        QCOMPARE(store.search(SearchQuery(u"kettle"_s)).size(), 0);
        QCOMPARE(store.search(SearchQuery(u"teapot"_s)).size(), 2);
        QCOMPARE(store.search(SearchQuery(u"parcel"_s)).size(), 2);
        // Views hear of it.
        QTRY_VERIFY(!committed.isEmpty());
        bool told = false;
        for (const QList<QVariant> &args : std::as_const(committed)) {
            const auto changes = args.first().value<ChangeSet>();
            told = told || (changes.removedThreads.size() == 1 && changes.threadList);
        }
        QVERIFY(told);
    }

    void userGoesWithItsLastThread() {
        const QString path = m_dir.filePath(u"r-%1.db"_s.arg(m_n++));
        const ThreadKey only{u"eve"_s, u"1"_s};
        {
            Store store;
            QVERIFY(store.open(options(path, 0)));
            User u;
            u.userId = u"eve"_s;
            u.name = u"Eve"_s;
            QVERIFY(store.upsertUser(u).ok);
            addThread(store, only, 90, 2, u"complete"_s, u"refund"_s);
            RawDb raw(path);
            const qint64 longAgo = daysAgo(90).toMSecsSinceEpoch();
            raw.query(u"UPDATE users SET updated_at_ms = ?, created_at_ms = ?"_s,
                      {longAgo, longAgo});
            raw.query(u"UPDATE events SET received_at_ms = ?"_s, {longAgo});
        }
        Store store;
        QVERIFY(store.open(options(path, 30)));
        QTRY_VERIFY_WITH_TIMEOUT(!store.user(u"eve"_s), 10000);
        QCOMPARE(store.threads().size(), 0);
        QCOMPARE(rows(path, u"SELECT count(*) FROM events"_s), 0);
    }

    // A thread larger than one step goes in several, while other writes go
    // on; a writer that cached the pruned thread's id starts a new one.
    void largeThreadGoesInStepsWhileWritesContinue() {
        const QString path = m_dir.filePath(u"r-%1.db"_s.arg(m_n++));
        const ThreadKey big{u"fay"_s, u"1"_s};
        const ThreadKey live{u"gus"_s, u"1"_s};
        const int count = 3 * 500 + 17;
        {
            Store store;
            QVERIFY(store.open(options(path, 0)));
            addThread(store, big, 60, count, u"complete"_s, u"order"_s);
        }
        Store store;
        Store::Options o = options(path, 30);
        o.pruneIntervalMs = 50; // the second round comes quickly
        QVERIFY(store.open(o));
        int acked = 0;
        int i = 0;
        QElapsedTimer t;
        t.start();
        while (store.thread(big) && t.elapsed() < 20000) {
            ++i;
            store.enqueue(message(live, i, u"still here %1"_s.arg(i), {}),
                          [&](const WriteResult &r) { acked += r.ok ? 1 : 0; });
            QTest::qWait(2);
        }
        QVERIFY(store.flush());
        QVERIFY(!store.thread(big));
        QCOMPARE(acked, i);
        QCOMPARE(store.thread(live)->messageCount, i);
        QCOMPARE(rows(path, u"SELECT count(*) FROM messages WHERE thread_id NOT IN "
                            "(SELECT id FROM threads)"_s),
                 0);
        // The same conversation again (this Store's writer had its id cached).
        QVERIFY(store.insertMessage(message(big, 99999, u"back again"_s, {})).ok);
        const auto again = store.thread(big);
        QVERIFY(again);
        QCOMPARE(again->messageCount, 1);
    }

    // Another connection that wrote to a thread before it was pruned (the
    // window's store, another process) forgets its cached id too.
    void otherWritersForgetPrunedThreads() {
        const QString path = m_dir.filePath(u"r-%1.db"_s.arg(m_n++));
        const ThreadKey key{u"hal"_s, u"1"_s};
        Store other;
        QVERIFY(other.open(options(path, 0)));
        addThread(other, key, 45, 2, u"complete"_s, u"late"_s);
        Store pruner;
        QVERIFY(pruner.open(options(path, 30)));
        QTRY_VERIFY_WITH_TIMEOUT(!pruner.thread(key), 10000);
        const WriteResult r = other.insertMessage(message(key, 5000, u"late reply"_s, {}));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(other.thread(key)->messageCount, 1); // a new thread, not the pruned one
    }
};

STORE_TEST_CLASS(TestRetention)
#include "tst_retention.moc"
