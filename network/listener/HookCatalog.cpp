#include "network/listener/HookCatalog.h"

#include <QRandomGenerator>

namespace tract {

const QList<HookKind> &consoleHooks() {
    static const QList<HookKind> hooks = [] {
        QList<HookKind> h{{QStringLiteral("message"), QStringLiteral("receive")},
                          {QStringLiteral("user_events"), QStringLiteral("create_user")}};
        for (const char *s : {"incomplete", "complete", "waiting", "pinned", "bot"})
            h.append({QStringLiteral("conversation_state"), QLatin1String(s)});
        for (const char *s :
             {"received", "allocated", "user_timeout", "transition", "entity_update"})
            h.append({QStringLiteral("aeu_events"), QLatin1String(s)});
        for (const char *s : {"take", "pass", "request"})
            h.append({QStringLiteral("thread_control"), QLatin1String(s)});
        return h;
    }();
    return hooks;
}

bool isConsoleHook(const QString &category, const QString &subcategory) {
    return consoleHooks().contains(HookKind{category, subcategory});
}

QString hookUrl(const QString &publicBase, const QString &pathSecret, const HookKind &hook) {
    QString base = publicBase;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base + QStringLiteral("/hooks/") + pathSecret + QLatin1Char('/') + hook.category +
           QLatin1Char('/') + hook.subcategory;
}

QString generatePathSecret() {
    QByteArray bytes(32, Qt::Uninitialized);
    // QRandomGenerator::system() is the OS's cryptographically secure source.
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          bytes.size() / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b) {
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace tract
