#pragma once

#include "app/ConsoleBackend.h"

namespace tract {
class TractReachability;
}

namespace console {

class ConsoleCore;

// A single seat: this console's own listener, store, outbox and TRACT client.
class LocalBackend : public ConsoleBackend {
    Q_OBJECT
public:
    explicit LocalBackend(ConsoleCore *core, QObject *parent = nullptr);

    tract::store::Store *store() const override;
    QString receiverId() const override;
    QString sourceText() const override;
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
    QString clientId() const override;
    void setTractToken(const QString &token) override;

private:
    void reportHookStatus();
    void reportReachability();

    ConsoleCore *m_core;
    tract::TractReachability *m_reachability = nullptr;
};

} // namespace console
