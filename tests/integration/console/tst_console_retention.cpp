// Retention end to end: the real headless console, given --retain-days (or the
// store/retainDays setting), deletes old completed conversations from its
// --data-dir in the background while hooks keep being acknowledged and
// stored; without either it keeps everything. Bad values are refused.

#include "ConsoleTestKit.h"

#include <QDateTime>
#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

using namespace consoletest;

class ConsoleRetentionTest : public QObject {
    Q_OBJECT

    SandboxProcess m_sandbox;

    static QJsonObject stateHook(const QString &userId, const QString &timestamp) {
        return {{u"user_id"_s, userId},
                {u"conversation_number"_s, u"1"_s},
                {u"type"_s, u"conversation_state"_s},
                {u"subtype"_s, u"complete"_s},
                {u"timestamp"_s, timestamp}};
    }

    // `users` complete conversations (3 messages each) and one open one, through
    // a console without retention; then everything is dated 40 days back.
    void seed(const QString &dataDir, int users) {
        ConsoleProcess console;
        QVERIFY2(console.start(m_sandbox.baseUrl(), dataDir), qPrintable(console.errorString()));
        QVERIFY2(console.waitForHookLines(15), console.output().constData());
        const QByteArray secret = registeredPathSecret(m_sandbox);
        const QByteArray message = hookPath(secret, u"message"_s, u"receive"_s);
        for (int u = 0; u < users; ++u) {
            const QString user = u"done-%1"_s.arg(u);
            for (int i = 0; i < 3; ++i)
                QCOMPARE(postJson(console.port(), message,
                                  compact(messageHook(user, u"ceu"_s, u"old question"_s,
                                                      10 * u + i + 1)))
                             .status,
                         200);
            QCOMPARE(postJson(console.port(),
                              hookPath(secret, u"conversation_state"_s, u"complete"_s),
                              compact(stateHook(user, u"2024-01-01T10:00:00Z"_s)))
                         .status,
                     200);
        }
        QCOMPARE(postJson(console.port(), message,
                          compact(messageHook(u"still-open"_s, u"ceu"_s, u"anyone?"_s, 100000)))
                     .status,
                 200);
        console.stop();
        {
            auto db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"age"_s);
            db.setDatabaseName(QDir(dataDir).filePath(u"console.sqlite"_s));
            QVERIFY(db.open());
            QSqlQuery q(db);
            q.prepare(u"UPDATE threads SET last_activity_ms = ?"_s);
            q.addBindValue(QDateTime::currentDateTimeUtc().addDays(-40).toMSecsSinceEpoch());
            QVERIFY(q.exec());
            db.close();
        }
        QSqlDatabase::removeDatabase(u"age"_s);
    }

    static QStringList threadUsers(const QString &dataDir) {
        QStringList users;
        const auto exported = ConsoleProcess::exportData(dataDir);
        for (const QJsonValue &v : exported.json.value(u"threads"_s).toArray())
            users << v.toObject().value(u"user_id"_s).toString();
        users.sort();
        return users;
    }

private slots:
    void initTestCase() {
        QVERIFY2(m_sandbox.start(fastSandboxArgs()), qPrintable(m_sandbox.errorString()));
    }

    void badValuesAreRefused() {
        QTemporaryDir dir;
        for (const QString &bad : {u"-1"_s, u"ten"_s, u"36501"_s, u""_s}) {
            const ConsoleProcess::Run r = ConsoleProcess::run(
                {u"--headless"_s, u"--tract-url"_s, m_sandbox.baseUrl().toString(), u"--data-dir"_s,
                 dir.path(), u"--retain-days"_s, bad},
                QProcessEnvironment(), 20000);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("--retain-days"), r.err.constData());
        }
    }

    void keepsEverythingByDefault() {
        QTemporaryDir dir;
        seed(dir.path(), 2);
        ConsoleProcess console;
        QVERIFY2(console.start(m_sandbox.baseUrl(), dir.path()), qPrintable(console.errorString()));
        QVERIFY2(console.waitForHookLines(15), console.output().constData());
        QTest::qWait(1000); // several maintenance rounds
        console.stop();
        QCOMPARE(threadUsers(dir.path()), (QStringList{u"done-0"_s, u"done-1"_s, u"still-open"_s}));
    }

    // 300 old conversations go at start while hooks for a live one arrive:
    // every hook is acknowledged and stored, the open thread stays.
    void prunesInTheBackgroundWhileHooksFlow() {
        QTemporaryDir dir;
        seed(dir.path(), 300);
        ConsoleProcess console;
        QVERIFY2(console.start(m_sandbox.baseUrl(), dir.path(), 0, {u"--retain-days"_s, u"30"_s}),
                 qPrintable(console.errorString()));
        QVERIFY2(console.waitForHookLines(15), console.output().constData());
        const QByteArray message =
            hookPath(registeredPathSecret(m_sandbox), u"message"_s, u"receive"_s);
        int sent = 0;
        for (; sent < 200; ++sent)
            QCOMPARE(postJson(console.port(), message,
                              compact(messageHook(u"live"_s, u"ceu"_s, u"live %1"_s.arg(sent),
                                                  200000 + sent)))
                         .status,
                     200);
        QTRY_COMPARE_WITH_TIMEOUT(threadUsers(dir.path()),
                                  (QStringList{u"live"_s, u"still-open"_s}), 20000);
        // The summary line comes once the round has found nothing more to do.
        QTRY_VERIFY2_WITH_TIMEOUT(
            console.output().contains("retention: removed 300 completed conversations"),
            console.output().constData(), 10000);
        console.stop();
        const auto exported = ConsoleProcess::exportData(dir.path());
        QCOMPARE(exportedThread(exported.json, u"live"_s).value(u"messages"_s).toArray().size(),
                 sent);
        QVERIFY(findUser(exported.json, u"done-7"_s).isEmpty());
    }

    // The store/retainDays setting applies when --retain-days is not given.
    void theSettingApplies() {
        QTemporaryDir dir;
        QTemporaryDir config;
        seed(dir.path(), 3);
        QDir(config.path()).mkpath(u"tract-console"_s);
        QFile conf(QDir(config.path()).filePath(u"tract-console/tract-console.conf"_s));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write("[store]\nretainDays=30\n");
        conf.close();
        QProcessEnvironment env;
        env.insert(u"XDG_CONFIG_HOME"_s, config.path());
        ConsoleProcess console;
        QVERIFY2(console.start(m_sandbox.baseUrl(), dir.path(), 0, {}, env),
                 qPrintable(console.errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(threadUsers(dir.path()), QStringList{u"still-open"_s}, 20000);
        console.stop();
    }
};

QTEST_GUILESS_MAIN(ConsoleRetentionTest)
#include "tst_console_retention.moc"
