#pragma once

#include "ui/hsl/TextBlock.h"

#include <QFont>
#include <QImage>
#include <QRect>
#include <QSize>
#include <QUrl>
#include <memory>
#include <vector>

// The geometry of one laid-out message (internal to ui/hsl): painted boxes and
// placed text blocks, in layout coordinates. Built by LayoutBuilder, painted by
// MessagePainter, queried by MessageLayout.
namespace hslui {

enum class BoxKind : unsigned char {
    Bubble,    // the message bubble
    Notice,    // SYSTEM pill
    Chip,      // quick reply (ref: hsl::Actionable)
    Button,    // button or card actionable (ref: hsl::Actionable)
    Card,      // carousel card background (ref: hsl::CarouselCard)
    Image,     // card image area (ref: hsl::CarouselCard)
    Video,     // card video tile (ref: hsl::CarouselCard)
    Tag,       // "unsupported TYPE" / "invalid message"
    RawToggle, // "Show raw JSON"
    RawPanel,  // background of the raw JSON
    Field,     // FORM field row (ref: hsl::FormField)
};

enum class FontRole : unsigned char { Base, Small, Title, Mono };
enum class ColorRole : unsigned char { Text, Secondary, Link, Chip };

struct Box {
    QRect rect;
    const void *ref = nullptr; // owned by the message (see BoxKind)
    BoxKind kind = BoxKind::Bubble;
};

struct PlacedText {
    TextBlock block;
    QPoint pos;
    qint32 base = -1; // offset of the block in the selectable text; -1: not selectable
    FontRole font = FontRole::Base;
    ColorRole color = ColorRole::Text;
};

// Scaled copies of card images, kept while the layout is on screen.
struct ScaledImage {
    QUrl url;
    QSize size;
    QImage image;
};

class LayoutData {
public:
    std::vector<Box> boxes;        // in paint order
    std::vector<PlacedText> texts; // in reading order
    QSize size;
    qint32 selectableLength = 0;
    QFont fonts[4]; // by FontRole, copied from the theme (shared, cheap)
    mutable std::vector<ScaledImage> scaled;

    const QFont &font(FontRole r) const { return fonts[static_cast<int>(r)]; }
};

} // namespace hslui
