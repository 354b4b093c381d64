#include "models/hsl/RichText.h"

#include <algorithm>
#include <vector>

// A hand-written scanner, no regular expressions: this runs for every message
// while it is parsed (parse budget: 20 µs median), and it must stay linear-ish
// on hostile input (64 KiB of "*a *a *a ..."). Cost: one pass to find URLs, one
// to collect closers, then each opener finds its closer by binary search.
namespace hsl {
namespace {

constexpr int kNoUrl = -1;
constexpr int kInsideUrl = -2;

bool isWord(QChar c) {
    return c.isLetterOrNumber();
}

unsigned char markerBit(QChar c) {
    switch (c.unicode()) {
    case u'*':
        return static_cast<unsigned char>(Style::Bold);
    case u'_':
        return static_cast<unsigned char>(Style::Italic);
    case u'~':
        return static_cast<unsigned char>(Style::Strike);
    case u'`':
        return static_cast<unsigned char>(Style::Underline);
    default:
        return 0;
    }
}

int markerIndex(QChar c) {
    switch (c.unicode()) {
    case u'*':
        return 0;
    case u'_':
        return 1;
    case u'~':
        return 2;
    case u'`':
        return 3;
    default:
        return -1;
    }
}

bool isLineBreak(QChar c) {
    const char16_t u = c.unicode();
    return u == u'\n' || u == u'\r' || u == 0x2028 || u == 0x2029;
}

// Characters that end a URL outright: whitespace, controls and the characters
// that commonly delimit a URL in prose (and that RFC 3986 does not allow bare).
bool endsUrl(QChar c) {
    const char16_t u = c.unicode();
    return u < 0x20 || u == 0x7f || c.isSpace() || u == u'<' || u == u'>' || u == u'"' || u == u'`';
}

struct Url {
    int start;
    int end; // exclusive
    QString link;
};

// Length of the scheme prefix at `pos` ("https://" = 8, "www." = 4), or 0.
int urlPrefix(QStringView line, int pos) {
    const QStringView rest = line.mid(pos);
    if (rest.startsWith(u"https://", Qt::CaseInsensitive))
        return 8;
    if (rest.startsWith(u"http://", Qt::CaseInsensitive))
        return 7;
    if (rest.startsWith(u"www.", Qt::CaseInsensitive))
        return 4;
    return 0;
}

int countOf(QStringView s, char16_t c) {
    return static_cast<int>(std::count(s.begin(), s.end(), QChar(c)));
}

std::vector<Url> findUrls(QStringView line) {
    std::vector<Url> urls;
    const int n = static_cast<int>(line.size());
    for (int i = 0; i < n; ++i) {
        const char16_t c = line[i].unicode();
        if (c != u'h' && c != u'H' && c != u'w' && c != u'W')
            continue;
        if (i > 0 && isWord(line[i - 1]))
            continue;
        const int prefix = urlPrefix(line, i);
        if (prefix == 0)
            continue;
        int end = i + prefix;
        while (end < n && !endsUrl(line[end]))
            ++end;
        // Trailing punctuation belongs to the sentence, not the URL.
        for (;;) {
            if (end <= i + prefix)
                break;
            const QChar last = line[end - 1];
            const char16_t u = last.unicode();
            const QStringView url = line.mid(i, end - i);
            bool drop = false;
            switch (u) {
            case u'.':
            case u',':
            case u';':
            case u':':
            case u'!':
            case u'?':
            case u'\'':
            case u'*':
            case u'~':
                drop = true;
                break;
            case u'_':
                // "_https://x.com_" is an italic link; "https://x.com/a_" is not.
                drop = i > 0 && line[i - 1] == QLatin1Char('_');
                break;
            case u')':
                drop = countOf(url, u')') > countOf(url, u'(');
                break;
            case u']':
                drop = countOf(url, u']') > countOf(url, u'[');
                break;
            case u'}':
                drop = countOf(url, u'}') > countOf(url, u'{');
                break;
            default:
                break;
            }
            if (!drop)
                break;
            --end;
        }
        // Needs a host that starts with a letter or digit: "https://" or
        // "www..." alone is prose.
        if (end <= i + prefix || !isWord(line[i + prefix])) {
            continue;
        }
        QString link = line.mid(i, end - i).toString();
        if (prefix == 4)
            link.prepend(QStringLiteral("https://"));
        urls.push_back(Url{i, end, std::move(link)});
        i = end - 1;
    }
    return urls;
}

class LineTokenizer {
public:
    LineTokenizer(QStringView line, Line &out)
        : m_line(line)
        , m_out(out) {}

    void run() {
        const int n = static_cast<int>(m_line.size());
        bool interesting = false;
        for (int i = 0; i < n && !interesting; ++i) {
            const QChar c = m_line[i];
            interesting = markerBit(c) != 0 || c == QLatin1Char('/') || c == QLatin1Char('.');
        }
        if (!interesting) {
            // The common case: no markers, no URL. One span, no bookkeeping.
            if (n > 0)
                m_out.append(Span{m_line.toString(), 0, {}});
            return;
        }
        m_urls = findUrls(m_line);
        m_tag.assign(static_cast<size_t>(n), kNoUrl);
        for (size_t k = 0; k < m_urls.size(); ++k) {
            m_tag[static_cast<size_t>(m_urls[k].start)] = static_cast<int>(k);
            for (int p = m_urls[k].start + 1; p < m_urls[k].end; ++p)
                m_tag[static_cast<size_t>(p)] = kInsideUrl;
        }
        for (int p = 0; p < n; ++p) {
            const int m = markerIndex(m_line[p]);
            if (m >= 0 && m_tag[static_cast<size_t>(p)] == kNoUrl && isCloser(p))
                m_closers[m].push_back(p);
        }
        emitRange(0, n, 0);
    }

private:
    bool isOpener(int p) const {
        const int n = static_cast<int>(m_line.size());
        const QChar c = m_line[p];
        if (p > 0 && isWord(m_line[p - 1]))
            return false;
        if (p + 1 >= n)
            return false;
        const QChar next = m_line[p + 1];
        return !next.isSpace() && next != c;
    }

    bool isCloser(int p) const {
        const int n = static_cast<int>(m_line.size());
        const QChar c = m_line[p];
        if (p == 0)
            return false;
        const QChar prev = m_line[p - 1];
        if (prev.isSpace() || prev == c)
            return false;
        return p + 1 == n || !isWord(m_line[p + 1]);
    }

    void flush(int from, int to, unsigned char styles) {
        if (to <= from)
            return;
        const QStringView piece = m_line.mid(from, to - from);
        if (!m_out.isEmpty()) {
            Span &last = m_out.last();
            if (last.styles == styles && last.link.isEmpty()) {
                last.text += piece;
                return;
            }
        }
        m_out.append(Span{piece.toString(), styles, {}});
    }

    // Emits [from, to) with `styles` active. Recursion depth is bounded by the
    // four markers: a marker already in `styles` never opens again.
    void emitRange(int from, int to, unsigned char styles) {
        int textStart = from;
        int p = from;
        while (p < to) {
            const int tag = m_tag[static_cast<size_t>(p)];
            if (tag >= 0) {
                const Url &url = m_urls[static_cast<size_t>(tag)];
                flush(textStart, p, styles);
                m_out.append(
                    Span{m_line.mid(url.start, url.end - url.start).toString(), styles, url.link});
                p = url.end;
                textStart = p;
                continue;
            }
            const QChar c = m_line[p];
            const unsigned char bit = markerBit(c);
            if (bit != 0 && !(styles & bit) && tag == kNoUrl && isOpener(p)) {
                const std::vector<int> &closers = m_closers[markerIndex(c)];
                const auto it = std::lower_bound(closers.begin(), closers.end(), p + 2);
                if (it != closers.end() && *it < to) {
                    const int close = *it;
                    flush(textStart, p, styles);
                    emitRange(p + 1, close, styles | bit);
                    p = close + 1;
                    textStart = p;
                    continue;
                }
            }
            ++p;
        }
        flush(textStart, to, styles);
    }

    QStringView m_line;
    Line &m_out;
    std::vector<Url> m_urls;
    std::vector<int> m_tag; // per char: URL index at a URL start, kInsideUrl, or kNoUrl
    std::vector<int> m_closers[4];
};

} // namespace

RichText RichText::fromMarkup(QStringView text) {
    RichText rich;
    const int n = static_cast<int>(text.size());
    int start = 0;
    for (int i = 0; i <= n; ++i) {
        if (i < n && !isLineBreak(text[i]))
            continue;
        Line line;
        LineTokenizer(text.mid(start, i - start), line).run();
        rich.lines.append(std::move(line));
        if (i + 1 < n && text[i] == QLatin1Char('\r') && text[i + 1] == QLatin1Char('\n'))
            ++i;
        start = i + 1;
    }
    // An empty text has no lines, so isEmpty() and "no lines" agree.
    if (n == 0)
        rich.lines.clear();
    return rich;
}

QString RichText::toPlainText() const {
    QString out;
    for (qsizetype l = 0; l < lines.size(); ++l) {
        if (l > 0)
            out += QLatin1Char('\n');
        for (const Span &s : lines[l])
            out += s.text;
    }
    return out;
}

bool RichText::isEmpty() const {
    return std::all_of(lines.begin(), lines.end(), [](const Line &l) { return l.isEmpty(); });
}

bool RichText::hasLinks() const {
    for (const Line &l : lines)
        for (const Span &s : l)
            if (s.isLink())
                return true;
    return false;
}

} // namespace hsl
