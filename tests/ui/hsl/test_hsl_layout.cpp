// Unit tests of hslui::MessageLayout and ImageCache: hit testing, tooltips,
// selection, accessible text, layout caching, the plain-text memory bound,
// literal text, the image cache's refusals and limits, and --render-hsl.
#include "HslTestSupport.h"
#include "models/hsl/Parser.h"
#include "ui/hsl/FixedPitchFont.h"
#include "ui/hsl/ImageCache.h"
#include "ui/hsl/MessageLayout.h"
#include "ui/hsl/RenderCommand.h"

#include <QBuffer>
#include <QPainter>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextLayout>
#include <QTextStream>
#include <QtTest>

using hslui::HitTarget;
using hslui::MessageLayout;
using hslui::Role;

namespace {

std::unique_ptr<MessageLayout> laidOut(const hsl::Message &m, Role role = Role::Bot,
                                       int width = 480) {
    auto layout = std::make_unique<MessageLayout>(std::make_shared<const hsl::Message>(m), role);
    layout->layout(width, hsltest::theme(false));
    return layout;
}

std::unique_ptr<MessageLayout> fixture(const char *file, Role role = Role::Bot) {
    return laidOut(hsltest::loadMessage(QString::fromLatin1(file)), role);
}

QPoint centre(const QRect &r) {
    return r.center();
}

// The first element of a kind, from the accessibility list.
QRect elementRect(const MessageLayout &l, HitTarget::Kind kind, int nth = 0) {
    for (const hslui::AccessibleElement &e : l.accessibleElements()) {
        if (e.kind == kind && nth-- == 0)
            return e.rect;
    }
    return {};
}

// Scans the layout for the first point whose hit has `kind`.
HitTarget scanFor(const MessageLayout &l, HitTarget::Kind kind) {
    for (int y = 0; y < l.height(); y += 2) {
        for (int x = 0; x < l.width(); x += 2) {
            const HitTarget h = l.hitTest(QPoint(x, y));
            if (h.kind == kind)
                return h;
        }
    }
    return {};
}

} // namespace

class TestHslLayout : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(hsltest::loadFonts()); }

    void quickReplyChipHit() {
        const auto l = fixture("text_quick_replies.json");
        const QRect chip = elementRect(*l, HitTarget::QuickReply, 1);
        QVERIFY(chip.isValid());
        const HitTarget h = l->hitTest(centre(chip));
        QCOMPARE(h.kind, HitTarget::QuickReply);
        QVERIFY(h.actionable);
        QCOMPARE(h.actionable->text, QStringLiteral("Maybe later"));
        QCOMPARE(h.actionable, &l->message().quickReplies.at(1));
        QVERIFY(h.tooltip.contains(QStringLiteral("Maybe later")));
        QCOMPARE(h.rect, chip);
    }

    void linkButtonHit() {
        const auto l = fixture("button_links.json");
        const HitTarget h = l->hitTest(centre(elementRect(*l, HitTarget::Actionable, 0)));
        QCOMPARE(h.kind, HitTarget::Actionable);
        QCOMPARE(h.url, QUrl(QStringLiteral("https://help.example.net/faq")));
        QCOMPARE(h.host(), QStringLiteral("help.example.net"));
        QVERIFY2(h.tooltip.contains(QStringLiteral("help.example.net")), qPrintable(h.tooltip));
        // SELF_SERVE_WEB with payload.link falls back to the link.
        const HitTarget portal = l->hitTest(centre(elementRect(*l, HitTarget::Actionable, 3)));
        QCOMPARE(portal.host(), QStringLiteral("portal.example.net"));
        // A TEXT_ONLY button opens nothing and says what it sends.
        const HitTarget start = l->hitTest(centre(elementRect(*l, HitTarget::Actionable, 2)));
        QCOMPARE(start.kind, HitTarget::Actionable);
        QVERIFY(start.url.isEmpty());
        QVERIFY2(start.tooltip.contains(QStringLiteral("start over")), qPrintable(start.tooltip));
    }

    void textLinkHit() {
        const auto l = fixture("text_plain.json");
        const HitTarget h = scanFor(*l, HitTarget::Link);
        QCOMPARE(h.kind, HitTarget::Link);
        QCOMPARE(h.url, QUrl(QStringLiteral("https://status.example.org/t/42")));
        QCOMPARE(h.host(), QStringLiteral("status.example.org"));
        QVERIFY(!h.tooltip.isEmpty());
        QVERIFY(h.textOffset > 0);
        // Text that is not a link is Text, with an offset and no URL.
        const HitTarget t = scanFor(*l, HitTarget::Text);
        QCOMPARE(t.kind, HitTarget::Text);
        QVERIFY(t.url.isEmpty());
        QVERIFY(t.textOffset >= 0);
    }

    void cardImageAndDefaultAction() {
        const auto l = fixture("carousel_cards.json");
        const HitTarget img = l->hitTest(centre(elementRect(*l, HitTarget::CardImage, 0)));
        QCOMPARE(img.kind, HitTarget::CardImage);
        QCOMPARE(img.url.host(), QStringLiteral("img.example.net"));
        QVERIFY(!img.tooltip.isEmpty());
        const auto v = fixture("carousel_video.json");
        const HitTarget video = v->hitTest(centre(elementRect(*v, HitTarget::CardImage, 0)));
        QCOMPARE(video.url.host(), QStringLiteral("www.youtube.com"));
        QVERIFY(video.tooltip.startsWith(QStringLiteral("Video")));
    }

    void everythingInteractiveHasATooltip() {
        for (const char *f : {"text_quick_replies.json", "button_links.json", "carousel_cards.json",
                              "carousel_video.json", "unknown_type.json", "button_file.json",
                              "button_document_picker.json"}) {
            const auto l = fixture(f);
            int interactive = 0;
            for (const hslui::AccessibleElement &e : l->accessibleElements()) {
                QVERIFY2(!e.text.isEmpty(), f);
                if (e.kind == HitTarget::None || e.kind == HitTarget::Text)
                    continue;
                ++interactive;
                const HitTarget h = l->hitTest(centre(e.rect));
                QCOMPARE(h.kind, e.kind);
                QVERIFY2(!h.tooltip.isEmpty(), f);
            }
            QVERIFY2(interactive > 0, f);
        }
    }

    void rawJsonToggle() {
        auto l = fixture("unknown_type.json");
        QVERIFY(l->hasRawJson());
        const int before = l->height();
        const HitTarget h = l->hitTest(centre(elementRect(*l, HitTarget::RawJsonToggle)));
        QCOMPARE(h.kind, HitTarget::RawJsonToggle);
        QVERIFY(!h.tooltip.isEmpty());
        l->setRawJsonVisible(true);
        QVERIFY(l->layout(480, hsltest::theme(false)) || true);
        QVERIFY(l->height() > before);
        QVERIFY(l->plainText().contains(QStringLiteral("\"total\": \"12.50\"")));
    }

    void selection() {
        const auto l = fixture("text_plain.json");
        const QString all = QStringLiteral(
            "Your ticket is open.\nWe reply within a day: https://status.example.org/t/42.");
        QCOMPARE(l->plainText(), all);
        QCOMPARE(l->selectedText({0, 4}), QStringLiteral("Your"));
        QCOMPARE(l->selectedText({4, 0}), QStringLiteral("Your")); // either direction
        QCOMPARE(l->selectedText({0, 10000}), all);
        QCOMPARE(l->selectedText({3, 3}), QString());
        QCOMPARE(l->positionAt(QPoint(0, 0)).offset, 0);
        QCOMPARE(l->positionAt(QPoint(479, l->height() + 50)).offset, int(all.size()));
        // Dragging across the first line selects it.
        const HitTarget first = scanFor(*l, HitTarget::Text);
        const int a = l->positionAt(QPoint(first.rect.left(), first.rect.center().y())).offset;
        const int b = l->positionAt(QPoint(470, first.rect.center().y())).offset;
        QCOMPARE(a, 0);
        QCOMPARE(l->selectedText({a, b}), QStringLiteral("Your ticket is open."));
        // Markers are not part of the text; selection offsets skip them.
        const auto q = fixture("text_quick_replies.json");
        QCOMPARE(q->plainText(), QStringLiteral("Would you like to rate us?"));
        // Card texts are selectable, in reading order.
        const auto c = fixture("carousel_cards.json");
        QCOMPARE(c->plainText(), QStringLiteral("Our rooms\nSingle\n1 bed\nQuiet, garden view\n"
                                                "Double\n2 beds"));
    }

    void textIsLiteral() {
        const hsl::Message m = hsl::Parser::parse(QByteArray(
            R"({"type":"TEXT","text":"<b>bold?</b> <img src=x> &amp; <a href='https://evil'>x</a>"})"));
        const auto l = laidOut(m);
        QCOMPARE(l->plainText(),
                 QStringLiteral("<b>bold?</b> <img src=x> &amp; <a href='https://evil'>x</a>"));
    }

    // Right-to-left text in the left-to-right console: inside its bubble,
    // right-aligned, each line in its own direction (it used to be placed
    // against the wrap width, outside the bubble and clipped away).
    void rightToLeftTextStaysInItsBubble() {
        const hsl::Message m = hsl::Parser::parse(QByteArray(
            R"({"type":"TEXT","text":"שלום! אני צריך עזרה עם ההזמנה שלי, היא לא הגיעה עדיין. מספר ההזמנה 4521, תודה רבה על העזרה","data":{}})"));
        const auto l = laidOut(m, Role::EndUser, 300);
        QVERIFY(l->width() <= 300);
        QImage img(l->width() + 200, l->height(), QImage::Format_ARGB32_Premultiplied);
        img.fill(Qt::transparent);
        {
            QPainter p(&img);
            l->paint(&p, QPoint(), hsltest::theme(false), nullptr);
        }
        const auto ink = [&](int x, int y) {
            const QRgb c = img.pixel(x, y);
            return qAlpha(c) > 200 && qGray(c) < 110;
        };
        int outside = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = l->width(); x < img.width(); ++x)
                outside += qAlpha(img.pixel(x, y)) > 0;
        QCOMPARE(outside, 0);
        // Right-aligned: the lines end at the same right edge, their left
        // edges are ragged.
        const auto extent = [&](int fromRow, int step) {
            int row = fromRow;
            while (row >= 0 && row < img.height()) {
                bool any = false;
                for (int x = 0; x < l->width() && !any; ++x)
                    any = ink(x, row);
                if (any)
                    break;
                row += step;
            }
            int left = l->width(), right = -1;
            for (int y = std::max(0, row - 6); y <= std::min(img.height() - 1, row + 6); ++y)
                for (int x = 0; x < l->width(); ++x)
                    if (ink(x, y)) {
                        left = std::min(left, x);
                        right = std::max(right, x);
                    }
            return std::pair{left, right};
        };
        const auto [firstLeft, firstRight] = extent(0, 1);
        const auto [lastLeft, lastRight] = extent(img.height() - 1, -1);
        QVERIFY(firstRight > 0 && lastRight > 0);
        QVERIFY2(std::abs(firstRight - lastRight) <= 6,
                 qPrintable(QStringLiteral("%1 vs %2").arg(firstRight).arg(lastRight)));
        QVERIFY2(std::abs(lastLeft - firstLeft) > 6,
                 qPrintable(QStringLiteral("%1 vs %2").arg(lastLeft).arg(firstLeft)));
        QVERIFY(l->accessibleText().contains(QStringLiteral("4521")));
    }

    // A right-to-left line that starts with digits and ends with "!": drawn as
    // Qt's own bidi layout of the whole paragraph draws it (each piece used to
    // be ordered by its own first letter), and the caret and the selection run
    // from the right.
    void rightToLeftLineIsOrderedAndSelectedFromTheRight() {
        const QString text = QStringLiteral("שלום, 4521 הזמנה!");
        const hsl::Message m = hsl::Parser::parse(
            QStringLiteral(R"({"type":"TEXT","text":"%1","data":{}})").arg(text).toUtf8());
        const auto l = laidOut(m, Role::EndUser, 480);
        const hslui::Theme theme = hsltest::theme(false);
        const auto render = [&](const hslui::Selection &sel) {
            QImage img(l->width(), l->height(), QImage::Format_ARGB32_Premultiplied);
            img.fill(Qt::white);
            QPainter p(&img);
            l->paint(&p, QPoint(), theme, nullptr, sel);
            return img;
        };
        const auto inkBox = [](const QImage &img) {
            QRect box;
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    if (qGray(img.pixel(x, y)) < 110)
                        box |= QRect(x, y, 1, 1);
            return box;
        };
        const QImage ours = render({});
        const QRect ourBox = inkBox(ours);
        QVERIFY(!ourBox.isEmpty());

        QImage reference(ours.size(), QImage::Format_ARGB32_Premultiplied);
        reference.fill(Qt::white);
        {
            QTextLayout tl(text, theme.font);
            QTextOption option;
            option.setTextDirection(Qt::RightToLeft);
            tl.setTextOption(option);
            tl.beginLayout();
            tl.createLine().setLineWidth(10000);
            tl.endLayout();
            QPainter p(&reference);
            p.setPen(theme.text);
            tl.draw(&p,
                    QPointF(ourBox.left() - tl.lineAt(0).cursorToX(text.size()), ourBox.top() - 4));
        }
        const QRect refBox = inkBox(reference);
        QCOMPARE(refBox.width(), ourBox.width());
        // Glyph for glyph, give or take a pixel of antialiasing.
        const auto inkNear = [](const QImage &img, int x, int y) {
            for (int dy = -1; dy <= 1; ++dy)
                for (int dx = -1; dx <= 1; ++dx)
                    if (img.rect().contains(x + dx, y + dy) &&
                        qGray(img.pixel(x + dx, y + dy)) < 160)
                        return true;
            return false;
        };
        int unmatched = 0;
        int ink = 0;
        for (int y = 0; y < ourBox.height(); ++y) {
            for (int x = 0; x < ourBox.width(); ++x) {
                const QPoint o = ourBox.topLeft() + QPoint(x, y);
                const QPoint r = refBox.topLeft() + QPoint(x, y);
                const bool a = qGray(ours.pixel(o)) < 110;
                const bool b = qGray(reference.pixel(r)) < 110;
                ink += a;
                unmatched +=
                    (a && !inkNear(reference, r.x(), r.y())) || (b && !inkNear(ours, o.x(), o.y()));
            }
        }
        QVERIFY2(unmatched * 20 < ink,
                 qPrintable(QStringLiteral("%1 of %2 ink pixels are not where Qt's bidi layout "
                                           "puts them")
                                .arg(unmatched)
                                .arg(ink)));

        // The caret: the text starts at its right end.
        const HitTarget hit = scanFor(*l, HitTarget::Text);
        const int y = hit.rect.center().y();
        QVERIFY(l->positionAt(QPoint(ourBox.right(), y)).offset <= 1);
        QVERIFY(l->positionAt(QPoint(ourBox.left(), y)).offset >= int(text.size()) - 1);
        // The selection of the first word is painted at the right.
        const QImage selected = render({0, 4});
        QRect changed;
        for (int yy = 0; yy < ours.height(); ++yy)
            for (int x = 0; x < ours.width(); ++x)
                if (selected.pixel(x, yy) != ours.pixel(x, yy))
                    changed |= QRect(x, yy, 1, 1);
        QVERIFY(!changed.isEmpty());
        QVERIFY2(changed.left() > ourBox.center().x(),
                 qPrintable(QStringLiteral("selection at x %1..%2, text %3..%4")
                                .arg(changed.left())
                                .arg(changed.right())
                                .arg(ourBox.left())
                                .arg(ourBox.right())));
    }

    // Whatever fonts are installed, the monospace font really is fixed-pitch:
    // on a desktop set fontconfig's "monospace" can be Noto Sans Mono, which
    // fontconfig itself does not mark fixed-pitch.
    void fixedPitchFontIsReallyFixedPitch() {
        const QFont mono = hslui::fixedPitchFont();
        QVERIFY2(QFontInfo(mono).fixedPitch(), qPrintable(QFontInfo(mono).family()));
        const QFontMetricsF fm(mono);
        QCOMPARE(fm.horizontalAdvance(QStringLiteral("iiii")),
                 fm.horizontalAdvance(QStringLiteral("WWWW")));
        QCOMPARE(hslui::Theme::light().monoFont.family(), mono.family());
        const QStringList fromFontconfig = hslui::fixedpitch::fontconfigMonospaceFamilies();
        QVERIFY2(!fromFontconfig.isEmpty(), "fontconfig lists no monospace family");
        qInfo().noquote() << "fontconfig's monospace:" << fromFontconfig.join(u", ")
                          << "chosen:" << mono.family();
        // Names that are not a fixed-pitch family are refused.
        QVERIFY(!hslui::fixedpitch::isReallyFixedPitch(QStringLiteral("DejaVu Sans")));
        QVERIFY(!hslui::fixedpitch::isReallyFixedPitch(QStringLiteral("No Such Family 42")));
        QVERIFY(!hslui::fixedpitch::isReallyFixedPitch(QString()));
    }

    void accessibleText() {
        QCOMPARE(fixture("carousel_cards.json")->accessibleText(),
                 QStringLiteral("Bot: Our rooms. Carousel with 2 cards: Single, 1 bed, Quiet, "
                                "garden view; Double, 2 beds."));
        QCOMPARE(fixture("carousel_plans.json")->accessibleText(),
                 QStringLiteral("Bot: Here are our plans. Carousel with 3 cards: Basic, "
                                "\u20B9199 / month, 1 line, 2 GB a day; Plus, \u20B9349 / month, "
                                "2 lines, unlimited calls and 5 GB a day; Max, \u20B9599 / month, "
                                "4 lines."));
        QCOMPARE(
            fixture("text_quick_replies.json")->accessibleText(),
            QStringLiteral("Bot: Would you like to rate us? Quick replies: Sure, Maybe later."));
        QCOMPARE(fixture("button_file.json", Role::Agent)->accessibleText(),
                 QStringLiteral("Agent: Button: invoice-0042.pdf (link to files.example.net)."));
        QCOMPARE(fixture("system_pinned.json", Role::System)->accessibleText(),
                 QStringLiteral("System: Asha from Billing joined the chat."));
        QCOMPARE(fixture("image.json")->accessibleText(), QStringLiteral("Bot: Thats out! Image."));
        QCOMPARE(fixture("unknown_type.json")->accessibleText(),
                 QStringLiteral("Bot: Your receipt. Unsupported message type RECEIPT."));
        QCOMPARE(fixture("native_action.json")->accessibleText(),
                 QStringLiteral("Bot: Native app action: open_settings."));
        QCOMPARE(fixture("form.json")->accessibleText(),
                 QStringLiteral("Bot: Form Book a visit, Tell us when. Fields: Branch (picker: "
                                "North, South, East); Date (date); E-mail (text)."));
        QCOMPARE(fixture("text_plain.json", Role::EndUser)->accessibleText(),
                 QStringLiteral("Customer: Your ticket is open. We reply within a day: "
                                "https://status.example.org/t/42."));
    }

    void layoutCaching() {
        MessageLayout l(std::make_shared<const hsl::Message>(
                            hsltest::loadMessage(QStringLiteral("text_plain.json"))),
                        Role::Bot);
        hslui::Theme theme = hsltest::theme(false);
        QVERIFY(l.layout(480, theme));
        const int h480 = l.height();
        QVERIFY(!l.layout(480, theme)); // nothing changed
        QVERIFY(!l.layout(480, theme));
        QVERIFY(l.layout(200, theme)); // width changed
        QVERIFY(l.height() > h480);    // narrower wraps more
        QVERIFY(!l.layout(200, theme));
        theme.touch(); // a theme or font change bumps the generation
        QVERIFY(l.layout(200, theme));
        QVERIFY(!l.layout(200, theme));
        QFont bigger = theme.font;
        bigger.setPixelSize(20);
        theme.setFont(bigger);
        QVERIFY(l.layout(200, theme));
        QVERIFY(!l.layout(200, theme));
        l.setRawJsonVisible(true); // no raw JSON for TEXT, but the flag still dirties
        QVERIFY(l.layout(200, theme));
        QVERIFY(nextGenerationIncreases());
    }

    static bool nextGenerationIncreases() {
        const quint64 a = hslui::nextThemeGeneration();
        return hslui::nextThemeGeneration() > a && hslui::Theme::light().generation > a;
    }

    void plainTextMemoryBound() {
        // Measured by MessageLayout::memoryUsage(): sizeof the layout plus every
        // heap block it owns (LayoutData, the box and text arrays, each text
        // block's fragment array, scaled images). The text itself is shared with
        // the hsl::Message (implicitly shared QStrings) and not counted.
        const QString text = QStringLiteral(
            "Thanks for waiting. Your refund of 1,250 rupees was approved today and should reach "
            "your account within *five working days*. If it does not, reply here with the "
            "reference RF-20931 and we will chase it with the bank.\nAnything else I can help "
            "with?");
        const hsl::Message m = hsl::Parser::parse(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("TEXT")}, {QStringLiteral("text"), text}});
        for (const int width : {480, 320, 900}) {
            const auto l = laidOut(m, Role::Bot, width);
            const std::size_t bytes = l->memoryUsage();
            qInfo("plain TEXT layout at %d px: %zu bytes beyond the text", width, bytes);
            QVERIFY2(bytes < 2048, qPrintable(QString::number(bytes)));
        }
        // Painting must not grow it (no pixmap buffer for text).
        const auto l = laidOut(m);
        QImage img(l->size(), QImage::Format_ARGB32_Premultiplied);
        QPainter p(&img);
        const std::size_t before = l->memoryUsage();
        l->paint(&p, QPoint(), hsltest::theme(false), nullptr, {0, 20});
        QCOMPARE(l->memoryUsage(), before);
    }

    void imagesReleasedOffScreen() {
        hslui::ImageCache cache;
        hsltest::fillImages(cache);
        const auto l = fixture("image.json");
        QImage img(l->size(), QImage::Format_ARGB32_Premultiplied);
        {
            QPainter p(&img);
            l->paint(&p, QPoint(), hsltest::theme(false), &cache);
        }
        const std::size_t painted = l->memoryUsage();
        l->releaseImages();
        QVERIFY(l->memoryUsage() < painted);
    }

    void imageCacheRefusesOtherSchemes() {
        hslui::ImageCache cache;
        for (const char *u :
             {"file:///etc/passwd", "data:image/png;base64,AAAA", "ftp://x.org/a.png",
              "qrc:/icon.png", "https:///nohost.png", "not a url"}) {
            const QUrl url(QString::fromLatin1(u));
            QVERIFY(cache.image(url).isNull());
            QCOMPARE(cache.state(url), hslui::ImageCache::State::Failed);
        }
        QCOMPARE(cache.pendingCount(), 0);
    }

    void imageCacheLruByBytes() {
        hslui::ImageCache cache;
        cache.setNetworkEnabled(false);
        QImage img(100, 100, QImage::Format_RGB32); // 40,000 bytes
        img.fill(Qt::red);
        cache.setMaxBytes(100000);
        const QUrl a(QStringLiteral("https://x.example/a.png"));
        const QUrl b(QStringLiteral("https://x.example/b.png"));
        const QUrl c(QStringLiteral("https://x.example/c.png"));
        cache.insert(a, img);
        cache.insert(b, img);
        QVERIFY(!cache.image(a).isNull()); // a is now the most recent
        cache.insert(c, img);              // evicts b, the least recently used
        QCOMPARE(cache.state(a), hslui::ImageCache::State::Ready);
        QCOMPARE(cache.state(b), hslui::ImageCache::State::NotLoaded);
        QCOMPARE(cache.state(c), hslui::ImageCache::State::Ready);
        QVERIFY(cache.usedBytes() <= 100000);
    }

    void imageCacheSizeLimitAndFailureRemembered() {
        // A local server that claims (and starts sending) a 9 MiB body.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        int connections = 0;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                ++connections;
                connect(s, &QTcpSocket::readyRead, s, [s] {
                    s->readAll();
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: "
                             "9437184\r\n\r\n");
                    s->write(QByteArray(64 * 1024, 'x'));
                });
            }
        });
        hslui::ImageCache cache;
        QSignalSpy failed(&cache, &hslui::ImageCache::imageFailed);
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/big.png").arg(server.serverPort()));
        QVERIFY(cache.image(url).isNull()); // never blocks
        QCOMPARE(cache.state(url), hslui::ImageCache::State::Loading);
        QVERIFY(failed.wait(10000));
        QCOMPARE(cache.state(url), hslui::ImageCache::State::Failed);
        QVERIFY(cache.image(url).isNull());
        QCOMPARE(cache.pendingCount(), 0); // remembered: not fetched again
        QCOMPARE(connections, 1);
    }

    void imageCacheLoadsOverHttp() {
        QImage png(8, 4, QImage::Format_RGB32);
        png.fill(Qt::blue);
        QByteArray body;
        QBuffer buffer(&body);
        buffer.open(QIODevice::WriteOnly);
        png.save(&buffer, "PNG");
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        connect(&server, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [s, body] {
                    s->readAll();
                    s->write("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\n\r\n" + body);
                });
            }
        });
        hslui::ImageCache cache;
        QSignalSpy ready(&cache, &hslui::ImageCache::imageReady);
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/ok.png").arg(server.serverPort()));
        QVERIFY(cache.image(url).isNull());
        QVERIFY(ready.wait(10000));
        QCOMPARE(cache.image(url).size(), QSize(8, 4));
    }

    void renderCommand() {
        QTemporaryDir dir;
        QString errors;
        QTextStream err(&errors);
        const QString out = dir.filePath(QStringLiteral("out.png"));
        QCOMPARE(
            hslui::runRenderCommand(hsltest::fixturePath(QStringLiteral("carousel_cards.json")),
                                    out, 480, QStringLiteral("dark"), err),
            0);
        QCOMPARE(QImage(out).width(), 480);
        QVERIFY(errors.isEmpty());

        const auto fails = [&](const QString &input, int width, const QString &theme) {
            errors.clear();
            const int rc = hslui::runRenderCommand(input, out, width, theme, err);
            err.flush();
            return rc != 0 && errors.count(QLatin1Char('\n')) == 1;
        };
        QFile bad(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"type\":\"TEXT\",\"data\":[]}");
        bad.close();
        QVERIFY(fails(bad.fileName(), 480, QStringLiteral("light")));
        QVERIFY2(errors.contains(QStringLiteral("data")), qPrintable(errors));
        QVERIFY(fails(dir.filePath(QStringLiteral("missing.json")), 480, QString()));
        QVERIFY(fails(hsltest::fixturePath(QStringLiteral("text_plain.json")), 10, QString()));
        QVERIFY(fails(hsltest::fixturePath(QStringLiteral("text_plain.json")), 480,
                      QStringLiteral("blue")));
    }
};

QTEST_MAIN(TestHslLayout)
#include "test_hsl_layout.moc"
