#include "ui/hsl/TextBlock.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QTextLayout>
#include <QTextOption>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace hslui {

TextBlock::TextBlock(hsl::RichText text)
    : m_text(std::move(text)) {}

TextBlock TextBlock::plain(const QString &text) {
    hsl::RichText rich;
    qsizetype start = 0;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i <= n; ++i) {
        if (i == n || text.at(i) == QLatin1Char('\n')) {
            hsl::Line line;
            if (i > start)
                line.append(hsl::Span{text.mid(start, i - start), 0, QString()});
            rich.lines.append(line);
            start = i + 1;
        }
    }
    return TextBlock(std::move(rich));
}

QFont TextBlock::styledFont(const QFont &base, const hsl::Span &span) {
    if (!span.styles && !span.isLink())
        return base;
    QFont f = base;
    if (span.has(hsl::Style::Bold))
        f.setBold(true);
    if (span.has(hsl::Style::Italic))
        f.setItalic(true);
    if (span.has(hsl::Style::Underline) || span.isLink())
        f.setUnderline(true);
    if (span.has(hsl::Style::Strike))
        f.setStrikeOut(true);
    return f;
}

const hsl::Span &TextBlock::spanOf(const Frag &f) const {
    return m_text.lines.at(f.para).at(f.span);
}

QString TextBlock::fragText(const Frag &f) const {
    return spanOf(f).text.mid(f.spanOffset, f.length);
}

void TextBlock::layout(int maxWidth, const QFont &font, Align align) {
    m_frags.clear();
    m_rtlParas.assign(m_text.lines.size(), false);
    maxWidth = std::max(maxWidth, 1);
    const QFontMetricsF fm(font);
    qreal lineHeight = fm.height();
    qreal ascent = fm.ascent();
    qreal widest = 0;
    std::vector<float> lineWidths; // only needed to centre

    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    option.setUseDesignMetrics(false);
    // Lines packed at x = 0 whatever the paragraph's direction: a right-to-left
    // paragraph would otherwise be placed against maxWidth, outside the bubble
    // that is sized to the widest line. It is right-aligned in the bubble below.
    option.setAlignment(Qt::AlignLeft | Qt::AlignAbsolute);
    std::vector<bool> lineRtl;

    QString para;
    QList<QTextLayout::FormatRange> formats;
    std::vector<int> spanStarts;
    qint32 base = 0;
    qint32 line = 0;
    const qint32 paraCount = qint32(m_text.lines.size());
    for (qint32 p = 0; p < paraCount; ++p) {
        const hsl::Line &spans = m_text.lines.at(p);
        para.clear();
        formats.clear();
        spanStarts.clear();
        for (const hsl::Span &span : spans) {
            spanStarts.push_back(int(para.size()));
            if (span.has(hsl::Style::Bold) || span.has(hsl::Style::Italic)) {
                QTextLayout::FormatRange range;
                range.start = int(para.size());
                range.length = int(span.text.size());
                if (span.has(hsl::Style::Bold))
                    range.format.setFontWeight(QFont::Bold);
                if (span.has(hsl::Style::Italic))
                    range.format.setFontItalic(true);
                formats.append(range);
            }
            para += span.text;
        }
        if (para.isEmpty()) {
            m_frags.push_back(Frag{base, 0, p, -1, 0, line, 0.f, 0.f});
            lineWidths.push_back(0.f);
            lineRtl.push_back(false);
            ++line;
            base += 1;
            continue;
        }
        const bool rtl = para.isRightToLeft();
        m_rtlParas[size_t(p)] = rtl;
        QTextLayout tl(para, font);
        tl.setTextOption(option);
        tl.setFormats(formats);
        tl.beginLayout();
        for (;;) {
            QTextLine tline = tl.createLine();
            if (!tline.isValid())
                break;
            tline.setLineWidth(maxWidth);
            lineHeight = std::max(lineHeight, tline.height());
            ascent = std::max(ascent, tline.ascent());
            const qreal natural = std::min<qreal>(tline.naturalTextWidth(), maxWidth);
            widest = std::max(widest, natural);
            lineWidths.push_back(float(natural));
            lineRtl.push_back(rtl);
            const int ls = tline.textStart();
            const int le = ls + tline.textLength();
            for (qint32 s = 0; s < qint32(spans.size()); ++s) {
                const int ss = spanStarts[size_t(s)];
                const int se = ss + int(spans.at(s).text.size());
                const int a = std::max(ls, ss);
                const int b = std::min(le, se);
                if (a >= b)
                    continue;
                // In right-to-left text the cursor moves leftwards: the run's
                // start is its right end.
                const qreal ca = tline.cursorToX(a);
                const qreal cb = tline.cursorToX(b);
                const qreal x0 = std::clamp(std::min(ca, cb), 0.0, natural);
                const qreal x1 = std::clamp(std::max(ca, cb), x0, natural);
                m_frags.push_back(
                    Frag{base + a, b - a, p, s, a - ss, line, float(x0), float(x1 - x0)});
            }
            ++line;
        }
        tl.endLayout();
        base += qint32(para.size()) + 1;
    }
    m_length = std::max(0, base - 1);
    m_lineCount = line;
    m_lineHeight = float(std::ceil(lineHeight));
    m_ascent = float(ascent);
    m_width = int(std::ceil(widest));
    m_height = int(std::ceil(m_lineHeight * float(line)));
    if (align == Align::Center) {
        for (Frag &f : m_frags)
            f.x += (float(m_width) - lineWidths[size_t(f.line)]) / 2.f;
    } else {
        for (Frag &f : m_frags)
            if (lineRtl[size_t(f.line)])
                f.x += float(m_width) - lineWidths[size_t(f.line)];
    }
    m_frags.shrink_to_fit();
}

void TextBlock::paint(QPainter *p, const QPointF &topLeft, const Paint &how) const {
    const bool selecting = how.selStart < how.selEnd;
    if (selecting) {
        for (const Frag &f : m_frags) {
            if (f.length == 0 || f.offset >= how.selEnd || f.offset + f.length <= how.selStart)
                continue;
            const QString s = fragText(f);
            const QFontMetricsF fm(styledFont(how.font, spanOf(f)));
            const int a = std::max(how.selStart, f.offset) - f.offset;
            const int b = std::min(how.selEnd, f.offset + f.length) - f.offset;
            // From the fragment's start: its left end, or its right end when
            // it runs right to left.
            const qreal from = a > 0 ? fm.horizontalAdvance(s.left(a)) : 0;
            const qreal to = b < f.length ? fm.horizontalAdvance(s.left(b)) : f.width;
            const qreal x0 = rtl(f) ? f.x + f.width - to : f.x + from;
            const qreal x1 = rtl(f) ? f.x + f.width - from : f.x + to;
            p->fillRect(QRectF(topLeft.x() + x0, topLeft.y() + f.line * m_lineHeight, x1 - x0,
                               m_lineHeight),
                        how.selection);
        }
    }
    // Each piece in its paragraph's direction: a piece that starts with a
    // neutral or a left-to-right run (a number, "!") inside right-to-left text
    // would otherwise be ordered by its own first letter.
    const Qt::LayoutDirection direction = p->layoutDirection();
    for (const Frag &f : m_frags) {
        if (f.length == 0)
            continue;
        const hsl::Span &span = spanOf(f);
        p->setFont(styledFont(how.font, span));
        p->setPen(span.isLink() ? how.link : how.color);
        p->setLayoutDirection(rtl(f) ? Qt::RightToLeft : Qt::LeftToRight);
        p->drawText(QPointF(topLeft.x() + f.x, topLeft.y() + f.line * m_lineHeight + m_ascent),
                    span.text.mid(f.spanOffset, f.length));
    }
    p->setLayoutDirection(direction);
}

int TextBlock::caretIn(const Frag &f, qreal x, const QFont &font) const {
    if (rtl(f))
        x = f.width - x; // measured from the piece's start, its right end
    if (f.length == 0 || x <= 0)
        return f.offset;
    const QString s = fragText(f);
    const QFontMetricsF fm(styledFont(font, spanOf(f)));
    // Smallest i whose advance reaches x, then the nearer of i-1 and i.
    int lo = 0;
    int hi = f.length;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (fm.horizontalAdvance(s.left(mid)) < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    int i = lo;
    if (i > 0) {
        const qreal before = fm.horizontalAdvance(s.left(i - 1));
        const qreal at = fm.horizontalAdvance(s.left(i));
        if (x - before < at - x)
            --i;
    }
    if (i > 0 && i < f.length && s.at(i - 1).isHighSurrogate())
        ++i;
    return f.offset + i;
}

TextBlock::Hit TextBlock::hitTest(const QPointF &local, const QFont &font) const {
    Hit hit;
    if (m_lineHeight <= 0 || local.y() < 0)
        return hit;
    const qint32 line = qint32(local.y() / qreal(m_lineHeight));
    if (line >= m_lineCount)
        return hit;
    auto it = std::lower_bound(m_frags.begin(), m_frags.end(), line,
                               [](const Frag &f, qint32 l) { return f.line < l; });
    for (; it != m_frags.end() && it->line == line; ++it) {
        if (it->length == 0 || local.x() < it->x || local.x() >= it->x + it->width)
            continue;
        hit.offset = caretIn(*it, local.x() - it->x, font);
        hit.span = &spanOf(*it);
        hit.rect = QRectF(it->x, line * m_lineHeight, it->width, m_lineHeight);
        return hit;
    }
    return hit;
}

int TextBlock::positionAt(const QPointF &local, const QFont &font) const {
    if (m_frags.empty())
        return 0;
    if (local.y() < 0)
        return 0;
    const qint32 line = qint32(local.y() / qreal(std::max(m_lineHeight, 1.f)));
    if (line >= m_lineCount)
        return m_length;
    auto it = std::lower_bound(m_frags.begin(), m_frags.end(), line,
                               [](const Frag &f, qint32 l) { return f.line < l; });
    if (it == m_frags.end() || it->line != line)
        return m_length;
    // Over a piece: the caret inside it. Elsewhere on the line: the nearest
    // piece edge, which is a piece's start on the side it starts (its left, or
    // its right when it runs right to left).
    int nearest = m_length;
    qreal distance = std::numeric_limits<qreal>::max();
    for (; it != m_frags.end() && it->line == line; ++it) {
        if (it->length == 0)
            return it->offset;
        if (local.x() >= it->x && local.x() < it->x + it->width)
            return caretIn(*it, local.x() - it->x, font);
        const int atLeft = rtl(*it) ? it->offset + it->length : it->offset;
        const int atRight = rtl(*it) ? it->offset : it->offset + it->length;
        for (const auto &[x, offset] :
             {std::pair{qreal(it->x), atLeft}, std::pair{qreal(it->x + it->width), atRight}}) {
            if (std::abs(local.x() - x) < distance) {
                distance = std::abs(local.x() - x);
                nearest = offset;
            }
        }
    }
    return nearest;
}

} // namespace hslui
