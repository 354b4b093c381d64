#pragma once

#include "models/hsl/RichText.h"

#include <QColor>
#include <QFont>
#include <QPointF>
#include <QRectF>
#include <cstddef>
#include <vector>

class QPainter;

// Wrapped, styled text (hsl::RichText) laid out once and painted literally:
// span text goes to QPainter::drawText, never through HTML. Line breaking uses
// a transient QTextLayout per paragraph (Unicode line-break rules, mixed bold/
// italic widths); only a compact fragment list survives it, so a laid-out
// block costs a few dozen bytes per visual line on top of the text, which it
// shares (implicitly) with the hsl::Message.
//
// Offsets are UTF-16 positions in plainText(): paragraphs joined with "\n",
// markers removed (the same as hsl::RichText::toPlainText()).
namespace hslui {

class TextBlock {
public:
    enum class Align : unsigned char { Left, Center };

    TextBlock() = default;
    explicit TextBlock(hsl::RichText text);
    // Literal text: no markers, no links (raw JSON, labels, form fields).
    static TextBlock plain(const QString &text);

    void layout(int maxWidth, const QFont &font, Align align = Align::Left);

    int width() const { return m_width; } // widest line (natural width)
    int height() const { return m_height; }
    int lineCount() const { return m_lineCount; }
    int length() const { return m_length; }
    bool isEmpty() const { return m_length == 0; }
    QString plainText() const { return m_text.toPlainText(); }
    const hsl::RichText &text() const { return m_text; }

    struct Paint {
        QFont font;
        QColor color;
        QColor link;
        QColor selection;
        int selStart = 0; // local offsets; empty range = no selection
        int selEnd = 0;
    };
    void paint(QPainter *p, const QPointF &topLeft, const Paint &how) const;

    struct Hit {
        int offset = -1;                 // -1: not over a fragment
        const hsl::Span *span = nullptr; // the span under the point
        QRectF rect;                     // the fragment's rectangle
    };
    // Exact hit: only over painted text.
    Hit hitTest(const QPointF &local, const QFont &font) const;
    // Nearest caret position (for selection drags), clamped to the block.
    int positionAt(const QPointF &local, const QFont &font) const;

    std::size_t heapBytes() const {
        return m_frags.capacity() * sizeof(Frag) + m_rtlParas.capacity() / 8;
    }

private:
    // A piece of one span on one visual line.
    struct Frag {
        qint32 offset;     // in plainText()
        qint32 length;     // UTF-16 units
        qint32 para;       // index into m_text.lines
        qint32 span;       // index into that line
        qint32 spanOffset; // where the piece starts in span.text
        qint32 line;       // visual line
        float x;
        float width;
    };

    const hsl::Span &spanOf(const Frag &f) const;
    QString fragText(const Frag &f) const;
    static QFont styledFont(const QFont &base, const hsl::Span &span);
    int caretIn(const Frag &f, qreal x, const QFont &font) const;

    hsl::RichText m_text;
    // Sorted by line, then logical order: x grows along a left-to-right line
    // and falls along a right-to-left one.
    std::vector<Frag> m_frags;
    std::vector<bool> m_rtlParas; // per paragraph: its direction
    bool rtl(const Frag &f) const { return m_rtlParas[size_t(f.para)]; }
    float m_lineHeight = 0;
    float m_ascent = 0;
    qint32 m_width = 0;
    qint32 m_height = 0;
    qint32 m_lineCount = 0;
    qint32 m_length = 0;
};

} // namespace hslui
