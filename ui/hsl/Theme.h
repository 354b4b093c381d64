#pragma once

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QtGlobal>

// Colours, fonts and metrics of the painted HSL renderer. A value type: the
// conversation view keeps one and hands it to MessageLayout::layout()/paint().
// Layouts are cached per (width, generation), so anything that changes
// geometry (fonts, metrics) must come with a new generation: the factories
// take a fresh one, and touch() takes another after an edit.
namespace hslui {

// Who sent the message; decides the bubble colour and side.
enum class Role : quint8 {
    EndUser, // left
    Bot,     // left, distinct colour
    Agent,   // right
    System,  // centred
};

// A process-wide counter; every call returns a larger number than the last.
quint64 nextThemeGeneration();

struct Theme {
    bool isDark = false;

    QColor window; // the view's background (renderMessage fills with it)
    QColor bubbleEndUser;
    QColor bubbleBot;
    QColor bubbleAgent;
    QColor bubbleSystem;
    QColor bubbleBorder; // hairline around bubbles (transparent when not wanted)
    QColor text;
    QColor secondaryText;
    QColor link;
    QColor chipBorder; // quick reply chips and buttons
    QColor chipFill;
    QColor chipText;
    QColor cardBackground;
    QColor cardBorder;
    QColor placeholder; // image placeholder while loading or after a failure
    QColor placeholderIcon;
    QColor selection; // selection background (translucent)

    QFont font;      // body text
    QFont smallFont; // captions, notices, tags
    QFont titleFont; // card and form titles (bold body font)
    QFont monoFont;  // raw JSON

    int margin = 8;         // between the view's edge and a bubble
    int spacing = 6;        // between elements
    int bubblePadding = 10; // inside bubbles and cards
    int bubbleRadius = 12;
    double maxBubbleWidthFraction = 0.8; // of the view width

    quint64 generation = 0;

    QColor bubble(Role role) const;

    // Takes a new generation: call after changing any member.
    void touch() { generation = nextThemeGeneration(); }
    // Sets the body font (small and mono follow it) and takes a new generation.
    void setFont(const QFont &base);

    static Theme light();
    static Theme dark();
    // Light or dark by the lightness of the palette's window colour; the
    // window, selection and font come from the system.
    static Theme fromPalette(const QPalette &palette);
};

} // namespace hslui
