#pragma once

#include <QColor>
#include <QPalette>

// State accents shared by the panels. Everything else comes from palette roles;
// these few colours carry meaning (success, refusal, waiting too long), so each
// has a light-palette and a dark-palette variant chosen for contrast against
// the palette's own window/base colours.
namespace ui::accents {

inline bool isDark(const QPalette &p) {
    return p.color(QPalette::Window).lightness() < 128;
}

inline QColor success(const QPalette &p) {
    return isDark(p) ? QColor(0x6c, 0xc7, 0x80) : QColor(0x1e, 0x7b, 0x34);
}
inline QColor error(const QPalette &p) {
    return isDark(p) ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
}
inline QColor warning(const QPalette &p) {
    return isDark(p) ? QColor(0xf0, 0xb4, 0x4c) : QColor(0xa1, 0x5c, 0x00);
}
inline QColor info(const QPalette &p) {
    return isDark(p) ? QColor(0x79, 0xb8, 0xff) : QColor(0x1a, 0x5f, 0xb4);
}
inline QColor neutral(const QPalette &p) {
    return p.color(QPalette::PlaceholderText);
}

// Linear blend of two colours, t in [0, 1].
inline QColor mix(const QColor &a, const QColor &b, double t) {
    t = qBound(0.0, t, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// Black or white, whichever reads better on `background`.
inline QColor textOn(const QColor &background) {
    // Relative luminance per WCAG (sRGB approximated by the squared channel).
    const double l = 0.2126 * background.redF() * background.redF() +
                     0.7152 * background.greenF() * background.greenF() +
                     0.0722 * background.blueF() * background.blueF();
    return l > 0.18 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace ui::accents
