// Tests of the shared HTTP/1.1 server (network/http) over real loopback sockets.
//
// Raw QTcpSocket clients write exact bytes, so every limit and every framing
// rule can be checked byte for byte; QNetworkAccessManager checks that a real
// client is happy with what the server sends. Nothing sleeps for a fixed time:
// each wait runs the event loop until a predicate holds, with a generous deadline.
#include "network/http/HttpServer.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

using namespace http;

namespace {

// Generous: a loaded 2-core CI machine under ASan must never time out a correct run.
constexpr int kTimeoutMs = 10'000;

struct ParsedResponse {
    int status = 0;
    QByteArray statusLine;
    HeaderList headers; // names lower-cased
    QByteArray body;

    QByteArray header(QByteArrayView name) const {
        for (const auto &h : headers) {
            if (h.first == name)
                return h.second;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const {
        for (const auto &h : headers) {
            if (h.first == name)
                return true;
        }
        return false;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// Takes one complete response off the front of `buffer`. The body length comes
// from Content-Length only (the server never sends chunked responses), and
// `headOnly` says the response answers a HEAD request and has no body.
std::optional<ParsedResponse> takeResponse(QByteArray &buffer, bool headOnly = false) {
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    const QList<QByteArray> lines = buffer.left(end).split('\n');
    ParsedResponse r;
    r.statusLine = lines.first().trimmed();
    r.status = r.statusLine.split(' ').value(1).toInt();
    qint64 length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        r.headers.append({name, value});
        if (name == "content-length")
            length = value.toLongLong();
    }
    if (headOnly)
        length = 0;
    if (buffer.size() < end + 4 + length)
        return std::nullopt;
    r.body = buffer.mid(end + 4, length);
    buffer.remove(0, end + 4 + length);
    return r;
}

// Runs the event loop until `predicate` holds or the deadline passes.
// QTest::qWaitFor sleeps 10 ms between event batches, which starves a server
// that needs many loop iterations (long pipelines); a real event loop serves
// socket events as they come and only the check itself is polled.
template <typename Predicate> bool waitUntil(Predicate predicate, int timeoutMs = kTimeoutMs) {
    if (predicate())
        return true;
    QEventLoop loop;
    QTimer poll;
    QElapsedTimer clock;
    clock.start();
    bool met = false;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        met = predicate();
        if (met || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    poll.start(2);
    loop.exec();
    return met;
}

// A client writing raw bytes and collecting whatever comes back.
class RawClient : public QObject {
public:
    explicit RawClient(quint16 port) {
        connect(&socket, &QTcpSocket::readyRead, this, [this] { received += socket.readAll(); });
        connect(&socket, &QTcpSocket::disconnected, this, [this] { closed = true; });
        socket.connectToHost(QHostAddress::LocalHost, port);
    }

    bool waitConnected() {
        return waitUntil([this] { return socket.state() == QAbstractSocket::ConnectedState; },
                         kTimeoutMs);
    }
    void send(const QByteArray &bytes) { socket.write(bytes); }
    // The next complete response, or nothing if the connection closed first or
    // the deadline passed.
    std::optional<ParsedResponse> response(bool headOnly = false, int timeoutMs = kTimeoutMs) {
        std::optional<ParsedResponse> r;
        (void)waitUntil(
            [&] {
                r = takeResponse(received, headOnly);
                return r.has_value() || closed;
            },
            timeoutMs);
        return r;
    }
    // The next `count` responses, however many arrived when the deadline passed.
    std::vector<ParsedResponse> responses(int count, int timeoutMs = kTimeoutMs) {
        std::vector<ParsedResponse> all;
        (void)waitUntil(
            [&] {
                while (auto r = takeResponse(received))
                    all.push_back(*std::move(r));
                return int(all.size()) >= count || closed;
            },
            timeoutMs);
        return all;
    }
    bool waitClosed(int timeoutMs = kTimeoutMs) {
        return waitUntil([this] { return closed; }, timeoutMs);
    }

    QTcpSocket socket;
    QByteArray received;
    bool closed = false;
};

QByteArray get(const QByteArray &target, const QByteArray &extraHeaders = {}) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n";
}

QByteArray post(const QByteArray &target, const QByteArray &body,
                const QByteArray &extraHeaders = {}) {
    return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" +
           body;
}

// What the echo handler saw, as JSON, so a test can check parsing end to end.
Response echo(const Request &req) {
    QJsonObject headers;
    for (const auto &h : req.headers)
        headers.insert(QString::fromLatin1(h.first), QString::fromLatin1(h.second));
    return Response::json(200,
                          QJsonObject{
                              {QStringLiteral("method"), QString::fromLatin1(req.method)},
                              {QStringLiteral("path"), QString::fromUtf8(req.path)},
                              {QStringLiteral("query"), QString::fromLatin1(req.query)},
                              {QStringLiteral("body"), QString::fromUtf8(req.body)},
                              {QStringLiteral("mediaType"), QString::fromLatin1(req.mediaType())},
                              {QStringLiteral("contentLength"), req.contentLength},
                              {QStringLiteral("headers"), headers},
                          });
}

QString str(const QJsonObject &o, const char *key) {
    return o.value(QLatin1String(key)).toString();
}

QByteArray errorBody(const char *message) {
    return QByteArrayLiteral("{\"error\":\"") + message + "\"}";
}

ServerLimits smallLimits() {
    ServerLimits l;
    l.maxBodyBytes = 1024;
    l.maxHeaderBytes = 1024;
    l.maxHeaderCount = 5;
    l.idleTimeoutMs = 5'000;
    l.requestTimeoutMs = 5'000;
    l.maxConnections = 512;
    return l;
}

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private:
    // A server on 127.0.0.1, port chosen by the kernel, answering with echo()
    // and counting handler calls.
    std::unique_ptr<HttpServer> startServer(const ServerLimits &limits = smallLimits()) {
        auto server = std::make_unique<HttpServer>();
        server->setLimits(limits);
        m_handled = 0;
        server->setHandler([this](const Request &req, const Responder &responder) {
            ++m_handled;
            responder.send(echo(req));
        });
        if (!server->listen(QHostAddress::LocalHost, 0))
            return nullptr;
        return server;
    }

    int m_handled = 0;

private slots:
    // --- basics ---------------------------------------------------------------

    void getJsonThroughNetworkAccessManager() {
        auto server =
            startServer(ServerLimits()); // QNAM sends more headers than smallLimits allows
        QVERIFY(server);
        QNetworkAccessManager nam;
        QUrl url;
        url.setScheme(QStringLiteral("http"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(server->serverPort());
        url.setPath(QStringLiteral("/status"));
        url.setQuery(QStringLiteral("verbose=1"));
        std::unique_ptr<QNetworkReply> reply(nam.get(QNetworkRequest(url)));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kTimeoutMs);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->rawHeader("Content-Type"), QByteArray("application/json"));
        const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(str(o, "method"), QStringLiteral("GET"));
        QCOMPARE(str(o, "path"), QStringLiteral("/status"));
        QCOMPARE(str(o, "query"), QStringLiteral("verbose=1"));
        QCOMPARE(str(o, "body"), QString());
        QCOMPARE(o.value(QStringLiteral("contentLength")).toInteger(), -1);
    }

    void postJsonThroughNetworkAccessManager() {
        auto server = startServer(ServerLimits());
        QVERIFY(server);
        QNetworkAccessManager nam;
        const QUrl url(QStringLiteral("http://127.0.0.1:%1/hook/abc").arg(server->serverPort()));
        for (int i = 0; i < 3; ++i) {
            QNetworkRequest request(url);
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QStringLiteral("application/json; charset=utf-8"));
            const QByteArray body = "{\"n\":" + QByteArray::number(i) + ",\"text\":\"h\xc3\xa9\"}";
            std::unique_ptr<QNetworkReply> reply(nam.post(request, body));
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kTimeoutMs);
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            const QJsonObject o = QJsonDocument::fromJson(reply->readAll()).object();
            QCOMPARE(str(o, "method"), QStringLiteral("POST"));
            QCOMPARE(str(o, "path"), QStringLiteral("/hook/abc"));
            QCOMPARE(str(o, "body"), QString::fromUtf8(body));
            QCOMPARE(str(o, "mediaType"), QStringLiteral("application/json"));
            QCOMPARE(o.value(QStringLiteral("contentLength")).toInteger(), body.size());
        }
        QCOMPARE(m_handled, 3);
        // Sequential requests of one client reuse its keep-alive connection.
        QCOMPARE(server->connectionCount(), 1);
    }

    void rawGetExactResponse() {
        auto server = startServer();
        QVERIFY(server);
        server->setHandler([](const Request &, const Responder &responder) {
            responder.send(Response::json(200, QJsonObject{{QStringLiteral("success"), true}}));
        });
        RawClient client(server->serverPort());
        client.send(get("/"));
        QTRY_COMPARE_WITH_TIMEOUT(client.received,
                                  QByteArray("HTTP/1.1 200 OK\r\n"
                                             "Content-Type: application/json\r\n"
                                             "Content-Length: 16\r\n"
                                             "\r\n"
                                             "{\"success\":true}"),
                                  kTimeoutMs);
        QVERIFY(!client.closed);
    }

    void noHandlerAnswers404() {
        HttpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        RawClient client(server.serverPort());
        client.send(get("/x"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 404);
        QCOMPARE(r->body, errorBody("not found"));
    }

    void percentDecodedPathAndQuery_data() {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("query");
        QTest::newRow("plain") << QByteArray("/hook/abc") << QStringLiteral("/hook/abc")
                               << QString();
        QTest::newRow("space") << QByteArray("/a%20b") << QStringLiteral("/a b") << QString();
        QTest::newRow("encoded slash")
            << QByteArray("/a%2Fb/c") << QStringLiteral("/a/b/c") << QString();
        QTest::newRow("utf-8") << QByteArray("/caf%C3%A9") << QStringLiteral("/caf\u00e9")
                               << QString();
        QTest::newRow("plus stays") << QByteArray("/a+b") << QStringLiteral("/a+b") << QString();
        QTest::newRow("query raw") << QByteArray("/p%20q?x=%20y&z=1+2") << QStringLiteral("/p q")
                                   << QStringLiteral("x=%20y&z=1+2");
        QTest::newRow("empty query") << QByteArray("/p?") << QStringLiteral("/p") << QString();
        QTest::newRow("fragment dropped")
            << QByteArray("/p?a=1#frag") << QStringLiteral("/p") << QStringLiteral("a=1");
        QTest::newRow("absolute form") << QByteArray("http://example.com:80/abs?q")
                                       << QStringLiteral("/abs") << QStringLiteral("q");
    }

    void percentDecodedPathAndQuery() {
        QFETCH(QByteArray, target);
        QFETCH(QString, path);
        QFETCH(QString, query);
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(get(target));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(str(r->json(), "path"), path);
        QCOMPARE(str(r->json(), "query"), query);
    }

    void headersAreLowerCasedAndTrimmed() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        // An empty header value must not glue the next header's name onto its own.
        client.send(get("/", "X-Empty:\r\nX-Padded:   spaced value  \r\n"
                             "Content-Type: Application/JSON; charset=UTF-8\r\n"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        const QJsonObject headers = r->json().value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("x-empty")).toString(), QString());
        QVERIFY(headers.contains(QStringLiteral("x-empty")));
        QCOMPARE(headers.value(QStringLiteral("x-padded")).toString(),
                 QStringLiteral("spaced value"));
        QCOMPARE(headers.value(QStringLiteral("host")).toString(), QStringLiteral("localhost"));
        QCOMPARE(str(r->json(), "mediaType"), QStringLiteral("application/json"));
        QCOMPARE(headers.size(), 4);
    }

    void headRequestHasNoBody() {
        auto server = startServer();
        QVERIFY(server);
        server->setHandler([](const Request &, const Responder &responder) {
            responder.send(Response::json(200, QJsonObject{{QStringLiteral("ok"), true}}));
        });
        RawClient client(server->serverPort());
        client.send("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n" + get("/y"));
        const auto head = client.response(/*headOnly=*/true);
        QVERIFY(head);
        QCOMPARE(head->status, 200);
        // Content-Length tells what a GET would carry, but no body follows.
        QCOMPARE(head->header("content-length"), QByteArray("11"));
        const auto next = client.response();
        QVERIFY(next);
        QCOMPARE(next->statusLine, QByteArray("HTTP/1.1 200 OK"));
        QCOMPARE(next->body, QByteArray("{\"ok\":true}"));
        QVERIFY(client.received.isEmpty());
    }

    // --- refusing before the body ----------------------------------------------

    void headFilterRefusesBeforeBody() {
        auto server = startServer();
        QVERIFY(server);
        std::optional<RequestHead> seen;
        server->setHeadFilter([&](const RequestHead &head) -> std::optional<Response> {
            seen = head;
            if (head.method != "POST")
                return Response::error(405, QStringLiteral("method not allowed"));
            return std::nullopt;
        });
        RawClient client(server->serverPort());
        // Headers only: the answer must come without the body ever being sent.
        client.send("PUT /hook HTTP/1.1\r\nHost: a\r\nContent-Length: 5000000\r\n\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 405);
        QCOMPARE(r->statusLine, QByteArray("HTTP/1.1 405 Method Not Allowed"));
        QCOMPARE(r->header("content-type"), QByteArray("application/json"));
        QCOMPARE(r->body, errorBody("method not allowed"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(seen);
        QCOMPARE(seen->method, QByteArray("PUT"));
        QCOMPARE(seen->path, QByteArray("/hook"));
        QCOMPARE(seen->contentLength, 5000000);
        QCOMPARE(seen->peerAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(m_handled, 0);
        // The body the client sends now is dropped; the server closes.
        client.send(QByteArray(64 * 1024, 'x'));
        QVERIFY(client.waitClosed());
        QVERIFY(client.received.isEmpty());
        QCOMPARE(m_handled, 0);
    }

    void refusalSurvivesBodyInFlight() {
        // The client sends headers and a large body at once, as curl does without
        // Expect. The refusal is written while body bytes are still arriving; the
        // server must keep reading (and dropping) them so its close does not
        // become an RST that destroys the 413 before the client reads it.
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        const QByteArray body(2 * 1024 * 1024, 'x');
        client.send(post("/big", body));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QCOMPARE(r->body, errorBody("body larger than 1024 bytes"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    void contentLengthOverLimit() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("POST /hook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                    "Content-Length: 1025\r\n\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QCOMPARE(r->statusLine, QByteArray("HTTP/1.1 413 Payload Too Large"));
        QCOMPARE(r->body, errorBody("body larger than 1024 bytes"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    void contentLengthBeyondQint64() {
        auto server = startServer();
        QVERIFY(server);
        qint64 seen = 0;
        server->setHeadFilter([&](const RequestHead &head) -> std::optional<Response> {
            seen = head.contentLength;
            return std::nullopt;
        });
        RawClient client(server->serverPort());
        client.send(
            "POST /hook HTTP/1.1\r\nHost: a\r\nContent-Length: 18000000000000000000\r\n\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QCOMPARE(seen, std::numeric_limits<qint64>::max());
        QVERIFY(client.waitClosed());
    }

    void handlerMayReplaceItself() {
        auto server = startServer();
        QVERIFY(server);
        server->setHandler([&](const Request &req, const Responder &responder) {
            const QByteArray path = req.path; // the lambda (and its captures) dies below
            server->setHandler([](const Request &, const Responder &second) {
                second.send(Response::empty(204));
            });
            responder.send(
                Response::json(200, {{QStringLiteral("path"), QString::fromLatin1(path)}}));
        });
        RawClient client(server->serverPort());
        client.send(get("/first") + get("/second"));
        const auto answers = client.responses(2);
        QCOMPARE(int(answers.size()), 2);
        QCOMPARE(answers[0].status, 200);
        QCOMPARE(str(answers[0].json(), "path"), QStringLiteral("/first"));
        QCOMPARE(answers[1].status, 204);
    }

    void contentLengthAtLimitAccepted() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        const QByteArray body(1024, 'b');
        client.send(post("/hook", body));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(str(r->json(), "body").toLatin1(), body);
    }

    void chunkedBodyAssembled() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(str(r->json(), "body"), QStringLiteral("hello world"));
        QCOMPARE(r->json().value(QStringLiteral("contentLength")).toInteger(), -1);
    }

    void chunkedBodyOverLimit() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        const QByteArray chunk(600, 'c');
        client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "258\r\n" +
                    chunk + "\r\n");
        // The first 600 bytes are within the limit: nothing is answered yet.
        QTest::qWait(50);
        QVERIFY(client.received.isEmpty());
        client.send("258\r\n" + chunk + "\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QCOMPARE(r->body, errorBody("body larger than 1024 bytes"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    // --- header limits -----------------------------------------------------------

    void headerBytesOverLimit_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("long value") << get("/", "X-Big: " + QByteArray(1100, 'a') + "\r\n");
        QTest::newRow("long target") << get("/" + QByteArray(1100, 'p'));
        QTest::newRow("long name") << get("/", QByteArray(1100, 'n') + ": v\r\n");
        QTest::newRow("whitespace padding") << get("/", "X-Pad:" + QByteArray(3000, ' ') + "v\r\n");
        QTest::newRow("many small headers within count") << get(
            "/", "A: " + QByteArray(300, 'a') + "\r\nB: " + QByteArray(300, 'b') +
                     "\r\nC: " + QByteArray(300, 'c') + "\r\nD: " + QByteArray(300, 'd') + "\r\n");
        QTest::newRow("beyond http-parser's own 80 KiB")
            << get("/", "X-Pad:" + QByteArray(90 * 1024, ' ') + "v\r\n");
    }

    void headerBytesOverLimit() {
        QFETCH(QByteArray, request);
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(request);
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 431);
        QCOMPARE(r->statusLine, QByteArray("HTTP/1.1 431 Request Header Fields Too Large"));
        QCOMPARE(r->body, errorBody("request headers larger than 1024 bytes"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    void headerBytesJustWithinLimit() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        // Request line and headers well inside 1024 bytes, even counting every byte.
        client.send(get("/", "X-Big: " + QByteArray(800, 'a') + "\r\n"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
    }

    void headerBytesExactBoundary() {
        // Every byte of request line and headers counts, final blank line included.
        auto server = startServer();
        QVERIFY(server);
        const QByteArray base = get("/", "X-Pad: \r\n");
        for (const int size : {1024, 1025}) {
            QByteArray request = base;
            request.insert(request.indexOf("X-Pad: ") + 7, QByteArray(size - base.size(), 'p'));
            QCOMPARE(request.size(), size);
            RawClient client(server->serverPort());
            client.send(request);
            const auto r = client.response();
            QVERIFY(r);
            QCOMPARE(r->status, size == 1024 ? 200 : 431);
        }
    }

    void chunkedTrailersAreNotHeaders() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("POST /t HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "3\r\nabc\r\n0\r\nX-Signature: forged\r\nX-Other: 1\r\n\r\n" +
                    get("/next"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(str(r->json(), "body"), QStringLiteral("abc"));
        const QJsonObject headers = r->json().value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.keys(),
                 (QStringList{QStringLiteral("host"), QStringLiteral("transfer-encoding")}));
        const auto next = client.response();
        QVERIFY(next);
        QCOMPARE(str(next->json(), "path"), QStringLiteral("/next"));
        QCOMPARE(next->json().value(QStringLiteral("headers")).toObject().size(), 1);
    }

    void unsupportedHttpVersion() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("GET / HTTP/2.0\r\nHost: a\r\n\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 505);
        QCOMPARE(r->statusLine, QByteArray("HTTP/1.1 505 HTTP Version Not Supported"));
        QCOMPARE(r->body, errorBody("HTTP version not supported"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    void headerCountLimit_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("status");
        // Host is one of them.
        QTest::newRow("at limit") << 5 << 200;
        QTest::newRow("one over") << 6 << 431;
        QTest::newRow("far over") << 40 << 431;
    }

    void headerCountLimit() {
        QFETCH(int, count);
        QFETCH(int, status);
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        QByteArray headers;
        for (int i = 1; i < count; ++i)
            headers += "X-H" + QByteArray::number(i) + ": v\r\n";
        client.send(get("/", headers));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        if (status == 431) {
            QCOMPARE(r->body, errorBody("more than 5 request headers"));
            QVERIFY(client.waitClosed());
            QCOMPARE(m_handled, 0);
        } else {
            QCOMPARE(r->json().value(QStringLiteral("headers")).toObject().size(), count);
        }
    }

    // --- Expect: 100-continue ----------------------------------------------------

    void expectContinue() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("POST /hook HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                    "Content-Length: 11\r\nExpect: 100-continue\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(client.received, QByteArray("HTTP/1.1 100 Continue\r\n\r\n"),
                                  kTimeoutMs);
        client.received.clear();
        QCOMPARE(m_handled, 0);
        client.send("{\"a\":true}\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(str(r->json(), "body"), QStringLiteral("{\"a\":true}\n"));
        QVERIFY(!r->hasHeader("connection"));
        QVERIFY(client.received.isEmpty());
    }

    void expectContinueRefusedWithoutContinue() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("POST /hook HTTP/1.1\r\nHost: a\r\nContent-Length: 4096\r\n"
                    "Expect: 100-Continue\r\n\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 413); // and no 100 before it
        QVERIFY(client.waitClosed());
        QVERIFY(client.received.isEmpty());
    }

    // --- connection management -----------------------------------------------------

    void connectionCloseHonoured() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(get("/bye", "Connection: close\r\n"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(str(r->json(), "path"), QStringLiteral("/bye"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QVERIFY(client.received.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, kTimeoutMs);
    }

    void connectionCloseStopsPipeline() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(get("/1", "Connection: close\r\n") + get("/2"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(str(r->json(), "path"), QStringLiteral("/1"));
        QVERIFY(client.waitClosed());
        QVERIFY(client.received.isEmpty());
        QCOMPARE(m_handled, 1);
    }

    void http10WithoutKeepAliveCloses() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("GET /old HTTP/1.0\r\n\r\n");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
    }

    void http10KeepAliveStaysOpen() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        for (int i = 0; i < 2; ++i) {
            client.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            const auto r = client.response();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            // An HTTP/1.0 client closes unless told the connection stays.
            QCOMPARE(r->header("connection"), QByteArray("keep-alive"));
        }
        QVERIFY(!client.closed);
        QCOMPARE(m_handled, 2);
    }

    void keepAliveReuse() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        for (int i = 0; i < 5; ++i) {
            const QByteArray path = "/n/" + QByteArray::number(i);
            client.send(i % 2 ? post(path, "{}") : get(path));
            const auto r = client.response();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(str(r->json(), "path").toLatin1(), path);
            QVERIFY(!r->hasHeader("connection"));
        }
        QVERIFY(!client.closed);
        QCOMPARE(m_handled, 5);
        QCOMPARE(server->connectionCount(), 1);
    }

    void pipelinedSynchronous() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(get("/1") + post("/2", "{\"two\":2}") + get("/3"));
        for (const char *path : {"/1", "/2", "/3"}) {
            const auto r = client.response();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(str(r->json(), "path"), QLatin1String(path));
        }
        QVERIFY(!client.closed);
        QCOMPARE(m_handled, 3);
    }

    void pipelinedAsynchronousInOrder() {
        auto server = startServer();
        QVERIFY(server);
        int outstanding = 0;
        int maxOutstanding = 0;
        int calls = 0;
        server->setHandler([&](const Request &req, const Responder &responder) {
            ++outstanding;
            maxOutstanding = std::max(maxOutstanding, outstanding);
            // Earlier requests take longer: a server answering as handlers finish
            // would reorder the responses.
            const int delay = 300 - 100 * calls++;
            const Response response = echo(req);
            QTimer::singleShot(delay, server.get(), [&outstanding, responder, response] {
                --outstanding;
                responder.send(response);
            });
        });
        RawClient client(server->serverPort());
        client.send(get("/1") + get("/2") + get("/3"));
        for (const char *path : {"/1", "/2", "/3"}) {
            const auto r = client.response();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(str(r->json(), "path"), QLatin1String(path));
        }
        QCOMPARE(calls, 3);
        QCOMPARE(maxOutstanding, 1);
    }

    void longAsyncPipelineBeyondReadBuffer() {
        // More pipelined bytes than the server reads ahead while a request waits
        // for its handler: the rest waits in the kernel and must be picked up
        // again once answered, even though no new readyRead comes for it.
        auto server = startServer(ServerLimits());
        QVERIFY(server);
        server->setHandler([&](const Request &req, const Responder &responder) {
            const Response response = echo(req);
            QTimer::singleShot(0, server.get(),
                               [responder, response] { responder.send(response); });
        });
        constexpr int kRequests = 2000;
        QByteArray all;
        for (int i = 0; i < kRequests; ++i)
            all += get("/p/" + QByteArray::number(i) + "?" + QByteArray(40, 'q'));
        QVERIFY(all.size() > 128 * 1024);
        RawClient client(server->serverPort());
        client.send(all);
        const auto answers = client.responses(kRequests, 60'000);
        QCOMPARE(int(answers.size()), kRequests);
        for (int i = 0; i < kRequests; ++i)
            QCOMPARE(str(answers[size_t(i)].json(), "path"), QStringLiteral("/p/%1").arg(i));
        QVERIFY(!client.closed);
    }

    void responderFirstSendWins() {
        auto server = startServer();
        QVERIFY(server);
        server->setHandler([](const Request &req, const Responder &responder) {
            responder.send(echo(req));
            const Responder copy = responder;
            copy.send(Response::error(500, QStringLiteral("second")));
            responder.send(Response::error(500, QStringLiteral("third")));
        });
        RawClient client(server->serverPort());
        client.send(get("/1") + get("/2"));
        for (const char *path : {"/1", "/2"}) {
            const auto r = client.response();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(str(r->json(), "path"), QLatin1String(path));
        }
        QTest::qWait(50);
        QVERIFY(client.received.isEmpty());
    }

    void requestStaysValidAfterSend() {
        auto server = startServer();
        QVERIFY(server);
        QByteArray pathAfter;
        QByteArray bodyAfter;
        server->setHandler([&](const Request &req, const Responder &responder) {
            responder.send(Response::empty(204));
            // The handler may still read its request after answering.
            pathAfter = req.path;
            bodyAfter = req.body;
        });
        RawClient client(server->serverPort());
        client.send(post("/after", "{\"x\":1}"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 204);
        QCOMPARE(pathAfter, QByteArray("/after"));
        QCOMPARE(bodyAfter, QByteArray("{\"x\":1}"));
    }

    void droppedResponderAnswers500() {
        auto server = startServer();
        QVERIFY(server);
        server->setHandler([](const Request &, const Responder &) {});
        RawClient client(server->serverPort());
        client.send(get("/1") + get("/2"));
        for (int i = 0; i < 2; ++i) {
            const auto r = client.response();
            QVERIFY(r); // rather than a connection hanging for ever
            QCOMPARE(r->status, 500);
            QCOMPARE(r->body, errorBody("request dropped without an answer"));
        }
    }

    // --- timeouts ----------------------------------------------------------------------

    void idleTimeoutClosesSilentConnection() {
        ServerLimits limits = smallLimits();
        limits.idleTimeoutMs = 300;
        auto server = startServer(limits);
        QVERIFY(server);
        RawClient client(server->serverPort());
        QVERIFY(client.waitConnected());
        QElapsedTimer clock;
        clock.start();
        QVERIFY(client.waitClosed());
        QVERIFY2(clock.elapsed() >= 250, QByteArray::number(clock.elapsed()).constData());
        QVERIFY(client.received.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, kTimeoutMs);
    }

    void idleTimeoutAfterKeepAliveResponse() {
        ServerLimits limits = smallLimits();
        limits.idleTimeoutMs = 300;
        auto server = startServer(limits);
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(get("/"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QVERIFY(client.waitClosed());
        QVERIFY(client.received.isEmpty());
    }

    void idleTimeoutInsideRequestAnswers408() {
        ServerLimits limits = smallLimits();
        limits.idleTimeoutMs = 300;
        auto server = startServer(limits);
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QCOMPARE(r->body, errorBody("request not completed in time"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    void asyncHandlerNotCutByIdleTimeout() {
        ServerLimits limits = smallLimits();
        limits.idleTimeoutMs = 200;
        limits.requestTimeoutMs = 200;
        auto server = startServer(limits);
        QVERIFY(server);
        server->setHandler([&](const Request &req, const Responder &responder) {
            const Response response = echo(req);
            QTimer::singleShot(600, server.get(),
                               [responder, response] { responder.send(response); });
        });
        RawClient client(server->serverPort());
        client.send(get("/slow-handler"));
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
    }

    void slowLorisCutWith408() {
        ServerLimits limits = smallLimits();
        limits.idleTimeoutMs = 300; // longer than the gap between bytes: idle never fires
        limits.requestTimeoutMs = 700;
        auto server = startServer(limits);
        QVERIFY(server);
        RawClient client(server->serverPort());
        QVERIFY(client.waitConnected());
        const QByteArray request =
            get("/", "X-A: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
        int sent = 0;
        QTimer drip;
        drip.setInterval(100);
        connect(&drip, &QTimer::timeout, &client, [&] {
            if (sent < request.size() && !client.closed)
                client.send(request.mid(sent++, 1));
        });
        QElapsedTimer clock;
        clock.start();
        drip.start();
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QCOMPARE(r->statusLine, QByteArray("HTTP/1.1 408 Request Timeout"));
        QCOMPARE(r->body, errorBody("request not completed in time"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        drip.stop();
        QVERIFY2(clock.elapsed() < 5000, QByteArray::number(clock.elapsed()).constData());
        QVERIFY(sent < request.size());
        QCOMPARE(m_handled, 0);
    }

    void slowLorisBlankLinesCut() {
        // Blank lines before a request line are skipped by the parser and begin no
        // message; they must not keep a connection open for ever either.
        ServerLimits limits = smallLimits();
        limits.idleTimeoutMs = 300;
        limits.requestTimeoutMs = 700;
        auto server = startServer(limits);
        QVERIFY(server);
        RawClient client(server->serverPort());
        QVERIFY(client.waitConnected());
        QTimer drip;
        drip.setInterval(100);
        connect(&drip, &QTimer::timeout, &client, [&] {
            if (!client.closed)
                client.send("\r\n");
        });
        drip.start();
        QVERIFY(client.waitClosed(5000));
        drip.stop();
    }

    // --- malformed input -----------------------------------------------------------------

    void malformedRequest_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::newRow("garbage") << QByteArray("GARBAGE\r\n\r\n");
        QTest::newRow("binary") << QByteArray("\x01\x02\x03 / HTTP/1.1\r\n\r\n");
        QTest::newRow("no version") << QByteArray("GET /\r\n\r\n");
        // (http-parser built non-strict accepts "HTTX/1.1", so no such row here.)
        QTest::newRow("bad version") << QByteArray("GET / HTTP/x.1\r\n\r\n");
        QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1\r\n\r\n");
        QTest::newRow("bad header") << QByteArray("GET / HTTP/1.1\r\nNo colon here\r\n\r\n");
        QTest::newRow("bad content-length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n");
        QTest::newRow("bad chunk size")
            << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        QTest::newRow("response instead of request") << QByteArray("HTTP/1.1 200 OK\r\n\r\n");
        // Request smuggling shapes: ambiguous body framing is refused outright.
        QTest::newRow("content-length and chunked")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        QTest::newRow("two content-lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc");
        QTest::newRow("content-length overflow")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n");
    }

    void malformedRequest() {
        QFETCH(QByteArray, request);
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(request);
        const auto r = client.response();
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QCOMPARE(r->statusLine, QByteArray("HTTP/1.1 400 Bad Request"));
        QCOMPARE(r->header("content-type"), QByteArray("application/json"));
        QVERIFY2(r->json()
                     .value(QStringLiteral("error"))
                     .toString()
                     .startsWith(QStringLiteral("malformed")),
                 r->body.constData());
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitClosed());
        QCOMPARE(m_handled, 0);
    }

    void malformedAfterGoodRequest() {
        auto server = startServer();
        QVERIFY(server);
        RawClient client(server->serverPort());
        client.send(get("/ok") + "BROKEN\r\n\r\n");
        const auto ok = client.response();
        QVERIFY(ok);
        QCOMPARE(ok->status, 200);
        const auto bad = client.response();
        QVERIFY(bad);
        QCOMPARE(bad->status, 400);
        QVERIFY(client.waitClosed());
    }

    // --- many connections ----------------------------------------------------------------

    void manyConcurrentConnections() {
        auto server = startServer();
        QVERIFY(server);
        constexpr int kClients = 120;
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<RawClient>(server->serverPort()));
            clients.back()->send(post("/c/" + QByteArray::number(i), QByteArray::number(i)));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(clients.begin(), clients.end(),
                                             [](const auto &c) {
                                                 QByteArray copy = c->received;
                                                 return takeResponse(copy).has_value();
                                             }),
                                 30'000);
        for (int i = 0; i < kClients; ++i) {
            const auto r = takeResponse(clients[size_t(i)]->received);
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(str(r->json(), "path"), QStringLiteral("/c/%1").arg(i));
            QCOMPARE(str(r->json(), "body"), QString::number(i));
            QVERIFY(!clients[size_t(i)]->closed);
        }
        QCOMPARE(m_handled, kClients);
        QCOMPARE(server->connectionCount(), kClients);
        clients.clear();
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, kTimeoutMs);
    }

    void maxConnectionsExceeded() {
        ServerLimits limits = smallLimits();
        limits.maxConnections = 3;
        auto server = startServer(limits);
        QVERIFY(server);
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 3; ++i)
            clients.push_back(std::make_unique<RawClient>(server->serverPort()));
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 3, kTimeoutMs);

        RawClient extra(server->serverPort());
        extra.send(post("/extra", "{\"a\":1}"));
        const auto refused = extra.response();
        QVERIFY(refused);
        QCOMPARE(refused->status, 503);
        QCOMPARE(refused->statusLine, QByteArray("HTTP/1.1 503 Service Unavailable"));
        QCOMPARE(refused->body, errorBody("too many connections"));
        QCOMPARE(refused->header("connection"), QByteArray("close"));
        QVERIFY(extra.waitClosed());
        QCOMPARE(m_handled, 0);
        QCOMPARE(server->connectionCount(), 3);

        // The admitted ones are served normally.
        for (auto &c : clients) {
            c->send(get("/in"));
            const auto r = c->response();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
        }
        // A slot freed is a slot reusable.
        clients.pop_back();
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 2, kTimeoutMs);
        RawClient late(server->serverPort());
        late.send(get("/late"));
        const auto r = late.response();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(server->connectionCount(), 3);
    }

    // --- lifetime ---------------------------------------------------------------------

    void clientGoneBeforeAsyncAnswer() {
        auto server = startServer();
        QVERIFY(server);
        std::optional<Responder> kept;
        server->setHandler([&](const Request &, const Responder &responder) { kept = responder; });
        auto client = std::make_unique<RawClient>(server->serverPort());
        client->send(post("/slow", "{}"));
        QTRY_VERIFY_WITH_TIMEOUT(kept.has_value(), kTimeoutMs);
        QVERIFY(kept->isConnected());
        client.reset(); // the client gives up
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, kTimeoutMs);
        QVERIFY(!kept->isConnected());
        kept->send(Response::json(200, {})); // harmless
        kept->send(Response::json(200, {}));
        kept.reset();

        // The server still serves others.
        RawClient other(server->serverPort());
        other.send(get("/next"));
        QTRY_VERIFY_WITH_TIMEOUT(kept.has_value(), kTimeoutMs);
        kept->send(Response::empty(204));
        const auto r = other.response();
        QVERIFY(r);
        QCOMPARE(r->status, 204);
        QVERIFY(!r->hasHeader("content-length"));
    }

    void clientResetBeforeAsyncAnswer() {
        auto server = startServer();
        QVERIFY(server);
        std::optional<Responder> kept;
        server->setHandler([&](const Request &, const Responder &responder) { kept = responder; });
        RawClient client(server->serverPort());
        client.send(post("/slow", "{}") + get("/pipelined"));
        QTRY_VERIFY_WITH_TIMEOUT(kept.has_value(), kTimeoutMs);
        client.socket.abort();
        QTRY_COMPARE_WITH_TIMEOUT(server->connectionCount(), 0, kTimeoutMs);
        kept->send(Response::json(200, {}));
    }

    void serverDeletedWithPendingResponder() {
        auto server = startServer();
        QVERIFY(server);
        std::optional<Responder> kept;
        server->setHandler([&](const Request &, const Responder &responder) { kept = responder; });
        RawClient client(server->serverPort());
        client.send(get("/pending"));
        QTRY_VERIFY_WITH_TIMEOUT(kept.has_value(), kTimeoutMs);
        server.reset();
        QVERIFY(!kept->isConnected());
        kept->send(Response::json(200, {}));
        QVERIFY(client.waitClosed());
        QVERIFY(client.received.isEmpty());
    }

    void handlerMayDeleteServer() {
        auto server = startServer();
        QVERIFY(server);
        server->setHandler([&](const Request &, const Responder &responder) {
            responder.send(Response::empty(204));
            server.reset();
        });
        RawClient client(server->serverPort());
        client.send(get("/1") + get("/2"));
        QVERIFY(client.waitClosed());
        QVERIFY(!server);
    }

    void closeStopsListening() {
        auto server = startServer();
        QVERIFY(server);
        const quint16 port = server->serverPort();
        QVERIFY(server->isListening());
        QCOMPARE(server->serverAddress(), QHostAddress(QHostAddress::LocalHost));
        server->close();
        QVERIFY(!server->isListening());
        QTcpSocket socket;
        QSignalSpy errors(&socket, &QTcpSocket::errorOccurred);
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(errors.wait(kTimeoutMs));
        QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
    }

    // --- value types ----------------------------------------------------------------------

    void typesSerialize() {
        Response r = Response::error(404, QStringLiteral("unknown \"hook\""));
        QCOMPARE(r.serialize(false), QByteArray("HTTP/1.1 404 Not Found\r\n"
                                                "Content-Type: application/json\r\n"
                                                "Content-Length: 28\r\n"
                                                "\r\n"
                                                "{\"error\":\"unknown \\\"hook\\\"\"}"));
        r.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5")});
        QVERIFY(r.serialize(true).contains("Connection: close\r\nRetry-After: 5\r\n\r\n"));
        QCOMPARE(Response::empty(204).serialize(false),
                 QByteArray("HTTP/1.1 204 No Content\r\n\r\n"));
        QCOMPARE(Response::empty(202).serialize(true),
                 QByteArray("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n"
                            "Connection: close\r\n\r\n"));
        QCOMPARE(reasonPhrase(431), QByteArray("Request Header Fields Too Large"));
        QCOMPARE(reasonPhrase(599), QByteArray("Error"));
    }

    void typesRequestHead() {
        RequestHead head;
        head.headers = {{"content-type", "Application/JSON ; charset=utf-8"}, {"x-a", "1"}};
        QCOMPARE(head.header("x-a"), QByteArray("1"));
        QCOMPARE(head.header("x-b"), QByteArray());
        QCOMPARE(head.mediaType(), QByteArray("application/json"));
        head.headers.clear();
        QCOMPARE(head.mediaType(), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_http_server.moc"
