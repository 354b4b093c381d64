// Tests of the TRACT client (network/client) with real peers only:
// - the real tract-sandbox process for every call's success and typed failures;
// - a scripted fault server (our own http::HttpServer) for retries, Retry-After,
//   timeouts and refused connections, where the answers must be exact.
// Waits poll a predicate with a generous deadline; timing checks have wide margins.
#include "SandboxProcess.h"
#include "network/client/TractClient.h"
#include "network/client/TractReachability.h"
#include "network/http/HttpServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

using namespace tract;
using testsupport::SandboxProcess;

namespace {

constexpr int kWaitMs = 20'000;
const QString kClientId = QStringLiteral("demo");
const QString kToken = QStringLiteral("demo-token");

template <typename T> TractResult<T> waitFor(TractReply<T> *call, int timeoutMs = kWaitMs) {
    auto out = std::make_shared<std::optional<TractResult<T>>>();
    QObject context;
    call->onResult(&context, [out](const TractResult<T> &r) { *out = r; });
    (void)QTest::qWaitFor([&] { return out->has_value(); }, timeoutMs);
    if (!out->has_value()) {
        TractFailure f;
        f.message = QStringLiteral("test: no result within %1 ms").arg(timeoutMs);
        return f;
    }
    return **out;
}

// A fast policy for the fault server, so retries take tens of milliseconds.
// The soonest a wait of ms on the client's timers may end: Qt's coarse timers
// may fire up to 5 % early.
constexpr qint64 soonestEnd(int ms) {
    return ms * 95 / 100 - 5;
}

RetryPolicy fastPolicy(int attempts = 3) {
    RetryPolicy p;
    p.maxAttempts = attempts;
    p.baseDelayMs = 100;
    p.maxDelayMs = 1'000;
    p.jitter = 0.2;
    p.attemptTimeoutsMs = {2'000};
    return p;
}

// An HTTP server that answers each request with the next scripted response;
// std::nullopt means "never answer" (the responder is kept, so no 500 either).
class FaultServer {
public:
    FaultServer() {
        m_server.setHandler([this](const http::Request &req, const http::Responder &responder) {
            requests.push_back(req);
            std::optional<http::Response> next;
            if (!m_script.empty()) {
                next = m_script.front();
                if (m_script.size() > 1)
                    m_script.erase(m_script.begin()); // the last answer repeats
            }
            if (next)
                responder.send(*next);
            else
                m_silent.push_back(responder);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }
    void script(std::vector<std::optional<http::Response>> responses) {
        m_script = std::move(responses);
    }
    static http::Response status(int code, const QByteArray &body = "{}") {
        http::Response r;
        r.status = code;
        r.body = body;
        return r;
    }

    std::vector<http::Request> requests;

private:
    http::HttpServer m_server;
    std::vector<std::optional<http::Response>> m_script;
    std::vector<http::Responder> m_silent;
};

// Everything logged while alive, for the "token is never logged" check.
class LogCapture {
public:
    LogCapture() {
        s_lines = &m_lines;
        QLoggingCategory::setFilterRules(QStringLiteral("tract.*=true"));
        m_previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &ctx, const QString &msg) {
                s_lines->append(QString::fromLatin1(ctx.category) + QLatin1Char(' ') + msg);
            });
    }
    ~LogCapture() {
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
        s_lines = nullptr;
    }
    QString text() const { return m_lines.join(QLatin1Char('\n')); }

private:
    static inline QStringList *s_lines = nullptr;
    QStringList m_lines;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

class TestTractClient : public QObject {
    Q_OBJECT

private:
    SandboxProcess m_sandbox;
    std::unique_ptr<TractClient> m_client;

    void createUser(SandboxProcess &sandbox, const QString &id) {
        const auto r = sandbox.post(
            QStringLiteral("/sandbox/users"),
            {{QStringLiteral("user_id"), id},
             {QStringLiteral("user_name"), QStringLiteral("Asha Rao")},
             {QStringLiteral("details"),
              QJsonObject{{QStringLiteral("email"), QStringLiteral("asha@example.com")},
                          {QStringLiteral("city"), QStringLiteral("Pune")}}}});
        QVERIFY2(r.status == 200 || r.status == 201, r.body.constData());
    }
    QString ownerOf(SandboxProcess &sandbox, const QString &id) {
        const QJsonArray users = sandbox.state().value(QStringLiteral("users")).toArray();
        for (const QJsonValue &u : users) {
            if (u[QStringLiteral("user_id")].toString() == id)
                return u[QStringLiteral("owner")].toString();
        }
        return QString();
    }
    SendMessageRequest textMessage(const QString &userId, const QString &text) {
        SendMessageRequest m;
        m.userId = userId;
        m.sender = Sender::Aeu;
        m.messageBody = {{QStringLiteral("type"), QStringLiteral("TEXT")},
                         {QStringLiteral("data"), QJsonObject{{QStringLiteral("text"), text}}}};
        return m;
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_sandbox.start({QStringLiteral("--user-reply-delay"), QStringLiteral("0"),
                                  QStringLiteral("--bot-delay"), QStringLiteral("100000"),
                                  QStringLiteral("--grant-delay"), QStringLiteral("50")}),
                 qPrintable(m_sandbox.errorString()));
        m_client = std::make_unique<TractClient>(m_sandbox.baseUrl(), kClientId, kToken);
    }
    void cleanupTestCase() {
        m_client.reset();
        m_sandbox.stop();
    }

    // --- RetryPolicy, pure -------------------------------------------------

    void backoffDoublesWithinJitterAndCap() {
        RetryPolicy p; // defaults: 1 s base, doubling, 30 s cap, +-20 %
        QCOMPARE(p.backoffDelayMs(1, 0.5), 1'000);
        QCOMPARE(p.backoffDelayMs(2, 0.5), 2'000);
        QCOMPARE(p.backoffDelayMs(3, 0.5), 4'000);
        QCOMPARE(p.backoffDelayMs(1, 0.0), 800);
        QCOMPARE(p.backoffDelayMs(1, 0.999999), 1'200);
        QCOMPARE(p.backoffDelayMs(10, 0.5), 30'000);
        QCOMPARE(p.backoffDelayMs(10, 0.999999), 30'000); // jitter never exceeds the cap
        QCOMPARE(p.backoffDelayMs(1000, 0.5), 30'000);    // no overflow
        QCOMPARE(p.timeoutForAttempt(1), 10'000);
        QCOMPARE(p.timeoutForAttempt(3), 30'000);
        QCOMPARE(p.timeoutForAttempt(9), 30'000); // the last entry repeats
        QCOMPARE(p.maxAttempts, 4);
    }

    void retryAfterSecondsAndDates() {
        const QDateTime now(QDate(2024, 3, 1), QTime(12, 0, 0), Qt::UTC);
        QCOMPARE(RetryPolicy::parseRetryAfter("1", now), std::optional<qint64>(1'000));
        QCOMPARE(RetryPolicy::parseRetryAfter(" 120 ", now), std::optional<qint64>(120'000));
        QCOMPARE(RetryPolicy::parseRetryAfter("Fri, 01 Mar 2024 12:00:30 GMT", now),
                 std::optional<qint64>(30'000));
        QCOMPARE(RetryPolicy::parseRetryAfter("Friday, 01-Mar-24 12:00:05 GMT", now),
                 std::optional<qint64>(5'000));
        QCOMPARE(RetryPolicy::parseRetryAfter("Fri Mar  1 12:00:02 2024", now),
                 std::optional<qint64>(2'000));
        QCOMPARE(RetryPolicy::parseRetryAfter("Fri, 01 Mar 2024 11:00:00 GMT", now),
                 std::optional<qint64>(0)); // in the past: now
        QCOMPARE(RetryPolicy::parseRetryAfter("-5", now), std::nullopt);
        QCOMPARE(RetryPolicy::parseRetryAfter("soon", now), std::nullopt);
        QCOMPARE(RetryPolicy::parseRetryAfter("", now), std::nullopt);
    }

    // --- every call against the real sandbox -------------------------------

    void registerAndListHooks() {
        RegisterHookRequest req{QStringLiteral("conversation_state"),
                                QStringLiteral("complete"),
                                QStringLiteral("http://127.0.0.1:9/hooks/s3cret/"
                                               "conversation_state/complete"),
                                {}};
        const auto registered = waitFor(m_client->registerHook(req));
        QVERIFY2(registered.ok(), qPrintable(registered.failure().message));

        const auto listed = waitFor(m_client->listHooks());
        QVERIFY2(listed.ok(), qPrintable(listed.failure().message));
        bool found = false;
        for (const HookRegistration &h : listed->hooks)
            found |=
                h.category == req.category && h.subcategory == req.subcategory && h.url == req.url;
        QVERIFY(found);
    }

    void registerHookBadInputIs400() {
        RegisterHookRequest req{QStringLiteral("conversation_state"),
                                QStringLiteral("complete"),
                                QStringLiteral("ftp://nowhere"),
                                {}};
        const auto r = waitFor(m_client->registerHook(req));
        QVERIFY(!r.ok());
        QCOMPARE(r.failure().kind, TractFailure::Kind::Http4xx);
        QCOMPARE(r.failure().httpStatus, 400);
        QVERIFY(!r.failure().retryable);
        QCOMPARE(r.failure().attempts, 1);
        QVERIFY2(r.failure().message.contains(QLatin1String("url")),
                 qPrintable(r.failure().message));
        QVERIFY(r.failure().message.contains(QLatin1String("HTTP 400")));
    }

    void getUserAndDetails() {
        createUser(m_sandbox, QStringLiteral("u-get"));
        const auto user = waitFor(m_client->getUser(QStringLiteral("u-get")));
        QVERIFY2(user.ok(), qPrintable(user.failure().message));
        QCOMPARE(user->userId, QStringLiteral("u-get"));
        QCOMPARE(user->userName, std::optional<QString>(QStringLiteral("Asha Rao")));
        QVERIFY(user->detailsAvailable.contains(QStringLiteral("email")));

        const auto details = waitFor(m_client->getUserDetails(
            QStringLiteral("u-get"), {QStringLiteral("email"), QStringLiteral("city")}));
        QVERIFY2(details.ok(), qPrintable(details.failure().message));
        QCOMPARE(details->details.value(QStringLiteral("email")).toString(),
                 QStringLiteral("asha@example.com"));
        QCOMPARE(details->details.value(QStringLiteral("city")).toString(), QStringLiteral("Pune"));
    }

    void unknownUserIs404() {
        const auto r = waitFor(m_client->getUser(QStringLiteral("nobody")));
        QVERIFY(!r.ok());
        QCOMPARE(r.failure().kind, TractFailure::Kind::Http4xx);
        QCOMPARE(r.failure().httpStatus, 404);
        QCOMPARE(r.failure().serverError, QStringLiteral("unknown user_id 'nobody'"));
        QVERIFY2(r.failure().message.contains(QLatin1String("unknown user_id 'nobody'")),
                 qPrintable(r.failure().message));
        QVERIFY(!r.failure().retryable);

        const auto details =
            waitFor(m_client->getUserDetails(QStringLiteral("nobody"), {QStringLiteral("email")}));
        QCOMPARE(details.failure().httpStatus, 404);
        const auto listeners = waitFor(m_client->fetchListeners(QStringLiteral("nobody")));
        QCOMPARE(listeners.failure().httpStatus, 404);
        const auto take = waitFor(m_client->take(QStringLiteral("nobody")));
        QCOMPARE(take.failure().httpStatus, 404);
    }

    void wrongTokenIs401() {
        TractClient client(m_sandbox.baseUrl(), kClientId, QStringLiteral("wrong-token-123"));
        const auto r = waitFor(client.listHooks());
        QVERIFY(!r.ok());
        QCOMPARE(r.failure().kind, TractFailure::Kind::Http4xx);
        QCOMPARE(r.failure().httpStatus, 401);
        QCOMPARE(r.failure().attempts, 1);
        QVERIFY2(r.failure().message.contains(QLatin1String("token")),
                 qPrintable(r.failure().message));

        TractClient wrongId(m_sandbox.baseUrl(), QStringLiteral("other"), kToken);
        QCOMPARE(waitFor(wrongId.listHooks()).failure().httpStatus, 401);
    }

    void sendMessageNeedsOwnership() {
        createUser(m_sandbox, QStringLiteral("u-msg"));
        const auto refused = waitFor(
            m_client->sendMessage(textMessage(QStringLiteral("u-msg"), QStringLiteral("hi"))));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.failure().kind, TractFailure::Kind::Http4xx);
        QCOMPARE(refused.failure().httpStatus, 403);
        QVERIFY2(refused.failure().message.startsWith(
                     QLatin1String("TRACT refused: user 'u-msg' is owned by 'iva'")),
                 qPrintable(refused.failure().message));

        const auto take = waitFor(m_client->take(QStringLiteral("u-msg")));
        QVERIFY2(take.ok(), qPrintable(take.failure().message));
        QVERIFY(take->success);
        QCOMPARE(ownerOf(m_sandbox, QStringLiteral("u-msg")), kClientId);

        const auto sent = waitFor(m_client->sendMessage(
            textMessage(QStringLiteral("u-msg"), QStringLiteral("Hello Asha"))));
        QVERIFY2(sent.ok(), qPrintable(sent.failure().message));
        const QJsonArray received =
            m_sandbox.state()[QStringLiteral("received")][QStringLiteral("messages")].toArray();
        QVERIFY(!received.isEmpty());
        const QJsonObject last = received.last().toObject();
        QCOMPARE(last[QStringLiteral("user_id")].toString(), QStringLiteral("u-msg"));
        QCOMPARE(last[QStringLiteral("sender")].toString(), QStringLiteral("aeu"));
        QVERIFY(
            last[QStringLiteral("message_body")].toString().contains(QLatin1String("Hello Asha")));

        SendMessageRequest bad = textMessage(QStringLiteral("u-msg"), QStringLiteral("x"));
        bad.messageBody[QStringLiteral("type")] = QStringLiteral("NOPE");
        const auto badType = waitFor(m_client->sendMessage(bad));
        QCOMPARE(badType.failure().httpStatus, 400);
        QCOMPARE(badType.failure().kind, TractFailure::Kind::Http4xx);
    }

    void sendEvent() {
        createUser(m_sandbox, QStringLiteral("u-evt"));
        SendEventRequest e;
        e.userId = QStringLiteral("u-evt");
        e.type = QStringLiteral("aeu_events");
        e.subtype = QStringLiteral("received");
        e.metadata = QStringLiteral("{\"agent\":\"a1\"}");
        const auto r = waitFor(m_client->sendEvent(e));
        QVERIFY2(r.ok(), qPrintable(r.failure().message));
        const QJsonArray events =
            m_sandbox.state()[QStringLiteral("received")][QStringLiteral("events")].toArray();
        QVERIFY(!events.isEmpty());
        QCOMPARE(events.last()[QStringLiteral("type")].toString(), QStringLiteral("aeu_events"));

        e.userId = QStringLiteral("nobody");
        QCOMPARE(waitFor(m_client->sendEvent(e)).failure().httpStatus, 404);
    }

    void listenersAndThreadControl() {
        createUser(m_sandbox, QStringLiteral("u-tc"));
        auto listeners = waitFor(m_client->fetchListeners(QStringLiteral("u-tc")));
        QVERIFY2(listeners.ok(), qPrintable(listeners.failure().message));
        QCOMPARE(listeners->listeners.size(), 3);
        const auto activeId = [](const FetchListenersResponse &r) {
            for (const Listener &l : r.listeners) {
                if (l.active)
                    return l.id;
            }
            return QString();
        };
        QCOMPARE(activeId(*listeners), QStringLiteral("iva"));

        // Not the owner: pass is refused with TRACT's reason code.
        const auto notOwner =
            waitFor(m_client->pass(QStringLiteral("u-tc"), QStringLiteral("sac")));
        QVERIFY(!notOwner.ok());
        QCOMPARE(notOwner.failure().kind, TractFailure::Kind::Refused);
        QCOMPARE(notOwner.failure().httpStatus, 200);
        QVERIFY(notOwner.failure().reason.has_value());
        QCOMPARE(notOwner.failure().reason->code, QStringLiteral("not_owner"));
        QVERIFY2(notOwner.failure().message.contains(QLatin1String("not_owner")),
                 qPrintable(notOwner.failure().message));
        QVERIFY(!notOwner.failure().retryable);

        // Request: the bot grants it after the sandbox's grant delay.
        const auto requested = waitFor(m_client->request(QStringLiteral("u-tc")));
        QVERIFY2(requested.ok(), qPrintable(requested.failure().message));
        QTRY_COMPARE_WITH_TIMEOUT(ownerOf(m_sandbox, QStringLiteral("u-tc")), kClientId, kWaitMs);
        listeners = waitFor(m_client->fetchListeners(QStringLiteral("u-tc")));
        QCOMPARE(activeId(*listeners), kClientId);

        const auto passed = waitFor(m_client->pass(QStringLiteral("u-tc"), QStringLiteral("sac")));
        QVERIFY2(passed.ok(), qPrintable(passed.failure().message));
        QCOMPARE(ownerOf(m_sandbox, QStringLiteral("u-tc")), QStringLiteral("sac"));

        const auto taken = waitFor(m_client->take(QStringLiteral("u-tc")));
        QVERIFY2(taken.ok(), qPrintable(taken.failure().message));
        QCOMPARE(ownerOf(m_sandbox, QStringLiteral("u-tc")), kClientId);
    }

    void strictThreadControlRefusesTake() {
        SandboxProcess strict;
        QVERIFY2(strict.start({QStringLiteral("--strict-thread-control"),
                               QStringLiteral("--user-reply-delay"), QStringLiteral("0")}),
                 qPrintable(strict.errorString()));
        createUser(strict, QStringLiteral("u-strict"));
        TractClient client(strict.baseUrl(), kClientId, kToken);
        const auto r = waitFor(client.take(QStringLiteral("u-strict")));
        QVERIFY(!r.ok());
        QCOMPARE(r.failure().kind, TractFailure::Kind::Refused);
        QVERIFY(r.failure().reason.has_value());
        QCOMPARE(r.failure().reason->code, QStringLiteral("take_not_allowed"));
        QVERIFY2(r.failure().message.contains(QLatin1String("only primary receivers")),
                 qPrintable(r.failure().message));
        QCOMPARE(r.failure().attempts, 1); // a refusal is an answer, not a fault

        const auto req = waitFor(client.request(QStringLiteral("u-strict")));
        QCOMPARE(req.failure().reason->code, QStringLiteral("request_unsupported"));
    }

    void tokenIsNeverLogged() {
        const QString secretToken = QStringLiteral("tok-9f8e7d6c5b4a-never-log-me");
        LogCapture capture;
        {
            TractClient client(m_sandbox.baseUrl(), kClientId, secretToken);
            const auto r = waitFor(client.getUser(QStringLiteral("nobody")));
            QCOMPARE(r.failure().httpStatus, 401);
            QVERIFY(!r.failure().message.contains(secretToken));

            // A server that echoes the token in its error text is redacted too.
            FaultServer echo;
            QVERIFY(echo.listen());
            echo.script({FaultServer::status(
                403, QByteArrayLiteral("{\"error\":\"token tok-9f8e7d6c5b4a-never-log-me is "
                                       "revoked\"}"))});
            client.setBaseUrl(echo.url());
            const auto echoed = waitFor(client.listHooks());
            QCOMPARE(echoed.failure().httpStatus, 403);
            QVERIFY2(!echoed.failure().message.contains(secretToken),
                     qPrintable(echoed.failure().message));
            QVERIFY(echo.requests.front().header("authorization") ==
                    "Bearer " + secretToken.toUtf8()); // sent, just never shown
        }
        const QString log = capture.text();
        QVERIFY2(log.contains(QLatin1String("/tract/user/")), qPrintable(log)); // it did log
        QVERIFY2(log.contains(QLatin1String("401")), qPrintable(log));
        QVERIFY2(!log.contains(secretToken), qPrintable(log));
        QVERIFY(!log.contains(QLatin1String("9f8e7d6c5b4a")));
    }

    // --- retries against the scripted fault server --------------------------

    void headersAreSent() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({FaultServer::status(200, "{\"hooks\":[]}")});
        TractClient client(server.url(), QStringLiteral("acme"), QStringLiteral("t0k"));
        QVERIFY(waitFor(client.listHooks()).ok());
        QCOMPARE(server.requests.size(), size_t(1));
        const http::Request &req = server.requests.front();
        QCOMPARE(req.method, QByteArray("GET"));
        QCOMPARE(req.path, QByteArray("/tract/hooks/list/"));
        QCOMPARE(req.header("authorization"), QByteArray("Bearer t0k"));
        QCOMPARE(req.header("client-id"), QByteArray("acme"));
    }

    void serverErrorsAreRetriedWithBackoff() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({FaultServer::status(503, "{\"error\":\"busy\"}"),
                       FaultServer::status(503, "{\"error\":\"busy\"}"),
                       FaultServer::status(200, "{\"hooks\":[]}")});
        TractClient client(server.url(), kClientId, kToken);
        client.setRetryPolicy(fastPolicy(4));
        auto *call = client.listHooks();
        QSignalSpy retries(call, &TractCall::retryScheduled);
        QElapsedTimer timer;
        timer.start();
        const auto r = waitFor(call);
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(r.ok(), qPrintable(r.failure().message));
        QCOMPARE(server.requests.size(), size_t(3));
        QCOMPARE(retries.size(), 2);
        QCOMPARE(retries.at(0).at(0).toInt(), 2);
        QCOMPARE(retries.at(1).at(0).toInt(), 3);
        const int first = retries.at(0).at(1).toInt();
        const int second = retries.at(1).at(1).toInt();
        QVERIFY2(first >= 80 && first <= 120, QByteArray::number(first));     // 100 ms +-20 %
        QVERIFY2(second >= 160 && second <= 240, QByteArray::number(second)); // doubled
        QVERIFY2(elapsed >= first + second - 20, QByteArray::number(elapsed));
        QVERIFY2(elapsed < 5'000, QByteArray::number(elapsed));
    }

    void serverErrorsExhaustAttempts() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({FaultServer::status(500, "{\"error\":\"database down\"}")});
        TractClient client(server.url(), kClientId, kToken);
        client.setRetryPolicy(fastPolicy(3));
        const auto r = waitFor(client.getUser(QStringLiteral("u1")));
        QVERIFY(!r.ok());
        QCOMPARE(r.failure().kind, TractFailure::Kind::Http5xx);
        QCOMPARE(r.failure().httpStatus, 500);
        QCOMPARE(r.failure().attempts, 3);
        QVERIFY(r.failure().retryable);
        QCOMPARE(server.requests.size(), size_t(3));
        QVERIFY2(r.failure().message.contains(QLatin1String("database down")) &&
                     r.failure().message.contains(QLatin1String("3 attempt")),
                 qPrintable(r.failure().message));
    }

    void rateLimitHonoursRetryAfter() {
        FaultServer server;
        QVERIFY(server.listen());
        http::Response limited = FaultServer::status(429, "{\"error\":\"slow down\"}");
        limited.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
        server.script({limited, FaultServer::status(200, "{\"hooks\":[]}")});
        TractClient client(server.url(), kClientId, kToken);
        client.setRetryPolicy(fastPolicy(3));
        auto *call = client.listHooks();
        QSignalSpy retries(call, &TractCall::retryScheduled);
        QElapsedTimer timer;
        timer.start();
        const auto r = waitFor(call);
        QVERIFY2(r.ok(), qPrintable(r.failure().message));
        QCOMPARE(retries.size(), 1);
        QCOMPARE(retries.at(0).at(1).toInt(), 1'000); // Retry-After, not the 100 ms backoff
        QVERIFY2(timer.elapsed() >= soonestEnd(1000), QByteArray::number(timer.elapsed()));
        QCOMPARE(server.requests.size(), size_t(2));
    }

    void retryAfterBeyondCapEndsTheCall() {
        FaultServer server;
        QVERIFY(server.listen());
        http::Response limited = FaultServer::status(429);
        limited.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("3600")});
        server.script({limited});
        TractClient client(server.url(), kClientId, kToken);
        client.setRetryPolicy(fastPolicy(3));
        const auto r = waitFor(client.listHooks());
        QCOMPARE(r.failure().kind, TractFailure::Kind::RateLimited);
        QCOMPARE(r.failure().httpStatus, 429);
        QCOMPARE(r.failure().retryAfterMs, std::optional<qint64>(3'600'000));
        QVERIFY(r.failure().retryable);
        QCOMPARE(server.requests.size(), size_t(1));
    }

    void clientErrorsAreNotRetried() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({FaultServer::status(400, "{\"error\":\"user_id: expected string\"}")});
        TractClient client(server.url(), kClientId, kToken);
        client.setRetryPolicy(fastPolicy(4));
        auto *call = client.getUser(QStringLiteral("u1"));
        QSignalSpy retries(call, &TractCall::retryScheduled);
        const auto r = waitFor(call);
        QCOMPARE(r.failure().kind, TractFailure::Kind::Http4xx);
        QCOMPARE(r.failure().httpStatus, 400);
        QCOMPARE(r.failure().attempts, 1);
        QCOMPARE(retries.size(), 0);
        QCOMPARE(server.requests.size(), size_t(1));
        QVERIFY(r.failure().message.contains(QLatin1String("user_id: expected string")));
    }

    void connectionRefusedIsRetriedThenNetwork() {
        quint16 port = 0;
        {
            QTcpServer probe; // take a free port, then close it: nothing listens there
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        TractClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), kClientId,
                           kToken);
        client.setRetryPolicy(fastPolicy(3));
        auto *call = client.sendMessage(textMessage(QStringLiteral("u1"), QStringLiteral("hi")));
        QSignalSpy retries(call, &TractCall::retryScheduled);
        const auto r = waitFor(call);
        QCOMPARE(r.failure().kind, TractFailure::Kind::Network);
        QCOMPARE(r.failure().httpStatus, 0);
        QCOMPARE(r.failure().attempts, 3); // refused: surely not delivered, so even a send retries
        QCOMPARE(retries.size(), 2);
        QVERIFY2(r.failure().message.contains(QLatin1String("connection refused")),
                 qPrintable(r.failure().message));
    }

    void silentServerTimesOut() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({std::nullopt});
        TractClient client(server.url(), kClientId, kToken);
        RetryPolicy p = fastPolicy(2);
        p.attemptTimeoutsMs = {300, 600};
        client.setRetryPolicy(p);
        QElapsedTimer timer;
        timer.start();
        const auto r = waitFor(client.listHooks());
        QCOMPARE(r.failure().kind, TractFailure::Kind::Timeout);
        QCOMPARE(r.failure().attempts, 2);
        QCOMPARE(server.requests.size(), size_t(2));
        // Both timeouts and the backoff (100 ms less 20 % jitter) ran in full.
        QVERIFY2(timer.elapsed() >= soonestEnd(300 + 80 + 600),
                 QByteArray::number(timer.elapsed()));
        QVERIFY2(r.failure().message.contains(QLatin1String("did not answer")),
                 qPrintable(r.failure().message));
    }

    void unsafeCallsAreNotRepeatedWhenAmbiguous() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({std::nullopt});
        TractClient client(server.url(), kClientId, kToken);
        RetryPolicy p = fastPolicy(3);
        p.attemptTimeoutsMs = {300};
        client.setRetryPolicy(p);
        // TRACT may have delivered the message before going silent: no retry.
        const auto timedOut =
            waitFor(client.sendMessage(textMessage(QStringLiteral("u1"), QStringLiteral("hi"))));
        QCOMPARE(timedOut.failure().kind, TractFailure::Kind::Timeout);
        QCOMPARE(timedOut.failure().attempts, 1);
        QCOMPARE(server.requests.size(), size_t(1));

        // 503 says "not processed": a send is retried.
        FaultServer busy;
        QVERIFY(busy.listen());
        busy.script({FaultServer::status(503), FaultServer::status(200)});
        client.setBaseUrl(busy.url());
        const auto sent =
            waitFor(client.sendMessage(textMessage(QStringLiteral("u1"), QStringLiteral("hi"))));
        QVERIFY2(sent.ok(), qPrintable(sent.failure().message));
        QCOMPARE(busy.requests.size(), size_t(2));

        // 500 is ambiguous: not retried, unless the policy says so.
        FaultServer broken;
        QVERIFY(broken.listen());
        broken.script({FaultServer::status(500), FaultServer::status(200)});
        client.setBaseUrl(broken.url());
        QCOMPARE(waitFor(client.sendEvent({QStringLiteral("u1"),
                                           {},
                                           {},
                                           QStringLiteral("aeu_events"),
                                           QStringLiteral("received"),
                                           {},
                                           {}}))
                     .failure()
                     .httpStatus,
                 500);
        QCOMPARE(broken.requests.size(), size_t(1));
        p.retryUnsafeWhenAmbiguous = true;
        client.setRetryPolicy(p);
        broken.script({FaultServer::status(500), FaultServer::status(200)});
        QVERIFY(waitFor(client.sendEvent({QStringLiteral("u1"),
                                          {},
                                          {},
                                          QStringLiteral("aeu_events"),
                                          QStringLiteral("received"),
                                          {},
                                          {}}))
                    .ok());
        QCOMPARE(broken.requests.size(), size_t(3));
    }

    void unreadableSuccessIsBadResponse() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({FaultServer::status(200, "<html>proxy login</html>")});
        TractClient client(server.url(), kClientId, kToken);
        const auto r = waitFor(client.getUser(QStringLiteral("u1")));
        QCOMPARE(r.failure().kind, TractFailure::Kind::BadResponse);
        QCOMPARE(r.failure().httpStatus, 200);
        QVERIFY(!r.failure().retryable);
        QCOMPARE(server.requests.size(), size_t(1));

        server.script({FaultServer::status(200, "{\"error\":\"hook limit reached\"}")});
        const auto refused = waitFor(client.registerHook({QStringLiteral("message"),
                                                          QStringLiteral("receive"),
                                                          QStringLiteral("http://x/"),
                                                          {}}));
        QCOMPARE(refused.failure().kind, TractFailure::Kind::Refused);
        QCOMPARE(refused.failure().serverError, QStringLiteral("hook limit reached"));
    }

    // --- lifetime -----------------------------------------------------------

    void resultNeverReachesADestroyedReceiver() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({FaultServer::status(200, "{\"hooks\":[]}")});
        TractClient client(server.url(), kClientId, kToken);
        bool delivered = false;
        auto *receiver = new QObject;
        auto *call = client.listHooks();
        call->onResult(receiver,
                       [&delivered](const TractResult<ListHooksResponse> &) { delivered = true; });
        QPointer<TractCall> watch(call);
        delete receiver;
        QTRY_VERIFY_WITH_TIMEOUT(watch.isNull(), kWaitMs); // finished and deleted itself
        QVERIFY(!delivered);
        QCOMPARE(server.requests.size(), size_t(1));
    }

    void destroyingTheClientCancelsCalls() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({std::nullopt});
        auto client = std::make_unique<TractClient>(server.url(), kClientId, kToken);
        auto *call = client->listHooks();
        QPointer<TractCall> watch(call);
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), size_t(1), kWaitMs);
        client.reset();
        QVERIFY(watch.isNull());
        QTest::qWait(50); // no late callback into freed memory
    }

    void abandonDeliversNothing() {
        FaultServer server;
        QVERIFY(server.listen());
        server.script({std::nullopt});
        TractClient client(server.url(), kClientId, kToken);
        auto *call = client.listHooks();
        QSignalSpy finished(call, &TractCall::finished);
        QPointer<TractCall> watch(call);
        QTRY_COMPARE_WITH_TIMEOUT(server.requests.size(), size_t(1), kWaitMs);
        call->abandon();
        QTRY_VERIFY_WITH_TIMEOUT(watch.isNull(), kWaitMs);
        QCOMPARE(finished.size(), 0);
    }

    // --- reachability -----------------------------------------------------

    void reachability() {
        TractReachability ok(m_client.get());
        QSignalSpy changed(&ok, &TractReachability::stateChanged);
        QCOMPARE(ok.state(), TractReachability::State::Unknown);
        ok.check();
        QTRY_COMPARE_WITH_TIMEOUT(ok.state(), TractReachability::State::Reachable, kWaitMs);
        QCOMPARE(changed.size(), 1);

        TractClient wrong(m_sandbox.baseUrl(), kClientId, QStringLiteral("nope"));
        TractReachability unauthorized(&wrong);
        unauthorized.check();
        QTRY_COMPARE_WITH_TIMEOUT(unauthorized.state(), TractReachability::State::Unauthorized,
                                  kWaitMs);
        QVERIFY(!unauthorized.message().isEmpty());

        TractClient nowhere(QUrl(QStringLiteral("http://127.0.0.1:1")), kClientId, kToken);
        TractReachability down(&nowhere);
        QSignalSpy checked(&down, &TractReachability::checked);
        down.check();
        down.check(); // already checking: ignored
        QTRY_COMPARE_WITH_TIMEOUT(down.state(), TractReachability::State::Unreachable, kWaitMs);
        QTest::qWait(100);
        QCOMPARE(checked.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTractClient)
#include "tst_tract_client.moc"
