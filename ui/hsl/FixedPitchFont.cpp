#include "ui/hsl/FixedPitchFont.h"

#include "models/common/Logging.h"

#include <QFontDatabase>
#include <QFontInfo>
#include <QFontMetricsF>
#include <fontconfig/fontconfig.h>
#include <memory>

namespace hslui {

namespace fixedpitch {

QStringList fontconfigMonospaceFamilies() {
    QStringList families;
    if (!FcInit())
        return families;
    const std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)> pattern(
        FcNameParse(reinterpret_cast<const FcChar8 *>("monospace")), FcPatternDestroy);
    if (!pattern)
        return families;
    FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
    FcDefaultSubstitute(pattern.get());
    FcResult result = FcResultNoMatch;
    // Untrimmed: trimming drops every font that adds no new characters, which
    // is every monospace family after the first.
    const std::unique_ptr<FcFontSet, decltype(&FcFontSetDestroy)> sorted(
        FcFontSort(nullptr, pattern.get(), FcFalse, nullptr, &result), FcFontSetDestroy);
    if (!sorted)
        return families;
    for (int i = 0; i < sorted->nfont; ++i) {
        int spacing = FC_PROPORTIONAL;
        FcChar8 *family = nullptr;
        if (FcPatternGetInteger(sorted->fonts[i], FC_SPACING, 0, &spacing) != FcResultMatch ||
            spacing < FC_MONO ||
            FcPatternGetString(sorted->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch)
            continue;
        const QString name = QString::fromUtf8(reinterpret_cast<const char *>(family));
        if (!families.contains(name))
            families.append(name);
    }
    return families;
}

bool isReallyFixedPitch(const QString &family) {
    if (family.isEmpty() ||
        !QFontDatabase::writingSystems(family).contains(QFontDatabase::Latin))
        return false;
    QFont font(family);
    font.setStyleHint(QFont::TypeWriter);
    const QFontInfo info(font);
    if (!info.fixedPitch() || info.family().compare(family, Qt::CaseInsensitive) != 0)
        return false;
    const QFontMetricsF metrics(font);
    return qFuzzyCompare(metrics.horizontalAdvance(QLatin1Char('i')),
                         metrics.horizontalAdvance(QLatin1Char('W')));
}

QString chooseFamily() {
    QStringList candidates{QFontDatabase::systemFont(QFontDatabase::FixedFont).family()};
    candidates += fontconfigMonospaceFamilies();
    candidates += QStringList{QStringLiteral("DejaVu Sans Mono"), QStringLiteral("Liberation Mono"),
                              QStringLiteral("Noto Mono"),        QStringLiteral("Nimbus Mono PS"),
                              QStringLiteral("Ubuntu Mono"),      QStringLiteral("Source Code Pro"),
                              QStringLiteral("Fira Mono"),        QStringLiteral("FreeMono"),
                              QStringLiteral("Courier New")};
    for (const QString &family : std::as_const(candidates)) {
        if (isReallyFixedPitch(family))
            return family;
    }
    const QStringList installed = QFontDatabase::families(QFontDatabase::Latin);
    for (const QString &family : installed) {
        if (QFontDatabase::isFixedPitch(family) && isReallyFixedPitch(family))
            return family;
    }
    return {};
}

} // namespace fixedpitch

QFont fixedPitchFont() {
    static const QFont font = [] {
        QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        f.setStyleHint(QFont::TypeWriter);
        const QString family = fixedpitch::chooseFamily();
        if (family.isEmpty()) {
            qCWarning(lcUi) << "no fixed-pitch font is installed: raw JSON and ids will not "
                               "line up (install fonts-dejavu-core)";
            return f;
        }
        if (family != f.family())
            qCDebug(lcUi).noquote() << "fixed-pitch font:" << family << "(fontconfig's monospace,"
                                   << f.family() << "is not fixed-pitch)";
        f.setFamily(family);
        return f;
    }();
    return font;
}

} // namespace hslui
