#pragma once

#include "ui/hsl/MessageLayout.h"
#include "ui/hsl/Theme.h"

#include <QAbstractScrollArea>
#include <QHash>
#include <QPointer>
#include <memory>
#include <vector>

namespace tract::views {
class ConversationModel;
}

namespace ui {

// The thread, painted (Chatterino's ChannelView split): one hslui::MessageLayout
// per message, laid out once per width/theme, plus the chrome around it (day
// separators, who and when, delivery state). Keeps the reader's place: new
// messages scroll in only when the view is at the bottom; otherwise it counts
// them ("N new messages"). Near the top it asks the model for older pages.
class ConversationView : public QAbstractScrollArea {
    Q_OBJECT
public:
    explicit ConversationView(QWidget *parent = nullptr);
    ~ConversationView() override;

    void setModel(tract::views::ConversationModel *model);
    tract::views::ConversationModel *model() const;
    void setEndUserName(const QString &name) { m_endUserName = name; }
    void scrollToBottom();
    bool isAtBottom() const;
    int unseenCount() const { return m_unseen; }
    // The line under an outgoing message as painted ("Sending…", "✓ Sent",
    // "⚠ Not delivered: <reason>", "Cancelled"); empty for received messages.
    QString deliveryText(int row) const;
    // Where a failed reply's Retry and Cancel links are, in viewport
    // coordinates; empty when the row offers none.
    QRect retryLinkRect(int row) const;
    QRect cancelLinkRect(int row) const;

    // For assistive technology (ConversationAccessible): the messages as
    // painted, their elements (chips, buttons, cards...) in viewport
    // coordinates, and the element's action, as a click would do it.
    int messageCount() const { return int(m_items.size()); }
    qint64 messageSeq(int row) const;
    int rowOfSeq(qint64 seq) const; // -1 when not in the window
    QString messageAccessibleText(int row) const;
    QRect messageRect(int row) const;
    QList<hslui::AccessibleElement> messageElements(int row) const;
    bool pressElement(int row, int element);
    int focusedMessage() const { return m_focusItem; }
    void setFocusedMessage(int row);

signals:
    void unseenCountChanged(int count);
    void retryRequested(qint64 outboxId);
    void cancelRequested(qint64 outboxId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Item;
    void rebuild();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsAboutToBeRemoved(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    std::unique_ptr<Item> makeItem(int row) const;
    void layoutItems(int fromIndex = 0);
    int contentHeight() const;
    void updateScrollBar();
    void maybeFetchOlder();
    int itemAt(int contentY) const;
    QRect bubbleRect(const Item &item) const;
    QPoint toBubble(const Item &item, const QPoint &viewportPos) const;
    void activate(int index, const hslui::HitTarget &target);
    void openLink(const QUrl &url);
    void setUnseen(int count);
    void updateTheme();
    QString chromeText(const Item &item) const;
    QString deliveryText(const Item &item) const;
    void notifyAccessibleFocus();

    QPointer<tract::views::ConversationModel> m_model;
    std::vector<std::unique_ptr<Item>> m_items; // parallel to the model's rows
    hslui::Theme m_theme;
    QString m_endUserName;
    int m_layoutWidth = 0;
    int m_unseen = 0;
    bool m_stickToBottom = true;
    bool m_fetchingOlder = false;
    // Selection inside one message.
    int m_selItem = -1;
    hslui::Selection m_selection;
    bool m_selecting = false;
    int m_focusItem = -1; // keyboard focus, for screen readers
    // seq -> row, rebuilt on the next lookup after the rows change: rows are in
    // (order_key, seq) order, so seq alone is not sorted.
    mutable QHash<qint64, int> m_rowOfSeq;
    mutable bool m_rowOfSeqStale = true;
};

} // namespace ui
