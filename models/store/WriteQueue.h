#pragma once

#include "models/store/StoreTypes.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <vector>

namespace tract::store {

// Collects writes for one group commit and decides when it is due: when
// maxItems are waiting, or maxDelayMs after the first one arrived. It only
// schedules (through the event loop): the owner's flush does the work, so a
// callback never runs from inside enqueue().
class WriteQueue : public QObject {
    Q_OBJECT
public:
    struct Entry {
        WriteOp op;
        WriteCallback done;
    };

    explicit WriteQueue(QObject *parent = nullptr);

    void setPolicy(const GroupCommitPolicy &policy);
    GroupCommitPolicy policy() const { return m_policy; }

    void push(WriteOp op, WriteCallback done);
    // Everything queued so far, oldest first; the queue is empty afterwards.
    std::vector<Entry> take();
    int size() const { return static_cast<int>(m_entries.size()); }

signals:
    void due();

private:
    GroupCommitPolicy m_policy;
    std::vector<Entry> m_entries;
    QTimer m_timer;
};

} // namespace tract::store
