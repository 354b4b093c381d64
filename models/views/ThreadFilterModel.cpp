#include "models/views/ThreadFilterModel.h"

#include "models/team/TeamTypes.h"
#include "models/views/ThreadListModel.h"

namespace tract::views {

namespace {

template <typename T> int cmp(const T &a, const T &b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

int cmpText(const QString &a, const QString &b) {
    return QString::compare(a, b, Qt::CaseInsensitive);
}

// Waiting threads (longest wait first), then the others newest first.
bool waitingBefore(const ThreadRow &a, const ThreadRow &b) {
    const qint64 wa = a.effectiveWaitingSinceMs();
    const qint64 wb = b.effectiveWaitingSinceMs();
    if ((wa > 0) != (wb > 0))
        return wa > 0;
    if (wa > 0 && wa != wb)
        return wa < wb;
    if (a.lastActivityMs != b.lastActivityMs)
        return a.lastActivityMs > b.lastActivityMs;
    return a.id > b.id;
}

bool activityBefore(const ThreadRow &a, const ThreadRow &b) {
    if (a.lastActivityMs != b.lastActivityMs)
        return a.lastActivityMs > b.lastActivityMs;
    return a.id > b.id;
}

int compareColumn(const ThreadRow &a, const ThreadRow &b, int column) {
    switch (column) {
    case ThreadListModel::UserColumn:
        return cmpText(a.displayName(), b.displayName());
    case ThreadListModel::PlatformColumn:
        return cmpText(a.platform, b.platform);
    case ThreadListModel::StateColumn:
        return cmp(int(a.state), int(b.state));
    case ThreadListModel::AssigneeColumn: {
        // Not with the team, then the queue, then the agents by name: the
        // column shows "Queued", but it must not sort among the names.
        const auto rank = [](const ThreadRow &r) {
            return !r.assignee.isEmpty() ? 2 : r.queued;
        };
        if (rank(a) != rank(b))
            return cmp(rank(a), rank(b));
        return cmpText(a.assignee, b.assignee);
    }
    case ThreadListModel::OwnerColumn:
        return cmpText(a.owner, b.owner);
    case ThreadListModel::OwnerSinceColumn:
        return cmp(a.ownerSinceMs, b.ownerSinceMs);
    case ThreadListModel::WaitingColumn: {
        // Ascending = shortest wait first; not waiting sorts as "no wait".
        const qint64 wa = a.effectiveWaitingSinceMs();
        const qint64 wb = b.effectiveWaitingSinceMs();
        if ((wa > 0) != (wb > 0))
            return wa > 0 ? 1 : -1;
        return cmp(wb, wa);
    }
    case ThreadListModel::LastActivityColumn:
        return cmp(a.lastActivityMs, b.lastActivityMs);
    case ThreadListModel::PreviewColumn:
        return cmpText(a.preview, b.preview);
    case ThreadListModel::UnreadColumn:
        return cmp(a.unread, b.unread);
    }
    return 0;
}

} // namespace

ThreadFilterModel::ThreadFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent) {
    // Rows move when their sort key changes (a new message, a new owner).
    setDynamicSortFilter(true);
}

void ThreadFilterModel::setSourceModel(QAbstractItemModel *source) {
    if (m_threads)
        disconnect(m_threads, &ThreadListModel::teamModeChanged, this, nullptr);
    // Only a ThreadListModel has the rows this proxy reads directly.
    m_threads = qobject_cast<ThreadListModel *>(source);
    Q_ASSERT(m_threads || !source);
    QSortFilterProxyModel::setSourceModel(source);
    if (m_threads)
        connect(m_threads, &ThreadListModel::teamModeChanged, this, [this] { invalidateFilter(); });
    if (m_mode != SortMode::ByColumn)
        QSortFilterProxyModel::sort(0, Qt::AscendingOrder);
}

void ThreadFilterModel::setFilter(Filter f) {
    if (f == m_filter)
        return;
    m_filter = f;
    invalidateFilter();
}

void ThreadFilterModel::setSearchText(const QString &text) {
    const QString folded = text.trimmed().toCaseFolded();
    if (folded == m_search)
        return;
    m_search = folded;
    invalidateFilter();
}

void ThreadFilterModel::setSortMode(SortMode mode) {
    if (mode == SortMode::ByColumn || (mode == m_mode && sortColumn() == 0))
        return;
    m_mode = mode;
    if (sortColumn() == 0 && sortOrder() == Qt::AscendingOrder)
        invalidate(); // same column and order: sort() alone would not re-sort
    else
        QSortFilterProxyModel::sort(0, Qt::AscendingOrder);
}

void ThreadFilterModel::sort(int column, Qt::SortOrder order) {
    const bool sameKey = m_mode == SortMode::ByColumn;
    m_mode = SortMode::ByColumn;
    // The named modes also sort on column 0: the base class would see "no
    // change" and keep their order.
    if (!sameKey && column == sortColumn() && order == sortOrder())
        invalidate();
    else
        QSortFilterProxyModel::sort(column, order);
}

void ThreadFilterModel::setFirstColumnOnly(bool on) {
    if (on == m_firstColumnOnly)
        return;
    m_firstColumnOnly = on;
    invalidateColumnsFilter();
}

bool ThreadFilterModel::filterAcceptsColumn(int sourceColumn, const QModelIndex &) const {
    return !m_firstColumnOnly || sourceColumn == 0;
}

bool ThreadFilterModel::accepts(const ThreadRow &row, Filter f, const QString &foldedSearch,
                                const QString *me) {
    switch (f) {
    case Filter::Mine:
        if (me ? row.assignee.isEmpty() || row.assignee != *me : row.state != ThreadState::WithMe)
            return false;
        break;
    case Filter::Queue:
        if (me ? !row.queued : row.state != ThreadState::WaitingForAgent)
            return false;
        break;
    case Filter::Waiting:
        if (row.state != ThreadState::WaitingForAgent)
            return false;
        break;
    case Filter::Bot:
        if (row.state != ThreadState::Bot)
            return false;
        break;
    case Filter::Complete:
        if (row.state != ThreadState::Complete)
            return false;
        break;
    case Filter::All:
        break;
    }
    return foldedSearch.isEmpty() || row.searchText.contains(foldedSearch);
}

bool ThreadFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const {
    if (!m_threads || sourceParent.isValid())
        return false;
    const team::TeamState *team = m_threads->team();
    return accepts(m_threads->row(sourceRow), m_filter, m_search, team ? &team->me : nullptr);
}

bool ThreadFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const {
    if (!m_threads)
        return false;
    const ThreadRow &a = m_threads->row(left.row());
    const ThreadRow &b = m_threads->row(right.row());
    switch (m_mode) {
    case SortMode::WaitingTime:
        return waitingBefore(a, b);
    case SortMode::LastActivity:
        return activityBefore(a, b);
    case SortMode::ByColumn:
        break;
    }
    const int c = compareColumn(a, b, left.column());
    return c != 0 ? c < 0 : a.id < b.id;
}

} // namespace tract::views
