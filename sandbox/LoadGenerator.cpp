#include "sandbox/LoadGenerator.h"

#include "sandbox/HookDispatcher.h"
#include "sandbox/SandboxWorld.h"
#include "sandbox/SimulatedBot.h"

#include <QJsonDocument>
#include <algorithm>
#include <cmath>

namespace sandbox {

namespace {
constexpr int kTickMs = 5;
constexpr int kDrainLimitMs = 120'000;

double percentile(QList<double> sorted, double p) {
    if (sorted.isEmpty())
        return 0;
    const qsizetype i =
        std::min(sorted.size() - 1, qsizetype(std::ceil(p / 100.0 * double(sorted.size()))) - 1);
    return sorted.at(std::max<qsizetype>(0, i));
}
} // namespace

LoadGenerator::LoadGenerator(const LoadSpec &spec, SandboxWorld *world, HookDispatcher *hooks,
                             const QString &ectId, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_world(world)
    , m_hooks(hooks)
    , m_ectId(ectId) {
    m_ticker.setTimerType(Qt::PreciseTimer);
    connect(&m_ticker, &QTimer::timeout, this, &LoadGenerator::tick);
}

void LoadGenerator::start() {
    for (int i = 0; i < m_spec.users; ++i)
        m_users << m_world->ensureUser({QStringLiteral("load-%1").arg(i + 1), {}, {}, {}, m_ectId});
    m_clock.start();
    m_ticker.start(kTickMs);
}

void LoadGenerator::tick() {
    const double elapsed = double(m_clock.nsecsElapsed()) / 1e9;
    const qint64 due = qint64(std::min(elapsed, m_spec.duration) * m_spec.rate);
    for (; m_sent < due; ++m_sent) {
        const QString &user = m_users.at(int(m_sent % m_users.size()));
        m_world->endUserSays(user,
                             SimulatedBot::text(QStringLiteral("load message %1").arg(m_sent + 1)));
    }
    if (elapsed < m_spec.duration)
        return;
    m_ticker.stop();
    m_sendSeconds = elapsed;
    m_clock.restart();
    drain();
}

void LoadGenerator::drain() {
    if (m_hooks->pendingCount() > 0 && m_clock.elapsed() < kDrainLimitMs) {
        QTimer::singleShot(20, this, &LoadGenerator::drain);
        return;
    }
    m_drainTimedOut = m_hooks->pendingCount() > 0;
    m_drainSeconds = double(m_clock.elapsed()) / 1000.0;
    emit finished();
}

QString LoadGenerator::report() const {
    const HookDispatcher::Stats &s = m_hooks->stats();
    QList<double> latencies = s.ackLatenciesMs;
    std::sort(latencies.begin(), latencies.end());
    const QJsonObject json{
        {QStringLiteral("users"), m_spec.users},
        {QStringLiteral("rate"), m_spec.rate},
        {QStringLiteral("duration_s"), m_spec.duration},
        {QStringLiteral("messages_sent"), m_sent},
        {QStringLiteral("hooks_delivered"), s.delivered},
        {QStringLiteral("hooks_acked"), s.acked},
        {QStringLiteral("retried"), s.retried},
        {QStringLiteral("failed_attempts"), s.failedAttempts},
        {QStringLiteral("pending"), m_hooks->pendingCount()},
        {QStringLiteral("drain_s"), m_drainSeconds},
        {QStringLiteral("ack_ms_p50"), percentile(latencies, 50)},
        {QStringLiteral("ack_ms_p90"), percentile(latencies, 90)},
        {QStringLiteral("ack_ms_p99"), percentile(latencies, 99)},
        {QStringLiteral("ack_ms_max"), latencies.isEmpty() ? 0 : latencies.last()}};
    QString text;
    text += QStringLiteral("load: %1 users, %2 msg/s for %3 s: sent %4 messages in %5 s\n")
                .arg(m_spec.users)
                .arg(m_spec.rate)
                .arg(m_spec.duration)
                .arg(m_sent)
                .arg(m_sendSeconds, 0, 'f', 2);
    text +=
        QStringLiteral(
            "hooks: delivered %1, acked %2, retried %3, failed attempts %4, still pending %5%6\n")
            .arg(s.delivered)
            .arg(s.acked)
            .arg(s.retried)
            .arg(s.failedAttempts)
            .arg(m_hooks->pendingCount())
            .arg(m_drainTimedOut ? QStringLiteral(" (gave up waiting)") : QString());
    text += QStringLiteral("ack latency ms: p50 %1, p90 %2, p99 %3, max %4\n")
                .arg(percentile(latencies, 50), 0, 'f', 2)
                .arg(percentile(latencies, 90), 0, 'f', 2)
                .arg(percentile(latencies, 99), 0, 'f', 2)
                .arg(json.value(QStringLiteral("ack_ms_max")).toDouble(), 0, 'f', 2);
    text += QStringLiteral("load-report ") +
            QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Compact));
    return text;
}

} // namespace sandbox
