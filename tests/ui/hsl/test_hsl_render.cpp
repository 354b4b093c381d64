// Golden images: every HSL element type rendered by hslui::renderMessage in the
// light and dark themes, compared with tests/ui/hsl/golden/{light,dark}/NAME.png.
// Regenerate (then look at every changed PNG before committing):
//   TRACT_UPDATE_GOLDENS=1 ctest -R test_hsl_render
// Tolerance: a pixel differs when any channel differs by more than
// kChannelTolerance; at most kMaxDifferingFraction of the pixels may differ,
// and the size must match exactly.
//
// The goldens depend on the fonts fontconfig offers (Devanagari, fallbacks):
// golden/FONTSET lists the families they were made with (scripts/fontset
// minimal, which scripts/test's first pass uses). Under any other font set
// (the desktop set of the second pass, a developer's machine) each case is
// checked for layout instead: nothing outside the message, no two elements
// overlapping.
#include "HslTestSupport.h"
#include "ui/hsl/MessageLayout.h"

#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QImage>
#include <QPainter>
#include <QtTest>

namespace {

constexpr int kChannelTolerance = 24;
constexpr double kMaxDifferingFraction = 0.003;
constexpr int kWidth = 480;

struct Case {
    const char *name;
    const char *file;
    hslui::Role role;
    bool raw;
};

const Case kCases[] = {
    {"text_plain", "text_plain.json", hslui::Role::Bot, false},
    {"text_markup", "text_markup.json", hslui::Role::Bot, false},
    {"text_long_enduser", "text_long.json", hslui::Role::EndUser, false},
    {"text_agent", "text_plain.json", hslui::Role::Agent, false},
    {"text_quick_replies", "text_quick_replies.json", hslui::Role::Bot, false},
    {"text_hindi", "text_hindi.json", hslui::Role::Bot, false},
    {"text_lenient", "lenient.json", hslui::Role::Bot, false},
    {"button_links", "button_links.json", hslui::Role::Bot, false},
    {"button_file", "button_file.json", hslui::Role::Bot, false},
    {"button_document_picker", "button_document_picker.json", hslui::Role::Bot, false},
    {"button_agent", "agent_buttons.json", hslui::Role::Agent, false},
    {"carousel_cards", "carousel_cards.json", hslui::Role::Bot, false},
    {"carousel_plans", "carousel_plans.json", hslui::Role::Bot, false},
    {"carousel_no_image", "carousel_no_image.json", hslui::Role::Bot, false},
    {"carousel_video", "carousel_video.json", hslui::Role::Bot, false},
    {"carousel_image_only", "carousel_image_only.json", hslui::Role::Bot, false},
    {"image", "image.json", hslui::Role::Bot, false},
    {"system_pinned", "system_pinned.json", hslui::Role::System, false},
    {"system_empty", "system_empty.json", hslui::Role::System, false},
    {"form", "form.json", hslui::Role::Bot, false},
    {"silent", "silent.json", hslui::Role::Bot, false},
    {"native_action", "native_action.json", hslui::Role::Bot, false},
    {"unknown_type", "unknown_type.json", hslui::Role::Bot, false},
    {"unknown_type_raw", "unknown_type.json", hslui::Role::Bot, true},
    {"invalid", "invalid.json", hslui::Role::Bot, false},
};

QString fontSetPath() {
    return QStringLiteral(TRACT_TEST_DATA_DIR "/golden/FONTSET");
}

QStringList installedFamilies() {
    QStringList families = QFontDatabase::families();
    families.sort();
    return families;
}

// The families golden/FONTSET lists (comment lines start with #).
QStringList goldenFamilies() {
    QFile f(fontSetPath());
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    QStringList families;
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty() && !line.startsWith(u'#'))
            families << line.trimmed();
    }
    return families;
}

// What is wrong with the case's layout: an element outside the message, or two
// that overlap (a card's own buttons and images are inside it, not over it).
QStringList layoutProblems(const hslui::MessageLayout &layout) {
    QStringList problems;
    const QRect bounds(QPoint(0, 0), layout.size());
    const QList<hslui::AccessibleElement> elements = layout.accessibleElements();
    for (int i = 0; i < elements.size(); ++i) {
        const QRect a = elements[i].rect;
        if (!bounds.contains(a))
            problems << QStringLiteral("\"%1\" outside the message").arg(elements[i].text);
        for (int j = i + 1; j < elements.size(); ++j) {
            const QRect b = elements[j].rect;
            if (a.intersects(b) && !a.contains(b) && !b.contains(a))
                problems << QStringLiteral("\"%1\" overlaps \"%2\"")
                                .arg(elements[i].text, elements[j].text);
        }
    }
    return problems;
}

QImage render(const Case &c, bool dark, hslui::ImageCache &images) {
    const hsl::Message m = hsltest::loadMessage(QString::fromLatin1(c.file));
    const hslui::Theme theme = hsltest::theme(dark);
    if (!c.raw)
        return hslui::renderMessage(m, kWidth, theme, c.role, &images, 0);
    // The raw-JSON view is a layout state: render it by hand, as the view would.
    hslui::MessageLayout layout(std::make_shared<const hsl::Message>(m), c.role);
    layout.setRawJsonVisible(true);
    layout.layout(kWidth, theme);
    QImage image(layout.size(), QImage::Format_ARGB32_Premultiplied);
    image.fill(theme.window);
    QPainter p(&image);
    layout.paint(&p, QPoint(0, 0), theme, &images);
    return image;
}

// Fraction of pixels that differ by more than the tolerance; 1 if sizes differ.
double difference(const QImage &a, const QImage &b) {
    if (a.size() != b.size())
        return 1.0;
    const QImage x = a.convertToFormat(QImage::Format_ARGB32);
    const QImage y = b.convertToFormat(QImage::Format_ARGB32);
    qint64 differing = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const auto *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            if (std::abs(qRed(p[col]) - qRed(q[col])) > kChannelTolerance ||
                std::abs(qGreen(p[col]) - qGreen(q[col])) > kChannelTolerance ||
                std::abs(qBlue(p[col]) - qBlue(q[col])) > kChannelTolerance ||
                std::abs(qAlpha(p[col]) - qAlpha(q[col])) > kChannelTolerance)
                ++differing;
        }
    }
    return double(differing) / double(qint64(x.width()) * x.height());
}

} // namespace

class TestHslRender : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(hsltest::loadFonts(), "fonts-dejavu-core is needed for the goldens");
        hsltest::fillImages(m_images);
        if (qEnvironmentVariableIntValue("TRACT_UPDATE_GOLDENS") == 1) {
            QFile f(fontSetPath());
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text));
            f.write("# The font families the goldens were made with (scripts/fontset minimal).\n"
                    "# Under any other set, test_hsl_render checks layout, not pixels.\n");
            f.write(installedFamilies().join(u'\n').toUtf8() + '\n');
            return;
        }
        const QStringList golden = goldenFamilies();
        QVERIFY2(!golden.isEmpty(), qPrintable(fontSetPath() + QStringLiteral(" is missing")));
        m_pixels = installedFamilies() == golden;
        if (!m_pixels)
            qInfo().noquote() << "not the goldens' font set (" << fontSetPath()
                              << "): checking layout, not pixels";
    }

    void golden_data() {
        QTest::addColumn<int>("index");
        QTest::addColumn<bool>("dark");
        for (int i = 0; i < int(std::size(kCases)); ++i) {
            for (const bool dark : {false, true})
                QTest::addRow("%s/%s", dark ? "dark" : "light", kCases[i].name) << i << dark;
        }
    }

    void golden() {
        QFETCH(int, index);
        QFETCH(bool, dark);
        const Case &c = kCases[index];
        const QImage actual = render(c, dark, m_images);
        QVERIFY(!actual.isNull());
        QCOMPARE(actual.width(), kWidth);
        {
            hslui::MessageLayout layout(std::make_shared<const hsl::Message>(
                                            hsltest::loadMessage(QString::fromLatin1(c.file))),
                                        c.role);
            layout.setRawJsonVisible(c.raw);
            layout.layout(kWidth, hsltest::theme(dark));
            const QStringList problems = layoutProblems(layout);
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u"; ")));
        }

        const QString dir =
            QStringLiteral(TRACT_TEST_DATA_DIR "/golden/") + QLatin1String(dark ? "dark" : "light");
        const QString path =
            dir + QLatin1Char('/') + QLatin1String(c.name) + QStringLiteral(".png");
        if (qEnvironmentVariableIntValue("TRACT_UPDATE_GOLDENS") == 1) {
            QDir().mkpath(dir);
            QVERIFY2(actual.save(path, "PNG"), qPrintable(path));
            return;
        }
        if (!m_pixels)
            return; // another font set: the layout check above is the check
        const QImage expected(path);
        QVERIFY2(
            !expected.isNull(),
            qPrintable(QStringLiteral("missing golden ") + path +
                       QStringLiteral("; run TRACT_UPDATE_GOLDENS=1 ctest -R test_hsl_render")));
        const double diff = difference(actual, expected);
        if (diff > kMaxDifferingFraction) {
            const QString out = QDir::current().absoluteFilePath(
                QStringLiteral("hsl-render-actual/") + QLatin1String(dark ? "dark/" : "light/"));
            QDir().mkpath(out);
            actual.save(out + QLatin1String(c.name) + QStringLiteral(".png"));
            QFAIL(qPrintable(QStringLiteral("%1 differs from %2 (%3% of pixels, sizes %4x%5 vs "
                                            "%6x%7); actual saved in %8")
                                 .arg(QLatin1String(c.name), path)
                                 .arg(diff * 100, 0, 'f', 2)
                                 .arg(actual.width())
                                 .arg(actual.height())
                                 .arg(expected.width())
                                 .arg(expected.height())
                                 .arg(out)));
        }
    }

private:
    hslui::ImageCache m_images;
    bool m_pixels = true; // the goldens' font set: compare pixels
};

QTEST_MAIN(TestHslRender)
#include "test_hsl_render.moc"
