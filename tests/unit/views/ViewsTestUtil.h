#pragma once

#include "models/store/Store.h"

#include <QObject>
#include <QTemporaryDir>
#include <functional>
#include <memory>
#include <vector>

// Shared helpers for the view-model tests: a registry so each test class
// lives in its own file, a store in a temporary directory, and builders.
namespace viewstest {

struct Registration {
    const char *name;
    std::function<std::unique_ptr<QObject>()> make;
};
std::vector<Registration> &registry();

#define VIEWS_TEST_CLASS(Class)                                                                    \
    static const bool registered_##Class = [] {                                                    \
        viewstest::registry().push_back({#Class, [] {                                              \
                                             return std::unique_ptr<QObject>(new Class);           \
                                         }});                                                      \
        return true;                                                                               \
    }();

// A fresh store file per instance.
class TempStore {
public:
    TempStore();
    tract::store::Store &store() { return *m_store; }
    tract::store::Store *operator->() { return m_store.get(); }
    bool isOpen() const { return m_store && m_store->isOpen(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<tract::store::Store> m_store;
};

// A fixed base time, so orderings by time are deterministic.
QDateTime t0();
QDateTime at(int seconds); // t0 + seconds

tract::store::IncomingMessage message(const QString &user, const QString &conv, const QString &text,
                                      const QString &sender = QStringLiteral("ceu"),
                                      std::optional<qint64> messageId = std::nullopt,
                                      const QDateTime &receivedAt = {});
tract::store::IncomingEvent hookEvent(const QString &user, const QString &conv,
                                      const QString &category, const QString &subcategory,
                                      const std::optional<QString> &metadata = std::nullopt,
                                      const QDateTime &receivedAt = {});
// thread_control/take (or pass) moving the thread to `to`.
tract::store::IncomingEvent ownerChange(const QString &user, const QString &conv,
                                        const QString &from, const QString &to,
                                        const QDateTime &receivedAt = {},
                                        const QString &subcategory = QStringLiteral("take"));
tract::store::User user(const QString &id, const QString &name, const QString &platform);

} // namespace viewstest
