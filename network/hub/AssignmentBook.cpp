#include "network/hub/AssignmentBook.h"

#include "network/hub/HubEventLog.h"
#include "network/hub/HubProtocol.h"

#include <QJsonObject>

namespace tract::hub {

using team::Assignment;
using team::AssignmentState;

void AssignmentBook::load(HubDatabase &db) {
    for (const HubDatabase::AgentRecord &r : db.agents())
        m_team.agents.insert(r.name, {r.name, r.role, r.capacity, team::Presence::Offline});
    for (const Assignment &a : db.assignments())
        if (a.state != AssignmentState::Closed)
            m_team.assignments.insert(a.userId, a);
}

void AssignmentBook::put(EventBatch &batch, Assignment next, const QString &previous,
                         const QString &by, const QString &reason) {
    batch.require(batch.db().saveAssignment(next));
    QJsonObject fields = protocol::assignmentJson(next);
    fields.insert(QStringLiteral("previous"), previous);
    fields.insert(QStringLiteral("by"), by);
    fields.insert(QStringLiteral("reason"), reason);
    batch.add(QStringLiteral("assignment"), fields);
    if (next.state == AssignmentState::Closed)
        m_team.assignments.remove(next.userId);
    else
        m_team.assignments.insert(next.userId, next);
}

void AssignmentBook::handoff(EventBatch &batch, const QString &userId,
                             const QString &conversationNumber, const QDateTime &when) {
    if (m_team.assignments.contains(userId))
        return;
    Assignment a;
    a.userId = userId;
    a.conversationNumber = conversationNumber;
    a.state = AssignmentState::Queued;
    a.waitingSince = when.isValid() ? when : QDateTime::currentDateTimeUtc();
    put(batch, a, QString(), QStringLiteral("hub"), QStringLiteral("queued"));
    serveQueue(batch);
}

void AssignmentBook::assign(EventBatch &batch, const QString &userId,
                            const QString &conversationNumber, const QString &agent,
                            const QString &reason, const QString &by) {
    Assignment a = m_team.assignments.value(userId);
    const QString previous = a.agent;
    if (a.userId.isEmpty()) {
        a.userId = userId;
        a.waitingSince = QDateTime::currentDateTimeUtc();
    }
    if (!conversationNumber.isEmpty())
        a.conversationNumber = conversationNumber;
    if (a.state == AssignmentState::Assigned && a.agent == agent)
        return;
    a.agent = agent;
    a.state = agent.isEmpty() ? AssignmentState::Queued : AssignmentState::Assigned;
    a.assignedAt = agent.isEmpty() ? QDateTime() : QDateTime::currentDateTimeUtc();
    if (!agent.isEmpty())
        m_lastAssigned.insert(agent, a.assignedAt);
    put(batch, a, previous, by, reason);
    serveQueue(batch);
}

void AssignmentBook::close(EventBatch &batch, const QString &userId, const QString &by) {
    const auto it = m_team.assignments.constFind(userId);
    if (it == m_team.assignments.cend())
        return;
    Assignment a = *it;
    const QString previous = a.agent;
    a.agent.clear();
    a.state = AssignmentState::Closed;
    a.assignedAt = QDateTime();
    put(batch, a, previous, by, QStringLiteral("closed"));
    serveQueue(batch);
}

void AssignmentBook::requeueAllOf(EventBatch &batch, const QString &agent, const QString &reason) {
    for (Assignment a : m_team.assignedTo(agent)) {
        a.agent.clear();
        a.state = AssignmentState::Queued;
        a.assignedAt = QDateTime();
        put(batch, a, agent, QStringLiteral("hub"), reason);
    }
    serveQueue(batch);
}

void AssignmentBook::serveQueue(EventBatch &batch) {
    for (const QString &userId : team::queueOrder(m_team)) {
        const QString agent = team::chooseAgent(m_team, m_lastAssigned);
        if (agent.isEmpty())
            return;
        Assignment a = m_team.assignments.value(userId);
        a.agent = agent;
        a.state = AssignmentState::Assigned;
        a.assignedAt = QDateTime::currentDateTimeUtc();
        m_lastAssigned.insert(agent, a.assignedAt);
        put(batch, a, QString(), QStringLiteral("hub"), QStringLiteral("routed"));
    }
}

void AssignmentBook::setPresence(EventBatch &batch, const QString &agent, team::Presence presence) {
    auto it = m_team.agents.find(agent);
    if (it == m_team.agents.end() || it->presence == presence)
        return;
    it->presence = presence;
    batch.add(QStringLiteral("presence"),
              {{QStringLiteral("agent"), agent},
               {QStringLiteral("status"), team::presenceName(presence)}});
    if (presence == team::Presence::Online)
        serveQueue(batch);
}

QStringList AssignmentBook::syncRoster(EventBatch &batch,
                                       const QList<HubDatabase::AgentRecord> &agents) {
    QStringList gone = m_team.agents.keys();
    bool grew = false;
    for (const HubDatabase::AgentRecord &r : agents) {
        gone.removeOne(r.name);
        auto it = m_team.agents.find(r.name);
        const char *change = nullptr;
        if (it == m_team.agents.end()) {
            it =
                m_team.agents.insert(r.name, {r.name, r.role, r.capacity, team::Presence::Offline});
            change = "added";
        } else if (it->role != r.role || it->capacity != r.capacity) {
            grew = grew || r.capacity > it->capacity;
            it->role = r.role;
            it->capacity = r.capacity;
            change = "updated";
        }
        if (change) {
            QJsonObject a = protocol::agentJson(*it);
            a.remove(QStringLiteral("presence"));
            batch.add(QStringLiteral("agent"), {{QStringLiteral("change"), QLatin1String(change)},
                                                {QStringLiteral("agent"), a}});
        }
    }
    for (const QString &name : std::as_const(gone)) {
        team::Agent removed = m_team.agents.take(name);
        QJsonObject a = protocol::agentJson(removed);
        a.remove(QStringLiteral("presence"));
        batch.add(QStringLiteral("agent"), {{QStringLiteral("change"), QStringLiteral("removed")},
                                            {QStringLiteral("agent"), a}});
        requeueAllOf(batch, name, QStringLiteral("revoked"));
    }
    if (grew)
        serveQueue(batch);
    return gone;
}

} // namespace tract::hub
