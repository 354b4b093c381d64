#include "StoreTestUtil.h"

#include <QCoreApplication>
#include <QMetaMethod>
#include <QTest>

namespace {

// Test functions named on the command line (`test_store crashSafetyUnderSigkill`)
// select the classes that have them, so one binary can hold several classes.
bool hasRequestedFunction(const QObject &test, int argc, char **argv) {
    bool anyNamed = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg.startsWith('-')) {
            // Options with a value: skip the value too.
            if (arg == "-o" || arg == "-maxwarnings" || arg == "-eventdelay" ||
                arg == "-keydelay" || arg == "-mousedelay" || arg == "-seed")
                ++i;
            continue;
        }
        anyNamed = true;
        const QByteArray function = arg.split(':').first() + "()";
        if (test.metaObject()->indexOfMethod(function.constData()) >= 0)
            return true;
    }
    return !anyNamed;
}

} // namespace

// Runs every registered test class; `--store-crash-child <db> <count>` turns
// the binary into the crash-test child instead.
int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    if (argc == 4 && qstrcmp(argv[1], "--store-crash-child") == 0)
        return storetest::runCrashChild(QString::fromLocal8Bit(argv[2]),
                                        QByteArray(argv[3]).toInt());
    int failed = 0;
    for (const auto &r : storetest::registry()) {
        std::unique_ptr<QObject> test = r.make();
        if (!hasRequestedFunction(*test, argc, argv))
            continue;
        failed += QTest::qExec(test.get(), argc, argv) != 0 ? 1 : 0;
    }
    return failed;
}
