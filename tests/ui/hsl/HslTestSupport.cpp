#include "HslTestSupport.h"

#include "models/hsl/Parser.h"

#include <QFile>
#include <QFontDatabase>
#include <QLinearGradient>
#include <QPainter>

namespace hsltest {

bool loadFonts() {
    static const bool ok = [] {
        const QString dir = QStringLiteral("/usr/share/fonts/truetype/dejavu/");
        bool all = true;
        for (const char *f : {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                              "DejaVuSans-BoldOblique.ttf", "DejaVuSansMono.ttf"})
            all = QFontDatabase::addApplicationFont(dir + QLatin1String(f)) >= 0 && all;
        return all;
    }();
    return ok;
}

hslui::Theme theme(bool dark) {
    loadFonts();
    hslui::Theme t = dark ? hslui::Theme::dark() : hslui::Theme::light();
    QFont base(QStringLiteral("DejaVu Sans"));
    base.setPixelSize(13);
    base.setHintingPreference(QFont::PreferNoHinting);
    t.setFont(base);
    QFont mono(QStringLiteral("DejaVu Sans Mono"));
    mono.setPixelSize(11);
    mono.setHintingPreference(QFont::PreferNoHinting);
    t.monoFont = mono;
    t.touch();
    return t;
}

QString fixturePath(const QString &file) {
    const QString local = QStringLiteral(TRACT_TEST_DATA_DIR "/fixtures/") + file;
    if (QFile::exists(local))
        return local;
    return QStringLiteral(TRACT_SOURCE_DIR "/tests/data/hsl/") + file;
}

hsl::Message loadMessage(const QString &file) {
    QFile f(fixturePath(file));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return hsl::Parser::parse(f.readAll());
}

namespace {

// A recognisable picture: a diagonal gradient, a disc and a frame, so scaling
// and cropping to the card's aspect ratio are visible in the goldens.
QImage picture(const QSize &size, const QColor &a, const QColor &b) {
    QImage img(size, QImage::Format_RGB32);
    QPainter p(&img);
    QLinearGradient g(0, 0, size.width(), size.height());
    g.setColorAt(0, a);
    g.setColorAt(1, b);
    p.fillRect(img.rect(), g);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 255, 255, 200));
    const int r = std::min(size.width(), size.height()) / 4;
    p.drawEllipse(QPoint(size.width() / 2, size.height() / 2), r, r);
    p.setPen(QPen(Qt::black, 4));
    p.setBrush(Qt::NoBrush);
    p.drawRect(img.rect().adjusted(2, 2, -2, -2));
    return img;
}

} // namespace

void fillImages(hslui::ImageCache &cache) {
    cache.setNetworkEnabled(false);
    cache.insert(QUrl(QStringLiteral("https://img.example.net/rooms/single.jpg")),
                 picture(QSize(400, 300), QColor(0x2E, 0x8B, 0x57), QColor(0xF0, 0xE6, 0x8C)));
    cache.insert(QUrl(QStringLiteral("https://img.example.net/receipt.png")),
                 picture(QSize(300, 400), QColor(0x46, 0x82, 0xB4), QColor(0xFF, 0xB6, 0xC1)));
    cache.insert(QUrl(QStringLiteral("https://img.example.net/plans/basic.png")),
                 picture(QSize(640, 320), QColor(0xCD, 0x5C, 0x5C), QColor(0xFF, 0xD7, 0x00)));
    cache.insert(QUrl(QStringLiteral("https://img.example.net/plans/plus.png")),
                 picture(QSize(200, 200), QColor(0x6A, 0x5A, 0xCD), QColor(0x00, 0xCE, 0xD1)));
}

} // namespace hsltest
