#pragma once

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <functional>

namespace tract::hub {

class HubDatabase;

// What one change adds to the log: events numbered on, stored together.
class EventBatch {
public:
    // Numbers the event and queues it for the batch's transaction.
    qint64 add(const QString &kind, QJsonObject fields);
    HubDatabase &db() const { return *m_db; }
    // A write of the batch's own failed: the whole batch rolls back.
    void require(bool ok) { m_ok = m_ok && ok; }
    bool isEmpty() const { return m_texts.isEmpty(); }

private:
    friend class HubEventLog;
    EventBatch(HubDatabase *db, qint64 lastSeq)
        : m_db(db)
        , m_seq(lastSeq) {}
    HubDatabase *m_db;
    qint64 m_seq;
    QStringList m_texts;
    bool m_ok = true;
};

// The hub's numbered event log: `seq` strictly +1 across the hub, each event
// stored before anyone sees it, so a console that resumes from its last seq
// can be given exactly what follows.
class HubEventLog : public QObject {
    Q_OBJECT
public:
    explicit HubEventLog(HubDatabase *db, QObject *parent = nullptr);

    void load(); // after the database opened
    qint64 lastSeq() const { return m_lastSeq; }
    // Runs `body` and everything else it writes to the database in one
    // transaction; on commit the new events are published, on failure none
    // exist and the numbering is as before.
    bool write(const std::function<bool(EventBatch &)> &body);

signals:
    void published(const QStringList &frames);

private:
    HubDatabase *m_db;
    qint64 m_lastSeq = 0;
};

} // namespace tract::hub
