#include "ui/hsl/Theme.h"

#include "ui/hsl/FixedPitchFont.h"

#include <QGuiApplication>
#include <atomic>

namespace hslui {

quint64 nextThemeGeneration() {
    static std::atomic<quint64> counter{0};
    return ++counter;
}

namespace {

QFont defaultFont() {
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) ? QGuiApplication::font()
                                                                         : QFont();
}

void applyFonts(Theme &t, const QFont &base) {
    t.font = base;
    t.smallFont = base;
    t.titleFont = base;
    t.titleFont.setBold(true);
    if (base.pixelSize() > 0)
        t.smallFont.setPixelSize(qMax(8, base.pixelSize() * 85 / 100));
    else
        t.smallFont.setPointSizeF(qMax(6.0, base.pointSizeF() * 0.85));
    QFont mono = fixedPitchFont();
    if (base.pixelSize() > 0)
        mono.setPixelSize(qMax(8, base.pixelSize() * 90 / 100));
    else
        mono.setPointSizeF(qMax(6.0, base.pointSizeF() * 0.9));
    t.monoFont = mono;
}

} // namespace

QColor Theme::bubble(Role role) const {
    switch (role) {
    case Role::EndUser:
        return bubbleEndUser;
    case Role::Bot:
        return bubbleBot;
    case Role::Agent:
        return bubbleAgent;
    case Role::System:
        return bubbleSystem;
    }
    return bubbleBot;
}

void Theme::setFont(const QFont &base) {
    const QString monoFamily = monoFont.family(); // a caller-chosen mono family survives
    applyFonts(*this, base);
    if (!monoFamily.isEmpty())
        monoFont.setFamily(monoFamily);
    touch();
}

Theme Theme::light() {
    Theme t;
    t.isDark = false;
    t.window = QColor(0xF4, 0xF5, 0xF7);
    t.bubbleEndUser = QColor(0xFF, 0xFF, 0xFF);
    t.bubbleBot = QColor(0xE3, 0xEC, 0xFA);
    t.bubbleAgent = QColor(0xD8, 0xF1, 0xE1);
    t.bubbleSystem = QColor(0xE6, 0xE7, 0xEB);
    t.bubbleBorder = QColor(0xD5, 0xD9, 0xE0);
    t.text = QColor(0x1B, 0x1D, 0x21);
    t.secondaryText = QColor(0x56, 0x5D, 0x6A);
    t.link = QColor(0x12, 0x4F, 0xB5);
    t.chipBorder = QColor(0x7A, 0x9C, 0xD6);
    t.chipFill = QColor(0xFF, 0xFF, 0xFF);
    t.chipText = QColor(0x12, 0x4F, 0xB5);
    t.cardBackground = QColor(0xFF, 0xFF, 0xFF);
    t.cardBorder = QColor(0xD5, 0xD9, 0xE0);
    t.placeholder = QColor(0xDD, 0xE1, 0xE8);
    t.placeholderIcon = QColor(0x94, 0x9C, 0xAB);
    t.selection = QColor(0x3D, 0x7B, 0xE0, 0x60);
    applyFonts(t, defaultFont());
    t.touch();
    return t;
}

Theme Theme::dark() {
    Theme t;
    t.isDark = true;
    t.window = QColor(0x17, 0x19, 0x1D);
    t.bubbleEndUser = QColor(0x2B, 0x2E, 0x35);
    t.bubbleBot = QColor(0x1D, 0x30, 0x4F);
    t.bubbleAgent = QColor(0x1E, 0x3D, 0x2C);
    t.bubbleSystem = QColor(0x26, 0x28, 0x2E);
    t.bubbleBorder = QColor(0x33, 0x37, 0x3F);
    t.text = QColor(0xE8, 0xEA, 0xEE);
    t.secondaryText = QColor(0xA3, 0xAA, 0xB6);
    t.link = QColor(0x8A, 0xB8, 0xFF);
    t.chipBorder = QColor(0x4F, 0x74, 0xB0);
    t.chipFill = QColor(0x20, 0x24, 0x2B);
    t.chipText = QColor(0x9F, 0xC4, 0xFF);
    t.cardBackground = QColor(0x22, 0x25, 0x2B);
    t.cardBorder = QColor(0x3A, 0x3F, 0x48);
    t.placeholder = QColor(0x30, 0x35, 0x3D);
    t.placeholderIcon = QColor(0x70, 0x78, 0x85);
    t.selection = QColor(0x5B, 0x8F, 0xF0, 0x70);
    applyFonts(t, defaultFont());
    t.touch();
    return t;
}

Theme Theme::fromPalette(const QPalette &palette) {
    const QColor window = palette.color(QPalette::Window);
    Theme t = window.lightness() < 128 ? dark() : light();
    t.window = window;
    QColor sel = palette.color(QPalette::Highlight);
    sel.setAlpha(t.isDark ? 0x70 : 0x60);
    t.selection = sel;
    t.touch();
    return t;
}

} // namespace hslui
