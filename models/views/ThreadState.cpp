#include "models/views/ThreadState.h"

#include <QCoreApplication>

namespace tract::views {

ThreadState deriveThreadState(const QString &owner, const QString &conversationState,
                              const QString &myReceiverId) {
    if (conversationState == QStringLiteral("complete"))
        return ThreadState::Complete;
    if (!owner.isEmpty() && owner == myReceiverId)
        return ThreadState::WithMe;
    if (!owner.isEmpty() && owner != kBotReceiver)
        return ThreadState::WithOther;
    if (conversationState == QStringLiteral("incomplete"))
        return ThreadState::WaitingForAgent;
    return ThreadState::Bot;
}

QString threadStateName(ThreadState s) {
    switch (s) {
    case ThreadState::Bot:
        return QCoreApplication::translate("ThreadState", "Bot");
    case ThreadState::WaitingForAgent:
        return QCoreApplication::translate("ThreadState", "Waiting for agent");
    case ThreadState::WithMe:
        return QCoreApplication::translate("ThreadState", "With me");
    case ThreadState::WithOther:
        return QCoreApplication::translate("ThreadState", "With another receiver");
    case ThreadState::Complete:
        return QCoreApplication::translate("ThreadState", "Complete");
    }
    return {};
}

double waitingUrgency(const QDateTime &since, const QDateTime &now) {
    if (!since.isValid())
        return 0.0;
    const qint64 ms = since.msecsTo(now);
    if (ms <= 0)
        return 0.0;
    return ms >= kWaitingRedAfterMs ? 1.0 : double(ms) / double(kWaitingRedAfterMs);
}

QString formatElapsed(qint64 ms) {
    const qint64 s = qMax<qint64>(0, ms / 1000);
    if (s < 60)
        return QCoreApplication::translate("ThreadState", "%1 s").arg(s);
    if (s < 3600)
        return QCoreApplication::translate("ThreadState", "%1 min").arg(s / 60);
    if (s < 86400)
        return QCoreApplication::translate("ThreadState", "%1 h %2 min")
            .arg(s / 3600)
            .arg((s % 3600) / 60);
    return QCoreApplication::translate("ThreadState", "%1 d").arg(s / 86400);
}

} // namespace tract::views
