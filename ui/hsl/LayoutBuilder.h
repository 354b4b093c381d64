#pragma once

#include "models/hsl/Message.h"
#include "ui/hsl/LayoutData.h"
#include "ui/hsl/Theme.h"

#include <QCoreApplication>

// Turns one hsl::Message into LayoutData for a given width and theme: one
// builder per kind, plus the shared pieces (a text bubble, a row of chips, a
// stack of buttons, a strip of cards).
namespace hslui {

class LayoutBuilder {
    Q_DECLARE_TR_FUNCTIONS(LayoutBuilder)
public:
    LayoutBuilder(const hsl::Message &message, Role role, const Theme &theme, int width,
                  bool rawVisible, LayoutData &out);
    void build();

    // Labels shared with the painter and accessibility.
    static QString buttonLabel(const hsl::Actionable &a);
    static QString systemText(const hsl::Message &m);
    static QString noteText(const hsl::Message &m);
    static QString tagText(const hsl::Message &m);

private:
    void buildText();
    void buildButton();
    void buildCarousel();
    void buildSystem();
    void buildForm();
    void buildNote();
    void buildUnsupported();

    // Shared pieces; each returns the y below what it placed.
    int textBubble(const hsl::RichText &text, int y);
    int chipRow(const QList<hsl::Actionable> &chips, int y);
    int buttonStack(const QList<const hsl::Actionable *> &buttons, int x, int y, int width);
    int card(const hsl::CarouselCard &c, int x, int y, int width);
    int cardStrip(int y);

    int alignX(int w) const;
    TextBlock laidOut(TextBlock block, int maxWidth, FontRole font,
                      TextBlock::Align align = TextBlock::Align::Left) const;
    void place(TextBlock &&block, const QPoint &pos, FontRole font, ColorRole color,
               bool selectable);
    void addBox(BoxKind kind, const QRect &rect, const void *ref = nullptr);
    int imageHeight(const hsl::CarouselCard &c, int width) const;
    int cardWidth() const;

    const hsl::Message &m;
    Role m_role;
    const Theme &t;
    int W;
    bool m_rawVisible;
    LayoutData &out;
    int m_maxBubble;  // outer width of the widest bubble
    int m_contentMax; // text width inside it
    int m_padV;
};

} // namespace hslui
