// libFuzzer target for the HSL document model. Beyond "no crash, no sanitizer
// report", it checks the model's own promises on every input:
//   - Invalid always carries an error, valid messages never do;
//   - the rich text of a message reproduces its text minus the markers that
//     paired (never longer than the text), with no empty spans and only
//     http(s) links;
//   - summary() is one line within its length;
//   - a message that validates for sending survives toMessageBody -> parse
//     unchanged.
// Run with scripts/fuzz.
#include "models/hsl/Compose.h"
#include "models/hsl/Message.h"
#include "models/hsl/Parser.h"
#include "models/hsl/RichText.h"

#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void check(bool ok, const char *what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_hsl_parser: invariant broken: %s\n", what);
        std::abort();
    }
}

void checkRichText(const hsl::RichText &rt, const QString &source) {
    qsizetype total = 0;
    for (const hsl::Line &line : rt.lines) {
        for (const hsl::Span &s : line) {
            check(!s.text.isEmpty(), "empty span");
            total += s.text.size();
            if (s.isLink())
                check(s.link.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
                          s.link.startsWith(QLatin1String("https://"), Qt::CaseInsensitive),
                      "link that is not http(s)");
        }
    }
    check(total <= source.size(), "rich text longer than its source");
}

void checkMessage(const hsl::Message &m) {
    check(m.isValid() == m.error.message.isEmpty(), "error iff Invalid");
    checkRichText(m.richText, m.text);
    check(m.richText == hsl::RichText::fromMarkup(m.text), "rich text not deterministic");
    const QString line = hsl::summary(m, 80);
    check(line.size() <= 80, "summary too long");
    check(!line.contains(QLatin1Char('\n')), "summary spans lines");
    (void)m.isImage();
    for (const hsl::CarouselCard &c : m.carousel.items)
        (void)c.isVideoEmbed();
    check(m.quickReplies.size() <= hsl::limits::kMaxItems, "quick replies over limit");
    check(m.buttons.size() <= hsl::limits::kMaxItems, "buttons over limit");
    check(m.carousel.items.size() <= hsl::limits::kMaxItems, "cards over limit");
    check(m.text.size() <= hsl::limits::kMaxTextLength, "text over limit");

    if (hsl::isValidForSending(m)) {
        const QByteArray body = hsl::toMessageBody(m);
        check(!body.isEmpty(), "valid message without body");
        hsl::Message back = hsl::Parser::parse(body);
        check(back.kind == m.kind, "round trip changed kind");
        check(back.text == m.text, "round trip changed text");
        const auto &a = m.kind == hsl::Kind::Text ? m.quickReplies : m.buttons;
        const auto &b = back.kind == hsl::Kind::Text ? back.quickReplies : back.buttons;
        check(a.size() == b.size(), "round trip changed item count");
        for (qsizetype i = 0; i < a.size(); ++i) {
            check(a[i].text == b[i].text, "round trip changed a label");
            check(a[i].uri == b[i].uri && a[i].type == b[i].type, "round trip changed an action");
            // Only the payload key that goes out for this kind of item.
            check(a[i].uri == hsl::Uri::Link ? a[i].url == b[i].url : a[i].message == b[i].message,
                  "round trip changed payload");
            check(a[i].gogoMessage == b[i].gogoMessage, "round trip changed gogo_message");
        }
        check(hsl::isValidForSending(back), "round trip made it invalid");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    checkMessage(hsl::Parser::parse(bytes));
    // The same bytes as free text: the tokenizer sees every odd character.
    const QString text = QString::fromUtf8(bytes);
    checkRichText(hsl::RichText::fromMarkup(text), text);
    // And as text the composer would send.
    const hsl::Message draft = hsl::textMessage(text, {hsl::quickReply(text.left(40))});
    (void)hsl::validateForSending(draft);
    if (hsl::isValidForSending(draft))
        checkMessage(hsl::Parser::parse(hsl::toMessageBody(draft)));
    return 0;
}
