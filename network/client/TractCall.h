#pragma once

#include "network/client/RetryPolicy.h"
#include "network/client/TractFailure.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>

class QNetworkReply;

namespace tract {

class TractClient;

// One TRACT call in flight: its attempts, their timeouts and the pauses between
// them (libQuotient's BaseJob, made small). Created by TractClient; starts on
// the next turn of the event loop, so the caller can connect and adjust the
// policy first; deletes itself after `finished`.
class TractCall : public QObject {
    Q_OBJECT
public:
    // Whether repeating the request can do harm (see RetryPolicy::retryUnsafeWhenAmbiguous).
    enum class Idempotency { Safe, Unsafe };

    struct Spec {
        QByteArray method; // "GET" or "POST"
        QString path;      // "/tract/hooks/list/", appended to the client's base URL
        QByteArray body;   // JSON; empty for GET
        Idempotency idempotency = Idempotency::Safe;
        QString operation; // for a person: "send the message"
    };

    ~TractCall() override;

    const Spec &spec() const { return m_spec; }
    // Before the call starts (same turn of the event loop as its creation).
    void setRetryPolicy(const RetryPolicy &policy) { m_policy = policy; }
    const RetryPolicy &retryPolicy() const { return m_policy; }
    // Before the call starts: these headers instead of `Authorization: Bearer`
    // (the signed token issue). Such a call is never renewed-and-retried on 401.
    void setAuthHeaders(QList<QPair<QByteArray, QByteArray>> headers) {
        m_authHeaders = std::move(headers);
    }
    int attempt() const { return m_attempt; }
    bool isFinished() const { return m_finished; }
    // Stops the call; nothing is delivered, the call deletes itself.
    void abandon();

signals:
    // A retry is coming: attempt number `attempt` starts in `delayMs`.
    void retryScheduled(int attempt, int delayMs);
    // The result is ready (see TractReply::result()); the call is deleted afterwards.
    void finished();

protected:
    TractCall(TractClient *client, Spec spec);
    // A 2xx body: store the value, or return the failure (BadResponse, Refused).
    virtual std::optional<TractFailure> acceptBody(const QByteArray &body) = 0;
    virtual void storeFailure(const TractFailure &failure) = 0;

private:
    void startAttempt();
    void onReplyFinished();
    void onAttemptTimeout();
    TractFailure failureFrom(QNetworkReply *reply, bool &surelyNotProcessed) const;
    void finish();
    void fail(TractFailure failure);
    bool renewTokenAndRetry(const TractFailure &failure);

    QPointer<TractClient> m_client;
    Spec m_spec;
    RetryPolicy m_policy;
    QPointer<QNetworkReply> m_reply;
    QTimer m_attemptTimer;
    QTimer m_retryTimer;
    QList<QPair<QByteArray, QByteArray>> m_authHeaders;
    QString m_tokenUsed;    // the bearer token of the current attempt
    bool m_renewed = false; // a 401 renewed the token once already
    int m_attempt = 0;
    bool m_timedOut = false;
    bool m_finished = false;
};

// A call whose result is a TractResult<T>.
template <typename T> class TractReply : public TractCall {
public:
    using Parser = std::function<TractResult<T>(const QByteArray &body)>;

    TractReply(TractClient *client, Spec spec, Parser parser)
        : TractCall(client, std::move(spec))
        , m_parser(std::move(parser)) {}

    // Valid once finished() was emitted.
    const TractResult<T> &result() const { return *m_result; }

    // Calls f(const TractResult<T> &) when the call finishes, unless `context`
    // was destroyed first: results are never delivered to a dead receiver.
    // The result is shared, not read from the call, so a queued delivery to
    // another thread stays valid after the call deleted itself.
    template <typename F> QMetaObject::Connection onResult(QObject *context, F f) {
        return QObject::connect(this, &TractCall::finished, context,
                                [result = m_result, f = std::move(f)]() mutable { f(*result); });
    }

protected:
    std::optional<TractFailure> acceptBody(const QByteArray &body) override {
        TractResult<T> parsed = m_parser(body);
        if (!parsed)
            return parsed.failure();
        *m_result = std::move(parsed);
        return std::nullopt;
    }
    void storeFailure(const TractFailure &failure) override { *m_result = failure; }

private:
    Parser m_parser;
    std::shared_ptr<TractResult<T>> m_result = std::make_shared<TractResult<T>>(TractFailure{});
};

} // namespace tract
