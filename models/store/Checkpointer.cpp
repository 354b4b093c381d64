#include "models/store/Checkpointer.h"

#include "models/common/Logging.h"

#include <QAtomicInteger>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace tract::store {

namespace {
QAtomicInteger<quint64> s_counter;
} // namespace

Checkpointer::Checkpointer(const QString &path, int intervalMs)
    : m_path(path)
    , m_intervalMs(intervalMs) {
    setObjectName(QStringLiteral("tract-store-checkpoint"));
}

Checkpointer::~Checkpointer() {
    stop();
}

void Checkpointer::stop() {
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    wait();
}

void Checkpointer::run() {
    const QString name =
        QStringLiteral("tract-store-checkpoint-%1").arg(s_counter.fetchAndAddRelaxed(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        if (!db.open()) {
            qCWarning(lcStore) << "checkpointer cannot open" << m_path << db.lastError().text();
        } else {
            QSqlQuery q(db);
            QMutexLocker lock(&m_mutex);
            while (!m_stopping) {
                m_wake.wait(&m_mutex, m_intervalMs);
                if (m_stopping || !m_dirty.exchange(false, std::memory_order_relaxed))
                    continue;
                lock.unlock();
                if (!q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")))
                    qCDebug(lcStore) << "checkpoint:" << q.lastError().text();
                q.finish();
                lock.relock();
            }
            q.finish();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace tract::store
