#include "StoreTestUtil.h"

#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QThread>
#include <QUuid>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace tract::store;

namespace storetest {

std::vector<Registration> &registry() {
    static std::vector<Registration> r;
    return r;
}

IncomingMessage textMessage(const QString &userId, const QString &conversation, const QString &text,
                            std::optional<qint64> messageId, std::optional<QDateTime> timestamp,
                            const QString &sender) {
    IncomingMessage m;
    m.thread = {userId, conversation};
    m.messageId = messageId;
    m.timestamp = timestamp;
    m.sender = sender;
    m.body = QJsonObject{{u"type"_s, u"TEXT"_s}, {u"text"_s, text}, {u"data"_s, QJsonObject{}}};
    return m;
}

RawDb::RawDb(const QString &path)
    : m_name(u"raw-"_s + QUuid::createUuid().toString()) {
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_name);
    db.setDatabaseName(path);
    if (!db.open())
        qFatal("RawDb: cannot open");
}

RawDb::~RawDb() {
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QSqlQuery RawDb::query(const QString &sql, const QVariantList &binds) {
    QSqlQuery q(QSqlDatabase::database(m_name, false));
    q.prepare(sql);
    for (const QVariant &b : binds)
        q.addBindValue(b);
    if (!q.exec())
        qWarning().noquote() << "RawDb:" << sql << q.lastError().text();
    return q;
}

QVariant RawDb::scalar(const QString &sql, const QVariantList &binds) {
    QSqlQuery q = query(sql, binds);
    return q.next() ? q.value(0) : QVariant();
}

int runCrashChild(const QString &path, int count) {
    Store store;
    Store::Options options;
    options.path = path;
    options.groupCommit = {64, 1};
    if (!store.open(options)) {
        std::fprintf(stderr, "child: %s\n", qPrintable(store.lastError()));
        return 2;
    }
    const QDateTime base = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
    for (int i = 0; i < count; ++i) {
        // Even messages carry a message_id; odd ones only a timestamp, so both
        // dedup keys are exercised by the redelivery after the crash.
        const auto id = i % 2 == 0 ? std::make_optional<qint64>(i + 1) : std::nullopt;
        const auto ts = i % 2 == 0 ? std::nullopt : std::make_optional(base.addMSecs(i));
        store.enqueue(
            textMessage(u"user-%1"_s.arg(i % 7), u"1"_s, u"crash message %1"_s.arg(i), id, ts),
            [i](const WriteResult &r) {
                if (!r.ok)
                    return;
                // Reported only from the commit callback: everything
                // printed here must survive the SIGKILL.
                std::printf("%d %d\n", i, r.inserted ? 1 : 0);
                std::fflush(stdout);
            });
        // Batches of 64 with pauses before and after each commit: the kill
        // lands while writes are only queued in memory (never acknowledged),
        // during a commit, or between commits. The pauses also keep the run
        // long enough (~1 s) for the parent to kill it on a busy machine.
        if (i % 64 == 63) {
            QThread::usleep(8000);
            store.flush();
            QThread::usleep(8000);
        }
    }
    store.flush();
    std::printf("done\n");
    std::fflush(stdout);
    return 0;
}

} // namespace storetest
