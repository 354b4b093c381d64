#pragma once

#include <QList>
#include <QLocale>
#include <QString>
#include <QTranslator>

namespace console {

// Chooses the language the console speaks and installs its catalogues: the
// console's own (tract-console_XX.qm in one directory) and Qt's (qtbase_XX.qm,
// for the standard dialog buttons) when the system has it. Whatever goes wrong
// (an unknown language, a missing or unreadable catalogue) ends in English with
// a warning, never in empty labels.
class TranslationLoader {
public:
    struct Language {
        QString code;       // "en", "es", "hi": the catalogue's suffix
        QString nativeName; // "Español", "हिन्दी": how the menu lists it
    };

    // `directory` holds the tract-console_XX.qm files; `fallbackCatalogue` is the
    // built-in English one.
    TranslationLoader(QString directory, QString fallbackCatalogue);

    // English plus every catalogue in the directory, English first.
    QList<Language> available() const;

    // `requested` (--lang) wins over `saved` (View → Language; empty or "system":
    // none), which wins over the system locale. Installs the translators, sets the
    // default QLocale to the chosen language's when it differs from the system's
    // (dates, times and numbers then follow it) and returns the code in effect.
    QString install(const QString &requested, const QString &saved);

    // Why the language in effect is not the one asked for; empty when it is.
    QString warning() const { return m_warning; }

    // "es-MX" -> "es"; empty for a name QLocale does not know.
    static QString languageCode(const QString &name);

private:
    bool loadCatalogue(const QString &code);

    QString m_directory;
    QString m_fallback;
    QString m_warning;
    QTranslator m_app;
    QTranslator m_qt;
};

} // namespace console
