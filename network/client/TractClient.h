#pragma once

#include "models/tract/WireTypes.h"
#include "network/auth/TokenMessages.h"
#include "network/client/RetryPolicy.h"
#include "network/client/TractCall.h"

#include <QNetworkRequest>
#include <QObject>
#include <QUrl>
#include <functional>

class QNetworkAccessManager;

namespace tract {

// The console's side of the TRACT API: one method per ECT-side call, each
// returning a TractReply<T> that finishes with a TractResult<T>.
//
//     auto *call = client->sendMessage(request);
//     connect(call, &TractCall::retryScheduled, banner, &Banner::showRetry);
//     call->onResult(this, [](const TractResult<Ack> &r) { ... r.failure().message ... });
//
// Every request carries `Authorization: Bearer <token>` and `client-id: <id>`.
// The token is never logged or put into a message. TLS certificates are always
// verified; there is deliberately no switch to turn that off.
// Use the client, and the calls, in the thread it lives in.
class TractClient : public QObject {
    Q_OBJECT
public:
    explicit TractClient(QObject *parent = nullptr);
    TractClient(const QUrl &baseUrl, const QString &clientId, const QString &token,
                QObject *parent = nullptr);
    ~TractClient() override;

    // "https://tract.example.com" or "http://127.0.0.1:8470"; a path prefix is kept.
    void setBaseUrl(const QUrl &baseUrl);
    QUrl baseUrl() const { return m_baseUrl; }
    void setClientId(const QString &clientId) { m_clientId = clientId; }
    QString clientId() const { return m_clientId; }
    // Takes effect for the next attempt, retries of running calls included.
    void setToken(const QString &token) { m_token = token; }
    bool hasToken() const { return !m_token.isEmpty(); }
    // Who gets a new token when TRACT answers 401 (a TokenKeeper): called with
    // the rejected token; `done(true)` once a new one is set, `done(false,
    // why)` if none could be had. A call that got 401 then tries once more.
    using TokenRenewer = std::function<void(const QString &rejectedToken, QObject *context,
                                            std::function<void(bool, const QString &)> done)>;
    void setTokenRenewer(TokenRenewer renewer) { m_renewer = std::move(renewer); }
    bool canRenewToken() const { return bool(m_renewer); }
    void renewToken(const QString &rejectedToken, QObject *context,
                    std::function<void(bool, const QString &)> done);
    // The default for calls created afterwards.
    void setRetryPolicy(const RetryPolicy &policy) { m_policy = policy; }
    const RetryPolicy &retryPolicy() const { return m_policy; }
    QNetworkAccessManager *networkAccessManager() const { return m_nam; }

    // --- authentication
    // POST /tract/management/token/issue/ with `body` exactly as signed, the
    // signature (base64) and the pre-shared certificate's UUID; no bearer token.
    TractReply<auth::IssuedToken> *issueToken(const QByteArray &body, const QByteArray &signature,
                                              const QString &certUuid);
    // --- management
    TractReply<Ack> *registerHook(const RegisterHookRequest &request);
    TractReply<ListHooksResponse> *listHooks();
    // --- users
    TractReply<GetUserResponse> *getUser(const QString &userId);
    TractReply<GetUserDetailsResponse> *getUserDetails(const QString &userId,
                                                       const QStringList &detailsRequested);
    // --- messages and events
    TractReply<Ack> *sendMessage(const SendMessageRequest &request);
    TractReply<Ack> *sendEvent(const SendEventRequest &request);
    // --- thread control
    TractReply<FetchListenersResponse> *fetchListeners(const QString &userId);
    // Any request; take/pass/request below fill in the usual parties. Success
    // is a ThreadControlResponse with success true; success false is a Refused
    // failure carrying TRACT's reason.
    TractReply<ThreadControlResponse> *threadControl(const ThreadControlRequest &request);
    TractReply<ThreadControlResponse> *take(const QString &userId);
    TractReply<ThreadControlResponse> *pass(const QString &userId, const QString &receiver);
    TractReply<ThreadControlResponse> *request(const QString &userId);

    // Replaces `token` by a placeholder: for any text that might echo a request.
    QString redacted(QString text) const;

private:
    friend class TractCall;
    QNetworkRequest makeRequest(const QString &path, bool bearer = true) const;
    // "127.0.0.1:8470": names the server in messages without path or credentials.
    QString serverName() const;
    template <typename T>
    TractReply<T> *start(TractCall::Spec spec, typename TractReply<T>::Parser parser);

    QNetworkAccessManager *m_nam = nullptr;
    QUrl m_baseUrl;
    QString m_clientId;
    QString m_token;
    TokenRenewer m_renewer;
    RetryPolicy m_policy;
};

} // namespace tract
