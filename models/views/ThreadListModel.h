#pragma once

#include "models/store/StoreTypes.h"
#include "models/views/ThreadState.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace tract::store {
class Store;
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
    // Lower-cased name, user id, preview and owner: text search is one
    // contains() per row instead of four case-insensitive ones.
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
        UnreadRole,           // int
        SearchTextRole,       // lower-cased text the search matches against
        ConversationStateRole // the store's raw state ("incomplete", ...)
    };
    Q_ENUM(Role)

    ThreadListModel(store::Store *store, QString myReceiverId, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const ThreadRow &row(int r) const { return m_rows.at(r); }
    int rowOf(const store::ThreadKey &key) const { return m_rowByKey.value(key, -1); }
    int rowOfId(qint64 threadId) const { return m_rowById.value(threadId, -1); }
    QString myReceiverId() const { return m_me; }

public slots:
    // Reads every thread (in pages of 1000) and every user's platform.
    void reload();
    // Re-reads only the threads/users named in `changes`; appends new threads.
    void refresh(const tract::store::ChangeSet &changes);
    // The Waiting column shows elapsed time: a view calls this once a second
    // (one dataChanged for the column; nothing is re-read).
    void tickWaitingTimes();

signals:
    // New threads were appended (the window may alert on "new chat").
    void threadsAdded(int count);

private:
    ThreadRow makeRow(const store::Thread &t) const;
    void updateRow(int r, ThreadRow next);
    QString platformOf(const QString &userId);

    store::Store *m_store;
    QString m_me;
    QList<ThreadRow> m_rows;
    QHash<store::ThreadKey, int> m_rowByKey;
    QHash<qint64, int> m_rowById;
    QHash<QString, QString> m_platformByUser;
    QMultiHash<QString, int> m_rowsByUser;
};

} // namespace tract::views
