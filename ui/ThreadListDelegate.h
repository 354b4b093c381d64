#pragma once

#include <QStyledItemDelegate>

namespace ui {

// Paints a thread row the way agents scan them: who (and on which platform),
// what state and who owns it (in a team: which agent holds it, or that it is
// queued), the last message, unread count, and how long the
// end user has been waiting, shading from neutral to red over five minutes
// (Haptik's own priority colouring).
class ThreadListDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Neutral at 0, fully red at 5 minutes.
    static QColor waitingColor(qint64 waitedSeconds, const QPalette &palette);
    static QString waitingText(qint64 waitedSeconds);
};

} // namespace ui
