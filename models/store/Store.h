#pragma once

#include "models/store/Database.h"
#include "models/store/StoreTypes.h"
#include "models/store/WriteQueue.h"

#include <QMutex>
#include <QObject>
#include <memory>
#include <vector>

namespace tract::store {

class StoreMaintenance;
class Reader;
class Writer;

// The console's durable state: users, threads, messages, events, ownership
// snapshots, the outbox and hook registrations, in one SQLite file (WAL).
//
// Threading: a Store belongs to the thread that created it (its connection is
// a QSqlDatabase, which must not cross threads). The webhook listener and the
// store share a worker thread; views learn about changes through the queued
// `committed` signal and read through their own Store or by asking this one's
// thread.
//
// Writes go two ways:
//  - enqueue(op, done): group commit. Writes are collected and committed
//    together (GroupCommitPolicy: N items or a few ms), then each `done` runs
//    in enqueue order, after COMMIT returned. The listener sends its 2xx from
//    `done`, so no ack leaves before its data is durable. Callbacks run from
//    flush() or the event loop, never from inside enqueue().
//  - write(op) and the other direct writes: flush what is queued (keeping
//    order), then commit this one write on its own.
// Reads see committed data only; they never wait for the queue.
class Store : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString path;
        Durability durability = Durability::Normal;
        GroupCommitPolicy groupCommit;
        bool fullTextSearch = true; // use FTS5 when the SQLite library has it
        // How often, after commits, the maintenance thread indexes new messages
        // for search and checkpoints the WAL (StoreMaintenance). search()
        // first indexes whatever that thread has not yet.
        int maintenanceIntervalMs = 200;
        // WAL size in pages (4 KiB) at which the maintenance thread restarts
        // the WAL (StoreMaintenance). Each restart pauses commits for two
        // fsyncs and costs the writer one more, so restarts are kept rare:
        // 96 MiB is one every ~1.6 s at 5,000 hooks/s (~15,000 pages/s), far
        // below the writer's own automatic checkpoint at 65536 pages. An idle
        // round truncates the WAL afterwards.
        int walRestartPages = 24576;
        // Retention (StoreMaintenance, Retention): completed conversations last
        // active more than retainDays ago are deleted in the background, at
        // open and every pruneIntervalMs; views learn of it through
        // `committed` (ChangeSet::removedThreads). 0 keeps everything. Only the
        // store that owns the file's writing (the listener's) should prune.
        int retainDays = 0;
        int pruneIntervalMs = 3600 * 1000;
    };

    explicit Store(QObject *parent = nullptr);
    ~Store() override; // flushes, then closes

    bool open(const Options &options);
    bool open(const QString &path) {
        Options o;
        o.path = path;
        return open(o);
    }
    void close(); // flushes first
    bool isOpen() const;
    QString lastError() const;
    QString path() const;
    int schemaVersion() const;
    bool hasFullTextSearch() const;

    // --- group commit -----------------------------------------------------------
    void enqueue(WriteOp op, WriteCallback done = {});
    // Commits everything queued now and runs the callbacks. False if the commit
    // failed (the callbacks then carried the error and nothing was stored).
    bool flush();
    int pendingWrites() const;
    void setGroupCommitPolicy(const GroupCommitPolicy &policy);

    // --- direct writes (each its own transaction) ------------------------------------
    WriteResult write(const WriteOp &op);
    WriteResult insertMessage(const IncomingMessage &m) { return write(m); }
    WriteResult insertEvent(const IncomingEvent &e) { return write(e); }
    WriteResult upsertUser(const User &u) { return write(u); }
    WriteResult recordOwnership(const OwnershipSnapshot &s) { return write(s); }
    // Commits the item as pending (and its thread message / feed event). Enqueueing
    // an idempotency key again returns the existing item with inserted=false.
    WriteResult enqueueOutgoing(const OutgoingItem &item) { return write(item); }

    // Moves the thread's read marker to `upTo` (default: its newest message)
    // and recounts unread messages after it. The marker never moves back.
    bool markRead(const ThreadKey &thread, const std::optional<MessageCursor> &upTo = {});

    // Outbox transitions; false when the item is not in a state that allows it.
    bool markOutboxSent(qint64 id);                          // pending -> sent
    bool markOutboxFailed(qint64 id, const QString &reason); // pending -> failed
    bool retryOutbox(qint64 id);                             // failed -> pending
    bool cancelOutbox(qint64 id);                            // pending|failed -> cancelled

    bool saveHookRegistration(const HookRecord &hook);
    bool removeHookRegistration(const QString &category, const QString &subcategory);
    bool clearHookRegistrations();

    // --- reads ----------------------------------------------------------------------
    std::optional<User> user(const QString &userId) const;
    QList<User> users() const;

    std::optional<Thread> thread(const ThreadKey &key) const;
    // By store id, as ChangeSet::threads names them.
    std::optional<Thread> thread(qint64 id) const;
    QList<Thread> threads(const ThreadQuery &query = {}) const;
    int unreadCount(const ThreadKey &key) const;
    int totalUnread() const;

    MessagePage messages(const MessageQuery &query) const;
    std::optional<Message> message(qint64 seq) const;
    // Rows stored after `seq`, in arrival order, `limit` (at most 1000) at a
    // time: how a reader that must see every row exactly once (the team hub)
    // follows the store.
    QList<Message> messagesAfter(qint64 seq, int limit = 500) const;
    QList<Event> eventsAfter(qint64 seq, int limit = 500) const;
    QList<Message> search(const SearchQuery &query) const;

    QList<Event> events(const EventQuery &query) const;
    std::optional<OwnershipSnapshot> latestOwnership(const QString &userId) const;

    std::optional<OutboxItem> outboxItem(qint64 id) const;
    QList<OutboxItem> outboxItems(const OutboxQuery &query = {}) const;
    // What may be sent now: per user the oldest open item, if it is pending.
    QList<OutboxItem> outboxReady(int limit = 100) const;

    QList<HookRecord> hookRegistrations() const;

    // Everything about one user (or all users, plus hook registrations) as a
    // stream of records: {"record":"user"|"thread"|"message"|"event"|"outbox"|
    // "ownership"|"hook", ...}. Constant memory; the sink returns false to stop.
    // Used by `tract-console --export` (one JSON object per line).
    bool exportRecords(const std::optional<QString> &userId,
                       const std::function<bool(const QJsonObject &record)> &sink) const;

signals:
    // After every successful commit that changed something. Connect with a
    // queued connection from other threads.
    void committed(const tract::store::ChangeSet &changes);

private:
    template <typename F> bool inTransaction(F &&body);
    bool commitBatch(const std::vector<WriteQueue::Entry> &entries,
                     std::vector<WriteResult> &results, ChangeSet &changes);
    void noteCommit();
    void assertThread() const;

    std::unique_ptr<Database> m_db;
    std::unique_ptr<Writer> m_writer;
    std::unique_ptr<Reader> m_reader;
    // A second connection with the full-text index attached, for search only
    // (attached to m_db, the index file would be locked by every write).
    std::unique_ptr<Database> m_searchDb;
    std::unique_ptr<Reader> m_searchReader;
    std::unique_ptr<StoreMaintenance> m_maintenance;
    WriteQueue *m_queue = nullptr;
    // Held by each write transaction of this store. The maintenance thread
    // holds it for the last few frames of a checkpoint, so the next
    // transaction finds the WAL fully copied and starts it over (see
    // StoreMaintenance); without that pause the WAL only restarts when the
    // writer itself checkpoints, fsyncs included, between a COMMIT and its acks.
    QMutex m_commitGate;
};

} // namespace tract::store
