#include "sandbox/HookDispatcher.h"

#include "models/common/Logging.h"

#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTimer>
#include <algorithm>

namespace sandbox {

namespace {
constexpr int kHistoryLimit = 10'000;
// A QNetworkAccessManager opens at most 6 HTTP/1.1 connections per host; a
// user always uses the same one, so different users' hooks travel on up to
// 6 * kNetworkPoolSize connections while each user's stay in order.
constexpr int kNetworkPoolSize = 8;
} // namespace

HookDispatcher::HookDispatcher(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings) {
    for (int i = 0; i < kNetworkPoolSize; ++i) {
        auto *network = new QNetworkAccessManager(this);
        // Hooks go to a loopback or explicitly configured ECT; a proxy from the
        // environment would only get in the way.
        network->setProxy(QNetworkProxy::NoProxy);
        m_networks.append(network);
    }
}

HookDispatcher::~HookDispatcher() = default;

QString HookDispatcher::key(const QString &category, const QString &subcategory) {
    return category + QLatin1Char('/') + subcategory;
}

void HookDispatcher::registerHook(const QString &category, const QString &subcategory,
                                  const QUrl &url) {
    Registration &r = m_registrations[key(category, subcategory)];
    r = {category, subcategory, url, true};
    const auto users = m_queues.keys();
    for (const QString &user : users)
        pump(user);
}

bool HookDispatcher::hasRegistration(const QString &category, const QString &subcategory) const {
    return m_registrations.contains(key(category, subcategory));
}

QList<HookDispatcher::Registration> HookDispatcher::registrations() const {
    QList<Registration> list = m_registrations.values();
    std::sort(list.begin(), list.end(), [](const Registration &a, const Registration &b) {
        return key(a.category, a.subcategory) < key(b.category, b.subcategory);
    });
    return list;
}

void HookDispatcher::send(const QString &userId, const QString &category,
                          const QString &subcategory, const QJsonObject &body, AckHandler onAck) {
    auto record = std::make_shared<Record>();
    record->id = m_nextId++;
    record->userId = userId;
    record->category = category;
    record->subcategory = subcategory;
    remember(record);
    if (!hasRegistration(category, subcategory)) {
        record->status = QStringLiteral("skipped");
        record->lastError =
            QStringLiteral("no hook registered for %1").arg(key(category, subcategory));
        return;
    }
    record->status = QStringLiteral("queued");
    Job job;
    job.record = record;
    job.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    job.onAck = std::move(onAck);
    m_queues[userId].jobs.push_back(std::move(job));
    ++m_pending;
    pump(userId);
}

void HookDispatcher::pump(const QString &userId) {
    auto it = m_queues.find(userId);
    if (it == m_queues.end() || it->busy || it->jobs.empty())
        return;
    Job &head = it->jobs.front();
    const auto reg =
        m_registrations.constFind(key(head.record->category, head.record->subcategory));
    if (reg == m_registrations.cend() || !reg->enabled) {
        head.record->status = QStringLiteral("waiting");
        return; // stays at the head, so the user's later hooks wait too
    }
    attempt(userId);
}

void HookDispatcher::attempt(const QString &userId) {
    UserQueue &q = m_queues[userId];
    Job &head = q.jobs.front();
    const Registration &reg = m_registrations[key(head.record->category, head.record->subcategory)];
    q.busy = true;
    if (head.record->attempts == 0)
        head.sinceFirstSend.start();
    ++head.record->attempts;
    head.record->status = QStringLiteral("sending");

    QNetworkRequest request(reg.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_settings.timeoutMs);
    if (!m_settings.secret.isEmpty()) {
        request.setRawHeader("X-Hub-Signature",
                             "sha1=" + signatureSha1(head.body, m_settings.secret));
        request.setRawHeader("X-Hub-Signature-256",
                             "sha256=" + signatureSha256(head.body, m_settings.secret));
    }
    QNetworkAccessManager *network = m_networks.at(qHash(userId) % m_networks.size());
    QNetworkReply *reply = network->post(request, head.body);
    const quint64 generation = m_generation;
    connect(reply, &QNetworkReply::finished, this, [this, userId, reply, generation] {
        reply->deleteLater();
        if (generation == m_generation)
            finished(userId, reply);
    });
}

void HookDispatcher::finished(const QString &userId, QNetworkReply *reply) {
    UserQueue &q = m_queues[userId];
    Job &head = q.jobs.front();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
        Job job = std::move(head);
        q.jobs.pop_front();
        q.busy = false;
        --m_pending;
        job.record->status = QStringLiteral("delivered");
        job.record->lastError.clear();
        job.record->latencyMs = double(job.sinceFirstSend.nsecsElapsed()) / 1e6;
        ++m_stats.delivered;
        ++m_stats.acked;
        m_stats.ackLatenciesMs.append(job.record->latencyMs);
        if (job.onAck)
            job.onAck(reply->readAll());
        pump(userId);
        checkIdle();
        return;
    }

    ++m_stats.failedAttempts;
    head.record->lastError = status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
    const int failures = ++head.failuresThisRound;
    if (failures <= m_settings.retrySchedule.size()) {
        head.record->status = QStringLiteral("retrying");
        ++m_stats.retried;
        const int delayMs = int(m_settings.retrySchedule.at(failures - 1) * 1000);
        const quint64 generation = m_generation;
        QTimer::singleShot(delayMs, this, [this, userId, generation] {
            if (generation != m_generation)
                return;
            auto it = m_queues.find(userId);
            if (it == m_queues.end() || it->jobs.empty())
                return;
            it->busy = false;
            pump(userId);
        });
        return;
    }

    // Schedule exhausted: disable the registration; its hooks wait for a new one.
    Registration &reg = m_registrations[key(head.record->category, head.record->subcategory)];
    reg.enabled = false;
    head.failuresThisRound = 0;
    head.record->status = QStringLiteral("waiting");
    q.busy = false;
    qCWarning(lcSandbox).noquote()
        << "hook" << key(reg.category, reg.subcategory) << "disabled after" << head.record->attempts
        << "attempts:" << head.record->lastError;
    emit registrationDisabled(reg.category, reg.subcategory);
}

void HookDispatcher::remember(const std::shared_ptr<Record> &record) {
    m_history.push_back(record);
    while (int(m_history.size()) > kHistoryLimit) {
        const QString &s = m_history.front()->status;
        if (s != QLatin1String("delivered") && s != QLatin1String("skipped"))
            break; // keep unfinished ones; they are few
        m_history.pop_front();
    }
}

void HookDispatcher::checkIdle() {
    if (m_pending == 0)
        emit idle();
}

QJsonArray HookDispatcher::deliveriesJson() const {
    QJsonArray list;
    for (const auto &r : m_history) {
        QJsonObject o{{QStringLiteral("id"), qint64(r->id)},
                      {QStringLiteral("user_id"), r->userId},
                      {QStringLiteral("category"), r->category},
                      {QStringLiteral("subcategory"), r->subcategory},
                      {QStringLiteral("attempts"), r->attempts},
                      {QStringLiteral("status"), r->status}};
        if (!r->lastError.isEmpty())
            o.insert(QStringLiteral("last_error"), r->lastError);
        if (r->latencyMs >= 0)
            o.insert(QStringLiteral("ack_latency_ms"), r->latencyMs);
        list.append(o);
    }
    return list;
}

int HookDispatcher::pendingCount() const {
    return m_pending;
}

void HookDispatcher::reset() {
    ++m_generation;
    m_registrations.clear();
    m_queues.clear();
    m_history.clear();
    m_pending = 0;
    m_stats = {};
}

QByteArray HookDispatcher::signatureSha1(const QByteArray &body, const QByteArray &secret) {
    return QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha1).toHex();
}

QByteArray HookDispatcher::signatureSha256(const QByteArray &body, const QByteArray &secret) {
    return QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

} // namespace sandbox
