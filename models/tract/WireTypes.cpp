#include "models/tract/WireTypes.h"

#include "models/tract/FieldReader.h"

#include <tuple>

namespace tract {

using namespace Qt::StringLiterals;
using detail::FieldReader;
using detail::insertIfSet;
using detail::kIdRule;
using detail::kNameRule;
using detail::kTextRule;
using detail::kUrlRule;
using detail::Presence;

namespace {

// Wire names, spelled once for reading and writing.
namespace key {
constexpr auto active = "active"_L1;
constexpr auto category = "category"_L1;
constexpr auto code = "code"_L1;
constexpr auto conversationNumber = "conversation_number"_L1;
constexpr auto detailKey = "key"_L1;
constexpr auto details = "details"_L1;
constexpr auto detailsAvailable = "details_available"_L1;
constexpr auto detailsRequested = "details_requested"_L1;
constexpr auto devicePlatform = "device_platform"_L1;
constexpr auto ectUserId = "ect_user_id"_L1;
constexpr auto enabled = "enabled"_L1;
constexpr auto error = "error"_L1;
constexpr auto from = "from"_L1;
constexpr auto hooks = "hooks"_L1;
constexpr auto id = "id"_L1;
constexpr auto isDefault = "is_default"_L1;
constexpr auto isPrimary = "is_primary"_L1;
constexpr auto listeners = "listeners"_L1;
constexpr auto message = "message"_L1;
constexpr auto messageBody = "message_body"_L1;
constexpr auto messageId = "message_id"_L1;
constexpr auto metadata = "metadata"_L1;
constexpr auto name = "name"_L1;
constexpr auto reason = "reason"_L1;
constexpr auto receiver = "receiver"_L1;
constexpr auto requester = "requester"_L1;
constexpr auto sender = "sender"_L1;
constexpr auto subcategory = "subcategory"_L1;
constexpr auto subtype = "subtype"_L1;
constexpr auto success = "success"_L1;
constexpr auto thirdPartyUserId = "third_party_user_id"_L1;
constexpr auto timestamp = "timestamp"_L1;
constexpr auto to = "to"_L1;
constexpr auto type = "type"_L1;
constexpr auto url = "url"_L1;
constexpr auto userId = "user_id"_L1;
constexpr auto userName = "user_name"_L1;
} // namespace key

// Equality compares every member, `extra` included: two values that differ only
// in unknown fields did not come from the same payload.
auto fields(const RegisterHookRequest &x) {
    return std::tie(x.category, x.subcategory, x.url, x.extra);
}
auto fields(const ErrorResponse &x) {
    return std::tie(x.error, x.extra);
}
auto fields(const HookRegistration &x) {
    return std::tie(x.category, x.subcategory, x.url, x.enabled, x.extra);
}
auto fields(const ListHooksResponse &x) {
    return std::tie(x.hooks, x.error, x.extra);
}
auto fields(const CreateUserHook &x) {
    return std::tie(x.userId, x.thirdPartyUserId, x.userName, x.devicePlatform, x.detailsAvailable,
                    x.extra);
}
auto fields(const CreateUserReply &x) {
    return std::tie(x.success, x.ectUserId, x.extra);
}
auto fields(const GetUserRequest &x) {
    return std::tie(x.userId, x.extra);
}
auto fields(const GetUserResponse &x) {
    return std::tie(x.userId, x.thirdPartyUserId, x.userName, x.devicePlatform, x.detailsAvailable,
                    x.extra);
}
auto fields(const GetUserDetailsRequest &x) {
    return std::tie(x.userId, x.detailsRequested, x.extra);
}
auto fields(const GetUserDetailsResponse &x) {
    return std::tie(x.userId, x.details, x.extra);
}
auto fields(const MessageHook &x) {
    return std::tie(x.userId, x.conversationNumber, x.messageBody, x.sender, x.metadata,
                    x.messageId, x.timestamp, x.extra);
}
auto fields(const SuccessResponse &x) {
    return std::tie(x.success, x.error, x.extra);
}
auto fields(const SendMessageRequest &x) {
    return std::tie(x.userId, x.thirdPartyUserId, x.ectUserId, x.messageBody, x.sender, x.metadata,
                    x.extra);
}
auto fields(const EventHook &x) {
    return std::tie(x.conversationNumber, x.userId, x.thirdPartyUserId, x.ectUserId, x.type,
                    x.subtype, x.metadata, x.extra);
}
auto fields(const SendEventRequest &x) {
    return std::tie(x.userId, x.thirdPartyUserId, x.ectUserId, x.type, x.subtype, x.metadata,
                    x.extra);
}
auto fields(const FetchListenersRequest &x) {
    return std::tie(x.userId, x.extra);
}
auto fields(const Listener &x) {
    return std::tie(x.id, x.name, x.isPrimary, x.isDefault, x.active, x.extra);
}
auto fields(const FetchListenersResponse &x) {
    return std::tie(x.listeners, x.extra);
}
auto fields(const ThreadControlRequest &x) {
    return std::tie(x.userId, x.type, x.requester, x.receiver, x.extra);
}
auto fields(const ThreadControlResponse &x) {
    return std::tie(x.success, x.reason, x.extra);
}

QJsonArray toArray(const QStringList &list) {
    return QJsonArray::fromStringList(list);
}

// details_available is List[dict] in the create-user hook; strings are kept as given.
Expected<QJsonValue> toDetailEntry(const QJsonValue &v, const QString &path) {
    if (v.isObject())
        return v;
    if (!v.isString())
        return Error{path, u"expected object or string"_s};
    Expected<QString> name = detail::toStringValue(v, path, kNameRule, false);
    if (!name)
        return name.error();
    return QJsonValue(*name);
}

// details_available is List[str] in the get-user response; a dict is reduced to
// the name it stands for.
Expected<QString> toDetailName(const QJsonValue &v, const QString &path) {
    if (v.isString())
        return detail::toStringValue(v, path, kNameRule, false);
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (const QLatin1String k : {key::detailKey, key::name}) {
            if (o.value(k).isString())
                return detail::toStringValue(o.value(k), detail::joinPath(path, k), kNameRule,
                                             false);
        }
    }
    return Error{path, uR"(expected string or object with a string "key" or "name")"_s};
}

Expected<QString> toDetailRequest(const QJsonValue &v, const QString &path) {
    return detail::toStringValue(v, path, kNameRule, false);
}

// reason is an undocumented dict: {"code","message"} is understood, any other
// shape is kept whole as the message so nothing TRACT said is lost.
Expected<ThreadControlReason> toReason(const QJsonValue &v, const QString &path) {
    if (v.isString()) {
        Expected<QString> message = detail::toStringValue(v, path, kTextRule, true);
        if (!message)
            return message.error();
        return ThreadControlReason{QString(), *message};
    }
    if (!v.isObject())
        return Error{path, u"expected object or string"_s};
    const QJsonObject o = v.toObject();
    bool known = true;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        known = known && (it.key() == key::code || it.key() == key::message) && it->isString();
    if (!known)
        return toReason(detail::compactJson(o), path);
    FieldReader r(o, path);
    ThreadControlReason reason;
    reason.code = r.optionalString(key::code, kNameRule).value_or(QString());
    reason.message = r.optionalString(key::message, kTextRule).value_or(QString());
    if (r.failed())
        return r.error();
    return reason;
}

} // namespace

#define TRACT_WIRE_COMMON(T)                                                                       \
    Expected<T> T::fromJson(const QByteArray &body) {                                              \
        return detail::fromBody<T>(body);                                                          \
    }                                                                                              \
    bool T::operator==(const T &other) const {                                                     \
        return fields(*this) == fields(other);                                                     \
    }

Expected<QJsonObject> parseObject(const QByteArray &body) {
    return detail::parseJsonObject(body, u"body"_s);
}

// --- Management -------------------------------------------------------------

TRACT_WIRE_COMMON(RegisterHookRequest)

Expected<RegisterHookRequest> RegisterHookRequest::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    RegisterHookRequest v;
    v.category = r.string(key::category, kNameRule);
    v.subcategory = r.string(key::subcategory, kNameRule);
    v.url = r.string(key::url, kUrlRule);
    return r.finish(std::move(v));
}

QJsonObject RegisterHookRequest::toJson() const {
    return {{key::category, category}, {key::subcategory, subcategory}, {key::url, url}};
}

TRACT_WIRE_COMMON(ErrorResponse)

Expected<ErrorResponse> ErrorResponse::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    ErrorResponse v;
    v.error = r.optionalString(key::error, kTextRule);
    return r.finish(std::move(v));
}

QJsonObject ErrorResponse::toJson() const {
    QJsonObject json;
    insertIfSet(json, key::error, error);
    return json;
}

TRACT_WIRE_COMMON(HookRegistration)

Expected<HookRegistration> HookRegistration::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    HookRegistration v;
    v.category = r.string(key::category, kNameRule);
    v.subcategory = r.string(key::subcategory, kNameRule);
    v.url = r.string(key::url, kUrlRule);
    v.enabled = r.boolean(key::enabled, true);
    return r.finish(std::move(v));
}

QJsonObject HookRegistration::toJson() const {
    return {{key::category, category},
            {key::subcategory, subcategory},
            {key::url, url},
            {key::enabled, enabled}};
}

TRACT_WIRE_COMMON(ListHooksResponse)

Expected<ListHooksResponse> ListHooksResponse::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    ListHooksResponse v;
    v.hooks = r.list<HookRegistration>(key::hooks, Presence::Optional,
                                       detail::toNested<HookRegistration>);
    v.error = r.optionalString(key::error, kTextRule);
    return r.finish(std::move(v));
}

QJsonObject ListHooksResponse::toJson() const {
    QJsonArray array;
    for (const HookRegistration &hook : hooks)
        array.append(hook.toJson());
    QJsonObject json{{key::hooks, array}};
    insertIfSet(json, key::error, error);
    return json;
}

// --- Users ------------------------------------------------------------------

TRACT_WIRE_COMMON(CreateUserHook)

Expected<CreateUserHook> CreateUserHook::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    CreateUserHook v;
    v.userId = r.string(key::userId, kIdRule);
    v.thirdPartyUserId = r.optionalString(key::thirdPartyUserId, kIdRule);
    v.userName = r.optionalString(key::userName, kNameRule);
    v.devicePlatform = r.optionalString(key::devicePlatform, kIdRule);
    for (const QJsonValue &entry :
         r.list<QJsonValue>(key::detailsAvailable, Presence::Optional, toDetailEntry))
        v.detailsAvailable.append(entry);
    return r.finish(std::move(v));
}

QJsonObject CreateUserHook::toJson() const {
    QJsonObject json{{key::userId, userId}};
    insertIfSet(json, key::thirdPartyUserId, thirdPartyUserId);
    insertIfSet(json, key::userName, userName);
    insertIfSet(json, key::devicePlatform, devicePlatform);
    if (!detailsAvailable.isEmpty())
        json.insert(key::detailsAvailable, detailsAvailable);
    return json;
}

TRACT_WIRE_COMMON(CreateUserReply)

Expected<CreateUserReply> CreateUserReply::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    CreateUserReply v;
    v.success = r.boolean(key::success);
    v.ectUserId = r.optionalString(key::ectUserId, kIdRule);
    return r.finish(std::move(v));
}

QJsonObject CreateUserReply::toJson() const {
    QJsonObject json{{key::success, success}};
    insertIfSet(json, key::ectUserId, ectUserId);
    return json;
}

TRACT_WIRE_COMMON(GetUserRequest)

Expected<GetUserRequest> GetUserRequest::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    GetUserRequest v;
    v.userId = r.string(key::userId, kIdRule);
    return r.finish(std::move(v));
}

QJsonObject GetUserRequest::toJson() const {
    return {{key::userId, userId}};
}

TRACT_WIRE_COMMON(GetUserResponse)

Expected<GetUserResponse> GetUserResponse::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    GetUserResponse v;
    v.userId = r.string(key::userId, kIdRule);
    v.thirdPartyUserId = r.optionalString(key::thirdPartyUserId, kIdRule);
    v.userName = r.optionalString(key::userName, kNameRule);
    v.devicePlatform = r.optionalString(key::devicePlatform, kIdRule);
    v.detailsAvailable = r.list<QString>(key::detailsAvailable, Presence::Optional, toDetailName);
    return r.finish(std::move(v));
}

QJsonObject GetUserResponse::toJson() const {
    QJsonObject json{{key::userId, userId}};
    insertIfSet(json, key::thirdPartyUserId, thirdPartyUserId);
    insertIfSet(json, key::userName, userName);
    insertIfSet(json, key::devicePlatform, devicePlatform);
    if (!detailsAvailable.isEmpty())
        json.insert(key::detailsAvailable, toArray(detailsAvailable));
    return json;
}

TRACT_WIRE_COMMON(GetUserDetailsRequest)

Expected<GetUserDetailsRequest> GetUserDetailsRequest::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    GetUserDetailsRequest v;
    v.userId = r.string(key::userId, kIdRule);
    v.detailsRequested =
        r.list<QString>(key::detailsRequested, Presence::Required, toDetailRequest);
    if (!r.failed() && v.detailsRequested.isEmpty())
        r.fail({r.path(key::detailsRequested), u"must not be empty"_s});
    return r.finish(std::move(v));
}

QJsonObject GetUserDetailsRequest::toJson() const {
    return {{key::userId, userId}, {key::detailsRequested, toArray(detailsRequested)}};
}

TRACT_WIRE_COMMON(GetUserDetailsResponse)

Expected<GetUserDetailsResponse> GetUserDetailsResponse::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    GetUserDetailsResponse v;
    v.userId = r.string(key::userId, kIdRule);
    v.details = r.object(key::details);
    return r.finish(std::move(v));
}

QJsonObject GetUserDetailsResponse::toJson() const {
    return {{key::userId, userId}, {key::details, details}};
}

// --- Messages ---------------------------------------------------------------

TRACT_WIRE_COMMON(MessageHook)

Expected<MessageHook> MessageHook::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    MessageHook v;
    v.userId = r.string(key::userId, kIdRule);
    v.conversationNumber = r.string(key::conversationNumber, kIdRule);
    v.messageBody = r.hsl(key::messageBody);
    v.sender = r.sender(key::sender);
    v.metadata = r.optionalObject(key::metadata);
    v.messageId = r.optionalInteger(key::messageId);
    v.timestamp = r.optionalTimestamp(key::timestamp);
    return r.finish(std::move(v));
}

QJsonObject MessageHook::toJson() const {
    QJsonObject json{{key::userId, userId},
                     {key::conversationNumber, conversationNumber},
                     {key::messageBody, messageBody},
                     {key::sender, tract::toString(sender)}};
    insertIfSet(json, key::metadata, metadata);
    insertIfSet(json, key::messageId, messageId);
    if (timestamp)
        json.insert(key::timestamp, detail::formatTimestamp(*timestamp));
    return json;
}

TRACT_WIRE_COMMON(SuccessResponse)

Expected<SuccessResponse> SuccessResponse::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    SuccessResponse v;
    v.error = r.optionalString(key::error, kTextRule);
    // The later revision replies {"error"?} only: no error means it worked.
    v.success = r.boolean(key::success, !v.error.has_value());
    return r.finish(std::move(v));
}

QJsonObject SuccessResponse::toJson() const {
    QJsonObject json{{key::success, success}};
    insertIfSet(json, key::error, error);
    return json;
}

TRACT_WIRE_COMMON(SendMessageRequest)

Expected<SendMessageRequest> SendMessageRequest::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    SendMessageRequest v;
    v.userId = r.string(key::userId, kIdRule);
    v.thirdPartyUserId = r.optionalString(key::thirdPartyUserId, kIdRule);
    v.ectUserId = r.optionalString(key::ectUserId, kIdRule);
    v.messageBody = r.hsl(key::messageBody);
    v.sender = r.sender(key::sender);
    v.metadata = r.optionalObject(key::metadata);
    return r.finish(std::move(v));
}

QJsonObject SendMessageRequest::toJson() const {
    QJsonObject json{{key::userId, userId},
                     {key::messageBody, detail::compactJson(messageBody)},
                     {key::sender, tract::toString(sender)}};
    insertIfSet(json, key::thirdPartyUserId, thirdPartyUserId);
    insertIfSet(json, key::ectUserId, ectUserId);
    insertIfSet(json, key::metadata, metadata);
    return json;
}

// --- Events -----------------------------------------------------------------

namespace {

// Fields shared by the event hook and the send-event request, in wire order.
template <typename Event> void readEvent(FieldReader &r, Event &v) {
    v.thirdPartyUserId = r.optionalString(key::thirdPartyUserId, kIdRule);
    v.ectUserId = r.optionalString(key::ectUserId, kIdRule);
    v.type = normaliseCategory(r.string(r.either(key::type, key::category), kNameRule));
    v.subtype = r.string(r.either(key::subtype, key::subcategory), kNameRule);
    v.metadata = r.optionalStringOrObject(key::metadata, kTextRule);
}

template <typename Event> QJsonObject writeEvent(const Event &v) {
    QJsonObject json{{key::userId, v.userId}, {key::type, v.type}, {key::subtype, v.subtype}};
    insertIfSet(json, key::thirdPartyUserId, v.thirdPartyUserId);
    insertIfSet(json, key::ectUserId, v.ectUserId);
    insertIfSet(json, key::metadata, v.metadata);
    return json;
}

} // namespace

TRACT_WIRE_COMMON(EventHook)

Expected<EventHook> EventHook::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    EventHook v;
    v.conversationNumber = r.string(key::conversationNumber, kIdRule);
    v.userId = r.string(key::userId, kIdRule);
    readEvent(r, v);
    return r.finish(std::move(v));
}

QJsonObject EventHook::toJson() const {
    QJsonObject json = writeEvent(*this);
    json.insert(key::conversationNumber, conversationNumber);
    return json;
}

TRACT_WIRE_COMMON(SendEventRequest)

Expected<SendEventRequest> SendEventRequest::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    SendEventRequest v;
    v.userId = r.string(key::userId, kIdRule);
    readEvent(r, v);
    return r.finish(std::move(v));
}

QJsonObject SendEventRequest::toJson() const {
    return writeEvent(*this);
}

// --- Thread control ---------------------------------------------------------

TRACT_WIRE_COMMON(FetchListenersRequest)

Expected<FetchListenersRequest> FetchListenersRequest::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    FetchListenersRequest v;
    v.userId = r.string(key::userId, kIdRule);
    return r.finish(std::move(v));
}

QJsonObject FetchListenersRequest::toJson() const {
    return {{key::userId, userId}};
}

TRACT_WIRE_COMMON(Listener)

Expected<Listener> Listener::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    Listener v;
    v.id = r.string(key::id, kIdRule);
    v.name = r.optionalString(key::name, kNameRule).value_or(QString());
    v.isPrimary = r.boolean(key::isPrimary, false);
    v.isDefault = r.boolean(key::isDefault, false);
    v.active = r.boolean(key::active, false);
    return r.finish(std::move(v));
}

QJsonObject Listener::toJson() const {
    return {{key::id, id},
            {key::name, name},
            {key::isPrimary, isPrimary},
            {key::isDefault, isDefault},
            {key::active, active}};
}

TRACT_WIRE_COMMON(FetchListenersResponse)

Expected<FetchListenersResponse> FetchListenersResponse::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    FetchListenersResponse v;
    v.listeners = r.list<Listener>(key::listeners, Presence::Required, detail::toNested<Listener>);
    return r.finish(std::move(v));
}

QJsonObject FetchListenersResponse::toJson() const {
    QJsonArray array;
    for (const Listener &listener : listeners)
        array.append(listener.toJson());
    return {{key::listeners, array}};
}

TRACT_WIRE_COMMON(ThreadControlRequest)

Expected<ThreadControlRequest> ThreadControlRequest::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    ThreadControlRequest v;
    v.userId = r.string(key::userId, kIdRule);
    v.type = r.threadControlType(key::type);
    v.requester = r.string(key::requester, kIdRule);
    v.receiver = r.string(key::receiver, kIdRule);
    return r.finish(std::move(v));
}

QJsonObject ThreadControlRequest::toJson() const {
    return {{key::userId, userId},
            {key::type, tract::toString(type)},
            {key::requester, requester},
            {key::receiver, receiver}};
}

TRACT_WIRE_COMMON(ThreadControlResponse)

Expected<ThreadControlResponse> ThreadControlResponse::fromJson(const QJsonObject &json) {
    FieldReader r(json);
    ThreadControlResponse v;
    v.success = r.boolean(key::success);
    if (const std::optional<QJsonValue> reason = r.take(key::reason, Presence::Optional)) {
        Expected<ThreadControlReason> parsed = toReason(*reason, r.path(key::reason));
        if (parsed)
            v.reason = *parsed;
        else
            r.fail(parsed.error());
    }
    return r.finish(std::move(v));
}

QJsonObject ThreadControlResponse::toJson() const {
    QJsonObject json{{key::success, success}};
    if (reason)
        json.insert(key::reason,
                    QJsonObject{{key::code, reason->code}, {key::message, reason->message}});
    return json;
}

Expected<OwnershipChange> OwnershipChange::fromMetadata(const QString &metadata) {
    const QString path = key::metadata;
    if (metadata.size() > limits::kMetadataLength)
        return Error{path, u"longer than %1 characters"_s.arg(limits::kMetadataLength)};
    const Expected<QJsonObject> json = detail::parseJsonObject(metadata.toUtf8(), path);
    if (!json)
        return json.error();
    FieldReader r(*json, path);
    OwnershipChange change;
    change.from = r.string(key::from, kIdRule);
    change.to = r.string(key::to, kIdRule);
    change.requester = r.optionalString(key::requester, kIdRule).value_or(QString());
    if (r.failed())
        return r.error();
    return change;
}

QString OwnershipChange::toMetadata() const {
    return detail::compactJson({{key::from, from}, {key::to, to}, {key::requester, requester}});
}

} // namespace tract
