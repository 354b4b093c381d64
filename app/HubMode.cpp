#include "app/HubMode.h"

#include "app/ConsoleCore.h"
#include "app/ListenerThread.h"
#include "models/store/Store.h"
#include "network/hub/TeamHub.h"

#include <QCoreApplication>
#include <QTextStream>

namespace console {

int runHubAdmin(const ConsoleOptions &options) {
    QTextStream out(stdout), err(stderr);
    tract::hub::HubDatabase db;
    QString error;
    if (!db.open(options.effectiveDataDir(), &error)) {
        err << "tract-console: " << error << Qt::endl;
        return 1;
    }
    if (!options.hubAddAgent.isEmpty()) {
        tract::hub::HubDatabase::AgentRecord agent;
        agent.name = options.hubAddAgent;
        agent.role = tract::team::roleFromName(options.hubRole).value_or(tract::team::Role::Agent);
        agent.capacity = options.hubCapacity;
        const auto token = db.addAgent(agent);
        if (!token) {
            err << "tract-console: " << token.error().toString() << Qt::endl;
            return 1;
        }
        out << *token << Qt::endl; // the one time it is shown
        return 0;
    }
    if (!options.hubRemoveAgent.isEmpty()) {
        if (!db.removeAgent(options.hubRemoveAgent, &error)) {
            err << "tract-console: " << error << Qt::endl;
            return 1;
        }
        return 0;
    }
    for (const auto &agent : db.agents())
        out << agent.name << '\t' << tract::team::roleName(agent.role) << '\t' << agent.capacity
            << Qt::endl;
    return 0;
}

std::unique_ptr<tract::hub::TeamHub> startTeamHub(ConsoleCore *core, const ConsoleOptions &options,
                                                  QString *error) {
    tract::hub::TeamHub::Settings settings;
    settings.server.address = options.hubAddress;
    settings.server.port = options.hubPort;
    settings.server.tlsCertFile = options.hubTlsCert;
    settings.server.tlsKeyFile = options.hubTlsKey;
    settings.server.allowedOrigins = options.hubAllowedOrigins;
    settings.dataDir = core->settings().dataDir;
    settings.receiverId = core->settings().receiverId;
    settings.offlineGraceMs = options.hubOfflineGraceSeconds * 1000;
    settings.keepEvents = options.hubKeepEvents;
    auto hub = std::make_unique<tract::hub::TeamHub>(
        settings, tract::hub::TeamHub::Core{core->store(), core->client(), core->conversations(),
                                            core->outbox()});
    // Hooks land through the listener's thread, the hub's own writes (outbox)
    // through this thread's store: both are followed.
    QObject::connect(core->listener(), &ListenerThread::storeChanged, hub.get(),
                     &tract::hub::TeamHub::storeChanged);
    QObject::connect(core->store(), &tract::store::Store::committed, hub.get(),
                     &tract::hub::TeamHub::storeChanged);
    if (!hub->start(error))
        return nullptr;
    return hub;
}

} // namespace console
