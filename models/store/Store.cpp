#include "models/store/Store.h"

#include "models/common/Logging.h"
#include "models/store/Reader.h"
#include "models/store/SearchIndex.h"
#include "models/store/StoreMaintenance.h"
#include "models/store/WriteQueue.h"
#include "models/store/Writer.h"

#include <QThread>

namespace tract::store {

Store::Store(QObject *parent)
    : QObject(parent)
    , m_db(std::make_unique<Database>())
    , m_writer(std::make_unique<Writer>(*m_db))
    , m_reader(std::make_unique<Reader>(*m_db))
    , m_searchDb(std::make_unique<Database>())
    , m_searchReader(std::make_unique<Reader>(*m_searchDb))
    , m_queue(new WriteQueue(this)) {
    qRegisterMetaType<tract::store::ChangeSet>();
    connect(m_queue, &WriteQueue::due, this, [this] { flush(); });
}

Store::~Store() {
    close();
}

void Store::assertThread() const {
    Q_ASSERT_X(QThread::currentThread() == QObject::thread(), "tract::store::Store",
               "a Store is used only from the thread it lives in");
}

bool Store::open(const Options &options) {
    assertThread();
    close();
    m_queue->setPolicy(options.groupCommit);
    m_writer->forgetCachedIds();
    if (!m_db->open(options.path, options.durability))
        return false;
    // Without FTS5 or a usable index, search stays on LIKE over this connection.
    if (options.fullTextSearch &&
        (!m_searchDb->openSecondary(options.path, true) || !m_searchDb->hasFullTextSearch()))
        m_searchDb->close();
    StoreMaintenance::Settings maintenance;
    maintenance.path = options.path;
    maintenance.fullTextSearch = hasFullTextSearch();
    maintenance.intervalMs = qMax(1, options.maintenanceIntervalMs);
    maintenance.walRestartPages = qMax(1, options.walRestartPages);
    maintenance.commitGate = &m_commitGate;
    maintenance.retainDays = qMax(0, options.retainDays);
    maintenance.pruneIntervalMs = qMax(1, options.pruneIntervalMs);
    // From the maintenance thread; the Store outlives it (close() joins it).
    maintenance.pruned = [this](const ChangeSet &changes) {
        QMetaObject::invokeMethod(
            this, [this, changes] { emit committed(changes); }, Qt::QueuedConnection);
    };
    m_maintenance = std::make_unique<StoreMaintenance>(maintenance);
    m_maintenance->start();
    return true;
}

void Store::close() {
    assertThread();
    if (m_db->isOpen())
        flush();
    m_maintenance.reset(); // joins; the last connection to close checkpoints the rest
    m_searchDb->close();
    m_writer->forgetCachedIds();
    m_db->close();
}

bool Store::isOpen() const {
    return m_db->isOpen();
}
QString Store::lastError() const {
    return m_db->lastError();
}
QString Store::path() const {
    return m_db->path();
}
int Store::schemaVersion() const {
    return m_db->schemaVersion();
}
bool Store::hasFullTextSearch() const {
    return m_searchDb->hasFullTextSearch(); // false once closed
}
int Store::pendingWrites() const {
    return m_queue->size();
}
void Store::setGroupCommitPolicy(const GroupCommitPolicy &policy) {
    m_queue->setPolicy(policy);
}

// --- group commit ----------------------------------------------------------------

void Store::enqueue(WriteOp op, WriteCallback done) {
    assertThread();
    m_queue->push(std::move(op), std::move(done));
}

bool Store::flush() {
    assertThread();
    std::vector<WriteQueue::Entry> entries = m_queue->take();
    if (entries.empty())
        return true;

    std::vector<WriteResult> results(entries.size());
    ChangeSet changes;
    bool committed = false;
    if (!m_db->isOpen()) {
        for (WriteResult &r : results)
            r = WriteResult::failure(QStringLiteral("the store is not open"));
    } else {
        committed = commitBatch(entries, results, changes);
    }
    if (!committed && m_db->isOpen()) {
        m_writer->forgetCachedIds();
        const QString why = QStringLiteral("not stored: ") + m_db->lastError();
        for (WriteResult &r : results)
            r = WriteResult::failure(why);
        qCWarning(lcStore).noquote()
            << "group commit of" << entries.size() << "writes failed:" << m_db->lastError();
    }
    // Only now, after COMMIT returned, may anyone learn the outcome.
    for (size_t i = 0; i < entries.size(); ++i) {
        if (entries[i].done)
            entries[i].done(results[i]);
    }
    if (committed && !changes.isEmpty())
        emit this->committed(changes);
    return committed;
}

bool Store::commitBatch(const std::vector<WriteQueue::Entry> &entries,
                        std::vector<WriteResult> &results, ChangeSet &changes) {
    QMutexLocker gate(&m_commitGate);
    if (!m_db->begin())
        return false;
    m_writer->startTransaction();
    bool aborted = false;
    for (size_t i = 0; i < entries.size() && !aborted; ++i) {
        if (!m_db->savepoint()) {
            aborted = true;
            break;
        }
        results[i] = m_writer->apply(entries[i].op, changes);
        if (results[i].ok) {
            aborted = !m_db->release();
        } else {
            // Undo this write only. If even that fails, SQLite has already
            // rolled the whole transaction back (I/O error, disk full):
            // stop, and fail the batch.
            m_writer->forgetCachedIds();
            aborted = !m_db->rollbackToSavepoint();
        }
    }
    if (aborted) {
        m_db->rollback();
        return false;
    }
    if (!m_db->commit())
        return false;
    noteCommit();
    return true;
}

// --- direct writes -------------------------------------------------------------------

template <typename F> bool Store::inTransaction(F &&body) {
    assertThread();
    flush(); // earlier queued writes commit first: order is preserved
    if (!m_db->isOpen())
        return false;
    ChangeSet changes;
    {
        QMutexLocker gate(&m_commitGate);
        if (!m_db->begin())
            return false;
        m_writer->startTransaction();
        if (!body(changes)) {
            m_db->rollback();
            m_writer->forgetCachedIds();
            return false;
        }
        if (!m_db->commit()) {
            m_writer->forgetCachedIds();
            return false;
        }
        noteCommit();
    }
    if (!changes.isEmpty())
        emit committed(changes);
    return true;
}

WriteResult Store::write(const WriteOp &op) {
    WriteResult result = WriteResult::failure(QStringLiteral("the store is not open"));
    const bool ok = inTransaction([&](ChangeSet &changes) {
        result = m_writer->apply(op, changes);
        return result.ok;
    });
    if (!ok && result.ok)
        result = WriteResult::failure(QStringLiteral("not stored: ") + m_db->lastError());
    return result;
}

bool Store::markRead(const ThreadKey &thread, const std::optional<MessageCursor> &upTo) {
    return inTransaction([&](ChangeSet &c) { return m_writer->markRead(thread, upTo, c); });
}

bool Store::markOutboxSent(qint64 id) {
    return inTransaction([&](ChangeSet &c) {
        return m_writer->transitionOutbox(id, OutboxState::Sent, {OutboxState::Pending}, {}, c);
    });
}

bool Store::markOutboxFailed(qint64 id, const QString &reason) {
    return inTransaction([&](ChangeSet &c) {
        return m_writer->transitionOutbox(id, OutboxState::Failed, {OutboxState::Pending}, reason,
                                          c);
    });
}

bool Store::retryOutbox(qint64 id) {
    return inTransaction([&](ChangeSet &c) {
        return m_writer->transitionOutbox(id, OutboxState::Pending, {OutboxState::Failed}, {}, c);
    });
}

bool Store::cancelOutbox(qint64 id) {
    return inTransaction([&](ChangeSet &c) {
        return m_writer->transitionOutbox(id, OutboxState::Cancelled,
                                          {OutboxState::Pending, OutboxState::Failed}, {}, c);
    });
}

bool Store::saveHookRegistration(const HookRecord &hook) {
    return inTransaction([&](ChangeSet &c) { return m_writer->saveHook(hook, c); });
}

bool Store::removeHookRegistration(const QString &category, const QString &subcategory) {
    return inTransaction(
        [&](ChangeSet &c) { return m_writer->removeHook(category, subcategory, c); });
}

bool Store::clearHookRegistrations() {
    return inTransaction([&](ChangeSet &c) { return m_writer->clearHooks(c); });
}

// --- reads -----------------------------------------------------------------------------

std::optional<User> Store::user(const QString &userId) const {
    assertThread();
    return m_reader->user(userId);
}

QList<User> Store::users() const {
    assertThread();
    return m_reader->users();
}

std::optional<Thread> Store::thread(const ThreadKey &key) const {
    assertThread();
    return m_reader->thread(key);
}

std::optional<Thread> Store::thread(qint64 id) const {
    assertThread();
    return m_reader->thread(id);
}

QList<Thread> Store::threads(const ThreadQuery &query) const {
    assertThread();
    return m_reader->threads(query);
}

int Store::unreadCount(const ThreadKey &key) const {
    const auto t = thread(key);
    return t ? t->unreadCount : 0;
}

int Store::totalUnread() const {
    assertThread();
    return m_reader->totalUnread();
}

MessagePage Store::messages(const MessageQuery &query) const {
    assertThread();
    return m_reader->messages(query);
}

std::optional<Message> Store::message(qint64 seq) const {
    assertThread();
    return m_reader->message(seq);
}

QList<Message> Store::messagesAfter(qint64 seq, int limit) const {
    assertThread();
    return m_reader->messagesAfter(seq, limit);
}

QList<Event> Store::eventsAfter(qint64 seq, int limit) const {
    assertThread();
    return m_reader->eventsAfter(seq, limit);
}

void Store::noteCommit() {
    if (m_maintenance)
        m_maintenance->noteCommit();
}

QList<Message> Store::search(const SearchQuery &query) const {
    assertThread();
    if (!hasFullTextSearch())
        return m_reader->search(query);
    // Results include every committed message, indexed by the maintenance
    // thread or not yet.
    QString error;
    if (!SearchIndex::catchUp(m_searchDb->connection(), &error))
        qCWarning(lcStore).noquote() << "search indexing:" << error;
    return m_searchReader->search(query);
}

QList<Event> Store::events(const EventQuery &query) const {
    assertThread();
    return m_reader->events(query);
}

std::optional<OwnershipSnapshot> Store::latestOwnership(const QString &userId) const {
    assertThread();
    return m_reader->latestOwnership(userId);
}

std::optional<OutboxItem> Store::outboxItem(qint64 id) const {
    assertThread();
    return m_reader->outboxItem(id);
}

QList<OutboxItem> Store::outboxItems(const OutboxQuery &query) const {
    assertThread();
    return m_reader->outboxItems(query);
}

QList<OutboxItem> Store::outboxReady(int limit) const {
    assertThread();
    return m_reader->outboxReady(limit);
}

QList<HookRecord> Store::hookRegistrations() const {
    assertThread();
    return m_reader->hooks();
}

bool Store::exportRecords(const std::optional<QString> &userId,
                          const std::function<bool(const QJsonObject &)> &sink) const {
    assertThread();
    return m_reader->exportRecords(userId, sink);
}

} // namespace tract::store
