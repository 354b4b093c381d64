#include "PanelsTest.h"
#include "ui/panels/CannedResponses.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QLineEdit>
#include <QListView>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace panelstest;

class TestCannedResponses : public QObject {
    Q_OBJECT

private slots:
    void defaultsCoverTheUsualMoments() {
        ui::CannedResponses model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (const char *s : {"/hi", "/wait", "/thanks", "/bye"})
            QVERIFY2(model.find(QString::fromLatin1(s)).has_value(), s);
        QCOMPARE(model.find(QStringLiteral("/hi"))->text,
                 QStringLiteral("Hi {name}, I'm {agent} and I'll help you from here."));
        QVERIFY(!model.find(QStringLiteral("/nope")));
    }

    void expand_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("agent");
        QTest::addColumn<QString>("expanded");
        const QString hi = QStringLiteral("Hi {name}, I'm {agent} and I'll help you from here.");
        QTest::newRow("first name")
            << hi << QStringLiteral("Asha Rao") << QStringLiteral("Priya")
            << QStringLiteral("Hi Asha, I'm Priya and I'll help you from here.");
        QTest::newRow("padded") << hi << QStringLiteral("  Ben  ") << QStringLiteral(" Sam ")
                                << QStringLiteral("Hi Ben, I'm Sam and I'll help you from here.");
        QTest::newRow("unknown") << hi << QString() << QString()
                                 << QStringLiteral("Hi there, I'm your agent and I'll help you "
                                                   "from here.");
        QTest::newRow("twice") << QStringLiteral("{name}! {name}?") << QStringLiteral("Chen Wei")
                               << QString() << QStringLiteral("Chen! Chen?");
        QTest::newRow("no placeholders")
            << QStringLiteral("Is there anything else?") << QStringLiteral("Asha")
            << QStringLiteral("Priya") << QStringLiteral("Is there anything else?");
    }
    void expand() {
        QFETCH(QString, text);
        QFETCH(QString, user);
        QFETCH(QString, agent);
        QFETCH(QString, expanded);
        QCOMPARE(ui::CannedResponses::expand(text, user, agent), expanded);
    }

    void persists() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("canned.ini"));
        QSettings s(path, QSettings::IniFormat);
        ui::CannedResponses model;
        model.setResponses({});
        model.load(s); // nothing saved yet: the defaults
        QCOMPARE(model.responses(), ui::CannedResponses::defaults());

        const QList<ui::CannedResponse> mine{
            {QStringLiteral("/hello"), QStringLiteral("Hello {name}!")},
            {QStringLiteral("/x"), QStringLiteral("Line one\nline two")}};
        model.setResponses(mine);
        model.save(s);
        ui::CannedResponses other;
        other.load(s);
        QCOMPARE(other.responses(), mine);

        // A deliberately empty list stays empty (no defaults coming back).
        other.setResponses({});
        other.save(s);
        model.load(s);
        QCOMPARE(model.rowCount(), 0);
    }

    void pickerKeyboardFlow() {
        ui::CannedResponses model;
        ui::CannedResponsePicker picker(&model);
        picker.setContext(QStringLiteral("Asha Rao"), QStringLiteral("Priya"));
        QSignalSpy chosen(&picker, &ui::CannedResponsePicker::chosen);

        picker.popup(QPoint(100, 100), QStringLiteral("/wa"));
        QVERIFY(picker.isVisible());
        QCOMPARE(picker.searchField()->text(), QStringLiteral("/wa"));
        QCOMPARE(picker.listView()->model()->rowCount(), 1);
        QCOMPARE(picker.currentShortcut(), QStringLiteral("/wait"));

        // Typing narrows and widens the list; arrows move; Enter inserts.
        QLineEdit *search = picker.searchField();
        search->clear();
        QCOMPARE(picker.listView()->model()->rowCount(), model.rowCount());
        QCOMPARE(picker.currentShortcut(), QStringLiteral("/hi"));
        QTest::keyClick(search, Qt::Key_Down);
        QCOMPARE(picker.currentShortcut(), QStringLiteral("/wait"));
        QTest::keyClick(search, Qt::Key_Up);
        QTest::keyClick(search, Qt::Key_Up); // stays on the first
        QCOMPARE(picker.currentShortcut(), QStringLiteral("/hi"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(chosen.size(), 1);
        QCOMPARE(chosen.at(0).at(0).toString(),
                 QStringLiteral("Hi Asha, I'm Priya and I'll help you from here."));
        QVERIFY(!picker.isVisible());

        // Text search finds words inside responses too.
        picker.popup(QPoint(100, 100), QStringLiteral("colleague"));
        QCOMPARE(picker.currentShortcut(), QStringLiteral("/transfer"));
        // Esc closes without inserting anything.
        QTest::keyClick(search, Qt::Key_Escape);
        QVERIFY(!picker.isVisible());
        QCOMPARE(chosen.size(), 1);

        // No match: Enter does nothing.
        picker.popup(QPoint(100, 100), QStringLiteral("/zzz"));
        QCOMPARE(picker.listView()->model()->rowCount(), 0);
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(chosen.size(), 1);
        QVERIFY(picker.isVisible());
        picker.close();
    }

    void pickerStaysOnScreen() {
        ui::CannedResponses model;
        ui::CannedResponsePicker picker(&model);
        const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
        // Near the bottom edge (where the composer is) it opens upwards.
        picker.popup(QPoint(screen.left() + 50, screen.bottom() - 5));
        QVERIFY(picker.geometry().bottom() <= screen.bottom());
        QVERIFY(screen.contains(picker.geometry()));
        picker.close();
    }
};

PANELS_TEST(TestCannedResponses)
#include "tst_canned.moc"
