#include "models/views/ConversationModel.h"

#include "models/hsl/Parser.h"
#include "models/store/Store.h"

#include <QSet>
#include <algorithm>

namespace tract::views {

ConversationModel::ConversationModel(store::Store *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store) {}

ConversationRow ConversationModel::makeRow(const store::Message &m) const {
    ConversationRow r;
    r.seq = m.seq;
    r.cursor = m.cursor();
    r.messageId = m.messageId;
    r.sender = m.sender;
    if (m.metadata)
        r.teamAgent = m.metadata->value(store::kTeamAgentMetadataKey).toString();
    r.direction = m.direction;
    r.timestamp = m.timestamp && m.timestamp->isValid() ? *m.timestamp : m.receivedAt;
    r.body = m.body;
    r.hsl = std::make_shared<const hsl::Message>(hsl::Parser::parse(m.body));
    r.outboxId = m.outboxId;
    r.outboxState = m.outboxState ? int(*m.outboxState) : -1;
    r.outboxError = m.outboxError;
    r.day = r.timestamp.toLocalTime().date();
    return r;
}

void ConversationModel::setThread(const store::ThreadKey &key) {
    beginResetModel();
    m_key = key;
    m_rows.clear();
    m_threadId = 0;
    m_hasOlder = m_hasNewer = false;
    m_knownCount = 0;
    m_pendingNewer = 0;
    if (m_store && m_store->isOpen() && !key.userId.isEmpty()) {
        if (const auto t = m_store->thread(key)) {
            m_threadId = t->id;
            m_knownCount = t->messageCount;
        }
        const store::MessagePage page =
            m_store->messages(store::MessageQuery::newest(key, m_pageSize));
        m_rows.reserve(page.messages.size());
        for (const store::Message &m : page.messages)
            m_rows.append(makeRow(m));
        m_hasOlder = page.hasOlder;
        m_hasNewer = page.hasNewer; // false unless a message landed in between
    }
    endResetModel();
}

int ConversationModel::fetchOlder() {
    if (!m_hasOlder || m_rows.isEmpty())
        return 0;
    const store::MessagePage page =
        m_store->messages(store::MessageQuery::olderThan(m_key, m_rows.first().cursor, m_pageSize));
    m_hasOlder = page.hasOlder;
    const int n = int(page.messages.size());
    if (n == 0)
        return 0;
    beginInsertRows({}, 0, n - 1);
    QList<ConversationRow> fresh;
    fresh.reserve(n + m_rows.size());
    for (const store::Message &m : page.messages)
        fresh.append(makeRow(m));
    fresh.append(std::move(m_rows));
    m_rows = std::move(fresh);
    endInsertRows();
    trimBack();
    return n;
}

int ConversationModel::fetchNewer() {
    if (!m_hasNewer || m_rows.isEmpty())
        return 0;
    const store::MessagePage page =
        m_store->messages(store::MessageQuery::newerThan(m_key, m_rows.last().cursor, m_pageSize));
    m_hasNewer = page.hasNewer;
    if (!m_hasNewer) {
        // Back at the newest end: what arrived meanwhile is now loaded.
        m_pendingNewer = 0;
        if (const auto t = m_store->thread(m_key))
            m_knownCount = t->messageCount;
    }
    appendPage(page.messages);
    trimFront();
    return int(page.messages.size());
}

void ConversationModel::jumpToNewest() {
    setThread(m_key);
}

void ConversationModel::appendPage(const QList<store::Message> &messages) {
    if (messages.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(messages.size()) - 1);
    for (const store::Message &m : messages)
        m_rows.append(makeRow(m));
    endInsertRows();
}

void ConversationModel::trimFront() {
    const int excess = int(m_rows.size()) - m_cap;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_rows.remove(0, excess);
    endRemoveRows();
    m_hasOlder = true;
}

void ConversationModel::trimBack() {
    const int excess = int(m_rows.size()) - m_cap;
    if (excess <= 0)
        return;
    const int first = int(m_rows.size()) - excess;
    beginRemoveRows({}, first, int(m_rows.size()) - 1);
    m_rows.remove(first, excess);
    endRemoveRows();
    m_hasNewer = true;
}

int ConversationModel::appendNewest() {
    int appended = 0;
    bool more = true;
    while (more) {
        const store::MessagePage page =
            m_rows.isEmpty() ? m_store->messages(store::MessageQuery::oldest(m_key, 200))
                             : m_store->messages(store::MessageQuery::newerThan(
                                   m_key, m_rows.last().cursor, 200));
        more = page.hasNewer && !page.messages.isEmpty();
        appendPage(page.messages);
        appended += int(page.messages.size());
        if (m_rows.size() == page.messages.size())
            m_hasOlder = page.hasOlder; // the window was empty
    }
    // A burst larger than the window keeps only its newest part.
    trimFront();
    if (appended > 0)
        emit messagesAppended(appended);
    return appended;
}

int ConversationModel::insertLate(int expected) {
    if (m_rows.isEmpty() || expected <= 0)
        return 0;
    // What the store holds from the window's first row on: the window's own
    // rows, the late ones among them, and (when the window is not at the
    // newest end) newer ones past it, which are not this function's.
    const store::MessagePage page = m_store->messages(store::MessageQuery::startingAt(
        m_key, m_rows.first().cursor, int(m_rows.size()) + expected));
    QSet<qint64> known;
    known.reserve(m_rows.size());
    for (const ConversationRow &r : std::as_const(m_rows))
        known.insert(r.seq);
    int placed = 0;
    for (const store::Message &m : page.messages) {
        if (known.contains(m.seq) || !(m.cursor() < m_rows.last().cursor))
            continue;
        const auto at = std::lower_bound(
            m_rows.cbegin(), m_rows.cend(), m.cursor(),
            [](const ConversationRow &r, const store::MessageCursor &c) { return r.cursor < c; });
        const int row = int(at - m_rows.cbegin());
        beginInsertRows({}, row, row);
        m_rows.insert(row, makeRow(m));
        endInsertRows();
        ++placed;
    }
    // Any still unaccounted for sorts before the window: it loads with the
    // older history.
    if (placed < expected && !m_hasOlder)
        m_hasOlder =
            !m_store->messages(store::MessageQuery::olderThan(m_key, m_rows.first().cursor, 1))
                 .messages.isEmpty();
    if (placed > 0)
        trimFront();
    return placed;
}

void ConversationModel::refresh(const store::ChangeSet &changes) {
    if (!m_store || !m_store->isOpen() || m_key.userId.isEmpty())
        return;
    if (m_threadId != 0 && changes.removedThreads.contains(m_threadId)) {
        setThread(m_key); // retention deleted it: nothing left to show
        return;
    }
    if (m_threadId == 0 && changes.threadList) {
        // The open thread did not exist yet (opened from a notification).
        if (const auto t = m_store->thread(m_key))
            m_threadId = t->id;
    }
    if (m_threadId != 0 && changes.threads.contains(m_threadId)) {
        const auto t = m_store->thread(m_key);
        const qint64 count = t ? t->messageCount : m_knownCount;
        if (count != m_knownCount) {
            const int grew = int(count - m_knownCount);
            m_knownCount = count;
            if (m_hasNewer) {
                // Scrolled back in history: late ones inside the window show
                // in place, the rest wait below.
                const int newer = grew - insertLate(grew);
                if (newer > 0) {
                    m_pendingNewer += newer;
                    emit newerMessagesAvailable(m_pendingNewer);
                }
            } else if (const int appended = appendNewest(); appended < grew) {
                insertLate(grew - appended);
            }
        }
    }
    if (changes.outbox)
        refreshOutboxStates();
}

void ConversationModel::refreshOutboxStates() {
    // Only open items (pending, failed) can still change; few are in a window.
    for (int r = 0; r < m_rows.size(); ++r) {
        ConversationRow &row = m_rows[r];
        if (!row.outboxId || row.outboxState == int(store::OutboxState::Sent) ||
            row.outboxState == int(store::OutboxState::Cancelled))
            continue;
        const auto m = m_store->message(row.seq);
        if (!m)
            continue;
        const int state = m->outboxState ? int(*m->outboxState) : -1;
        if (state == row.outboxState && m->outboxError == row.outboxError)
            continue;
        row.outboxState = state;
        row.outboxError = m->outboxError;
        const QModelIndex i = index(r);
        emit dataChanged(i, i, {OutboxStateRole, OutboxErrorRole});
    }
}

int ConversationModel::rowOfSeq(qint64 seq) const {
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        if (m_rows.at(r).seq == seq)
            return r;
    }
    return -1;
}

int ConversationModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ConversationRow &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return hsl::summary(*r.hsl);
    case SeqRole:
        return r.seq;
    case MessageIdRole:
        return r.messageId ? QVariant(*r.messageId) : QVariant();
    case SenderRole:
        return r.sender;
    case DirectionRole:
        return int(r.direction);
    case TimestampRole:
        return r.timestamp;
    case BodyRole:
        return r.body;
    case HslRole:
        return QVariant::fromValue(r.hsl);
    case OutboxIdRole:
        return r.outboxId ? QVariant(*r.outboxId) : QVariant();
    case OutboxStateRole:
        return r.outboxState;
    case OutboxErrorRole:
        return r.outboxError;
    case DayRole:
        return r.day;
    case TeamAgentRole:
        return r.teamAgent;
    }
    return {};
}

QHash<int, QByteArray> ConversationModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert({{SeqRole, "seq"},
                  {MessageIdRole, "messageId"},
                  {SenderRole, "sender"},
                  {DirectionRole, "direction"},
                  {TimestampRole, "timestamp"},
                  {BodyRole, "body"},
                  {HslRole, "hsl"},
                  {OutboxIdRole, "outboxId"},
                  {OutboxStateRole, "outboxState"},
                  {OutboxErrorRole, "outboxError"},
                  {DayRole, "day"},
                  {TeamAgentRole, "teamAgent"}});
    return names;
}

} // namespace tract::views
