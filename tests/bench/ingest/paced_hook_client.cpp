// Open-loop (paced) load for the hook-ingest benchmark: POSTs the same
// message/receive hooks as hooks.lua at a fixed rate over N keep-alive HTTP/1.1
// connections, and measures each ack from the moment its request was due, not
// from when a connection was free to send it (so a slow ack that delays later
// requests counts against them too: no coordinated omission).
//
//   bench_paced_hook_client URL RATE CONNECTIONS SECONDS [ID_BASE]
//
// Prints one line: paced-report {"requests":N,"rps":R,"p50_ms":..,"p90_ms":..,
// "p99_ms":..,"max_ms":..,"errors":E,"late":L} (late: requests that found no free
// connection when due and waited for one).
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <algorithm>
#include <cstdio>
#include <deque>
#include <memory>
#include <vector>

namespace {

struct Connection {
    QTcpSocket *socket = nullptr;
    QByteArray buffer;
    qint64 dueNs = -1; // of the request in flight; -1 when idle
};

class PacedClient : public QObject {
public:
    PacedClient(const QUrl &url, double rate, int connections, double seconds, qint64 idBase)
        : m_url(url)
        , m_rate(rate)
        , m_seconds(seconds)
        , m_idBase(idBase) {
        for (int i = 0; i < connections; ++i) {
            auto c = std::make_unique<Connection>();
            c->socket = new QTcpSocket(this);
            Connection *raw = c.get();
            connect(c->socket, &QTcpSocket::readyRead, this, [this, raw] { onReadyRead(*raw); });
            connect(c->socket, &QTcpSocket::errorOccurred, this, [this, raw] {
                if (raw->dueNs >= 0) {
                    ++m_errors;
                    raw->dueNs = -1;
                }
            });
            c->socket->connectToHost(url.host(), static_cast<quint16>(url.port(80)));
            m_connections.push_back(std::move(c));
        }
        m_tick.setTimerType(Qt::PreciseTimer);
        m_tick.setInterval(1);
        connect(&m_tick, &QTimer::timeout, this, &PacedClient::onTick);
    }

    void start() {
        for (auto &c : m_connections) {
            if (!c->socket->waitForConnected(5000)) {
                std::fprintf(stderr, "paced: cannot connect to %s\n", qPrintable(m_url.toString()));
                QCoreApplication::exit(2);
                return;
            }
        }
        m_clock.start();
        m_tick.start();
    }

private:
    QByteArray request(qint64 n) const {
        const qint64 messageId = m_idBase + n;
        const QString user =
            QStringLiteral("bench-user-%1").arg(messageId % 50 + 1, 2, 10, QLatin1Char('0'));
        const QByteArray body =
            QStringLiteral(
                R"({"user_id":"%1","conversation_number":"1","message_id":%2,"sender":"ceu",)"
                R"("timestamp":"%3","message_body":{"type":"TEXT","text":"Hi, I ordered a blue )"
                R"(kettle last week and it has not arrived yet. Order #%2, can you check where )"
                R"(it is?","data":{"quick_replies":[]}},"metadata":{"channel":"web","bench":true}})")
                .arg(user)
                .arg(messageId)
                .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
                .toUtf8();
        return QByteArrayLiteral("POST ") + m_url.path(QUrl::FullyEncoded).toLatin1() +
               QByteArrayLiteral(" HTTP/1.1\r\nHost: ") + m_url.authority().toLatin1() +
               QByteArrayLiteral("\r\nContent-Type: application/json\r\nContent-Length: ") +
               QByteArray::number(body.size()) + QByteArrayLiteral("\r\n\r\n") + body;
    }

    void onTick() {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 endNs = static_cast<qint64>(m_seconds * 1e9);
        while (m_issued < static_cast<qint64>(m_seconds * m_rate)) {
            const qint64 due = static_cast<qint64>(static_cast<double>(m_issued) * 1e9 / m_rate);
            if (due > now)
                break;
            m_backlog.push_back(due);
            ++m_issued;
        }
        dispatch();
        if (now > endNs && m_backlog.empty() && inFlight() == 0)
            finish();
        else if (now > endNs + 10'000'000'000LL)
            finish(); // give up on what never came back
    }

    int inFlight() const {
        int n = 0;
        for (const auto &c : m_connections)
            n += c->dueNs >= 0 ? 1 : 0;
        return n;
    }

    void dispatch() {
        for (auto &c : m_connections) {
            if (m_backlog.empty())
                return;
            if (c->dueNs >= 0 || c->socket->state() != QAbstractSocket::ConnectedState)
                continue;
            c->dueNs = m_backlog.front();
            m_backlog.pop_front();
            if (m_clock.nsecsElapsed() - c->dueNs > 1'000'000)
                ++m_late;
            c->socket->write(request(m_sent++));
        }
    }

    void onReadyRead(Connection &c) {
        c.buffer += c.socket->readAll();
        for (;;) {
            const qsizetype headerEnd = c.buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QByteArray head = c.buffer.left(headerEnd).toLower();
            qsizetype length = 0;
            const qsizetype at = head.indexOf("content-length:");
            if (at >= 0) {
                const qsizetype eol = head.indexOf("\r\n", at);
                length = head.mid(at + 15, eol < 0 ? -1 : eol - at - 15).trimmed().toLongLong();
            }
            if (c.buffer.size() < headerEnd + 4 + length)
                return;
            const bool ok = head.startsWith("http/1.1 2");
            c.buffer.remove(0, headerEnd + 4 + length);
            if (c.dueNs >= 0) {
                if (ok)
                    m_latencyNs.push_back(m_clock.nsecsElapsed() - c.dueNs);
                else
                    ++m_errors;
                c.dueNs = -1;
            }
        }
        dispatch();
    }

    void finish() {
        m_tick.stop();
        std::sort(m_latencyNs.begin(), m_latencyNs.end());
        const auto pct = [&](double p) {
            if (m_latencyNs.empty())
                return 0.0;
            const size_t i =
                std::min(m_latencyNs.size() - 1,
                         static_cast<size_t>(p * static_cast<double>(m_latencyNs.size())));
            return static_cast<double>(m_latencyNs[i]) / 1e6;
        };
        QJsonObject r;
        r.insert(QStringLiteral("requests"), static_cast<qint64>(m_latencyNs.size()));
        r.insert(QStringLiteral("duration_s"), m_seconds);
        r.insert(QStringLiteral("rate"), m_rate);
        // Acked per second of the paced window (the last acks may come a little after it).
        r.insert(QStringLiteral("rps"), static_cast<double>(m_latencyNs.size()) / m_seconds);
        r.insert(QStringLiteral("p50_ms"), pct(0.50));
        r.insert(QStringLiteral("p90_ms"), pct(0.90));
        r.insert(QStringLiteral("p99_ms"), pct(0.99));
        r.insert(QStringLiteral("max_ms"), pct(1.0));
        r.insert(QStringLiteral("errors"),
                 m_errors + static_cast<qint64>(m_backlog.size()) + inFlight());
        r.insert(QStringLiteral("late"), m_late);
        std::printf("paced-report %s\n",
                    QJsonDocument(r).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        QCoreApplication::exit(0);
    }

    const QUrl m_url;
    const double m_rate;
    const double m_seconds;
    const qint64 m_idBase;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::deque<qint64> m_backlog; // due times of requests waiting for a connection
    std::vector<qint64> m_latencyNs;
    QElapsedTimer m_clock;
    QTimer m_tick;
    qint64 m_issued = 0;
    qint64 m_sent = 0;
    qint64 m_errors = 0;
    qint64 m_late = 0;
};

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 5) {
        std::fprintf(stderr, "usage: %s URL RATE CONNECTIONS SECONDS [ID_BASE]\n", argv[0]);
        return 1;
    }
    PacedClient client(QUrl(args.at(1)), args.at(2).toDouble(), args.at(3).toInt(),
                       args.at(4).toDouble(), args.size() > 5 ? args.at(5).toLongLong() : 0);
    QTimer::singleShot(0, &client, &PacedClient::start);
    return app.exec();
}
