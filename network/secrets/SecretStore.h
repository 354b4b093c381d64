#pragma once

#include "network/secrets/SecretTypes.h"

#include <QObject>
#include <QPointer>
#include <QQueue>
#include <memory>

namespace QKeychain {
class Job;
}

class QTimer;

namespace secrets {

class SecretStore;

// One queued keychain operation. Emits finished() once, then deletes itself.
class SecretJob : public QObject {
    Q_OBJECT
public:
    enum class Operation { Read, Write, Remove };

    Operation operation() const { return m_operation; }
    QString key() const { return m_key; }
    const SecretResult &result() const { return *m_result; }

    // Calls f(const SecretResult &) when the job finishes, unless `context` was
    // destroyed first. The result is shared, so a queued delivery stays valid.
    template <typename F> QMetaObject::Connection onResult(QObject *context, F f) {
        return connect(this, &SecretJob::finished, context,
                       [result = m_result, f = std::move(f)]() mutable { f(*result); });
    }

signals:
    void finished();

private:
    friend class SecretStore;
    SecretJob(Operation operation, QString key, QString value, QObject *parent);
    Operation m_operation;
    QString m_key;
    QString m_value; // to write; cleared once handed to the keychain
    std::shared_ptr<SecretResult> m_result = std::make_shared<SecretResult>();
};

// The system keychain through QtKeychain, service "tract-console".
//
// Jobs run one at a time, first in first out (Nheko's lesson: concurrent
// QtKeychain jobs on one service race in some backends). The next job starts
// from a zero timer, never from inside the previous job's finished handler, so
// a handler that queues more work cannot re-enter the queue.
//
// A job the keychain does not answer within timeout() (an unlock prompt left
// unanswered, a daemon that hangs) finishes as TimedOut and the queue moves
// on: one stuck prompt must not stall every secret behind it. Its late answer
// is ignored.
//
// "No keychain reachable" (no Secret Service on the session bus, no D-Bus at
// all, no backend) is its own status, NoKeychain, and flips keychainAvailable()
// so the UI can say so and the caller can use FileSecretFallback.
class SecretStore : public QObject {
    Q_OBJECT
public:
    explicit SecretStore(QObject *parent = nullptr);
    explicit SecretStore(const QString &service, QObject *parent = nullptr);
    ~SecretStore() override;

    QString service() const { return m_service; }

    SecretJob *read(const QString &key);
    SecretJob *write(const QString &key, const QString &value);
    SecretJob *remove(const QString &key);

    // False once a job found no keychain; true again after a job reached it.
    bool keychainAvailable() const { return m_available; }
    QString unavailableReason() const { return m_unavailableReason; }
    int pendingJobs() const { return int(m_queue.size()) + (m_running ? 1 : 0); }
    // How long one job may wait for the keychain; 30 s by default (long
    // enough to type a password into an unlock prompt).
    void setTimeout(int ms) { m_timeoutMs = ms; }
    int timeout() const { return m_timeoutMs; }

signals:
    void keychainAvailabilityChanged(bool available, const QString &message);

private:
    SecretJob *enqueue(SecretJob *job);
    void scheduleNext();
    void startNext();
    void onKeychainFinished(QKeychain::Job *keychainJob);
    void onTimeout();
    void finishRunning(SecretResult result);
    SecretResult resultFrom(QKeychain::Job *keychainJob) const;

    QString m_service;
    QQueue<QPointer<SecretJob>> m_queue;
    QPointer<SecretJob> m_running;
    QPointer<QKeychain::Job> m_runningKeychainJob;
    QTimer *m_timer = nullptr;
    int m_timeoutMs = 30'000;
    bool m_startScheduled = false;
    bool m_available = true;
    QString m_unavailableReason;
};

} // namespace secrets
