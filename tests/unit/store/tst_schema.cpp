#include "StoreTestUtil.h"
#include "models/store/Migrations.h"

#include <QSqlError>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace tract::store;
using storetest::RawDb;

class TestSchema : public QObject {
    Q_OBJECT

private slots:
    void migratesEmptyFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"sub/dir/store.db"_s); // folders are created
        Store store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
        store.close();

        RawDb raw(path);
        QCOMPARE(raw.scalar(u"PRAGMA journal_mode"_s).toString(), u"wal"_s);
        for (const QString &table :
             {u"users"_s, u"threads"_s, u"messages"_s, u"events"_s, u"outbox"_s,
              u"ownership_snapshots"_s, u"hook_registrations"_s, u"schema_migrations"_s}) {
            QVERIFY2(raw.scalar(u"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                "name = ?"_s,
                                {table})
                             .toInt() == 1,
                     qPrintable(table));
        }
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM schema_migrations"_s).toInt(),
                 Migrations::steps().size());
    }

    void reopenKeepsDataAndDoesNotMigrateAgain() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        {
            Store store;
            QVERIFY(store.open(path));
            QVERIFY(store.insertMessage(storetest::textMessage(u"u1"_s, u"1"_s, u"hello"_s, 1)).ok);
        }
        Store store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
        const MessagePage page = store.messages(MessageQuery::newest({u"u1"_s, u"1"_s}));
        QCOMPARE(page.messages.size(), 1);
        QCOMPARE(page.messages.first().body.value(u"text"_s).toString(), u"hello"_s);
        store.close();
        RawDb raw(path);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM schema_migrations"_s).toInt(),
                 Migrations::steps().size());
    }

    void refusesNewerSchema() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        {
            Store store;
            QVERIFY(store.open(path));
        }
        {
            RawDb raw(path);
            raw.query(u"INSERT INTO schema_migrations (version, description, applied_at_ms) "
                      "VALUES (?, 'from the future', 0)"_s,
                      {Migrations::latestVersion() + 1});
        }
        Store store;
        QVERIFY(!store.open(path));
        QVERIFY2(store.lastError().contains(u"newer"_s), qPrintable(store.lastError()));
        QVERIFY(!store.isOpen());
    }

    void unwritableLocationFailsCleanly() {
        Store store;
        QVERIFY(!store.open(u"/proc/no-such-dir/store.db"_s));
        QVERIFY(!store.lastError().isEmpty());
        // Operations on a closed store fail instead of crashing.
        QVERIFY(!store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"x"_s)).ok);
        bool called = false;
        store.enqueue(storetest::textMessage(u"u"_s, u"1"_s, u"x"_s),
                      [&](const WriteResult &r) { called = !r.ok; });
        QVERIFY(!store.flush());
        QVERIFY(called);
    }

    void twoStoresInOneProcess() {
        // Each Store has its own named connection.
        QTemporaryDir dir;
        Store a;
        Store b;
        QVERIFY(a.open(dir.filePath(u"a.db"_s)));
        QVERIFY(b.open(dir.filePath(u"b.db"_s)));
        QVERIFY(a.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"in a"_s)).ok);
        QCOMPARE(a.threads().size(), 1);
        QCOMPARE(b.threads().size(), 0);
    }

    void fullTextIndexFollowsTheLibrary() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        Store::Options withFts;
        withFts.path = path;
        Store::Options withoutFts = withFts;
        withoutFts.fullTextSearch = false;
        const bool haveFts5 = [&] {
            Store s;
            return s.open(withFts) && s.hasFullTextSearch();
        }();
        qInfo() << "FTS5 available:" << haveFts5;

        Store store;
        QVERIFY(store.open(withFts));
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"first refund"_s)).ok);
        store.close();

        // Without the index: LIKE search, inserts still work (no stale triggers).
        QVERIFY(store.open(withoutFts));
        QVERIFY(!store.hasFullTextSearch());
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"second refund"_s)).ok);
        QCOMPARE(store.search(SearchQuery(u"refund"_s)).size(), 2);
        QCOMPARE(store.search(SearchQuery(u"COND REF"_s)).size(), 1); // substring, case-insensitive
        store.close();

        // Back with the index: rebuilt, so the message written meanwhile is found.
        QVERIFY(store.open(withFts));
        QCOMPARE(store.hasFullTextSearch(), haveFts5);
        QCOMPARE(store.search(SearchQuery(u"refund"_s)).size(), 2);
        QCOMPARE(store.search(SearchQuery(u"secon"_s)).size(), 1);
    }

    // New messages are indexed after the commit that acknowledges them, by the
    // background thread or by the next search, never by that commit itself.
    void fullTextIndexIsWrittenOutsideTheAckCommit() {
        QTemporaryDir dir;
        Store::Options options;
        options.path = dir.filePath(u"store.db"_s);
        options.maintenanceIntervalMs = 3600 * 1000; // no background round in this test
        Store store;
        QVERIFY2(store.open(options), qPrintable(store.lastError()));
        if (!store.hasFullTextSearch())
            QSKIP("SQLite without FTS5");
        RawDb raw(options.path);
        const auto indexed = [&] {
            return raw.scalar(u"SELECT count(*) FROM messages_fts_docsize"_s).toInt();
        };
        int acked = 0;
        for (int i = 0; i < 5; ++i) {
            store.enqueue(storetest::textMessage(u"u"_s, u"1"_s, u"parcel number %1"_s.arg(i), i),
                          [&](const WriteResult &r) { acked += r.ok ? 1 : 0; });
        }
        QVERIFY(store.flush());
        QCOMPARE(acked, 5);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM messages"_s).toInt(), 5);
        QCOMPARE(indexed(), 0); // committed and acknowledged, not indexed yet
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"parcel late"_s)).ok);
        QCOMPARE(indexed(), 0);

        // A search right after the inserts finds them all: it indexes first.
        QCOMPARE(store.search(SearchQuery(u"parcel"_s)).size(), 6);
        QCOMPARE(store.search(SearchQuery(u"lat"_s)).size(), 1);
        QCOMPARE(indexed(), 6);
        QCOMPARE(raw.scalar(u"SELECT indexed_seq FROM search_index_state"_s).toLongLong(),
                 raw.scalar(u"SELECT max(seq) FROM messages"_s).toLongLong());
    }

    void backgroundThreadIndexesNewMessages() {
        QTemporaryDir dir;
        Store::Options options;
        options.path = dir.filePath(u"store.db"_s);
        options.maintenanceIntervalMs = 20;
        Store store;
        QVERIFY2(store.open(options), qPrintable(store.lastError()));
        if (!store.hasFullTextSearch())
            QSKIP("SQLite without FTS5");
        for (int i = 0; i < 3; ++i)
            QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"hello"_s, i)).ok);
        RawDb raw(options.path);
        QTRY_COMPARE(raw.scalar(u"SELECT count(*) FROM messages_fts_docsize"_s).toInt(), 3);
        QCOMPARE(store.search(SearchQuery(u"hello"_s)).size(), 3);
    }

    // A file from schema version 2 (index kept by a per-row trigger) keeps its
    // index: the migration drops the trigger and starts the watermark at the
    // newest message; later messages are indexed from there.
    void migratesTriggerMaintainedIndex() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        {
            Store store;
            QVERIFY(store.open(path));
            if (!store.hasFullTextSearch())
                QSKIP("SQLite without FTS5");
            QVERIFY(
                store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"old refund"_s)).ok);
            QCOMPARE(store.search(SearchQuery(u"refund"_s)).size(), 1);
        }
        {
            // Back to version 2 as it was: insert trigger, no watermark.
            RawDb raw(path);
            raw.query(u"DROP TRIGGER messages_fts_ad"_s);
            raw.query(u"DROP TRIGGER messages_fts_au"_s);
            raw.query(u"DROP TABLE search_index_state"_s);
            raw.query(u"DELETE FROM schema_migrations WHERE version >= 3"_s);
            raw.query(u"CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN "
                      "INSERT INTO messages_fts (rowid, body_text) VALUES (new.seq, "
                      "new.body_text); END"_s);
            raw.query(u"INSERT INTO threads (id, user_id, conversation_number, created_at_ms, "
                      "last_activity_ms) SELECT 99, user_id, '2', 0, 0 FROM users LIMIT 1"_s);
            raw.query(u"INSERT INTO messages (thread_id, order_key, sender, direction, "
                      "received_at_ms, body, body_text) VALUES (99, 1, 'ceu', 0, 0, '{}', "
                      "'second refund')"_s);
        }
        Store store;
        Store::Options options;
        options.path = path;
        options.maintenanceIntervalMs = 3600 * 1000;
        QVERIFY2(store.open(options), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
        RawDb raw(path);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM sqlite_master WHERE name = 'messages_fts_ai'"_s)
                     .toInt(),
                 0);
        QCOMPARE(raw.scalar(u"SELECT indexed_seq FROM search_index_state"_s).toLongLong(),
                 raw.scalar(u"SELECT max(seq) FROM messages"_s).toLongLong());
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM messages_fts_docsize"_s).toInt(), 2);
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"third refund"_s)).ok);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM messages_fts_docsize"_s).toInt(), 2);
        QCOMPARE(store.search(SearchQuery(u"refund"_s)).size(), 3);
        // Deleting an indexed message removes it from the index (guarded trigger).
        raw.query(u"DELETE FROM messages WHERE body_text = 'old refund'"_s);
        QCOMPARE(store.search(SearchQuery(u"refund"_s)).size(), 2);
        const QSqlQuery check =
            raw.query(u"INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')"_s);
        QVERIFY2(!check.lastError().isValid(), qPrintable(check.lastError().text()));
    }
};

STORE_TEST_CLASS(TestSchema)
#include "tst_schema.moc"
