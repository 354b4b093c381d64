#pragma once

#include "models/hsl/Message.h"
#include "ui/hsl/Theme.h"

#include <QCoreApplication>
#include <QImage>
#include <QPoint>
#include <QRect>
#include <QSize>
#include <QString>
#include <QUrl>
#include <cstddef>
#include <memory>

class QPainter;

// One painted HSL message (the Chatterino split): the conversation view owns a
// MessageLayout per visible message, calls layout(width, theme) before painting
// (cheap when nothing changed: the geometry is cached per width and theme
// generation) and paint() in its paintEvent. No widgets, no HTML: text is drawn
// literally with QPainter. Coordinates are relative to the layout's top-left.
namespace hslui {

class ImageCache;
class LayoutData;

// Character offsets across the message's selectable text (plainText()).
struct Selection {
    int start = 0;
    int end = 0;
    bool isEmpty() const { return start == end; }
    Selection normalized() const { return start <= end ? *this : Selection{end, start}; }
};

struct TextPosition {
    int offset = -1; // in plainText(); -1 when the layout has no selectable text
    bool isValid() const { return offset >= 0; }
};

struct HitTarget {
    enum Kind { None, Text, Link, Actionable, QuickReply, CardImage, RawJsonToggle };
    Kind kind = None;
    QUrl url;        // Link, an actionable opening a URL, a card image or video
    QString tooltip; // always set for everything but None and plain Text
    const hsl::Actionable *actionable = nullptr; // Actionable, QuickReply (owned by the message)
    QRect rect;                                  // the element, layout coordinates
    int textOffset = -1;                         // Text, Link: position in plainText()

    // The host to show before opening url (the view confirms links).
    QString host() const { return url.host(); }
};

// An element for assistive technology (one per chip, button, card, image...).
struct AccessibleElement {
    QRect rect;
    QString text;
    HitTarget::Kind kind = HitTarget::None;
    bool card = false; // a carousel card: the elements inside its rect are its own
};

class MessageLayout {
    Q_DECLARE_TR_FUNCTIONS(MessageLayout)
public:
    MessageLayout(std::shared_ptr<const hsl::Message> message, Role role);
    ~MessageLayout();
    MessageLayout(const MessageLayout &) = delete;
    MessageLayout &operator=(const MessageLayout &) = delete;

    // Recomputes the geometry if the width or theme.generation changed since
    // the last call (or setRawJsonVisible() changed something). Returns whether
    // it did.
    bool layout(int width, const Theme &theme);
    int height() const;
    int width() const;
    QSize size() const;

    void paint(QPainter *p, const QPoint &topLeft, const Theme &theme, ImageCache *images,
               const Selection &sel = {}) const;

    HitTarget hitTest(const QPoint &pos) const;
    QString accessibleText() const;
    QList<AccessibleElement> accessibleElements() const;

    // Selection: offsets into plainText() (every selectable text of the
    // message, in reading order, joined with "\n").
    TextPosition positionAt(const QPoint &pos) const;
    QString selectedText(const Selection &sel) const;
    QString plainText() const;

    // Unknown/Invalid messages: show the JSON as received under the bubble.
    // Marks the layout dirty; call layout() again.
    void setRawJsonVisible(bool visible);
    bool rawJsonVisible() const { return m_rawVisible; }
    bool hasRawJson() const;

    // Drops scaled image copies kept for painting (call when off-screen).
    void releaseImages();

    const hsl::Message &message() const { return *m_message; }
    const std::shared_ptr<const hsl::Message> &messagePtr() const { return m_message; }
    Role role() const { return m_role; }

    // Bytes owned by this layout: sizeof(*this) plus the heap blocks it owns
    // (element and fragment arrays, scaled images). The message's text is
    // shared with hsl::Message and not counted.
    std::size_t memoryUsage() const;

private:
    std::shared_ptr<const hsl::Message> m_message;
    std::unique_ptr<LayoutData> m_data;
    quint64 m_generation = 0;
    qint32 m_width = -1;
    Role m_role;
    bool m_rawVisible = false;
};

// Lays out and paints one message on theme.window, exactly as the view does.
// Images get up to imageWaitMs to load (null images: ImageCache::instance()).
QImage renderMessage(const hsl::Message &m, int width, const Theme &theme, Role role = Role::Bot,
                     ImageCache *images = nullptr, int imageWaitMs = 3000);

} // namespace hslui
