#pragma once

#include "network/listener/HookCatalog.h"

#include <QList>
#include <QObject>
#include <QTimer>

namespace tract {

class TractClient;

// Keeps TRACT's list of our hooks right: registers every hook the console
// handles, lists them back and compares, and re-registers any that went missing
// or disabled (a TRACT restart, an exhausted retry schedule). Per-hook status is
// what the status bar and the headless log show.
class HookRegistrar : public QObject {
    Q_OBJECT
public:
    enum class State { Pending, Registered, Failed };
    struct Status {
        HookKind hook;
        State state = State::Pending;
        QString reason; // Failed: why, for a person
    };

    HookRegistrar(TractClient *client, const QString &publicBase, const QString &pathSecret,
                  QObject *parent = nullptr);

    // Registers every hook, then verifies with the list. Safe to call again.
    void registerAll();
    // Lists TRACT's hooks and re-registers ours that are missing or disabled.
    void verify();
    void setVerifyInterval(int ms); // 0: no periodic verification

    const QList<Status> &statuses() const { return m_statuses; }
    int registeredCount() const;
    bool isBusy() const { return m_inFlight > 0; }

signals:
    void statusChanged(const tract::HookRegistrar::Status &status);
    // A round of registrations (and the list that checks them) is over.
    void roundFinished(int registered, int total);

private:
    void registerHook(int index);
    void setStatus(int index, State state, const QString &reason = {});
    void finishOne();

    TractClient *m_client;
    QString m_publicBase;
    QString m_pathSecret;
    QList<Status> m_statuses;
    int m_inFlight = 0;
    bool m_verifyAfterRound = false;
    QTimer m_verifyTimer;
};

QString toString(HookRegistrar::State state);

} // namespace tract
