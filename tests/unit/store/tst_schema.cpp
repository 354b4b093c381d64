#include "StoreTestUtil.h"
#include "models/store/Migrations.h"
#include "models/store/SearchIndex.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace tract::store;
using storetest::RawDb;

class TestSchema : public QObject {
    Q_OBJECT

    // Leaves a closed store at `path` holding one message per text. False when
    // SQLite has no FTS5 (the caller skips).
    static bool storeWithMessages(const QString &path, const QStringList &texts) {
        Store store;
        if (!store.open(path) || !store.hasFullTextSearch())
            return false;
        for (const QString &text : texts) {
            if (!store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, text)).ok)
                return false;
        }
        return true;
    }

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

    // Schema 5: a message with a message_id is deduplicated by the unique
    // (message_id, thread_id) index, not by a hash in dedup_key. A store from
    // before keeps recognising redeliveries of what it already holds.
    void messageIdDedupSurvivesTheMigration() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        qint64 seq = 0;
        {
            Store store;
            QVERIFY(store.open(path));
            const WriteResult r =
                store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"first"_s, 7));
            QVERIFY(r.ok && r.inserted);
            seq = r.rowId;
        }
        {
            // Back to schema 4: no index, the row keyed by a 16-byte hash.
            RawDb raw(path);
            raw.query(u"DROP INDEX messages_by_message_id"_s);
            raw.query(u"UPDATE messages SET dedup_key = randomblob(16)"_s);
            raw.query(u"DELETE FROM schema_migrations WHERE version >= 5"_s);
        }
        Store store;
        QVERIFY2(store.open(path), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
        {
            RawDb raw(path);
            QCOMPARE(raw.scalar(u"SELECT count(*) FROM messages WHERE dedup_key IS NULL"_s).toInt(),
                     1);
        }
        const WriteResult again =
            store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"first"_s, 7));
        QVERIFY(again.ok);
        QVERIFY(!again.inserted);
        QCOMPARE(again.rowId, seq);
        // The same id elsewhere, or another id here, is a different message.
        QVERIFY(
            store.insertMessage(storetest::textMessage(u"u"_s, u"2"_s, u"other"_s, 7)).inserted);
        QVERIFY(
            store.insertMessage(storetest::textMessage(u"v"_s, u"1"_s, u"other"_s, 7)).inserted);
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"next"_s, 8)).inserted);
        QCOMPARE(store.messages(MessageQuery::newest({u"u"_s, u"1"_s})).messages.size(), 2);
        RawDb raw(path);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM messages"_s).toInt(), 4);
        QCOMPARE(raw.scalar(u"SELECT count(*) FROM messages WHERE dedup_key IS NOT NULL"_s).toInt(),
                 0);
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

    // The index has a file of its own; the store's writer never opens it, so
    // an indexing transaction (here: a raw write lock held on the index file)
    // never holds up a commit that acknowledges a hook.
    void indexingNeverBlocksTheWriter() {
        QTemporaryDir dir;
        Store::Options options;
        options.path = dir.filePath(u"store.db"_s);
        options.maintenanceIntervalMs = 3600 * 1000; // one round at open, then none
        Store store;
        QVERIFY2(store.open(options), qPrintable(store.lastError()));
        if (!store.hasFullTextSearch())
            QSKIP("SQLite without FTS5");
        const QString indexFile = SearchIndex::indexPath(options.path);
        QCOMPARE(indexFile, dir.filePath(u"store.search.db"_s));
        QVERIFY(QFile::exists(indexFile));
        RawDb rawStore(options.path);
        QCOMPARE(rawStore
                     .scalar(u"SELECT count(*) FROM sqlite_master WHERE name LIKE "
                             "'messages_fts%'"_s)
                     .toInt(),
                 0);

        RawDb rawIndex(indexFile);
        QVERIFY(!rawIndex.query(u"BEGIN IMMEDIATE"_s).lastError().isValid());
        QElapsedTimer clock;
        clock.start();
        int acked = 0;
        for (int i = 0; i < 5; ++i) {
            store.enqueue(storetest::textMessage(u"u"_s, u"1"_s, u"parcel number %1"_s.arg(i), i),
                          [&](const WriteResult &r) { acked += r.ok ? 1 : 0; });
        }
        QVERIFY(store.flush());
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"parcel late"_s)).ok);
        QCOMPARE(acked, 5);
        // The busy timeout is 5 s: a writer waiting for the index lock would show.
        QVERIFY2(clock.elapsed() < 2000, qPrintable(u"%1 ms"_s.arg(clock.elapsed())));
        QCOMPARE(rawStore.scalar(u"SELECT count(*) FROM messages"_s).toInt(), 6);
        rawIndex.query(u"ROLLBACK"_s);

        // A search right after the inserts finds them all: it indexes first.
        QCOMPARE(store.search(SearchQuery(u"parcel"_s)).size(), 6);
        QCOMPARE(store.search(SearchQuery(u"lat"_s)).size(), 1);
        QCOMPARE(rawIndex.scalar(u"SELECT count(*) FROM messages_fts_docsize"_s).toInt(), 6);
        QCOMPARE(rawIndex.scalar(u"SELECT indexed_seq FROM index_state"_s).toLongLong(),
                 rawStore.scalar(u"SELECT max(seq) FROM messages"_s).toLongLong());
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
        RawDb raw(SearchIndex::indexPath(options.path));
        QTRY_COMPARE(raw.scalar(u"SELECT count(*) FROM messages_fts_docsize"_s).toInt(), 3);
        QCOMPARE(store.search(SearchQuery(u"hello"_s)).size(), 3);
    }

    // A schema-3 file kept its index inside the store file, behind a watermark
    // and delete/update triggers. Migrating drops all of that and builds the
    // index file from the messages.
    void migratesInFileIndex() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        if (!storeWithMessages(path, {u"old refund"_s, u"old parcel"_s}))
            QSKIP("SQLite without FTS5");
        QVERIFY(QFile::remove(SearchIndex::indexPath(path)));
        {
            // Back to version 3 as it was.
            RawDb raw(path);
            raw.query(u"DROP TABLE store_identity"_s);
            raw.query(u"DELETE FROM schema_migrations WHERE version >= 4"_s);
            raw.query(u"CREATE TABLE search_index_state (id INTEGER PRIMARY KEY CHECK (id = 1), "
                      "indexed_seq INTEGER NOT NULL)"_s);
            raw.query(u"CREATE VIRTUAL TABLE messages_fts USING fts5(body_text, "
                      "content='messages', content_rowid='seq')"_s);
            raw.query(u"INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')"_s);
            raw.query(u"INSERT INTO search_index_state VALUES (1, 2)"_s);
            raw.query(u"CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN "
                      "INSERT INTO messages_fts (messages_fts, rowid, body_text) "
                      "VALUES ('delete', old.seq, old.body_text); END"_s);
            QCOMPARE(raw.scalar(u"SELECT count(*) FROM messages_fts WHERE messages_fts MATCH "
                                "'refund'"_s)
                         .toInt(),
                     1);
        }
        Store store;
        Store::Options options;
        options.path = path;
        options.maintenanceIntervalMs = 3600 * 1000;
        QVERIFY2(store.open(options), qPrintable(store.lastError()));
        QCOMPARE(store.schemaVersion(), Migrations::latestVersion());
        RawDb raw(path);
        const QVariant leftovers = raw.scalar(u"SELECT group_concat(name) FROM sqlite_master "
                                              "WHERE name LIKE '%fts%' OR "
                                              "name = 'search_index_state'"_s);
        QVERIFY2(leftovers.isNull(), qPrintable(leftovers.toString()));
        QCOMPARE(raw.scalar(u"SELECT length(token) FROM store_identity"_s).toInt(), 32);
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"new refund"_s)).ok);
        QCOMPARE(store.search(SearchQuery(u"refund"_s)).size(), 2);
        QCOMPARE(store.search(SearchQuery(u"parcel"_s)).size(), 1);
    }

    // The index file names the store it was built from. Beside another
    // store's file, or beside an older copy of its own (a restored backup,
    // whose newest seqs will be handed out again), it is emptied and rebuilt
    // rather than matching messages by someone else's text.
    void rebuildsAnIndexThatIsNotThisStores() {
        QTemporaryDir dir;
        const QString a = dir.filePath(u"a.db"_s);
        const QString b = dir.filePath(u"b.db"_s);
        const QString backup = dir.filePath(u"backup.db"_s);
        {
            Store store;
            QVERIFY(store.open(a));
            if (!store.hasFullTextSearch())
                QSKIP("SQLite without FTS5");
            QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"alpha"_s)).ok);
            QCOMPARE(store.search(SearchQuery(u"alpha"_s)).size(), 1);
        }
        {
            Store store;
            QVERIFY(store.open(b));
            QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"beta"_s)).ok);
            QCOMPARE(store.search(SearchQuery(u"beta"_s)).size(), 1);
        }
        QVERIFY(QFile::remove(SearchIndex::indexPath(a)));
        QVERIFY(QFile::copy(SearchIndex::indexPath(b), SearchIndex::indexPath(a)));
        {
            Store store;
            QVERIFY(store.open(a));
            QCOMPARE(store.search(SearchQuery(u"beta"_s)).size(), 0);
            QCOMPARE(store.search(SearchQuery(u"alpha"_s)).size(), 1);
        }

        QVERIFY(QFile::copy(a, backup)); // closed: the WAL was checkpointed away
        {
            Store store;
            QVERIFY(store.open(a));
            for (int i = 0; i < 3; ++i) {
                QVERIFY(store
                            .insertMessage(
                                storetest::textMessage(u"u"_s, u"1"_s, u"later %1"_s.arg(i), i))
                            .ok);
            }
            QCOMPARE(store.search(SearchQuery(u"later"_s)).size(), 3);
        }
        QVERIFY(QFile::remove(a));
        QVERIFY(QFile::copy(backup, a));
        Store store;
        QVERIFY(store.open(a));
        QVERIFY(store.insertMessage(storetest::textMessage(u"u"_s, u"1"_s, u"gamma"_s, 9)).ok);
        QCOMPARE(store.search(SearchQuery(u"later"_s)).size(), 0);
        QCOMPARE(store.search(SearchQuery(u"gamma"_s)).size(), 1);
        QCOMPARE(store.search(SearchQuery(u"alpha"_s)).size(), 1);
    }

    // A damaged index is derived data: replaced, and search still works.
    void replacesAnUnreadableIndex() {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"store.db"_s);
        if (!storeWithMessages(path, {u"refund"_s}))
            QSKIP("SQLite without FTS5");
        QFile index(SearchIndex::indexPath(path));
        QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
        index.write(QByteArray(8192, 'x'));
        index.close();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"replacing the search index"_s));
        Store store;
        QVERIFY(store.open(path));
        QVERIFY(store.hasFullTextSearch());
        QCOMPARE(store.search(SearchQuery(u"refund"_s)).size(), 1);
    }
};

STORE_TEST_CLASS(TestSchema)
#include "tst_schema.moc"
