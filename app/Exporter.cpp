#include "app/Exporter.h"

#include "models/store/Store.h"

#include <QCollator>
#include <QCoreApplication>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace console {

namespace {

using namespace tract::store;

constexpr int kPage = 1000;

QList<ThreadKey> threadKeys(const Store &store, const QString &userId) {
    QList<ThreadKey> keys;
    ThreadQuery q;
    q.limit = kPage;
    if (!userId.isEmpty())
        q.userId = userId;
    for (;;) {
        const QList<Thread> page = store.threads(q);
        for (const Thread &t : page)
            keys.append(t.key);
        if (page.size() < kPage)
            break;
        q.after = page.last().cursor();
    }
    // By user, then conversation number as a number ("10" after "9").
    QCollator numeric;
    numeric.setNumericMode(true);
    std::sort(keys.begin(), keys.end(), [&](const ThreadKey &a, const ThreadKey &b) {
        if (a.userId != b.userId)
            return numeric.compare(a.userId, b.userId) < 0;
        return numeric.compare(a.conversationNumber, b.conversationNumber) < 0;
    });
    return keys;
}

template <typename F> void forEachMessage(const Store &store, const ThreadKey &key, F f) {
    MessageQuery q;
    q.thread = key;
    q.direction = PageDirection::Newer;
    q.limit = kPage;
    for (;;) {
        const MessagePage page = store.messages(q);
        for (const Message &m : page.messages)
            f(m);
        if (!page.hasNewer || page.messages.isEmpty())
            break;
        q.anchor = page.newest();
    }
}

QList<Event> threadEvents(const Store &store, const ThreadKey &key) {
    QList<Event> all;
    EventQuery q;
    q.thread = key;
    q.limit = kPage;
    for (;;) {
        const QList<Event> page = store.events(q);
        all += page;
        if (page.size() < kPage)
            break;
        q.beforeSeq = page.last().seq;
    }
    std::reverse(all.begin(), all.end()); // oldest first, like the messages
    return all;
}

QString iso(const QDateTime &t) {
    return t.toUTC().toString(Qt::ISODateWithMs);
}

QJsonObject messageJson(const Message &m) {
    QJsonObject o{
        {QStringLiteral("message_id"), m.messageId ? QJsonValue(*m.messageId) : QJsonValue()},
        {QStringLiteral("sender"), m.sender},
        {QStringLiteral("timestamp"), iso(m.timestamp.value_or(m.receivedAt))},
        {QStringLiteral("direction"),
         m.direction == Direction::In ? QStringLiteral("in") : QStringLiteral("out")},
        {QStringLiteral("message_body"), m.body}};
    if (m.direction == Direction::Out)
        o.insert(QStringLiteral("state"),
                 m.outboxState ? outboxStateName(*m.outboxState) : QStringLiteral("sent"));
    if (!m.outboxError.isEmpty())
        o.insert(QStringLiteral("error"), m.outboxError);
    return o;
}

QJsonObject eventJson(const Event &e) {
    QJsonObject o{{QStringLiteral("category"), e.category},
                  {QStringLiteral("subcategory"), e.subcategory},
                  {QStringLiteral("timestamp"), iso(e.timestamp.value_or(e.receivedAt))},
                  {QStringLiteral("direction"),
                   e.direction == Direction::In ? QStringLiteral("in") : QStringLiteral("out")}};
    if (e.metadata)
        o.insert(QStringLiteral("metadata"), *e.metadata);
    return o;
}

// One line of a readable transcript.
QString messageLine(const Message &m) {
    const QString type = m.body.value(QStringLiteral("type")).toString();
    QString text = m.body.value(QStringLiteral("text")).toString();
    if (text.isEmpty())
        text = m.body.value(QStringLiteral("title")).toString();
    QString line = QStringLiteral("[%1] %2").arg(iso(m.timestamp.value_or(m.receivedAt)), m.sender);
    if (m.direction == Direction::Out)
        line += QStringLiteral(" (%1)").arg(m.outboxState ? outboxStateName(*m.outboxState)
                                                          : QStringLiteral("sent"));
    line += QStringLiteral(": ") + text;
    if (type != QLatin1String("TEXT"))
        line += QStringLiteral(" [%1]").arg(type);
    return line;
}

} // namespace

bool Exporter::write(const QString &userId, QIODevice &out, QString *error) const {
    const QList<ThreadKey> keys = threadKeys(m_store, userId);
    if (!userId.isEmpty() && keys.isEmpty() && !m_store.user(userId)) {
        *error = QCoreApplication::translate("console", "no stored user '%1'").arg(userId);
        return false;
    }
    if (m_format == Format::Json)
        out.write("{\"threads\":[");
    bool first = true;
    for (const ThreadKey &key : keys) {
        if (m_format == Format::Json) {
            QJsonArray messages;
            forEachMessage(m_store, key,
                           [&](const Message &m) { messages.append(messageJson(m)); });
            QJsonArray events;
            for (const Event &e : threadEvents(m_store, key))
                events.append(eventJson(e));
            QJsonObject thread{{QStringLiteral("user_id"), key.userId},
                               {QStringLiteral("conversation_number"), key.conversationNumber},
                               {QStringLiteral("messages"), messages},
                               {QStringLiteral("events"), events}};
            if (const auto user = m_store.user(key.userId); user && user->name)
                thread.insert(QStringLiteral("user_name"), *user->name);
            if (!first)
                out.write(",");
            out.write(QJsonDocument(thread).toJson(QJsonDocument::Compact));
        } else {
            const auto user = m_store.user(key.userId);
            const QString name = user && user->name ? *user->name : key.userId;
            out.write(QStringLiteral("== %1 (%2), conversation %3 ==\n")
                          .arg(name, key.userId, key.conversationNumber)
                          .toUtf8());
            forEachMessage(m_store, key, [&](const Message &m) {
                out.write((messageLine(m) + QLatin1Char('\n')).toUtf8());
            });
            for (const Event &e : threadEvents(m_store, key)) {
                out.write(QStringLiteral("[%1] event %2/%3%4\n")
                              .arg(iso(e.timestamp.value_or(e.receivedAt)), e.category,
                                   e.subcategory,
                                   e.metadata ? QStringLiteral(" ") + *e.metadata : QString())
                              .toUtf8());
            }
            out.write("\n");
        }
        first = false;
    }
    if (m_format == Format::Json)
        out.write("]}\n");
    return true;
}

} // namespace console
