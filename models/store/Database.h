#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <memory>
#include <unordered_map>

class QSqlError;

namespace tract::store {

// How hard a COMMIT tries to reach the disk. See README.md in this folder.
enum class Durability {
    // WAL + synchronous=NORMAL: a commit is written to the WAL before COMMIT
    // returns, so it survives the process dying (kill -9) at any point; only an
    // OS crash or power loss may drop the last commits (never corrupting the file).
    Normal,
    // WAL + synchronous=FULL: every commit is fsynced; also survives power loss,
    // at the cost of one fsync per commit (group commit amortises it).
    Full,
};

// One SQLite connection: opens the file, applies the pragmas, brings the schema
// up to date and keeps prepared statements. Not thread-safe: like every
// QSqlDatabase connection it belongs to the thread that opened it. Each
// instance registers its own uniquely named connection, so several stores (or
// tests) in one process never share one.
class Database {
public:
    // How long a statement waits for another connection's lock before it
    // reports "database is locked".
    static constexpr int kBusyTimeoutMs = 5000;

    Database();
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    // The store's own connection: pragmas, schema migrations. Search on it
    // uses LIKE; full-text search needs a connection from openForSearch.
    bool open(const QString &path, Durability durability);
    // Another connection to a store already opened with open(): no pragmas, no
    // schema changes, and it never writes the store file except for the
    // maintenance thread's checkpoints and retention steps, which hold the
    // store's commit gate. With
    // `attachIndex` the full-text index is attached (SearchIndex::attach) and
    // hasFullTextSearch() says whether that worked (false: no FTS5, or an
    // index that could not be made usable).
    bool openSecondary(const QString &path, bool attachIndex);
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QString lastError() const { return m_lastError; }
    QString path() const { return m_path; }
    int schemaVersion() const { return m_schemaVersion; }
    bool hasFullTextSearch() const { return m_fullText; }

    // The cached prepared statement for `sql`, ready for binding. Pair it with
    // a StatementGuard so a SELECT never keeps its read snapshot open.
    QSqlQuery &prepared(const QString &sql);
    // A statement without bound values (DDL, pragmas, transaction control).
    bool exec(const QString &sql);

    // BEGIN IMMEDIATE: takes the write lock up front, so a transaction never
    // fails half-way because another connection upgraded first.
    bool begin();
    bool commit();
    void rollback();
    bool inTransaction() const { return m_inTransaction; }

    // One savepoint per write inside a group commit, so one bad write is undone
    // without losing the rest of the batch.
    bool savepoint();
    bool release();
    bool rollbackToSavepoint(); // false: the transaction is gone

    void setError(const QString &what, const QSqlError &error);

    QSqlDatabase &connection() { return m_db; }

private:
    bool connect(const QString &path);
    bool hasLegacySearchTable(); // the schema-3 index inside the store file
    bool applyPragmas(Durability durability);

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_statements;
    QString m_lastError;
    int m_schemaVersion = 0;
    bool m_fullText = false;
    bool m_inTransaction = false;
};

// Finishes a statement when leaving scope: an unfinished SELECT holds a read
// snapshot, which blocks WAL checkpoints and keeps memory.
class StatementGuard {
public:
    explicit StatementGuard(QSqlQuery &q)
        : m_q(q) {}
    ~StatementGuard() { m_q.finish(); }
    StatementGuard(const StatementGuard &) = delete;
    StatementGuard &operator=(const StatementGuard &) = delete;

private:
    QSqlQuery &m_q;
};

} // namespace tract::store
