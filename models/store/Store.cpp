#include "models/store/Store.h"

#include "models/common/Logging.h"
#include "models/store/Checkpointer.h"
#include "models/store/Reader.h"
#include "models/store/SearchIndex.h"
#include "models/store/WriteQueue.h"
#include "models/store/Writer.h"

#include <QThread>
#include <QTimer>

namespace tract::store {

Store::Store(QObject *parent)
    : QObject(parent)
    , m_db(std::make_unique<Database>())
    , m_writer(std::make_unique<Writer>(*m_db))
    , m_reader(std::make_unique<Reader>(*m_db))
    , m_queue(new WriteQueue(this))
    , m_indexTimer(new QTimer(this)) {
    qRegisterMetaType<tract::store::ChangeSet>();
    connect(m_queue, &WriteQueue::due, this, [this] { flush(); });
    connect(m_indexTimer, &QTimer::timeout, this, [this] { indexForSearch(); });
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
    if (!m_db->open(options.path, options.durability, options.fullTextSearch))
        return false;
    m_checkpointer = std::make_unique<Checkpointer>(options.path, options.maintenanceIntervalMs);
    m_checkpointer->start();
    if (m_db->hasFullTextSearch())
        m_indexTimer->start(qMax(1, options.maintenanceIntervalMs));
    return true;
}

void Store::close() {
    assertThread();
    if (m_db->isOpen())
        flush();
    m_indexTimer->stop();
    m_checkpointer.reset(); // joins; the last connection to close checkpoints the rest
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
    return m_db->hasFullTextSearch();
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
    } else if (m_db->begin()) {
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
        if (aborted)
            m_db->rollback();
        else
            committed = m_db->commit();
        if (committed)
            m_checkpointer->noteCommit();
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

// --- direct writes -------------------------------------------------------------------

template <typename F> bool Store::inTransaction(F &&body) {
    assertThread();
    flush(); // earlier queued writes commit first: order is preserved
    if (!m_db->isOpen())
        return false;
    ChangeSet changes;
    if (!m_db->begin())
        return false;
    if (!body(changes)) {
        m_db->rollback();
        m_writer->forgetCachedIds();
        return false;
    }
    if (!m_db->commit()) {
        m_writer->forgetCachedIds();
        return false;
    }
    m_checkpointer->noteCommit();
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

void Store::indexForSearch() const {
    if (!m_db->isOpen() || !m_db->hasFullTextSearch() || m_db->inTransaction())
        return;
    QString error;
    if (SearchIndex::indexPending(m_db->connection(), &error) < 0)
        qCWarning(lcStore) << "search indexing:" << error;
}

QList<Message> Store::search(const SearchQuery &query) const {
    assertThread();
    indexForSearch(); // search sees every committed message, indexed or not yet
    return m_reader->search(query);
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
