#pragma once

#include <QDateTime>
#include <QHashFunctions>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>
#include <functional>
#include <optional>
#include <variant>

// Plain values going in and out of the Store. They deliberately do not reuse the
// wire types of models/tract: the store keeps what was received, in the shape it
// is stored, and stays buildable and testable on its own. Converting a wire
// value into one of these is a few assignments in the caller.
namespace tract::store {

enum class Direction { In = 0, Out = 1 }; // In: received from TRACT. Out: sent by this console.

// A conversation thread: one end user's conversation. TRACT numbers conversations
// per user, so the pair is the key.
struct ThreadKey {
    QString userId;
    QString conversationNumber;

    bool operator==(const ThreadKey &o) const {
        return userId == o.userId && conversationNumber == o.conversationNumber;
    }
    bool operator!=(const ThreadKey &o) const { return !(*this == o); }
};

inline size_t qHash(const ThreadKey &k, size_t seed = 0) {
    return qHashMulti(seed, k.userId, k.conversationNumber);
}

// --- Users ------------------------------------------------------------------

// Written as an upsert: a field left empty (nullopt) keeps what is stored, so a
// later partial update (or a message arriving before create_user) loses nothing.
// ectUserId is first-wins: once a user has one it never changes, because TRACT
// may already have been told it.
struct User {
    QString userId;
    std::optional<QString> name;
    std::optional<QString> devicePlatform; // wire value, e.g. "14"
    std::optional<QString> thirdPartyUserId;
    std::optional<QString> ectUserId;
    std::optional<QJsonArray> detailsAvailable;
    QDateTime createdAt; // filled on read
    QDateTime updatedAt; // filled on read

    bool operator==(const User &o) const;
};

// --- Threads ----------------------------------------------------------------

struct ThreadCursor {
    qint64 lastActivityMs = 0;
    qint64 id = 0;
};

struct Thread {
    qint64 id = 0;
    ThreadKey key;
    QDateTime createdAt;
    QDateTime lastActivity; // newest message or event
    int unreadCount = 0;
    qint64 messageCount = 0;
    QString owner;       // listener id from ownership snapshots / thread_control; empty: unknown
    QString state;       // conversation_state subcategory (complete, waiting, ...); empty: unknown
    QString lastPreview; // plain text of the newest message, at most 200 characters
    QString userName;    // from users, empty when unknown
    // Time (sender's timestamp, else received) of the end user's oldest
    // message since the last agent (aeu/ect) message, in arrival order;
    // invalid when the agent spoke last or the user has not written.
    QDateTime waitingSince;
    // When the current owner got the thread (thread_control take/pass or an
    // ownership snapshot naming a new owner); invalid when unknown.
    QDateTime ownerSince;

    ThreadCursor cursor() const { return {lastActivity.toMSecsSinceEpoch(), id}; }
};

// Threads newest activity first, `limit` at a time.
struct ThreadQuery {
    std::optional<ThreadCursor> after; // exclusive: continue after this thread
    std::optional<QString> userId;
    bool unreadOnly = false;
    int limit = 100; // clamped to [1, 1000]
};

// --- Messages ---------------------------------------------------------------

enum class OutboxState { Pending = 0, Sent = 1, Failed = 2, Cancelled = 3 };
QString outboxStateName(OutboxState s); // "pending", "sent", "failed", "cancelled"

// Position of a message in its thread. Messages are ordered by (orderKey, seq):
// orderKey is the TRACT message_id when there is one, otherwise the highest
// message_id the thread had seen when the message arrived, so a message without
// id (an agent reply, or a hook of the spec's revision) sits right after what
// was on screen when it arrived; seq (local arrival order) breaks ties.
struct MessageCursor {
    qint64 orderKey = 0;
    qint64 seq = 0;

    bool operator==(const MessageCursor &o) const { return orderKey == o.orderKey && seq == o.seq; }
    bool operator!=(const MessageCursor &o) const { return !(*this == o); }
    bool operator<(const MessageCursor &o) const {
        return orderKey < o.orderKey || (orderKey == o.orderKey && seq < o.seq);
    }
};

struct Message {
    qint64 seq = 0; // local arrival sequence, unique across the database
    qint64 threadId = 0;
    ThreadKey thread;
    std::optional<qint64> messageId; // TRACT's message_id
    qint64 orderKey = 0;
    QString sender; // wire name: ceu, iva, haptik, ect, aeu
    Direction direction = Direction::In;
    std::optional<QDateTime> timestamp; // sender's timestamp (UTC), when given
    QDateTime receivedAt;               // when stored (UTC)
    QJsonObject body;                   // HSL
    std::optional<QJsonObject> metadata;
    // For outgoing messages: the outbox item that sends it.
    std::optional<qint64> outboxId;
    std::optional<OutboxState> outboxState;
    QString outboxError;

    MessageCursor cursor() const { return {orderKey, seq}; }
};

// A message received in a message/receive hook.
// A team console's mirror marks another agent's reply with that agent's name
// in the message's metadata under this key (HubMirror); TRACT never sends it.
inline constexpr QLatin1String kTeamAgentMetadataKey("tract_console_team_agent");

struct IncomingMessage {
    ThreadKey thread;
    std::optional<qint64> messageId;
    QString sender;
    std::optional<QDateTime> timestamp;
    QJsonObject body;
    std::optional<QJsonObject> metadata;
    QDateTime receivedAt; // now when invalid
    // Out only for a mirror of another console's store (a team hub's), whose
    // agent replies arrive as stored messages rather than from this outbox.
    Direction direction = Direction::In;
};

enum class PageDirection { Older, Newer };

// One page of a thread. The UI never loads a whole thread: it asks for the
// newest page, then pages from the cursor of the first/last message it holds.
struct MessageQuery {
    ThreadKey thread;
    std::optional<MessageCursor> anchor; // none: start at the newest (Older) or oldest (Newer)
    bool inclusive = false;              // include the anchor itself (jump to a search hit)
    PageDirection direction = PageDirection::Older;
    int limit = 50; // clamped to [1, 1000]

    static MessageQuery newest(const ThreadKey &t, int limit = 50) {
        return {t, std::nullopt, false, PageDirection::Older, limit};
    }
    static MessageQuery oldest(const ThreadKey &t, int limit = 50) {
        return {t, std::nullopt, false, PageDirection::Newer, limit};
    }
    static MessageQuery olderThan(const ThreadKey &t, const MessageCursor &c, int limit = 50) {
        return {t, c, false, PageDirection::Older, limit};
    }
    static MessageQuery newerThan(const ThreadKey &t, const MessageCursor &c, int limit = 50) {
        return {t, c, false, PageDirection::Newer, limit};
    }
    // The message at `c` and what follows it (jumping to a search hit).
    static MessageQuery startingAt(const ThreadKey &t, const MessageCursor &c, int limit = 50) {
        return {t, c, true, PageDirection::Newer, limit};
    }
};

struct MessagePage {
    QList<Message> messages; // always oldest first, whatever the direction
    bool hasOlder = false;
    bool hasNewer = false;

    std::optional<MessageCursor> oldest() const {
        return messages.isEmpty() ? std::nullopt : std::make_optional(messages.first().cursor());
    }
    std::optional<MessageCursor> newest() const {
        return messages.isEmpty() ? std::nullopt : std::make_optional(messages.last().cursor());
    }
};

// Newest matches first. FTS5 word-prefix match when the SQLite build has FTS5,
// otherwise a case-insensitive substring match (ASCII case folding only).
struct SearchQuery {
    explicit SearchQuery(const QString &text = {})
        : text(text) {}

    QString text;
    std::optional<ThreadKey> thread;
    std::optional<QString> userId;
    std::optional<qint64> beforeSeq; // exclusive, for the next page of hits
    int limit = 50;                  // clamped to [1, 1000]
};

// --- Events -----------------------------------------------------------------

// An event hook as received. conversationNumber may be empty (user_events).
struct IncomingEvent {
    ThreadKey thread;
    QString category; // normalised by the caller (collection_state -> conversation_state)
    QString subcategory;
    std::optional<QString> metadata;
    std::optional<QDateTime> timestamp; // when the hook carried one; enables dedup
    QByteArray rawJson;                 // the hook body exactly as received
    QDateTime receivedAt;               // now when invalid
};

struct Event {
    qint64 seq = 0;
    std::optional<qint64> threadId;
    ThreadKey thread;
    QString category;
    QString subcategory;
    std::optional<QString> metadata;
    std::optional<QDateTime> timestamp;
    QDateTime receivedAt;
    Direction direction = Direction::In;
    QByteArray rawJson; // received hook body, or the request body sent
    std::optional<qint64> outboxId;
};

// Newest first.
struct EventQuery {
    std::optional<QString> userId;
    std::optional<ThreadKey> thread;
    std::optional<qint64> beforeSeq; // exclusive
    int limit = 100;                 // clamped to [1, 1000]
};

// --- Ownership --------------------------------------------------------------

// The result of fetch listeners. Applied to the named conversation, or, when
// conversationNumber is empty, to the user's most recently active thread (TRACT
// reports listeners per user, and a user has one live conversation).
struct OwnershipSnapshot {
    qint64 id = 0; // filled on read
    QString userId;
    QString conversationNumber;
    QString owner;        // the listener holding the thread; empty when none
    QJsonArray listeners; // as received
    QDateTime takenAt;    // now when invalid
};

// --- Outbox -----------------------------------------------------------------

enum class OutboxKind { Message = 0, Event = 1, ThreadControl = 2 };
QString outboxKindName(OutboxKind k); // "message", "event", "thread_control"

// Something this console will send. It is committed as `pending` before any
// attempt, so a crash never loses it; the idempotency key makes enqueueing
// twice harmless and travels with the request so TRACT can drop a resend.
struct OutgoingItem {
    QString idempotencyKey;
    OutboxKind kind = OutboxKind::Message;
    ThreadKey thread;    // conversationNumber may be empty for events
    QJsonObject payload; // the request body to send
    // Kind Message: what the thread shows.
    QJsonObject body; // HSL
    QString sender = QStringLiteral("aeu");
    // Kind Event / ThreadControl: what the event feed shows.
    QString category;
    QString subcategory;
    std::optional<QString> metadata;
};

struct OutboxItem {
    qint64 id = 0; // send order: per user, ascending id
    QString idempotencyKey;
    OutboxKind kind = OutboxKind::Message;
    ThreadKey thread;
    QJsonObject payload;
    OutboxState state = OutboxState::Pending;
    int attempts = 0;
    QString lastError;
    QDateTime createdAt;
    QDateTime updatedAt;
    std::optional<QDateTime> sentAt;
    std::optional<qint64> messageSeq; // kind Message
    std::optional<qint64> eventSeq;   // kind Event / ThreadControl
};

struct OutboxQuery {
    std::optional<QString> userId;
    std::optional<OutboxState> state;
    int limit = 1000; // clamped to [1, 10000]; oldest first
};

// --- Hooks ------------------------------------------------------------------

struct HookRecord {
    QString category;
    QString subcategory;
    QString url;
    bool enabled = true;
    QDateTime registeredAt; // now when invalid

    bool operator==(const HookRecord &o) const {
        return category == o.category && subcategory == o.subcategory && url == o.url &&
               enabled == o.enabled;
    }
};

// --- Writes -----------------------------------------------------------------

// Everything that can go through the group commit.
using WriteOp = std::variant<IncomingMessage, IncomingEvent, User, OwnershipSnapshot, OutgoingItem>;

struct WriteResult {
    bool ok = false;
    bool inserted = false; // false: a redelivery (or re-enqueue) already stored
    qint64 rowId = 0;      // message/event seq, outbox id, snapshot id
    QString ectUserId;     // for User writes: the stored ECT user id, if any
    QString error;         // when !ok

    static WriteResult failure(const QString &why) {
        WriteResult r;
        r.error = why;
        return r;
    }
};

// Runs after the COMMIT that made the write durable (or after the write failed).
using WriteCallback = std::function<void(const WriteResult &)>;

// What one commit changed, for views to refresh. Delivered by Store::committed.
struct ChangeSet {
    QSet<qint64> threads;    // messages, unread counts, owner or state changed
    QSet<QString> users;     // user rows or their event feed changed
    qint64 newMessages = 0;  // newly inserted messages
    bool outbox = false;     // any outbox state changed
    bool hooks = false;      // hook registrations changed
    bool threadList = false; // a thread was created or removed
    // Threads retention deleted (also in `threads`): views drop them.
    QSet<qint64> removedThreads;

    bool isEmpty() const {
        return threads.isEmpty() && users.isEmpty() && !outbox && !hooks && !threadList &&
               removedThreads.isEmpty();
    }
    void merge(const ChangeSet &o);
};

// Group-commit tuning: a batch commits when it holds maxItems writes or when
// the oldest write has waited maxDelayMs, whichever comes first.
struct GroupCommitPolicy {
    int maxItems = 256;
    int maxDelayMs = 2;
};

} // namespace tract::store

Q_DECLARE_METATYPE(tract::store::ChangeSet)
