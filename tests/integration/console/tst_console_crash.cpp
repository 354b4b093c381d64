// kill -9 of the headless console while the sandbox streams 2,000 messages with
// a fast retry schedule; the console restarts on the same port and --data-dir
// (the registered hook URLs stay valid), the sandbox drains, and every load
// message is stored exactly once and in order per user.

#include "ConsoleTestKit.h"

#include <QDir>
#include <QMap>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace consoletest;

class ConsoleCrashTest : public QObject {
    Q_OBJECT

    static int loadMessagesStored(const QString &database) {
        return queryRows(database,
                         u"SELECT COUNT(*) FROM messages m JOIN threads t ON t.id = m.thread_id "
                         "WHERE t.user_id LIKE 'load-%'"_s)
            .value(0)
            .value(0)
            .toInt();
    }

    static bool anyDeliveryFailed(const SandboxProcess &sandbox) {
        for (const QJsonValue &v : sandbox.state().value(u"deliveries"_s).toArray()) {
            if (v.toObject().value(u"attempts"_s).toInt() > 1 ||
                v.toObject().contains(u"last_error"_s))
                return true;
        }
        return false;
    }

private slots:
    void killedUnderLoadLosesNothing() {
        constexpr int kUsers = 20;
        constexpr int kMessages = 2000; // rate 400 for 5 s
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString database = QDir(dir.path()).filePath(u"console.sqlite"_s);

        QStringList schedule;
        for (int i = 0; i < 30; ++i)
            schedule.append(u"0.2"_s);
        SandboxProcess sandbox;
        QVERIFY2(sandbox.start({u"--load"_s, u"users=%1,rate=400,duration=5"_s.arg(kUsers),
                                u"--retry-schedule"_s, schedule.join(u','), u"--hook-timeout"_s,
                                u"1000"_s, u"--user-reply-delay"_s, u"0"_s}),
                 qPrintable(sandbox.errorString()));

        ConsoleProcess console;
        QVERIFY2(console.start(sandbox.baseUrl(), dir.path()), qPrintable(console.errorString()));
        const quint16 port = console.port();
        QVERIFY2(console.waitForHookLines(15), console.output().constData());

        // Mid-stream: a few hundred stored, most still to come.
        QTRY_VERIFY_WITH_TIMEOUT(loadMessagesStored(database) >= 300, 20000);
        console.kill();
        QCOMPARE(console.process().exitStatus(), QProcess::CrashExit);
        const int storedAtCrash = loadMessagesStored(database);
        QVERIFY2(storedAtCrash < kMessages, qPrintable(QString::number(storedAtCrash)));
        // TRACT notices: deliveries fail and are retried.
        QTRY_VERIFY_WITH_TIMEOUT(anyDeliveryFailed(sandbox), 10000);

        ConsoleProcess restarted;
        QVERIFY2(restarted.start(sandbox.baseUrl(), dir.path(), port),
                 qPrintable(restarted.errorString()));
        QCOMPARE(restarted.port(), port);

        // The sandbox exits after it drained everything and printed its report.
        QTRY_VERIFY_WITH_TIMEOUT(sandbox.process().state() == QProcess::NotRunning, 60000);
        QCOMPARE(sandbox.process().exitCode(), 0);
        QJsonObject report;
        for (const QByteArray &line : sandbox.output().split('\n')) {
            if (line.startsWith("load-report "))
                report = QJsonDocument::fromJson(line.mid(12)).object();
        }
        qInfo().noquote() << "stored before the crash:" << storedAtCrash
                          << "load-report:" << QJsonDocument(report).toJson(QJsonDocument::Compact);
        QCOMPARE(report.value(u"messages_sent"_s).toInt(), kMessages);
        QCOMPARE(report.value(u"pending"_s).toInt(), 0);
        QVERIFY(report.value(u"failed_attempts"_s).toInt() > 0);
        restarted.stop();

        // Every load message exactly once, and per user in message_id order.
        const auto exported = ConsoleProcess::exportData(dir.path());
        QCOMPARE(exported.exitCode, 0);
        static const QRegularExpression loadText(u"^load message (\\d+)$"_s);
        QMap<int, int> seen; // N -> times stored
        int threads = 0;
        for (const QJsonValue &tv : exported.json.value(u"threads"_s).toArray()) {
            const QJsonObject thread = tv.toObject();
            const QString user = thread.value(u"user_id"_s).toString();
            if (!user.startsWith(u"load-"_s))
                continue;
            ++threads;
            QCOMPARE(thread.value(u"conversation_number"_s).toString(), u"1"_s);
            const int userIndex = user.mid(5).toInt(); // load-1 .. load-20
            qint64 lastId = 0;
            int lastN = 0;
            for (const QJsonValue &mv : thread.value(u"messages"_s).toArray()) {
                const QJsonObject m = mv.toObject();
                const auto match = loadText.match(textOf(m));
                QVERIFY2(match.hasMatch(), qPrintable(textOf(m)));
                const int n = match.captured(1).toInt();
                const qint64 id = m.value(u"message_id"_s).toInteger();
                QCOMPARE(m.value(u"sender"_s).toString(), u"ceu"_s);
                // The generator sends message N to user ((N-1) mod users) + 1.
                QCOMPARE((n - 1) % kUsers + 1, userIndex);
                QVERIFY2(id > lastId && n > lastN,
                         qPrintable(u"%1: message %2 (id %3) after %4 (id %5)"_s.arg(user)
                                        .arg(n)
                                        .arg(id)
                                        .arg(lastN)
                                        .arg(lastId)));
                lastId = id;
                lastN = n;
                ++seen[n];
            }
        }
        QCOMPARE(threads, kUsers);
        QCOMPARE(seen.size(), kMessages);
        QCOMPARE(seen.firstKey(), 1);
        QCOMPARE(seen.lastKey(), kMessages);
        for (auto it = seen.cbegin(); it != seen.cend(); ++it)
            QVERIFY2(
                it.value() == 1,
                qPrintable(u"load message %1 stored %2 times"_s.arg(it.key()).arg(it.value())));
        QCOMPARE(loadMessagesStored(database), kMessages);
    }
};

QTEST_GUILESS_MAIN(ConsoleCrashTest)
#include "tst_console_crash.moc"
