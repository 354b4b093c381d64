#include "ui/ThreadListDelegate.h"

#include "models/views/ThreadListModel.h"

#include <QApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>

namespace ui {

namespace {

using TLM = tract::views::ThreadListModel;
constexpr int kPad = 8;
constexpr qint64 kRedAfterSeconds = 300;

QColor mix(const QColor &a, const QColor &b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor stateColor(tract::views::ThreadState state) {
    switch (state) {
    case tract::views::ThreadState::Bot:
        return QColor(0x6b, 0x72, 0x80);
    case tract::views::ThreadState::WaitingForAgent:
        return QColor(0xd9, 0x77, 0x06);
    case tract::views::ThreadState::WithMe:
        return QColor(0x16, 0xa3, 0x4a);
    case tract::views::ThreadState::WithOther:
        return QColor(0x25, 0x63, 0xeb);
    case tract::views::ThreadState::Complete:
        return QColor(0x94, 0x9c, 0xa8);
    }
    return Qt::gray;
}

} // namespace

QColor ThreadListDelegate::waitingColor(qint64 waitedSeconds, const QPalette &palette) {
    return mix(palette.color(QPalette::PlaceholderText), QColor(0xdc, 0x26, 0x26),
               double(waitedSeconds) / kRedAfterSeconds);
}

QString ThreadListDelegate::waitingText(qint64 s) {
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

QSize ThreadListDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const {
    const QFontMetrics fm(option.font);
    return QSize(260, 3 * fm.height() + 2 * kPad + 4);
}

void ThreadListDelegate::paint(QPainter *p, const QStyleOptionViewItem &option,
                               const QModelIndex &index) const {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, p, opt.widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette &pal = opt.palette;
    const QColor text = selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::Text);
    const QColor secondary =
        selected ? pal.color(QPalette::HighlightedText) : pal.color(QPalette::PlaceholderText);
    const QFontMetrics fm(opt.font);
    QFont bold = opt.font;
    bold.setBold(true);
    const QFontMetrics bfm(bold);
    QFont small = opt.font;
    small.setPointSizeF(opt.font.pointSizeF() * 0.9);
    const QFontMetrics sfm(small);

    const QRect r = opt.rect.adjusted(kPad, kPad, -kPad, -kPad);
    const int line = fm.height();
    const auto state = tract::views::ThreadState(index.data(TLM::StateRole).toInt());
    const int unread = index.data(TLM::UnreadRole).toInt();
    const QDateTime waitingSince = index.data(TLM::WaitingSinceRole).toDateTime();

    p->save();
    p->setRenderHint(QPainter::Antialiasing);

    // Line 1: name, platform, and the waiting timer on the right.
    QString name = index.data(TLM::UserNameRole).toString();
    if (name.isEmpty())
        name = index.data(TLM::UserIdRole).toString();
    const QString platform = index.data(TLM::PlatformRole).toString();
    // The waiting timer, right-aligned: a small painted clock (fonts vary in
    // which clock glyphs they have) and the time, shading to red.
    QString waiting;
    int waitingWidth = 0;
    if (waitingSince.isValid() && state != tract::views::ThreadState::Complete) {
        const qint64 waited =
            std::max<qint64>(0, waitingSince.secsTo(QDateTime::currentDateTimeUtc()));
        waiting = waitingText(waited);
        const QColor colour = selected ? text : waitingColor(waited, pal);
        const int textWidth = sfm.horizontalAdvance(waiting);
        const int d = sfm.ascent() - 2;
        const QRect clock(r.right() - textWidth - d - 4, r.top() + (line - d) / 2, d, d);
        p->setFont(small);
        p->setPen(colour);
        p->drawText(QRect(r.left(), r.top(), r.width(), line), Qt::AlignRight | Qt::AlignVCenter,
                    waiting);
        p->setPen(QPen(colour, 1.2));
        p->setBrush(Qt::NoBrush);
        p->drawEllipse(clock);
        const QPointF c = QRectF(clock).center();
        p->drawLine(c, c - QPointF(0, d * 0.32));
        p->drawLine(c, c + QPointF(d * 0.25, 0));
        waitingWidth = textWidth + d + 4 + kPad;
    }
    p->setFont(unread > 0 ? bold : opt.font);
    p->setPen(text);
    const int nameRoom = r.width() - waitingWidth -
                         (platform.isEmpty() ? 0 : sfm.horizontalAdvance(platform) + 2 * kPad);
    const QString shownName =
        (unread > 0 ? bfm : fm).elidedText(name, Qt::ElideRight, std::max(40, nameRoom));
    p->drawText(QRect(r.left(), r.top(), r.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                shownName);
    if (!platform.isEmpty()) {
        const int x = r.left() + (unread > 0 ? bfm : fm).horizontalAdvance(shownName) + kPad;
        p->setFont(small);
        p->setPen(secondary);
        p->drawText(QRect(x, r.top(), r.width(), line), Qt::AlignLeft | Qt::AlignVCenter, platform);
    }

    // Line 2: the last message, and the unread badge.
    const int y2 = r.top() + line + 2;
    int previewRight = r.right();
    if (unread > 0) {
        const QString count = unread > 99 ? QStringLiteral("99+") : QString::number(unread);
        const int w = std::max(sfm.height(), sfm.horizontalAdvance(count) + 10);
        const QRect badge(r.right() - w + 1, y2 + (line - sfm.height()) / 2, w, sfm.height());
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(0xdc, 0x26, 0x26));
        p->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
        p->setPen(Qt::white);
        p->setFont(small);
        p->drawText(badge, Qt::AlignCenter, count);
        previewRight = badge.left() - kPad;
    }
    p->setFont(opt.font);
    p->setPen(secondary);
    const QString preview = index.data(TLM::PreviewRole).toString().simplified();
    p->drawText(QRect(r.left(), y2, previewRight - r.left(), line),
                Qt::AlignLeft | Qt::AlignVCenter,
                fm.elidedText(preview, Qt::ElideRight, previewRight - r.left()));

    // Line 3: a state chip and who has the thread.
    const int y3 = y2 + line + 2;
    const QString assignee = index.data(TLM::AssigneeRole).toString();
    const bool queued = index.data(TLM::QueuedRole).toBool();
    const bool assignedToMe = index.data(TLM::AssignedToMeRole).toBool();
    const bool withTeam = !assignee.isEmpty() || queued;
    // In a team "With me" is true of every handed-off thread (the team is one
    // TRACT receiver): the chip follows the hub's assignment instead.
    const QString stateName = index.data(TLM::StateNameRole).toString();
    const bool teamNotMine =
        withTeam && state == tract::views::ThreadState::WithMe && !assignedToMe;
    const QColor fill = stateColor(teamNotMine ? tract::views::ThreadState::WithOther : state);
    const int chipW = sfm.horizontalAdvance(stateName) + 12;
    const QRect chip(r.left(), y3 + 1, chipW, sfm.height() + 2);
    p->setPen(Qt::NoPen);
    p->setBrush(fill);
    p->drawRoundedRect(chip, 4, 4);
    p->setPen(Qt::white);
    p->setFont(small);
    p->drawText(chip, Qt::AlignCenter, stateName);
    // In a team the agent holding the thread (or the queue). Otherwise the
    // owner, unless the chip already says it ("Bot", "With me"): else a bot
    // thread would read "owner: iva" only once its listeners were fetched.
    const QString owner = index.data(TLM::OwnerRole).toString();
    const QRect afterChip(chip.right() + kPad, y3, r.right() - chip.right() - kPad, line);
    if (withTeam) {
        const QString who = queued         ? tr("Queued")
                            : assignedToMe ? tr("→ you")
                                           : tr("→ %1").arg(assignee);
        p->setPen(queued && !selected ? stateColor(tract::views::ThreadState::WaitingForAgent)
                                      : secondary);
        p->drawText(afterChip, Qt::AlignLeft | Qt::AlignVCenter,
                    sfm.elidedText(who, Qt::ElideRight, afterChip.width()));
    } else if (!owner.isEmpty() && state != tract::views::ThreadState::Bot &&
               state != tract::views::ThreadState::WithMe) {
        p->setPen(secondary);
        p->drawText(QRect(chip.right() + kPad, y3, r.right() - chip.right() - kPad, line),
                    Qt::AlignLeft | Qt::AlignVCenter, tr("owner: %1").arg(owner));
    }
    p->restore();
}

} // namespace ui
