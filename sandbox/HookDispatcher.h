#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <deque>
#include <functional>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace sandbox {

// Delivers hooks to the ECT as TRACT does (Haptik's documented webhook protocol):
// - per end user strictly FIFO: a user's next hook waits for the previous ack;
// - a non-2xx or a timeout is retried per the retry schedule;
// - when the schedule is exhausted the registration is disabled, and hooks for it
//   (the failed one included) wait until it is registered again, then flush in order;
// - with a secret, X-Hub-Signature (sha1) and X-Hub-Signature-256 headers.
class HookDispatcher : public QObject {
    Q_OBJECT
public:
    struct Registration {
        QString category;
        QString subcategory;
        QUrl url;
        bool enabled = true;
    };

    struct Settings {
        QList<double> retrySchedule; // seconds
        int timeoutMs = 5000;
        QByteArray secret;
    };

    // Called with the ECT's reply body once a hook was acknowledged.
    using AckHandler = std::function<void(const QByteArray &reply)>;

    explicit HookDispatcher(const Settings &settings, QObject *parent = nullptr);
    ~HookDispatcher() override;

    // Registering (again) enables the registration and flushes what waited for it.
    void registerHook(const QString &category, const QString &subcategory, const QUrl &url);
    bool hasRegistration(const QString &category, const QString &subcategory) const;
    QList<Registration> registrations() const;

    // Queues a hook for `userId`. Without a registration for the category the hook
    // is not sent (as TRACT does) and recorded as "skipped".
    void send(const QString &userId, const QString &category, const QString &subcategory,
              const QJsonObject &body, AckHandler onAck = {});

    QJsonArray deliveriesJson() const;
    int pendingCount() const;
    void reset(); // forget registrations, queues and history

    struct Stats {
        qint64 delivered = 0;
        qint64 acked = 0;
        qint64 retried = 0;
        qint64 failedAttempts = 0;
        QList<double> ackLatenciesMs; // first send to ack, per delivered hook
    };
    const Stats &stats() const { return m_stats; }

    static QByteArray signatureSha1(const QByteArray &body, const QByteArray &secret);
    static QByteArray signatureSha256(const QByteArray &body, const QByteArray &secret);

signals:
    void registrationDisabled(const QString &category, const QString &subcategory);
    void idle(); // nothing queued or in flight

private:
    struct Record {
        quint64 id = 0;
        QString userId;
        QString category;
        QString subcategory;
        int attempts = 0;
        QString status; // queued, sending, retrying, waiting (disabled), delivered, skipped
        QString lastError;
        double latencyMs = -1;
    };
    struct Job {
        std::shared_ptr<Record> record;
        QByteArray body;
        AckHandler onAck;
        QElapsedTimer sinceFirstSend;
        int failuresThisRound = 0; // since the registration was last (re-)enabled
    };
    struct UserQueue {
        std::deque<Job> jobs;
        bool busy = false; // head in flight or waiting for its retry timer
    };

    static QString key(const QString &category, const QString &subcategory);
    void pump(const QString &userId);
    void attempt(const QString &userId);
    void finished(const QString &userId, QNetworkReply *reply);
    void remember(const std::shared_ptr<Record> &record);
    void checkIdle();

    Settings m_settings;
    QList<QNetworkAccessManager *> m_networks;    // a user's hooks always use the same one
    QHash<QString, Registration> m_registrations; // by "category/subcategory"
    QHash<QString, UserQueue> m_queues;
    std::deque<std::shared_ptr<Record>> m_history; // newest last
    quint64 m_nextId = 1;
    int m_pending = 0;
    quint64 m_generation = 0; // bumped by reset() so stale replies and timers are ignored
    Stats m_stats;
};

} // namespace sandbox
