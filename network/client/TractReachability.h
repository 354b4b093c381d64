#pragma once

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>

namespace tract {

class TractClient;

// Is TRACT there, and does it accept our credentials? A cheap probe (list hooks,
// one attempt, short timeout) for the status bar, run on demand or every
// interval. A check already running is not started twice.
class TractReachability : public QObject {
    Q_OBJECT
public:
    enum class State {
        Unknown,      // not checked yet
        Reachable,    // TRACT answered and accepted the credentials
        Unauthorized, // TRACT answered 401/403: token or client id wrong
        Unreachable,  // no answer, or TRACT failing (5xx, timeout, ...)
    };
    Q_ENUM(State)

    explicit TractReachability(TractClient *client, QObject *parent = nullptr);

    void setProbeTimeoutMs(int ms) { m_timeoutMs = ms; }
    // 0 (the default) checks only when check() is called.
    void setInterval(int ms);
    void check();

    State state() const { return m_state; }
    QString message() const { return m_message; } // for a person; empty while Reachable
    QDateTime lastChecked() const { return m_lastChecked; }
    bool isChecking() const { return m_checking; }

signals:
    void stateChanged(tract::TractReachability::State state, const QString &message);
    void checked(tract::TractReachability::State state); // after every probe

private:
    QPointer<TractClient> m_client;
    QTimer m_timer;
    int m_timeoutMs = 5'000;
    State m_state = State::Unknown;
    QString m_message;
    QDateTime m_lastChecked;
    bool m_checking = false;
};

} // namespace tract
