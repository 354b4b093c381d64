#include "ViewsTestUtil.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace tract::store;

namespace viewstest {

std::vector<Registration> &registry() {
    static std::vector<Registration> r;
    return r;
}

TempStore::TempStore()
    : m_store(std::make_unique<Store>()) {
    if (m_dir.isValid())
        m_store->open(m_dir.filePath(QStringLiteral("views.db")));
}

QDateTime t0() {
    return QDateTime(QDate(2024, 5, 1), QTime(10, 0), Qt::UTC);
}

QDateTime at(int seconds) {
    return t0().addSecs(seconds);
}

IncomingMessage message(const QString &user, const QString &conv, const QString &text,
                        const QString &sender, std::optional<qint64> messageId,
                        const QDateTime &receivedAt) {
    IncomingMessage m;
    m.thread = {user, conv};
    m.messageId = messageId;
    m.sender = sender;
    m.body = {{QStringLiteral("type"), QStringLiteral("TEXT")}, {QStringLiteral("text"), text}};
    m.receivedAt = receivedAt;
    return m;
}

IncomingEvent hookEvent(const QString &user, const QString &conv, const QString &category,
                        const QString &subcategory, const std::optional<QString> &metadata,
                        const QDateTime &receivedAt) {
    IncomingEvent e;
    e.thread = {user, conv};
    e.category = category;
    e.subcategory = subcategory;
    e.metadata = metadata;
    e.receivedAt = receivedAt;
    QJsonObject raw{{QStringLiteral("user_id"), user},
                    {QStringLiteral("conversation_number"), conv},
                    {QStringLiteral("category"), category},
                    {QStringLiteral("subcategory"), subcategory}};
    if (metadata)
        raw.insert(QStringLiteral("metadata"), *metadata);
    e.rawJson = QJsonDocument(raw).toJson(QJsonDocument::Compact);
    return e;
}

IncomingEvent ownerChange(const QString &user, const QString &conv, const QString &from,
                          const QString &to, const QDateTime &receivedAt,
                          const QString &subcategory) {
    const QJsonObject meta{{QStringLiteral("from"), from},
                           {QStringLiteral("to"), to},
                           {QStringLiteral("requester"), to}};
    return hookEvent(user, conv, QStringLiteral("thread_control"), subcategory,
                     QString::fromUtf8(QJsonDocument(meta).toJson(QJsonDocument::Compact)),
                     receivedAt);
}

User user(const QString &id, const QString &name, const QString &platform) {
    User u;
    u.userId = id;
    u.name = name;
    u.devicePlatform = platform;
    return u;
}

} // namespace viewstest
