#pragma once

#include "models/team/TeamTypes.h"

#include <QDateTime>

// A team over SampleStore's threads (PanelsTest.h): Sam supervises; Priya
// (online, capacity 3) holds u3, Ravi (away, capacity 2) holds u4, Meera is
// offline with nothing, and u2 waits in the queue.
namespace panelstest {

inline tract::team::Agent teamAgent(const char *name, tract::team::Role role, int capacity,
                                    tract::team::Presence presence) {
    tract::team::Agent a;
    a.name = QString::fromLatin1(name);
    a.role = role;
    a.capacity = capacity;
    a.presence = presence;
    return a;
}

inline tract::team::Assignment teamAssignment(const char *user, const char *agent,
                                              const QDateTime &since) {
    tract::team::Assignment a;
    a.userId = QString::fromLatin1(user);
    a.conversationNumber = QStringLiteral("1");
    a.agent = QString::fromLatin1(agent);
    a.state = a.agent.isEmpty() ? tract::team::AssignmentState::Queued
                                : tract::team::AssignmentState::Assigned;
    a.waitingSince = since;
    if (!a.agent.isEmpty())
        a.assignedAt = since.addSecs(5);
    return a;
}

inline tract::team::TeamState sampleTeam(const QDateTime &now, const char *me = "Sam",
                                         tract::team::Role myRole = tract::team::Role::Supervisor) {
    using tract::team::Presence;
    using tract::team::Role;
    tract::team::TeamState team;
    team.me = QString::fromLatin1(me);
    team.myRole = myRole;
    for (const auto &a : {teamAgent("Meera", Role::Agent, 3, Presence::Offline),
                          teamAgent("Priya", Role::Agent, 3, Presence::Online),
                          teamAgent("Ravi", Role::Agent, 2, Presence::Away),
                          teamAgent("Sam", Role::Supervisor, 3, Presence::Online)})
        team.agents.insert(a.name, a);
    for (const auto &a : {teamAssignment("u3", "Priya", now.addSecs(-95)),
                          teamAssignment("u4", "Ravi", now.addSecs(-890)),
                          teamAssignment("u2", "", now.addSecs(-252))})
        team.assignments.insert(a.userId, a);
    return team;
}

} // namespace panelstest
