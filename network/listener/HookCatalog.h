#pragma once

#include <QList>
#include <QString>

namespace tract {

// The hooks the console registers with TRACT (architecture guide, "Contracts"),
// and how their URLs look: <public base>/hooks/<secret>/<category>/<subcategory>.
struct HookKind {
    QString category;
    QString subcategory;
    bool operator==(const HookKind &o) const {
        return category == o.category && subcategory == o.subcategory;
    }
};

const QList<HookKind> &consoleHooks();
bool isConsoleHook(const QString &category, const QString &subcategory);
QString hookUrl(const QString &publicBase, const QString &pathSecret, const HookKind &hook);

// 256 random bits, base64url without padding: the secret path segment.
QString generatePathSecret();

// Constant-time comparison, so response timing does not reveal how much of a
// secret or signature was right.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

} // namespace tract
