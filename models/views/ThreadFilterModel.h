#pragma once

#include <QSortFilterProxyModel>

namespace tract::views {

class ThreadListModel;
struct ThreadRow;

// Filter, search and sort over a ThreadListModel, for the thread list and the
// ownership board. Works on ThreadListModel's rows directly (no QVariant per
// row), so a filter or sort change over 10,000 threads stays well under 50 ms.
class ThreadFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    // Mine = WithMe, Waiting = WaitingForAgent, Bot = Bot, Complete = Complete.
    // All is every thread, complete ones included: the supervisors' board must
    // show every thread, and the default waiting-time sort puts the open ones
    // first anyway.
    // When the source has a team (ThreadListModel::setTeam) the hub decides
    // whose a thread is, not TRACT's owner (the whole team is one receiver):
    // Mine = assigned to team->me, Queue = waiting in the hub's queue. Without
    // a team Queue is Waiting, the nearest single-seat meaning.
    enum class Filter { Mine, Waiting, Bot, All, Complete, Queue };
    Q_ENUM(Filter)
    // WaitingTime: waiting threads first, longest wait first, then the rest by
    // last activity (newest first). LastActivity: newest first.
    // ByColumn: set by sort(column, order), e.g. a header click on the board.
    enum class SortMode { WaitingTime, LastActivity, ByColumn };
    Q_ENUM(SortMode)

    explicit ThreadFilterModel(QObject *parent = nullptr);

    void setSourceModel(QAbstractItemModel *source) override;

    Filter filter() const { return m_filter; }
    void setFilter(Filter f);
    QString searchText() const { return m_search; }
    // Case-insensitive substring over name, user id, preview and owner.
    void setSearchText(const QString &text);
    SortMode sortMode() const { return m_mode; }
    void setSortMode(SortMode mode); // WaitingTime or LastActivity

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    // The thread list paints one column; without the others a screen reader
    // meets one item per thread instead of ten cells.
    void setFirstColumnOnly(bool on);

    // Does `row` pass the filter and search (for counters per filter). `me`:
    // the team's own agent name in team mode, null in single seat.
    static bool accepts(const ThreadRow &row, Filter f, const QString &foldedSearch,
                        const QString *me = nullptr);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
    bool filterAcceptsColumn(int sourceColumn, const QModelIndex &sourceParent) const override;

private:
    ThreadListModel *m_threads = nullptr;
    Filter m_filter = Filter::All;
    SortMode m_mode = SortMode::WaitingTime;
    QString m_search; // case-folded
    bool m_firstColumnOnly = false;
};

} // namespace tract::views
