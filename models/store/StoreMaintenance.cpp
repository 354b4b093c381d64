#include "models/store/StoreMaintenance.h"

#include "models/common/Logging.h"
#include "models/store/Database.h"
#include "models/store/Retention.h"
#include "models/store/SearchIndex.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace tract::store {

namespace {
// How often pruning reports what it removed, so open views follow without
// a reload per step.
constexpr int kPruneReportMs = 250;
// Before a WAL restart: checkpoint passes without pausing commits until one
// finds at most kPausedFrames new frames (or kMaxCatchUpPasses have run).
constexpr int kMaxCatchUpPasses = 4;
constexpr int kPausedFrames = 64;

struct CheckpointResult {
    bool ok = false;
    int walFrames = 0;
    int copiedFrames = 0;
};

CheckpointResult passiveCheckpoint(QSqlDatabase &db, const QString &schema) {
    QSqlQuery q(db);
    CheckpointResult r;
    // The schema is one of two constants, not input; PRAGMA takes no parameters.
    if (!q.exec(QStringLiteral("PRAGMA %1.wal_checkpoint(PASSIVE)").arg(schema)) || !q.next()) {
        qCDebug(lcStore) << "checkpoint" << schema << q.lastError().text();
        return r;
    }
    r.ok = q.value(0).toInt() == 0;
    r.walFrames = q.value(1).toInt();
    r.copiedFrames = q.value(2).toInt();
    return r;
}
// Writes the dirty pages of the filesystem holding `path` to disk. syncfs on
// the directory, not fsync on the database file: opening and closing another
// descriptor of a SQLite file would drop the process's POSIX locks on it.
void flushFileSystem(const QString &path) {
#ifdef Q_OS_LINUX
    const QByteArray dir = QFile::encodeName(QFileInfo(path).absolutePath());
    const int fd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (::syncfs(fd) != 0)
        qCDebug(lcStore) << "syncfs:" << qt_error_string(errno);
    ::close(fd);
#else
    Q_UNUSED(path) // the paused pass then flushes everything itself: a longer pause
#endif
}

} // namespace

StoreMaintenance::StoreMaintenance(const Settings &settings)
    : m_settings(settings) {
    setObjectName(QStringLiteral("tract-store-maintenance"));
}

StoreMaintenance::~StoreMaintenance() {
    stop();
}

void StoreMaintenance::stop() {
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    wait();
}

bool StoreMaintenance::stopping() {
    QMutexLocker lock(&m_mutex);
    return m_stopping;
}

void StoreMaintenance::checkpoint(Database &db) {
    CheckpointResult store = passiveCheckpoint(db.connection(), QStringLiteral("main"));
    if (db.hasFullTextSearch())
        passiveCheckpoint(db.connection(), QStringLiteral("search"));
    const auto complete = [](const CheckpointResult &r) {
        return r.ok && r.copiedFrames == r.walFrames;
    };
    if (!m_settings.commitGate || store.walFrames < m_settings.walRestartPages || !complete(store))
        return; // a reader still needs old frames: the next round tries again
    // A pass fsyncs the database file only if no commit came while it copied,
    // so under load the pages copied since the last restart are still in the
    // OS cache, and the paused pass would wait for all of them to reach the
    // disk (a pause that grew from 5 to 19 ms over a 5-minute run). They are
    // flushed first, while commits go on.
    flushFileSystem(m_settings.path);
    // The pause then lasts as long as copying and fsyncing what was written
    // since the last pass, so passes without the gate shrink that to a few
    // commits' worth.
    for (int pass = 0; pass < kMaxCatchUpPasses; ++pass) {
        const CheckpointResult again = passiveCheckpoint(db.connection(), QStringLiteral("main"));
        if (!complete(again))
            return;
        const int written = again.walFrames - store.walFrames;
        store = again;
        if (written <= kPausedFrames)
            break;
    }
    QMutexLocker gate(m_settings.commitGate);
    const CheckpointResult tail = passiveCheckpoint(db.connection(), QStringLiteral("main"));
    qCDebug(lcStore) << "WAL restart at" << store.walFrames
                     << "frames:" << tail.walFrames - store.walFrames
                     << "copied with commits paused";
}

bool StoreMaintenance::truncateWal(Database &db) {
    // Idle, so a TRUNCATE checkpoint costs nothing and gives the disk back.
    // It holds the write lock while it waits for readers, so it must not wait:
    // with a long reader about (an export), a hook arriving meanwhile would.
    // Without a busy handler it gives up at once and the next idle round retries.
    QSqlQuery q(db.connection());
    q.exec(QStringLiteral("PRAGMA busy_timeout = 0"));
    const bool done = q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")) && q.next() &&
                      q.value(0).toInt() == 0;
    q.finish();
    q.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(Database::kBusyTimeoutMs));
    return done;
}

void StoreMaintenance::prune(Database &db) {
    const int days = m_settings.retainDays;
    const qint64 cutoff = Retention::cutoffFor(days, QDateTime::currentMSecsSinceEpoch());
    QElapsedTimer round;
    round.start();
    QElapsedTimer sinceReport;
    sinceReport.start();
    ChangeSet unreported;
    const auto report = [&] {
        if (m_settings.pruned && !unreported.isEmpty())
            m_settings.pruned(unreported);
        unreported = {};
        sinceReport.restart();
    };
    int threads = 0;
    qint64 rows = 0;
    qint64 longestStepMs = 0;
    while (!stopping()) {
        Retention::StepResult r;
        {
            QMutexLocker gate(m_settings.commitGate);
            QElapsedTimer step;
            step.start();
            r = Retention::step(db.connection(), cutoff, db.hasFullTextSearch());
            longestStepMs = qMax(longestStepMs, step.elapsed());
        }
        if (!r.ok) {
            qCWarning(lcStore).noquote() << "retention: pruning stopped:" << r.error;
            break;
        }
        if (!r.didWork)
            break;
        threads += int(r.changes.removedThreads.size());
        rows += r.deletedRows;
        unreported.merge(r.changes);
        if (sinceReport.elapsed() >= kPruneReportMs)
            report();
        // A commit waiting for the gate gets it before the next step: QMutex
        // is not fair, and this loop would otherwise take it straight back.
        QThread::usleep(500);
    }
    report();
    if (threads > 0 || rows > 0)
        qCInfo(lcStore).noquote()
            << QStringLiteral("retention: removed %1 completed conversations (%2 messages and "
                              "events) last active over %3 days ago, in %4 ms; longest pause "
                              "of writes %5 ms")
                   .arg(threads)
                   .arg(rows)
                   .arg(days)
                   .arg(round.elapsed())
                   .arg(longestStepMs);
}

void StoreMaintenance::run() {
    Database db;
    if (!db.openSecondary(m_settings.path, m_settings.fullTextSearch)) {
        qCWarning(lcStore) << "store maintenance cannot open" << m_settings.path << db.lastError();
        return;
    }
    bool walNeedsTruncating = false;
    const bool retention = m_settings.retainDays > 0;
    QElapsedTimer sincePrune;
    bool pruneDue = retention; // the first round prunes
    QMutexLocker lock(&m_mutex);
    while (!m_stopping) {
        if (retention && !pruneDue && sincePrune.hasExpired(m_settings.pruneIntervalMs))
            pruneDue = true;
        if (pruneDue) {
            lock.unlock();
            prune(db);
            pruneDue = false;
            sincePrune.start();
            m_dirty.store(true, std::memory_order_relaxed); // checkpoint what it wrote
            lock.relock();
        } else if (m_dirty.exchange(false, std::memory_order_relaxed)) {
            lock.unlock();
            QString error;
            if (db.hasFullTextSearch() &&
                !SearchIndex::catchUp(db.connection(), &error, [this] { return stopping(); }))
                qCWarning(lcStore).noquote() << "search indexing:" << error;
            checkpoint(db);
            walNeedsTruncating = true;
            lock.relock();
        } else if (walNeedsTruncating) {
            lock.unlock();
            walNeedsTruncating = !truncateWal(db);
            lock.relock();
        }
        if (!m_stopping)
            m_wake.wait(&m_mutex, m_settings.intervalMs);
    }
}

} // namespace tract::store
