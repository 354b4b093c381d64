#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

// The team as a hub reports it (docs/hub-protocol.md): agents with their
// presence and capacity, and which agent holds which end user's thread. Plain
// values: the hub keeps the authoritative copy, every console a mirror of it
// built from the hub's events, and the views read the mirror.
namespace tract::team {

enum class Role { Agent, Supervisor };
enum class Presence { Offline, Online, Away };
// Queued: handed off and waiting for an agent. Closed: back with the bot or
// complete; kept so a view can tell "was with Priya" from "never handed off".
enum class AssignmentState { Queued, Assigned, Closed };

QString roleName(Role r); // "agent", "supervisor"
std::optional<Role> roleFromName(const QString &name);
QString presenceName(Presence p); // "online", "away", "offline"
std::optional<Presence> presenceFromName(const QString &name);
QString assignmentStateName(AssignmentState s); // "queued", "assigned", "closed"
std::optional<AssignmentState> assignmentStateFromName(const QString &name);

struct Agent {
    QString name;
    Role role = Role::Agent;
    int capacity = 3;
    Presence presence = Presence::Offline;
};

// One end user's live thread as the team sees it. The key is the user id:
// TRACT hands a user over, not a conversation number.
struct Assignment {
    QString userId;
    QString conversationNumber;
    QString agent; // empty unless Assigned
    AssignmentState state = AssignmentState::Queued;
    QDateTime waitingSince; // the handoff; kept when a thread is requeued
    QDateTime assignedAt;   // invalid unless Assigned
};

// A console's picture of the team: who it is, the agents, the assignments.
struct TeamState {
    QString me; // this console's agent name
    Role myRole = Role::Agent;
    QMap<QString, Agent> agents;            // by name, sorted for display
    QHash<QString, Assignment> assignments; // by user id

    bool isSupervisor() const { return myRole == Role::Supervisor; }
    // The agent holding `userId`'s thread; empty when queued, closed or unknown.
    QString assigneeOf(const QString &userId) const;
    bool isQueued(const QString &userId) const;
    // Threads assigned to `agent` now.
    int openCount(const QString &agent) const;
    QList<Assignment> assignedTo(const QString &agent) const;
    // Why this console may not reply to / pass / complete `userId`'s thread, in
    // words for the agent; empty when it may.
    QString refusalFor(const QString &userId, const QString &displayName) const;
};

} // namespace tract::team

namespace tract::team {

// Routing (docs/hub-protocol.md): the online agent (role agent) with free
// capacity and the fewest open threads; ties go to the one whose last
// assignment is oldest (never assigned counts as oldest), then by name.
// Empty when nobody is free.
QString chooseAgent(const TeamState &team, const QHash<QString, QDateTime> &lastAssigned);
// Queued user ids, oldest handoff first (ties by user id, so the order is total).
QStringList queueOrder(const TeamState &team);

} // namespace tract::team
