#include "ui/panels/TeamBoard.h"

#include "models/views/TeamModel.h"
#include "models/views/ThreadListModel.h"
#include "models/views/ThreadState.h"
#include "ui/panels/Accents.h"

#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QPixmap>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <functional>

using tract::team::Presence;
using tract::views::TeamModel;
using tract::views::ThreadListModel;

namespace ui {

namespace {

constexpr QColor kUrgent(0xd3, 0x2f, 0x2f);

bool carriesThreads(const QMimeData *mime) {
    return mime && mime->hasFormat(ThreadListModel::kThreadMimeType);
}

// Cell background and focus as the style draws them, text left to the caller.
void drawCellBase(QPainter *p, QStyleOptionViewItem &opt) {
    opt.text.clear();
    opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
}

QColor cellText(const QStyleOptionViewItem &opt) {
    return opt.palette.color((opt.state & QStyle::State_Selected) ? QPalette::HighlightedText
                                                                  : QPalette::Text);
}

// A coloured dot and the word: colour alone must not carry the meaning.
class PresenceDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        drawCellBase(p, opt);
        const auto presence = Presence(index.data(TeamModel::PresenceRole).toInt());
        const int d = opt.fontMetrics.height() / 2 + 1;
        const QRect r = opt.rect.adjusted(6, 0, -4, 0);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        const QColor colour = TeamBoard::presenceColour(presence, opt.palette);
        QRectF dot(r.left(), r.center().y() - d / 2.0 + 0.5, d, d);
        if (presence == Presence::Offline) {
            p->setPen(QPen(colour, 1.5));
            p->setBrush(Qt::NoBrush);
            dot.adjust(0.75, 0.75, -0.75, -0.75);
        } else {
            p->setPen(Qt::NoPen);
            p->setBrush(colour);
        }
        p->drawEllipse(dot);
        p->setPen(cellText(opt));
        const QRect textRect = r.adjusted(d + 6, 0, 0, 0);
        p->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                    opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
        p->restore();
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.rwidth() += option.fontMetrics.height() / 2 + 12;
        return s;
    }
};

// Load against capacity: a short bar and "2 / 3". Full turns the bar to the
// waiting colour, over capacity (a supervisor's choice) to the error colour.
class LoadDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    static constexpr int kBarWidth = 56;
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        drawCellBase(p, opt);
        const int open = index.data(TeamModel::OpenCountRole).toInt();
        const int capacity = qMax(1, index.data(TeamModel::CapacityRole).toInt());
        const QRect r = opt.rect.adjusted(6, 0, -6, 0);
        const int h = qMax(6, opt.fontMetrics.height() / 2);
        const QRect bar(r.left(), r.center().y() - h / 2 + 1, kBarWidth, h);
        const QColor fill = open > capacity    ? accents::error(opt.palette)
                            : open == capacity ? accents::warning(opt.palette)
                                               : accents::success(opt.palette);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        p->setPen(QPen(opt.palette.color(QPalette::Mid), 1));
        p->setBrush(opt.palette.color(QPalette::Base));
        p->drawRoundedRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5), h / 2.0, h / 2.0);
        if (open > 0) {
            const double share = qMin(1.0, double(open) / capacity);
            QRectF filled = QRectF(bar).adjusted(1, 1, -1, -1);
            filled.setWidth(filled.width() * share);
            p->setPen(Qt::NoPen);
            p->setBrush(fill);
            p->drawRoundedRect(filled, (h - 2) / 2.0, (h - 2) / 2.0);
        }
        p->setPen(cellText(opt));
        const QRect textRect(bar.right() + 8, opt.rect.top(), r.right() - bar.right() - 8,
                             opt.rect.height());
        p->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                    opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
        p->restore();
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setWidth(kBarWidth + 8 + option.fontMetrics.horizontalAdvance(QStringLiteral("00 / 00")) +
                   16);
        return s;
    }
};

// The longest wait as a pill fading to red over five minutes, as on the
// ownership board, so the two read alike side by side.
class WaitDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString label = opt.text;
        drawCellBase(p, opt);
        const QDateTime since = index.data(TeamModel::LongestWaitingSinceRole).toDateTime();
        const auto *model = qobject_cast<const TeamModel *>(index.model());
        if (!since.isValid() || label.isEmpty() || !model)
            return;
        const double urgency = tract::views::waitingUrgency(since, model->now());
        const QColor fill =
            accents::mix(opt.palette.color(QPalette::AlternateBase), kUrgent, urgency);
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
};

} // namespace

// The agents' table; a thread dropped on a row goes to that agent.
class TeamTable : public QTableView {
public:
    std::function<bool()> acceptsDrops;
    std::function<void(const QMimeData *, int row)> dropped;

    explicit TeamTable(QWidget *parent)
        : QTableView(parent) {
        setAcceptDrops(true);
        viewport()->setAcceptDrops(true);
        setDropIndicatorShown(false); // the row outline below says where it lands
    }
    using QTableView::sizeHintForColumn; // for TeamBoard::fitColumns

protected:
    void dragEnterEvent(QDragEnterEvent *event) override {
        if (acceptsDrops() && carriesThreads(event->mimeData()))
            event->acceptProposedAction();
        else
            event->ignore();
    }
    void dragMoveEvent(QDragMoveEvent *event) override {
        const int row = indexAt(event->position().toPoint()).row();
        setDropRow(acceptsDrops() && carriesThreads(event->mimeData()) ? row : -1);
        if (m_dropRow >= 0)
            event->acceptProposedAction();
        else
            event->ignore();
    }
    void dragLeaveEvent(QDragLeaveEvent *event) override {
        setDropRow(-1);
        event->accept();
    }
    void dropEvent(QDropEvent *event) override {
        const int row = indexAt(event->position().toPoint()).row();
        setDropRow(-1);
        if (row < 0 || !acceptsDrops() || !carriesThreads(event->mimeData())) {
            event->ignore();
            return;
        }
        event->acceptProposedAction();
        dropped(event->mimeData(), row);
    }
    void paintEvent(QPaintEvent *event) override {
        QTableView::paintEvent(event);
        if (m_dropRow < 0 || !model())
            return;
        const QRect first = visualRect(model()->index(m_dropRow, 0));
        const QRect last = visualRect(model()->index(m_dropRow, model()->columnCount() - 1));
        QPainter p(viewport());
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(palette().color(QPalette::Highlight), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(first.united(last)).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
    }

private:
    void setDropRow(int row) {
        if (row == m_dropRow)
            return;
        m_dropRow = row;
        viewport()->update();
    }
    int m_dropRow = -1;
};

// "Queue · 2 waiting · oldest 4 min": a drop here sends a thread back.
class QueueDropTarget : public QFrame {
public:
    std::function<bool()> acceptsDrops;
    std::function<void(const QMimeData *)> dropped;

    explicit QueueDropTarget(QWidget *parent)
        : QFrame(parent) {
        setAcceptDrops(true);
        setFrameShape(QFrame::StyledPanel);
        setAutoFillBackground(true);
        setBackgroundRole(QPalette::AlternateBase);
        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(10, 6, 10, 6);
        m_title = new QLabel(TeamBoard::tr("Queue"), this);
        QFont bold = m_title->font();
        bold.setBold(true);
        m_title->setFont(bold);
        m_status = new QLabel(this);
        m_status->setTextFormat(Qt::PlainText);
        m_hint = new QLabel(TeamBoard::tr("Drop a thread here to send it back to the queue"), this);
        m_hint->setForegroundRole(QPalette::PlaceholderText);
        m_hint->setMinimumWidth(0);
        m_hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        m_hint->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        layout->addWidget(m_title);
        layout->addWidget(m_status);
        layout->addWidget(m_hint, 1);
    }

    void setStatus(const QString &text) { m_status->setText(text); }
    QString status() const { return m_status->text(); }
    void setHintVisible(bool visible) { m_hint->setVisible(visible); }

protected:
    void dragEnterEvent(QDragEnterEvent *event) override {
        if (acceptsDrops() && carriesThreads(event->mimeData())) {
            event->acceptProposedAction();
            setHighlighted(true);
        } else {
            event->ignore();
        }
    }
    void dragMoveEvent(QDragMoveEvent *event) override {
        if (acceptsDrops() && carriesThreads(event->mimeData()))
            event->acceptProposedAction();
        else
            event->ignore();
    }
    void dragLeaveEvent(QDragLeaveEvent *event) override {
        setHighlighted(false);
        event->accept();
    }
    void dropEvent(QDropEvent *event) override {
        setHighlighted(false);
        if (!acceptsDrops() || !carriesThreads(event->mimeData())) {
            event->ignore();
            return;
        }
        event->acceptProposedAction();
        dropped(event->mimeData());
    }

private:
    void setHighlighted(bool on) {
        setBackgroundRole(on ? QPalette::Highlight : QPalette::AlternateBase);
        const QPalette::ColorRole text = on ? QPalette::HighlightedText : QPalette::WindowText;
        m_title->setForegroundRole(text);
        m_status->setForegroundRole(text);
        m_hint->setForegroundRole(on ? QPalette::HighlightedText : QPalette::PlaceholderText);
    }

    QLabel *m_title;
    QLabel *m_status;
    QLabel *m_hint;
};

TeamBoard::TeamBoard(QWidget *parent)
    : QWidget(parent) {
    m_title = new QLabel(tr("Team"), this);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    m_title->setFont(titleFont);
    m_summary = new QLabel(this);
    m_summary->setAccessibleName(tr("Team summary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);

    m_queue = new QueueDropTarget(this);
    m_queue->setAccessibleName(tr("Queue"));
    m_queue->setAccessibleDescription(tr("Drop a thread here to send it back to the queue"));
    m_queue->acceptsDrops = [this] {
        return !m_readOnly && m_model && m_model->team();
    };
    m_queue->dropped = [this](const QMimeData *mime) {
        dropThreads(mime, QString());
    };

    m_view = new TeamTable(this);
    m_view->setAccessibleName(tr("Agents"));
    m_view->acceptsDrops = [this] {
        return !m_readOnly && m_model && m_model->team();
    };
    m_view->dropped = [this](const QMimeData *mime, int row) {
        const QString agent = m_model ? m_model->agentAt(row) : QString();
        if (!agent.isEmpty())
            dropThreads(mime, agent);
    };
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 12);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->setItemDelegateForColumn(TeamModel::PresenceColumn, new PresenceDelegate(m_view));
    m_view->setItemDelegateForColumn(TeamModel::LoadColumn, new LoadDelegate(m_view));
    m_view->setItemDelegateForColumn(TeamModel::WaitingColumn, new WaitDelegate(m_view));

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (m_model)
            m_model->tickWaitingTimes();
        updateSummary(); // the queue's oldest wait moves on too
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_title);
    top->addSpacing(8);
    top->addWidget(m_summary, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_queue);
    layout->addWidget(m_view, 1);
    updateSummary();
}

TeamBoard::~TeamBoard() = default;

void TeamBoard::setModel(TeamModel *model) {
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_view->setModel(model);
    if (model) {
        connect(model, &TeamModel::summaryChanged, this, &TeamBoard::updateSummary);
        connect(model, &QAbstractItemModel::modelReset, this, &TeamBoard::fitColumns);
        QHeaderView *header = m_view->horizontalHeader();
        header->setStretchLastSection(false);
        header->setSectionResizeMode(TeamModel::ThreadsColumn, QHeaderView::Stretch);
        fitColumns();
    }
    updateSummary();
}

void TeamBoard::fitColumns() {
    if (!m_model)
        return;
    // Fit the header and the rows (a team is a few dozen agents at most), so
    // "Supervisor" or a long name is never cut; the threads take the rest.
    const QFontMetrics fm = m_view->fontMetrics();
    for (int c = 0; c < TeamModel::ColumnCount; ++c) {
        if (c == TeamModel::ThreadsColumn)
            continue;
        int w = fm.horizontalAdvance(m_model->headerData(c, Qt::Horizontal).toString()) + 24;
        w = qMax(w, m_view->sizeHintForColumn(c) + 8);
        if (c == TeamModel::WaitingColumn)
            w = qMax(w, fm.horizontalAdvance(tract::views::formatElapsed(23 * 3600 * 1000)) + 28);
        m_view->setColumnWidth(c, qMin(w, fm.averageCharWidth() * 30));
    }
}

void TeamBoard::setReadOnly(bool readOnly) {
    m_readOnly = readOnly;
    m_queue->setHintVisible(!readOnly);
}

QTableView *TeamBoard::view() const {
    return m_view;
}

QWidget *TeamBoard::queueTarget() const {
    return m_queue;
}

QString TeamBoard::summaryText() const {
    return m_summary->text();
}

QString TeamBoard::queueText() const {
    return m_queue->status();
}

int TeamBoard::dropThreads(const QMimeData *mime, const QString &agent) {
    if (m_readOnly || !m_model || !m_model->team())
        return 0;
    const tract::team::TeamState &team = *m_model->team();
    int requested = 0;
    for (const tract::store::ThreadKey &key : ThreadListModel::threadsFromMime(mime)) {
        // Already there: asking the hub again would only make noise in the log.
        if (agent.isEmpty() ? team.isQueued(key.userId) : team.assigneeOf(key.userId) == agent)
            continue;
        emit assignRequested(key.userId, agent);
        ++requested;
    }
    return requested;
}

void TeamBoard::updateSummary() {
    if (!m_model || !m_model->team()) {
        m_summary->clear();
        m_queue->setStatus(QString());
        return;
    }
    const int agents = m_model->rowCount();
    int open = 0;
    for (int r = 0; r < agents; ++r)
        open += m_model->index(r, 0).data(TeamModel::OpenCountRole).toInt();
    // No %n plural here: "Online: 2 of 4" reads right for every count.
    m_summary->setText(tr("Online: %1 of %2 · Open threads: %3")
                           .arg(m_model->onlineCount())
                           .arg(agents)
                           .arg(open));
    const int queued = m_model->queuedCount();
    const QDateTime oldest = m_model->oldestQueuedSince();
    if (queued == 0)
        m_queue->setStatus(tr("empty"));
    else if (oldest.isValid())
        m_queue->setStatus(tr("%n waiting, oldest %1", nullptr, queued)
                               .arg(tract::views::formatElapsed(oldest.msecsTo(m_model->now()))));
    else
        m_queue->setStatus(tr("%n waiting", nullptr, queued));
}

QColor TeamBoard::presenceColour(Presence presence, const QPalette &palette) {
    switch (presence) {
    case Presence::Online:
        return accents::success(palette);
    case Presence::Away:
        return accents::warning(palette);
    case Presence::Offline:
        break;
    }
    return accents::neutral(palette);
}

QIcon TeamBoard::presenceIcon(Presence presence, const QPalette &palette) {
    const int size = 12;
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor colour = presenceColour(presence, palette);
    if (presence == Presence::Offline) {
        p.setPen(QPen(colour, 1.5));
        p.setBrush(Qt::NoBrush);
    } else {
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
    }
    p.drawEllipse(QRectF(2, 2, size - 4, size - 4));
    return QIcon(pixmap);
}

void TeamBoard::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    m_tick->start();
}

void TeamBoard::hideEvent(QHideEvent *event) {
    QWidget::hideEvent(event);
    m_tick->stop();
}

} // namespace ui
