#include "models/store/WriteQueue.h"

namespace tract::store {

WriteQueue::WriteQueue(QObject *parent)
    : QObject(parent) {
    m_timer.setSingleShot(true);
    // Coarse timers may fire up to 5% late in either direction; a few ms of
    // delay is the whole latency budget here.
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &WriteQueue::due);
}

void WriteQueue::setPolicy(const GroupCommitPolicy &policy) {
    m_policy = policy;
    m_policy.maxItems = qMax(1, m_policy.maxItems);
    m_policy.maxDelayMs = qMax(0, m_policy.maxDelayMs);
}

void WriteQueue::push(WriteOp op, WriteCallback done) {
    m_entries.push_back({std::move(op), std::move(done)});
    if (static_cast<int>(m_entries.size()) >= m_policy.maxItems) {
        // Full: commit at the next turn of the event loop.
        if (!m_timer.isActive() || m_timer.interval() != 0)
            m_timer.start(0);
    } else if (m_entries.size() == 1) {
        m_timer.start(m_policy.maxDelayMs);
    }
}

std::vector<WriteQueue::Entry> WriteQueue::take() {
    m_timer.stop();
    std::vector<Entry> out;
    out.swap(m_entries);
    return out;
}

} // namespace tract::store
