#include "network/hub/HubEventLog.h"

#include "network/hub/HubDatabase.h"
#include "network/hub/HubProtocol.h"

#include <QDateTime>
#include <QJsonDocument>

namespace tract::hub {

qint64 EventBatch::add(const QString &kind, QJsonObject fields) {
    fields.insert(QStringLiteral("type"), QStringLiteral("event"));
    fields.insert(QStringLiteral("seq"), ++m_seq);
    fields.insert(QStringLiteral("kind"), kind);
    fields.insert(QStringLiteral("at"), protocol::isoTime(QDateTime::currentDateTimeUtc()));
    m_ok = m_ok && m_db->appendEvent(fields);
    m_texts.append(QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact)));
    return m_seq;
}

HubEventLog::HubEventLog(HubDatabase *db, QObject *parent)
    : QObject(parent)
    , m_db(db) {}

void HubEventLog::load() {
    m_lastSeq = m_db->lastSeq();
}

bool HubEventLog::write(const std::function<bool(EventBatch &)> &body) {
    EventBatch batch(m_db, m_lastSeq);
    const bool ok = m_db->transaction([&] { return body(batch) && batch.m_ok; });
    if (!ok)
        return false;
    m_lastSeq = batch.m_seq;
    if (!batch.m_texts.isEmpty())
        emit published(batch.m_texts);
    return true;
}

} // namespace tract::hub
