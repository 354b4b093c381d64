#include "models/views/EventFeedModel.h"

#include "models/hsl/Parser.h"
#include "models/store/Store.h"
#include "models/tract/Codes.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonDocument>
#include <QLocale>
#include <algorithm>

namespace tract::views {

namespace {

constexpr int kBatch = 200; // rows per store query while merging

QString tr(const char *text) {
    return QCoreApplication::translate("EventFeedModel", text);
}

qint64 ms(const QDateTime &t) {
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

// What an event means, for the feed's summary column.
QString eventDescription(const QString &category, const QString &subcategory) {
    static const QHash<QString, const char *> known{
        {QStringLiteral("conversation_state/incomplete"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "Handed over to agents")},
        {QStringLiteral("conversation_state/complete"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "Conversation complete")},
        {QStringLiteral("conversation_state/waiting"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "Waiting for the end user")},
        {QStringLiteral("conversation_state/pinned"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "An agent joined")},
        {QStringLiteral("conversation_state/bot"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "With the bot again")},
        {QStringLiteral("user_events/create_user"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "User created")},
        {QStringLiteral("aeu_events/received"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "Chat received by an agent")},
        {QStringLiteral("aeu_events/allocated"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "Chat allocated to an agent")},
        {QStringLiteral("aeu_events/user_timeout"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "End user timed out")},
        {QStringLiteral("aeu_events/transition"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "Transferred")},
        {QStringLiteral("aeu_events/entity_update"),
         QT_TRANSLATE_NOOP("tract::views::EventFeedModel", "Entity updated")}};
    const char *text = known.value(category + QLatin1Char('/') + subcategory, nullptr);
    return text ? QCoreApplication::translate("tract::views::EventFeedModel", text) : QString();
}

FeedEntry fromEvent(const store::Event &e) {
    FeedEntry f;
    f.timeMs = ms(e.receivedAt);
    f.source = FeedEntry::Source::Event;
    f.id = e.seq;
    f.origin =
        e.direction == store::Direction::In ? FeedEntry::Origin::Received : FeedEntry::Origin::Sent;
    f.category = normaliseCategory(e.category);
    f.kind = e.subcategory;
    f.conversationNumber = e.thread.conversationNumber;
    const QString meta = e.metadata.value_or(QString());
    if (f.category == QStringLiteral("thread_control")) {
        // metadata is a JSON string {"from","to","requester"}.
        const QJsonObject m = QJsonDocument::fromJson(meta.toUtf8()).object();
        const QString from = m.value(QStringLiteral("from")).toString();
        const QString to = m.value(QStringLiteral("to")).toString();
        const QString requester = m.value(QStringLiteral("requester")).toString();
        f.summary =
            !from.isEmpty() || !to.isEmpty() ? QStringLiteral("%1 \u2192 %2").arg(from, to) : meta;
        if (!requester.isEmpty())
            f.summary += QStringLiteral(" (%1)").arg(requester);
    } else {
        f.summary = eventDescription(f.category, f.kind);
        if (!meta.isEmpty())
            f.summary = f.summary.isEmpty() ? meta : f.summary + QStringLiteral(": ") + meta;
    }
    f.raw = e.rawJson;
    return f;
}

FeedEntry fromMessage(const store::Message &m) {
    FeedEntry f;
    f.timeMs = ms(m.receivedAt);
    f.source = FeedEntry::Source::Message;
    f.id = m.seq;
    f.origin =
        m.direction == store::Direction::In ? FeedEntry::Origin::Received : FeedEntry::Origin::Sent;
    f.category = QStringLiteral("message");
    f.kind = m.sender;
    f.conversationNumber = m.thread.conversationNumber;
    f.summary = hsl::summary(hsl::Parser::parse(m.body));
    f.object = m.body;
    return f;
}

FeedEntry fromSnapshot(const store::OwnershipSnapshot &s) {
    FeedEntry f;
    f.timeMs = ms(s.takenAt);
    f.source = FeedEntry::Source::Ownership;
    f.id = s.id;
    f.origin = FeedEntry::Origin::Received;
    f.category = QStringLiteral("thread_control");
    f.kind = QStringLiteral("listeners");
    f.conversationNumber = s.conversationNumber;
    f.summary = s.owner.isEmpty() ? tr("no owner") : tr("owner: %1").arg(s.owner);
    f.object = {{QStringLiteral("owner"), s.owner}, {QStringLiteral("listeners"), s.listeners}};
    return f;
}

} // namespace

// One store-backed stream, newest first: a buffer of fetched but not yet
// shown entries and a function that fetches the next older batch.
struct EventFeedModel::Source {
    QList<FeedEntry> buffer; // descending
    bool exhausted = false;
    std::function<QList<FeedEntry>(bool &exhausted)> fetch;

    bool fill() {
        if (buffer.isEmpty() && !exhausted)
            buffer = fetch(exhausted);
        return !buffer.isEmpty();
    }
};

EventFeedModel::EventFeedModel(store::Store *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store) {}

EventFeedModel::~EventFeedModel() = default;

QStringList EventFeedModel::categories() {
    return {QStringLiteral("message"),        QStringLiteral("conversation_state"),
            QStringLiteral("aeu_events"),     QStringLiteral("user_events"),
            QStringLiteral("thread_control"), QStringLiteral("outbox")};
}

bool EventFeedModel::passes(const FeedEntry &e) const {
    return m_category.isEmpty() || e.category == m_category;
}

QList<FeedEntry> EventFeedModel::outboxEntries(const store::OutboxItem &item) const {
    // The send itself is already a row (the outgoing message or event); the
    // outbox adds what became of it.
    if (item.state == store::OutboxState::Pending && item.attempts == 0)
        return {};
    FeedEntry f;
    f.source = FeedEntry::Source::Outbox;
    f.id = item.id * 4 + int(item.state); // one row per state an item reached
    f.origin = FeedEntry::Origin::Sent;
    f.category = QStringLiteral("outbox");
    f.kind = store::outboxStateName(item.state);
    f.conversationNumber = item.thread.conversationNumber;
    f.timeMs = item.state == store::OutboxState::Sent && item.sentAt ? ms(*item.sentAt)
                                                                     : ms(item.updatedAt);
    const QString what = store::outboxKindName(item.kind);
    switch (item.state) {
    case store::OutboxState::Sent:
        f.summary = tr("%1 sent").arg(what);
        break;
    case store::OutboxState::Failed:
        f.summary = tr("%1 failed: %2").arg(what, item.lastError);
        break;
    case store::OutboxState::Cancelled:
        f.summary = tr("%1 cancelled").arg(what);
        break;
    case store::OutboxState::Pending:
        f.summary = tr("%1 queued for retry").arg(what);
        break;
    }
    f.object = item.payload;
    return {f};
}

void EventFeedModel::loadUserThreads() {
    store::ThreadQuery q;
    q.userId = m_userId;
    q.limit = 1000;
    for (const store::Thread &t : m_store->threads(q))
        m_threads.insert(t.id, t.key);
}

void EventFeedModel::resetSources() {
    m_sources.clear();
    m_entries.clear();
    m_visible.clear();
    m_threads.clear();
    m_newestMessage.clear();
    m_outboxStates.clear();
    m_maxEventSeq = 0;
    m_maxSnapshotId = 0;
    if (!m_store || !m_store->isOpen() || m_userId.isEmpty())
        return;

    loadUserThreads();

    // Events (hooks received, events sent), newest first by seq.
    {
        auto src = std::make_unique<Source>();
        std::optional<qint64> before;
        src->fetch = [this, before](bool &exhausted) mutable {
            store::EventQuery q;
            q.userId = m_userId;
            q.beforeSeq = before;
            q.limit = kBatch;
            const QList<store::Event> events = m_store->events(q);
            QList<FeedEntry> out;
            out.reserve(events.size());
            for (const store::Event &e : events) {
                out.append(fromEvent(e));
                m_maxEventSeq = qMax(m_maxEventSeq, e.seq);
            }
            exhausted = events.size() < kBatch;
            if (!events.isEmpty())
                before = events.last().seq;
            return out;
        };
        m_sources.push_back(std::move(src));
    }
    // Messages, one stream per thread of the user.
    for (auto it = m_threads.constBegin(); it != m_threads.constEnd(); ++it) {
        auto src = std::make_unique<Source>();
        const store::ThreadKey key = it.value();
        std::optional<store::MessageCursor> oldest;
        src->fetch = [this, key, oldest](bool &exhausted) mutable {
            const store::MessagePage page =
                oldest ? m_store->messages(store::MessageQuery::olderThan(key, *oldest, kBatch))
                       : m_store->messages(store::MessageQuery::newest(key, kBatch));
            if (!oldest && page.newest())
                m_newestMessage.insert(key.conversationNumber, *page.newest());
            QList<FeedEntry> out;
            out.reserve(page.messages.size());
            for (auto m = page.messages.crbegin(); m != page.messages.crend(); ++m)
                out.append(fromMessage(*m));
            exhausted = !page.hasOlder;
            if (page.oldest())
                oldest = page.oldest();
            return out;
        };
        m_sources.push_back(std::move(src));
    }
    // Outbox results, the latest ownership snapshot and local notes: few per
    // user, read whole.
    {
        QList<FeedEntry> all;
        store::OutboxQuery oq;
        oq.userId = m_userId;
        oq.limit = 10000;
        for (const store::OutboxItem &item : m_store->outboxItems(oq)) {
            m_outboxStates.insert(item.id, item.state);
            all.append(outboxEntries(item));
        }
        if (const auto s = m_store->latestOwnership(m_userId)) {
            m_maxSnapshotId = s->id;
            all.append(fromSnapshot(*s));
        }
        for (const Note &n : std::as_const(m_notes)) {
            if (n.userId.isEmpty() || n.userId == m_userId) // empty: about the whole console
                all.append(n.entry);
        }
        std::sort(all.begin(), all.end(),
                  [](const FeedEntry &a, const FeedEntry &b) { return b < a; });
        auto src = std::make_unique<Source>();
        src->buffer = std::move(all);
        src->exhausted = true;
        m_sources.push_back(std::move(src));
    }
}

QList<FeedEntry> EventFeedModel::takeOlder(int n) {
    // k-way merge of the newest-first streams.
    QList<FeedEntry> out;
    while (out.size() < n) {
        Source *best = nullptr;
        for (const auto &s : m_sources) {
            if (s->fill() && (!best || best->buffer.first() < s->buffer.first()))
                best = s.get();
        }
        if (!best)
            break;
        out.append(best->buffer.takeFirst());
    }
    std::reverse(out.begin(), out.end());
    return out;
}

void EventFeedModel::setUser(const QString &userId) {
    beginResetModel();
    m_userId = userId;
    resetSources();
    m_entries = takeOlder(m_pageSize);
    for (const FeedEntry &e : std::as_const(m_entries)) {
        if (passes(e))
            m_visible.append(e);
    }
    endResetModel();
}

void EventFeedModel::setCategoryFilter(const QString &category) {
    if (category == m_category)
        return;
    beginResetModel();
    m_category = category;
    m_visible.clear();
    for (const FeedEntry &e : std::as_const(m_entries)) {
        if (passes(e))
            m_visible.append(e);
    }
    endResetModel();
}

bool EventFeedModel::canFetchOlder() const {
    return std::any_of(m_sources.cbegin(), m_sources.cend(),
                       [](const auto &s) { return !s->buffer.isEmpty() || !s->exhausted; });
}

int EventFeedModel::fetchOlder() {
    const QList<FeedEntry> older = takeOlder(m_pageSize);
    if (older.isEmpty())
        return 0;
    QList<FeedEntry> shown;
    for (const FeedEntry &e : older) {
        if (passes(e))
            shown.append(e);
    }
    m_entries = older + m_entries;
    if (!shown.isEmpty()) {
        beginInsertRows({}, 0, int(shown.size()) - 1);
        m_visible = shown + m_visible;
        endInsertRows();
    }
    return int(older.size());
}

void EventFeedModel::insertLive(QList<FeedEntry> entries) {
    std::sort(entries.begin(), entries.end());
    for (FeedEntry &e : entries) {
        // Usually the newest, so the search ends at the back.
        m_entries.insert(
            std::upper_bound(m_entries.begin(), m_entries.end(), e) - m_entries.begin(), e);
        if (!passes(e))
            continue;
        const int row =
            int(std::upper_bound(m_visible.begin(), m_visible.end(), e) - m_visible.begin());
        beginInsertRows({}, row, row);
        m_visible.insert(row, std::move(e));
        endInsertRows();
    }
}

QList<FeedEntry> EventFeedModel::newEvents() {
    // Newest first; stop at what is already loaded.
    QList<FeedEntry> out;
    store::EventQuery q;
    q.userId = m_userId;
    q.limit = kBatch;
    qint64 newest = m_maxEventSeq;
    for (;;) {
        const QList<store::Event> events = m_store->events(q);
        bool reachedKnown = events.size() < kBatch;
        for (const store::Event &e : events) {
            if (e.seq <= m_maxEventSeq) {
                reachedKnown = true;
                break;
            }
            newest = qMax(newest, e.seq);
            out.append(fromEvent(e));
        }
        if (reachedKnown)
            break;
        q.beforeSeq = events.last().seq;
    }
    m_maxEventSeq = newest;
    return out;
}

QList<FeedEntry> EventFeedModel::newMessages(const store::ThreadKey &key) {
    QList<FeedEntry> out;
    const auto known = m_newestMessage.constFind(key.conversationNumber);
    std::optional<store::MessageCursor> after;
    if (known != m_newestMessage.constEnd())
        after = *known;
    for (;;) {
        const store::MessagePage page =
            after ? m_store->messages(store::MessageQuery::newerThan(key, *after, kBatch))
                  : m_store->messages(store::MessageQuery::oldest(key, kBatch));
        for (const store::Message &m : page.messages)
            out.append(fromMessage(m));
        if (page.newest())
            after = page.newest();
        if (!page.hasNewer || page.messages.isEmpty())
            break;
    }
    if (after)
        m_newestMessage.insert(key.conversationNumber, *after);
    return out;
}

QList<FeedEntry> EventFeedModel::newOutboxAndOwnership() {
    QList<FeedEntry> out;
    store::OutboxQuery oq;
    oq.userId = m_userId;
    oq.limit = 10000;
    for (const store::OutboxItem &item : m_store->outboxItems(oq)) {
        const auto prev = m_outboxStates.constFind(item.id);
        if (prev != m_outboxStates.constEnd() && *prev == item.state)
            continue;
        m_outboxStates.insert(item.id, item.state);
        out.append(outboxEntries(item));
    }
    if (const auto s = m_store->latestOwnership(m_userId); s && s->id > m_maxSnapshotId) {
        m_maxSnapshotId = s->id;
        out.append(fromSnapshot(*s));
    }
    return out;
}

void EventFeedModel::refresh(const store::ChangeSet &changes) {
    if (!m_store || !m_store->isOpen() || m_userId.isEmpty())
        return;
    QList<FeedEntry> fresh;
    if (changes.threadList) {
        // A new thread of this user: its messages are a new stream.
        for (qint64 id : changes.threads) {
            if (!m_threads.contains(id)) {
                loadUserThreads();
                break;
            }
        }
    }
    for (qint64 id : changes.threads) {
        const auto key = m_threads.constFind(id);
        if (key != m_threads.constEnd())
            fresh += newMessages(*key);
    }
    if (changes.users.contains(m_userId)) {
        fresh += newEvents();
        fresh += newOutboxAndOwnership();
    } else if (changes.outbox) {
        fresh += newOutboxAndOwnership();
    }
    if (!fresh.isEmpty())
        insertLive(std::move(fresh));
}

void EventFeedModel::appendLocalNote(const QString &userId, const QString &kind,
                                     const QString &text) {
    Note n;
    n.userId = userId;
    n.entry.timeMs = QDateTime::currentMSecsSinceEpoch();
    n.entry.source = FeedEntry::Source::Note;
    n.entry.id = ++m_noteCounter;
    n.entry.origin = FeedEntry::Origin::Local;
    n.entry.category = kind;
    n.entry.kind = kind;
    n.entry.summary = text;
    n.entry.object = {{QStringLiteral("kind"), kind}, {QStringLiteral("text"), text}};
    m_notes.append(n);
    if (!m_userId.isEmpty() && (userId.isEmpty() || userId == m_userId))
        insertLive({n.entry});
}

QString EventFeedModel::rawJson(const FeedEntry &e) {
    if (e.raw.isEmpty())
        return QString::fromUtf8(QJsonDocument(e.object).toJson(QJsonDocument::Indented));
    // Hook bodies: indent them when they parse, else show them as received.
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(e.raw, &error);
    if (error.error == QJsonParseError::NoError)
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    return QString::fromUtf8(e.raw);
}

int EventFeedModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_visible.size());
}

int EventFeedModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventFeedModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const FeedEntry &e = m_visible.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.timeMs).toLocalTime(),
                                      QLocale::ShortFormat);
        case DirectionColumn:
            switch (e.origin) {
            case FeedEntry::Origin::Received:
                return tr("in");
            case FeedEntry::Origin::Sent:
                return tr("out");
            case FeedEntry::Origin::Local:
                return tr("local");
            }
            return {};
        case KindColumn:
            return e.kind.isEmpty() || e.kind == e.category
                       ? e.category
                       : e.category + QLatin1Char('/') + e.kind;
        case SummaryColumn:
            return e.summary;
        }
        return {};
    case RawJsonRole:
        return rawJson(e);
    case CategoryRole:
        return e.category;
    case KindRole:
        return e.kind;
    case OriginRole:
        return int(e.origin);
    case TimestampRole:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC);
    case ConversationNumberRole:
        return e.conversationNumber;
    case SummaryRole:
        return e.summary;
    }
    return {};
}

QVariant EventFeedModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case DirectionColumn:
        return tr("Direction");
    case KindColumn:
        return tr("Kind");
    case SummaryColumn:
        return tr("Summary");
    }
    return {};
}

QHash<int, QByteArray> EventFeedModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert({{RawJsonRole, "rawJson"},
                  {CategoryRole, "category"},
                  {KindRole, "kind"},
                  {OriginRole, "origin"},
                  {TimestampRole, "timestamp"},
                  {ConversationNumberRole, "conversationNumber"},
                  {SummaryRole, "summary"}});
    return names;
}

} // namespace tract::views
