#include "PanelsTest.h"

#include <QApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStyle>

using namespace tract::store;

namespace panelstest {

std::vector<Registration> &registry() {
    static std::vector<Registration> r;
    return r;
}

QPalette lightPalette() {
    return QApplication::style()->standardPalette();
}

bool shoot(QWidget *w, const QString &name, const QSize &size) {
    const QString dir = QStringLiteral(TRACT_PANELS_SHOT_DIR);
    QDir().mkpath(dir);
    bool ok = true;
    const std::pair<const char *, QPalette> palettes[] = {{"light", lightPalette()},
                                                          {"dark", darkPalette()}};
    for (const auto &[suffix, palette] : palettes) {
        w->setPalette(palette);
        w->resize(size);
        w->show();
        QApplication::processEvents();
        const QPixmap shot = w->grab();
        ok = ok && !shot.isNull() &&
             shot.save(dir + QLatin1Char('/') + name + QLatin1Char('-') + QLatin1String(suffix) +
                       QStringLiteral(".png"));
    }
    w->setPalette(lightPalette());
    return ok;
}

namespace {

IncomingMessage message(const QString &user, const QString &text, const QString &sender, qint64 id,
                        const QDateTime &at) {
    IncomingMessage m;
    m.thread = {user, QStringLiteral("1")};
    m.messageId = id;
    m.sender = sender;
    m.body = {{QStringLiteral("type"), QStringLiteral("TEXT")}, {QStringLiteral("text"), text}};
    m.receivedAt = at;
    return m;
}

IncomingEvent event(const QString &user, const QString &category, const QString &subcategory,
                    const std::optional<QString> &metadata, const QDateTime &at) {
    IncomingEvent e;
    e.thread = {user, QStringLiteral("1")};
    e.category = category;
    e.subcategory = subcategory;
    e.metadata = metadata;
    e.receivedAt = at;
    QJsonObject raw{{QStringLiteral("user_id"), user},
                    {QStringLiteral("conversation_number"), QStringLiteral("1")},
                    {QStringLiteral("type"), category},
                    {QStringLiteral("subtype"), subcategory}};
    if (metadata)
        raw.insert(QStringLiteral("metadata"), *metadata);
    e.rawJson = QJsonDocument(raw).toJson(QJsonDocument::Compact);
    return e;
}

IncomingEvent ownerChange(const QString &user, const QString &from, const QString &to,
                          const QDateTime &at) {
    const QJsonObject meta{{QStringLiteral("from"), from},
                           {QStringLiteral("to"), to},
                           {QStringLiteral("requester"), to}};
    return event(user, QStringLiteral("thread_control"), QStringLiteral("take"),
                 QString::fromUtf8(QJsonDocument(meta).toJson(QJsonDocument::Compact)), at);
}

User user(const QString &id, const QString &name, const QString &platform) {
    User u;
    u.userId = id;
    u.name = name;
    u.devicePlatform = platform;
    return u;
}

} // namespace

SampleStore::SampleStore(const QDateTime &now)
    : m_store(std::make_unique<Store>())
    , m_now(now) {
    m_ok = m_dir.isValid() && m_store->open(m_dir.filePath(QStringLiteral("panels.db")));
    if (!m_ok)
        return;
    const auto ago = [&](int seconds) {
        return now.addSecs(-seconds);
    };
    write(user(QStringLiteral("u1"), QStringLiteral("Asha Rao"), QStringLiteral("14")));
    write(user(QStringLiteral("u2"), QStringLiteral("Ben Okafor"), QStringLiteral("5")));
    write(user(QStringLiteral("u3"), QStringLiteral("Chen Wei"), QStringLiteral("3")));
    write(user(QStringLiteral("u4"), QStringLiteral("Dana Petrova"), QStringLiteral("14")));
    write(user(QStringLiteral("u5"), QStringLiteral("Emil Svensson"), QStringLiteral("6")));
    write(message(QStringLiteral("u1"), QStringLiteral("What are your opening hours?"),
                  QStringLiteral("ceu"), 1, ago(1500)));
    write(message(QStringLiteral("u2"), QStringLiteral("I need to talk to a person"),
                  QStringLiteral("ceu"), 1, ago(260)));
    write(event(QStringLiteral("u2"), QStringLiteral("conversation_state"),
                QStringLiteral("incomplete"), std::nullopt, ago(252)));
    write(message(QStringLiteral("u3"), QStringLiteral("Refund for order 1182, please"),
                  QStringLiteral("ceu"), 1, ago(100)));
    write(event(QStringLiteral("u3"), QStringLiteral("conversation_state"),
                QStringLiteral("incomplete"), std::nullopt, ago(95)));
    write(ownerChange(QStringLiteral("u3"), QStringLiteral("iva"), kMe, ago(60)));
    write(message(QStringLiteral("u4"), QStringLiteral("My parcel is lost"), QStringLiteral("ceu"),
                  1, ago(900)));
    write(event(QStringLiteral("u4"), QStringLiteral("conversation_state"),
                QStringLiteral("incomplete"), std::nullopt, ago(890)));
    write(
        ownerChange(QStringLiteral("u4"), QStringLiteral("iva"), QStringLiteral("sac"), ago(700)));
    write(message(QStringLiteral("u5"), QStringLiteral("Thanks, bye"), QStringLiteral("ceu"), 1,
                  ago(3000)));
    write(event(QStringLiteral("u5"), QStringLiteral("conversation_state"),
                QStringLiteral("complete"), std::nullopt, ago(2990)));
}

void SampleStore::write(const WriteOp &op) {
    const WriteResult r = m_store->write(op);
    m_ok = m_ok && r.ok;
}

} // namespace panelstest
