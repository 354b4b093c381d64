#pragma once

#include <QList>
#include <QString>
#include <QStringView>

// HSL `text` as styled spans (notes section 7). The input is untrusted plain
// text: nothing but the four markers, line breaks and bare http(s)/www. URLs
// has meaning. "<b>", "<img src=...>", "&amp;" stay exactly those characters;
// the renderer must draw span text literally (never as HTML).
//
// Marker rule (the same one WhatsApp-style chat markup uses):
//   * bold, _ italic, ~ strike, ` underline (Haptik's "ProTips" mapping).
//   - An opener is a marker character that is at the start of the line or
//     preceded by a character that is not a letter or digit, and is followed
//     by a character that is neither whitespace nor the same marker.
//   - A closer is the same character, preceded by a character that is neither
//     whitespace nor the same marker, and followed by the end of the line or a
//     character that is not a letter or digit.
//   - An opener pairs with the first closer after it on the same line with at
//     least one character between them. Pairs nest only properly and only with
//     different markers ("*a _b_ c*"); a marker that is already open inside
//     its own pair stays literal.
//   - Anything that does not pair stays literal: "2*3*4", "snake_case_name",
//     "* item", "a * b", "*unclosed".
//   - URLs are found first and are atomic: marker characters inside a URL never
//     open or close anything ("https://x.com/a_b_c"), but a pair around a URL
//     styles the link ("*https://x.com*").
// Line breaks: "\n", "\r\n", "\r", U+2028 and U+2029 all end a line.
// URLs: "http://", "https://" or "www." (case-insensitive) at the start of the
// line or after a non-letter/digit, up to whitespace or one of < > " ` ; trailing
// . , ; : ! ? ' * ~ and unbalanced ) ] } are left out of the link (so "see
// https://x.com." links "https://x.com"). "www." links get "https://".
namespace hsl {

enum class Style : unsigned char {
    None = 0,
    Bold = 1,
    Italic = 2,
    Strike = 4,
    Underline = 8,
};

struct Span {
    QString text;
    unsigned char styles = 0; // Style bits
    QString link;             // http(s) URL when this span is a link

    bool has(Style s) const { return styles & static_cast<unsigned char>(s); }
    bool isLink() const { return !link.isEmpty(); }
    bool operator==(const Span &o) const {
        return styles == o.styles && text == o.text && link == o.link;
    }
    bool operator!=(const Span &o) const { return !(*this == o); }
};

using Line = QList<Span>;

struct RichText {
    // One entry per line; an empty line is an empty list. Adjacent spans with
    // the same styles and link are merged; no span has empty text.
    QList<Line> lines;

    static RichText fromMarkup(QStringView text);

    // The text without markers, lines joined with "\n".
    QString toPlainText() const;
    bool isEmpty() const;
    bool hasLinks() const;

    bool operator==(const RichText &o) const { return lines == o.lines; }
    bool operator!=(const RichText &o) const { return !(*this == o); }
};

} // namespace hsl
