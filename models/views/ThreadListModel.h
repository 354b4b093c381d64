#pragma once

#include "models/store/StoreTypes.h"
#include "models/views/ThreadState.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace tract::store {
class Store;
}
namespace tract::team {
struct TeamState;
}

namespace tract::views {

// One thread as the list holds it: compact (times in ms, state derived once)
// so 10,000 of them cost a few MB and filtering never touches QVariant.
struct ThreadRow {
    qint64 id = 0; // store thread id (ChangeSet::threads)
    store::ThreadKey key;
    QString userName;
    QString platform; // wire value ("14"); named in data()
    QString owner;
    QString conversationState;
    ThreadState state = ThreadState::Bot;
    QString preview;
    int unread = 0;
    qint64 lastActivityMs = 0;
    qint64 ownerSinceMs = 0;   // 0: unknown
    qint64 waitingSinceMs = 0; // 0: not waiting
    // Team mode only (ThreadListModel::setTeam): the agent holding the thread,
    // and whether it waits in the hub's queue. Empty / false in single seat.
    QString assignee;
    bool queued = false;
    // Lower-cased name, user id, preview, owner and assignee: text search is
    // one contains() per row instead of five case-insensitive ones.
    QString searchText;

    QString displayName() const { return userName.isEmpty() ? key.userId : userName; }
    // Waiting only means something once a human is expected to answer: the bot
    // answers its own threads and nobody answers a complete one.
    qint64 effectiveWaitingSinceMs() const {
        return state == ThreadState::WaitingForAgent || state == ThreadState::WithMe ||
                       state == ThreadState::WithOther
                   ? waitingSinceMs
                   : 0;
    }
};

// Every thread of the store, one row each, for the thread list and the
// supervisors' ownership board (through ThreadFilterModel). Rows are never
// removed (the store never deletes threads) and keep their index, so refresh()
// only inserts at the end and emits dataChanged for the rows that changed.
class ThreadListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        UserColumn,
        PlatformColumn,
        StateColumn,
        AssigneeColumn, // team mode: the agent, or "Queued"; views hide it in single seat
        OwnerColumn,
        OwnerSinceColumn,
        WaitingColumn,
        LastActivityColumn,
        PreviewColumn,
        UnreadColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        ThreadKeyRole = Qt::UserRole + 1, // store::ThreadKey
        ThreadIdRole,                     // qint64
        UserIdRole,
        ConversationNumberRole,
        UserNameRole, // the name, or empty when unknown
        PlatformRole, // platform name (devicePlatformName)
        StateRole,    // int(ThreadState)
        OwnerRole,
        OwnerSinceRole,   // QDateTime, invalid when unknown
        WaitingSinceRole, // QDateTime, invalid when not waiting
        LastActivityRole, // QDateTime
        PreviewRole,
        UnreadRole,            // int
        SearchTextRole,        // lower-cased text the search matches against
        ConversationStateRole, // the store's raw state ("incomplete", ...)
        AssigneeRole,          // QString: the team agent holding the thread, or empty
        QueuedRole,            // bool: waiting in the team's queue
        AssignedToMeRole,      // bool: assigned to this console's agent (team->me)
        StateNameRole          // QString: the state as shown (StateColumn's text)
    };
    Q_ENUM(Role)

    ThreadListModel(store::Store *store, QString myReceiverId, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Team mode: rows can be dragged onto the team board (kThreadMimeType).
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;

    // JSON array of {"user_id", "conversation_no"}, one per dragged thread.
    static const QString kThreadMimeType;
    static QList<store::ThreadKey> threadsFromMime(const QMimeData *mime);

    // The team this console is part of (not owned; must outlive the model or be
    // reset first). nullptr: single seat, every team field stays empty.
    void setTeam(const tract::team::TeamState *team);
    const tract::team::TeamState *team() const { return m_team; }

    const ThreadRow &row(int r) const { return m_rows.at(r); }
    int rowOf(const store::ThreadKey &key) const { return m_rowByKey.value(key, -1); }
    int rowOfId(qint64 threadId) const { return m_rowById.value(threadId, -1); }
    // The user's most recently active thread (the one a new message or a
    // handoff is about), or null when the user has none listed.
    const ThreadRow *liveThreadOf(const QString &userId) const;
    QString myReceiverId() const { return m_me; }
    // threadStateName(), except that in a team a handed-off thread another
    // agent holds, or that waits in the queue, is "With the team": the whole
    // team is one TRACT receiver, so "With me" would be true of all of them.
    QString stateName(const ThreadRow &row) const;
    QString accessibleSummary(const ThreadRow &row, qint64 waitingSinceMs) const;

public slots:
    // Reads every thread (in pages of 1000) and every user's platform.
    void reload();
    // Re-reads only the threads/users named in `changes`; appends new threads.
    void refresh(const tract::store::ChangeSet &changes);
    // The Waiting column shows elapsed time: a view calls this once a second
    // (one dataChanged for the column; nothing is re-read).
    void tickWaitingTimes();
    // The team's assignments changed: re-derives assignee and queued for every
    // row (hash lookups, no store reads) and emits dataChanged for the rows
    // whose values changed.
    void teamChanged();

signals:
    // New threads were appended (the window may alert on "new chat").
    void threadsAdded(int count);
    // setTeam() switched between single seat and team mode: filters whose
    // meaning depends on the mode re-filter every row, changed or not.
    void teamModeChanged(bool teamMode);

private:
    ThreadRow makeRow(const store::Thread &t) const;
    // Sets assignee, queued and searchText from the team.
    void applyTeam(ThreadRow &r) const;
    void updateRow(int r, ThreadRow next);
    void removeThreads(const QSet<qint64> &ids); // retention deleted them
    void indexRows();
    QString platformOf(const QString &userId);

    store::Store *m_store;
    const tract::team::TeamState *m_team = nullptr;
    QString m_me;
    QList<ThreadRow> m_rows;
    QHash<store::ThreadKey, int> m_rowByKey;
    QHash<qint64, int> m_rowById;
    QHash<QString, QString> m_platformByUser;
    QMultiHash<QString, int> m_rowsByUser;
};

} // namespace tract::views
