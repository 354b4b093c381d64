// bench_hub_consoles URL TOKENS_FILE SECONDS: one HubClient per token (one
// line each), all in this process, for SECONDS after the first connects. Prints
// one JSON line: per-console message counts (min/max), seq continuity, and the
// latency from the hook being stored (the message's received_at, taken just
// before the commit that its ack waits for, so an upper bound of ack ->
// receive) to each console receiving it, for events that arrived live (after
// that console's welcome).
#include "network/hub/HubClient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using tract::hub::HubClient;

int main(int argc, char *argv[]) {
    QCoreApplication app(argc, argv);
    if (argc != 4) {
        std::fprintf(stderr, "usage: bench_hub_consoles URL TOKENS_FILE SECONDS\n");
        return 2;
    }
    const QUrl url(QString::fromLocal8Bit(argv[1]));
    QFile file(QString::fromLocal8Bit(argv[2]));
    if (!file.open(QIODevice::ReadOnly))
        return 2;
    const int seconds = QByteArray(argv[3]).toInt();
    struct Console {
        std::unique_ptr<HubClient> client;
        qint64 welcomeSeq = -1;
        qint64 messages = 0;
        qint64 lastSeq = 0;
        int gaps = 0;
    };
    std::vector<Console> consoles;
    std::vector<double> latencies;
    latencies.reserve(10'000'000);
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        consoles.push_back({std::make_unique<HubClient>(url, QString::fromLatin1(line.trimmed())),
                            -1, 0, 0, 0});
    }
    for (Console &c : consoles) {
        Console *self = &c;
        QObject::connect(c.client.get(), &HubClient::welcomed, [self](const QJsonObject &w) {
            if (self->welcomeSeq < 0)
                self->welcomeSeq = w.value(QLatin1String("seq")).toInteger();
        });
        QObject::connect(c.client.get(), &HubClient::eventReceived,
                         [self, &latencies](const QJsonObject &e) {
                             const qint64 seq = e.value(QLatin1String("seq")).toInteger();
                             self->gaps += seq != self->lastSeq + 1;
                             self->lastSeq = seq;
                             if (e.value(QLatin1String("kind")) != QLatin1String("message"))
                                 return;
                             ++self->messages;
                             if (seq <= self->welcomeSeq)
                                 return;
                             const QDateTime at = QDateTime::fromString(
                                 e.value(QLatin1String("message"))
                                     .toObject()
                                     .value(QLatin1String("received_at"))
                                     .toString(),
                                 Qt::ISODateWithMs);
                             latencies.push_back(double(at.msecsTo(QDateTime::currentDateTimeUtc())));
                         });
        c.client->start(0);
    }
    QTimer::singleShot(seconds * 1000, &app, &QCoreApplication::quit);
    app.exec();

    std::sort(latencies.begin(), latencies.end());
    const auto pct = [&](double p) {
        return latencies.empty() ? -1.0 : latencies[size_t(p * double(latencies.size() - 1))];
    };
    qint64 minMessages = consoles.empty() ? 0 : consoles.front().messages, maxMessages = 0;
    int gaps = 0, connected = 0;
    for (const Console &c : consoles) {
        minMessages = std::min(minMessages, c.messages);
        maxMessages = std::max(maxMessages, c.messages);
        gaps += c.gaps;
        connected += c.welcomeSeq >= 0;
    }
    const QJsonObject report{{QStringLiteral("consoles"), int(consoles.size())},
                             {QStringLiteral("connected"), connected},
                             {QStringLiteral("min_messages"), minMessages},
                             {QStringLiteral("max_messages"), maxMessages},
                             {QStringLiteral("gaps"), gaps},
                             {QStringLiteral("live_samples"), qint64(latencies.size())},
                             {QStringLiteral("p50_ms"), pct(0.50)},
                             {QStringLiteral("p99_ms"), pct(0.99)},
                             {QStringLiteral("max_ms"), pct(1.0)}};
    std::printf("hub-bench %s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    return 0;
}
