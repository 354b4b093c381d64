#include "network/hub/HubMirror.h"

#include "models/common/Logging.h"
#include "models/store/Store.h"
#include "network/hub/HubProtocol.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace tract::hub {

namespace {
QString str(const QJsonObject &o, const char *key) {
    return o.value(QLatin1String(key)).toString();
}
} // namespace

HubMirror::HubMirror(store::Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store) {}

void HubMirror::applyWelcome(const QJsonObject &welcome) {
    m_team.me = str(welcome, "agent");
    m_team.myRole = team::roleFromName(str(welcome, "role")).value_or(team::Role::Agent);
    m_receiverId = str(welcome, "receiver_id");
    // The roster now; the events replayed after it bring it back to now again.
    m_team.agents.clear();
    for (const QJsonValue &v : welcome.value(QLatin1String("agents")).toArray()) {
        const team::Agent a = protocol::agent(v.toObject());
        if (!a.name.isEmpty())
            m_team.agents.insert(a.name, a);
    }
    if (!m_welcomed)
        m_liveAfter = welcome.value(QLatin1String("seq")).toInteger();
    m_welcomed = true;
    emit teamChanged();
}

void HubMirror::applySnapshot(const QJsonObject &snapshot) {
    m_team.agents.clear();
    for (const QJsonValue &v : snapshot.value(QLatin1String("agents")).toArray()) {
        const team::Agent a = protocol::agent(v.toObject());
        if (!a.name.isEmpty())
            m_team.agents.insert(a.name, a);
    }
    m_team.assignments.clear();
    for (const QJsonValue &v : snapshot.value(QLatin1String("assignments")).toArray()) {
        const team::Assignment a = protocol::assignment(v.toObject());
        if (!a.userId.isEmpty())
            m_team.assignments.insert(a.userId, a);
    }
    for (const QJsonValue &v : snapshot.value(QLatin1String("users")).toArray()) {
        const store::User u = protocol::user(v.toObject());
        if (!u.userId.isEmpty())
            m_store->enqueue(u);
    }
    for (const QJsonValue &v : snapshot.value(QLatin1String("threads")).toArray()) {
        const QJsonObject t = v.toObject();
        const QString user = str(t, "user_id");
        const QString conversation = str(t, "conversation_no");
        if (user.isEmpty())
            continue;
        for (const QJsonValue &m : t.value(QLatin1String("messages")).toArray())
            m_store->enqueue(protocol::incomingMessage(user, conversation, m.toObject()));
        for (const QJsonValue &e : t.value(QLatin1String("events")).toArray())
            m_store->enqueue(protocol::incomingEvent(user, conversation, e.toObject()));
    }
    emit teamChanged();
}

void HubMirror::applyEvent(const QJsonObject &event) {
    const QString kind = str(event, "kind");
    const QDateTime at = protocol::parseTime(event.value(QLatin1String("at")));
    if (kind == QLatin1String("message")) {
        applyMessage(event);
    } else if (kind == QLatin1String("user")) {
        const store::User u = protocol::user(event.value(QLatin1String("user")).toObject());
        if (!u.userId.isEmpty())
            m_store->enqueue(u);
        storeEvent(event);
    } else if (kind == QLatin1String("assignment")) {
        applyAssignment(event, at);
        emit teamChanged();
    } else if (kind == QLatin1String("presence")) {
        const auto it = m_team.agents.find(str(event, "agent"));
        const auto status = team::presenceFromName(str(event, "status"));
        if (it != m_team.agents.end() && status) {
            it->presence = *status;
            emit teamChanged();
        }
    } else if (kind == QLatin1String("agent")) {
        applyAgentChange(event);
        emit teamChanged();
    } else if (kind == QLatin1String("outbox")) {
        applyOutbox(event);
    } else if (event.value(QLatin1String("event")).isObject()) {
        // conversation_state, thread_control, aeu_events, user_events and
        // kinds a newer hub adds: the stored event is what the feed shows.
        storeEvent(event);
    }
    if (m_liveAfter >= 0 && event.value(QLatin1String("seq")).toInteger() > m_liveAfter)
        emit liveEvent(kind, str(event, "user_id"), event);
}

void HubMirror::applyAssignment(const QJsonObject &o, const QDateTime &at) {
    team::Assignment a = protocol::assignment(o);
    if (a.userId.isEmpty())
        return;
    if (a.state == team::AssignmentState::Assigned && !a.assignedAt.isValid())
        a.assignedAt = at;
    if (!a.waitingSince.isValid())
        a.waitingSince = m_team.assignments.value(a.userId).waitingSince;
    m_team.assignments.insert(a.userId, a);
}

void HubMirror::applyAgentChange(const QJsonObject &event) {
    const team::Agent changed = protocol::agent(event.value(QLatin1String("agent")).toObject());
    if (changed.name.isEmpty())
        return;
    if (str(event, "change") == QLatin1String("removed")) {
        m_team.agents.remove(changed.name);
        return;
    }
    team::Agent &a = m_team.agents[changed.name];
    const team::Presence presence = a.name.isEmpty() ? team::Presence::Offline : a.presence;
    a = changed;
    a.presence = presence; // presence comes as presence events
}

void HubMirror::applyMessage(const QJsonObject &event) {
    const QJsonObject message = event.value(QLatin1String("message")).toObject();
    const QString command = str(message, "command_id");
    if (!command.isEmpty() && m_own.contains(command) && str(message, "agent") == m_team.me) {
        // Already here as this console's pending item; learn the hub's id.
        if (const qint64 hubId = message.value(QLatin1String("outbox_id")).toInteger(); hubId > 0) {
            m_own[command].hubOutboxId = hubId;
            m_byHubOutbox.insert(hubId, command);
        }
        return;
    }
    store::IncomingMessage in =
        protocol::incomingMessage(str(event, "user_id"), str(event, "conversation_no"), message);
    // Another agent's reply (or this agent's from an earlier run): say whose.
    if (const QString agent = str(message, "agent"); !agent.isEmpty() && agent != m_team.me) {
        QJsonObject metadata = in.metadata.value_or(QJsonObject());
        metadata.insert(store::kTeamAgentMetadataKey, agent);
        in.metadata = metadata;
    }
    m_store->enqueue(in);
}

void HubMirror::storeEvent(const QJsonObject &event) {
    const QJsonObject stored = event.value(QLatin1String("event")).toObject();
    if (stored.isEmpty())
        return;
    m_store->enqueue(
        protocol::incomingEvent(str(event, "user_id"), str(event, "conversation_no"), stored));
}

void HubMirror::applyOutbox(const QJsonObject &event) {
    QString command = str(event, "command_id");
    if (command.isEmpty() || !m_own.contains(command) || str(event, "agent") != m_team.me)
        command = m_byHubOutbox.value(event.value(QLatin1String("outbox_id")).toInteger());
    const auto it = m_own.constFind(command);
    if (command.isEmpty() || it == m_own.cend())
        return; // another console's reply: its message shows; its progress is theirs
    const qint64 local = it->localId;
    const QString state = str(event, "state");
    m_store->flush(); // the transitions below are direct writes on committed rows
    if (state == QLatin1String("sent"))
        m_store->markOutboxSent(local);
    else if (state == QLatin1String("failed"))
        m_store->markOutboxFailed(local, str(event, "error"));
    else if (state == QLatin1String("cancelled"))
        m_store->cancelOutbox(local);
    else if (state == QLatin1String("pending"))
        m_store->retryOutbox(local); // a retry: failed -> pending
}

std::optional<qint64> HubMirror::addOwnReply(const QString &commandId,
                                             const store::ThreadKey &thread, const QJsonObject &hsl,
                                             QString *error) {
    store::OutgoingItem item;
    item.idempotencyKey = QStringLiteral("hub-command:") + commandId;
    item.kind = store::OutboxKind::Message;
    item.thread = thread;
    item.body = hsl;
    item.payload = {{QStringLiteral("user_id"), thread.userId},
                    {QStringLiteral("conversation_no"), thread.conversationNumber},
                    {QStringLiteral("message_body"), hsl}};
    const store::WriteResult r = m_store->enqueueOutgoing(item);
    if (!r.ok) {
        if (error)
            *error = r.error;
        return std::nullopt;
    }
    m_own.insert(commandId, {r.rowId, 0});
    m_commandOf.insert(r.rowId, commandId);
    return r.rowId;
}

void HubMirror::ownReplyAnswered(const QString &commandId, const QJsonObject &result) {
    const auto it = m_own.find(commandId);
    if (it == m_own.end())
        return;
    if (result.value(QLatin1String("ok")).toBool()) {
        if (const qint64 hubId = result.value(QLatin1String("outbox_id")).toInteger(); hubId > 0) {
            it->hubOutboxId = hubId;
            m_byHubOutbox.insert(hubId, commandId);
        }
        return;
    }
    m_store->flush();
    m_store->markOutboxFailed(it->localId, str(result, "error"));
}

QString HubMirror::commandOf(qint64 localOutboxId) const {
    return m_commandOf.value(localOutboxId);
}

qint64 HubMirror::hubOutboxOf(qint64 localOutboxId) const {
    return m_own.value(m_commandOf.value(localOutboxId)).hubOutboxId;
}

void HubMirror::resendOwnReply(qint64 localOutboxId, const QString &commandId) {
    const QString old = m_commandOf.value(localOutboxId);
    m_own.remove(old);
    m_own.insert(commandId, {localOutboxId, 0});
    m_commandOf.insert(localOutboxId, commandId);
    m_store->retryOutbox(localOutboxId);
}

void HubMirror::withdrawOwnReply(qint64 localOutboxId) {
    const QString command = m_commandOf.take(localOutboxId);
    m_own.remove(command);
    m_store->cancelOutbox(localOutboxId);
}

} // namespace tract::hub
