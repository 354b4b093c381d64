#include "models/views/ThreadListModel.h"

#include "models/store/Store.h"
#include "models/team/TeamTypes.h"
#include "models/tract/Codes.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMimeData>
#include <algorithm>

namespace tract::views {

namespace {

QDateTime fromMs(qint64 ms) {
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

QString shortTime(qint64 ms) {
    if (ms <= 0)
        return {};
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(ms).toLocalTime();
    // Today: the time is enough; older: the date says more than the time.
    if (local.date() == QDate::currentDate())
        return QLocale().toString(local.time(), QLocale::ShortFormat);
    return QLocale().toString(local.date(), QLocale::ShortFormat);
}

QString foldedSearchText(const ThreadRow &r) {
    const QChar sep(0x1f);
    return (r.userName + sep + r.key.userId + sep + r.preview + sep + r.owner + sep + r.assignee)
        .toCaseFolded();
}

} // namespace

const QString ThreadListModel::kThreadMimeType = QStringLiteral("application/x-tract-thread");

ThreadListModel::ThreadListModel(store::Store *store, QString myReceiverId, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_me(std::move(myReceiverId)) {
    reload();
}

ThreadRow ThreadListModel::makeRow(const store::Thread &t) const {
    ThreadRow r;
    r.id = t.id;
    r.key = t.key;
    r.userName = t.userName;
    r.platform = m_platformByUser.value(t.key.userId);
    r.owner = t.owner;
    r.conversationState = t.state;
    r.state = deriveThreadState(t.owner, t.state, m_me);
    r.preview = t.lastPreview;
    r.unread = t.unreadCount;
    r.lastActivityMs = t.lastActivity.isValid() ? t.lastActivity.toMSecsSinceEpoch() : 0;
    r.ownerSinceMs = t.ownerSince.isValid() ? t.ownerSince.toMSecsSinceEpoch() : 0;
    r.waitingSinceMs = t.waitingSince.isValid() ? t.waitingSince.toMSecsSinceEpoch() : 0;
    applyTeam(r);
    return r;
}

void ThreadListModel::applyTeam(ThreadRow &r) const {
    r.assignee.clear();
    r.queued = false;
    if (m_team) {
        // An assignment belongs to the user's current conversation: an older,
        // finished conversation of the same user must not look assigned.
        const auto it = m_team->assignments.constFind(r.key.userId);
        if (it != m_team->assignments.cend() &&
            (it->conversationNumber.isEmpty() ||
             it->conversationNumber == r.key.conversationNumber)) {
            if (it->state == team::AssignmentState::Assigned)
                r.assignee = it->agent;
            r.queued = it->state == team::AssignmentState::Queued;
        }
    }
    r.searchText = foldedSearchText(r);
}

const ThreadRow *ThreadListModel::liveThreadOf(const QString &userId) const {
    const ThreadRow *live = nullptr;
    for (const ThreadRow &row : m_rows) {
        if (row.key.userId == userId && (!live || row.lastActivityMs > live->lastActivityMs))
            live = &row;
    }
    return live;
}

QString ThreadListModel::stateName(const ThreadRow &row) const {
    const bool withTeam = !row.assignee.isEmpty() || row.queued;
    if (m_team && withTeam && row.state == ThreadState::WithMe && row.assignee != m_team->me)
        return QCoreApplication::translate("ThreadListModel", "With the team");
    return threadStateName(row.state);
}

QString ThreadListModel::accessibleSummary(const ThreadRow &r, qint64 waitingSinceMs) const {
    // What the delegate paints, in the order an agent scans it, as one sentence
    // for a screen reader.
    QStringList parts{r.displayName(), devicePlatformName(r.platform), stateName(r)};
    if (r.queued)
        parts << QCoreApplication::translate("ThreadListModel", "queued");
    else if (!r.assignee.isEmpty())
        parts << QCoreApplication::translate("ThreadListModel", "assigned to %1").arg(r.assignee);
    if (waitingSinceMs > 0)
        parts << QCoreApplication::translate("ThreadListModel", "waiting %1")
                     .arg(formatElapsed(QDateTime::currentMSecsSinceEpoch() - waitingSinceMs));
    if (r.unread > 0)
        parts << QCoreApplication::translate("ThreadListModel", "%n unread", nullptr, r.unread);
    if (!r.preview.isEmpty())
        parts << QCoreApplication::translate("ThreadListModel", "last message: %1").arg(r.preview);
    parts.removeAll(QString());
    return parts.join(QCoreApplication::translate(
        "ThreadListModel", ", ", "between the parts of a thread's summary for a screen reader"));
}

void ThreadListModel::setTeam(const team::TeamState *team) {
    const bool modeChanged = (team != nullptr) != (m_team != nullptr);
    m_team = team;
    if (!modeChanged) {
        teamChanged();
        return;
    }
    for (ThreadRow &r : m_rows)
        applyTeam(r);
    // Every row: drag flags differ between the modes and Qt has no "flags
    // changed" signal.
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    emit teamModeChanged(m_team != nullptr);
}

void ThreadListModel::teamChanged() {
    // Consecutive changed rows go out as one range: a reassignment storm after
    // an agent drops offline is a few signals, not one per thread.
    int first = -1;
    const auto flush = [&](int last) {
        if (first >= 0)
            emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
        first = -1;
    };
    for (int i = 0; i < int(m_rows.size()); ++i) {
        ThreadRow &r = m_rows[i];
        const QString assignee = r.assignee;
        const bool queued = r.queued;
        applyTeam(r);
        if (r.assignee != assignee || r.queued != queued) {
            if (first < 0)
                first = i;
        } else {
            flush(i - 1);
        }
    }
    flush(int(m_rows.size()) - 1);
}

void ThreadListModel::reload() {
    beginResetModel();
    m_rows.clear();
    m_platformByUser.clear();
    if (m_store && m_store->isOpen()) {
        for (const store::User &u : m_store->users()) {
            if (u.devicePlatform && !u.devicePlatform->isEmpty())
                m_platformByUser.insert(u.userId, *u.devicePlatform);
        }
        store::ThreadQuery q;
        q.limit = 1000;
        for (;;) {
            const QList<store::Thread> page = m_store->threads(q);
            for (const store::Thread &t : page)
                m_rows.append(makeRow(t));
            if (page.size() < q.limit)
                break;
            q.after = page.last().cursor();
        }
    }
    indexRows();
    endResetModel();
}

QString ThreadListModel::platformOf(const QString &userId) {
    const auto u = m_store->user(userId);
    const QString p = u && u->devicePlatform ? *u->devicePlatform : QString();
    if (p.isEmpty())
        m_platformByUser.remove(userId);
    else
        m_platformByUser.insert(userId, p);
    return p;
}

void ThreadListModel::updateRow(int r, ThreadRow next) {
    ThreadRow &cur = m_rows[r];
    if (next.userName == cur.userName && next.platform == cur.platform && next.owner == cur.owner &&
        next.conversationState == cur.conversationState && next.preview == cur.preview &&
        next.unread == cur.unread && next.lastActivityMs == cur.lastActivityMs &&
        next.ownerSinceMs == cur.ownerSinceMs && next.waitingSinceMs == cur.waitingSinceMs &&
        next.assignee == cur.assignee && next.queued == cur.queued)
        return;
    cur = std::move(next);
    emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void ThreadListModel::indexRows() {
    m_rowByKey.clear();
    m_rowById.clear();
    m_rowsByUser.clear();
    for (int r = 0; r < m_rows.size(); ++r) {
        const ThreadRow &row = m_rows.at(r);
        m_rowByKey.insert(row.key, r);
        m_rowById.insert(row.id, r);
        m_rowsByUser.insert(row.key.userId, r);
    }
}

void ThreadListModel::removeThreads(const QSet<qint64> &ids) {
    QList<int> rows;
    for (qint64 id : ids) {
        if (const int r = m_rowById.value(id, -1); r >= 0)
            rows.append(r);
    }
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (int r : std::as_const(rows)) {
        beginRemoveRows({}, r, r);
        m_rows.removeAt(r);
        endRemoveRows();
    }
    indexRows();
}

void ThreadListModel::refresh(const store::ChangeSet &changes) {
    if (!m_store || !m_store->isOpen())
        return;
    removeThreads(changes.removedThreads);
    if (changes.threads.isEmpty() && changes.users.isEmpty())
        return;

    // Users first, so rows re-made below already carry the new platform.
    QSet<int> userRows;
    for (const QString &userId : changes.users) {
        platformOf(userId);
        for (auto it = m_rowsByUser.constFind(userId);
             it != m_rowsByUser.constEnd() && it.key() == userId; ++it)
            userRows.insert(it.value());
    }

    QSet<qint64> unknown;
    for (qint64 id : changes.threads) {
        const int r = m_rowById.value(id, -1);
        if (r < 0) {
            unknown.insert(id);
            continue;
        }
        userRows.remove(r);
        if (const auto t = m_store->thread(id))
            updateRow(r, makeRow(*t));
    }
    for (int r : std::as_const(userRows)) {
        if (const auto t = m_store->thread(m_rows.at(r).key))
            updateRow(r, makeRow(*t));
    }

    if (unknown.isEmpty())
        return;
    QList<store::Thread> added;
    for (qint64 id : std::as_const(unknown)) {
        if (auto t = m_store->thread(id))
            added.append(std::move(*t));
    }
    if (added.isEmpty())
        return;
    // Newest first, as reload() orders them.
    std::sort(added.begin(), added.end(), [](const store::Thread &a, const store::Thread &b) {
        return b.cursor().lastActivityMs < a.cursor().lastActivityMs ||
               (a.cursor().lastActivityMs == b.cursor().lastActivityMs && b.id < a.id);
    });
    for (const store::Thread &t : added) {
        if (!m_platformByUser.contains(t.key.userId))
            platformOf(t.key.userId);
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const store::Thread &t : added) {
        const int r = int(m_rows.size());
        m_rows.append(makeRow(t));
        m_rowByKey.insert(t.key, r);
        m_rowById.insert(t.id, r);
        m_rowsByUser.insert(t.key.userId, r);
    }
    endInsertRows();
    emit threadsAdded(int(added.size()));
}

void ThreadListModel::tickWaitingTimes() {
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, WaitingColumn), index(int(m_rows.size()) - 1, WaitingColumn),
                         {Qt::DisplayRole});
}

int ThreadListModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ThreadListModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ThreadListModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ThreadRow &r = m_rows.at(index.row());
    const qint64 waitingMs = r.effectiveWaitingSinceMs();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case UserColumn:
            return r.displayName();
        case PlatformColumn:
            return devicePlatformName(r.platform);
        case StateColumn:
            return stateName(r);
        case AssigneeColumn:
            if (r.queued)
                return QCoreApplication::translate("ThreadListModel", "Queued");
            return r.assignee;
        case OwnerColumn:
            return r.owner;
        case OwnerSinceColumn:
            return shortTime(r.ownerSinceMs);
        case WaitingColumn:
            return waitingMs > 0 ? formatElapsed(QDateTime::currentMSecsSinceEpoch() - waitingMs)
                                 : QString();
        case LastActivityColumn:
            return shortTime(r.lastActivityMs);
        case PreviewColumn:
            return r.preview;
        case UnreadColumn:
            return r.unread > 0 ? QVariant(r.unread) : QVariant(QString());
        }
        return {};
    case Qt::AccessibleTextRole:
        if (index.column() == UserColumn)
            return accessibleSummary(r, waitingMs);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == UserColumn)
            return r.key.userId;
        if (index.column() == PreviewColumn)
            return r.preview;
        return {};
    case ThreadKeyRole:
        return QVariant::fromValue(r.key);
    case ThreadIdRole:
        return r.id;
    case UserIdRole:
        return r.key.userId;
    case ConversationNumberRole:
        return r.key.conversationNumber;
    case UserNameRole:
        return r.userName;
    case PlatformRole:
        return devicePlatformName(r.platform);
    case StateRole:
        return int(r.state);
    case OwnerRole:
        return r.owner;
    case OwnerSinceRole:
        return fromMs(r.ownerSinceMs);
    case WaitingSinceRole:
        return fromMs(waitingMs);
    case LastActivityRole:
        return fromMs(r.lastActivityMs);
    case PreviewRole:
        return r.preview;
    case UnreadRole:
        return r.unread;
    case SearchTextRole:
        return r.searchText;
    case ConversationStateRole:
        return r.conversationState;
    case AssigneeRole:
        return r.assignee;
    case QueuedRole:
        return r.queued;
    case AssignedToMeRole:
        return m_team && !r.assignee.isEmpty() && r.assignee == m_team->me;
    case StateNameRole:
        return stateName(r);
    }
    return {};
}

QVariant ThreadListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case UserColumn:
        return QCoreApplication::translate("ThreadListModel", "User");
    case PlatformColumn:
        return QCoreApplication::translate("ThreadListModel", "Platform");
    case StateColumn:
        return QCoreApplication::translate("ThreadListModel", "State");
    case AssigneeColumn:
        return QCoreApplication::translate("ThreadListModel", "Agent");
    case OwnerColumn:
        return QCoreApplication::translate("ThreadListModel", "Owner");
    case OwnerSinceColumn:
        return QCoreApplication::translate("ThreadListModel", "Owner since");
    case WaitingColumn:
        return QCoreApplication::translate("ThreadListModel", "Waiting");
    case LastActivityColumn:
        return QCoreApplication::translate("ThreadListModel", "Last activity");
    case PreviewColumn:
        return QCoreApplication::translate("ThreadListModel", "Last message");
    case UnreadColumn:
        return QCoreApplication::translate("ThreadListModel", "Unread");
    }
    return {};
}

QHash<int, QByteArray> ThreadListModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert({{ThreadKeyRole, "threadKey"},
                  {ThreadIdRole, "threadId"},
                  {UserIdRole, "userId"},
                  {ConversationNumberRole, "conversationNumber"},
                  {UserNameRole, "userName"},
                  {PlatformRole, "platform"},
                  {StateRole, "state"},
                  {OwnerRole, "owner"},
                  {OwnerSinceRole, "ownerSince"},
                  {WaitingSinceRole, "waitingSince"},
                  {LastActivityRole, "lastActivity"},
                  {PreviewRole, "preview"},
                  {UnreadRole, "unread"},
                  {SearchTextRole, "searchText"},
                  {ConversationStateRole, "conversationState"},
                  {AssigneeRole, "assignee"},
                  {QueuedRole, "queued"},
                  {AssignedToMeRole, "assignedToMe"},
                  {StateNameRole, "stateName"}});
    return names;
}

Qt::ItemFlags ThreadListModel::flags(const QModelIndex &index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (m_team && index.isValid())
        f |= Qt::ItemIsDragEnabled;
    return f;
}

QStringList ThreadListModel::mimeTypes() const {
    return {kThreadMimeType};
}

QMimeData *ThreadListModel::mimeData(const QModelIndexList &indexes) const {
    // A row selection carries one index per column: one entry per thread.
    QJsonArray threads;
    QSet<int> seen;
    for (const QModelIndex &i : indexes) {
        if (!checkIndex(i, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
            seen.contains(i.row()))
            continue;
        seen.insert(i.row());
        const ThreadRow &r = m_rows.at(i.row());
        threads.append(QJsonObject{{QStringLiteral("user_id"), r.key.userId},
                                   {QStringLiteral("conversation_no"), r.key.conversationNumber}});
    }
    if (threads.isEmpty())
        return nullptr;
    auto *mime = new QMimeData;
    mime->setData(kThreadMimeType, QJsonDocument(threads).toJson(QJsonDocument::Compact));
    return mime;
}

QList<store::ThreadKey> ThreadListModel::threadsFromMime(const QMimeData *mime) {
    QList<store::ThreadKey> out;
    if (!mime || !mime->hasFormat(kThreadMimeType))
        return out;
    const QJsonArray threads = QJsonDocument::fromJson(mime->data(kThreadMimeType)).array();
    for (const QJsonValue &v : threads) {
        const QJsonObject o = v.toObject();
        const QString user = o.value(QStringLiteral("user_id")).toString();
        if (!user.isEmpty())
            out.append({user, o.value(QStringLiteral("conversation_no")).toString()});
    }
    return out;
}

} // namespace tract::views
