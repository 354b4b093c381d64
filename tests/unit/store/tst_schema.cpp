#include "StoreTestUtil.h"
#include "models/store/Migrations.h"

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
};

STORE_TEST_CLASS(TestSchema)
#include "tst_schema.moc"
