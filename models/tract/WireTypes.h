#pragma once

#include "models/common/Expected.h"
#include "models/tract/Codes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// Typed values for every request and response of every TRACT endpoint and hook.
//
// fromJson(): lenient as the architecture guide's "Revisions" section says
// (message_body as object or serialized string, type/subtype or
// category/subcategory, numbers given as strings, ...). Unknown fields are kept
// in `extra`. Errors name the field path: "message_body: expected object or
// string holding HSL JSON".
// toJson(): exactly the shape of ../shared/spec/tract-api.md; `extra` is not emitted.
//
// Every type also has fromJson(const QByteArray &) for a raw HTTP body
// (invalid JSON, invalid UTF-8, non-object, over-deep nesting are errors there).
namespace tract {

// Limits that keep hostile input bounded; errors say "longer than N characters".
namespace limits {
constexpr int kIdLength = 256;          // user ids, conversation numbers, listener ids
constexpr int kNameLength = 1024;       // user names, categories, detail keys
constexpr int kUrlLength = 4096;
constexpr int kMetadataLength = 64 * 1024;
constexpr int kMessageBodyBytes = 1 << 20; // serialized HSL
constexpr int kListItems = 1000;        // details, hooks, listeners
} // namespace limits

// Parses a raw body into an object; the error path is "body".
Expected<QJsonObject> parseObject(const QByteArray &body);

#define TRACT_WIRE_TYPE(T)                                                                         \
    static Expected<T> fromJson(const QJsonObject &json);                                          \
    static Expected<T> fromJson(const QByteArray &body);                                           \
    QJsonObject toJson() const;                                                                    \
    bool operator==(const T &other) const;                                                         \
    bool operator!=(const T &other) const { return !(*this == other); }

// --- Management -------------------------------------------------------------

// POST /tract/hooks/register/
struct RegisterHookRequest {
    QString category;
    QString subcategory;
    QString url;
    QJsonObject extra;
    TRACT_WIRE_TYPE(RegisterHookRequest)
};

// Responses that only carry an optional error: register hook, send message,
// the event hook's reply.
struct ErrorResponse {
    std::optional<QString> error;
    QJsonObject extra;
    TRACT_WIRE_TYPE(ErrorResponse)
};

struct HookRegistration {
    QString category;
    QString subcategory;
    QString url;
    bool enabled = true;
    QJsonObject extra;
    TRACT_WIRE_TYPE(HookRegistration)
};

// GET /tract/hooks/list/ -> {"hooks": [...], "error"?}
struct ListHooksResponse {
    QList<HookRegistration> hooks;
    std::optional<QString> error;
    QJsonObject extra;
    TRACT_WIRE_TYPE(ListHooksResponse)
};

// --- Users ------------------------------------------------------------------

// [HOOK] user_events/create_user
struct CreateUserHook {
    QString userId;
    std::optional<QString> thirdPartyUserId;
    std::optional<QString> userName;
    std::optional<QString> devicePlatform; // id as string ("14"); ints normalised
    QJsonArray detailsAvailable;           // List[dict] in the spec; strings accepted too
    QJsonObject extra;
    TRACT_WIRE_TYPE(CreateUserHook)
};

struct CreateUserReply {
    bool success = true;
    std::optional<QString> ectUserId;
    QJsonObject extra;
    TRACT_WIRE_TYPE(CreateUserReply)
};

// POST /tract/user/ {user_id}
struct GetUserRequest {
    QString userId;
    QJsonObject extra;
    TRACT_WIRE_TYPE(GetUserRequest)
};

struct GetUserResponse {
    QString userId;
    std::optional<QString> thirdPartyUserId;
    std::optional<QString> userName;
    std::optional<QString> devicePlatform;
    QStringList detailsAvailable; // dicts given here are reduced to their "key"/"name"
    QJsonObject extra;
    TRACT_WIRE_TYPE(GetUserResponse)
};

// POST /tract/user/ {user_id, details_requested} (or /tract/user/details/)
struct GetUserDetailsRequest {
    QString userId;
    QStringList detailsRequested; // required, may not be empty
    QJsonObject extra;
    TRACT_WIRE_TYPE(GetUserDetailsRequest)
};

struct GetUserDetailsResponse {
    QString userId;
    QJsonObject details;
    QJsonObject extra;
    TRACT_WIRE_TYPE(GetUserDetailsResponse)
};

// --- Messages ---------------------------------------------------------------

// [HOOK] message/receive. message_body arrives as an object or a string holding
// serialized HSL; it is stored as the object. toJson() emits the object (spec: dict),
// plus message_id/timestamp when present.
struct MessageHook {
    QString userId;
    QString conversationNumber; // ints normalised to their decimal string
    QJsonObject messageBody;    // HSL; must have a string "type"
    Sender sender = Sender::Ceu;
    std::optional<QJsonObject> metadata;
    std::optional<qint64> messageId;     // "42" and 42 accepted
    std::optional<QDateTime> timestamp;  // ISO 8601; kept in UTC
    QJsonObject extra;
    TRACT_WIRE_TYPE(MessageHook)
};

// Reply to message and create-user hooks: {"success": true}
struct SuccessResponse {
    bool success = true;
    std::optional<QString> error;
    QJsonObject extra;
    TRACT_WIRE_TYPE(SuccessResponse)
};

// POST /tract/message/send/. message_body goes out as a string holding the
// compact serialization of the HSL object; accepted as object or string.
struct SendMessageRequest {
    QString userId;
    std::optional<QString> thirdPartyUserId;
    std::optional<QString> ectUserId;
    QJsonObject messageBody;
    Sender sender = Sender::Aeu;
    std::optional<QJsonObject> metadata;
    QJsonObject extra;
    TRACT_WIRE_TYPE(SendMessageRequest)
};

// --- Events -----------------------------------------------------------------

// [HOOK] <category>/<subcategory>. Spec fields type/subtype; category/subcategory
// accepted; collection_state normalised to conversation_state. metadata is a
// string (an object given is serialized compactly).
struct EventHook {
    QString conversationNumber;
    QString userId;
    std::optional<QString> thirdPartyUserId;
    std::optional<QString> ectUserId;
    QString type;    // category
    QString subtype; // subcategory
    std::optional<QString> metadata;
    QJsonObject extra;
    TRACT_WIRE_TYPE(EventHook)
};

// POST /tract/event/send
struct SendEventRequest {
    QString userId;
    std::optional<QString> thirdPartyUserId;
    std::optional<QString> ectUserId;
    QString type;
    QString subtype;
    std::optional<QString> metadata;
    QJsonObject extra;
    TRACT_WIRE_TYPE(SendEventRequest)
};

// --- Thread control ---------------------------------------------------------

// POST /tract/thread_control/listeners/ {user_id}
struct FetchListenersRequest {
    QString userId;
    QJsonObject extra;
    TRACT_WIRE_TYPE(FetchListenersRequest)
};

struct Listener {
    QString id;
    QString name;
    bool isPrimary = false;
    bool isDefault = false;
    bool active = false;
    QJsonObject extra;
    TRACT_WIRE_TYPE(Listener)
};

struct FetchListenersResponse {
    QList<Listener> listeners;
    QJsonObject extra;
    TRACT_WIRE_TYPE(FetchListenersResponse)
};

// POST /tract/thread_control/request
struct ThreadControlRequest {
    QString userId;
    ThreadControlType type = ThreadControlType::Take;
    QString requester;
    QString receiver;
    QJsonObject extra;
    TRACT_WIRE_TYPE(ThreadControlRequest)
};

struct ThreadControlReason {
    QString code;
    QString message;
    bool operator==(const ThreadControlReason &o) const {
        return code == o.code && message == o.message;
    }
    bool operator!=(const ThreadControlReason &o) const { return !(*this == o); }
};

struct ThreadControlResponse {
    bool success = false;
    std::optional<ThreadControlReason> reason; // {"code","message"}; other dict shapes kept in message
    QJsonObject extra;
    TRACT_WIRE_TYPE(ThreadControlResponse)
};

// metadata of thread_control event hooks: a JSON string {"from","to","requester"}.
struct OwnershipChange {
    QString from;
    QString to;
    QString requester;
    static Expected<OwnershipChange> fromMetadata(const QString &metadata);
    QString toMetadata() const;
    bool operator==(const OwnershipChange &o) const {
        return from == o.from && to == o.to && requester == o.requester;
    }
    bool operator!=(const OwnershipChange &o) const { return !(*this == o); }
};

#undef TRACT_WIRE_TYPE

} // namespace tract
