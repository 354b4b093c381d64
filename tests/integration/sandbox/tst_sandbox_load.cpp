// `tract-sandbox --load users=N,rate=R,duration=S` against a real hook receiver:
// it waits for the ECT's message hook, sends the load, drains, prints the report
// with a `load-report {json}` line, and exits 0.

#include "SandboxTestKit.h"

#include <QMap>

using namespace sbtest;

class SandboxLoadTest : public QObject {
    Q_OBJECT
    QByteArray m_output; // of the last run, shown when a test fails

    // Runs the process to its end (the receiver keeps answering meanwhile) and
    // returns the load-report JSON.
    static QJsonObject runToReport(SandboxProcess &sandbox, QByteArray *output) {
        [&] {
            QTRY_VERIFY_WITH_TIMEOUT(sandbox.process().state() == QProcess::NotRunning, 30000);
        }();
        *output = sandbox.output();
        if (QTest::currentTestFailed())
            return {};
        [&] {
            QCOMPARE(sandbox.process().exitStatus(), QProcess::NormalExit);
            QCOMPARE(sandbox.process().exitCode(), 0);
        }();
        QJsonObject report;
        int reportLines = 0;
        for (const QByteArray &line : output->split('\n')) {
            if (line.startsWith("load-report ")) {
                QJsonParseError error;
                report = QJsonDocument::fromJson(line.mid(12), &error).object();
                [&] {
                    QCOMPARE(error.error, QJsonParseError::NoError);
                }();
                ++reportLines;
            }
        }
        [&] {
            QCOMPARE(reportLines, 1);
        }();
        return report;
    }

    static void checkPercentiles(const QJsonObject &report) {
        const double p50 = report.value(u"ack_ms_p50"_s).toDouble();
        const double p90 = report.value(u"ack_ms_p90"_s).toDouble();
        const double p99 = report.value(u"ack_ms_p99"_s).toDouble();
        const double max = report.value(u"ack_ms_max"_s).toDouble();
        QVERIFY(p50 > 0);
        QVERIFY(p50 <= p90);
        QVERIFY(p90 <= p99);
        QVERIFY(p99 <= max);
        QVERIFY(max < 10000);
    }

private slots:
    void init() { m_output.clear(); }
    void cleanup() {
        if (QTest::currentTestFailed())
            qInfo().noquote() << "tract-sandbox printed:\n" << m_output;
    }

    void reportsDeliveredAndAcked() {
        HookReceiver receiver;
        QVERIFY(receiver.listen());
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({u"--load"_s, u"users=3,rate=40,duration=1"_s, u"--retry-schedule"_s,
                                u"0.05"_s}),
                 qPrintable(sandbox.errorString()));
        // Nothing happens until the ECT registers its message hook.
        QTest::qWait(700);
        QCOMPARE(sandbox.process().state(), QProcess::Running);
        QCOMPARE(sandbox.state().value(u"users"_s).toArray().size(), 0);
        QVERIFY(
            registerHooks(sandbox, receiver,
                          {{u"user_events"_s, u"create_user"_s}, {u"message"_s, u"receive"_s}}));

        QByteArray &output = m_output;
        const QJsonObject report = runToReport(sandbox, &output);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(report.value(u"users"_s).toInt(), 3);
        QCOMPARE(report.value(u"rate"_s).toDouble(), 40.0);
        QCOMPARE(report.value(u"duration_s"_s).toDouble(), 1.0);
        QCOMPARE(report.value(u"messages_sent"_s).toInt(), 40);
        QCOMPARE(report.value(u"hooks_delivered"_s).toInt(), 43); // 40 messages + 3 create_user
        QCOMPARE(report.value(u"hooks_acked"_s).toInt(), 43);
        QCOMPARE(report.value(u"retried"_s).toInt(), 0);
        QCOMPARE(report.value(u"failed_attempts"_s).toInt(), 0);
        QCOMPARE(report.value(u"pending"_s).toInt(), 0);
        checkPercentiles(report);
        QVERIFY2(output.contains("load: 3 users, 40 msg/s for 1 s: sent 40 messages in "),
                 output.constData());
        QVERIFY2(output.contains("hooks: delivered 43, acked 43, retried 0, failed attempts 0, "
                                 "still pending 0\n"),
                 output.constData());
        QVERIFY(output.contains("ack latency ms: p50 "));

        // What the receiver saw matches: per user, create_user first, then the
        // messages in order; the bot stayed quiet (the ECT owns load users).
        QCOMPARE(receiver.hooks().size(), 43);
        QMap<QString, QStringList> perUser;
        for (const Hook &h : receiver.hooks())
            perUser[userOf(h)] << describe(h);
        QCOMPARE(perUser.keys(), QStringList({u"load-1"_s, u"load-2"_s, u"load-3"_s}));
        for (int u = 0; u < 3; ++u) {
            QStringList expected{u"create_user"_s};
            for (int n = u + 1; n <= 40; n += 3)
                expected << u"ceu TEXT load message %1"_s.arg(n);
            QCOMPARE(perUser.value(u"load-%1"_s.arg(u + 1)), expected);
        }
    }

    void reportsRetries() {
        HookReceiver receiver;
        QVERIFY(receiver.listen());
        // Every fifth message fails once.
        QSet<QString> failed;
        receiver.setPolicy([&failed](const Hook &h, int) {
            const QString text =
                h.json.value(u"message_body"_s).toObject().value(u"text"_s).toString();
            if (text.section(u' ', 2).toInt() % 5 == 0 && !failed.contains(text)) {
                failed.insert(text);
                return http::Response::error(503, u"busy"_s);
            }
            return http::Response::json(200, {{u"success"_s, true}});
        });
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({u"--load"_s, u"users=4,rate=50,duration=0.8"_s,
                                u"--retry-schedule"_s, u"0.05,0.05"_s}),
                 qPrintable(sandbox.errorString()));
        QVERIFY(registerHooks(sandbox, receiver, {{u"message"_s, u"receive"_s}}));
        QByteArray &output = m_output;
        const QJsonObject report = runToReport(sandbox, &output);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(report.value(u"messages_sent"_s).toInt(), 40);
        QCOMPARE(report.value(u"hooks_delivered"_s).toInt(), 40); // create_user not registered
        QCOMPARE(report.value(u"hooks_acked"_s).toInt(), 40);
        QCOMPARE(report.value(u"retried"_s).toInt(), 8);
        QCOMPARE(report.value(u"failed_attempts"_s).toInt(), 8);
        QCOMPARE(report.value(u"pending"_s).toInt(), 0);
        QCOMPARE(failed.size(), 8);
        QCOMPARE(receiver.attempts().size(), 48);
        QCOMPARE(receiver.hooks().size(), 40);
        checkPercentiles(report);
        // The retried ones took at least the 50 ms retry delay.
        QVERIFY(report.value(u"ack_ms_max"_s).toDouble() >= 50);
    }
};

QTEST_GUILESS_MAIN(SandboxLoadTest)
#include "tst_sandbox_load.moc"
