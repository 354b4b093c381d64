#pragma once

#include "models/store/Store.h"
#include "ui/panels/DarkPalette.h"

#include <QDateTime>
#include <QObject>
#include <QPalette>
#include <QTemporaryDir>
#include <QWidget>
#include <functional>
#include <memory>
#include <vector>

// One executable, several Qt Test classes, each registered with PANELS_TEST.
namespace panelstest {

struct Registration {
    const char *name;
    std::function<std::unique_ptr<QObject>()> make;
};
std::vector<Registration> &registry();

template <typename T> struct Registrar {
    explicit Registrar(const char *name) {
        registry().push_back({name, [] {
                                  return std::make_unique<T>();
                              }});
    }
};

// The first descendant of `root` of type T with this accessible name.
template <typename T> T *byName(const QWidget *root, const QString &accessibleName) {
    const auto all = root->findChildren<T *>();
    for (T *w : all) {
        if (w->accessibleName() == accessibleName)
            return w;
    }
    return nullptr;
}

QPalette lightPalette();
using ui::darkPalette; // the console's own dark theme

// Saves <shot dir>/<name>-light.png and -dark.png of `w` at `size`, applying
// each palette first. Returns false when a grab came out empty.
bool shoot(QWidget *w, const QString &name, const QSize &size);

// A store in a temporary directory with five threads, one per state:
// u1 bot, u2 waiting for agent, u3 with me ("me"), u4 with "sac", u5 complete.
// Times are relative to `now` so the board shows live-looking values.
class SampleStore {
public:
    explicit SampleStore(const QDateTime &now = QDateTime::currentDateTimeUtc());
    tract::store::Store &store() { return *m_store; }
    bool ok() const { return m_ok; }
    QDateTime now() const { return m_now; }

private:
    void write(const tract::store::WriteOp &op);

    QTemporaryDir m_dir;
    std::unique_ptr<tract::store::Store> m_store;
    QDateTime m_now;
    bool m_ok = true;
};

inline const QString kMe = QStringLiteral("me");

} // namespace panelstest

#define PANELS_TEST(T) static panelstest::Registrar<T> registrar_##T(#T);
