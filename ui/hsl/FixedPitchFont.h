#pragma once

#include <QFont>
#include <QString>
#include <QStringList>

namespace hslui {

// The font for text that must line up in columns: raw JSON, ids, code-like
// fields. QFontDatabase::systemFont(FixedFont) is whatever fontconfig answers
// for "monospace", and on a stock desktop that can be a family fontconfig
// itself does not mark fixed-pitch (Noto Sans Mono). So each candidate is
// checked: the desktop's own choice, then fontconfig's monospace families in
// its order of preference, then well-known families, then any installed family
// Qt knows to be fixed-pitch. Chosen once per process.
QFont fixedPitchFont();

// The steps behind it, for tests and diagnostics.
namespace fixedpitch {
// Families fontconfig prefers for "monospace", marked mono or charcell, in its
// order; empty when fontconfig cannot be asked (a broken configuration).
QStringList fontconfigMonospaceFamilies();
// True when `family` is installed as itself (not substituted), Qt reports it
// fixed-pitch, it covers Latin, and a narrow and a wide letter advance alike.
bool isReallyFixedPitch(const QString &family);
// The family fixedPitchFont() uses, empty when none passes.
QString chooseFamily();
} // namespace fixedpitch

} // namespace hslui
