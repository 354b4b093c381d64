#include "ViewsTestUtil.h"
#include "models/views/ThreadState.h"

#include <QTest>

using namespace tract::views;

class TestThreadState : public QObject {
    Q_OBJECT

private slots:
    void derive_data() {
        QTest::addColumn<QString>("owner");
        QTest::addColumn<QString>("state");
        QTest::addColumn<int>("expected");
        const auto row = [](const char *name, const char *owner, const char *state, ThreadState s) {
            QTest::newRow(name) << QString::fromLatin1(owner) << QString::fromLatin1(state)
                                << int(s);
        };
        row("fresh", "", "", ThreadState::Bot);
        row("bot owns", "iva", "", ThreadState::Bot);
        row("bot state", "iva", "bot", ThreadState::Bot);
        row("handed over, unowned", "", "incomplete", ThreadState::WaitingForAgent);
        row("handed over, bot still owner", "iva", "incomplete", ThreadState::WaitingForAgent);
        row("mine", "ect-me", "incomplete", ThreadState::WithMe);
        row("mine, no state", "ect-me", "", ThreadState::WithMe);
        row("mine, waiting for user", "ect-me", "waiting", ThreadState::WithMe);
        row("sac", "sac", "incomplete", ThreadState::WithOther);
        row("other ect", "ect-other", "", ThreadState::WithOther);
        row("complete beats mine", "ect-me", "complete", ThreadState::Complete);
        row("complete, bot", "iva", "complete", ThreadState::Complete);
        row("complete, unowned", "", "complete", ThreadState::Complete);
        row("pinned, unowned", "", "pinned", ThreadState::Bot);
    }
    void derive() {
        QFETCH(QString, owner);
        QFETCH(QString, state);
        QFETCH(int, expected);
        QCOMPARE(int(deriveThreadState(owner, state, QStringLiteral("ect-me"))), expected);
    }

    void emptyReceiverIsNeverMine() {
        // Before the console knows its receiver id, no thread is "mine".
        QCOMPARE(deriveThreadState(QString(), QStringLiteral("incomplete"), QString()),
                 ThreadState::WaitingForAgent);
    }

    void names() {
        for (int s = 0; s <= int(ThreadState::Complete); ++s)
            QVERIFY(!threadStateName(ThreadState(s)).isEmpty());
        QCOMPARE(threadStateName(ThreadState::WaitingForAgent),
                 QStringLiteral("Waiting for agent"));
    }

    void urgency() {
        const QDateTime since = viewstest::t0();
        QCOMPARE(waitingUrgency(QDateTime(), since), 0.0);
        QCOMPARE(waitingUrgency(since, since), 0.0);
        QCOMPARE(waitingUrgency(since, since.addSecs(150)), 0.5);
        QCOMPARE(waitingUrgency(since, since.addSecs(300)), 1.0);
        QCOMPARE(waitingUrgency(since, since.addSecs(3000)), 1.0);
    }

    void elapsed() {
        QCOMPARE(formatElapsed(45'000), QStringLiteral("45 s"));
        QCOMPARE(formatElapsed(4 * 60'000 + 5'000), QStringLiteral("4 min"));
        QCOMPARE(formatElapsed((2 * 60 + 5) * 60'000), QStringLiteral("2 h 5 min"));
        QCOMPARE(formatElapsed(3LL * 86'400'000), QStringLiteral("3 d"));
    }
};

VIEWS_TEST_CLASS(TestThreadState)
#include "tst_threadstate.moc"
