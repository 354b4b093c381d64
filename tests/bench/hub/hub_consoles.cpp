// bench_hub_consoles: many hub consoles in one process, for the team hub benchmark
// (tests/bench/hub/run.sh, docs/benchmarks.md "Team hub").
//
//   bench_hub_consoles URL TOKENS_FILE CONTROL_DIR [--first I] [--count N]
//                      [--drain-seconds S] [--linger-ms MS] [--max-seconds S]
//
// Opens one QWebSocket per token (lines I .. I+N-1 of TOKENS_FILE, 0-based) to the
// hub at URL and speaks docs/hub-protocol.md directly (not HubClient, which drops
// repeated events and reconnects: this must see both): hello with resume_from 0, then
// it only listens. It writes CONTROL_DIR/ready.I once every console is welcomed and
// has its replay (seq up to the welcome's), and from then on watches for
// CONTROL_DIR/expect, which holds the number of bench messages the hub stored (the
// sender's accepted count, normally). Then it waits (at most --drain-seconds) until every console
// has every one of them, keeps listening --linger-ms more for late repeats, prints one line
//   consoles-report {json}
// and exits 0 (the verdict is run.sh's). --max-seconds bounds the whole run.
//
// Per console it checks the `seq` of every event (each one the previous + 1: no gap,
// no repeat) and, for every `message` event whose text the sender wrote
// ("hub-bench INDEX SEND_US ..."), that INDEX arrives exactly once. Two latencies per
// receipt of a bench message, on the system clock (the hub, the sender and this
// process share the machine):
//   stored: receipt - the message's received_at, which the hub's listener takes
//           before the COMMIT that the hook's acknowledgement waits for; so an upper
//           bound of ack -> receipt (by the commit's duration and received_at's
//           millisecond truncation);
//   sent:   receipt - SEND_US, when the sender wrote its POST to the sandbox: adds the
//           sandbox's queueing and hook delivery (information).
// Both are histograms of 0.1 ms bins, printed sparse so run.sh can merge processes.
// The process also times its own event loop (a 5 ms timer's lateness) and its CPU
// time, to show how much of the latency is this client's.
//
// Events are not parsed with QJsonDocument: 200 consoles x 1,000 events/s would cost
// this process more CPU than the hub. The few fields needed are found in the compact
// JSON (keys are unique where they are looked for), and a sample of frames (the first
// 20 frames and first 20 messages of each console, then every 499th frame) is parsed in
// full and compared
// ("parse_mismatches" must stay 0).
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
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

// 0.1 ms bins up to 60 s (the last bin holds everything above).
class Histogram {
public:
    static constexpr qint64 kBinUs = 100;
    static constexpr size_t kBins = 600'001;

    Histogram()
        : m_bins(kBins, 0) {}
    void add(qint64 us) {
        const size_t bin = size_t(std::clamp<qint64>(us / kBinUs, 0, qint64(kBins) - 1));
        ++m_bins[bin];
        ++m_count;
        m_maxUs = std::max(m_maxUs, us);
    }
    quint64 count() const { return m_count; }
    // The upper edge of the bin holding the p-quantile, in ms.
    double percentileMs(double p) const {
        if (m_count == 0)
            return -1;
        const quint64 rank = std::max<quint64>(1, quint64(std::ceil(p * double(m_count))));
        quint64 seen = 0;
        for (size_t i = 0; i < m_bins.size(); ++i) {
            seen += m_bins[i];
            if (seen >= rank)
                return double((qint64(i) + 1) * kBinUs) / 1000.0;
        }
        return double(m_maxUs) / 1000.0;
    }
    double maxMs() const { return double(m_maxUs) / 1000.0; }
    QJsonObject sparse() const {
        QJsonObject bins;
        for (size_t i = 0; i < m_bins.size(); ++i)
            if (m_bins[i] != 0)
                bins.insert(QString::number(i), qint64(m_bins[i]));
        return bins;
    }
    QJsonObject summary() const {
        return {{QStringLiteral("n"), qint64(m_count)},
                {QStringLiteral("p50_ms"), percentileMs(0.50)},
                {QStringLiteral("p90_ms"), percentileMs(0.90)},
                {QStringLiteral("p99_ms"), percentileMs(0.99)},
                {QStringLiteral("p999_ms"), percentileMs(0.999)},
                {QStringLiteral("max_ms"), maxMs()},
                {QStringLiteral("bin_us"), kBinUs},
                {QStringLiteral("bins"), sparse()}};
    }

private:
    std::vector<quint32> m_bins;
    quint64 m_count = 0;
    qint64 m_maxUs = 0;
};

// --- the fields this bench reads, without a JSON parser ---------------------------

// QStringView::indexOf of a several-character needle is slow in Qt 6.4 (most of this
// process's time went there), and so is memmem over UTF-16 (every other byte is 0). These
// compare in place, and fastFields() starts each search where the field can first be in
// the hub's compact JSON (its keys are sorted) or searches backwards from the end, so a
// frame is read about once.
bool at(QStringView s, qsizetype i, QStringView key) {
    return i >= 0 && i + key.size() <= s.size() &&
           std::memcmp(s.utf16() + i, key.utf16(), size_t(key.size()) * 2) == 0;
}

qsizetype find(QStringView s, QStringView key, qsizetype from = 0) {
    const char16_t first = char16_t(key[0].unicode());
    const char16_t *d = reinterpret_cast<const char16_t *>(s.utf16());
    for (qsizetype i = std::max<qsizetype>(0, from); i + key.size() <= s.size(); ++i)
        if (d[i] == first && at(s, i, key))
            return i;
    return -1;
}

qsizetype rfind(QStringView s, QStringView key) {
    for (qsizetype i = s.size() - key.size(); i >= 0; --i)
        if (at(s, i, key))
            return i;
    return -1;
}

// The digits at s[i...]; -1 without any.
qint64 digitsAt(QStringView s, qsizetype i, qsizetype *end = nullptr) {
    qint64 v = 0;
    const qsizetype start = i;
    while (i < s.size() && s[i] >= QLatin1Char('0') && s[i] <= QLatin1Char('9'))
        v = v * 10 + (s[i++].unicode() - '0');
    if (end)
        *end = i;
    return i > start ? v : -1;
}

// The string value that starts at s[i] (just after its opening quote).
QStringView stringAt(QStringView s, qsizetype i) {
    if (i < 0)
        return {};
    const qsizetype end = s.indexOf(QLatin1Char('"'), i);
    return end < 0 ? QStringView() : s.mid(i, end - i);
}

qint64 daysFromCivil(qint64 y, unsigned m, unsigned d) { // Howard Hinnant's algorithm
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

// "2026-12-05T10:00:00.123Z" -> ms since the epoch (what HubProtocol's isoTime writes).
std::optional<qint64> parseIsoMs(QStringView t) {
    if (t.size() != 24 || t[4] != QLatin1Char('-') || t[10] != QLatin1Char('T') ||
        t[19] != QLatin1Char('.') || t[23] != QLatin1Char('Z'))
        return std::nullopt;
    const auto num = [&](int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; ++i)
            v = v * 10 + (t[i].unicode() - '0');
        return v;
    };
    const qint64 days = daysFromCivil(num(0, 4), unsigned(num(5, 2)), unsigned(num(8, 2)));
    return ((days * 24 + num(11, 2)) * 60 + num(14, 2)) * 60'000 + qint64(num(17, 2)) * 1000 +
           num(20, 3);
}

struct Fields {
    bool isEvent = false;
    qint64 seq = -1;
    bool isMessage = false;
    qint64 index = -1; // of a bench message
    qint64 sendUs = -1;
    qint64 receivedAtMs = -1;
    qint64 atMs = -1; // the event's "at": when the hub made it, before storing and sending it
    bool operator==(const Fields &o) const {
        return isEvent == o.isEvent && seq == o.seq && isMessage == o.isMessage &&
               index == o.index && sendUs == o.sendUs && receivedAtMs == o.receivedAtMs &&
               atMs == o.atMs;
    }
};

const QString kBenchPrefix = QStringLiteral("hub-bench ");

void benchText(QStringView text, Fields *f) {
    if (!text.startsWith(kBenchPrefix))
        return;
    qsizetype end = 0;
    const qint64 index = digitsAt(text, kBenchPrefix.size(), &end);
    if (index < 0 || end >= text.size() || text[end] != QLatin1Char(' '))
        return;
    const qint64 sendUs = digitsAt(text, end + 1);
    if (sendUs < 0)
        return;
    f->index = index;
    f->sendUs = sendUs;
}

Fields fastFields(QStringView s) {
    static const QString type = QStringLiteral(",\"type\":\"event\"");
    static const QString seq = QStringLiteral(",\"seq\":");
    static const QString eventAt = QStringLiteral("{\"at\":\"");
    static const QString kind = QStringLiteral(",\"kind\":\"");
    static const QString message = QStringLiteral("message\"");
    static const QString text = QStringLiteral("\"text\":\"");
    static const QString receivedAt = QStringLiteral(",\"received_at\":\"");
    Fields f;
    // The top-level "seq" and "type" are the last keys but user_id and a few short
    // ones, after every nested object but "user" (which holds neither).
    const qsizetype typeAt = rfind(s, type);
    if (!s.startsWith(QLatin1Char('{')) || typeAt < 0)
        return f;
    f.isEvent = true;
    const qsizetype seqAt = rfind(s.first(typeAt), seq);
    f.seq = seqAt < 0 ? -1 : digitsAt(s, seqAt + seq.size());
    // A message event: {"at":"…","conversation_no":"…","kind":"message","message":{
    // "direction":…,"message_body":{…"text":"…"…},…,"received_at":"…",…},"seq":…
    if (!s.startsWith(eventAt))
        return f;
    const qsizetype kindAt = find(s, kind, eventAt.size() + 24);
    if (kindAt < 0 || !at(s, kindAt + kind.size(), message))
        return f;
    f.isMessage = true;
    if (const auto t = parseIsoMs(stringAt(s, eventAt.size())))
        f.atMs = *t;
    const qsizetype textAt = find(s, text, kindAt);
    qsizetype from = kindAt;
    if (textAt >= 0) {
        const QStringView value = stringAt(s, textAt + text.size());
        benchText(value, &f);
        from = textAt + text.size() + value.size();
    }
    const qsizetype receivedAtAt = find(s, receivedAt, from);
    if (receivedAtAt >= 0)
        if (const auto t = parseIsoMs(stringAt(s, receivedAtAt + receivedAt.size())))
            f.receivedAtMs = *t;
    return f;
}

Fields fullFields(const QJsonObject &o) {
    Fields f;
    if (o.value(QLatin1String("type")) != QLatin1String("event"))
        return f;
    f.isEvent = true;
    f.seq = o.value(QLatin1String("seq")).toInteger(-1);
    f.isMessage = o.value(QLatin1String("kind")) == QLatin1String("message");
    if (!f.isMessage)
        return f;
    const QDateTime eventAt =
        QDateTime::fromString(o.value(QLatin1String("at")).toString(), Qt::ISODateWithMs);
    if (eventAt.isValid())
        f.atMs = eventAt.toMSecsSinceEpoch();
    const QJsonObject m = o.value(QLatin1String("message")).toObject();
    const QDateTime at =
        QDateTime::fromString(m.value(QLatin1String("received_at")).toString(), Qt::ISODateWithMs);
    if (at.isValid())
        f.receivedAtMs = at.toMSecsSinceEpoch();
    const QString text =
        m.value(QLatin1String("message_body")).toObject().value(QLatin1String("text")).toString();
    benchText(text, &f);
    return f;
}

// --- one console -----------------------------------------------------------------

struct Console {
    int line = 0; // in the tokens file
    QString token;
    QWebSocket *socket = nullptr;
    qint64 welcomeSeq = -1;
    qint64 lastSeq = 0;
    qint64 events = 0;
    qint64 gaps = 0;    // seq jumped ahead
    qint64 repeats = 0; // seq not above the previous one
    qint64 messages = 0;
    qint64 otherMessages = 0; // message events that are not the sender's
    qint64 distinct = 0;      // bench messages, each index once
    qint64 duplicates = 0;
    qint64 badFields = 0; // an event without a seq, a bench message without received_at
    qint64 frames = 0;
    qint64 snapshots = 0;
    qint64 errors = 0;
    std::vector<bool> seen;                                        // by bench index
    std::vector<quint32> storedMs = std::vector<quint32>(1001, 0); // 1 ms bins, last: more
    qint64 maxStoredUs = 0;
    bool closed = false;
    int closeCode = 0;
    QString closeReason;
};

class Bench : public QObject {
public:
    Bench(const QUrl &url, QStringList tokens, int first, QString control, int drainSeconds,
          int lingerMs, int maxSeconds)
        : m_url(url)
        , m_first(first)
        , m_control(std::move(control))
        , m_drainMs(drainSeconds * 1000)
        , m_lingerMs(lingerMs) {
        for (int i = 0; i < tokens.size(); ++i) {
            auto c = std::make_unique<Console>();
            c->line = first + i;
            c->token = tokens.at(i);
            m_consoles.push_back(std::move(c));
        }
        m_poll.setInterval(100);
        connect(&m_poll, &QTimer::timeout, this, &Bench::poll);
        m_lag.setTimerType(Qt::PreciseTimer);
        m_lag.setInterval(kLagTickMs);
        connect(&m_lag, &QTimer::timeout, this, &Bench::lagTick);
        QTimer::singleShot(maxSeconds * 1000, this, [this] {
            m_timedOut = true;
            finish();
        });
    }

    void start() {
        for (auto &c : m_consoles) {
            Console *self = c.get();
            self->socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            connect(self->socket, &QWebSocket::connected, this, [self] {
                const QJsonObject hello{{QStringLiteral("type"), QStringLiteral("hello")},
                                        {QStringLiteral("token"), self->token},
                                        {QStringLiteral("resume_from"), 0}};
                self->socket->sendTextMessage(
                    QString::fromUtf8(QJsonDocument(hello).toJson(QJsonDocument::Compact)));
            });
            connect(self->socket, &QWebSocket::textMessageReceived, this,
                    [this, self](const QString &text) { onText(*self, text); });
            connect(self->socket, &QWebSocket::binaryMessageReceived, this,
                    [self](const QByteArray &) { ++self->badFields; });
            connect(self->socket, &QWebSocket::disconnected, this, [this, self] {
                if (self->closed)
                    return;
                self->closed = true;
                self->closeCode = int(self->socket->closeCode());
                self->closeReason = self->socket->closeReason();
                if (!m_finishing)
                    std::fprintf(stderr, "bench_hub_consoles: console %d closed: %d %s\n",
                                 self->line, self->closeCode, qPrintable(self->closeReason));
            });
            self->socket->open(m_url);
        }
        m_poll.start();
    }

private:
    static constexpr int kLagTickMs = 5;

    void onText(Console &c, const QString &text) {
        const qint64 receivedUs = nowUs();
        ++c.frames;
        Fields f = fastFields(text);
        if (!f.isEvent) {
            handleOther(c, text);
            return;
        }
        if (c.frames <= 20 || c.frames % 499 == 0 || (f.isMessage && c.messages < 20)) {
            ++m_parseChecks;
            const Fields full = fullFields(QJsonDocument::fromJson(text.toUtf8()).object());
            if (!(full == f)) {
                if (++m_parseMismatches <= 3)
                    std::fprintf(stderr, "bench_hub_consoles: field mismatch on %s\n",
                                 qPrintable(text.left(400)));
                f = full;
            }
        }
        ++c.events;
        if (f.seq < 0) {
            ++c.badFields;
        } else {
            if (f.seq > c.lastSeq + 1)
                ++c.gaps;
            else if (f.seq <= c.lastSeq)
                ++c.repeats;
            c.lastSeq = std::max(c.lastSeq, f.seq);
        }
        if (!f.isMessage)
            return;
        ++c.messages;
        if (f.index < 0) {
            ++c.otherMessages;
            return;
        }
        if (f.index >= qint64(c.seen.size()))
            c.seen.resize(size_t(f.index) + 1 + 4096, false);
        if (c.seen[size_t(f.index)]) {
            ++c.duplicates;
            return;
        }
        c.seen[size_t(f.index)] = true;
        ++c.distinct;
        m_sent.add(receivedUs - f.sendUs);
        if (f.receivedAtMs < 0) {
            ++c.badFields;
            return;
        }
        const qint64 storedUs = receivedUs - f.receivedAtMs * 1000;
        m_stored.add(storedUs);
        if (f.atMs >= 0) {
            m_toEvent.add((f.atMs - f.receivedAtMs) * 1000);
            m_fromEvent.add(receivedUs - f.atMs * 1000);
        }
        ++c.storedMs[size_t(std::clamp<qint64>(storedUs / 1000, 0, 1000))];
        c.maxStoredUs = std::max(c.maxStoredUs, storedUs);
    }

    void handleOther(Console &c, const QString &text) {
        const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = o.value(QLatin1String("type")).toString();
        if (type == QLatin1String("welcome")) {
            c.welcomeSeq = o.value(QLatin1String("seq")).toInteger(-1);
        } else if (type == QLatin1String("snapshot")) {
            ++c.snapshots;
            c.lastSeq = o.value(QLatin1String("seq")).toInteger();
        } else {
            ++c.errors;
            if (m_errorsShown++ < 5)
                std::fprintf(stderr, "bench_hub_consoles: console %d got %s\n", c.line,
                             qPrintable(text.left(300)));
        }
    }

    bool caughtUp(const Console &c) const {
        return c.welcomeSeq >= 0 && c.lastSeq >= c.welcomeSeq && !c.closed;
    }

    void poll() {
        if (!m_ready) {
            if (std::all_of(m_consoles.begin(), m_consoles.end(),
                            [this](const auto &c) { return caughtUp(*c); })) {
                m_ready = true;
                m_readyCpu = cpuSeconds();
                m_lagClock.start();
                m_lagLast = 0;
                m_lag.start();
                QSaveFile ready(QDir(m_control).filePath(QStringLiteral("ready.%1").arg(m_first)));
                if (ready.open(QIODevice::WriteOnly)) {
                    ready.write(QByteArray::number(qint64(m_consoles.size())) + '\n');
                    ready.commit();
                }
            }
            return;
        }
        if (m_expected < 0) {
            QFile expect(QDir(m_control).filePath(QStringLiteral("expect")));
            if (!expect.open(QIODevice::ReadOnly))
                return;
            bool ok = false;
            m_expected = expect.readAll().trimmed().toLongLong(&ok);
            if (!ok)
                m_expected = -1;
            else
                m_drainClock.start();
            m_expectCpu = cpuSeconds();
            return;
        }
        if (m_linger.isValid()) {
            if (m_linger.elapsed() >= m_lingerMs)
                finish();
            return;
        }
        const bool complete =
            std::all_of(m_consoles.begin(), m_consoles.end(),
                        [this](const auto &c) { return c->distinct >= m_expected || c->closed; });
        if (complete) {
            m_drainedMs = m_drainClock.elapsed();
            m_linger.start();
        } else if (m_drainClock.elapsed() > m_drainMs) {
            m_drainedMs = m_drainClock.elapsed();
            m_drainTimedOut = true;
            finish();
        }
    }

    void lagTick() {
        const qint64 now = m_lagClock.nsecsElapsed() / 1000;
        if (m_lagLast > 0)
            m_lagHist.add(std::max<qint64>(0, now - m_lagLast - kLagTickMs * 1000));
        m_lagLast = now;
    }

    void finish() {
        if (m_finishing)
            return;
        m_finishing = true;
        m_poll.stop();
        m_lag.stop();
        // From all connected to the end of the load (the sender's setup included).
        const double cpu =
            (m_expected >= 0 ? m_expectCpu : cpuSeconds()) - (m_ready ? m_readyCpu : 0.0);

        qint64 minDistinct = -1, maxDistinct = 0, missing = 0, duplicates = 0, gaps = 0,
               repeats = 0, badFields = 0, other = 0, snapshots = 0, errors = 0, events = 0;
        qint64 minLast = -1, maxLast = 0, closedCount = 0, welcomed = 0;
        double worstConsoleP99 = 0, worstConsoleMax = 0;
        QJsonArray closes;
        for (const auto &c : m_consoles) {
            minDistinct = minDistinct < 0 ? c->distinct : std::min(minDistinct, c->distinct);
            maxDistinct = std::max(maxDistinct, c->distinct);
            if (m_expected > 0)
                missing += std::max<qint64>(0, m_expected - c->distinct);
            duplicates += c->duplicates;
            gaps += c->gaps;
            repeats += c->repeats;
            badFields += c->badFields;
            other += c->otherMessages;
            snapshots += c->snapshots;
            errors += c->errors;
            events += c->events;
            minLast = minLast < 0 ? c->lastSeq : std::min(minLast, c->lastSeq);
            maxLast = std::max(maxLast, c->lastSeq);
            welcomed += c->welcomeSeq >= 0 ? 1 : 0;
            if (c->closed) {
                ++closedCount;
                if (closes.size() < 10)
                    closes.append(QStringLiteral("%1: %2 %3")
                                      .arg(c->line)
                                      .arg(c->closeCode)
                                      .arg(c->closeReason));
            }
            // This console's p99 (1 ms bins).
            quint64 n = 0;
            for (quint32 b : c->storedMs)
                n += b;
            if (n > 0) {
                const quint64 rank = std::max<quint64>(1, quint64(std::ceil(0.99 * double(n))));
                quint64 seen = 0;
                for (size_t i = 0; i < c->storedMs.size(); ++i) {
                    seen += c->storedMs[i];
                    if (seen >= rank) {
                        worstConsoleP99 = std::max(worstConsoleP99, double(i + 1));
                        break;
                    }
                }
            }
            worstConsoleMax = std::max(worstConsoleMax, double(c->maxStoredUs) / 1000.0);
        }
        const QJsonObject report{{QStringLiteral("first"), m_first},
                                 {QStringLiteral("consoles"), qint64(m_consoles.size())},
                                 {QStringLiteral("welcomed"), welcomed},
                                 {QStringLiteral("closed_early"), closedCount},
                                 {QStringLiteral("closes"), closes},
                                 {QStringLiteral("ready"), m_ready},
                                 {QStringLiteral("expected"), m_expected},
                                 {QStringLiteral("min_distinct"), minDistinct},
                                 {QStringLiteral("max_distinct"), maxDistinct},
                                 {QStringLiteral("missing"), missing},
                                 {QStringLiteral("duplicates"), duplicates},
                                 {QStringLiteral("other_messages"), other},
                                 {QStringLiteral("events"), events},
                                 {QStringLiteral("seq_gaps"), gaps},
                                 {QStringLiteral("seq_repeats"), repeats},
                                 {QStringLiteral("bad_fields"), badFields},
                                 {QStringLiteral("snapshots"), snapshots},
                                 {QStringLiteral("error_frames"), errors},
                                 {QStringLiteral("min_last_seq"), minLast},
                                 {QStringLiteral("max_last_seq"), maxLast},
                                 {QStringLiteral("parse_checks"), m_parseChecks},
                                 {QStringLiteral("parse_mismatches"), m_parseMismatches},
                                 {QStringLiteral("drain_ms"), m_drainedMs},
                                 {QStringLiteral("drain_timed_out"), m_drainTimedOut},
                                 {QStringLiteral("timed_out"), m_timedOut},
                                 {QStringLiteral("worst_console_p99_ms"), worstConsoleP99},
                                 {QStringLiteral("worst_console_max_ms"), worstConsoleMax},
                                 {QStringLiteral("cpu_s"), cpu},
                                 {QStringLiteral("stored"), m_stored.summary()},
                                 {QStringLiteral("sent"), m_sent.summary()},
                                 {QStringLiteral("stored_to_event"), m_toEvent.summary()},
                                 {QStringLiteral("event_to_console"), m_fromEvent.summary()},
                                 {QStringLiteral("loop_lag"), m_lagHist.summary()}};
        std::printf("consoles-report %s\n",
                    QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        for (auto &c : m_consoles) {
            c->closed = true; // closing on purpose now
            c->socket->close();
        }
        QTimer::singleShot(200, qApp, [] { QCoreApplication::exit(0); });
    }

    const QUrl m_url;
    const int m_first;
    const QString m_control;
    const int m_drainMs;
    const int m_lingerMs;
    std::vector<std::unique_ptr<Console>> m_consoles;
    QTimer m_poll;
    QTimer m_lag;
    QElapsedTimer m_lagClock;
    qint64 m_lagLast = 0;
    QElapsedTimer m_drainClock;
    QElapsedTimer m_linger;
    Histogram m_stored;
    Histogram m_sent;
    Histogram m_toEvent;   // received_at -> at (ms resolution)
    Histogram m_fromEvent; // at -> receipt
    Histogram m_lagHist;
    qint64 m_expected = -1;
    qint64 m_drainedMs = -1;
    qint64 m_parseChecks = 0;
    qint64 m_parseMismatches = 0;
    int m_errorsShown = 0;
    double m_readyCpu = 0;
    double m_expectCpu = 0;
    bool m_ready = false;
    bool m_drainTimedOut = false;
    bool m_timedOut = false;
    bool m_finishing = false;
};

int usage() {
    std::fprintf(stderr, "usage: bench_hub_consoles URL TOKENS_FILE CONTROL_DIR [--first I] "
                         "[--count N] [--drain-seconds S] [--linger-ms MS] [--max-seconds S]\n");
    return 2;
}

} // namespace

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4)
        return usage();
    int first = 0, count = -1, drainSeconds = 30, lingerMs = 1000, maxSeconds = 300;
    for (int i = 4; i < args.size(); ++i) {
        if (i + 1 >= args.size())
            return usage();
        bool ok = false;
        const int v = args.at(i + 1).toInt(&ok);
        if (!ok || v < 0)
            return usage();
        const QString &name = args.at(i++);
        if (name == QLatin1String("--first"))
            first = v;
        else if (name == QLatin1String("--count"))
            count = v;
        else if (name == QLatin1String("--drain-seconds"))
            drainSeconds = v;
        else if (name == QLatin1String("--linger-ms"))
            lingerMs = v;
        else if (name == QLatin1String("--max-seconds"))
            maxSeconds = v;
        else
            return usage();
    }
    QFile file(args.at(2));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "bench_hub_consoles: cannot read %s\n", qPrintable(args.at(2)));
        return 2;
    }
    QStringList tokens;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            tokens << QString::fromLatin1(line.trimmed());
    tokens = tokens.mid(first, count);
    if (tokens.isEmpty()) {
        std::fprintf(stderr, "bench_hub_consoles: no tokens at line %d of %s\n", first,
                     qPrintable(args.at(2)));
        return 2;
    }
    Bench bench(QUrl(args.at(1)), tokens, first, args.at(3), drainSeconds, lingerMs, maxSeconds);
    QTimer::singleShot(0, &bench, &Bench::start);
    return app.exec();
}
