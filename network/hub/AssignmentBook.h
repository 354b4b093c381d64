#pragma once

#include "models/team/TeamTypes.h"
#include "network/hub/HubDatabase.h"

#include <QDateTime>
#include <QHash>

namespace tract::hub {

class EventBatch;

// Who holds which end user's thread, and who is free: the hub's copy of the
// team. Every change is saved and announced (an `assignment`, `presence` or
// `agent` event) in the caller's batch, so memory, hub.sqlite and what
// consoles see move together. Closed threads leave memory; hub.sqlite keeps
// them.
class AssignmentBook {
public:
    void load(HubDatabase &db);
    const team::TeamState &team() const { return m_team; }

    // A handoff: queues the thread (unless an agent or the queue has it
    // already) and serves the queue.
    void handoff(EventBatch &batch, const QString &userId, const QString &conversationNumber,
                 const QDateTime &when);
    // To `agent` (empty: back to the queue, then served). `by` is who asked.
    void assign(EventBatch &batch, const QString &userId, const QString &conversationNumber,
                const QString &agent, const QString &reason, const QString &by);
    void close(EventBatch &batch, const QString &userId, const QString &by);
    // All of `agent`'s threads back to the queue, which is then served.
    void requeueAllOf(EventBatch &batch, const QString &agent, const QString &reason);
    // Assigns queued threads, oldest first, while anyone is free.
    void serveQueue(EventBatch &batch);

    void setPresence(EventBatch &batch, const QString &agent, team::Presence presence);
    // The roster as hub.sqlite has it now; returns the names that are gone.
    QStringList syncRoster(EventBatch &batch, const QList<HubDatabase::AgentRecord> &agents);

private:
    void put(EventBatch &batch, team::Assignment next, const QString &previous, const QString &by,
             const QString &reason);

    team::TeamState m_team;
    QHash<QString, QDateTime> m_lastAssigned;
};

} // namespace tract::hub
