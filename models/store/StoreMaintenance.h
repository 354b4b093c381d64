#pragma once

#include "models/store/StoreTypes.h"

#include <QMutex>
#include <QString>
#include <QThread>
#include <QWaitCondition>
#include <atomic>
#include <functional>

namespace tract::store {

class Database;

// The store's background work, on its own thread and connection, a round
// every interval after commits:
//  - search indexing: new messages go into the full-text index, which has a
//    file of its own, so this never holds the store file's write lock;
//  - WAL checkpoints (PASSIVE, store and index). A checkpoint copies the WAL
//    into the database file and fsyncs both; done by the writing connection
//    (SQLite's automatic checkpoint) those fsyncs would sit between a COMMIT
//    and the acknowledgements waiting for it. PASSIVE checkpoints run
//    concurrently with the writer and never block it.
//  - WAL restarts. SQLite starts the WAL over only when a write transaction
//    begins while every frame is copied; under a steady stream of commits a
//    concurrent checkpoint never catches the last ones, the WAL grows to the
//    writer's automatic-checkpoint threshold, and the writer then stalls on a
//    whole checkpoint of its own. So once the WAL is past walRestartPages this
//    thread flushes the filesystem and catches up without pausing anyone,
//    then holds the store's commit gate (a mutex its write transactions
//    hold) for a last checkpoint of just the frames written meanwhile; the
//    next transaction then restarts the WAL. The writer waits for those few
//    frames only, on a mutex, not in SQLite's sleeping busy handler.
//  - After a busy spell, the first round without commits truncates the WAL.
//  - Retention (when retainDays > 0): at start and every pruneIntervalMs,
//    completed conversations older than retainDays are deleted in steps of a
//    few hundred rows (Retention), each holding the commit gate, so a hook's
//    ack waits for one step at most.
// The first round runs at once, so an index that is new or was emptied
// (SearchIndex::attach) is rebuilt in the background after open.
class StoreMaintenance : public QThread {
public:
    struct Settings {
        QString path;
        bool fullTextSearch = true;
        int intervalMs = 200;
        int walRestartPages = 24576;
        QMutex *commitGate = nullptr; // held by the store's write transactions
        int retainDays = 0;           // 0: keep everything
        int pruneIntervalMs = 3600 * 1000;
        // Called on this thread with what pruning removed, a few times a second
        // at most while it runs.
        std::function<void(const ChangeSet &)> pruned;
    };
    explicit StoreMaintenance(const Settings &settings);
    ~StoreMaintenance() override; // stops and joins

    // Called by the writer after a commit: the next round has work to do.
    void noteCommit() { m_dirty.store(true, std::memory_order_relaxed); }
    void stop();

protected:
    void run() override;

private:
    bool stopping();
    void checkpoint(Database &db);
    bool truncateWal(Database &db); // false: try again next idle round
    void prune(Database &db);

    const Settings m_settings;
    std::atomic<bool> m_dirty{true};
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stopping = false;
};

} // namespace tract::store
