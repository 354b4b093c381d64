#include "models/store/Reader.h"

#include "models/store/Database.h"
#include "models/store/SearchIndex.h"
#include "models/store/SqlValues.h"

#include <QSqlError>

namespace tract::store {

namespace {

int clampLimit(int limit, int max) {
    return qBound(1, limit, max);
}

bool run(Database &db, QSqlQuery &q) {
    if (q.exec())
        return true;
    db.setError(q.lastQuery(), q.lastError());
    return false;
}

// --- rows -> values ----------------------------------------------------------

const QString kUserColumns =
    QStringLiteral("u.user_id, u.name, u.device_platform, u.third_party_user_id, u.ect_user_id, "
                   "u.details_available, u.created_at_ms, u.updated_at_ms FROM users u");

User readUser(const QSqlQuery &q) {
    User u;
    u.userId = q.value(0).toString();
    u.name = sql::optText(q, 1);
    u.devicePlatform = sql::optText(q, 2);
    u.thirdPartyUserId = sql::optText(q, 3);
    u.ectUserId = sql::optText(q, 4);
    if (!q.isNull(5))
        u.detailsAvailable = sql::array(q.value(5));
    u.createdAt = sql::utc(q.value(6).toLongLong());
    u.updatedAt = sql::utc(q.value(7).toLongLong());
    return u;
}

const QString kThreadColumns = QStringLiteral(
    "t.id, t.user_id, t.conversation_number, t.created_at_ms, t.last_activity_ms, t.unread_count, "
    "t.message_count, t.owner, t.state, t.last_preview, u.name, t.waiting_since_ms, "
    "t.owner_since_ms FROM threads t LEFT JOIN users u ON u.user_id = t.user_id");

Thread readThread(const QSqlQuery &q) {
    Thread t;
    t.id = q.value(0).toLongLong();
    t.key = {q.value(1).toString(), q.value(2).toString()};
    t.createdAt = sql::utc(q.value(3).toLongLong());
    t.lastActivity = sql::utc(q.value(4).toLongLong());
    t.unreadCount = q.value(5).toInt();
    t.messageCount = q.value(6).toLongLong();
    t.owner = q.value(7).toString();
    t.state = q.value(8).toString();
    t.lastPreview = q.value(9).toString();
    t.userName = q.value(10).toString();
    t.waitingSince = sql::optTime(q, 11).value_or(QDateTime());
    t.ownerSince = sql::optTime(q, 12).value_or(QDateTime());
    return t;
}

const QString kMessageColumns = QStringLiteral(
    "m.seq, m.thread_id, t.user_id, t.conversation_number, m.message_id, m.order_key, m.sender, "
    "m.direction, m.timestamp_ms, m.received_at_ms, m.body, m.metadata, m.outbox_id, o.state, "
    "o.last_error "
    "FROM messages m JOIN threads t ON t.id = m.thread_id "
    "LEFT JOIN outbox o ON o.id = m.outbox_id");

Message readMessage(const QSqlQuery &q) {
    Message m;
    m.seq = q.value(0).toLongLong();
    m.threadId = q.value(1).toLongLong();
    m.thread = {q.value(2).toString(), q.value(3).toString()};
    m.messageId = sql::optInt(q, 4);
    m.orderKey = q.value(5).toLongLong();
    m.sender = q.value(6).toString();
    m.direction = q.value(7).toInt() == 1 ? Direction::Out : Direction::In;
    m.timestamp = sql::optTime(q, 8);
    m.receivedAt = sql::utc(q.value(9).toLongLong());
    m.body = sql::object(q.value(10));
    if (!q.isNull(11))
        m.metadata = sql::object(q.value(11));
    m.outboxId = sql::optInt(q, 12);
    if (!q.isNull(13))
        m.outboxState = static_cast<OutboxState>(q.value(13).toInt());
    m.outboxError = q.value(14).toString();
    return m;
}

const QString kEventColumns = QStringLiteral(
    "e.seq, e.thread_id, e.user_id, e.conversation_number, e.category, e.subcategory, e.metadata, "
    "e.timestamp_ms, e.received_at_ms, e.direction, e.raw_json, e.outbox_id FROM events e");

Event readEvent(const QSqlQuery &q) {
    Event e;
    e.seq = q.value(0).toLongLong();
    e.threadId = sql::optInt(q, 1);
    e.thread = {q.value(2).toString(), q.value(3).toString()};
    e.category = q.value(4).toString();
    e.subcategory = q.value(5).toString();
    e.metadata = sql::optText(q, 6);
    e.timestamp = sql::optTime(q, 7);
    e.receivedAt = sql::utc(q.value(8).toLongLong());
    e.direction = q.value(9).toInt() == 1 ? Direction::Out : Direction::In;
    e.rawJson = q.value(10).toString().toUtf8();
    e.outboxId = sql::optInt(q, 11);
    return e;
}

const QString kOutboxColumns = QStringLiteral(
    "o.id, o.idempotency_key, o.kind, o.user_id, o.conversation_number, o.payload, o.state, "
    "o.attempts, o.last_error, o.created_at_ms, o.updated_at_ms, o.sent_at_ms, "
    "(SELECT seq FROM messages WHERE outbox_id = o.id), "
    "(SELECT seq FROM events WHERE outbox_id = o.id) FROM outbox o");

OutboxItem readOutbox(const QSqlQuery &q) {
    OutboxItem o;
    o.id = q.value(0).toLongLong();
    o.idempotencyKey = q.value(1).toString();
    o.kind = static_cast<OutboxKind>(q.value(2).toInt());
    o.thread = {q.value(3).toString(), q.value(4).toString()};
    o.payload = sql::object(q.value(5));
    o.state = static_cast<OutboxState>(q.value(6).toInt());
    o.attempts = q.value(7).toInt();
    o.lastError = q.value(8).toString();
    o.createdAt = sql::utc(q.value(9).toLongLong());
    o.updatedAt = sql::utc(q.value(10).toLongLong());
    o.sentAt = sql::optTime(q, 11);
    o.messageSeq = sql::optInt(q, 12);
    o.eventSeq = sql::optInt(q, 13);
    return o;
}

const QString kOwnershipColumns =
    QStringLiteral("s.id, s.user_id, s.conversation_number, s.owner, s.listeners, s.taken_at_ms "
                   "FROM ownership_snapshots s");

OwnershipSnapshot readOwnership(const QSqlQuery &q) {
    OwnershipSnapshot s;
    s.id = q.value(0).toLongLong();
    s.userId = q.value(1).toString();
    s.conversationNumber = q.value(2).toString();
    s.owner = q.value(3).toString();
    s.listeners = sql::array(q.value(4));
    s.takenAt = sql::utc(q.value(5).toLongLong());
    return s;
}

// --- values -> export records ---------------------------------------------------

QJsonValue iso(const std::optional<QDateTime> &t) {
    return t && t->isValid() ? QJsonValue(t->toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonValue optional(const std::optional<QString> &s) {
    return s ? QJsonValue(*s) : QJsonValue();
}

QJsonValue rawJson(const QByteArray &raw) {
    // Keep what was received; embed it as JSON when it parses, else as text.
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
    if (error.error == QJsonParseError::NoError && doc.isObject())
        return doc.object();
    return QString::fromUtf8(raw);
}

QJsonObject record(const User &u) {
    return {{QStringLiteral("record"), QStringLiteral("user")},
            {QStringLiteral("user_id"), u.userId},
            {QStringLiteral("user_name"), optional(u.name)},
            {QStringLiteral("device_platform"), optional(u.devicePlatform)},
            {QStringLiteral("third_party_user_id"), optional(u.thirdPartyUserId)},
            {QStringLiteral("ect_user_id"), optional(u.ectUserId)},
            {QStringLiteral("details_available"),
             u.detailsAvailable ? QJsonValue(*u.detailsAvailable) : QJsonValue()},
            {QStringLiteral("created_at"), iso(u.createdAt)},
            {QStringLiteral("updated_at"), iso(u.updatedAt)}};
}

QJsonObject record(const Thread &t) {
    return {{QStringLiteral("record"), QStringLiteral("thread")},
            {QStringLiteral("user_id"), t.key.userId},
            {QStringLiteral("conversation_number"), t.key.conversationNumber},
            {QStringLiteral("created_at"), iso(t.createdAt)},
            {QStringLiteral("last_activity"), iso(t.lastActivity)},
            {QStringLiteral("unread_count"), t.unreadCount},
            {QStringLiteral("message_count"), t.messageCount},
            {QStringLiteral("owner"), t.owner},
            {QStringLiteral("conversation_state"), t.state}};
}

QJsonObject record(const Message &m) {
    QJsonObject o{
        {QStringLiteral("record"), QStringLiteral("message")},
        {QStringLiteral("seq"), m.seq},
        {QStringLiteral("user_id"), m.thread.userId},
        {QStringLiteral("conversation_number"), m.thread.conversationNumber},
        {QStringLiteral("message_id"), m.messageId ? QJsonValue(*m.messageId) : QJsonValue()},
        {QStringLiteral("sender"), m.sender},
        {QStringLiteral("direction"),
         m.direction == Direction::In ? QStringLiteral("in") : QStringLiteral("out")},
        {QStringLiteral("timestamp"), iso(m.timestamp)},
        {QStringLiteral("received_at"), iso(m.receivedAt)},
        {QStringLiteral("message_body"), m.body}};
    if (m.metadata)
        o.insert(QStringLiteral("metadata"), *m.metadata);
    if (m.outboxState) {
        o.insert(QStringLiteral("outbox_state"), outboxStateName(*m.outboxState));
        if (!m.outboxError.isEmpty())
            o.insert(QStringLiteral("outbox_error"), m.outboxError);
    }
    return o;
}

QJsonObject record(const Event &e) {
    return {{QStringLiteral("record"), QStringLiteral("event")},
            {QStringLiteral("seq"), e.seq},
            {QStringLiteral("user_id"), e.thread.userId},
            {QStringLiteral("conversation_number"), e.thread.conversationNumber},
            {QStringLiteral("category"), e.category},
            {QStringLiteral("subcategory"), e.subcategory},
            {QStringLiteral("metadata"), optional(e.metadata)},
            {QStringLiteral("direction"),
             e.direction == Direction::In ? QStringLiteral("in") : QStringLiteral("out")},
            {QStringLiteral("timestamp"), iso(e.timestamp)},
            {QStringLiteral("received_at"), iso(e.receivedAt)},
            {QStringLiteral("raw"), rawJson(e.rawJson)}};
}

QJsonObject record(const OutboxItem &o) {
    return {{QStringLiteral("record"), QStringLiteral("outbox")},
            {QStringLiteral("id"), o.id},
            {QStringLiteral("idempotency_key"), o.idempotencyKey},
            {QStringLiteral("kind"), outboxKindName(o.kind)},
            {QStringLiteral("user_id"), o.thread.userId},
            {QStringLiteral("conversation_number"), o.thread.conversationNumber},
            {QStringLiteral("payload"), o.payload},
            {QStringLiteral("state"), outboxStateName(o.state)},
            {QStringLiteral("attempts"), o.attempts},
            {QStringLiteral("last_error"), o.lastError},
            {QStringLiteral("created_at"), iso(o.createdAt)},
            {QStringLiteral("sent_at"), iso(o.sentAt)}};
}

QJsonObject record(const OwnershipSnapshot &s) {
    return {{QStringLiteral("record"), QStringLiteral("ownership")},
            {QStringLiteral("user_id"), s.userId},
            {QStringLiteral("conversation_number"), s.conversationNumber},
            {QStringLiteral("owner"), s.owner},
            {QStringLiteral("listeners"), s.listeners},
            {QStringLiteral("taken_at"), iso(s.takenAt)}};
}

QJsonObject record(const HookRecord &h) {
    return {{QStringLiteral("record"), QStringLiteral("hook")},
            {QStringLiteral("category"), h.category},
            {QStringLiteral("subcategory"), h.subcategory},
            {QStringLiteral("url"), h.url},
            {QStringLiteral("enabled"), h.enabled},
            {QStringLiteral("registered_at"), iso(h.registeredAt)}};
}

} // namespace

// --- users and threads ------------------------------------------------------------

std::optional<User> Reader::user(const QString &userId) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kUserColumns +
                                 QStringLiteral(" WHERE u.user_id = ?"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(userId));
    if (!run(m_db, q) || !q.next())
        return std::nullopt;
    return readUser(q);
}

QList<User> Reader::users() {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kUserColumns +
                                 QStringLiteral(" ORDER BY u.user_id"));
    StatementGuard guard(q);
    QList<User> out;
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readUser(q));
    return out;
}

std::optional<qint64> Reader::threadId(const ThreadKey &key) {
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT id FROM threads WHERE user_id = ? AND conversation_number = ?"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(key.userId));
    q.addBindValue(sql::text(key.conversationNumber));
    if (!run(m_db, q) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<Thread> Reader::thread(const ThreadKey &key) {
    QSqlQuery &q =
        m_db.prepared(QStringLiteral("SELECT ") + kThreadColumns +
                      QStringLiteral(" WHERE t.user_id = ? AND t.conversation_number = ?"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(key.userId));
    q.addBindValue(sql::text(key.conversationNumber));
    if (!run(m_db, q) || !q.next())
        return std::nullopt;
    return readThread(q);
}

std::optional<Thread> Reader::thread(qint64 id) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kThreadColumns +
                                 QStringLiteral(" WHERE t.id = ?"));
    StatementGuard guard(q);
    q.addBindValue(id);
    if (!run(m_db, q) || !q.next())
        return std::nullopt;
    return readThread(q);
}

QList<Thread> Reader::threads(const ThreadQuery &query) {
    // Only fixed fragments are appended; every value is bound.
    QString sqlText = QStringLiteral("SELECT ") + kThreadColumns + QStringLiteral(" WHERE 1");
    if (query.after)
        sqlText += QStringLiteral(" AND (t.last_activity_ms, t.id) < (?, ?)");
    if (query.userId)
        sqlText += QStringLiteral(" AND t.user_id = ?");
    if (query.unreadOnly)
        sqlText += QStringLiteral(" AND t.unread_count > 0");
    sqlText += QStringLiteral(" ORDER BY t.last_activity_ms DESC, t.id DESC LIMIT ?");
    QSqlQuery &q = m_db.prepared(sqlText);
    StatementGuard guard(q);
    if (query.after) {
        q.addBindValue(query.after->lastActivityMs);
        q.addBindValue(query.after->id);
    }
    if (query.userId)
        q.addBindValue(sql::text(*query.userId));
    q.addBindValue(clampLimit(query.limit, 1000));
    QList<Thread> out;
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readThread(q));
    return out;
}

int Reader::totalUnread() {
    QSqlQuery &q =
        m_db.prepared(QStringLiteral("SELECT coalesce(sum(unread_count), 0) FROM threads"));
    StatementGuard guard(q);
    if (!run(m_db, q) || !q.next())
        return 0;
    return q.value(0).toInt();
}

// --- messages ------------------------------------------------------------------

bool Reader::existsBeyond(qint64 threadId, const MessageCursor &c, bool newer) {
    QSqlQuery &q = m_db.prepared(
        newer ? QStringLiteral("SELECT EXISTS (SELECT 1 FROM messages WHERE thread_id = ? AND "
                               "(order_key, seq) > (?, ?))")
              : QStringLiteral("SELECT EXISTS (SELECT 1 FROM messages WHERE thread_id = ? AND "
                               "(order_key, seq) < (?, ?))"));
    StatementGuard guard(q);
    q.addBindValue(threadId);
    q.addBindValue(c.orderKey);
    q.addBindValue(c.seq);
    return run(m_db, q) && q.next() && q.value(0).toBool();
}

MessagePage Reader::messages(const MessageQuery &query) {
    MessagePage page;
    const auto tid = threadId(query.thread);
    if (!tid)
        return page;
    const bool older = query.direction == PageDirection::Older;
    QString sqlText =
        QStringLiteral("SELECT ") + kMessageColumns + QStringLiteral(" WHERE m.thread_id = ?");
    if (query.anchor) {
        if (older)
            sqlText += query.inclusive ? QStringLiteral(" AND (m.order_key, m.seq) <= (?, ?)")
                                       : QStringLiteral(" AND (m.order_key, m.seq) < (?, ?)");
        else
            sqlText += query.inclusive ? QStringLiteral(" AND (m.order_key, m.seq) >= (?, ?)")
                                       : QStringLiteral(" AND (m.order_key, m.seq) > (?, ?)");
    }
    sqlText += older ? QStringLiteral(" ORDER BY m.order_key DESC, m.seq DESC LIMIT ?")
                     : QStringLiteral(" ORDER BY m.order_key ASC, m.seq ASC LIMIT ?");
    {
        QSqlQuery &q = m_db.prepared(sqlText);
        StatementGuard guard(q);
        q.addBindValue(*tid);
        if (query.anchor) {
            q.addBindValue(query.anchor->orderKey);
            q.addBindValue(query.anchor->seq);
        }
        q.addBindValue(clampLimit(query.limit, 1000));
        if (!run(m_db, q))
            return page;
        while (q.next())
            page.messages.append(readMessage(q));
    }
    if (older)
        std::reverse(page.messages.begin(), page.messages.end());
    if (!page.messages.isEmpty()) {
        page.hasOlder = existsBeyond(*tid, page.messages.first().cursor(), false);
        page.hasNewer = existsBeyond(*tid, page.messages.last().cursor(), true);
    } else if (query.anchor) {
        // Nothing on this side of the anchor; the other side may still exist.
        if (older)
            page.hasNewer = existsBeyond(*tid, *query.anchor, true) || query.inclusive;
        else
            page.hasOlder = existsBeyond(*tid, *query.anchor, false) || query.inclusive;
    }
    return page;
}

std::optional<Message> Reader::message(qint64 seq) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kMessageColumns +
                                 QStringLiteral(" WHERE m.seq = ?"));
    StatementGuard guard(q);
    q.addBindValue(seq);
    if (!run(m_db, q) || !q.next())
        return std::nullopt;
    return readMessage(q);
}

QList<Message> Reader::messagesAfter(qint64 seq, int limit) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kMessageColumns +
                                 QStringLiteral(" WHERE m.seq > ? ORDER BY m.seq LIMIT ?"));
    StatementGuard guard(q);
    q.addBindValue(seq);
    q.addBindValue(clampLimit(limit, 1000));
    QList<Message> out;
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readMessage(q));
    return out;
}

QList<Event> Reader::eventsAfter(qint64 seq, int limit) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kEventColumns +
                                 QStringLiteral(" WHERE e.seq > ? ORDER BY e.seq LIMIT ?"));
    StatementGuard guard(q);
    q.addBindValue(seq);
    q.addBindValue(clampLimit(limit, 1000));
    QList<Event> out;
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readEvent(q));
    return out;
}

QList<Message> Reader::search(const SearchQuery &query) {
    QList<Message> out;
    QString sqlText;
    QVariant pattern;
    if (m_db.hasFullTextSearch()) {
        const QString match = SearchIndex::matchExpression(query.text);
        if (match.isEmpty())
            return out;
        pattern = match;
        sqlText = QStringLiteral("SELECT ") + kMessageColumns +
                  QStringLiteral(" WHERE m.seq IN (SELECT rowid FROM search.messages_fts "
                                 "WHERE messages_fts MATCH ?)");
    } else {
        if (query.text.trimmed().isEmpty())
            return out;
        pattern = SearchIndex::likePattern(query.text.trimmed());
        sqlText = QStringLiteral("SELECT ") + kMessageColumns +
                  QStringLiteral(" WHERE m.body_text LIKE ? ESCAPE '\\'");
    }
    if (query.thread)
        sqlText += QStringLiteral(" AND t.user_id = ? AND t.conversation_number = ?");
    else if (query.userId)
        sqlText += QStringLiteral(" AND t.user_id = ?");
    if (query.beforeSeq)
        sqlText += QStringLiteral(" AND m.seq < ?");
    sqlText += QStringLiteral(" ORDER BY m.seq DESC LIMIT ?");
    QSqlQuery &q = m_db.prepared(sqlText);
    StatementGuard guard(q);
    q.addBindValue(pattern);
    if (query.thread) {
        q.addBindValue(sql::text(query.thread->userId));
        q.addBindValue(sql::text(query.thread->conversationNumber));
    } else if (query.userId) {
        q.addBindValue(sql::text(*query.userId));
    }
    if (query.beforeSeq)
        q.addBindValue(*query.beforeSeq);
    q.addBindValue(clampLimit(query.limit, 1000));
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readMessage(q));
    return out;
}

// --- events, ownership, outbox, hooks ------------------------------------------------

QList<Event> Reader::events(const EventQuery &query) {
    QString sqlText = QStringLiteral("SELECT ") + kEventColumns + QStringLiteral(" WHERE 1");
    if (query.thread)
        sqlText += QStringLiteral(" AND e.user_id = ? AND e.conversation_number = ?");
    else if (query.userId)
        sqlText += QStringLiteral(" AND e.user_id = ?");
    if (query.beforeSeq)
        sqlText += QStringLiteral(" AND e.seq < ?");
    sqlText += QStringLiteral(" ORDER BY e.seq DESC LIMIT ?");
    QSqlQuery &q = m_db.prepared(sqlText);
    StatementGuard guard(q);
    if (query.thread) {
        q.addBindValue(sql::text(query.thread->userId));
        q.addBindValue(sql::text(query.thread->conversationNumber));
    } else if (query.userId) {
        q.addBindValue(sql::text(*query.userId));
    }
    if (query.beforeSeq)
        q.addBindValue(*query.beforeSeq);
    q.addBindValue(clampLimit(query.limit, 1000));
    QList<Event> out;
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readEvent(q));
    return out;
}

std::optional<OwnershipSnapshot> Reader::latestOwnership(const QString &userId) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kOwnershipColumns +
                                 QStringLiteral(" WHERE s.user_id = ? ORDER BY s.id DESC LIMIT 1"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(userId));
    if (!run(m_db, q) || !q.next())
        return std::nullopt;
    return readOwnership(q);
}

std::optional<OutboxItem> Reader::outboxItem(qint64 id) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ") + kOutboxColumns +
                                 QStringLiteral(" WHERE o.id = ?"));
    StatementGuard guard(q);
    q.addBindValue(id);
    if (!run(m_db, q) || !q.next())
        return std::nullopt;
    return readOutbox(q);
}

QList<OutboxItem> Reader::outboxItems(const OutboxQuery &query) {
    QString sqlText = QStringLiteral("SELECT ") + kOutboxColumns + QStringLiteral(" WHERE 1");
    if (query.userId)
        sqlText += QStringLiteral(" AND o.user_id = ?");
    if (query.state)
        sqlText += QStringLiteral(" AND o.state = ?");
    sqlText += QStringLiteral(" ORDER BY o.id LIMIT ?");
    QSqlQuery &q = m_db.prepared(sqlText);
    StatementGuard guard(q);
    if (query.userId)
        q.addBindValue(sql::text(*query.userId));
    if (query.state)
        q.addBindValue(static_cast<int>(*query.state));
    q.addBindValue(clampLimit(query.limit, 10000));
    QList<OutboxItem> out;
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readOutbox(q));
    return out;
}

QList<OutboxItem> Reader::outboxReady(int limit) {
    // Per user, only the oldest open item may go: a failed head blocks the
    // user's later items until it is retried or cancelled, so replies never
    // overtake each other.
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT ") + kOutboxColumns +
        QStringLiteral(" WHERE o.state = 0 AND o.id = (SELECT min(p.id) FROM outbox p "
                       "WHERE p.user_id = o.user_id AND p.state IN (0, 2)) ORDER BY o.id LIMIT ?"));
    StatementGuard guard(q);
    q.addBindValue(clampLimit(limit, 10000));
    QList<OutboxItem> out;
    if (!run(m_db, q))
        return out;
    while (q.next())
        out.append(readOutbox(q));
    return out;
}

QList<HookRecord> Reader::hooks() {
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT category, subcategory, url, enabled, registered_at_ms FROM "
                       "hook_registrations ORDER BY category, subcategory"));
    StatementGuard guard(q);
    QList<HookRecord> out;
    if (!run(m_db, q))
        return out;
    while (q.next()) {
        HookRecord h;
        h.category = q.value(0).toString();
        h.subcategory = q.value(1).toString();
        h.url = q.value(2).toString();
        h.enabled = q.value(3).toBool();
        h.registeredAt = sql::utc(q.value(4).toLongLong());
        out.append(h);
    }
    return out;
}

// --- export --------------------------------------------------------------------------

bool Reader::exportRecords(const std::optional<QString> &userId,
                           const std::function<bool(const QJsonObject &)> &sink) {
    // Each table is streamed row by row through a forward-only query, so an
    // export of any size runs in constant memory. Not cached: exports are rare
    // and the statements should not linger.
    const auto stream = [&](const QString &columns, const QString &userColumn, const QString &order,
                            auto read) -> bool {
        QSqlQuery q(m_db.connection());
        q.setForwardOnly(true);
        QString sqlText = QStringLiteral("SELECT ") + columns;
        if (userId)
            sqlText += QStringLiteral(" WHERE ") + userColumn + QStringLiteral(" = ?");
        sqlText += QStringLiteral(" ORDER BY ") + order;
        if (!q.prepare(sqlText)) {
            m_db.setError(sqlText, q.lastError());
            return false;
        }
        if (userId)
            q.addBindValue(sql::text(*userId));
        if (!run(m_db, q))
            return false;
        while (q.next()) {
            if (!sink(record(read(q))))
                return false;
        }
        return true;
    };
    return stream(kUserColumns, QStringLiteral("u.user_id"), QStringLiteral("u.user_id"),
                  readUser) &&
           stream(kThreadColumns, QStringLiteral("t.user_id"), QStringLiteral("t.id"),
                  readThread) &&
           stream(kMessageColumns, QStringLiteral("t.user_id"),
                  QStringLiteral("m.thread_id, m.order_key, m.seq"), readMessage) &&
           stream(kEventColumns, QStringLiteral("e.user_id"), QStringLiteral("e.seq"), readEvent) &&
           stream(kOutboxColumns, QStringLiteral("o.user_id"), QStringLiteral("o.id"),
                  readOutbox) &&
           stream(kOwnershipColumns, QStringLiteral("s.user_id"), QStringLiteral("s.id"),
                  readOwnership) &&
           (userId.has_value() || [&] {
               for (const HookRecord &h : hooks()) {
                   if (!sink(record(h)))
                       return false;
               }
               return true;
           }());
}

} // namespace tract::store
