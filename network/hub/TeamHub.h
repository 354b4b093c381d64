#pragma once

#include "network/hub/AssignmentBook.h"
#include "network/hub/HubCommands.h"
#include "network/hub/HubDatabase.h"
#include "network/hub/HubEventLog.h"
#include "network/hub/HubServer.h"
#include "network/hub/StoreTailer.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <memory>

namespace tract {
class TractClient;
class ConversationService;
class OutboxSender;
namespace store {
class Store;
}
} // namespace tract

namespace tract::hub {

// `tract-console --hub`: the team's side of a console core. It follows the
// core's store into the event log, routes handoffs, keeps presence, and serves
// consoles through the HubServer; commands go back out through the core's
// outbox and TRACT client, so the hub is the only process that talks to TRACT.
class TeamHub : public QObject {
    Q_OBJECT
public:
    struct Settings {
        HubServer::Settings server;
        QString dataDir;
        QString receiverId;
        int offlineGraceMs = 120'000;
        qint64 keepEvents = 100'000;
        int rosterPollMs = 250;
    };
    struct Core {
        store::Store *store = nullptr; // this thread's connection
        TractClient *client = nullptr;
        ConversationService *conversations = nullptr;
        OutboxSender *outbox = nullptr;
    };

    TeamHub(const Settings &settings, const Core &core, QObject *parent = nullptr);
    ~TeamHub() override;

    bool start(QString *error);
    QString url() const { return m_server->url(); }
    HubServer *server() const { return m_server; }

public slots:
    // The store committed something (the listener's thread or this one's).
    void storeChanged();

private:
    void syncRoster();
    void onAgentConnected(const QString &agent);
    void onAgentDisconnected(const QString &agent);
    void setPresence(const QString &agent, team::Presence presence);
    QJsonObject snapshot();

    Settings m_settings;
    Core m_core;
    HubDatabase m_db;
    HubEventLog m_log;
    AssignmentBook m_book;
    StoreTailer m_tailer;
    HubServer *m_server = nullptr;
    HubCommands *m_commands = nullptr;
    QTimer m_rosterTimer;
    QTimer m_pruneTimer;
    QHash<QString, QTimer *> m_graceTimers; // agents offline with threads
    bool m_tailing = false;
};

} // namespace tract::hub
