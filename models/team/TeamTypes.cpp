#include "models/team/TeamTypes.h"

#include <QCoreApplication>
#include <algorithm>

namespace tract::team {

namespace {
template <typename E, size_t N>
std::optional<E> fromName(const QString &name, const std::pair<E, const char *> (&names)[N]) {
    for (const auto &[value, text] : names)
        if (name == QLatin1String(text))
            return value;
    return std::nullopt;
}
template <typename E, size_t N>
QString toName(E value, const std::pair<E, const char *> (&names)[N]) {
    for (const auto &[v, text] : names)
        if (v == value)
            return QLatin1String(text);
    return {};
}

const std::pair<Role, const char *> kRoles[] = {{Role::Agent, "agent"},
                                                {Role::Supervisor, "supervisor"}};
const std::pair<Presence, const char *> kPresences[] = {
    {Presence::Online, "online"}, {Presence::Away, "away"}, {Presence::Offline, "offline"}};
const std::pair<AssignmentState, const char *> kStates[] = {{AssignmentState::Queued, "queued"},
                                                            {AssignmentState::Assigned, "assigned"},
                                                            {AssignmentState::Closed, "closed"}};
} // namespace

QString roleName(Role r) {
    return toName(r, kRoles);
}
std::optional<Role> roleFromName(const QString &name) {
    return fromName(name, kRoles);
}
QString presenceName(Presence p) {
    return toName(p, kPresences);
}
std::optional<Presence> presenceFromName(const QString &name) {
    return fromName(name, kPresences);
}
QString assignmentStateName(AssignmentState s) {
    return toName(s, kStates);
}
std::optional<AssignmentState> assignmentStateFromName(const QString &name) {
    return fromName(name, kStates);
}

QString TeamState::assigneeOf(const QString &userId) const {
    const auto it = assignments.constFind(userId);
    return it != assignments.cend() && it->state == AssignmentState::Assigned ? it->agent
                                                                              : QString();
}

bool TeamState::isQueued(const QString &userId) const {
    const auto it = assignments.constFind(userId);
    return it != assignments.cend() && it->state == AssignmentState::Queued;
}

int TeamState::openCount(const QString &agent) const {
    int n = 0;
    for (const Assignment &a : assignments)
        n += a.state == AssignmentState::Assigned && a.agent == agent;
    return n;
}

QList<Assignment> TeamState::assignedTo(const QString &agent) const {
    QList<Assignment> out;
    for (const Assignment &a : assignments)
        if (a.state == AssignmentState::Assigned && a.agent == agent)
            out.append(a);
    return out;
}

QString TeamState::refusalFor(const QString &userId, const QString &displayName) const {
    if (isSupervisor())
        return {};
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("tract::team::TeamState", text);
    };
    const QString assignee = assigneeOf(userId);
    if (assignee == me)
        return {};
    if (!assignee.isEmpty())
        return tr("%1's thread is assigned to %2.").arg(displayName, assignee);
    if (isQueued(userId))
        return tr("%1 is waiting in the queue: take the thread first.").arg(displayName);
    return tr("%1's thread is not assigned to you: take it first.").arg(displayName);
}

} // namespace tract::team

namespace tract::team {

QString chooseAgent(const TeamState &team, const QHash<QString, QDateTime> &lastAssigned) {
    QHash<QString, int> load;
    for (const Assignment &a : team.assignments)
        if (a.state == AssignmentState::Assigned)
            ++load[a.agent];
    QString best;
    int bestLoad = 0;
    QDateTime bestLast;
    for (const Agent &agent : team.agents) { // QMap: by name, so ties end by name
        if (agent.role != Role::Agent || agent.presence != Presence::Online)
            continue;
        const int open = load.value(agent.name);
        if (open >= agent.capacity)
            continue;
        const QDateTime last = lastAssigned.value(agent.name);
        const bool better =
            best.isEmpty() || open < bestLoad ||
            (open == bestLoad && last.isValid() && bestLast.isValid() && last < bestLast) ||
            (open == bestLoad && !last.isValid() && bestLast.isValid());
        if (better) {
            best = agent.name;
            bestLoad = open;
            bestLast = last;
        }
    }
    return best;
}

QStringList queueOrder(const TeamState &team) {
    QList<const Assignment *> queued;
    for (const Assignment &a : team.assignments)
        if (a.state == AssignmentState::Queued)
            queued.append(&a);
    std::sort(queued.begin(), queued.end(), [](const Assignment *l, const Assignment *r) {
        if (l->waitingSince != r->waitingSince)
            return l->waitingSince < r->waitingSince;
        return l->userId < r->userId;
    });
    QStringList out;
    for (const Assignment *a : queued)
        out.append(a->userId);
    return out;
}

} // namespace tract::team
