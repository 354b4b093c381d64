#include "models/views/TeamModel.h"

#include "models/views/ThreadListModel.h"
#include "models/views/ThreadState.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <algorithm>

namespace tract::views {

bool TeamModel::AgentRow::operator==(const AgentRow &o) const {
    return agent.name == o.agent.name && agent.role == o.agent.role &&
           agent.capacity == o.agent.capacity && agent.presence == o.agent.presence &&
           open == o.open && userIds == o.userIds && names == o.names &&
           longestWaitingSince == o.longestWaitingSince;
}

TeamModel::TeamModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_now([] { return QDateTime::currentDateTimeUtc(); }) {}

void TeamModel::setTeam(const team::TeamState *team) {
    m_team = team;
    teamChanged();
}

void TeamModel::setThreads(const ThreadListModel *threads) {
    if (m_threads)
        disconnect(m_threads, nullptr, this, nullptr);
    m_threads = threads;
    if (threads) {
        // Names arrive and waits start or stop as messages come in; a burst of
        // thread-list changes is folded into one re-derive.
        const auto later = [this] {
            if (m_pendingRefresh)
                return;
            m_pendingRefresh = true;
            QMetaObject::invokeMethod(this, &TeamModel::teamChanged, Qt::QueuedConnection);
        };
        connect(threads, &QAbstractItemModel::modelReset, this, later);
        connect(threads, &QAbstractItemModel::rowsInserted, this, later);
        connect(threads, &QAbstractItemModel::dataChanged, this,
                [later](const QModelIndex &tl, const QModelIndex &br, const QList<int> &roles) {
                    // The thread list's once-a-second waiting tick changes no data.
                    if (tl.column() == ThreadListModel::WaitingColumn &&
                        br.column() == ThreadListModel::WaitingColumn &&
                        roles == QList<int>{Qt::DisplayRole})
                        return;
                    later();
                });
    }
    teamChanged();
}

void TeamModel::setDisplayNameLookup(DisplayNameLookup lookup) {
    m_names = std::move(lookup);
    teamChanged();
}

void TeamModel::setClock(std::function<QDateTime()> now) {
    m_now = std::move(now);
    tickWaitingTimes();
}

QString TeamModel::nameOf(const team::Assignment &a) const {
    if (m_names) {
        const QString name = m_names(a.userId);
        if (!name.isEmpty())
            return name;
    }
    if (m_threads) {
        const int r = m_threads->rowOf({a.userId, a.conversationNumber});
        if (r >= 0)
            return m_threads->row(r).displayName();
    }
    return a.userId;
}

QDateTime TeamModel::waitingSinceOf(const team::Assignment &a) const {
    if (m_threads) {
        const int r = m_threads->rowOf({a.userId, a.conversationNumber});
        if (r >= 0) {
            const qint64 ms = m_threads->row(r).effectiveWaitingSinceMs();
            return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
        }
    }
    return a.waitingSince;
}

QList<TeamModel::AgentRow> TeamModel::buildRows() const {
    QList<AgentRow> rows;
    if (!m_team)
        return rows;
    QHash<QString, int> rowOf;
    for (const team::Agent &agent : m_team->agents) {
        rowOf.insert(agent.name, int(rows.size()));
        rows.append({agent, 0, {}, {}, {}});
    }
    // Threads per agent with their waits, gathered in one pass over the
    // assignments instead of one assignedTo() scan per agent.
    QList<QList<std::pair<QDateTime, team::Assignment>>> held(rows.size());
    for (const team::Assignment &a : m_team->assignments) {
        if (a.state != team::AssignmentState::Assigned)
            continue;
        const int r = rowOf.value(a.agent, -1);
        if (r >= 0)
            held[r].append({waitingSinceOf(a), a});
    }
    for (int r = 0; r < int(rows.size()); ++r) {
        auto &threads = held[r];
        // Longest wait first; those nobody waits on after, by user id for a
        // stable order.
        std::sort(threads.begin(), threads.end(), [](const auto &x, const auto &y) {
            if (x.first.isValid() != y.first.isValid())
                return x.first.isValid();
            if (x.first != y.first)
                return x.first < y.first;
            return x.second.userId < y.second.userId;
        });
        AgentRow &row = rows[r];
        row.open = int(threads.size());
        for (const auto &[since, a] : threads) {
            row.userIds.append(a.userId);
            row.names.append(nameOf(a));
        }
        if (!threads.isEmpty() && threads.first().first.isValid())
            row.longestWaitingSince = threads.first().first;
    }
    return rows;
}

void TeamModel::teamChanged() {
    m_pendingRefresh = false;
    QList<AgentRow> next = buildRows();
    bool sameAgents = next.size() == m_rows.size();
    for (int r = 0; sameAgents && r < int(next.size()); ++r)
        sameAgents = next.at(r).agent.name == m_rows.at(r).agent.name;
    if (!sameAgents) {
        beginResetModel();
        m_rows = std::move(next);
        endResetModel();
    } else {
        for (int r = 0; r < int(next.size()); ++r) {
            if (next.at(r) == m_rows.at(r))
                continue;
            m_rows[r] = std::move(next[r]);
            emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
        }
    }

    int queued = 0;
    QDateTime oldest;
    if (m_team) {
        for (const team::Assignment &a : m_team->assignments) {
            if (a.state != team::AssignmentState::Queued)
                continue;
            ++queued;
            if (a.waitingSince.isValid() && (!oldest.isValid() || a.waitingSince < oldest))
                oldest = a.waitingSince;
        }
    }
    m_queued = queued;
    m_oldestQueued = oldest;
    emit summaryChanged();
}

void TeamModel::tickWaitingTimes() {
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, WaitingColumn), index(int(m_rows.size()) - 1, WaitingColumn),
                         {Qt::DisplayRole});
}

int TeamModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TeamModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

int TeamModel::rowOfAgent(const QString &name) const {
    for (int r = 0; r < int(m_rows.size()); ++r)
        if (m_rows.at(r).agent.name == name)
            return r;
    return -1;
}

QString TeamModel::agentAt(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? m_rows.at(row).agent.name : QString();
}

int TeamModel::onlineCount() const {
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const AgentRow &r) {
        return r.agent.presence == team::Presence::Online;
    }));
}

QString TeamModel::presenceText(team::Presence p) {
    switch (p) {
    case team::Presence::Online:
        return tr("Online");
    case team::Presence::Away:
        return tr("Away");
    case team::Presence::Offline:
        break;
    }
    return tr("Offline");
}

QString TeamModel::roleText(team::Role r) {
    return r == team::Role::Supervisor ? tr("Supervisor") : tr("Agent");
}

QVariant TeamModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AgentRow &r = m_rows.at(index.row());
    const bool me = m_team && r.agent.name == m_team->me;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return me ? tr("%1 (you)").arg(r.agent.name) : r.agent.name;
        case RoleColumn:
            return roleText(r.agent.role);
        case PresenceColumn:
            return presenceText(r.agent.presence);
        case LoadColumn:
            return tr("%1 / %2").arg(r.open).arg(r.agent.capacity);
        case ThreadsColumn:
            return r.names.join(tr(", "));
        case WaitingColumn:
            return r.longestWaitingSince.isValid()
                       ? formatElapsed(r.longestWaitingSince.msecsTo(m_now()))
                       : QString();
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ThreadsColumn && !r.names.isEmpty())
            return r.names.join(QLatin1Char('\n'));
        if (index.column() == LoadColumn)
            return tr("Open threads: %1 of a capacity of %2").arg(r.open).arg(r.agent.capacity);
        return {};
    case AgentNameRole:
        return r.agent.name;
    case AgentRoleRole:
        return int(r.agent.role);
    case PresenceRole:
        return int(r.agent.presence);
    case OpenCountRole:
        return r.open;
    case CapacityRole:
        return r.agent.capacity;
    case ThreadUserIdsRole:
        return r.userIds;
    case ThreadNamesRole:
        return r.names;
    case LongestWaitingSinceRole:
        return r.longestWaitingSince;
    case IsMeRole:
        return me;
    }
    return {};
}

QVariant TeamModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Agent");
    case RoleColumn:
        return tr("Role");
    case PresenceColumn:
        return tr("Presence");
    case LoadColumn:
        return tr("Load");
    case ThreadsColumn:
        return tr("Threads");
    case WaitingColumn:
        return tr("Longest wait");
    }
    return {};
}

QHash<int, QByteArray> TeamModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert({{AgentNameRole, "agentName"},
                  {AgentRoleRole, "agentRole"},
                  {PresenceRole, "presence"},
                  {OpenCountRole, "openCount"},
                  {CapacityRole, "capacity"},
                  {ThreadUserIdsRole, "threadUserIds"},
                  {ThreadNamesRole, "threadNames"},
                  {LongestWaitingSinceRole, "longestWaitingSince"},
                  {IsMeRole, "isMe"}});
    return names;
}

} // namespace tract::views
