#include "app/TranslationLoader.h"

#include "models/common/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLibraryInfo>

namespace console {

namespace {

const QString kPrefix = QStringLiteral("tract-console_");
const QString kSuffix = QStringLiteral(".qm");

// The context lupdate gives tr() here (namespace console, class TranslationLoader).
QString tr(const char *text) {
    return QCoreApplication::translate("console::TranslationLoader", text);
}

QString nativeName(const QString &code) {
    // QLocale names the default territory's variant ("American English",
    // "español de España"); a language menu wants the language.
    static const QHash<QString, QString> names{{QStringLiteral("en"), QStringLiteral("English")},
                                               {QStringLiteral("es"), QStringLiteral("Español")},
                                               {QStringLiteral("hi"), QStringLiteral("हिन्दी")}};
    if (const auto it = names.constFind(code); it != names.constEnd())
        return *it;
    QString name = QLocale(code).nativeLanguageName();
    if (!name.isEmpty())
        name[0] = name[0].toUpper(); // "español" as a menu item
    return name.isEmpty() ? code : name;
}

// Qt's catalogues (qt6-translations-l10n) have no Hindi: the standard dialog
// buttons and edit menus would stay English among Hindi labels. Qt asks for
// their texts in its own contexts, so carrying them under those contexts in our
// catalogues fills the gap (Qt's own catalogue, where it exists, is asked first).
[[maybe_unused]] const char *const kStandardButtons[] = {
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Open"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Yes to &All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "N&o to All"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Abort"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Retry"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Ignore"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Apply"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Reset"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Restore Defaults"),
    // GNOME's platform theme names some buttons its own way.
    QT_TRANSLATE_NOOP("QGnomeTheme", "&OK"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "&Save"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "&Cancel"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "&Close"),
    QT_TRANSLATE_NOOP("QGnomeTheme", "Close without Saving"),
};

// The context menus of every line edit and of the composer.
[[maybe_unused]] const char *const kEditMenus[] = {
    QT_TRANSLATE_NOOP("QLineEdit", "&Undo"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Redo"),
    QT_TRANSLATE_NOOP("QLineEdit", "Cu&t"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Copy"),
    QT_TRANSLATE_NOOP("QLineEdit", "&Paste"),
    QT_TRANSLATE_NOOP("QLineEdit", "Delete"),
    QT_TRANSLATE_NOOP("QLineEdit", "Select All"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Undo"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Redo"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Cu&t"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Copy"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Copy &Link Location"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "&Paste"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Delete"),
    QT_TRANSLATE_NOOP("QWidgetTextControl", "Select All"),
};

} // namespace

TranslationLoader::TranslationLoader(QString directory, QString fallbackCatalogue)
    : m_directory(std::move(directory))
    , m_fallback(std::move(fallbackCatalogue)) {}

QList<TranslationLoader::Language> TranslationLoader::available() const {
    QList<Language> languages{{QStringLiteral("en"), nativeName(QStringLiteral("en"))}};
    const QStringList files =
        QDir(m_directory).entryList({kPrefix + u'*' + kSuffix}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString code =
            file.mid(kPrefix.size(), file.size() - kPrefix.size() - kSuffix.size());
        if (code != u"en" && languageCode(code) == code)
            languages.append({code, nativeName(code)});
    }
    return languages;
}

QString TranslationLoader::languageCode(const QString &name) {
    if (name.isEmpty())
        return {};
    const QLocale locale(name);
    // QLocale turns any name it does not know into the C locale.
    if (locale.language() == QLocale::C || locale.language() == QLocale::AnyLanguage)
        return {};
    return QLocale::languageToCode(locale.language());
}

bool TranslationLoader::loadCatalogue(const QString &code) {
    const QString path = QDir(m_directory).filePath(kPrefix + code + kSuffix);
    if (!QFileInfo::exists(path)) {
        m_warning = tr("no %1 translation in %2: using English").arg(nativeName(code), m_directory);
        return false;
    }
    if (!m_app.load(path)) {
        m_warning = tr("cannot read the %1 translation %2 (damaged?): using English")
                        .arg(nativeName(code), path);
        return false;
    }
    return true;
}

QString TranslationLoader::install(const QString &requested, const QString &saved) {
    m_warning.clear();
    const bool chosen = !requested.isEmpty() || (!saved.isEmpty() && saved != u"system");
    QString code;
    if (chosen) {
        const QString name = requested.isEmpty() ? saved : requested;
        code = languageCode(name);
        if (code.isEmpty())
            m_warning = tr("unknown language \"%1\": using English").arg(name);
    } else {
        for (const QString &name : QLocale::system().uiLanguages()) {
            code = languageCode(name);
            if (!code.isEmpty())
                break;
        }
    }
    if (code.isEmpty())
        code = QStringLiteral("en");
    if (code != u"en" && !loadCatalogue(code)) {
        // A system language the console does not speak is no surprise: say so
        // only in the debug log.
        if (!chosen) {
            qCDebug(lcI18n).noquote() << m_warning;
            m_warning.clear();
        }
        code = QStringLiteral("en");
    }
    if (code == u"en" && !m_app.load(m_fallback))
        qCWarning(lcI18n).noquote() << "the built-in English catalogue is missing:" << m_fallback;
    QCoreApplication::installTranslator(&m_app);
    if (m_qt.load(QStringLiteral("qtbase_") + code,
                  QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qt);
    // The system's own locale keeps its country's formats when it speaks the
    // language already (es_MX stays es_MX); otherwise the chosen language's.
    if (QLocale::system().language() != QLocale(code).language())
        QLocale::setDefault(QLocale(code));
    if (!m_warning.isEmpty())
        qCWarning(lcI18n).noquote() << m_warning;
    return code;
}

} // namespace console
