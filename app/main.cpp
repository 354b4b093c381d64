#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tract-console"));
    QApplication::setOrganizationName(QStringLiteral("TRACT Console"));
    QApplication::setApplicationVersion(QStringLiteral(TRACT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Desktop agent console for Haptik's TRACT API"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.process(app);
    return 0;
}
