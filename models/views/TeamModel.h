#pragma once

#include "models/team/TeamTypes.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <functional>

namespace tract::views {

class ThreadListModel;

// The team as a supervisor scans it: one row per agent of a TeamState (in the
// state's name order), with presence, load against capacity, the threads it
// holds and how long the longest-waiting of their end users has waited. Reads
// the TeamState it is given (not owned); teamChanged() re-derives the rows and
// signals only what changed, so a presence flip repaints one row.
class TeamModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        RoleColumn,
        PresenceColumn,
        LoadColumn,
        ThreadsColumn,
        WaitingColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        AgentNameRole = Qt::UserRole + 1, // QString
        AgentRoleRole,                    // int(team::Role)
        PresenceRole,                     // int(team::Presence)
        OpenCountRole,                    // int: threads assigned now
        CapacityRole,                     // int
        ThreadUserIdsRole,                // QStringList, longest wait first
        ThreadNamesRole,                  // QStringList, same order
        LongestWaitingSinceRole,          // QDateTime, invalid when nobody waits
        IsMeRole                          // bool: this console's agent
    };
    Q_ENUM(Role)

    // The end user's name for a user id, before the thread list's (empty:
    // unknown).
    using DisplayNameLookup = std::function<QString(const QString &userId)>;

    explicit TeamModel(QObject *parent = nullptr);

    // nullptr: no team, no rows.
    void setTeam(const tract::team::TeamState *team);
    const tract::team::TeamState *team() const { return m_team; }
    // Names, and the waits as the thread list measures them (since the end
    // user's oldest unanswered message). Without it, or for a thread it does
    // not list, the wait runs from the handoff (the assignment's waitingSince)
    // and the name is the user id. Not owned; its changes are picked up on
    // the next event-loop pass.
    void setThreads(const ThreadListModel *threads);
    void setDisplayNameLookup(DisplayNameLookup lookup);
    // The clock the waits are measured against (tests pin it).
    void setClock(std::function<QDateTime()> now);
    QDateTime now() const { return m_now(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOfAgent(const QString &name) const;
    QString agentAt(int row) const;
    // The queue: how many threads wait for an agent, and since when the oldest.
    int queuedCount() const { return m_queued; }
    QDateTime oldestQueuedSince() const { return m_oldestQueued; }
    int onlineCount() const;

    static QString presenceText(tract::team::Presence p); // translated "Online", ...
    static QString roleText(tract::team::Role r);         // translated "Agent", ...

public slots:
    // Re-derives every row from the team (and the thread list, if set).
    void teamChanged();
    // Once a second from a view: the Waiting column's text moves on.
    void tickWaitingTimes();

signals:
    // The agent set changed, or the queue did: header counts are stale.
    void summaryChanged();

private:
    struct AgentRow {
        tract::team::Agent agent;
        int open = 0;
        QStringList userIds;
        QStringList names;
        QDateTime longestWaitingSince;
        bool operator==(const AgentRow &o) const;
    };
    QList<AgentRow> buildRows() const;
    QString nameOf(const tract::team::Assignment &a) const;
    QDateTime waitingSinceOf(const tract::team::Assignment &a) const;

    const tract::team::TeamState *m_team = nullptr;
    QPointer<const ThreadListModel> m_threads;
    DisplayNameLookup m_names;
    std::function<QDateTime()> m_now;
    QList<AgentRow> m_rows;
    int m_queued = 0;
    QDateTime m_oldestQueued;
    bool m_pendingRefresh = false;
};

} // namespace tract::views
