#include "ViewsTestUtil.h"

#include <QCoreApplication>
#include <QTest>
#include <vector>

// Runs every registered test class; a class name on the command line
// (`test_views TestConversationModel`) runs only that one.
int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QByteArray only;
    std::vector<char *> args(argv, argv + argc);
    if (args.size() > 1 && args[1][0] != '-') {
        only = args[1];
        args.erase(args.begin() + 1);
    }
    int failed = 0;
    for (const auto &r : viewstest::registry()) {
        if (!only.isEmpty() && only != r.name)
            continue;
        std::unique_ptr<QObject> test = r.make();
        failed += QTest::qExec(test.get(), int(args.size()), args.data()) != 0 ? 1 : 0;
    }
    return failed;
}
