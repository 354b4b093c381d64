#include "ui/panels/OwnershipBoard.h"

#include "models/team/TeamTypes.h"
#include "models/views/TeamModel.h"
#include "models/views/ThreadFilterModel.h"
#include "models/views/ThreadListModel.h"
#include "models/views/ThreadState.h"
#include "ui/panels/Accents.h"
#include "ui/panels/ClearButton.h"
#include "ui/panels/TeamBoard.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

using tract::views::ThreadListModel;
using tract::views::ThreadState;

namespace ui {

// Keeps the rows of one ThreadState (or all) and leaves the order to the
// ThreadFilterModel below: a header click is forwarded there, so the sort is
// the shared one (and as fast), not a second sort over QVariants.
class BoardStateFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setState(int state) { // -1: every state
        if (state == m_state)
            return;
        m_state = state;
        invalidateFilter();
    }
    int state() const { return m_state; }

    void sort(int column, Qt::SortOrder order) override {
        auto *threads = static_cast<tract::views::ThreadFilterModel *>(sourceModel());
        if (column < 0)
            threads->setSortMode(tract::views::ThreadFilterModel::SortMode::WaitingTime);
        else
            threads->sort(column, order);
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override {
        if (m_state < 0)
            return true;
        return sourceModel()->index(row, 0, parent).data(ThreadListModel::StateRole).toInt() ==
               m_state;
    }

private:
    int m_state = -1;
};

namespace {

constexpr QColor kUrgent(0xd3, 0x2f, 0x2f);

QColor stateAccent(ThreadState s, const QPalette &pal) {
    switch (s) {
    case ThreadState::WaitingForAgent:
        return accents::warning(pal);
    case ThreadState::WithMe:
        return accents::success(pal);
    case ThreadState::WithOther:
        return accents::info(pal);
    case ThreadState::Bot:
    case ThreadState::Complete:
        break;
    }
    return accents::neutral(pal);
}

// A coloured dot before the state's name: the board is scanned for orange.
class StateDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
        auto state = ThreadState(index.data(ThreadListModel::StateRole).toInt());
        // "With the team" (another agent's, or queued) reads as with others.
        const bool withTeam = !index.data(ThreadListModel::AssigneeRole).toString().isEmpty() ||
                              index.data(ThreadListModel::QueuedRole).toBool();
        if (withTeam && state == ThreadState::WithMe &&
            !index.data(ThreadListModel::AssignedToMeRole).toBool())
            state = ThreadState::WithOther;
        const int d = opt.fontMetrics.height() / 2;
        const QRect r = opt.rect.adjusted(6, 0, -4, 0);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        const QColor accent = stateAccent(state, opt.palette);
        QRectF dot(r.left(), r.center().y() - d / 2.0 + 0.5, d, d);
        if (state == ThreadState::Complete) {
            p->setPen(QPen(accent, 1.5));
            p->setBrush(Qt::NoBrush);
            dot.adjust(0.75, 0.75, -0.75, -0.75);
        } else {
            p->setPen(Qt::NoPen);
            p->setBrush(accent);
        }
        p->drawEllipse(dot);
        const bool selected = opt.state & QStyle::State_Selected;
        p->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        const QRect textRect = r.adjusted(d + 6, 0, 0, 0);
        p->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                    opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
        p->restore();
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.rwidth() += option.fontMetrics.height() / 2 + 10;
        return s;
    }
};

// The live waiting time as a pill that goes from the row's own background to
// red over five minutes; text switches to white/black for contrast.
class WaitingDelegate : public QStyledItemDelegate {
public:
    WaitingDelegate(std::function<QDateTime()> *now, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_now(now) {}

    QString text(const QModelIndex &index) const {
        const QDateTime since = index.data(ThreadListModel::WaitingSinceRole).toDateTime();
        if (!since.isValid())
            return {};
        return OwnershipBoard::formatWaiting(since.msecsTo((*m_now)()));
    }

    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
        const QDateTime since = index.data(ThreadListModel::WaitingSinceRole).toDateTime();
        if (!since.isValid())
            return;
        const QString label = text(index);
        const double urgency = tract::views::waitingUrgency(since, (*m_now)());
        const QColor neutral = opt.palette.color(QPalette::AlternateBase);
        const QColor fill = accents::mix(neutral, kUrgent, urgency);
        const int h = opt.fontMetrics.height() + 4;
        const int w = qMin(opt.fontMetrics.horizontalAdvance(label) + 14, opt.rect.width() - 8);
        const QRect pill(opt.rect.left() + 4, opt.rect.center().y() - h / 2 + 1, w, h);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        p->setPen(Qt::NoPen);
        p->setBrush(fill);
        p->drawRoundedRect(pill, h / 2.0, h / 2.0);
        p->setPen(urgency < 0.35 ? opt.palette.color(QPalette::Text) : accents::textOn(fill));
        p->drawText(pill, Qt::AlignCenter,
                    opt.fontMetrics.elidedText(label, Qt::ElideRight, pill.width() - 8));
        p->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setWidth(option.fontMetrics.horizontalAdvance(OwnershipBoard::tr("59 min 59 s")) + 24);
        return s;
    }

private:
    std::function<QDateTime()> *m_now;
};

// The agent's name, or "Queued" in the waiting colour: the queue is what a
// supervisor looks for in this column.
class AgentDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(ThreadListModel::QueuedRole).toBool() &&
            !(option->state & QStyle::State_Selected)) {
            option->palette.setColor(QPalette::Text, accents::warning(option->palette));
            option->font.setItalic(true);
        }
    }
};

} // namespace

OwnershipBoard::OwnershipBoard(QWidget *parent)
    : QWidget(parent)
    , m_threads(new tract::views::ThreadFilterModel(this))
    , m_state(new BoardStateFilter(this))
    , m_now([] { return QDateTime::currentDateTimeUtc(); }) {
    m_state->setSourceModel(m_threads);

    auto *stateLabel = new QLabel(tr("&Show:"), this);
    m_stateCombo = new QComboBox(this);
    m_stateCombo->setAccessibleName(tr("Thread state filter"));
    m_stateCombo->addItems({tr("All threads"), tr("Waiting for agent"), tr("With me"),
                            tr("With others"), tr("Bot"), tr("Complete")});
    stateLabel->setBuddy(m_stateCombo);
    connect(m_stateCombo, &QComboBox::currentIndexChanged, this, [this](int i) {
        static const int states[] = {-1,
                                     int(ThreadState::WaitingForAgent),
                                     int(ThreadState::WithMe),
                                     int(ThreadState::WithOther),
                                     int(ThreadState::Bot),
                                     int(ThreadState::Complete)};
        m_state->setState(states[qBound(0, i, 5)]);
        updateCount();
    });

    m_search = new QLineEdit(this);
    m_search->setAccessibleName(tr("Search threads"));
    m_search->setPlaceholderText(tr("Filter by name, user id, owner or message"));
    enableClearButton(m_search);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_threads->setSearchText(text);
        updateCount();
    });

    m_count = new QLabel(this);
    m_count->setAccessibleName(tr("Thread count"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(stateLabel);
    bar->addWidget(m_stateCombo);
    bar->addWidget(m_search, 1);
    bar->addSpacing(8);
    bar->addWidget(m_count);

    m_view = new QTableView(this);
    m_view->setAccessibleName(tr("Thread ownership"));
    m_view->setModel(m_state);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setStretchLastSection(false);
    // No indicator: the default order is the filter's "longest wait first".
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    m_view->setItemDelegateForColumn(ThreadListModel::StateColumn, new StateDelegate(m_view));
    m_view->setItemDelegateForColumn(ThreadListModel::WaitingColumn,
                                     new WaitingDelegate(&m_now, m_view));
    m_view->setItemDelegateForColumn(ThreadListModel::AssigneeColumn, new AgentDelegate(m_view));
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit threadActivated(index.data(ThreadListModel::UserIdRole).toString(),
                             index.data(ThreadListModel::ConversationNumberRole).toString());
    });
    // Only supervisors in team mode get a menu; the policy alone shows nothing.
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &OwnershipBoard::showThreadMenu);

    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_state, signal, this, &OwnershipBoard::updateCount);
    connect(m_state, &QAbstractItemModel::modelReset, this, [this] {
        updateCount();
        fitColumns(true);
    });
    connect(m_state, &QAbstractItemModel::rowsInserted, this, [this] { fitColumns(false); });
    connect(m_state, &QAbstractItemModel::layoutChanged, this, &OwnershipBoard::updateCount);
    connect(m_state, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                // The once-a-second waiting tick changes no state; skip its recount.
                if (roles.isEmpty() || roles.contains(ThreadListModel::StateRole))
                    updateCount();
            });

    // Waiting times tick: repaint the visible cells once a second (the
    // delegate measures against the clock, nothing is re-read).
    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] { m_view->viewport()->update(); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    updateCount();
}

OwnershipBoard::~OwnershipBoard() = default;

void OwnershipBoard::setSourceModel(QAbstractItemModel *threads) {
    auto *list = qobject_cast<ThreadListModel *>(threads);
    if (threads && !list)
        qWarning("OwnershipBoard: the source must be a ThreadListModel");
    m_threads->setSourceModel(list);
    updateCount();
    if (!list)
        return; // no columns to lay out
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionHidden(ThreadListModel::PreviewColumn, true);
    header->setSectionHidden(ThreadListModel::UnreadColumn, true);
    header->setSectionHidden(ThreadListModel::AssigneeColumn, !m_team);
    fitColumns(true);
    header->setSectionResizeMode(ThreadListModel::LastActivityColumn, QHeaderView::Stretch);
    updateCount();
}

void OwnershipBoard::fitColumns(bool reset) {
    // Each column fits its header (with room for the sort arrow) and a bounded
    // sample of rows; the state column fits the longest state name, so
    // "With another receiver" never turns into "With another rec…". Columns
    // only grow between resets so rows arriving do not make them jump.
    const QAbstractItemModel *m = m_state;
    const QFontMetrics fm = m_view->fontMetrics();
    const int cw = fm.averageCharWidth();
    const int rows = qMin(m->rowCount(), 200);
    for (int c = ThreadListModel::UserColumn; c < ThreadListModel::LastActivityColumn; ++c) {
        if (m_view->isColumnHidden(c))
            continue;
        int w = fm.horizontalAdvance(m->headerData(c, Qt::Horizontal).toString()) + 32;
        if (c == ThreadListModel::StateColumn) {
            for (int s = int(ThreadState::Bot); s <= int(ThreadState::Complete); ++s)
                w = qMax(w, fm.horizontalAdvance(tract::views::threadStateName(ThreadState(s))) +
                                fm.height() / 2 + 24);
        } else if (c == ThreadListModel::WaitingColumn) {
            w = qMax(w, fm.horizontalAdvance(formatWaiting(59 * 60 * 1000 + 59 * 1000)) + 28);
        } else {
            for (int r = 0; r < rows; ++r)
                w = qMax(w, fm.horizontalAdvance(m->index(r, c).data().toString()) + 20);
        }
        w = qMin(w, cw * 32);
        if (reset || w > m_view->columnWidth(c))
            m_view->setColumnWidth(c, w);
    }
}

void OwnershipBoard::setTeamMode(const tract::team::TeamState *team, bool canAssign) {
    m_team = team;
    m_canAssign = canAssign;
    m_view->horizontalHeader()->setSectionHidden(ThreadListModel::AssigneeColumn, !team);
    m_view->setDragEnabled(this->canAssign());
    m_view->setDragDropMode(this->canAssign() ? QAbstractItemView::DragOnly
                                              : QAbstractItemView::NoDragDrop);
    m_search->setPlaceholderText(team ? tr("Filter by name, user id, owner, agent or message")
                                      : tr("Filter by name, user id, owner or message"));
    fitColumns(true);
}

void OwnershipBoard::addAssignActions(QMenu *menu, const QString &userId) {
    if (!canAssign() || userId.isEmpty())
        return;
    const QString current = m_team->assigneeOf(userId);
    QMenu *to = menu->addMenu(tr("&Assign to"));
    to->setObjectName(QStringLiteral("assignToMenu"));
    for (const tract::team::Agent &agent : m_team->agents) {
        QString name = agent.name;
        name.replace(QLatin1Char('&'), QStringLiteral("&&")); // no accidental mnemonic
        const QString text = tr("%1 — %2, %3 / %4")
                                 .arg(name, tract::views::TeamModel::presenceText(agent.presence))
                                 .arg(m_team->openCount(agent.name))
                                 .arg(agent.capacity);
        QAction *action = to->addAction(TeamBoard::presenceIcon(agent.presence, palette()), text);
        action->setData(agent.name);
        if (agent.name == current) {
            // Where the thread already is: shown, not offered.
            action->setCheckable(true);
            action->setChecked(true);
            action->setEnabled(false);
        }
        connect(action, &QAction::triggered, this,
                [this, userId, agent = agent.name] { emit assignRequested(userId, agent); });
    }
    if (m_team->agents.isEmpty())
        to->addAction(tr("No agents"))->setEnabled(false);
    QAction *back = menu->addAction(tr("Back to the &queue"), this,
                                    [this, userId] { emit assignRequested(userId, QString()); });
    back->setObjectName(QStringLiteral("backToQueue"));
    back->setEnabled(!m_team->isQueued(userId));
}

void OwnershipBoard::showThreadMenu(const QPoint &viewportPos) {
    if (!canAssign())
        return;
    QModelIndex index = m_view->indexAt(viewportPos);
    QPoint at = viewportPos;
    if (!index.isValid()) { // the menu key: the current row
        index = m_view->currentIndex();
        at = m_view->visualRect(index).center();
    }
    if (!index.isValid())
        return;
    const QString user = index.data(ThreadListModel::UserIdRole).toString();
    const QString conversation = index.data(ThreadListModel::ConversationNumberRole).toString();
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setAccessibleName(tr("Thread actions"));
    menu->addAction(tr("&Open conversation"), this,
                    [this, user, conversation] { emit threadActivated(user, conversation); });
    menu->addSeparator();
    addAssignActions(menu, user);
    menu->popup(m_view->viewport()->mapToGlobal(at));
}

void OwnershipBoard::setStateFilter(StateFilter filter) {
    m_stateCombo->setCurrentIndex(filter);
}

OwnershipBoard::StateFilter OwnershipBoard::stateFilter() const {
    return StateFilter(m_stateCombo->currentIndex());
}

void OwnershipBoard::setSearchText(const QString &text) {
    m_search->setText(text);
}

void OwnershipBoard::setClock(std::function<QDateTime()> now) {
    m_now = std::move(now);
    m_view->viewport()->update();
}

QAbstractItemModel *OwnershipBoard::shownModel() const {
    return m_state;
}

QString OwnershipBoard::countText() const {
    return m_count->text();
}

QString OwnershipBoard::formatWaiting(qint64 ms) {
    const qint64 s = qMax<qint64>(0, ms / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

void OwnershipBoard::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    m_tick->start();
}

void OwnershipBoard::hideEvent(QHideEvent *event) {
    QWidget::hideEvent(event);
    m_tick->stop(); // nothing to repaint while nobody looks
}

void OwnershipBoard::updateCount() {
    const int rows = m_state->rowCount();
    int waiting = 0;
    for (int r = 0; r < rows; ++r) {
        if (m_state->index(r, 0).data(ThreadListModel::StateRole).toInt() ==
            int(ThreadState::WaitingForAgent))
            ++waiting;
    }
    m_count->setText(tr("%n thread(s), %1 waiting", nullptr, rows).arg(waiting));
}

} // namespace ui
