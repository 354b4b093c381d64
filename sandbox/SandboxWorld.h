#pragma once

#include "models/common/Expected.h"
#include "models/tract/WireTypes.h"
#include "sandbox/HookDispatcher.h"
#include "sandbox/SandboxConfig.h"
#include "sandbox/SimulatedBot.h"
#include "sandbox/ThreadControlRules.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QRandomGenerator>
#include <QSet>

namespace sandbox {

struct SimUser {
    QString userId;
    QString userName;
    QString devicePlatform;
    QString thirdPartyUserId;
    QString ectUserId; // what the ECT answered to create_user
    QJsonObject details;
    QString owner = kIva;
    QDateTime ownerSince;
    int conversationNumber = 1;
    QString conversationState = QStringLiteral("bot");
    int autoReplies = 0; // simulated answers to agents in this conversation
};

// The simulated side of TRACT: end users, the bot, Haptik's agent chat (SAC),
// ownership of each thread, and what the ECT sent. Every change the ECT must
// hear about goes out through the HookDispatcher.
class SandboxWorld : public QObject {
    Q_OBJECT
public:
    SandboxWorld(const SandboxConfig &config, HookDispatcher *hooks, QObject *parent = nullptr);

    void setMediaBaseUrl(const QString &url) { m_bot = SimulatedBot(url); }

    struct NewUser {
        QString userId;   // generated when empty
        QString userName; // generated when empty
        QString devicePlatform;
        QJsonObject details; // generated when empty
        QString owner;       // initial owner; empty: the default receiver (iva)
    };
    // Creates the user (sending create_user) unless it exists; returns its id.
    QString ensureUser(const NewUser &user);
    const SimUser *user(const QString &userId) const;
    QStringList userIds() const { return m_order; }

    // An end-user message: delivered to the ECT; the bot answers when it owns the thread.
    void endUserSays(const QString &userId, const QJsonObject &hsl);

    // Calls made by the ECT through the TRACT API. Errors carry the HTTP status in `path`.
    struct ApiError {
        int status;
        QString message;
    };
    std::optional<ApiError> ectSendsMessage(const tract::SendMessageRequest &request,
                                            const QJsonObject &raw);
    std::optional<ApiError> ectSendsEvent(const tract::SendEventRequest &request,
                                          const QJsonObject &raw);
    tract::Expected<tract::ThreadControlResponse>
    threadControl(const tract::ThreadControlRequest &request);
    QList<tract::Listener> listeners(const QString &userId) const;

    // Control API.
    void emitEvent(const QString &userId, const QString &category, const QString &subcategory,
                   const std::optional<QString> &metadata);
    void setOwner(const QString &userId, const QString &receiver, const QString &subcategory,
                  const QString &requester);
    bool isListener(const QString &id) const {
        return id == kIva || id == kSac || id == m_config.clientId;
    }

    QJsonObject stateJson() const; // users and received; the server adds hooks and deliveries
    void reset();

    int messageCount() const { return int(m_nextMessageId - 1); }

private:
    void deliverMessage(SimUser &u, tract::Sender sender, const QJsonObject &hsl);
    void deliverEvent(SimUser &u, const QString &category, const QString &subcategory,
                      const std::optional<QString> &metadata);
    void botTurn(const QString &userId, const QString &text);
    void scheduleUserReply(const QString &userId, const QJsonObject &agentMessage);
    QJsonObject generatedDetails(const QString &name);

    SandboxConfig m_config;
    HookDispatcher *m_hooks;
    SimulatedBot m_bot;
    QRandomGenerator m_rng;
    QHash<QString, SimUser> m_users;
    QStringList m_order; // creation order
    qint64 m_nextMessageId = 1;
    int m_nextGeneratedUser = 1;
    quint64 m_generation = 0; // bumped by reset() so timers of the old world do nothing
    QJsonArray m_receivedMessages;
    QJsonArray m_receivedEvents;
    QSet<QString> m_seenIdempotencyKeys;
};

} // namespace sandbox
