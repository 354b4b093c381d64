#include "network/hub/TeamHub.h"

#include "models/common/Logging.h"
#include "models/store/Store.h"
#include "network/hub/HubProtocol.h"
#include "network/outbox/OutboxSender.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace tract::hub {

namespace {
constexpr int kPruneIntervalMs = 60'000;
}

TeamHub::TeamHub(const Settings &settings, const Core &core, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_core(core)
    , m_log(&m_db)
    , m_tailer(core.store, settings.receiverId) {}

TeamHub::~TeamHub() {
    if (m_server)
        m_server->closeAll();
}

bool TeamHub::start(QString *error) {
    if (!m_db.open(m_settings.dataDir, error))
        return false;
    m_log.load();
    m_book.load(m_db);

    m_server = new HubServer(m_settings.server, &m_db, this);
    m_server->setSnapshotSource([this] { return snapshot(); });
    m_server->setWelcomeSource([this] {
        QJsonArray agents;
        for (const team::Agent &a : m_book.team().agents)
            agents.append(protocol::agentJson(a));
        return QJsonObject{
            {QStringLiteral("receiver_id"), m_settings.receiverId},
            {QStringLiteral("hub"),
             QStringLiteral("tract-console %1").arg(QCoreApplication::applicationVersion())},
            {QStringLiteral("agents"), agents}};
    });
    connect(&m_log, &HubEventLog::published, m_server, &HubServer::broadcast);
    connect(m_server, &HubServer::agentConnected, this, &TeamHub::onAgentConnected);
    connect(m_server, &HubServer::agentDisconnected, this, &TeamHub::onAgentDisconnected);

    HubCommands::Deps deps;
    deps.db = &m_db;
    deps.log = &m_log;
    deps.book = &m_book;
    deps.store = m_core.store;
    deps.client = m_core.client;
    deps.conversations = m_core.conversations;
    deps.outbox = m_core.outbox;
    deps.receiverId = m_settings.receiverId;
    m_commands = new HubCommands(deps, this);
    connect(m_server, &HubServer::commandReceived, m_commands, &HubCommands::execute);
    connect(m_commands, &HubCommands::presenceRequested, this,
            [this](const QString &agent, const QString &status) {
                setPresence(agent, team::presenceFromName(status).value_or(team::Presence::Online));
            });
    connect(m_core.outbox, &OutboxSender::delivered, this,
            [this](qint64 id) { m_commands->outboxChanged(id, QStringLiteral("sent"), {}); });
    connect(m_core.outbox, &OutboxSender::failed, this, [this](qint64 id, const QString &reason) {
        m_commands->outboxChanged(id, QStringLiteral("failed"), reason);
    });

    // What happened while the hub was down (or before a crash) first: the
    // roster, the outbox's progress, every stored hook not yet an event.
    syncRoster();
    m_commands->reconcileOutbox();
    storeChanged();
    // Nobody is connected yet: whoever had threads gets the grace period.
    for (const team::Agent &agent : m_book.team().agents)
        if (m_book.team().openCount(agent.name) > 0)
            onAgentDisconnected(agent.name);

    if (!m_server->start(error))
        return false;
    m_rosterTimer.setInterval(m_settings.rosterPollMs);
    connect(&m_rosterTimer, &QTimer::timeout, this, &TeamHub::syncRoster);
    m_rosterTimer.start();
    m_pruneTimer.setInterval(kPruneIntervalMs);
    connect(&m_pruneTimer, &QTimer::timeout, this,
            [this] { m_db.pruneEvents(m_settings.keepEvents); });
    m_pruneTimer.start();
    return true;
}

void TeamHub::storeChanged() {
    if (m_tailing)
        return;
    m_tailing = true;
    int turned = 0;
    do {
        bool ok = m_log.write([&](EventBatch &batch) {
            turned = m_tailer.tail(batch, m_book);
            return true;
        });
        if (!ok) {
            qCWarning(lcHub) << "could not record store changes; retrying on the next commit";
            break;
        }
    } while (turned > 0);
    m_tailing = false;
}

void TeamHub::syncRoster() {
    const QList<HubDatabase::AgentRecord> records = m_db.agents();
    const auto &known = m_book.team().agents;
    bool same = records.size() == known.size();
    for (int i = 0; same && i < records.size(); ++i) {
        const auto it = known.constFind(records[i].name);
        same = it != known.cend() && it->role == records[i].role &&
               it->capacity == records[i].capacity;
    }
    if (same)
        return;
    QStringList gone;
    m_log.write([&](EventBatch &batch) {
        gone = m_book.syncRoster(batch, records);
        return true;
    });
    for (const QString &name : std::as_const(gone)) {
        qCInfo(lcHub) << "agent revoked:" << name;
        delete m_graceTimers.take(name);
        m_server->closeAgent(name, protocol::NotAuthenticated,
                             QCoreApplication::translate("tract::hub::TeamHub", "token revoked"));
    }
}

void TeamHub::setPresence(const QString &agent, team::Presence presence) {
    m_log.write([&](EventBatch &batch) {
        m_book.setPresence(batch, agent, presence);
        return true;
    });
}

void TeamHub::onAgentConnected(const QString &agent) {
    if (!m_book.team().agents.contains(agent))
        syncRoster(); // added a moment ago, before the next poll
    delete m_graceTimers.take(agent);
    setPresence(agent, team::Presence::Online);
}

void TeamHub::onAgentDisconnected(const QString &agent) {
    setPresence(agent, team::Presence::Offline);
    if (m_book.team().openCount(agent) == 0 || m_graceTimers.contains(agent))
        return;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setInterval(m_settings.offlineGraceMs);
    connect(timer, &QTimer::timeout, this, [this, agent] {
        delete m_graceTimers.take(agent);
        if (m_server->connectionsOf(agent) > 0)
            return;
        m_log.write([&](EventBatch &batch) {
            m_book.requeueAllOf(batch, agent, QStringLiteral("offline"));
            return true;
        });
    });
    m_graceTimers.insert(agent, timer);
    timer->start();
}

QJsonObject TeamHub::snapshot() {
    QJsonArray agents, assignments, users, threads;
    for (const team::Agent &a : m_book.team().agents)
        agents.append(protocol::agentJson(a));
    for (const team::Assignment &a : m_book.team().assignments)
        assignments.append(protocol::assignmentJson(a));
    for (const store::User &u : m_core.store->users())
        users.append(protocol::userJson(u));
    // Only what the log has turned into events so far: anything newer
    // arrives as the events after this snapshot.
    const qint64 messageMark = m_db.mark(QStringLiteral("store_message_seq"));
    const qint64 eventMark = m_db.mark(QStringLiteral("store_event_seq"));
    std::optional<store::ThreadCursor> after;
    for (;;) {
        store::ThreadQuery q;
        q.after = after;
        q.limit = 1000;
        const QList<store::Thread> page = m_core.store->threads(q);
        for (const store::Thread &t : page) {
            QJsonArray messages, events;
            for (const store::Message &m : m_core.store
                                               ->messages(store::MessageQuery::newest(
                                                   t.key, protocol::kSnapshotMessagesPerThread))
                                               .messages)
                if (m.seq <= messageMark)
                    messages.append(protocol::messageJson(m));
            store::EventQuery eq;
            eq.thread = t.key;
            eq.limit = protocol::kSnapshotEventsPerThread;
            const QList<store::Event> newestFirst = m_core.store->events(eq);
            for (auto it = newestFirst.crbegin(); it != newestFirst.crend(); ++it)
                if (it->seq <= eventMark)
                    events.append(protocol::eventJson(*it));
            threads.append(
                QJsonObject{{QStringLiteral("user_id"), t.key.userId},
                            {QStringLiteral("conversation_no"), t.key.conversationNumber},
                            {QStringLiteral("messages"), messages},
                            {QStringLiteral("events"), events}});
        }
        if (page.size() < 1000)
            break;
        after = page.last().cursor();
    }
    return {{QStringLiteral("seq"), m_log.lastSeq()},
            {QStringLiteral("agents"), agents},
            {QStringLiteral("assignments"), assignments},
            {QStringLiteral("users"), users},
            {QStringLiteral("threads"), threads}};
}

} // namespace tract::hub
