#include "models/store/Database.h"

#include "models/common/Logging.h"
#include "models/store/Migrations.h"
#include "models/store/SearchIndex.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>

namespace tract::store {

namespace {
QAtomicInteger<quint64> s_connectionCounter;
} // namespace

Database::Database()
    : m_connectionName(
          QStringLiteral("tract-store-%1").arg(s_connectionCounter.fetchAndAddRelaxed(1))) {}

Database::~Database() {
    close();
}

bool Database::connect(const QString &path) {
    close();
    m_lastError.clear();
    m_path = path;
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        m_lastError = QStringLiteral("cannot create directory %1").arg(info.absolutePath());
        return false;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    if (!m_db.isValid()) {
        m_lastError = QStringLiteral("the Qt SQLite driver (QSQLITE) is not available");
        close();
        return false;
    }
    m_db.setDatabaseName(path);
    // The driver's busy handler: another process (a second console on the same
    // file, the sqlite3 shell) gets a few seconds before we report "locked".
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!m_db.open()) {
        setError(QStringLiteral("cannot open %1").arg(path), m_db.lastError());
        close();
        return false;
    }
    return true;
}

bool Database::open(const QString &path, Durability durability) {
    if (!connect(path))
        return false;
    if (!applyPragmas(durability)) {
        close();
        return false;
    }
    QString error;
    if (!Migrations::apply(*this, &error)) {
        m_lastError = error;
        close();
        return false;
    }
    m_schemaVersion = Migrations::currentVersion(*this);
    // Schema 3 kept the index in this file; it now has a file of its own.
    // Dropping an FTS5 table needs the FTS5 module, so it waits for a library
    // that has it (without one the old table is inert: nothing writes it).
    if (hasLegacySearchTable() && SearchIndex::fts5Available(m_db) &&
        !exec(QStringLiteral("DROP TABLE main.messages_fts")))
        qCWarning(lcStore) << "cannot drop the old in-file search index:" << m_lastError;
    qCInfo(lcStore) << "opened" << path << "schema" << m_schemaVersion;
    return true;
}

bool Database::hasLegacySearchTable() {
    QSqlQuery q(m_db);
    return q.exec(QStringLiteral("SELECT 1 FROM main.sqlite_master WHERE name = 'messages_fts'")) &&
           q.next();
}

bool Database::openSecondary(const QString &path, bool attachIndex) {
    if (!connect(path))
        return false;
    m_schemaVersion = Migrations::currentVersion(*this);
    if (!attachIndex)
        return true;
    QString error;
    m_fullText = SearchIndex::attach(m_db, path, &error);
    if (!m_fullText)
        qCInfo(lcStore).noquote() << "full-text search unavailable, search uses LIKE:" << error;
    return true;
}

void Database::close() {
    m_statements.clear(); // queries must die before the connection they use
    const bool registered = QSqlDatabase::contains(m_connectionName);
    if (m_db.isOpen()) {
        if (m_inTransaction)
            rollback();
        m_db.close();
    }
    m_db = QSqlDatabase();
    if (registered)
        QSqlDatabase::removeDatabase(m_connectionName);
    m_inTransaction = false;
    m_schemaVersion = 0;
    m_fullText = false;
}

bool Database::applyPragmas(Durability durability) {
    QSqlQuery q(m_db);
    // journal_mode answers with the mode it ended up in; anything but "wal"
    // (e.g. a filesystem without shared memory) would silently change the
    // durability story, so it is an error.
    if (!q.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !q.next() ||
        q.value(0).toString().compare(QStringLiteral("wal"), Qt::CaseInsensitive) != 0) {
        setError(QStringLiteral("cannot switch to WAL mode"), q.lastError());
        return false;
    }
    q.finish();
    const QString sync = durability == Durability::Full
                             ? QStringLiteral("PRAGMA synchronous=FULL")
                             : QStringLiteral("PRAGMA synchronous=NORMAL");
    const QString pragmas[] = {
        sync,
        QStringLiteral("PRAGMA foreign_keys=ON"),
        QStringLiteral("PRAGMA temp_store=MEMORY"),
        QStringLiteral("PRAGMA cache_size=-16384"), // 16 MiB page cache
        // A restarted WAL above this is cut back to it. StoreMaintenance
        // restarts it at 96 MiB under load and truncates it when idle.
        QStringLiteral("PRAGMA journal_size_limit=134217728"),
        // Checkpoints run on the StoreMaintenance thread; this connection
        // only checkpoints if that one falls far behind (65536 pages, 256 MiB).
        QStringLiteral("PRAGMA wal_autocheckpoint=65536"),
    };
    for (const QString &p : pragmas) {
        if (!exec(p))
            return false;
    }
    return true;
}

QSqlQuery &Database::prepared(const QString &sql) {
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        auto q = std::make_unique<QSqlQuery>(m_db);
        q->setForwardOnly(true);
        if (!q->prepare(sql))
            qCWarning(lcStore) << "cannot prepare" << sql << q->lastError().text();
        it = m_statements.emplace(sql, std::move(q)).first;
    }
    return *it->second;
}

bool Database::exec(const QString &sql) {
    QSqlQuery q(m_db);
    if (!q.exec(sql)) {
        setError(sql, q.lastError());
        return false;
    }
    return true;
}

bool Database::begin() {
    if (!exec(QStringLiteral("BEGIN IMMEDIATE")))
        return false;
    m_inTransaction = true;
    return true;
}

bool Database::commit() {
    QSqlQuery &q = prepared(QStringLiteral("COMMIT"));
    const bool ok = q.exec();
    if (!ok) {
        setError(QStringLiteral("COMMIT"), q.lastError());
        q.finish();
        rollback(); // SQLite may keep the transaction open after a failed COMMIT
        return false;
    }
    q.finish();
    m_inTransaction = false;
    return true;
}

void Database::rollback() {
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("ROLLBACK")))
        qCDebug(lcStore) << "ROLLBACK:" << q.lastError().text(); // nothing was open
    m_inTransaction = false;
}

bool Database::savepoint() {
    QSqlQuery &q = prepared(QStringLiteral("SAVEPOINT w"));
    const bool ok = q.exec();
    if (!ok)
        setError(QStringLiteral("SAVEPOINT"), q.lastError());
    q.finish();
    return ok;
}

bool Database::release() {
    QSqlQuery &q = prepared(QStringLiteral("RELEASE w"));
    const bool ok = q.exec();
    if (!ok)
        setError(QStringLiteral("RELEASE"), q.lastError());
    q.finish();
    return ok;
}

bool Database::rollbackToSavepoint() {
    QSqlQuery &q = prepared(QStringLiteral("ROLLBACK TO w"));
    const bool ok = q.exec();
    if (!ok)
        setError(QStringLiteral("ROLLBACK TO"), q.lastError());
    q.finish();
    return ok && release(); // ROLLBACK TO leaves the savepoint on the stack
}

void Database::setError(const QString &what, const QSqlError &error) {
    m_lastError = what + QStringLiteral(": ") + error.text();
    qCWarning(lcStore).noquote() << m_lastError;
}

} // namespace tract::store
