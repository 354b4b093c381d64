#include "ui/panels/ThreadControlPanel.h"

#include "ui/panels/Accents.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

namespace {

enum ListenerRole {
    IdRole = Qt::UserRole + 1,
    PrimaryRole,
    DefaultRole,
    ActiveRole,
    MeRole,
};

// Two lines per listener (name, then id) with role badges on the right. The
// active owner gets a bar in the success accent and a filled "owner" badge so
// it reads at a glance, not just by a bold font.
class ListenerDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override {
        const QFontMetrics fm(option.font);
        return {fm.averageCharWidth() * 24, fm.height() * 2 + 12};
    }

    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString name = opt.text;
        opt.text.clear();
        opt.icon = {};
        const QWidget *w = opt.widget;
        QStyle *style = w ? w->style() : nullptr;
        if (style)
            style->drawControl(QStyle::CE_ItemViewItem, &opt, p, w);

        p->save();
        const QPalette &pal = opt.palette;
        const bool selected = opt.state & QStyle::State_Selected;
        const bool active = index.data(ActiveRole).toBool();
        const QRect r = opt.rect.adjusted(10, 5, -8, -5);
        if (active)
            p->fillRect(QRect(opt.rect.left(), opt.rect.top() + 3, 3, opt.rect.height() - 6),
                        accents::success(pal));

        // Badges, right to left.
        QFont small = opt.font;
        small.setPointSizeF(small.pointSizeF() * 0.85);
        const QFontMetrics sfm(small);
        int right = r.right();
        const auto badge = [&](const QString &text, const QColor &colour, bool filled) {
            const int bw = sfm.horizontalAdvance(text) + 12;
            const int bh = sfm.height() + 2;
            const QRect br(right - bw + 1, r.top() + (opt.fontMetrics.height() - bh) / 2, bw, bh);
            p->setRenderHint(QPainter::Antialiasing);
            p->setPen(colour);
            p->setBrush(filled ? QBrush(colour) : Qt::NoBrush);
            p->drawRoundedRect(QRectF(br).adjusted(0.5, 0.5, -0.5, -0.5), bh / 2.0, bh / 2.0);
            p->setFont(small);
            p->setPen(filled ? accents::textOn(colour) : colour);
            p->drawText(br, Qt::AlignCenter, text);
            right = br.left() - 4;
        };
        if (index.data(DefaultRole).toBool())
            badge(ThreadControlPanel::tr("default"),
                  selected ? pal.color(QPalette::HighlightedText) : accents::neutral(pal), false);
        if (index.data(PrimaryRole).toBool())
            badge(ThreadControlPanel::tr("primary"),
                  selected ? pal.color(QPalette::HighlightedText) : accents::info(pal), false);
        if (active)
            badge(ThreadControlPanel::tr("owner"), accents::success(pal), true);

        QFont nameFont = opt.font;
        nameFont.setBold(active);
        p->setFont(nameFont);
        const QColor text = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
        p->setPen(text);
        QString shownName = name;
        if (index.data(MeRole).toBool())
            shownName = ThreadControlPanel::tr("%1 (you)").arg(name);
        const QRect nameRect(r.left(), r.top(), right - r.left() - 4, opt.fontMetrics.height());
        p->drawText(nameRect, Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetrics(nameFont).elidedText(shownName, Qt::ElideRight, nameRect.width()));

        p->setFont(small);
        p->setPen(selected ? text : pal.color(QPalette::PlaceholderText));
        const QRect idRect(r.left(), nameRect.bottom() + 3, r.width(), sfm.height());
        p->drawText(idRect, Qt::AlignLeft | Qt::AlignVCenter,
                    sfm.elidedText(index.data(IdRole).toString(), Qt::ElideMiddle, idRect.width()));
        p->restore();
    }
};

QString listenerLabel(const tract::Listener &l) {
    return l.name.isEmpty() || l.name == l.id ? l.id
                                              : ThreadControlPanel::tr("%1 (%2)").arg(l.name, l.id);
}

} // namespace

ThreadControlPanel::ThreadControlPanel(QWidget *parent)
    : QWidget(parent) {
    auto *title = new QLabel(tr("Thread control"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);

    m_subtitle = new QLabel(this);
    m_subtitle->setTextFormat(Qt::PlainText);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);

    m_refresh = new QToolButton(this);
    m_refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_refresh->setAutoRaise(true);
    m_refresh->setToolTip(tr("Fetch the listeners again"));
    m_refresh->setAccessibleName(tr("Refresh listeners"));
    connect(m_refresh, &QToolButton::clicked, this, &ThreadControlPanel::refreshRequested);

    auto *header = new QHBoxLayout;
    header->addWidget(title);
    header->addStretch();
    header->addWidget(m_refresh);

    m_list = new QListWidget(this);
    m_list->setItemDelegate(new ListenerDelegate(m_list));
    m_list->setAccessibleName(tr("Listeners"));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setFocusPolicy(Qt::NoFocus);

    m_take = new QPushButton(tr("&Take control"), this);
    m_take->setAccessibleName(tr("Take control"));
    m_take->setToolTip(tr("Make this console the owner of the thread (Ctrl+T)"));
    connect(m_take, &QPushButton::clicked, this, &ThreadControlPanel::takeRequested);

    m_passMenu = new QMenu(this);
    m_passMenu->setAccessibleName(tr("Pass to listener"));
    m_pass = new QPushButton(tr("&Pass to…"), this);
    m_pass->setAccessibleName(tr("Pass to"));
    m_pass->setToolTip(tr("Hand the thread to another listener (Ctrl+Shift+P)"));
    m_pass->setMenu(m_passMenu);

    m_request = new QPushButton(tr("&Request control"), this);
    m_request->setAccessibleName(tr("Request control"));
    m_request->setToolTip(tr("Ask the current owner to pass the thread to you"));
    connect(m_request, &QPushButton::clicked, this, &ThreadControlPanel::requestRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_take);
    buttons->addWidget(m_pass);
    buttons->addWidget(m_request);
    buttons->addStretch();

    m_busyBar = new QProgressBar(this);
    m_busyBar->setRange(0, 0); // indeterminate: TRACT gives no progress
    m_busyBar->setTextVisible(false);
    m_busyBar->setMaximumHeight(4);
    m_busyBar->setAccessibleName(tr("Thread control call running"));
    m_busyBar->hide();

    m_outcome = new QLabel(this);
    m_outcome->setTextFormat(Qt::PlainText); // refusal text comes from the server
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->setAccessibleName(tr("Thread control outcome"));
    m_outcome->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_list);
    layout->addLayout(buttons);
    layout->addWidget(m_busyBar);
    layout->addWidget(m_outcome);
    layout->addStretch(1); // extra height goes below, keeping the buttons under the list

    clear();
}

void ThreadControlPanel::setThread(const QString &userId, const QString &myReceiverId) {
    m_userId = userId;
    m_me = myReceiverId;
    m_listeners.clear();
    m_hasOutcome = false;
    m_outcome->hide();
    rebuild();
}

void ThreadControlPanel::setListeners(const QList<tract::Listener> &listeners) {
    m_listeners = listeners;
    rebuild();
}

void ThreadControlPanel::setBusy(bool busy) {
    m_busy = busy;
    m_busyBar->setVisible(busy);
    if (busy) {
        // The last outcome no longer describes the thread once a new call runs.
        m_hasOutcome = false;
        m_outcome->hide();
    }
    updateActions();
}

void ThreadControlPanel::showOutcome(bool ok, const QString &message) {
    m_hasOutcome = true;
    m_outcomeOk = ok;
    m_outcome->setText(message);
    applyOutcomeColour();
    m_outcome->setVisible(!message.isEmpty());
}

void ThreadControlPanel::clear() {
    m_userId.clear();
    m_me.clear();
    m_listeners.clear();
    m_busy = false;
    m_busyBar->hide();
    m_hasOutcome = false;
    m_outcome->hide();
    rebuild();
}

QString ThreadControlPanel::activeOwner() const {
    for (const tract::Listener &l : m_listeners) {
        if (l.active)
            return l.id;
    }
    return {};
}

void ThreadControlPanel::showPassMenu() {
    if (m_pass->isEnabled())
        m_pass->showMenu();
}

void ThreadControlPanel::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyOutcomeColour();
}

void ThreadControlPanel::rebuild() {
    m_list->clear();
    m_passMenu->clear();
    for (const tract::Listener &l : std::as_const(m_listeners)) {
        auto *item = new QListWidgetItem(l.name.isEmpty() ? l.id : l.name, m_list);
        item->setData(IdRole, l.id);
        item->setData(PrimaryRole, l.isPrimary);
        item->setData(DefaultRole, l.isDefault);
        item->setData(ActiveRole, l.active);
        item->setData(MeRole, !m_me.isEmpty() && l.id == m_me);
        // Screen readers get the badges as words.
        QStringList roles;
        if (l.active)
            roles << tr("owner");
        if (l.isPrimary)
            roles << tr("primary");
        if (l.isDefault)
            roles << tr("default");
        item->setData(Qt::AccessibleTextRole,
                      roles.isEmpty() ? listenerLabel(l)
                                      : tr("%1, %2").arg(listenerLabel(l), roles.join(u", ")));
        item->setToolTip(item->data(Qt::AccessibleTextRole).toString());
        if (l.id == m_me)
            continue;
        QAction *pass = m_passMenu->addAction(listenerLabel(l));
        const QString id = l.id;
        connect(pass, &QAction::triggered, this, [this, id] { emit passRequested(id); });
    }

    if (m_userId.isEmpty())
        m_subtitle->setText(tr("No thread selected"));
    else if (m_listeners.isEmpty())
        m_subtitle->setText(tr("No listeners known for %1").arg(m_userId));
    else
        m_subtitle->setText(
            tr("%n listener(s) for %1", nullptr, int(m_listeners.size())).arg(m_userId));

    // Keep the list exactly as tall as its rows (up to six) so the buttons sit
    // right under it instead of at the bottom of a mostly empty box.
    const int rows = qBound(1, int(m_listeners.size()), 6);
    const int rowHeight =
        m_list->sizeHintForRow(0) > 0 ? m_list->sizeHintForRow(0) : fontMetrics().height() * 2 + 12;
    m_list->setFixedHeight(rows * rowHeight + 2 * m_list->frameWidth());
    m_list->setVisible(!m_listeners.isEmpty());
    updateActions();
}

void ThreadControlPanel::updateActions() {
    const bool haveThread = !m_userId.isEmpty();
    const bool mine = !m_me.isEmpty() && activeOwner() == m_me;
    m_take->setEnabled(haveThread && !m_busy && !mine);
    m_request->setEnabled(haveThread && !m_busy && !mine);
    m_pass->setEnabled(haveThread && !m_busy && !m_passMenu->isEmpty());
    m_refresh->setEnabled(haveThread && !m_busy);
}

void ThreadControlPanel::applyOutcomeColour() {
    if (!m_hasOutcome)
        return;
    QPalette pal = m_outcome->palette();
    pal.setColor(QPalette::WindowText,
                 m_outcomeOk ? accents::success(palette()) : accents::error(palette()));
    m_outcome->setPalette(pal);
}

} // namespace ui
