#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace tract::hub {

// A console's connection to its hub (docs/hub-protocol.md): hello with the
// last seq it applied, events in order (never one twice), and commands that
// wait until the hub answers them. A lost connection is retried with a
// growing pause; after the welcome every unanswered command is sent again with
// its id, in order, so the hub carries each out once.
class HubClient : public QObject {
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting, Refused };
    Q_ENUM(State)

    HubClient(const QUrl &url, const QString &token, QObject *parent = nullptr);
    ~HubClient() override;

    void start(qint64 resumeFrom = 0);
    void stop();
    State state() const { return m_state; }
    qint64 lastSeq() const { return m_lastSeq; }
    // Queues a command; `id` empty: a new unique one. Returns the id.
    QString send(const QString &action, QJsonObject fields, QString id = {});
    int pendingCommands() const { return int(m_pending.size()); }
    // Drops a queued command the hub cannot have seen (never written to a
    // connection). False when it may have been: only the hub can undo it then.
    bool withdraw(const QString &id);

signals:
    void stateChanged(tract::hub::HubClient::State state);
    void welcomed(const QJsonObject &welcome);
    void snapshotReceived(const QJsonObject &snapshot);
    void eventReceived(const QJsonObject &event);
    void resultReceived(const QString &id, const QJsonObject &result);
    void errorReceived(const QString &message);
    // The hub refused the token (close 4001): no more retries.
    void refused(const QString &reason);

private:
    void connectNow();
    void onText(const QString &text);
    void onDisconnected();
    void setState(State s);
    void write(const QJsonObject &command);

    QUrl m_url;
    QString m_token;
    QWebSocket *m_socket = nullptr;
    QTimer m_retry;
    int m_backoffMs = 0;
    qint64 m_lastSeq = 0;
    bool m_welcomed = false;
    State m_state = State::Disconnected;
    QList<QJsonObject> m_pending; // sent or not, until their result arrives
    QSet<QString> m_written;      // ids of pending commands written to some connection
};

} // namespace tract::hub
