#pragma once

#include "models/store/StoreTypes.h"

#include <QString>

class QSqlDatabase;

namespace tract::store {

// Retention: completed conversations whose last activity is older than the
// cutoff are deleted (`tract-console --retain-days N`, setting
// store/retainDays), by the maintenance thread, in small steps.
//
// One step is one transaction that holds the store's write lock for a bounded
// time (at most kStepRows rows): hook acks wait for at most one step, never
// for a whole pruning round. A step takes the oldest eligible thread (state
// "complete", last active before the cutoff, no outbox item still pending or
// failed), deletes up to kStepRows of its messages and events with their
// search-index entries and, once none are left, its outbox items, ownership
// snapshots and the thread row; then the user, once no thread, event or
// outbox item refers to it. Every step that deletes a thread row raises
// store_generation.pruned, so every writing connection (any process) drops
// its cached thread ids before its next write.
//
// A thread that comes back to life (a late message, a new state) between steps
// is no longer eligible, and keeps what the earlier steps left.
namespace Retention {

constexpr int kStepRows = 500;

struct StepResult {
    bool ok = false;
    QString error;
    bool didWork = false; // false: nothing is eligible any more
    int deletedRows = 0;  // messages and events
    ChangeSet changes;    // what views must reload; removedThreads set
};

// `db` is a maintenance connection (SearchIndex attached as "search" when
// `searchIndex`); the caller holds the store's commit gate.
StepResult step(QSqlDatabase &db, qint64 cutoffMs, bool searchIndex, int maxRows = kStepRows);

// The cutoff for `days` of retention at `nowMs`.
qint64 cutoffFor(int days, qint64 nowMs);

} // namespace Retention
} // namespace tract::store
