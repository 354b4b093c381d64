#pragma once

#include "app/ConsoleBackend.h"

#include <QHash>
#include <QPointer>
#include <QTemporaryDir>
#include <QUrl>
#include <memory>

namespace tract::hub {
class HubClient;
class HubMirror;
} // namespace tract::hub

namespace console {

// A team console: everything comes from the hub at `url` (docs/hub-protocol.md)
// and every action is a hub command. The hub's history is mirrored into a
// store in a private temporary directory for the window's models, rebuilt
// from the hub at each start (the hub keeps the durable copy).
class HubBackend : public ConsoleBackend {
    Q_OBJECT
public:
    HubBackend(const QUrl &url, const QString &token, QObject *parent = nullptr);
    ~HubBackend() override;

    // Opens the mirror and connects; `ready` follows the first welcome,
    // `fatal` a refused token. False (with `error`) if the mirror cannot open.
    bool start(QString *error);
    bool isReady() const;
    QString agentName() const;

    tract::store::Store *store() const override;
    QString receiverId() const override;
    QString sourceText() const override;
    const tract::team::TeamState *team() const override;
    QString sendReply(const QString &userId, const QString &conversationNumber,
                      const QJsonObject &hsl) override;
    void threadControl(const QString &userId, Control action, const QString &receiver,
                       QObject *context, Done<tract::ThreadControlResponse> done) override;
    void fetchListeners(const QString &userId, QObject *context,
                        Done<tract::FetchListenersResponse> done) override;
    void getUser(const QString &userId, QObject *context,
                 Done<tract::GetUserResponse> done) override;
    void getUserDetails(const QString &userId, const QStringList &keys, QObject *context,
                        Done<tract::GetUserDetailsResponse> done) override;
    void retryOutbox(qint64 outboxId) override;
    void cancelOutbox(qint64 outboxId) override;
    int unsentReplies() const override;
    void announce() override;
    void assign(const QString &userId, const QString &agent) override;
    void setPresence(const QString &status) override;
    void complete(const QString &userId) override;

    tract::hub::HubClient *client() const { return m_client.get(); }

signals:
    void ready();

private:
    using Answer = std::function<void(const QJsonObject &result)>;
    // Sends a command; `answer` runs with its result while `context` lives.
    QString command(const QString &action, const QJsonObject &fields, QObject *context,
                    Answer answer);
    // A command whose refusal is shown to the agent (actionFailed).
    void teamCommand(const QString &action, const QJsonObject &fields);
    void onResult(const QString &id, const QJsonObject &result);
    void onLiveEvent(const QString &kind, const QString &userId, const QJsonObject &event);
    void reportLink();

    QUrl m_url;
    QTemporaryDir m_dir;
    std::unique_ptr<tract::store::Store> m_store;
    std::unique_ptr<tract::hub::HubClient> m_client;
    std::unique_ptr<tract::hub::HubMirror> m_mirror;
    struct Waiting {
        QPointer<QObject> context;
        Answer answer;
    };
    QHash<QString, Waiting> m_waiting; // command id -> who waits for its result
    QHash<QString, qint64> m_replies;  // reply command id -> local outbox id, until answered
    bool m_ready = false;
};

} // namespace console
