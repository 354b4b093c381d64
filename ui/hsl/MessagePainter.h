#pragma once

#include "models/hsl/Message.h"
#include "ui/hsl/LayoutData.h"
#include "ui/hsl/MessageLayout.h"
#include "ui/hsl/Theme.h"

class QPainter;

// Paints LayoutData: box backgrounds (bubbles, chips, buttons, cards, images
// or their placeholders), then the text blocks, then the selection.
namespace hslui {

class ImageCache;

class MessagePainter {
public:
    MessagePainter(const LayoutData &data, Role role, const Theme &theme, ImageCache *images);
    void paint(QPainter *p, const QPoint &topLeft, const Selection &sel) const;

private:
    void paintBox(QPainter *p, const Box &box, const QRect &clipCard) const;
    void paintImage(QPainter *p, const Box &box, const QRect &card) const;
    void paintPlaceholder(QPainter *p, const QRect &r) const;
    void paintVideo(QPainter *p, const QRect &r) const;
    QColor color(ColorRole role) const;

    const LayoutData &d;
    Role m_role;
    const Theme &t;
    ImageCache *m_images;
};

} // namespace hslui
