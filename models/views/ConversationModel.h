#pragma once

#include "models/hsl/Message.h"
#include "models/store/StoreTypes.h"

#include <QAbstractListModel>
#include <QDate>
#include <QList>
#include <memory>

namespace tract::store {
class Store;
}

namespace tract::views {

// One message as the conversation view paints it. The HSL is parsed once,
// when the row enters the window, and shared with the painter.
struct ConversationRow {
    qint64 seq = 0;
    store::MessageCursor cursor;
    std::optional<qint64> messageId;
    QString sender; // wire name: ceu, iva, haptik, ect, aeu
    // In a team console, the agent who sent an agent reply, when it was not
    // this console's (store::kTeamAgentMetadataKey); empty otherwise.
    QString teamAgent;
    store::Direction direction = store::Direction::In;
    QDateTime timestamp; // sender's timestamp, else when received (UTC)
    QJsonObject body;
    std::shared_ptr<const hsl::Message> hsl;
    std::optional<qint64> outboxId;
    int outboxState = -1; // store::OutboxState, -1: not an outbox message
    QString outboxError;
    QDate day; // local date of `timestamp`, for day separators
};

// A bounded window onto one thread, oldest first. Opening a thread loads only
// its newest page; older and newer pages come in on demand through the store's
// cursors (index range scans), and the window never holds more than
// windowCap() rows: when a page would exceed it, rows at the far end are
// dropped and hasNewer()/hasOlder() remember that more exists there. This is
// Telegram Desktop's rule (keep a few screens around the viewport, fetch when
// under two remain): the view asks for pages, the model bounds memory.
//
// Paging is explicit (fetchOlder/fetchNewer), not canFetchMore/fetchMore: Qt's
// item views call fetchMore() when scrolled to the *bottom*, which here is the
// newest end, and would keep pulling older history into a view that shows the
// latest messages.
class ConversationModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        SeqRole = Qt::UserRole + 1, // qint64
        MessageIdRole,              // qint64, invalid when TRACT gave none
        SenderRole,                 // wire name
        DirectionRole,              // int(store::Direction)
        TimestampRole,              // QDateTime (sender's, else received)
        BodyRole,                   // QJsonObject (HSL)
        HslRole,                    // std::shared_ptr<const hsl::Message>
        OutboxIdRole,               // qint64, invalid when none
        OutboxStateRole,            // int(store::OutboxState), -1 none
        OutboxErrorRole,            // QString
        DayRole,                    // QDate, local
        TeamAgentRole               // QString: ConversationRow::teamAgent
    };
    Q_ENUM(Role)

    explicit ConversationModel(store::Store *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Loads the newest page of `key` synchronously (an empty key clears).
    void setThread(const store::ThreadKey &key);
    store::ThreadKey thread() const { return m_key; }
    qint64 threadId() const { return m_threadId; }

    bool canFetchOlder() const { return m_hasOlder; }
    bool canFetchNewer() const { return m_hasNewer; }
    // True when the last row is the thread's newest message: new messages are
    // appended live only then.
    bool isAtNewest() const { return !m_hasNewer; }
    // Prepends the next older page; returns how many rows came in.
    int fetchOlder();
    // Appends the next newer page (after the window was trimmed at the bottom).
    int fetchNewer();
    // Back to the newest page (the "N new messages" button on a trimmed window).
    void jumpToNewest();

    const ConversationRow &messageAt(int row) const { return m_rows.at(row); }
    int rowOfSeq(qint64 seq) const;

    int pageSize() const { return m_pageSize; }
    void setPageSize(int n) { m_pageSize = qBound(1, n, 1000); }
    int windowCap() const { return m_cap; }
    void setWindowCap(int n) { m_cap = qMax(n, 2 * m_pageSize); }

public slots:
    void refresh(const tract::store::ChangeSet &changes);

signals:
    // `count` messages were appended at the bottom by refresh() (live).
    void messagesAppended(int count);
    // New messages arrived while the window is not at the newest end; nothing
    // was loaded. `count` is how many since the window left the newest end.
    void newerMessagesAvailable(int count);

private:
    ConversationRow makeRow(const store::Message &m) const;
    void appendPage(const QList<store::Message> &messages);
    void trimFront(); // drop oldest rows over the cap
    void trimBack();  // drop newest rows over the cap
    void refreshOutboxStates();
    // Returns how many messages it appended.
    int appendNewest();
    // Messages that arrived late, ordered before the window's newest row (a
    // TRACT retry delivers an older message_id after newer ones): inserted in
    // place. Returns how many it placed; `expected` bounds the search.
    int insertLate(int expected);

    store::Store *m_store;
    store::ThreadKey m_key;
    qint64 m_threadId = 0;
    QList<ConversationRow> m_rows;
    bool m_hasOlder = false;
    bool m_hasNewer = false;
    int m_pageSize = 60;
    int m_cap = 600;
    qint64 m_knownCount = 0; // thread's message count when last looked at
    int m_pendingNewer = 0;  // arrivals while trimmed at the bottom
};

} // namespace tract::views
