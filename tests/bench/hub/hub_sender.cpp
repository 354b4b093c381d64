// bench_hub_sender: the end users' side of the team hub benchmark (tests/bench/hub/run.sh),
// through tract-sandbox's control API, so the sandbox delivers every message to the hub
// as a message/receive hook the way TRACT does (per user in order, each after the
// previous acknowledgement).
//
//   bench_hub_sender setup SANDBOX_URL ECT_ID USERS
//       creates end users hub-u-001 .. hub-u-USERS (POST /sandbox/users) and gives each
//       thread to the ECT (POST /sandbox/owner), so the simulated bot stays quiet and the
//       hub routes each thread to an agent. Prints setup-report {"requests","errors"}.
//   bench_hub_sender load SANDBOX_URL USERS RATE SECONDS CONNECTIONS
//       open loop: message i is due at i / RATE s and is POSTed to /sandbox/messages
//       over CONNECTIONS keep-alive connections as
//         {"user_id":"hub-u-(i % USERS + 1)","text":"hub-bench i SEND_US ..."}
//       where SEND_US is the system clock (µs since the epoch) when the request is
//       written. Prints sender-report {"sent","accepted","errors","late","rate",
//       "duration_s","elapsed_s","post_p50_ms","post_p99_ms","post_max_ms","cpu_s"}
//       (late: written more than 1 ms after it was due, for want of a free connection
//       or because the timer fired late; post: due -> the sandbox's 2xx).
//   bench_hub_sender hooks HOOK_URL USERS RATE SECONDS CONNECTIONS
//       the same open loop, but each message is POSTed as a message/receive hook
//       straight to the hub's webhook listener (HOOK_URL: .../hooks/SECRET/message/receive),
//       the way TRACT delivers it, with the same text; SEND_US is then when the hook was
//       written, so receipt - SEND_US bounds hook -> console from above including the
//       ack. It spares the run the sandbox's control API and its QNetworkAccessManager
//       deliveries (about half a core at 1,000/s), which no hub's machine would carry.
//       Prints the same sender-report.
//
// Loopback only: the control API answers nothing else. Every loop is bounded (the load
// gives up on what has not been answered 10 s after its last due time).
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <sys/resource.h>
#include <vector>

namespace {

qint64 nowUs() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString userId(qint64 n) { // 1-based
    return QStringLiteral("hub-u-%1").arg(n, 3, 10, QLatin1Char('0'));
}

QByteArray post(const QUrl &base, const QByteArray &path, const QJsonObject &body) {
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return QByteArrayLiteral("POST ") + path + QByteArrayLiteral(" HTTP/1.1\r\nHost: ") +
           base.authority().toLatin1() +
           QByteArrayLiteral("\r\nContent-Type: application/json\r\nContent-Length: ") +
           QByteArray::number(json.size()) + QByteArrayLiteral("\r\n\r\n") + json;
}

// One keep-alive HTTP/1.1 connection with at most one request in flight.
class Connection : public QObject {
public:
    using Done = std::function<void(Connection *, bool ok)>;

    Connection(const QUrl &url, Done done, QObject *parent)
        : QObject(parent)
        , m_done(std::move(done)) {
        connect(&m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
        connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
            if (m_busy) {
                m_busy = false;
                m_done(this, false);
            }
        });
        m_socket.connectToHost(url.host(), quint16(url.port(80)));
    }

    bool waitConnected() { return m_socket.waitForConnected(5000); }
    bool isFree() const { return !m_busy && m_socket.state() == QAbstractSocket::ConnectedState; }
    bool busy() const { return m_busy; }
    void send(const QByteArray &request) {
        m_busy = true;
        m_socket.write(request);
    }
    qint64 dueNs = -1; // the paced load's bookkeeping

private:
    void onReadyRead() {
        m_buffer += m_socket.readAll();
        for (;;) {
            const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QByteArray head = m_buffer.left(headerEnd).toLower();
            qsizetype length = 0;
            const qsizetype at = head.indexOf("content-length:");
            if (at >= 0) {
                const qsizetype eol = head.indexOf("\r\n", at);
                length = head.mid(at + 15, eol < 0 ? -1 : eol - at - 15).trimmed().toLongLong();
            }
            if (m_buffer.size() < headerEnd + 4 + length)
                return;
            const bool ok = head.startsWith("http/1.1 2");
            m_buffer.remove(0, headerEnd + 4 + length);
            if (m_busy) {
                m_busy = false;
                m_done(this, ok);
            }
        }
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    Done m_done;
    bool m_busy = false;
};

// setup: the requests one after another on one connection.
int runSetup(const QUrl &url, const QString &ect, int users) {
    std::deque<QByteArray> requests;
    for (int u = 1; u <= users; ++u) {
        requests.push_back(
            post(url, QByteArrayLiteral("/sandbox/users"),
                 {{QStringLiteral("user_id"), userId(u)},
                  {QStringLiteral("user_name"), QStringLiteral("Bench User %1").arg(u)},
                  {QStringLiteral("device_platform"), QStringLiteral("14")}}));
        requests.push_back(
            post(url, QByteArrayLiteral("/sandbox/owner"),
                 {{QStringLiteral("user_id"), userId(u)}, {QStringLiteral("receiver"), ect}}));
    }
    const qint64 total = qint64(requests.size());
    qint64 errors = 0;
    Connection *conn = nullptr;
    conn = new Connection(
        url,
        [&](Connection *c, bool ok) {
            errors += ok ? 0 : 1;
            if (requests.empty()) {
                QCoreApplication::exit(0);
                return;
            }
            c->send(requests.front());
            requests.pop_front();
        },
        qApp);
    if (!conn->waitConnected()) {
        std::fprintf(stderr, "bench_hub_sender: cannot connect to %s\n",
                     qPrintable(url.toString()));
        return 2;
    }
    conn->send(requests.front());
    requests.pop_front();
    QTimer::singleShot(60'000, qApp, [] { QCoreApplication::exit(1); });
    const int rc = QCoreApplication::exec();
    const qint64 answered = total - qint64(requests.size()) - (conn->busy() ? 1 : 0);
    errors += total - answered;
    const QJsonObject report{{QStringLiteral("requests"), total},
                             {QStringLiteral("errors"), errors}};
    std::printf("setup-report %s\n",
                QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    return rc == 0 && errors == 0 ? 0 : 1;
}

// What the paced load POSTs: a message through the sandbox, or the hook itself.
enum class Target { Sandbox, Hook };

class PacedLoad : public QObject {
public:
    PacedLoad(Target target, const QUrl &url, int users, double rate, double seconds,
              int connections)
        : m_target(target)
        , m_url(url)
        , m_users(users)
        , m_rate(rate)
        , m_seconds(seconds)
        , m_total(qint64(seconds * rate)) {
        for (int i = 0; i < connections; ++i)
            m_connections.push_back(new Connection(
                url, [this](Connection *c, bool ok) { onDone(c, ok); }, this));
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(1);
        connect(&m_tick, &QTimer::timeout, this, &PacedLoad::onTick);
    }

    bool start() {
        for (Connection *c : m_connections)
            if (!c->waitConnected())
                return false;
        m_clock.start();
        m_tick.start();
        return true;
    }

private:
    QByteArray request(qint64 i) const {
        const QString text =
            QStringLiteral("hub-bench %1 %2 Hi, I ordered a blue kettle last week and it has not "
                           "arrived yet. Order #%1, can you check where it is?")
                .arg(i)
                .arg(nowUs());
        const QString user = userId(i % m_users + 1);
        if (m_target == Target::Sandbox)
            return post(m_url, QByteArrayLiteral("/sandbox/messages"),
                        {{QStringLiteral("user_id"), user}, {QStringLiteral("text"), text}});
        // The hook as TRACT sends it (message ids far above the sandbox's own).
        const QJsonObject hook{
            {QStringLiteral("user_id"), user},
            {QStringLiteral("conversation_number"), QStringLiteral("1")},
            {QStringLiteral("message_id"), 1'000'000'000LL + i},
            {QStringLiteral("sender"), QStringLiteral("ceu")},
            {QStringLiteral("timestamp"),
             QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
            {QStringLiteral("message_body"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("TEXT")},
                         {QStringLiteral("text"), text},
                         {QStringLiteral("data"),
                          QJsonObject{{QStringLiteral("quick_replies"), QJsonArray{}}}}}}};
        return post(m_url, m_url.path(QUrl::FullyEncoded).toLatin1(), hook);
    }

    void onTick() {
        const qint64 now = m_clock.nsecsElapsed();
        while (m_issued < m_total) {
            const qint64 due = qint64(double(m_issued) * 1e9 / m_rate);
            if (due > now)
                break;
            m_backlog.push_back(due);
            ++m_issued;
        }
        dispatch();
        const qint64 endNs = qint64(m_seconds * 1e9);
        if (m_issued == m_total && m_backlog.empty() && inFlight() == 0)
            finish();
        else if (now > endNs + 10'000'000'000LL)
            finish(); // give up on what never came back
    }

    int inFlight() const {
        return int(std::count_if(m_connections.begin(), m_connections.end(),
                                 [](const Connection *c) { return c->busy(); }));
    }

    void dispatch() {
        for (Connection *c : m_connections) {
            if (m_backlog.empty())
                return;
            if (!c->isFree())
                continue;
            c->dueNs = m_backlog.front();
            m_backlog.pop_front();
            if (m_clock.nsecsElapsed() - c->dueNs > 1'000'000)
                ++m_late;
            c->send(request(m_sent++));
        }
    }

    void onDone(Connection *c, bool ok) {
        if (ok) {
            ++m_accepted;
            m_postNs.push_back(m_clock.nsecsElapsed() - c->dueNs);
        } else {
            ++m_errors;
        }
        c->dueNs = -1;
        dispatch();
    }

    void finish() {
        if (m_finished)
            return;
        m_finished = true;
        m_tick.stop();
        std::sort(m_postNs.begin(), m_postNs.end());
        const auto pct = [&](double p) {
            if (m_postNs.empty())
                return -1.0;
            const size_t i = std::min(m_postNs.size() - 1, size_t(p * double(m_postNs.size())));
            return double(m_postNs[i]) / 1e6;
        };
        const QJsonObject r{
            {QStringLiteral("sent"), m_sent},
            {QStringLiteral("accepted"), m_accepted},
            {QStringLiteral("errors"), m_errors + qint64(m_backlog.size()) + inFlight()},
            {QStringLiteral("late"), m_late},
            {QStringLiteral("rate"), m_rate},
            {QStringLiteral("duration_s"), m_seconds},
            {QStringLiteral("elapsed_s"), double(m_clock.nsecsElapsed()) / 1e9},
            {QStringLiteral("post_p50_ms"), pct(0.50)},
            {QStringLiteral("post_p99_ms"), pct(0.99)},
            {QStringLiteral("post_max_ms"), pct(1.0)},
            {QStringLiteral("cpu_s"), cpuSeconds()}};
        std::printf("sender-report %s\n",
                    QJsonDocument(r).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::exit(0);
    }

    const Target m_target;
    const QUrl m_url;
    const int m_users;
    const double m_rate;
    const double m_seconds;
    const qint64 m_total;
    std::vector<Connection *> m_connections;
    std::deque<qint64> m_backlog; // due times waiting for a connection
    std::vector<qint64> m_postNs;
    QElapsedTimer m_clock;
    QTimer m_tick;
    qint64 m_issued = 0;
    qint64 m_sent = 0;
    qint64 m_accepted = 0;
    qint64 m_errors = 0;
    qint64 m_late = 0;
    bool m_finished = false;
};

int usage() {
    std::fprintf(stderr, "usage: bench_hub_sender setup SANDBOX_URL ECT_ID USERS\n"
                         "       bench_hub_sender load SANDBOX_URL USERS RATE SECONDS "
                         "CONNECTIONS\n"
                         "       bench_hub_sender hooks HOOK_URL USERS RATE SECONDS "
                         "CONNECTIONS\n");
    return 2;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 5 && args.at(1) == QLatin1String("setup")) {
        const int users = args.at(4).toInt();
        if (users < 1)
            return usage();
        return runSetup(QUrl(args.at(2)), args.at(3), users);
    }
    if (args.size() == 7 &&
        (args.at(1) == QLatin1String("load") || args.at(1) == QLatin1String("hooks"))) {
        const Target target = args.at(1) == QLatin1String("load") ? Target::Sandbox : Target::Hook;
        const int users = args.at(3).toInt();
        const double rate = args.at(4).toDouble();
        const double seconds = args.at(5).toDouble();
        const int connections = args.at(6).toInt();
        if (users < 1 || rate <= 0 || seconds <= 0 || connections < 1)
            return usage();
        PacedLoad load(target, QUrl(args.at(2)), users, rate, seconds, connections);
        if (!load.start()) {
            std::fprintf(stderr, "bench_hub_sender: cannot connect to %s\n",
                         qPrintable(args.at(2)));
            return 2;
        }
        return app.exec();
    }
    return usage();
}
