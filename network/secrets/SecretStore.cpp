#include "network/secrets/SecretStore.h"

#include "models/common/Logging.h"

#include <QCoreApplication>
#include <QTimer>
#include <qt6keychain/keychain.h>

namespace secrets {

namespace {

QString operationName(SecretJob::Operation op) {
    switch (op) {
    case SecretJob::Operation::Read:
        return QStringLiteral("read");
    case SecretJob::Operation::Write:
        return QStringLiteral("write");
    case SecretJob::Operation::Remove:
        return QStringLiteral("delete");
    }
    return QString();
}

// QtKeychain 0.13 on Linux reports a missing Secret Service (no session bus, no
// org.freedesktop.secrets provider) as OtherError; its text is the only clue.
bool soundsUnreachable(const QString &errorString) {
    static const char *const clues[] = {"dbus",
                                        "d-bus",
                                        "org.freedesktop",
                                        "secret service",
                                        "secrets",
                                        "autolaunch",
                                        "not provided",
                                        "no such file",
                                        "connection refused",
                                        "could not connect",
                                        "unavailable",
                                        "not available",
                                        "no backend",
                                        "service unknown"};
    const QString lower = errorString.toLower();
    for (const char *clue : clues) {
        if (lower.contains(QLatin1String(clue)))
            return true;
    }
    return false;
}

} // namespace

SecretJob::SecretJob(Operation operation, QString key, QString value, QObject *parent)
    : QObject(parent)
    , m_operation(operation)
    , m_key(std::move(key))
    , m_value(std::move(value)) {}

SecretStore::SecretStore(QObject *parent)
    : SecretStore(serviceName(), parent) {}

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &SecretStore::onTimeout);
}

SecretStore::~SecretStore() = default;

SecretJob *SecretStore::read(const QString &key) {
    return enqueue(new SecretJob(SecretJob::Operation::Read, key, QString(), this));
}

SecretJob *SecretStore::write(const QString &key, const QString &value) {
    return enqueue(new SecretJob(SecretJob::Operation::Write, key, value, this));
}

SecretJob *SecretStore::remove(const QString &key) {
    return enqueue(new SecretJob(SecretJob::Operation::Remove, key, QString(), this));
}

SecretJob *SecretStore::enqueue(SecretJob *job) {
    m_queue.enqueue(job);
    scheduleNext();
    return job;
}

void SecretStore::scheduleNext() {
    if (m_running || m_startScheduled || m_queue.isEmpty())
        return;
    m_startScheduled = true;
    QTimer::singleShot(0, this, &SecretStore::startNext);
}

void SecretStore::startNext() {
    m_startScheduled = false;
    while (!m_running && !m_queue.isEmpty())
        m_running = m_queue.dequeue(); // skips jobs destroyed while waiting
    if (!m_running)
        return;

    SecretJob *job = m_running;
    QKeychain::Job *kj = nullptr;
    switch (job->m_operation) {
    case SecretJob::Operation::Read:
        kj = new QKeychain::ReadPasswordJob(m_service, this);
        break;
    case SecretJob::Operation::Write: {
        auto *w = new QKeychain::WritePasswordJob(m_service, this);
        w->setTextData(job->m_value);
        job->m_value.clear(); // one copy fewer of the secret in memory
        kj = w;
        break;
    }
    case SecretJob::Operation::Remove:
        kj = new QKeychain::DeletePasswordJob(m_service, this);
        break;
    }
    kj->setKey(job->m_key);
    kj->setAutoDelete(true);
    connect(kj, &QKeychain::Job::finished, this, &SecretStore::onKeychainFinished);
    qCDebug(lcSecrets).noquote() << "keychain" << operationName(job->m_operation) << job->m_key;
    m_runningKeychainJob = kj;
    m_timer->start(m_timeoutMs);
    kj->start();
}

SecretResult SecretStore::resultFrom(QKeychain::Job *kj) const {
    SecretResult r;
    const QString key = kj->key();
    switch (kj->error()) {
    case QKeychain::NoError:
        r.status = SecretResult::Status::Ok;
        if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(kj))
            r.value = read->textData();
        break;
    case QKeychain::EntryNotFound:
        r.status = SecretResult::Status::NotFound;
        r.message = tr("The keychain has no entry '%1'.").arg(key);
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        r.status = SecretResult::Status::Denied;
        r.message = tr("The keychain refused access to '%1': %2").arg(key, kj->errorString());
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        r.status = SecretResult::Status::NoKeychain;
        break;
    case QKeychain::OtherError:
        r.status = soundsUnreachable(kj->errorString()) ? SecretResult::Status::NoKeychain
                                                        : SecretResult::Status::Failed;
        if (r.status == SecretResult::Status::Failed)
            r.message = tr("The keychain failed on '%1': %2").arg(key, kj->errorString());
        break;
    case QKeychain::CouldNotDeleteEntry:
        r.status = SecretResult::Status::Failed;
        r.message = tr("The keychain could not delete '%1': %2").arg(key, kj->errorString());
        break;
    }
    if (r.status == SecretResult::Status::NoKeychain) {
        r.message = tr("No keychain is reachable (is a Secret Service such as GNOME Keyring or "
                       "KWallet running?): %1")
                        .arg(kj->errorString());
    }
    return r;
}

void SecretStore::onKeychainFinished(QKeychain::Job *kj) {
    if (kj != m_runningKeychainJob) {
        qCInfo(lcSecrets).noquote()
            << "keychain answered" << kj->key() << "after its job had timed out; ignored";
        return;
    }
    SecretResult result = resultFrom(kj);
    qCDebug(lcSecrets).noquote() << "keychain"
                                 << (m_running ? operationName(m_running->m_operation) : QString())
                                 << kj->key() << "->" << SecretResult::statusName(result.status)
                                 << kj->errorString();
    const bool reachable = result.status != SecretResult::Status::NoKeychain;
    if (reachable != m_available) {
        m_available = reachable;
        m_unavailableReason = reachable ? QString() : result.message;
        if (!reachable)
            qCWarning(lcSecrets).noquote() << result.message;
        emit keychainAvailabilityChanged(m_available, m_unavailableReason);
    }
    finishRunning(std::move(result));
}

void SecretStore::onTimeout() {
    if (!m_runningKeychainJob)
        return;
    SecretResult result;
    result.status = SecretResult::Status::TimedOut;
    result.message = tr("The keychain did not answer about '%1' within %2 s. Is an unlock prompt "
                        "waiting for your password?")
                         .arg(m_runningKeychainJob->key())
                         .arg(m_timeoutMs / 1000.0);
    qCWarning(lcSecrets).noquote() << result.message;
    finishRunning(std::move(result));
}

void SecretStore::finishRunning(SecretResult result) {
    m_timer->stop();
    m_runningKeychainJob = nullptr; // a late answer from it is ignored
    QPointer<SecretJob> job = m_running;
    m_running = nullptr;
    // Deferred: the next job must not start from inside QtKeychain's signal.
    scheduleNext();
    if (job) {
        *job->m_result = std::move(result);
        emit job->finished();
        if (job)
            job->deleteLater();
    }
}

} // namespace secrets
