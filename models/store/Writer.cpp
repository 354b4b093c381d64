#include "models/store/Writer.h"

#include "models/store/Database.h"
#include "models/store/SearchIndex.h"
#include "models/store/SqlValues.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>

namespace tract::store {

namespace {

constexpr int kPreviewLength = 200;

// 16 bytes of SHA-256 over length-prefixed parts: fixed-size keys keep the
// UNIQUE index small however long the body, and the prefixes make ("ab","c")
// and ("a","bc") different.
QByteArray dedupKey(std::initializer_list<QByteArray> parts) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const QByteArray &p : parts) {
        h.addData(QByteArray::number(p.size()));
        h.addData(QByteArrayView(":"));
        h.addData(p);
    }
    return h.result().left(16);
}

QByteArray num(qint64 v) {
    return QByteArray::number(v);
}

// What a thread list shows for a message: its own text (or a form's title),
// not the first string found in it (JSON key order puts quick replies first);
// a message with no text of its own is named by its type.
QString preview(const QJsonObject &hsl, const QString &bodyText) {
    QString p;
    for (const char *key : {"text", "title"}) {
        p = hsl.value(QLatin1String(key)).toString().simplified();
        if (!p.isEmpty())
            break;
    }
    if (p.isEmpty()) {
        const QString type = hsl.value(QStringLiteral("type")).toString();
        const QJsonArray items =
            hsl.value(QStringLiteral("data")).toObject().value(QStringLiteral("items")).toArray();
        if (type == QLatin1String("CAROUSEL") && items.size() == 1 &&
            items.first().toObject().value(QStringLiteral("actionables")).toArray().isEmpty())
            p = QCoreApplication::translate("store", "[Image]");
        else
            p = bodyText.simplified();
        if (p.isEmpty() && !type.isEmpty())
            p = QLatin1Char('[') + type + QLatin1Char(']');
    }
    if (p.size() > kPreviewLength)
        p = p.left(kPreviewLength - 1) + QChar(0x2026);
    return p;
}

// What a message does to threads.waiting_since_ms. The end user waits from
// their first message after an agent's reply; any agent message (received, or
// sent from here as aeu) ends the wait. The bot's messages do not: the wait
// is for a human.
enum class WaitEffect { None = 0, Starts = 1, Ends = 2 };

WaitEffect waitEffect(const QString &sender) {
    if (sender == QStringLiteral("ceu"))
        return WaitEffect::Starts;
    if (sender == QStringLiteral("aeu") || sender == QStringLiteral("ect"))
        return WaitEffect::Ends;
    return WaitEffect::None;
}

bool exec(Database &db, QSqlQuery &q, const char *what) {
    if (q.exec())
        return true;
    db.setError(QString::fromLatin1(what), q.lastError());
    return false;
}

} // namespace

WriteResult Writer::sqlFailure() const {
    return WriteResult::failure(m_db.lastError());
}

WriteResult Writer::apply(const WriteOp &op, ChangeSet &changes) {
    return std::visit(
        [&](const auto &v) -> WriteResult {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, IncomingMessage>)
                return insertMessage(v, changes);
            else if constexpr (std::is_same_v<T, IncomingEvent>)
                return insertEvent(v, changes);
            else if constexpr (std::is_same_v<T, User>)
                return upsertUser(v, changes);
            else if constexpr (std::is_same_v<T, OwnershipSnapshot>)
                return recordOwnership(v, changes);
            else
                return enqueueOutgoing(v, changes);
        },
        op);
}

void Writer::startTransaction() {
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT pruned FROM store_generation"));
    StatementGuard guard(q);
    const qint64 generation = q.exec() && q.next() ? q.value(0).toLongLong() : -1;
    if (generation != m_pruneGeneration || generation < 0)
        m_threadIds.clear();
    m_pruneGeneration = generation;
}

std::optional<qint64> Writer::findThread(const ThreadKey &key) {
    const auto cached = m_threadIds.constFind(key);
    if (cached != m_threadIds.constEnd())
        return *cached;
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("SELECT id FROM threads WHERE user_id = ? AND conversation_number = ?"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(key.userId));
    q.addBindValue(sql::text(key.conversationNumber));
    if (!exec(m_db, q, "find thread") || !q.next())
        return std::nullopt;
    const qint64 id = q.value(0).toLongLong();
    m_threadIds.insert(key, id);
    return id;
}

bool Writer::ensureUser(const QString &userId, qint64 nowMs) {
    // A message may arrive before create_user; the stub is filled in later.
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("INSERT INTO users (user_id, created_at_ms, updated_at_ms) VALUES (?, ?, ?) "
                       "ON CONFLICT (user_id) DO NOTHING"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(userId));
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    return exec(m_db, q, "insert user");
}

std::optional<qint64> Writer::ensureThread(const ThreadKey &key, qint64 nowMs, ChangeSet &changes) {
    if (const auto id = findThread(key))
        return id;
    if (!ensureUser(key.userId, nowMs))
        return std::nullopt;
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("INSERT INTO threads (user_id, conversation_number, created_at_ms, "
                       "last_activity_ms) VALUES (?, ?, ?, ?)"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(key.userId));
    q.addBindValue(sql::text(key.conversationNumber));
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    if (!exec(m_db, q, "insert thread"))
        return std::nullopt;
    const qint64 id = q.lastInsertId().toLongLong();
    m_threadIds.insert(key, id);
    changes.threadList = true;
    changes.threads.insert(id);
    return id;
}

std::optional<qint64> Writer::targetThread(const QString &userId,
                                           const QString &conversationNumber) {
    if (!conversationNumber.isEmpty())
        return findThread({userId, conversationNumber});
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT id FROM threads WHERE user_id = ? "
                                                "ORDER BY last_activity_ms DESC, id DESC LIMIT 1"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(userId));
    if (!exec(m_db, q, "latest thread") || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

bool Writer::setThreadOwner(qint64 threadId, const QString &owner, qint64 atMs) {
    // owner_since only moves when the owner changes: a periodic snapshot
    // repeating the same owner must not restart the clock.
    QSqlQuery &q =
        m_db.prepared(QStringLiteral("UPDATE threads SET owner_since_ms = CASE WHEN owner = ? THEN "
                                     "owner_since_ms ELSE ? END, owner = ? WHERE id = ?"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(owner));
    q.addBindValue(atMs);
    q.addBindValue(sql::text(owner));
    q.addBindValue(threadId);
    return exec(m_db, q, "set owner");
}

WriteResult Writer::insertMessage(const IncomingMessage &m, ChangeSet &changes) {
    if (m.thread.userId.isEmpty() || m.thread.conversationNumber.isEmpty())
        return WriteResult::failure(
            QStringLiteral("message without user_id or conversation_number"));
    const qint64 now = sql::msOrNow(m.receivedAt);
    const auto threadId = ensureThread(m.thread, now, changes);
    if (!threadId)
        return sqlFailure();

    MessageRow row;
    row.threadId = *threadId;
    row.messageId = m.messageId;
    row.sender = m.sender;
    row.direction = m.direction;
    row.timestampMs = sql::ms(m.timestamp);
    row.receivedAtMs = now;
    row.body = m.body;
    row.metadata = m.metadata;
    // A redelivery is the same message_id in the same conversation (the
    // unique messages_by_message_id index); without an id, the same sender,
    // content and timestamp. With neither id nor timestamp (the spec's
    // revision) a redelivery cannot be told from the user typing the same thing
    // again, so nothing is deduplicated.
    if (!m.messageId && row.timestampMs) {
        row.dedupKey =
            dedupKey({"mct", m.thread.userId.toUtf8(), m.thread.conversationNumber.toUtf8(),
                      m.sender.toUtf8(), num(*row.timestampMs),
                      QJsonDocument(m.body).toJson(QJsonDocument::Compact)});
    }
    return insertMessageRow(row, changes);
}

WriteResult Writer::insertMessageRow(const MessageRow &row, ChangeSet &changes) {
    qint64 orderKey = 0;
    if (row.messageId) {
        orderKey = *row.messageId;
    } else {
        QSqlQuery &q =
            m_db.prepared(QStringLiteral("SELECT max_message_id FROM threads WHERE id = ?"));
        StatementGuard guard(q);
        q.addBindValue(row.threadId);
        if (!exec(m_db, q, "thread anchor") || !q.next())
            return sqlFailure();
        orderKey = q.value(0).toLongLong();
    }

    const QString bodyText = SearchIndex::bodyText(row.body);
    qint64 seq = 0;
    {
        QSqlQuery &q = m_db.prepared(QStringLiteral(
            "INSERT INTO messages (thread_id, message_id, order_key, sender, direction, "
            "timestamp_ms, received_at_ms, body, body_text, metadata, dedup_key, outbox_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"));
        StatementGuard guard(q);
        q.addBindValue(row.threadId);
        q.addBindValue(sql::nullableInt(row.messageId));
        q.addBindValue(orderKey);
        q.addBindValue(sql::text(row.sender));
        q.addBindValue(static_cast<int>(row.direction));
        q.addBindValue(sql::nullableInt(row.timestampMs));
        q.addBindValue(row.receivedAtMs);
        q.addBindValue(sql::json(row.body));
        q.addBindValue(sql::text(bodyText));
        q.addBindValue(row.metadata ? QVariant(sql::json(*row.metadata))
                                    : QVariant(QMetaType::fromType<QString>()));
        q.addBindValue(sql::blobOrNull(row.dedupKey));
        q.addBindValue(sql::nullableInt(row.outboxId));
        if (!exec(m_db, q, "insert message"))
            return sqlFailure();
        if (q.numRowsAffected() > 0)
            seq = q.lastInsertId().toLongLong();
    }

    WriteResult result;
    result.ok = true;
    if (seq == 0) { // already stored: report the existing row
        QSqlQuery &q = m_db.prepared(
            row.messageId
                ? QStringLiteral("SELECT seq FROM messages WHERE message_id = ? AND thread_id = ?")
                : QStringLiteral("SELECT seq FROM messages WHERE dedup_key = ?"));
        StatementGuard guard(q);
        if (row.messageId) {
            q.addBindValue(*row.messageId);
            q.addBindValue(row.threadId);
        } else {
            q.addBindValue(row.dedupKey);
        }
        if (!exec(m_db, q, "find duplicate") || !q.next())
            return sqlFailure();
        result.rowId = q.value(0).toLongLong();
        return result;
    }

    // Row values compare (order_key, seq) pairs, i.e. message positions: the
    // preview follows the newest message, unread counts only what lies after
    // the read marker (a late, older message the agent has scrolled past is
    // not "new").
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "UPDATE threads SET "
        "last_activity_ms = max(last_activity_ms, ?), "
        "waiting_since_ms = CASE ? WHEN 1 THEN coalesce(waiting_since_ms, ?) WHEN 2 THEN NULL "
        "ELSE waiting_since_ms END, "
        "message_count = message_count + 1, "
        "unread_count = unread_count + (CASE WHEN ? AND (?, ?) > (read_order_key, read_seq) "
        "THEN 1 ELSE 0 END), "
        "max_message_id = max(max_message_id, ?), "
        "last_preview = CASE WHEN (?, ?) > (last_order_key, last_seq) THEN ? ELSE last_preview "
        "END, "
        "last_order_key = CASE WHEN (?, ?) > (last_order_key, last_seq) THEN ? ELSE last_order_key "
        "END, "
        "last_seq = CASE WHEN (?, ?) > (last_order_key, last_seq) THEN ? ELSE last_seq END "
        "WHERE id = ?"));
    StatementGuard guard(q);
    q.addBindValue(row.receivedAtMs);
    q.addBindValue(static_cast<int>(waitEffect(row.sender)));
    q.addBindValue(row.timestampMs.value_or(row.receivedAtMs));
    q.addBindValue(row.direction == Direction::In ? 1 : 0);
    q.addBindValue(orderKey);
    q.addBindValue(seq);
    q.addBindValue(row.messageId.value_or(0));
    q.addBindValue(orderKey);
    q.addBindValue(seq);
    q.addBindValue(sql::text(preview(row.body, bodyText)));
    q.addBindValue(orderKey);
    q.addBindValue(seq);
    q.addBindValue(orderKey);
    q.addBindValue(orderKey);
    q.addBindValue(seq);
    q.addBindValue(seq);
    q.addBindValue(row.threadId);
    if (!exec(m_db, q, "update thread"))
        return sqlFailure();
    changes.threads.insert(row.threadId);
    changes.newMessages += 1;
    result.inserted = true;
    result.rowId = seq;
    return result;
}

WriteResult Writer::insertEvent(const IncomingEvent &e, ChangeSet &changes) {
    if (e.thread.userId.isEmpty() || e.category.isEmpty())
        return WriteResult::failure(QStringLiteral("event without user_id or category"));
    const qint64 now = sql::msOrNow(e.receivedAt);
    std::optional<qint64> threadId;
    if (!e.thread.conversationNumber.isEmpty()) {
        threadId = ensureThread(e.thread, now, changes);
        if (!threadId)
            return sqlFailure();
    } else if (!ensureUser(e.thread.userId, now)) {
        return sqlFailure();
    }
    const auto timestampMs = sql::ms(e.timestamp);
    // Events carry no id; only a timestamp makes a redelivery recognisable.
    QByteArray key;
    if (timestampMs) {
        key = dedupKey({"ev", e.thread.userId.toUtf8(), e.thread.conversationNumber.toUtf8(),
                        e.category.toUtf8(), e.subcategory.toUtf8(),
                        e.metadata ? e.metadata->toUtf8() : QByteArray(), num(*timestampMs)});
    }

    qint64 seq = 0;
    {
        QSqlQuery &q = m_db.prepared(QStringLiteral(
            "INSERT INTO events (user_id, conversation_number, thread_id, category, subcategory, "
            "metadata, timestamp_ms, received_at_ms, direction, raw_json, dedup_key, outbox_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (dedup_key) DO NOTHING"));
        StatementGuard guard(q);
        q.addBindValue(sql::text(e.thread.userId));
        q.addBindValue(sql::text(e.thread.conversationNumber));
        q.addBindValue(sql::nullableInt(threadId));
        q.addBindValue(sql::text(e.category));
        q.addBindValue(sql::text(e.subcategory));
        q.addBindValue(sql::nullableText(e.metadata));
        q.addBindValue(sql::nullableInt(timestampMs));
        q.addBindValue(now);
        q.addBindValue(static_cast<int>(Direction::In));
        q.addBindValue(sql::text(QString::fromUtf8(e.rawJson)));
        q.addBindValue(sql::blobOrNull(key));
        if (!exec(m_db, q, "insert event"))
            return sqlFailure();
        if (q.numRowsAffected() > 0)
            seq = q.lastInsertId().toLongLong();
    }
    WriteResult result;
    result.ok = true;
    if (seq == 0) {
        QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT seq FROM events WHERE dedup_key = ?"));
        StatementGuard guard(q);
        q.addBindValue(key);
        if (!exec(m_db, q, "find duplicate event") || !q.next())
            return sqlFailure();
        result.rowId = q.value(0).toLongLong();
        return result;
    }
    result.inserted = true;
    result.rowId = seq;
    changes.users.insert(e.thread.userId);

    // What the event means for its thread.
    const auto target = targetThread(e.thread.userId, e.thread.conversationNumber);
    if (target) {
        changes.threads.insert(*target);
        const QString category = e.category == QStringLiteral("collection_state")
                                     ? QStringLiteral("conversation_state")
                                     : e.category;
        if (category == QStringLiteral("conversation_state")) {
            QSqlQuery &q = m_db.prepared(QStringLiteral(
                "UPDATE threads SET state = ?, last_activity_ms = max(last_activity_ms, ?) "
                "WHERE id = ?"));
            StatementGuard guard(q);
            q.addBindValue(sql::text(e.subcategory));
            q.addBindValue(now);
            q.addBindValue(*target);
            if (!exec(m_db, q, "set state"))
                return sqlFailure();
        } else if (category == QStringLiteral("thread_control") &&
                   (e.subcategory == QStringLiteral("take") ||
                    e.subcategory == QStringLiteral("pass") ||
                    e.subcategory == QStringLiteral("request"))) {
            // metadata: a JSON string {"from","to","requester"}. TRACT sends these
            // hooks when control changes hands, a granted request included, so
            // each one hands the thread to "to".
            const QJsonObject meta =
                QJsonDocument::fromJson(e.metadata.value_or(QString()).toUtf8()).object();
            const QString to = meta.value(QStringLiteral("to")).toString();
            if (!to.isEmpty() && !setThreadOwner(*target, to, timestampMs.value_or(now)))
                return sqlFailure();
        }
    }
    return result;
}

WriteResult Writer::upsertUser(const User &u, ChangeSet &changes) {
    if (u.userId.isEmpty())
        return WriteResult::failure(QStringLiteral("user without user_id"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool existed = false;
    {
        QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT 1 FROM users WHERE user_id = ?"));
        StatementGuard guard(q);
        q.addBindValue(u.userId);
        if (!exec(m_db, q, "find user"))
            return sqlFailure();
        existed = q.next();
    }
    {
        QSqlQuery &q = m_db.prepared(QStringLiteral(
            "INSERT INTO users (user_id, name, device_platform, third_party_user_id, ect_user_id, "
            "details_available, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET "
            "name = coalesce(excluded.name, name), "
            "device_platform = coalesce(excluded.device_platform, device_platform), "
            "third_party_user_id = coalesce(excluded.third_party_user_id, third_party_user_id), "
            "ect_user_id = coalesce(ect_user_id, excluded.ect_user_id), "
            "details_available = coalesce(excluded.details_available, details_available), "
            "updated_at_ms = excluded.updated_at_ms"));
        StatementGuard guard(q);
        q.addBindValue(u.userId);
        q.addBindValue(sql::nullableText(u.name));
        q.addBindValue(sql::nullableText(u.devicePlatform));
        q.addBindValue(sql::nullableText(u.thirdPartyUserId));
        q.addBindValue(sql::nullableText(u.ectUserId));
        q.addBindValue(u.detailsAvailable ? QVariant(sql::json(*u.detailsAvailable))
                                          : QVariant(QMetaType::fromType<QString>()));
        q.addBindValue(now);
        q.addBindValue(now);
        if (!exec(m_db, q, "upsert user"))
            return sqlFailure();
    }
    WriteResult result;
    result.ok = true;
    result.inserted = !existed;
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT ect_user_id FROM users WHERE user_id = ?"));
    StatementGuard guard(q);
    q.addBindValue(u.userId);
    if (exec(m_db, q, "read ect id") && q.next())
        result.ectUserId = q.value(0).toString();
    changes.users.insert(u.userId);
    changes.threadList = true; // names show in the thread list
    return result;
}

WriteResult Writer::recordOwnership(const OwnershipSnapshot &s, ChangeSet &changes) {
    if (s.userId.isEmpty())
        return WriteResult::failure(QStringLiteral("ownership snapshot without user_id"));
    const qint64 now = sql::msOrNow(s.takenAt);
    WriteResult result;
    {
        QSqlQuery &q = m_db.prepared(
            QStringLiteral("INSERT INTO ownership_snapshots (user_id, conversation_number, owner, "
                           "listeners, taken_at_ms) VALUES (?, ?, ?, ?, ?)"));
        StatementGuard guard(q);
        q.addBindValue(s.userId);
        q.addBindValue(sql::text(s.conversationNumber));
        q.addBindValue(sql::text(s.owner));
        q.addBindValue(sql::json(s.listeners));
        q.addBindValue(now);
        if (!exec(m_db, q, "insert ownership"))
            return sqlFailure();
        result.rowId = q.lastInsertId().toLongLong();
    }
    std::optional<qint64> target;
    if (!s.conversationNumber.isEmpty())
        target = ensureThread({s.userId, s.conversationNumber}, now, changes);
    else
        target = targetThread(s.userId, QString());
    if (target) {
        if (!setThreadOwner(*target, s.owner, now))
            return sqlFailure();
        changes.threads.insert(*target);
    }
    changes.users.insert(s.userId);
    result.ok = true;
    result.inserted = true;
    return result;
}

WriteResult Writer::enqueueOutgoing(const OutgoingItem &o, ChangeSet &changes) {
    if (o.idempotencyKey.isEmpty() || o.thread.userId.isEmpty())
        return WriteResult::failure(
            QStringLiteral("outbox item without idempotency key or user_id"));
    if (o.kind == OutboxKind::Message && o.thread.conversationNumber.isEmpty())
        return WriteResult::failure(QStringLiteral("outgoing message without conversation_number"));
    {
        QSqlQuery &q =
            m_db.prepared(QStringLiteral("SELECT id FROM outbox WHERE idempotency_key = ?"));
        StatementGuard guard(q);
        q.addBindValue(o.idempotencyKey);
        if (!exec(m_db, q, "find outbox item"))
            return sqlFailure();
        if (q.next()) {
            WriteResult existing;
            existing.ok = true;
            existing.rowId = q.value(0).toLongLong();
            return existing;
        }
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 id = 0;
    {
        QSqlQuery &q = m_db.prepared(QStringLiteral(
            "INSERT INTO outbox (idempotency_key, kind, user_id, conversation_number, payload, "
            "state, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?)"));
        StatementGuard guard(q);
        q.addBindValue(o.idempotencyKey);
        q.addBindValue(static_cast<int>(o.kind));
        q.addBindValue(o.thread.userId);
        q.addBindValue(sql::text(o.thread.conversationNumber));
        q.addBindValue(sql::json(o.payload));
        q.addBindValue(now);
        q.addBindValue(now);
        if (!exec(m_db, q, "insert outbox item"))
            return sqlFailure();
        id = q.lastInsertId().toLongLong();
    }

    if (o.kind == OutboxKind::Message) {
        const auto threadId = ensureThread(o.thread, now, changes);
        if (!threadId)
            return sqlFailure();
        MessageRow row;
        row.threadId = *threadId;
        row.sender = o.sender;
        row.direction = Direction::Out;
        row.timestampMs = now;
        row.receivedAtMs = now;
        row.body = o.body;
        row.dedupKey = dedupKey({"out", o.idempotencyKey.toUtf8()});
        row.outboxId = id;
        const WriteResult r = insertMessageRow(row, changes);
        if (!r.ok)
            return r;
    } else {
        std::optional<qint64> threadId;
        if (!o.thread.conversationNumber.isEmpty()) {
            threadId = ensureThread(o.thread, now, changes);
            if (!threadId)
                return sqlFailure();
        } else if (!ensureUser(o.thread.userId, now)) {
            return sqlFailure();
        }
        QSqlQuery &q = m_db.prepared(QStringLiteral(
            "INSERT INTO events (user_id, conversation_number, thread_id, category, subcategory, "
            "metadata, timestamp_ms, received_at_ms, direction, raw_json, dedup_key, outbox_id) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, ?)"));
        StatementGuard guard(q);
        q.addBindValue(o.thread.userId);
        q.addBindValue(sql::text(o.thread.conversationNumber));
        q.addBindValue(sql::nullableInt(threadId));
        q.addBindValue(sql::text(o.category));
        q.addBindValue(sql::text(o.subcategory));
        q.addBindValue(sql::nullableText(o.metadata));
        q.addBindValue(now);
        q.addBindValue(static_cast<int>(Direction::Out));
        q.addBindValue(sql::json(o.payload));
        q.addBindValue(id);
        if (!exec(m_db, q, "insert outgoing event"))
            return sqlFailure();
        if (threadId)
            changes.threads.insert(*threadId);
    }
    changes.outbox = true;
    changes.users.insert(o.thread.userId);
    WriteResult result;
    result.ok = true;
    result.inserted = true;
    result.rowId = id;
    return result;
}

bool Writer::transitionOutbox(qint64 id, OutboxState to, std::initializer_list<OutboxState> from,
                              const QString &error, ChangeSet &changes) {
    // An attempt ended (sent or failed): count it.
    const bool attempt = to == OutboxState::Sent || to == OutboxState::Failed;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("UPDATE outbox SET state = ?, last_error = ?, attempts = attempts + ?, "
                       "updated_at_ms = ?, sent_at_ms = CASE WHEN ? THEN ? ELSE sent_at_ms END "
                       "WHERE id = ? AND state IN (?, ?)"));
    StatementGuard guard(q);
    q.addBindValue(static_cast<int>(to));
    q.addBindValue(sql::text(to == OutboxState::Failed ? error : QString()));
    q.addBindValue(attempt ? 1 : 0);
    q.addBindValue(now);
    q.addBindValue(to == OutboxState::Sent ? 1 : 0);
    q.addBindValue(now);
    q.addBindValue(id);
    const auto first = *from.begin();
    q.addBindValue(static_cast<int>(first));
    q.addBindValue(static_cast<int>(from.size() > 1 ? *(from.begin() + 1) : first));
    if (!exec(m_db, q, "outbox transition") || q.numRowsAffected() == 0)
        return false;

    changes.outbox = true;
    QSqlQuery &t = m_db.prepared(QStringLiteral(
        "SELECT o.user_id, m.thread_id, e.thread_id FROM outbox o "
        "LEFT JOIN messages m ON m.outbox_id = o.id LEFT JOIN events e ON e.outbox_id = o.id "
        "WHERE o.id = ?"));
    StatementGuard tGuard(t);
    t.addBindValue(id);
    if (exec(m_db, t, "outbox thread") && t.next()) {
        changes.users.insert(t.value(0).toString());
        for (int i : {1, 2}) {
            if (!t.isNull(i))
                changes.threads.insert(t.value(i).toLongLong());
        }
    }
    return true;
}

bool Writer::markRead(const ThreadKey &key, const std::optional<MessageCursor> &upTo,
                      ChangeSet &changes) {
    const auto threadId = findThread(key);
    if (!threadId)
        return false;
    MessageCursor read;
    MessageCursor previous;
    {
        QSqlQuery &q = m_db.prepared(QStringLiteral(
            "SELECT last_order_key, last_seq, read_order_key, read_seq FROM threads WHERE id = ?"));
        StatementGuard guard(q);
        q.addBindValue(*threadId);
        if (!exec(m_db, q, "read marker") || !q.next())
            return false;
        read = {q.value(0).toLongLong(), q.value(1).toLongLong()};
        previous = {q.value(2).toLongLong(), q.value(3).toLongLong()};
    }
    if (upTo && *upTo < read)
        read = *upTo;
    if (read < previous) // the marker only moves forward
        read = previous;
    qint64 unread = 0;
    {
        QSqlQuery &q = m_db.prepared(
            QStringLiteral("SELECT count(*) FROM messages WHERE thread_id = ? AND direction = 0 "
                           "AND (order_key, seq) > (?, ?)"));
        StatementGuard guard(q);
        q.addBindValue(*threadId);
        q.addBindValue(read.orderKey);
        q.addBindValue(read.seq);
        if (!exec(m_db, q, "count unread") || !q.next())
            return false;
        unread = q.value(0).toLongLong();
    }
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "UPDATE threads SET read_order_key = ?, read_seq = ?, unread_count = ? WHERE id = ?"));
    StatementGuard guard(q);
    q.addBindValue(read.orderKey);
    q.addBindValue(read.seq);
    q.addBindValue(unread);
    q.addBindValue(*threadId);
    if (!exec(m_db, q, "mark read"))
        return false;
    changes.threads.insert(*threadId);
    return true;
}

bool Writer::saveHook(const HookRecord &hook, ChangeSet &changes) {
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO hook_registrations (category, subcategory, url, enabled, registered_at_ms) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (category, subcategory) DO UPDATE SET "
        "url = excluded.url, enabled = excluded.enabled, registered_at_ms = "
        "excluded.registered_at_ms"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(hook.category));
    q.addBindValue(sql::text(hook.subcategory));
    q.addBindValue(sql::text(hook.url));
    q.addBindValue(hook.enabled ? 1 : 0);
    q.addBindValue(sql::msOrNow(hook.registeredAt));
    if (!exec(m_db, q, "save hook"))
        return false;
    changes.hooks = true;
    return true;
}

bool Writer::removeHook(const QString &category, const QString &subcategory, ChangeSet &changes) {
    QSqlQuery &q = m_db.prepared(
        QStringLiteral("DELETE FROM hook_registrations WHERE category = ? AND subcategory = ?"));
    StatementGuard guard(q);
    q.addBindValue(sql::text(category));
    q.addBindValue(sql::text(subcategory));
    if (!exec(m_db, q, "remove hook"))
        return false;
    changes.hooks = q.numRowsAffected() > 0;
    return true;
}

bool Writer::clearHooks(ChangeSet &changes) {
    QSqlQuery &q = m_db.prepared(QStringLiteral("DELETE FROM hook_registrations"));
    StatementGuard guard(q);
    if (!exec(m_db, q, "clear hooks"))
        return false;
    changes.hooks = true;
    return true;
}

} // namespace tract::store
