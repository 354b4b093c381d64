#include "network/hub/HubProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tract::hub::protocol {

namespace {
const QLatin1String kIn("in"), kOut("out");

void putOptional(QJsonObject &o, const char *key, const std::optional<QString> &v) {
    if (v)
        o.insert(QLatin1String(key), *v);
}
std::optional<QString> optionalString(const QJsonObject &o, const char *key) {
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? std::make_optional(v.toString()) : std::nullopt;
}
} // namespace

QString isoTime(const QDateTime &t) {
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QDateTime parseTime(const QJsonValue &v) {
    if (!v.isString())
        return {};
    QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(v.toString(), Qt::ISODate);
    return t.toUTC();
}

QJsonObject messageJson(const store::Message &m) {
    QJsonObject o{{QStringLiteral("store_seq"), m.seq},
                  {QStringLiteral("sender"), m.sender},
                  {QStringLiteral("direction"), m.direction == store::Direction::Out ? kOut : kIn},
                  {QStringLiteral("received_at"), isoTime(m.receivedAt)},
                  {QStringLiteral("message_body"), m.body}};
    if (m.messageId)
        o.insert(QStringLiteral("message_id"), *m.messageId);
    if (m.timestamp)
        o.insert(QStringLiteral("timestamp"), isoTime(*m.timestamp));
    if (m.metadata)
        o.insert(QStringLiteral("metadata"), *m.metadata);
    if (m.outboxId)
        o.insert(QStringLiteral("outbox_id"), *m.outboxId);
    return o;
}

QJsonObject eventJson(const store::Event &e) {
    QJsonObject o{{QStringLiteral("store_seq"), e.seq},
                  {QStringLiteral("category"), e.category},
                  {QStringLiteral("subcategory"), e.subcategory},
                  {QStringLiteral("received_at"), isoTime(e.receivedAt)},
                  {QStringLiteral("direction"), e.direction == store::Direction::Out ? kOut : kIn},
                  {QStringLiteral("raw"), QString::fromUtf8(e.rawJson)}};
    putOptional(o, "metadata", e.metadata);
    if (e.timestamp)
        o.insert(QStringLiteral("timestamp"), isoTime(*e.timestamp));
    if (e.outboxId)
        o.insert(QStringLiteral("outbox_id"), *e.outboxId);
    return o;
}

QJsonObject userJson(const store::User &u) {
    QJsonObject o{{QStringLiteral("user_id"), u.userId}};
    putOptional(o, "user_name", u.name);
    putOptional(o, "device_platform", u.devicePlatform);
    putOptional(o, "third_party_user_id", u.thirdPartyUserId);
    putOptional(o, "ect_user_id", u.ectUserId);
    if (u.detailsAvailable)
        o.insert(QStringLiteral("details_available"), *u.detailsAvailable);
    return o;
}

QJsonObject agentJson(const team::Agent &a) {
    return {{QStringLiteral("name"), a.name},
            {QStringLiteral("role"), team::roleName(a.role)},
            {QStringLiteral("capacity"), a.capacity},
            {QStringLiteral("presence"), team::presenceName(a.presence)}};
}

QJsonObject assignmentJson(const team::Assignment &a) {
    QJsonObject o{{QStringLiteral("user_id"), a.userId},
                  {QStringLiteral("conversation_no"), a.conversationNumber},
                  {QStringLiteral("agent"), a.agent},
                  {QStringLiteral("state"), team::assignmentStateName(a.state)},
                  {QStringLiteral("waiting_since"), isoTime(a.waitingSince)}};
    if (a.assignedAt.isValid())
        o.insert(QStringLiteral("assigned_at"), isoTime(a.assignedAt));
    return o;
}

store::IncomingMessage incomingMessage(const QString &userId, const QString &conversationNumber,
                                       const QJsonObject &m) {
    store::IncomingMessage in;
    in.thread = {userId, conversationNumber};
    if (m.value(QLatin1String("message_id")).isDouble())
        in.messageId = m.value(QLatin1String("message_id")).toInteger();
    in.sender = m.value(QLatin1String("sender")).toString();
    if (const QDateTime t = parseTime(m.value(QLatin1String("timestamp"))); t.isValid())
        in.timestamp = t;
    in.body = m.value(QLatin1String("message_body")).toObject();
    if (m.value(QLatin1String("metadata")).isObject())
        in.metadata = m.value(QLatin1String("metadata")).toObject();
    in.receivedAt = parseTime(m.value(QLatin1String("received_at")));
    in.direction = m.value(QLatin1String("direction")).toString() == kOut ? store::Direction::Out
                                                                          : store::Direction::In;
    return in;
}

store::IncomingEvent incomingEvent(const QString &userId, const QString &conversationNumber,
                                   const QJsonObject &e) {
    store::IncomingEvent in;
    in.thread = {userId, conversationNumber};
    in.category = e.value(QLatin1String("category")).toString();
    in.subcategory = e.value(QLatin1String("subcategory")).toString();
    in.metadata = optionalString(e, "metadata");
    if (const QDateTime t = parseTime(e.value(QLatin1String("timestamp"))); t.isValid())
        in.timestamp = t;
    in.rawJson = e.value(QLatin1String("raw")).toString().toUtf8();
    in.receivedAt = parseTime(e.value(QLatin1String("received_at")));
    return in;
}

store::User user(const QJsonObject &o) {
    store::User u;
    u.userId = o.value(QLatin1String("user_id")).toString();
    u.name = optionalString(o, "user_name");
    u.devicePlatform = optionalString(o, "device_platform");
    u.thirdPartyUserId = optionalString(o, "third_party_user_id");
    u.ectUserId = optionalString(o, "ect_user_id");
    if (o.value(QLatin1String("details_available")).isArray())
        u.detailsAvailable = o.value(QLatin1String("details_available")).toArray();
    return u;
}

team::Agent agent(const QJsonObject &o) {
    team::Agent a;
    a.name = o.value(QLatin1String("name")).toString();
    a.role =
        team::roleFromName(o.value(QLatin1String("role")).toString()).value_or(team::Role::Agent);
    a.capacity = o.value(QLatin1String("capacity")).toInt(3);
    a.presence = team::presenceFromName(o.value(QLatin1String("presence")).toString())
                     .value_or(team::Presence::Offline);
    return a;
}

team::Assignment assignment(const QJsonObject &o) {
    team::Assignment a;
    a.userId = o.value(QLatin1String("user_id")).toString();
    a.conversationNumber = o.value(QLatin1String("conversation_no")).toString();
    a.agent = o.value(QLatin1String("agent")).toString();
    a.state = team::assignmentStateFromName(o.value(QLatin1String("state")).toString())
                  .value_or(a.agent.isEmpty() ? team::AssignmentState::Queued
                                              : team::AssignmentState::Assigned);
    a.waitingSince = parseTime(o.value(QLatin1String("waiting_since")));
    a.assignedAt = parseTime(o.value(QLatin1String("assigned_at")));
    return a;
}

QJsonObject result(const QString &id, bool ok, const QString &error) {
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("result")},
                  {QStringLiteral("id"), id},
                  {QStringLiteral("ok"), ok}};
    if (!ok)
        o.insert(QStringLiteral("error"), error);
    return o;
}

} // namespace tract::hub::protocol
