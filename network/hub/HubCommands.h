#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <functional>

namespace tract {
class TractClient;
class ConversationService;
class OutboxSender;
namespace store {
class Store;
}
} // namespace tract

namespace tract::hub {

class AssignmentBook;
class EventBatch;
class HubDatabase;
class HubEventLog;
class HubSession;

// Carries out what consoles ask (docs/hub-protocol.md, "Commands"): checks
// who may, does it through the console's own outbox or TRACT client, and
// answers. Each answer is stored with the agent and command id before it is
// sent, so a command sent again is answered the same and done once.
class HubCommands : public QObject {
    Q_OBJECT
public:
    struct Deps {
        HubDatabase *db = nullptr;
        HubEventLog *log = nullptr;
        AssignmentBook *book = nullptr;
        store::Store *store = nullptr;
        TractClient *client = nullptr;
        ConversationService *conversations = nullptr;
        OutboxSender *outbox = nullptr;
        QString receiverId;
    };
    explicit HubCommands(const Deps &deps, QObject *parent = nullptr);

    // What a command changes in the team, written in the batch that stores
    // its answer.
    using Effect = std::function<void(EventBatch &)>;
    struct Outcome {
        QJsonObject result; // without type and id
        qint64 outboxId = 0;
        Effect effect;
    };

    void execute(HubSession *session, const QJsonObject &command);
    // The outbox reported on an item: an `outbox` event if a command made it.
    void outboxChanged(qint64 outboxId, const QString &state, const QString &error);
    // After a restart: items whose last report was `pending` but that moved on.
    void reconcileOutbox();

signals:
    // A change to presence asked by a console (the hub owns presence).
    void presenceRequested(const QString &agent, const QString &status);

private:
    struct Caller {
        QString agent;
        bool supervisor = false;
    };
    using Done = std::function<void(Outcome)>;

    void run(const Caller &caller, const QString &action, const QJsonObject &command, Done done);
    void threadControl(const Caller &caller, const QString &action, const QString &userId,
                       const QString &to, Done done);
    void finish(const QString &key, const Caller &caller, const QString &id, Outcome outcome,
                bool remember);
    QString refusal(const Caller &caller, const QString &action, const QString &userId) const;
    QString displayName(const QString &userId) const;
    QString liveConversation(const QString &userId) const;

    Deps m_deps;
    // Commands still being carried out, by agent and id: a copy that arrives
    // meanwhile waits for the first one's answer.
    QHash<QString, QList<QPointer<HubSession>>> m_inFlight;
};

} // namespace tract::hub
