#include "ui/ConversationView.h"

#include "models/common/Logging.h"
#include "models/views/ConversationModel.h"
#include "ui/ConversationAccessible.h"
#include "ui/hsl/ImageCache.h"

#include <QAccessible>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDesktopServices>
#include <QJsonDocument>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

namespace ui {

namespace {

constexpr int kMargin = 14;
constexpr int kGap = 10; // between messages
constexpr int kDayRowHeight = 30;
constexpr int kChromeGap = 3; // between header/footer and the bubble

using CM = tract::views::ConversationModel;

hslui::Role roleFor(const QString &sender) {
    if (sender == QLatin1String("ceu"))
        return hslui::Role::EndUser;
    if (sender == QLatin1String("aeu") || sender == QLatin1String("ect"))
        return hslui::Role::Agent;
    if (sender == QLatin1String("haptik"))
        return hslui::Role::System;
    return hslui::Role::Bot;
}

} // namespace

using MessageLayoutPtr = std::unique_ptr<hslui::MessageLayout>;

struct ConversationView::Item {
    qint64 seq = 0;
    QString sender;
    QString teamAgent;
    bool outgoing = false;
    QDateTime time;
    QDate day;
    bool daySeparator = false;
    qint64 outboxId = -1;
    int outboxState = -1; // store::OutboxState, -1 for received messages
    QString outboxError;
    QJsonObject body;
    hslui::Role role = hslui::Role::Bot;
    std::unique_ptr<hslui::MessageLayout> layout;
    // Geometry in content coordinates.
    int y = 0;
    int height = 0;
    int bubbleTop = 0; // relative to y
    QRect retryRect;   // relative to y, failed outgoing only
    QRect cancelRect;
};

ConversationView::ConversationView(QWidget *parent)
    : QAbstractScrollArea(parent) {
    setFrameShape(QFrame::NoFrame);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Conversation"));
    m_theme = hslui::Theme::fromPalette(palette());
    // Images arrive later; their space is reserved by the layout, so a repaint is enough.
    connect(&hslui::ImageCache::instance(), &hslui::ImageCache::imageReady, viewport(),
            qOverload<>(&QWidget::update));
    ConversationAccessible::attach(this);
}

ConversationView::~ConversationView() = default;

void ConversationView::setModel(CM *model) {
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        connect(m_model, &QAbstractItemModel::modelReset, this, &ConversationView::rebuild);
        connect(m_model, &QAbstractItemModel::rowsInserted, this,
                &ConversationView::onRowsInserted);
        connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                &ConversationView::onRowsAboutToBeRemoved);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ConversationView::onRowsRemoved);
        connect(m_model, &QAbstractItemModel::dataChanged, this, &ConversationView::onDataChanged);
    }
    rebuild();
}

CM *ConversationView::model() const {
    return m_model;
}

std::unique_ptr<ConversationView::Item> ConversationView::makeItem(int row) const {
    const QModelIndex index = m_model->index(row, 0);
    auto item = std::make_unique<Item>();
    item->seq = index.data(CM::SeqRole).toLongLong();
    item->sender = index.data(CM::SenderRole).toString();
    item->teamAgent = index.data(CM::TeamAgentRole).toString();
    item->outgoing = index.data(CM::DirectionRole).toInt() == 1;
    item->time = index.data(CM::TimestampRole).toDateTime();
    item->day = item->time.toLocalTime().date();
    item->outboxId =
        index.data(CM::OutboxIdRole).isValid() ? index.data(CM::OutboxIdRole).toLongLong() : -1;
    item->outboxState =
        index.data(CM::OutboxStateRole).isValid() ? index.data(CM::OutboxStateRole).toInt() : -1;
    item->outboxError = index.data(CM::OutboxErrorRole).toString();
    item->body = index.data(CM::BodyRole).toJsonObject();
    auto message = index.data(CM::HslRole).value<std::shared_ptr<const hsl::Message>>();
    // Haptik's SYSTEM notices are centred whoever relayed them.
    item->role =
        message && message->kind == hsl::Kind::System ? hslui::Role::System : roleFor(item->sender);
    item->layout = std::make_unique<hslui::MessageLayout>(std::move(message), item->role);
    return item;
}

void ConversationView::rebuild() {
    qCDebug(lcUi) << "conversation view: rebuild with" << (m_model ? m_model->rowCount() : -1)
                  << "rows";
    m_items.clear();
    m_rowOfSeqStale = true;
    m_selItem = -1;
    m_focusItem = -1;
    setUnseen(0);
    if (m_model) {
        m_items.reserve(size_t(m_model->rowCount()));
        for (int row = 0; row < m_model->rowCount(); ++row)
            m_items.push_back(makeItem(row));
    }
    layoutItems();
    scrollToBottom();
    viewport()->update(); // the scroll position may not have moved
}

void ConversationView::onRowsInserted(const QModelIndex &, int first, int last) {
    const bool atBottom = isAtBottom();
    const bool prepend = first == 0 && !m_items.empty();
    const int oldHeight = contentHeight();
    const int oldValue = verticalScrollBar()->value();
    for (int row = first; row <= last; ++row)
        m_items.insert(m_items.begin() + row, makeItem(row));
    m_rowOfSeqStale = true;
    if (m_selItem >= first)
        m_selItem += last - first + 1;
    if (m_focusItem >= first)
        m_focusItem += last - first + 1;
    layoutItems(0);
    if (prepend) {
        // Older history arrived above: keep what the reader looks at in place.
        verticalScrollBar()->setValue(oldValue + contentHeight() - oldHeight);
    } else if (atBottom || m_stickToBottom) {
        scrollToBottom();
    } else {
        setUnseen(m_unseen + (last - first + 1));
    }
    viewport()->update();
    ConversationAccessible::messagesInserted(this, first, last);
}

void ConversationView::onRowsAboutToBeRemoved(const QModelIndex &, int first, int last) {
    ConversationAccessible::messagesAboutToBeRemoved(this, first, last);
}

void ConversationView::onRowsRemoved(const QModelIndex &, int first, int last) {
    qCDebug(lcUi) << "conversation view: rows" << first << "to" << last << "removed";
    const bool fromTop = first == 0;
    const int oldHeight = contentHeight();
    const int oldValue = verticalScrollBar()->value();
    m_items.erase(m_items.begin() + first, m_items.begin() + last + 1);
    m_rowOfSeqStale = true;
    m_selItem = -1;
    if (m_focusItem > last)
        m_focusItem -= last - first + 1;
    else if (m_focusItem >= first)
        m_focusItem = -1;
    layoutItems(0);
    if (fromTop) // the window dropped old history above the viewport
        verticalScrollBar()->setValue(oldValue - (oldHeight - contentHeight()));
    viewport()->update();
}

void ConversationView::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight) {
    for (int row = topLeft.row(); row <= bottomRight.row() && row < int(m_items.size()); ++row)
        m_items[size_t(row)] = makeItem(row);
    m_rowOfSeqStale = true;
    layoutItems(topLeft.row());
    viewport()->update();
    ConversationAccessible::messagesChanged(this, topLeft.row(),
                                            std::min(bottomRight.row(), messageCount() - 1));
}

QString ConversationView::chromeText(const Item &item) const {
    const QString time = QLocale().toString(item.time.toLocalTime().time(), QLocale::ShortFormat);
    QString who;
    switch (item.role) {
    case hslui::Role::EndUser:
        who = m_endUserName.isEmpty() ? tr("End user") : m_endUserName;
        break;
    case hslui::Role::Bot:
        who = tr("Bot");
        break;
    case hslui::Role::Agent:
        who = item.sender == QLatin1String("ect") ? tr("Agent chat tool")
              : item.teamAgent.isEmpty()          ? tr("You")
                                                  : item.teamAgent;
        break;
    case hslui::Role::System:
        who = tr("Haptik");
        break;
    }
    return who + QStringLiteral(" · ") + time;
}

QString ConversationView::deliveryText(const Item &item) const {
    if (!item.outgoing)
        return {};
    switch (item.outboxState) {
    case 0:
        return tr("Sending…");
    case 2:
        return tr("⚠ Not delivered: %1").arg(item.outboxError);
    case 3:
        return tr("Cancelled");
    default: // sent, or sent by this console before the outbox existed
        return tr("✓ Sent");
    }
}

QString ConversationView::deliveryText(int row) const {
    if (row < 0 || row >= int(m_items.size()))
        return {};
    return deliveryText(*m_items[size_t(row)]);
}

QRect ConversationView::retryLinkRect(int row) const {
    if (row < 0 || row >= int(m_items.size()) || m_items[size_t(row)]->retryRect.isNull())
        return {};
    const Item &item = *m_items[size_t(row)];
    return item.retryRect.translated(0, item.y - verticalScrollBar()->value());
}

QRect ConversationView::cancelLinkRect(int row) const {
    if (row < 0 || row >= int(m_items.size()) || m_items[size_t(row)]->cancelRect.isNull())
        return {};
    const Item &item = *m_items[size_t(row)];
    return item.cancelRect.translated(0, item.y - verticalScrollBar()->value());
}

qint64 ConversationView::messageSeq(int row) const {
    return row >= 0 && row < int(m_items.size()) ? m_items[size_t(row)]->seq : 0;
}

int ConversationView::rowOfSeq(qint64 seq) const {
    if (m_rowOfSeqStale) {
        m_rowOfSeq.clear();
        m_rowOfSeq.reserve(qsizetype(m_items.size()));
        for (size_t row = 0; row < m_items.size(); ++row)
            m_rowOfSeq.insert(m_items[row]->seq, int(row));
        m_rowOfSeqStale = false;
    }
    return m_rowOfSeq.value(seq, -1);
}

QString ConversationView::messageAccessibleText(int row) const {
    if (row < 0 || row >= int(m_items.size()))
        return {};
    const Item &item = *m_items[size_t(row)];
    const QString text = tr("%1: %2", "a message for a screen reader: who and when, then what")
                             .arg(chromeText(item), item.layout->accessibleText());
    const QString delivery = deliveryText(item);
    return delivery.isEmpty()
               ? text
               : tr("%1 (%2)", "a reply for a screen reader, then its delivery state")
                     .arg(text, delivery);
}

QRect ConversationView::messageRect(int row) const {
    if (row < 0 || row >= int(m_items.size()))
        return {};
    const Item &item = *m_items[size_t(row)];
    return QRect(0, item.y - verticalScrollBar()->value(), viewport()->width(), item.height);
}

QList<hslui::AccessibleElement> ConversationView::messageElements(int row) const {
    if (row < 0 || row >= int(m_items.size()))
        return {};
    const Item &item = *m_items[size_t(row)];
    const QPoint offset = bubbleRect(item).topLeft() - QPoint(0, verticalScrollBar()->value());
    QList<hslui::AccessibleElement> elements = item.layout->accessibleElements();
    for (hslui::AccessibleElement &e : elements)
        e.rect.translate(offset);
    return elements;
}

bool ConversationView::pressElement(int row, int element) {
    const qint64 seq = messageSeq(row);
    QList<hslui::AccessibleElement> elements = messageElements(row);
    if (element < 0 || element >= elements.size())
        return false;
    // Off screen, the element is brought in first, as an agent would scroll to it.
    if (!viewport()->rect().contains(elements.at(element).rect.center())) {
        verticalScrollBar()->setValue(verticalScrollBar()->value() +
                                      elements.at(element).rect.center().y() -
                                      viewport()->height() / 2);
        // Near the top that pages older messages in above it: find it again.
        row = rowOfSeq(seq);
        elements = messageElements(row);
        if (element >= elements.size())
            return false;
    }
    const QRect rect = elements.at(element).rect;
    const Item &item = *m_items[size_t(row)];
    const hslui::HitTarget target = item.layout->hitTest(toBubble(item, rect.center()));
    setFocusedMessage(row);
    if (target.kind == hslui::HitTarget::QuickReply) {
        // The end user's to tap: say what it would do, as hovering does.
        QToolTip::showText(viewport()->mapToGlobal(rect.bottomLeft()), target.tooltip, viewport());
        return true;
    }
    if (target.kind == hslui::HitTarget::None || target.kind == hslui::HitTarget::Text)
        return false;
    // Later: a link asks before it opens, and that dialog must not run inside
    // the assistive technology's call.
    QMetaObject::invokeMethod(
        this,
        [this, seq, target] {
            if (const int now = rowOfSeq(seq); now >= 0)
                activate(now, target);
        },
        Qt::QueuedConnection);
    return true;
}

void ConversationView::setFocusedMessage(int row) {
    if (row < 0 || row >= int(m_items.size()) || row == m_focusItem)
        return;
    m_focusItem = row;
    const Item &item = *m_items[size_t(row)];
    if (item.y < verticalScrollBar()->value())
        verticalScrollBar()->setValue(item.y);
    else if (item.y + item.height > verticalScrollBar()->value() + viewport()->height())
        verticalScrollBar()->setValue(item.y + item.height - viewport()->height());
    viewport()->update();
    notifyAccessibleFocus();
}

void ConversationView::notifyAccessibleFocus() {
    if (!QAccessible::isActive() || m_focusItem < 0 || !hasFocus())
        return;
    QAccessibleInterface *view = QAccessible::queryAccessibleInterface(this);
    if (QAccessibleInterface *message = view ? view->child(m_focusItem) : nullptr) {
        QAccessibleEvent event(message, QAccessible::Focus);
        QAccessible::updateAccessibility(&event);
    }
}

void ConversationView::layoutItems(int fromIndex) {
    const int width = viewport()->width() - 2 * kMargin;
    const QFontMetrics small(m_theme.smallFont);
    int y = fromIndex > 0 && fromIndex <= int(m_items.size())
                ? m_items[size_t(fromIndex - 1)]->y + m_items[size_t(fromIndex - 1)]->height
                : 0;
    if (fromIndex <= 0) {
        fromIndex = 0;
        y = kGap;
    }
    for (size_t i = size_t(fromIndex); i < m_items.size(); ++i) {
        Item &item = *m_items[i];
        item.daySeparator = i == 0 || m_items[i - 1]->day != item.day;
        item.layout->layout(std::max(120, width), m_theme);
        int h = 0;
        if (item.daySeparator)
            h += kDayRowHeight;
        h += small.height() + kChromeGap; // who and when
        item.bubbleTop = h;
        h += item.layout->height();
        item.retryRect = item.cancelRect = QRect();
        if (item.outgoing) {
            h += kChromeGap + small.height(); // delivery state
            if (item.outboxState == 2) {      // failed: offer retry and cancel
                const int right = width + kMargin - m_theme.margin;
                const QString cancel = tr("Cancel"), retry = tr("Retry");
                item.cancelRect = QRect(right - small.horizontalAdvance(cancel), h - small.height(),
                                        small.horizontalAdvance(cancel), small.height());
                item.retryRect =
                    QRect(item.cancelRect.left() - 12 - small.horizontalAdvance(retry),
                          h - small.height(), small.horizontalAdvance(retry), small.height());
            }
        }
        item.y = y;
        item.height = h + kGap;
        y += item.height;
    }
    m_layoutWidth = viewport()->width();
    updateScrollBar();
}

int ConversationView::contentHeight() const {
    return m_items.empty() ? 0 : m_items.back()->y + m_items.back()->height;
}

void ConversationView::updateScrollBar() {
    QScrollBar *bar = verticalScrollBar();
    bar->setPageStep(viewport()->height());
    bar->setSingleStep(40);
    bar->setRange(0, std::max(0, contentHeight() - viewport()->height()));
}

bool ConversationView::isAtBottom() const {
    return verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 4;
}

void ConversationView::scrollToBottom() {
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
    m_stickToBottom = true;
    setUnseen(0);
}

void ConversationView::setUnseen(int count) {
    if (m_unseen == count)
        return;
    m_unseen = count;
    emit unseenCountChanged(count);
}

void ConversationView::scrollContentsBy(int, int) {
    m_stickToBottom = isAtBottom();
    if (m_stickToBottom)
        setUnseen(0);
    maybeFetchOlder();
    viewport()->update();
}

void ConversationView::maybeFetchOlder() {
    // Telegram's rule: fetch more history when less than two screens remain above.
    if (!m_model || m_fetchingOlder || verticalScrollBar()->value() > 2 * viewport()->height())
        return;
    if (!m_model->canFetchOlder())
        return;
    m_fetchingOlder = true;
    m_model->fetchOlder();
    m_fetchingOlder = false;
}

void ConversationView::resizeEvent(QResizeEvent *event) {
    QAbstractScrollArea::resizeEvent(event);
    const bool atBottom = m_stickToBottom;
    if (viewport()->width() != m_layoutWidth)
        layoutItems();
    else
        updateScrollBar();
    if (atBottom)
        scrollToBottom();
}

int ConversationView::itemAt(int contentY) const {
    auto it =
        std::upper_bound(m_items.begin(), m_items.end(), contentY,
                         [](int y, const std::unique_ptr<Item> &item) { return y < item->y; });
    if (it == m_items.begin())
        return -1;
    const int index = int(std::distance(m_items.begin(), it)) - 1;
    const Item &item = *m_items[size_t(index)];
    return contentY < item.y + item.height ? index : -1;
}

QRect ConversationView::bubbleRect(const Item &item) const {
    const QSize size = item.layout->size();
    int x = kMargin;
    if (item.role == hslui::Role::Agent)
        x = viewport()->width() - kMargin - size.width();
    else if (item.role == hslui::Role::System)
        x = (viewport()->width() - size.width()) / 2;
    return QRect(QPoint(x, item.y + item.bubbleTop), size);
}

QPoint ConversationView::toBubble(const Item &item, const QPoint &viewportPos) const {
    const QPoint content(viewportPos.x(), viewportPos.y() + verticalScrollBar()->value());
    return content - bubbleRect(item).topLeft();
}

void ConversationView::paintEvent(QPaintEvent *) {
    QPainter p(viewport());
    p.fillRect(viewport()->rect(), m_theme.window);
    if (m_items.empty()) {
        p.setPen(m_theme.secondaryText);
        p.setFont(m_theme.font);
        p.drawText(viewport()->rect(), Qt::AlignCenter,
                   m_model && !m_model->thread().userId.isEmpty()
                       ? tr("No messages in this conversation yet")
                       : tr("Choose a conversation on the left"));
        return;
    }
    const int top = verticalScrollBar()->value();
    const int bottom = top + viewport()->height();
    p.translate(0, -top);
    const QFontMetrics small(m_theme.smallFont);
    int first = std::max(0, itemAt(top));
    for (size_t i = size_t(first); i < m_items.size() && m_items[i]->y < bottom; ++i) {
        const Item &item = *m_items[i];
        int y = item.y;
        p.setFont(m_theme.smallFont);
        if (item.daySeparator) {
            const QString day = QLocale().toString(item.day, QLocale::LongFormat);
            p.setPen(m_theme.secondaryText);
            p.drawText(QRect(0, y, viewport()->width(), kDayRowHeight), Qt::AlignCenter, day);
            y += kDayRowHeight;
        }
        const QRect bubble = bubbleRect(item);
        const Qt::Alignment align = item.role == hslui::Role::Agent    ? Qt::AlignRight
                                    : item.role == hslui::Role::System ? Qt::AlignHCenter
                                                                       : Qt::AlignLeft;
        p.setPen(m_theme.secondaryText);
        // The layout keeps theme.margin around its bubble; line the chrome up with the bubble.
        const int inset = kMargin + m_theme.margin;
        p.drawText(QRect(inset, y, viewport()->width() - 2 * inset, small.height()),
                   align | Qt::AlignVCenter, chromeText(item));
        const hslui::Selection sel = int(i) == m_selItem ? m_selection : hslui::Selection{};
        item.layout->paint(&p, bubble.topLeft(), m_theme, &hslui::ImageCache::instance(), sel);
        if (item.outgoing) {
            const QRect state(inset, bubble.bottom() + kChromeGap, viewport()->width() - 2 * inset,
                              small.height());
            const QString text = deliveryText(item);
            if (item.outboxState == 2) {
                p.setPen(QColor(0xdc, 0x26, 0x26));
                const QRect textRect =
                    state.adjusted(0, 0, -(state.right() - item.retryRect.left() + 12), 0);
                p.drawText(textRect, Qt::AlignRight | Qt::AlignVCenter,
                           small.elidedText(text, Qt::ElideRight, textRect.width()));
                p.setPen(m_theme.link);
                p.drawText(item.retryRect.translated(0, item.y), Qt::AlignCenter, tr("Retry"));
                p.drawText(item.cancelRect.translated(0, item.y), Qt::AlignCenter, tr("Cancel"));
            } else {
                p.setPen(m_theme.secondaryText);
                p.drawText(state, Qt::AlignRight | Qt::AlignVCenter, text);
            }
        }
    }
}

void ConversationView::mousePressEvent(QMouseEvent *event) {
    const int index = itemAt(event->position().toPoint().y() + verticalScrollBar()->value());
    if (index < 0 || event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const Item &item = *m_items[size_t(index)];
    const QPoint inItem(event->position().toPoint().x(),
                        event->position().toPoint().y() + verticalScrollBar()->value() - item.y);
    if (item.retryRect.contains(inItem)) {
        emit retryRequested(item.outboxId);
        return;
    }
    if (item.cancelRect.contains(inItem)) {
        emit cancelRequested(item.outboxId);
        return;
    }
    const QPoint local = toBubble(item, event->position().toPoint());
    const hslui::HitTarget target = item.layout->hitTest(local);
    if (target.kind == hslui::HitTarget::Text) {
        m_selItem = index;
        m_selection = {target.textOffset, target.textOffset};
        m_selecting = true;
    } else {
        m_selItem = -1;
        activate(index, target);
    }
    m_focusItem = index;
    viewport()->update();
}

void ConversationView::mouseMoveEvent(QMouseEvent *event) {
    if (m_selecting && m_selItem >= 0 && m_selItem < int(m_items.size())) {
        const Item &item = *m_items[size_t(m_selItem)];
        const hslui::HitTarget target =
            item.layout->hitTest(toBubble(item, event->position().toPoint()));
        if (target.kind == hslui::HitTarget::Text) {
            m_selection.end = target.textOffset;
            viewport()->update();
        }
        return;
    }
    const int index = itemAt(event->position().toPoint().y() + verticalScrollBar()->value());
    Qt::CursorShape shape = Qt::ArrowCursor;
    if (index >= 0) {
        const Item &item = *m_items[size_t(index)];
        const auto kind = item.layout->hitTest(toBubble(item, event->position().toPoint())).kind;
        if (kind == hslui::HitTarget::Link || kind == hslui::HitTarget::Actionable ||
            kind == hslui::HitTarget::RawJsonToggle)
            shape = Qt::PointingHandCursor;
        else if (kind == hslui::HitTarget::Text)
            shape = Qt::IBeamCursor;
    }
    viewport()->setCursor(shape);
}

void ConversationView::mouseReleaseEvent(QMouseEvent *event) {
    m_selecting = false;
    QAbstractScrollArea::mouseReleaseEvent(event);
}

void ConversationView::activate(int index, const hslui::HitTarget &target) {
    switch (target.kind) {
    case hslui::HitTarget::Link:
    case hslui::HitTarget::Actionable:
    case hslui::HitTarget::CardImage:
        if (target.url.isValid())
            openLink(target.url);
        break;
    case hslui::HitTarget::RawJsonToggle: {
        MessageLayoutPtr &layout = m_items[size_t(index)]->layout;
        layout->setRawJsonVisible(!layout->rawJsonVisible());
        layoutItems(index);
        break;
    }
    default:
        break; // quick replies are the end user's to tap; their tooltip says so
    }
}

void ConversationView::openLink(const QUrl &url) {
    if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        return; // links come from untrusted messages: nothing but the web
    const auto answer = QMessageBox::question(
        this, tr("Open link"),
        tr("Open this link on %1 in your browser?\n\n%2").arg(url.host(), url.toDisplayString()));
    if (answer == QMessageBox::Yes)
        QDesktopServices::openUrl(url);
}

void ConversationView::keyPressEvent(QKeyEvent *event) {
    if (event->matches(QKeySequence::Copy) && m_selItem >= 0 && m_selItem < int(m_items.size())) {
        QApplication::clipboard()->setText(
            m_items[size_t(m_selItem)]->layout->selectedText(m_selection));
        return;
    }
    if ((event->key() == Qt::Key_Up || event->key() == Qt::Key_Down) && !m_items.empty()) {
        // Move through messages one by one, so a screen reader reads each.
        const int last = int(m_items.size()) - 1;
        setFocusedMessage(
            m_focusItem < 0
                ? last
                : std::clamp(m_focusItem + (event->key() == Qt::Key_Up ? -1 : 1), 0, last));
        setAccessibleDescription(messageAccessibleText(m_focusItem));
        return;
    }
    if (event->key() == Qt::Key_End) {
        scrollToBottom();
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

void ConversationView::contextMenuEvent(QContextMenuEvent *event) {
    const int index = itemAt(event->pos().y() + verticalScrollBar()->value());
    if (index < 0)
        return;
    Item &item = *m_items[size_t(index)];
    QMenu menu(this);
    if (m_selItem == index && m_selection.start != m_selection.end) {
        menu.addAction(tr("Copy selection"), this, [this, index] {
            QApplication::clipboard()->setText(
                m_items[size_t(index)]->layout->selectedText(m_selection));
        });
    }
    menu.addAction(tr("Copy message text"), this,
                   [&item] { QApplication::clipboard()->setText(item.layout->plainText()); });
    menu.addAction(tr("Copy message JSON"), this, [&item] {
        QApplication::clipboard()->setText(
            QString::fromUtf8(QJsonDocument(item.body).toJson(QJsonDocument::Indented)));
    });
    menu.addAction(tr("Show raw JSON"), this, [this, &item, index] {
        item.layout->setRawJsonVisible(!item.layout->rawJsonVisible());
        layoutItems(index);
        viewport()->update();
    });
    menu.exec(event->globalPos());
}

bool ConversationView::viewportEvent(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int index = itemAt(help->pos().y() + verticalScrollBar()->value());
        if (index >= 0) {
            const Item &item = *m_items[size_t(index)];
            const hslui::HitTarget target = item.layout->hitTest(toBubble(item, help->pos()));
            const QString tip = target.tooltip.isEmpty() ? chromeText(item) : target.tooltip;
            QToolTip::showText(help->globalPos(), tip, viewport());
            return true;
        }
        QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

void ConversationView::changeEvent(QEvent *event) {
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        updateTheme();
    QAbstractScrollArea::changeEvent(event);
}

void ConversationView::updateTheme() {
    m_theme = hslui::Theme::fromPalette(palette());
    layoutItems();
    viewport()->update();
}

} // namespace ui
