#pragma once

#include "sandbox/SandboxConfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace sandbox {

class HookDispatcher;
class SandboxWorld;

// --load users=N,rate=R,duration=S: once the ECT has registered its message hook,
// N end users (owned by the ECT, so the bot stays quiet) send R messages/s for S
// seconds; then it waits for every hook to be acknowledged and reports.
class LoadGenerator : public QObject {
    Q_OBJECT
public:
    LoadGenerator(const LoadSpec &spec, SandboxWorld *world, HookDispatcher *hooks,
                  const QString &ectId, QObject *parent = nullptr);

    void start();
    // Human-readable lines, then one `load-report {json}` line for scripts.
    QString report() const;

signals:
    void finished();

private:
    void tick();
    void drain();

    LoadSpec m_spec;
    SandboxWorld *m_world;
    HookDispatcher *m_hooks;
    QString m_ectId;
    QStringList m_users;
    QElapsedTimer m_clock;
    QTimer m_ticker;
    qint64 m_sent = 0;
    double m_sendSeconds = 0;
    double m_drainSeconds = 0;
    bool m_drainTimedOut = false;
};

} // namespace sandbox
