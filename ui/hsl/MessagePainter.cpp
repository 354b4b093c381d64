#include "ui/hsl/MessagePainter.h"

#include "ui/hsl/ImageCache.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace hslui {

namespace {

QRectF crisp(const QRect &r) {
    return QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5);
}

void roundedBox(QPainter *p, const QRect &r, qreal radius, const QColor &fill,
                const QColor &border) {
    p->setPen(border.alpha() ? QPen(border, 1) : QPen(Qt::NoPen));
    p->setBrush(fill.alpha() ? QBrush(fill) : QBrush(Qt::NoBrush));
    p->drawRoundedRect(crisp(r), radius, radius);
}

// The picture scaled to cover `size`, cropped to its centre.
QImage cover(const QImage &image, const QSize &size) {
    const QImage scaled =
        image.scaled(size, Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
    const QPoint offset((scaled.width() - size.width()) / 2, (scaled.height() - size.height()) / 2);
    return scaled.copy(QRect(offset, size));
}

constexpr qreal kCardRadius = 10;

} // namespace

MessagePainter::MessagePainter(const LayoutData &data, Role role, const Theme &theme,
                               ImageCache *images)
    : d(data)
    , m_role(role)
    , t(theme)
    , m_images(images) {}

QColor MessagePainter::color(ColorRole role) const {
    switch (role) {
    case ColorRole::Text:
        return t.text;
    case ColorRole::Secondary:
        return t.secondaryText;
    case ColorRole::Link:
        return t.link;
    case ColorRole::Chip:
        return t.chipText;
    }
    return t.text;
}

void MessagePainter::paint(QPainter *p, const QPoint &topLeft, const Selection &selection) const {
    p->save();
    p->translate(topLeft);
    p->setRenderHint(QPainter::Antialiasing, true);
    p->setRenderHint(QPainter::TextAntialiasing, true);
    p->setRenderHint(QPainter::SmoothPixmapTransform, true);
    QRect card;
    for (const Box &box : d.boxes) {
        if (box.kind == BoxKind::Card)
            card = box.rect;
        paintBox(p, box, card);
    }
    const Selection sel = selection.normalized();
    for (const PlacedText &pt : d.texts) {
        TextBlock::Paint how;
        how.font = d.font(pt.font);
        how.color = color(pt.color);
        how.link = t.link;
        how.selection = t.selection;
        if (pt.base >= 0 && !sel.isEmpty()) {
            how.selStart = std::clamp(sel.start - pt.base, 0, pt.block.length());
            how.selEnd = std::clamp(sel.end - pt.base, 0, pt.block.length());
        }
        pt.block.paint(p, pt.pos, how);
    }
    p->restore();
}

void MessagePainter::paintBox(QPainter *p, const Box &box, const QRect &card) const {
    const QRect &r = box.rect;
    switch (box.kind) {
    case BoxKind::Bubble:
        roundedBox(p, r, t.bubbleRadius, t.bubble(m_role), t.bubbleBorder);
        break;
    case BoxKind::Notice:
        roundedBox(p, r, std::min(r.height() / 2, 12), t.bubbleSystem, t.bubbleBorder);
        break;
    case BoxKind::Chip:
        roundedBox(p, r, std::min(r.height() / 2, 16), t.chipFill, t.chipBorder);
        break;
    case BoxKind::Button:
        roundedBox(p, r, 8, t.chipFill, t.chipBorder);
        break;
    case BoxKind::Card:
        roundedBox(p, r, kCardRadius, t.cardBackground, t.cardBorder);
        break;
    case BoxKind::Image:
    case BoxKind::Video:
        paintImage(p, box, card);
        break;
    case BoxKind::Tag:
        roundedBox(p, r, 4, Qt::transparent, t.secondaryText);
        break;
    case BoxKind::RawToggle:
        break;
    case BoxKind::RawPanel:
        roundedBox(p, r, 6, t.window, t.cardBorder);
        break;
    case BoxKind::Field:
        roundedBox(p, r, 6, t.cardBackground, t.cardBorder);
        break;
    }
}

void MessagePainter::paintImage(QPainter *p, const Box &box, const QRect &card) const {
    const auto *c = static_cast<const hsl::CarouselCard *>(box.ref);
    const QRect &r = box.rect;
    p->save();
    if (card.isValid()) {
        // The card's rounded corners clip the picture's top.
        QPainterPath clip;
        clip.addRoundedRect(crisp(card), kCardRadius, kCardRadius);
        p->setClipPath(clip);
    }
    if (box.kind == BoxKind::Video) {
        paintVideo(p, r);
    } else {
        const QUrl url(c->imageUrl);
        auto it = std::find_if(d.scaled.begin(), d.scaled.end(), [&](const ScaledImage &s) {
            return s.url == url && s.size == r.size();
        });
        if (it == d.scaled.end() && m_images) {
            const QImage full = m_images->image(url);
            if (!full.isNull())
                it = d.scaled.insert(d.scaled.end(),
                                     ScaledImage{url, r.size(), cover(full, r.size())});
        }
        if (it != d.scaled.end())
            p->drawImage(r.topLeft(), it->image);
        else
            paintPlaceholder(p, r);
    }
    // A hairline between the picture and the card's text.
    if (card.isValid() && r.bottom() < card.bottom()) {
        p->setPen(QPen(t.cardBorder, 1));
        p->drawLine(QPointF(r.left(), r.bottom() + 0.5), QPointF(r.right() + 1, r.bottom() + 0.5));
    }
    p->restore();
}

void MessagePainter::paintPlaceholder(QPainter *p, const QRect &r) const {
    p->fillRect(r, t.placeholder);
    // A small "picture" glyph: a frame, a sun and a hill.
    const int s = std::clamp(std::min(r.width(), r.height()) / 3, 16, 40);
    const QRectF icon(r.center().x() - s / 2.0, r.center().y() - s * 0.4, s, s * 0.8);
    p->setPen(QPen(t.placeholderIcon, 2));
    p->setBrush(Qt::NoBrush);
    p->drawRoundedRect(icon, 3, 3);
    p->setPen(Qt::NoPen);
    p->setBrush(t.placeholderIcon);
    p->drawEllipse(QPointF(icon.left() + s * 0.3, icon.top() + s * 0.25), s * 0.08, s * 0.08);
    QPainterPath hill;
    hill.moveTo(icon.left() + 3, icon.bottom() - 3);
    hill.lineTo(icon.left() + s * 0.4, icon.top() + s * 0.4);
    hill.lineTo(icon.left() + s * 0.6, icon.top() + s * 0.55);
    hill.lineTo(icon.left() + s * 0.75, icon.top() + s * 0.45);
    hill.lineTo(icon.right() - 3, icon.bottom() - 3);
    hill.closeSubpath();
    p->drawPath(hill);
}

void MessagePainter::paintVideo(QPainter *p, const QRect &r) const {
    const QColor tile = t.isDark ? QColor(0x05, 0x06, 0x08) : QColor(0x1E, 0x21, 0x27);
    p->fillRect(r, tile);
    const qreal radius = std::clamp(std::min(r.width(), r.height()) / 6.0, 14.0, 30.0);
    const QPointF c = QRectF(r).center();
    p->setPen(Qt::NoPen);
    p->setBrush(QColor(255, 255, 255, 0xE0));
    p->drawEllipse(c, radius, radius);
    QPainterPath play;
    play.moveTo(c.x() - radius * 0.3, c.y() - radius * 0.45);
    play.lineTo(c.x() + radius * 0.5, c.y());
    play.lineTo(c.x() - radius * 0.3, c.y() + radius * 0.45);
    play.closeSubpath();
    p->setBrush(tile);
    p->drawPath(play);
}

} // namespace hslui
