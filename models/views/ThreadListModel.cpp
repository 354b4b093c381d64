#include "models/views/ThreadListModel.h"

#include "models/store/Store.h"
#include "models/tract/Codes.h"

#include <QCoreApplication>
#include <QLocale>
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

} // namespace

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
    r.searchText =
        (r.userName + QChar(0x1f) + r.key.userId + QChar(0x1f) + r.preview + QChar(0x1f) + r.owner)
            .toCaseFolded();
    return r;
}

void ThreadListModel::reload() {
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    m_rowById.clear();
    m_rowsByUser.clear();
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
            for (const store::Thread &t : page) {
                const int r = int(m_rows.size());
                m_rows.append(makeRow(t));
                m_rowByKey.insert(t.key, r);
                m_rowById.insert(t.id, r);
                m_rowsByUser.insert(t.key.userId, r);
            }
            if (page.size() < q.limit)
                break;
            q.after = page.last().cursor();
        }
    }
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
        next.ownerSinceMs == cur.ownerSinceMs && next.waitingSinceMs == cur.waitingSinceMs)
        return;
    cur = std::move(next);
    emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
}

void ThreadListModel::refresh(const store::ChangeSet &changes) {
    if (!m_store || !m_store->isOpen())
        return;
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
            return threadStateName(r.state);
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
                  {ConversationStateRole, "conversationState"}});
    return names;
}

} // namespace tract::views
