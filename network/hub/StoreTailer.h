#pragma once

#include <QString>
#include <optional>
#include <utility>

namespace tract::store {
class Store;
}

namespace tract::team {
struct TeamState;
}

namespace tract::hub {

class AssignmentBook;
class EventBatch;

// Turns what the console's store holds into hub events, exactly once each:
// its position (the last message and event seq it has turned) is saved in
// hub.sqlite with the events, so after a crash it goes on from there and every
// hook that was acknowledged becomes an event. Handoffs and closes it sees go
// to the AssignmentBook in the same batch.
class StoreTailer {
public:
    StoreTailer(store::Store *store, QString receiverId);

    // Up to `limit` rows of each kind; returns how many rows it turned (0:
    // caught up).
    int tail(EventBatch &batch, AssignmentBook &book, int limit = 500);

private:
    // (agent, command id) of a hub reply from its outbox key, for a reply
    // tailed before its command's answer was stored.
    std::optional<std::pair<QString, QString>> commandOfKey(qint64 outboxId,
                                                            const team::TeamState &team) const;

    store::Store *m_store;
    QString m_receiverId;
};

} // namespace tract::hub
