#pragma once

#include "models/store/Store.h"

#include <QObject>
#include <QSqlQuery>
#include <QString>
#include <QVariantList>
#include <functional>
#include <memory>
#include <vector>

// Shared helpers for the store tests: a registry so each test class lives in
// its own file, message builders, and a second, independent SQLite connection
// for looking at the file the way another process would.
namespace storetest {

struct Registration {
    const char *name;
    std::function<std::unique_ptr<QObject>()> make;
};
std::vector<Registration> &registry();

#define STORE_TEST_CLASS(Class)                                                                    \
    static const bool registered_##Class = [] {                                                    \
        storetest::registry().push_back({#Class, [] {                                              \
                                             return std::unique_ptr<QObject>(new Class);           \
                                         }});                                                      \
        return true;                                                                               \
    }();

tract::store::IncomingMessage textMessage(const QString &userId, const QString &conversation,
                                          const QString &text,
                                          std::optional<qint64> messageId = std::nullopt,
                                          std::optional<QDateTime> timestamp = std::nullopt,
                                          const QString &sender = QStringLiteral("ceu"));

// Opens the same file through its own connection name: what it sees is what
// was committed, not what one connection holds in a transaction.
class RawDb {
public:
    explicit RawDb(const QString &path);
    ~RawDb();
    QVariant scalar(const QString &sql, const QVariantList &binds = {});
    QSqlQuery query(const QString &sql, const QVariantList &binds = {});

private:
    QString m_name;
};

// The crash-test child: inserts `count` messages through group commit and
// prints "<index> <inserted>" after each commit callback.
int runCrashChild(const QString &path, int count);

} // namespace storetest
