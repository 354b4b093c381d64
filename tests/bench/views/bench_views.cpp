// bench_views: the window's scale budgets, measured on the real models over a
// generated store.
//
//   bench_views [--db PATH] [--regenerate] [--threads N] [--messages N] [--large N]
//
// Generates (once; reused while the file's shape matches) N threads and M
// messages, one thread holding L of them, through Store::enqueue in large
// group commits. Then measures what the window does: build the thread list,
// open the large thread, page it to the top, change filters, search, sort,
// one live message for the open thread, and the resident memory after all of
// it. Exit status 1 when a budget is missed.
#include "models/store/Store.h"
#include "models/views/ConversationModel.h"
#include "models/views/ThreadFilterModel.h"
#include "models/views/ThreadListModel.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <algorithm>
#include <cstdio>

using namespace tract::store;
using namespace tract::views;

namespace {

const QString kMe = QStringLiteral("ect-bench");
constexpr int kFlushEvery = 20'000;

struct Shape {
    int threads = 10'000;
    qint64 messages = 1'000'000;
    int large = 100'000;
};

// QSortFilterProxyModel may defer work until it is next asked for rows (its
// invalidate() only clears the mapping): a measurement ends with what a view
// does next, reading the row count and the first rows.
void touch(const QAbstractItemModel &m) {
    for (int r = 0; r < qMin(m.rowCount(), 40); ++r)
        m.index(r, 0).data();
}

double msSince(const QElapsedTimer &t) {
    return double(t.nsecsElapsed()) / 1e6;
}

qint64 rssKb() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

QString userId(int i) {
    return QStringLiteral("user-%1").arg(i, 5, 10, QLatin1Char('0'));
}

IncomingEvent stateEvent(const QString &user, const QString &category, const QString &sub,
                         const std::optional<QString> &metadata, const QDateTime &at) {
    IncomingEvent e;
    e.thread = {user, QStringLiteral("1")};
    e.category = category;
    e.subcategory = sub;
    e.metadata = metadata;
    e.receivedAt = at;
    e.rawJson = QJsonDocument(QJsonObject{{QStringLiteral("user_id"), user},
                                          {QStringLiteral("category"), category},
                                          {QStringLiteral("subcategory"), sub}})
                    .toJson(QJsonDocument::Compact);
    return e;
}

QString takeMeta(const QString &to) {
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("from"), QStringLiteral("iva")},
                                  {QStringLiteral("to"), to},
                                  {QStringLiteral("requester"), to}})
            .toJson(QJsonDocument::Compact));
}

// Thread 0 is the large one; the rest share the remaining messages. Messages
// are written in time order, round-robin over the threads, so activity and
// ids interleave like a real day.
bool generate(Store &store, const Shape &shape) {
    QElapsedTimer timer;
    timer.start();
    store.setGroupCommitPolicy({kFlushEvery * 4, 3'600'000});
    const QDateTime base = QDateTime::currentDateTimeUtc().addDays(-2);
    static const char *const platforms[] = {"14", "5", "6", "2", "3"};

    for (int i = 0; i < shape.threads; ++i) {
        User u;
        u.userId = userId(i);
        u.name = QStringLiteral("Customer %1").arg(i);
        u.devicePlatform = QString::fromLatin1(platforms[i % 5]);
        store.enqueue(u);
    }
    if (!store.flush())
        return false;

    const qint64 rest = shape.messages - shape.large;
    const int others = shape.threads - 1;
    const qint64 stepMs = qMax<qint64>(1, 2LL * 86'400'000 / shape.messages);
    qint64 written = 0;
    std::vector<qint64> nextId(size_t(shape.threads), 1);
    // Interleave: after every (messages/large) messages one goes to the big thread.
    const qint64 bigEvery = qMax<qint64>(1, shape.messages / shape.large);
    qint64 otherCursor = 0;
    qint64 bigWritten = 0;
    qint64 otherWritten = 0;
    static const char *const senders[] = {"ceu", "iva", "ceu", "iva", "aeu"};
    for (qint64 n = 0; n < shape.messages; ++n) {
        int t;
        if ((n % bigEvery == 0 && bigWritten < shape.large) || otherWritten >= rest) {
            t = 0;
            ++bigWritten;
        } else {
            t = 1 + int(otherCursor++ % others);
            ++otherWritten;
        }
        IncomingMessage m;
        m.thread = {userId(t), QStringLiteral("1")};
        m.messageId = nextId[size_t(t)]++;
        m.sender = QString::fromLatin1(senders[n % 5]);
        m.body = {{QStringLiteral("type"), QStringLiteral("TEXT")},
                  {QStringLiteral("text"),
                   QStringLiteral("message %1 about order #%2, please check the delivery status")
                       .arg(n)
                       .arg(n % 9973)}};
        m.receivedAt = base.addMSecs(n * stepMs);
        m.timestamp = m.receivedAt;
        store.enqueue(m);
        if (++written % kFlushEvery == 0) {
            if (!store.flush())
                return false;
            if (written % 200'000 == 0)
                std::fprintf(stderr, "  %lld messages, %.0f s\n", static_cast<long long>(written),
                             msSince(timer) / 1000.0);
        }
    }
    // States and owners: 20% complete, 15% handed over, 10% mine, 10% with
    // SAC or another ECT, the rest with the bot.
    const QDateTime end = base.addMSecs(shape.messages * stepMs);
    for (int i = 0; i < shape.threads; ++i) {
        const QString u = userId(i);
        const QDateTime at = end.addMSecs(i);
        switch (i % 20) {
        case 0:
        case 1:
        case 2:
        case 3:
            store.enqueue(stateEvent(u, QStringLiteral("conversation_state"),
                                     QStringLiteral("complete"), std::nullopt, at));
            break;
        case 4:
        case 5:
        case 6:
            store.enqueue(stateEvent(u, QStringLiteral("conversation_state"),
                                     QStringLiteral("incomplete"), std::nullopt, at));
            break;
        case 7:
        case 8:
            store.enqueue(stateEvent(u, QStringLiteral("thread_control"), QStringLiteral("take"),
                                     takeMeta(kMe), at));
            break;
        case 9:
            store.enqueue(stateEvent(
                u, QStringLiteral("thread_control"), QStringLiteral("take"),
                takeMeta(i % 40 == 9 ? QStringLiteral("sac") : QStringLiteral("ect-other")), at));
            break;
        default:
            break;
        }
    }
    if (!store.flush())
        return false;
    store.setGroupCommitPolicy({});
    std::fprintf(stderr, "generated %lld messages in %.1f s\n",
                 static_cast<long long>(shape.messages), msSince(timer) / 1000.0);
    return true;
}

bool shapeMatches(Store &store, const Shape &shape) {
    const auto big = store.thread(ThreadKey{userId(0), QStringLiteral("1")});
    if (!big || big->messageCount != shape.large)
        return false;
    const auto last = store.thread(ThreadKey{userId(shape.threads - 1), QStringLiteral("1")});
    return last && !store.thread(ThreadKey{userId(shape.threads), QStringLiteral("1")});
}

struct Row {
    QString what;
    QString value;
    QString budget;
    bool ok = true;
};

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOption({QStringLiteral("db"), QStringLiteral("Store file (reused)."),
                   QStringLiteral("path"), QStringLiteral(TRACT_BENCH_DB)});
    cli.addOption({QStringLiteral("regenerate"), QStringLiteral("Generate the store again.")});
    cli.addOption({QStringLiteral("threads"), QStringLiteral("Threads."), QStringLiteral("n"),
                   QStringLiteral("10000")});
    cli.addOption({QStringLiteral("messages"), QStringLiteral("Messages."), QStringLiteral("n"),
                   QStringLiteral("1000000")});
    cli.addOption({QStringLiteral("large"), QStringLiteral("Messages in the large thread."),
                   QStringLiteral("n"), QStringLiteral("100000")});
    cli.process(app);
    Shape shape;
    shape.threads = qMax(2, cli.value(QStringLiteral("threads")).toInt());
    shape.messages =
        qMax<qint64>(shape.threads, cli.value(QStringLiteral("messages")).toLongLong());
    shape.large = qBound(1, cli.value(QStringLiteral("large")).toInt(), int(shape.messages / 2));
    const QString path = cli.value(QStringLiteral("db"));

    QList<Row> rows;
    const auto add = [&](const QString &what, double value, double budget, const char *unit) {
        rows.append({what, QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(unit)),
                     budget > 0 ? QStringLiteral("< %1 %2").arg(budget).arg(QLatin1String(unit))
                                : QString(),
                     budget <= 0 || value < budget});
    };

    // The views never use the full-text index; without its triggers the
    // million inserts take about a third less time. Pages, thread rows and the
    // models' work are the same either way.
    Store::Options options;
    options.path = path;
    options.fullTextSearch = false;
    Store store;
    {
        bool reuse = !cli.isSet(QStringLiteral("regenerate")) && QFile::exists(path);
        if (reuse) {
            if (!store.open(options))
                return 2;
            reuse = shapeMatches(store, shape);
            if (!reuse)
                store.close();
        }
        if (!reuse) {
            for (const QString &suffix :
                 {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                QFile::remove(path + suffix);
            if (!store.open(options) || !generate(store, shape)) {
                std::fprintf(stderr, "generation failed: %s\n", qPrintable(store.lastError()));
                return 2;
            }
        }
    }
    std::fprintf(stderr, "store %s ready, RSS %lld kB\n", qPrintable(path),
                 static_cast<long long>(rssKb()));

    // Thread list.
    QElapsedTimer t;
    t.start();
    ThreadListModel threads(&store, kMe);
    ThreadFilterModel proxy;
    proxy.setSourceModel(&threads);
    touch(proxy);
    add(QStringLiteral("thread list: load %1 threads + sort").arg(threads.rowCount()), msSince(t),
        0, "ms");

    double worstFilter = 0;
    using F = ThreadFilterModel::Filter;
    for (F f : {F::Mine, F::Waiting, F::Bot, F::Complete, F::All}) {
        t.restart();
        proxy.setFilter(f);
        touch(proxy);
        worstFilter = qMax(worstFilter, msSince(t));
    }
    add(QStringLiteral("filter change (worst of 5)"), worstFilter, 50, "ms");

    double worstSearch = 0;
    int hits = 0;
    for (const char *q : {"customer 12", "user-0999", "ORDER #42", "sac", "zzz-no-match", ""}) {
        t.restart();
        proxy.setSearchText(QString::fromLatin1(q));
        touch(proxy);
        worstSearch = qMax(worstSearch, msSince(t));
        hits += proxy.rowCount();
    }
    add(QStringLiteral("text search (worst of 6)"), worstSearch, 50, "ms");

    double worstSort = 0;
    for (auto mode :
         {ThreadFilterModel::SortMode::LastActivity, ThreadFilterModel::SortMode::WaitingTime}) {
        t.restart();
        proxy.setSortMode(mode);
        touch(proxy);
        worstSort = qMax(worstSort, msSince(t));
    }
    add(QStringLiteral("sort mode change (worst of 2)"), worstSort, 50, "ms");

    // The large thread.
    const ThreadKey big{userId(0), QStringLiteral("1")};
    ConversationModel conversation(&store);
    t.restart();
    conversation.setThread(big);
    const double openMs = msSince(t);
    add(QStringLiteral("open %1-message thread (%2 rows)")
            .arg(shape.large)
            .arg(conversation.rowCount()),
        openMs, 100, "ms");

    int pages = 0;
    int maxRows = conversation.rowCount();
    double worstPage = 0;
    bool contiguous = true;
    QElapsedTimer all;
    all.start();
    while (conversation.canFetchOlder()) {
        t.restart();
        conversation.fetchOlder();
        worstPage = qMax(worstPage, msSince(t));
        ++pages;
        maxRows = qMax(maxRows, conversation.rowCount());
        const auto &a = conversation.messageAt(0);
        const auto &b = conversation.messageAt(1);
        contiguous = contiguous && a.messageId && b.messageId && *b.messageId == *a.messageId + 1;
    }
    const bool reachedTop = conversation.rowCount() > 0 && conversation.messageAt(0).messageId == 1;
    add(QStringLiteral("page to the top: %1 pages, worst page").arg(pages), worstPage, 0, "ms");
    add(QStringLiteral("page to the top: total"), msSince(all), 0, "ms");
    rows.append({QStringLiteral("rows loaded at most (cap %1)").arg(conversation.windowCap()),
                 QString::number(maxRows), QStringLiteral("<= %1").arg(conversation.windowCap()),
                 maxRows <= conversation.windowCap() && reachedTop && contiguous});

    // A hook for the open thread: commit, then the models catch up.
    conversation.jumpToNewest();
    QObject::connect(&store, &Store::committed, &threads, &ThreadListModel::refresh);
    QObject::connect(&store, &Store::committed, &conversation, &ConversationModel::refresh);
    double liveMs = 0;
    QObject::connect(&conversation, &ConversationModel::messagesAppended, &conversation,
                     [&](int) { liveMs = msSince(t); });
    IncomingMessage live;
    live.thread = big;
    live.messageId = shape.large + 1 + QRandomGenerator::global()->bounded(1'000'000);
    live.sender = QStringLiteral("ceu");
    live.body = {{QStringLiteral("type"), QStringLiteral("TEXT")},
                 {QStringLiteral("text"), QStringLiteral("live")}};
    t.restart();
    const bool liveOk = store.insertMessage(live).inserted;
    add(QStringLiteral("live message: commit -> models updated"), liveMs, 100, "ms");
    rows.last().ok = rows.last().ok && liveOk && liveMs > 0;

    const qint64 rss = rssKb();
    add(QStringLiteral("resident memory (VmRSS) after all"), double(rss) / 1024.0, 300, "MB");

    bool ok = true;
    std::printf("%-52s %14s %12s  %s\n", "measurement", "value", "budget", "ok");
    for (const Row &r : std::as_const(rows)) {
        std::printf("%-52s %14s %12s  %s\n", qPrintable(r.what), qPrintable(r.value),
                    qPrintable(r.budget), r.ok ? "yes" : "NO");
        ok = ok && r.ok;
    }
    std::printf("(search hits over all queries: %d)\n", hits);
    return ok ? 0 : 1;
}
