#include "StoreTestUtil.h"
#include "models/store/Migrations.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace tract::store;
using storetest::RawDb;
using storetest::textMessage;

namespace {

const ThreadKey kThread{u"u1"_s, u"1"_s};

QDateTime at(int seconds) {
    return QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC).addSecs(seconds);
}

IncomingMessage from(const QString &sender, qint64 id, int seconds) {
    IncomingMessage m = textMessage(kThread.userId, kThread.conversationNumber, u"m%1"_s.arg(id),
                                    id, std::nullopt, sender);
    m.receivedAt = at(seconds);
    return m;
}

IncomingEvent take(const QString &to, int seconds) {
    IncomingEvent e;
    e.thread = kThread;
    e.category = u"thread_control"_s;
    e.subcategory = u"take"_s;
    e.metadata = QString::fromUtf8(
        QJsonDocument(QJsonObject{{u"from"_s, u"iva"_s}, {u"to"_s, to}, {u"requester"_s, to}})
            .toJson(QJsonDocument::Compact));
    e.receivedAt = at(seconds);
    return e;
}

} // namespace

// The thread list's "waiting since" and "owner since" columns (schema 2).
class TestThreadTimes : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

private slots:
    void waitingSinceFollowsTheConversation() {
        Store store;
        QVERIFY(store.open(m_dir.filePath(u"waiting-%1.db"_s.arg(m_n++))));
        const auto waiting = [&] {
            return store.thread(kThread)->waitingSince;
        };

        QVERIFY(store.insertMessage(from(u"iva"_s, 1, 0)).ok);
        QVERIFY(!waiting().isValid()); // the user has not written
        QVERIFY(store.insertMessage(from(u"ceu"_s, 2, 10)).ok);
        QCOMPARE(waiting(), at(10));
        QVERIFY(store.insertMessage(from(u"ceu"_s, 3, 20)).ok);
        QCOMPARE(waiting(), at(10)); // the oldest unanswered message counts
        QVERIFY(store.insertMessage(from(u"iva"_s, 4, 30)).ok);
        QCOMPARE(waiting(), at(10)); // the bot does not end a wait for a human
        QVERIFY(store.insertMessage(from(u"aeu"_s, 5, 40)).ok);
        QVERIFY(!waiting().isValid());

        // The sender's timestamp wins over the time received.
        IncomingMessage stamped = from(u"ceu"_s, 6, 60);
        stamped.timestamp = at(55);
        QVERIFY(store.insertMessage(stamped).ok);
        QCOMPARE(waiting(), at(55));

        // A reply sent from this console (sender aeu) ends it too.
        OutgoingItem reply;
        reply.idempotencyKey = u"r1"_s;
        reply.thread = kThread;
        reply.body = QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, u"on it"_s}};
        reply.payload = reply.body;
        QVERIFY(store.enqueueOutgoing(reply).ok);
        QVERIFY(!waiting().isValid());

        // A redelivery changes nothing.
        QVERIFY(store.insertMessage(from(u"ceu"_s, 7, 70)).ok);
        QVERIFY(!store.insertMessage(from(u"ceu"_s, 7, 80)).inserted);
        QCOMPARE(waiting(), at(70));
    }

    void ownerSinceMovesOnlyWithTheOwner() {
        Store store;
        QVERIFY(store.open(m_dir.filePath(u"owner-%1.db"_s.arg(m_n++))));
        QVERIFY(store.insertMessage(from(u"ceu"_s, 1, 0)).ok);
        QVERIFY(!store.thread(kThread)->ownerSince.isValid());

        QVERIFY(store.insertEvent(take(u"ect-1"_s, 10)).ok);
        QCOMPARE(store.thread(kThread)->owner, u"ect-1"_s);
        QCOMPARE(store.thread(kThread)->ownerSince, at(10));

        // A snapshot repeating the owner keeps the clock; a new owner restarts it.
        OwnershipSnapshot same;
        same.userId = kThread.userId;
        same.conversationNumber = kThread.conversationNumber;
        same.owner = u"ect-1"_s;
        same.takenAt = at(20);
        QVERIFY(store.recordOwnership(same).ok);
        QCOMPARE(store.thread(kThread)->ownerSince, at(10));
        OwnershipSnapshot other = same;
        other.owner = u"sac"_s;
        other.takenAt = at(30);
        QVERIFY(store.recordOwnership(other).ok);
        QCOMPARE(store.thread(kThread)->ownerSince, at(30));
    }

    void threadById() {
        Store store;
        QVERIFY(store.open(m_dir.filePath(u"byid-%1.db"_s.arg(m_n++))));
        QVERIFY(store.insertMessage(from(u"ceu"_s, 1, 0)).ok);
        const auto byKey = store.thread(kThread);
        QVERIFY(byKey);
        const auto byId = store.thread(byKey->id);
        QVERIFY(byId);
        QCOMPARE(byId->key, kThread);
        QCOMPARE(byId->messageCount, byKey->messageCount);
        QCOMPARE(byId->waitingSince, byKey->waitingSince);
        QVERIFY(!store.thread(byKey->id + 1000));
    }

    void migrationBackfillsExistingThreads() {
        // A schema-1 file with data: drop the new columns, forget step 2.
        const QString path = m_dir.filePath(u"backfill-%1.db"_s.arg(m_n++));
        {
            Store store;
            QVERIFY(store.open(path));
            QVERIFY(store.insertMessage(from(u"ceu"_s, 1, 0)).ok);
            QVERIFY(store.insertMessage(from(u"aeu"_s, 2, 10)).ok);
            QVERIFY(store.insertMessage(from(u"ceu"_s, 3, 20)).ok);
            QVERIFY(store.insertMessage(from(u"ceu"_s, 4, 30)).ok);
            QVERIFY(store.insertEvent(take(u"ect-1"_s, 15)).ok);
        }
        {
            RawDb raw(path);
            raw.query(u"ALTER TABLE threads DROP COLUMN waiting_since_ms"_s);
            raw.query(u"ALTER TABLE threads DROP COLUMN owner_since_ms"_s);
            // Step 4 (store identity) came later: undo it too.
            raw.query(u"DROP TABLE store_identity"_s);
            raw.query(u"DELETE FROM schema_migrations WHERE version >= 2"_s);
            QCOMPARE(raw.scalar(u"SELECT max(version) FROM schema_migrations"_s).toInt(), 1);
        }
        Store store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
        QCOMPARE(store.thread(kThread)->waitingSince, at(20));
        QCOMPARE(store.thread(kThread)->ownerSince, at(15));
    }
};

STORE_TEST_CLASS(TestThreadTimes)
#include "tst_threadtimes.moc"
