#pragma once

#include "models/store/StoreTypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <functional>

namespace tract::store {
class Store;
}

namespace tract::views {

// One line of the feed. `category` is what the filter matches: message,
// conversation_state, aeu_events, user_events, thread_control, outbox, or the
// kind of a local note.
struct FeedEntry {
    enum class Origin { Received, Sent, Local };
    enum class Source { Event = 0, Message = 1, Outbox = 2, Ownership = 3, Note = 4 };

    qint64 timeMs = 0;
    Source source = Source::Event;
    qint64 id = 0; // event/message seq, outbox id, snapshot id, note number
    Origin origin = Origin::Received;
    QString category;
    QString kind; // subcategory, sender, outbox state, note kind
    QString conversationNumber;
    QString summary;
    // The raw JSON is only rendered on demand: hook bodies are kept as
    // received, message bodies and outbox payloads as objects.
    QByteArray raw;
    QJsonObject object;

    // Time order; ties (same millisecond) by source, then id, so the order is
    // total and stable across reloads.
    bool operator<(const FeedEntry &o) const {
        if (timeMs != o.timeMs)
            return timeMs < o.timeMs;
        if (source != o.source)
            return source < o.source;
        return id < o.id;
    }
};

// Everything that happened for one end user, oldest at the top, newest at the
// bottom: hooks received and events sent (events table), messages both ways
// (every thread of the user), outbox results (sent / failed / cancelled),
// ownership snapshots, and local notes the store never sees (a hook
// registration problem, a failed thread-control call).
//
// The store's sources are merged by time a page at a time: setUser() shows
// the newest ~500 entries, fetchOlder() prepends the next older ones. As with
// ConversationModel, paging is explicit rather than fetchMore(), which Qt's
// views would call at the bottom (the newest end).
class EventFeedModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, DirectionColumn, KindColumn, SummaryColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        RawJsonRole = Qt::UserRole + 1, // QString: the entry's JSON, indented
        CategoryRole,
        KindRole,
        OriginRole,    // int(FeedEntry::Origin)
        TimestampRole, // QDateTime (UTC)
        ConversationNumberRole,
        SummaryRole
    };
    Q_ENUM(Role)

    explicit EventFeedModel(store::Store *store, QObject *parent = nullptr);
    ~EventFeedModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setUser(const QString &userId);
    QString userId() const { return m_userId; }

    // Empty: every category.
    void setCategoryFilter(const QString &category);
    QString categoryFilter() const { return m_category; }
    static QStringList categories(); // the store-backed ones, for a combo box

    bool canFetchOlder() const;
    int fetchOlder(); // returns how many entries were loaded (before filtering)

    int pageSize() const { return m_pageSize; }
    void setPageSize(int n) { m_pageSize = qMax(1, n); }

    // Kept in memory for the session only; shown when `userId` is (or becomes)
    // the feed's user.
    // An empty userId makes a note about the whole console (a hook registration
    // problem), shown in every user\'s feed.
    void appendLocalNote(const QString &userId, const QString &kind, const QString &text);

    const FeedEntry &entryAt(int row) const { return m_visible.at(row); }
    static QString rawJson(const FeedEntry &e);

public slots:
    void refresh(const tract::store::ChangeSet &changes);

private:
    struct Source;
    void resetSources();
    void loadUserThreads();
    QList<FeedEntry> takeOlder(int n);
    void insertLive(QList<FeedEntry> entries);
    bool passes(const FeedEntry &e) const;
    QList<FeedEntry> outboxEntries(const store::OutboxItem &item) const;
    QList<FeedEntry> newEvents();
    QList<FeedEntry> newMessages(const store::ThreadKey &key);
    QList<FeedEntry> newOutboxAndOwnership();

    store::Store *m_store;
    QString m_userId;
    QString m_category;
    int m_pageSize = 500;

    QList<FeedEntry> m_entries; // everything loaded, time order
    QList<FeedEntry> m_visible; // m_entries passing the filter
    std::vector<std::unique_ptr<Source>> m_sources;

    // Live tracking: what is newest per store source.
    qint64 m_maxEventSeq = 0;
    QHash<qint64, store::ThreadKey> m_threads;            // the user's threads by id
    QHash<QString, store::MessageCursor> m_newestMessage; // per conversation
    QHash<qint64, store::OutboxState> m_outboxStates;     // outbox id -> state shown
    qint64 m_maxSnapshotId = 0;

    struct Note {
        QString userId;
        FeedEntry entry;
    };
    QList<Note> m_notes;
    qint64 m_noteCounter = 0;
};

} // namespace tract::views
