#include "PanelsTest.h"

#include <QApplication>
#include <QStyleFactory>
#include <QTest>

// Runs every registered test class; a class name as the first argument
// (`test_panels TestOwnershipBoard`) runs only that one.
int main(int argc, char **argv) {
    // Fusion everywhere: the screenshots and size checks must not depend on
    // the desktop the tests happen to run on.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication app(argc, argv);
    QApplication::setPalette(panelstest::lightPalette());
    QByteArray only;
    std::vector<char *> args(argv, argv + argc);
    if (args.size() > 1 && args[1][0] != '-') {
        only = args[1];
        args.erase(args.begin() + 1);
    }
    int failed = 0;
    for (const auto &r : panelstest::registry()) {
        if (!only.isEmpty() && only != r.name)
            continue;
        std::unique_ptr<QObject> test = r.make();
        failed += QTest::qExec(test.get(), int(args.size()), args.data()) != 0 ? 1 : 0;
    }
    return failed;
}
