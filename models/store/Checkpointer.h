#pragma once

#include <QMutex>
#include <QString>
#include <QThread>
#include <QWaitCondition>
#include <atomic>

namespace tract::store {

// Runs WAL checkpoints on its own thread and connection. A checkpoint copies
// the WAL into the database file and fsyncs both; done by the writing
// connection (SQLite's automatic checkpoint) those fsyncs would sit between
// a COMMIT and the acknowledgements waiting for it, which is most of the p99
// latency of a group commit. PASSIVE checkpoints run concurrently with the
// writer and never block it. The writer keeps a high automatic-checkpoint
// threshold as a safety net in case this thread falls behind.
class Checkpointer : public QThread {
public:
    explicit Checkpointer(const QString &path, int intervalMs = 200);
    ~Checkpointer() override; // stops and joins

    // Called by the writer after a commit: the next round has work to do.
    void noteCommit() { m_dirty.store(true, std::memory_order_relaxed); }
    void stop();

protected:
    void run() override;

private:
    const QString m_path;
    const int m_intervalMs;
    std::atomic<bool> m_dirty{false};
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stopping = false;
};

} // namespace tract::store
