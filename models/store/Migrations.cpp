#include "models/store/Migrations.h"

#include "models/common/Logging.h"
#include "models/store/Database.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace tract::store {

namespace {

// Times are UTC milliseconds since the epoch; JSON is compact UTF-8 text.
QList<Migrations::Step> buildSteps() {
    QList<Migrations::Step> steps;
    steps.append({1,
                  QStringLiteral("users, threads, messages, events, outbox, ownership, hooks"),
                  {
                      QStringLiteral(R"(CREATE TABLE users (
    user_id TEXT PRIMARY KEY NOT NULL,
    name TEXT,
    device_platform TEXT,
    third_party_user_id TEXT,
    ect_user_id TEXT,
    details_available TEXT,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL))"),
                      // last_order_key/last_seq: cursor of the newest message (for the
                      // preview); read_*: cursor up to which the agent has read;
                      // max_message_id: anchors messages that come without an id.
                      QStringLiteral(R"(CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(user_id),
    conversation_number TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    last_activity_ms INTEGER NOT NULL,
    last_order_key INTEGER NOT NULL DEFAULT 0,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_preview TEXT NOT NULL DEFAULT '',
    max_message_id INTEGER NOT NULL DEFAULT 0,
    message_count INTEGER NOT NULL DEFAULT 0,
    unread_count INTEGER NOT NULL DEFAULT 0,
    read_order_key INTEGER NOT NULL DEFAULT 0,
    read_seq INTEGER NOT NULL DEFAULT 0,
    owner TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT '',
    UNIQUE (user_id, conversation_number)))"),
                      QStringLiteral("CREATE INDEX threads_by_activity ON threads "
                                     "(last_activity_ms DESC, id DESC)"),
                      // state: 0 pending, 1 sent, 2 failed, 3 cancelled (OutboxState).
                      QStringLiteral(R"(CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    conversation_number TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    sent_at_ms INTEGER))"),
                      // Only open items (pending, failed) decide what is sent next.
                      QStringLiteral("CREATE INDEX outbox_open_by_user ON outbox (user_id, id) "
                                     "WHERE state IN (0, 2)"),
                      QStringLiteral("CREATE INDEX outbox_by_state ON outbox (state, id)"),
                      // AUTOINCREMENT: seq is never reused, even after deletes, so
                      // a cursor held by a view never points at a different row.
                      // dedup_key: 16-byte hash; NULL when the message cannot be
                      // told apart from a genuine repeat (no id, no timestamp).
                      QStringLiteral(R"(CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    message_id INTEGER,
    order_key INTEGER NOT NULL,
    sender TEXT NOT NULL,
    direction INTEGER NOT NULL,
    timestamp_ms INTEGER,
    received_at_ms INTEGER NOT NULL,
    body TEXT NOT NULL,
    body_text TEXT NOT NULL DEFAULT '',
    metadata TEXT,
    dedup_key BLOB UNIQUE,
    outbox_id INTEGER REFERENCES outbox(id)))"),
                      QStringLiteral("CREATE INDEX messages_by_thread ON messages "
                                     "(thread_id, order_key, seq)"),
                      QStringLiteral("CREATE INDEX messages_by_outbox ON messages (outbox_id) "
                                     "WHERE outbox_id IS NOT NULL"),
                      QStringLiteral(R"(CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    conversation_number TEXT NOT NULL DEFAULT '',
    thread_id INTEGER REFERENCES threads(id),
    category TEXT NOT NULL,
    subcategory TEXT NOT NULL,
    metadata TEXT,
    timestamp_ms INTEGER,
    received_at_ms INTEGER NOT NULL,
    direction INTEGER NOT NULL,
    raw_json TEXT NOT NULL DEFAULT '',
    dedup_key BLOB UNIQUE,
    outbox_id INTEGER REFERENCES outbox(id)))"),
                      QStringLiteral("CREATE INDEX events_by_user ON events (user_id, seq)"),
                      QStringLiteral("CREATE INDEX events_by_thread ON events (thread_id, seq) "
                                     "WHERE thread_id IS NOT NULL"),
                      QStringLiteral("CREATE INDEX events_by_outbox ON events (outbox_id) "
                                     "WHERE outbox_id IS NOT NULL"),
                      QStringLiteral(R"(CREATE TABLE ownership_snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    conversation_number TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',
    listeners TEXT NOT NULL,
    taken_at_ms INTEGER NOT NULL))"),
                      QStringLiteral("CREATE INDEX ownership_by_user ON ownership_snapshots "
                                     "(user_id, id)"),
                      QStringLiteral(R"(CREATE TABLE hook_registrations (
    category TEXT NOT NULL,
    subcategory TEXT NOT NULL,
    url TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    registered_at_ms INTEGER NOT NULL,
    PRIMARY KEY (category, subcategory)))"),
                  }});
    // The thread list's "waiting since" and "owner since", kept on the thread
    // row as messages and ownership changes are written, so listing 10,000
    // threads never scans messages. Existing rows are backfilled once, in
    // arrival (seq) order like the maintained values.
    steps.append({2,
                  QStringLiteral("threads.waiting_since_ms, threads.owner_since_ms"),
                  {
                      // Time of the user's oldest message after the last agent reply;
                      // NULL when the agent spoke last (or the user never wrote).
                      QStringLiteral("ALTER TABLE threads ADD COLUMN waiting_since_ms INTEGER"),
                      // When the current owner took the thread; NULL when unknown.
                      QStringLiteral("ALTER TABLE threads ADD COLUMN owner_since_ms INTEGER"),
                      QStringLiteral(R"(UPDATE threads SET waiting_since_ms = (
    SELECT min(coalesce(m.timestamp_ms, m.received_at_ms)) FROM messages m
    WHERE m.thread_id = threads.id AND m.sender = 'ceu' AND m.seq > coalesce((
        SELECT max(a.seq) FROM messages a
        WHERE a.thread_id = threads.id AND a.sender IN ('aeu', 'ect')), 0)))"),
                      QStringLiteral(R"(UPDATE threads SET owner_since_ms = (
    SELECT max(coalesce(e.timestamp_ms, e.received_at_ms)) FROM events e
    WHERE e.thread_id = threads.id AND e.category = 'thread_control'
      AND e.subcategory IN ('take', 'pass')) WHERE owner <> '')"),
                  }});
    // Full-text indexing leaves the write path: messages are indexed in batches
    // after their commit (SearchIndex::indexPending) up to a watermark, instead
    // of by a per-row trigger inside the commit that acknowledges them. When
    // the old insert trigger existed the index was complete, so the watermark
    // starts at the newest message; otherwise there is no row and the next
    // SearchIndex::setUp rebuilds the index. The delete/update triggers are
    // dropped too: setUp recreates them guarded by the watermark.
    steps.append({3,
                  QStringLiteral("search_index_state: batched full-text indexing"),
                  {
                      QStringLiteral("CREATE TABLE search_index_state ("
                                     "id INTEGER PRIMARY KEY CHECK (id = 1), "
                                     "indexed_seq INTEGER NOT NULL)"),
                      QStringLiteral("INSERT INTO search_index_state (id, indexed_seq) "
                                     "SELECT 1, (SELECT coalesce(max(seq), 0) FROM messages) "
                                     "WHERE EXISTS (SELECT 1 FROM sqlite_master "
                                     "WHERE type = 'trigger' AND name = 'messages_fts_ai')"),
                      QStringLiteral("DROP TRIGGER IF EXISTS messages_fts_ai"),
                      QStringLiteral("DROP TRIGGER IF EXISTS messages_fts_ad"),
                      QStringLiteral("DROP TRIGGER IF EXISTS messages_fts_au"),
                  }});
    // The search index moves to a file of its own (SearchIndex::indexPath),
    // written by the maintenance thread without locking this file. The store
    // gets an identity so an index file can tell which store it was built
    // from; the old index table is dropped by Database::open when the FTS5
    // module is there to drop it.
    steps.append({4,
                  QStringLiteral("store_identity; the search index leaves the store file"),
                  {
                      QStringLiteral("CREATE TABLE store_identity ("
                                     "id INTEGER PRIMARY KEY CHECK (id = 1), "
                                     "token TEXT NOT NULL)"),
                      QStringLiteral("INSERT INTO store_identity (id, token) "
                                     "VALUES (1, lower(hex(randomblob(16))))"),
                      QStringLiteral("DROP TRIGGER IF EXISTS messages_fts_ad"),
                      QStringLiteral("DROP TRIGGER IF EXISTS messages_fts_au"),
                      QStringLiteral("DROP TABLE IF EXISTS search_index_state"),
                  }});
    // Redeliveries of a message with a TRACT message_id are found by
    // (message_id, thread_id) instead of a hash in dedup_key. Ids grow, so new
    // rows land at the right edge of this index, where the hash put each hook
    // on a random leaf: one page written per hook and commit less (the
    // ingest benchmark in docs/benchmarks.md). Every such row was keyed by
    // (user, conversation, message_id), i.e. by this pair, so it is unique.
    steps.append(
        {5,
         QStringLiteral("messages_by_message_id: redeliveries by (message_id, thread)"),
         {
             QStringLiteral("CREATE UNIQUE INDEX IF NOT EXISTS messages_by_message_id ON messages "
                            "(message_id, thread_id) WHERE message_id IS NOT NULL"),
             QStringLiteral("UPDATE messages SET dedup_key = NULL "
                            "WHERE message_id IS NOT NULL"),
         }});
    // Retention deletes threads; every writing connection caches thread ids
    // (Writer), in this process or another. Each pruning step that deletes a
    // thread raises this counter, and a writer that sees it change forgets its
    // cache before writing.
    steps.append(
        {6,
         QStringLiteral("store_generation: retention invalidates cached thread ids"),
         {
             QStringLiteral("CREATE TABLE IF NOT EXISTS store_generation ("
                            "id INTEGER PRIMARY KEY CHECK (id = 1), "
                            "pruned INTEGER NOT NULL)"),
             QStringLiteral("INSERT OR IGNORE INTO store_generation (id, pruned) VALUES (1, 0)"),
         }});
    return steps;
}

bool ensureVersionTable(Database &db) {
    return db.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                  "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                                  "applied_at_ms INTEGER NOT NULL)"));
}

} // namespace

const QList<Migrations::Step> &Migrations::steps() {
    static const QList<Step> s = buildSteps();
    return s;
}

int Migrations::latestVersion() {
    return steps().isEmpty() ? 0 : steps().last().version;
}

int Migrations::currentVersion(Database &db) {
    QSqlQuery q(db.connection());
    if (!q.exec(QStringLiteral("SELECT max(version) FROM schema_migrations")) || !q.next())
        return 0;
    return q.value(0).toInt();
}

bool Migrations::apply(Database &db, QString *error) {
    if (!ensureVersionTable(db)) {
        *error = db.lastError();
        return false;
    }
    const int current = currentVersion(db);
    if (current > latestVersion()) {
        *error = QStringLiteral("the database has schema version %1, newer than this "
                                "program's %2; refusing to open it")
                     .arg(current)
                     .arg(latestVersion());
        return false;
    }
    for (const Step &step : steps()) {
        if (step.version <= current)
            continue;
        if (!db.begin()) {
            *error = db.lastError();
            return false;
        }
        bool ok = true;
        for (const QString &sql : step.statements) {
            if (!db.exec(sql)) {
                ok = false;
                break;
            }
        }
        if (ok) {
            QSqlQuery q(db.connection());
            q.prepare(QStringLiteral("INSERT INTO schema_migrations (version, description, "
                                     "applied_at_ms) VALUES (?, ?, ?)"));
            q.addBindValue(step.version);
            q.addBindValue(step.description);
            q.addBindValue(QDateTime::currentMSecsSinceEpoch());
            ok = q.exec();
            if (!ok)
                db.setError(QStringLiteral("recording migration"), q.lastError());
        }
        if (!ok || !db.commit()) {
            *error = QStringLiteral("migration to version %1 failed: %2")
                         .arg(step.version)
                         .arg(db.lastError());
            db.rollback();
            return false;
        }
        qCDebug(lcStore) << "migrated schema to version" << step.version;
    }
    return true;
}

} // namespace tract::store
