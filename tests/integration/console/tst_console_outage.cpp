// TRACT goes away while an agent replies: the real in-process console core
// queues 20 replies in its outbox while the sandbox is down; the sandbox comes
// back on the same port and all 20 arrive once, in order.
//
// The sandbox keeps its world in memory, so "TRACT comes back" means: start it
// again on the port it had, then recreate the test user and hand the thread to
// the ECT again through the control API (a real TRACT would have kept both).
// That happens right after the outbox reports TRACT unreachable, so its next
// try (1 s later, the first backoff step) finds the user in place.

#include "ConsoleTestKit.h"
#include "app/ConsoleCore.h"
#include "models/store/Store.h"
#include "network/listener/HookCatalog.h"
#include "network/outbox/ConversationService.h"
#include "network/outbox/OutboxSender.h"
#include "network/registration/HookRegistrar.h"

#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace consoletest;

class ConsoleOutageTest : public QObject {
    Q_OBJECT

    static bool prepareUser(const SandboxProcess &sandbox, const QString &userId) {
        const int created = sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, userId}}).status;
        const int owned =
            sandbox.post(u"/sandbox/owner"_s, {{u"user_id"_s, userId}, {u"receiver"_s, u"demo"_s}})
                .status;
        if (created != 201 || owned != 200)
            qWarning() << "preparing" << userId << "gave" << created << owned;
        return created == 201 && owned == 200;
    }

private slots:
    void queuedRepliesArriveOnceInOrder() {
        constexpr int kReplies = 20;
        const QString user = u"out-1"_s;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start(fastSandboxArgs()), qPrintable(sandbox.errorString()));
        const quint16 port = sandbox.port();

        console::ConsoleCore::Settings settings;
        settings.tractUrl = sandbox.baseUrl();
        settings.clientId = u"demo"_s;
        settings.token = u"demo-token"_s;
        settings.receiverId = u"demo"_s;
        settings.dataDir = dir.path();
        settings.pathSecret = tract::generatePathSecret();
        console::ConsoleCore core(settings);
        QString error;
        QVERIFY2(core.start(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(core.registrar()->registeredCount(), 15, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(listedHooks(sandbox).size(), 15, 5000);

        QVERIFY(prepareUser(sandbox, user));
        // The console heard of the user (create_user) before the outage.
        QTRY_VERIFY_WITH_TIMEOUT(core.store()->user(user).has_value() &&
                                     core.store()->user(user)->ectUserId.has_value(),
                                 10000);
        VERIFY_DELIVERED(sandbox, 2, 10000); // create_user, take

        sandbox.stop();
        QSignalSpy unreachable(core.outbox(), &tract::OutboxSender::unreachable);
        QSignalSpy delivered(core.outbox(), &tract::OutboxSender::delivered);
        QSignalSpy failed(core.outbox(), &tract::OutboxSender::failed);
        QList<qint64> ids;
        for (int i = 1; i <= kReplies; ++i) {
            const auto queued =
                core.conversations()->sendMessage(user, u"1"_s, textHsl(u"reply %1"_s.arg(i)));
            QVERIFY2(queued.ok, qPrintable(queued.error));
            ids.append(queued.outboxId);
        }
        QCOMPARE(core.store()->outboxItems().size(), kReplies);

        // The first send gave up (the client's own retries are spent); the
        // outbox backs off for at least a second.
        QTRY_VERIFY_WITH_TIMEOUT(unreachable.count() >= 1, 30000);
        QCOMPARE(unreachable.first().at(1).toInt(), 1000);
        QCOMPARE(delivered.count(), 0);
        for (const auto &item : core.store()->outboxItems())
            QCOMPARE(item.state, tract::store::OutboxState::Pending);

        SandboxProcess again;
        QVERIFY2(again.start(fastSandboxArgs() +
                             QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)}),
                 qPrintable(again.errorString()));
        QCOMPARE(again.port(), port);
        QVERIFY(prepareUser(again, user));

        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), kReplies, 60000);
        QCOMPARE(failed.count(), 0);
        QList<qint64> deliveredIds;
        for (const QList<QVariant> &args : delivered)
            deliveredIds.append(args.at(0).toLongLong());
        QCOMPARE(deliveredIds, ids);

        // At TRACT: each reply once, in the order written, from the agent.
        const auto checkReceived = [&] {
            const QJsonArray received =
                again.state().value(u"received"_s).toObject().value(u"messages"_s).toArray();
            QStringList texts;
            QSet<QString> keys;
            for (const QJsonValue &v : received) {
                const QJsonObject m = v.toObject();
                QCOMPARE(m.value(u"user_id"_s).toString(), user);
                QCOMPARE(m.value(u"sender"_s).toString(), u"aeu"_s);
                texts.append(textOf(m));
                keys.insert(
                    m.value(u"metadata"_s).toObject().value(u"idempotency_key"_s).toString());
            }
            QStringList expected;
            for (int i = 1; i <= kReplies; ++i)
                expected.append(u"reply %1"_s.arg(i));
            QCOMPARE(texts, expected);
            QCOMPARE(keys.size(), kReplies);
            QVERIFY(!keys.contains(QString()));
        };
        checkReceived();
        if (QTest::currentTestFailed())
            return;

        // The console noticed TRACT was back and registered its hooks again.
        QTRY_COMPARE_WITH_TIMEOUT(listedHooks(again).size(), 15, 10000);
        for (const auto &item : core.store()->outboxItems())
            QCOMPARE(item.state, tract::store::OutboxState::Sent);
        QCOMPARE(core.outbox()->inFlight(), 0);
        // Nothing is sent twice later either.
        QTest::qWait(1500);
        QCOMPARE(delivered.count(), kReplies);
        checkReceived();
        core.stop();
    }
};

QTEST_GUILESS_MAIN(ConsoleOutageTest)
#include "tst_console_outage.moc"
