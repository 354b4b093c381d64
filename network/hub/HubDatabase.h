#pragma once

#include "models/common/Expected.h"
#include "models/team/TeamTypes.h"

#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace tract::hub {

// The hub's own durable state, in DATA_DIR/hub.sqlite beside the console's
// store: the agents (token hashes only), the numbered event log consoles
// resume from, the assignments, the results of commands (idempotency) and the
// tailer's marks into the store. One connection per object, on one thread;
// the admin commands (`--hub-add-agent`, ...) open their own from another
// process while a hub runs, so every write is a short transaction and readers
// wait up to 5 s for a lock.
class HubDatabase {
public:
    struct AgentRecord {
        QString name;
        team::Role role = team::Role::Agent;
        int capacity = 3;
    };
    struct CommandRecord {
        QString agent;
        QString id;
        QJsonObject result;
        qint64 outboxId = 0; // 0: none
        QString outboxState; // the last state reported in an `outbox` event
    };

    HubDatabase();
    ~HubDatabase();
    HubDatabase(const HubDatabase &) = delete;
    HubDatabase &operator=(const HubDatabase &) = delete;

    static QString fileName() { return QStringLiteral("hub.sqlite"); }
    bool open(const QString &dataDir, QString *error);
    QString lastError() const { return m_error; }

    // Runs `body` in one write transaction; false (rolled back) when body or
    // the commit fails.
    bool transaction(const std::function<bool()> &body);

    // --- agents -------------------------------------------------------------
    // The new agent's token, shown once; only its hash is kept.
    Expected<QString> addAgent(const AgentRecord &agent);
    bool removeAgent(const QString &name, QString *error);
    QList<AgentRecord> agents();
    std::optional<AgentRecord> agentForToken(const QString &token);
    static QString validateName(const QString &name); // empty: valid

    // --- event log ----------------------------------------------------------
    bool appendEvent(const QJsonObject &event); // carries its own "seq"
    // The stored frames, as sent: a replay never parses them again.
    QStringList eventTextsAfter(qint64 seq, int limit);
    qint64 lastSeq();
    qint64 firstSeq(); // the oldest kept, or lastSeq() + 1 when none is kept
    bool pruneEvents(qint64 keep);

    // --- marks (the tailer's position in the store) -----------------------
    qint64 mark(const QString &name);
    bool setMark(const QString &name, qint64 value);

    // --- assignments --------------------------------------------------------
    QList<team::Assignment> assignments();
    bool saveAssignment(const team::Assignment &a);

    // --- commands -----------------------------------------------------------
    std::optional<CommandRecord> command(const QString &agent, const QString &id);
    std::optional<CommandRecord> commandForOutbox(qint64 outboxId);
    QList<CommandRecord> commandsWithOpenOutbox(); // outbox state pending
    bool saveCommand(const CommandRecord &record);
    bool setOutboxState(qint64 outboxId, const QString &state);

private:
    bool exec(QSqlQuery &q);
    bool fail(const QString &what);

    QString m_connection;
    QString m_error;
};

// 32 random bytes from the system's generator, base64url without padding.
QString newAgentToken();
QByteArray agentTokenHash(const QString &token); // SHA-256, hex

} // namespace tract::hub
