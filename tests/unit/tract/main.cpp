#include <QCoreApplication>
#include <QTest>

// One executable, several Qt Test classes: each registers a runner here.
int runCodesTests(int argc, char **argv);
int runWireTypesTests(int argc, char **argv);

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    int failures = 0;
    failures += runCodesTests(argc, argv);
    failures += runWireTypesTests(argc, argv);
    return failures;
}
