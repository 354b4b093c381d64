// libFuzzer target for the hub protocol as a team console reads it
// (docs/hub-protocol.md): one text frame per line of the input, dispatched by
// "type" as HubClient does (welcome, snapshot, event, result) into a fresh
// HubMirror per input over one SQLite store for the whole run (opening a store
// costs more than a hundred inputs, so rows accumulate as on a console that
// runs for days; a crash that needs an earlier input reproduces from the
// corpus, not always from its own file). Each mirror holds two replies of its
// own first, so outbox events and results have something to move. Beyond "no crash, no sanitizer
// report", it checks:
//   - the store takes whatever the hub sends: a frame may be dropped, but the
//     commit never fails, and the window's reads work afterwards;
//   - the team state keeps its own keys: agents by their non-empty name,
//     assignments by their non-empty user id.
// Run with scripts/fuzz 60 fuzz_hub_protocol.
#include "models/store/Store.h"
#include "network/hub/HubMirror.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTemporaryDir>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void check(bool ok, const char *what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_hub_protocol: invariant broken: %s\n", what);
        std::abort();
    }
}

// At most this many frames per input: each may write to SQLite, and a long
// input of tiny frames would only slow the run down.
constexpr qsizetype kMaxFrames = 64;

void dispatch(tract::hub::HubMirror &mirror, const QByteArray &line) {
    // QWebSocket hands HubClient a QString; invalid UTF-8 arrives replaced.
    const QJsonObject frame = QJsonDocument::fromJson(QString::fromUtf8(line).toUtf8()).object();
    const QString type = frame.value(QLatin1String("type")).toString();
    if (type == QLatin1String("welcome"))
        mirror.applyWelcome(frame);
    else if (type == QLatin1String("snapshot"))
        mirror.applySnapshot(frame);
    else if (type == QLatin1String("event"))
        mirror.applyEvent(frame);
    else if (type == QLatin1String("result"))
        mirror.ownReplyAnswered(frame.value(QLatin1String("id")).toString(), frame);
}

void checkTeam(const tract::team::TeamState &team) {
    for (auto it = team.agents.cbegin(); it != team.agents.cend(); ++it)
        check(!it.key().isEmpty() && it.key() == it->name, "agent under another name");
    for (auto it = team.assignments.cbegin(); it != team.assignments.cend(); ++it)
        check(!it.key().isEmpty() && it.key() == it->userId, "assignment under another user");
}

tract::store::Store *mirrorStore = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
    // Qt Sql finds its SQLite driver through the application's plugin paths.
    static QCoreApplication app(*argc, *argv);
    static QTemporaryDir dir;
    check(dir.isValid(), "no temporary directory");
    mirrorStore = new tract::store::Store;
    check(mirrorStore->open(dir.filePath(QStringLiteral("console.sqlite"))), "store does not open");
    // Closed before Qt Sql's own statics go (they were made by open(), so their
    // destructors run after this handler), as the console closes its store
    // before it returns from main().
    std::atexit([] { delete mirrorStore; });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray input =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    {
        tract::hub::HubMirror mirror(mirrorStore);
        const tract::store::ThreadKey thread{QStringLiteral("u1"), QStringLiteral("1")};
        const QJsonObject reply{{QStringLiteral("type"), QStringLiteral("TEXT")},
                                {QStringLiteral("text"), QStringLiteral("On it.")}};
        QString error;
        check(mirror.addOwnReply(QStringLiteral("c1"), thread, reply, &error).has_value(),
              "own reply refused");
        check(mirror.addOwnReply(QStringLiteral("c2"), thread, reply, &error).has_value(),
              "own reply refused");

        const QList<QByteArray> lines = input.split('\n');
        for (qsizetype i = 0; i < lines.size() && i < kMaxFrames; ++i)
            dispatch(mirror, lines.at(i));
        check(mirrorStore->flush(), "the store refused what the hub sent");
        checkTeam(mirror.team());

        // What the window reads next.
        for (const tract::store::Thread &t : mirrorStore->threads()) {
            tract::store::MessageQuery query;
            query.thread = t.key;
            (void)mirrorStore->messages(query);
            (void)mirrorStore->unreadCount(t.key);
        }
        (void)mirrorStore->users();
        (void)mirrorStore->outboxItems();
        (void)mirrorStore->eventsAfter(0);
    }
    return 0;
}
