#include "PanelsTest.h"
#include "ui/panels/ShortcutsDialog.h"

#include <QTest>
#include <QTreeWidget>

using namespace panelstest;

class TestShortcutsDialog : public QObject {
    Q_OBJECT

private slots:
    void listsEveryShortcut() {
        QStringList keys;
        for (const auto &e : ui::ShortcutsDialog::entries())
            keys << e.keys;
        const QList<QKeySequence> expected{QKeySequence(Qt::CTRL | Qt::Key_K),
                                           QKeySequence(Qt::ALT | Qt::Key_Up),
                                           QKeySequence(Qt::ALT | Qt::Key_Down),
                                           QKeySequence(Qt::CTRL | Qt::Key_T),
                                           QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P),
                                           QKeySequence(Qt::Key_Enter),
                                           QKeySequence(Qt::SHIFT | Qt::Key_Enter),
                                           QKeySequence(Qt::CTRL | Qt::Key_Comma),
                                           QKeySequence(Qt::Key_F1)};
        for (const QKeySequence &k : expected)
            QVERIFY2(keys.contains(k.toString(QKeySequence::NativeText)), qPrintable(k.toString()));
        QVERIFY(keys.contains(QStringLiteral("/")));

        ui::ShortcutsDialog d;
        int rows = 0;
        for (int g = 0; g < d.view()->topLevelItemCount(); ++g)
            rows += d.view()->topLevelItem(g)->childCount();
        QCOMPARE(rows, int(ui::ShortcutsDialog::entries().size()));
        QVERIFY(!d.windowTitle().isEmpty());
    }
};

PANELS_TEST(TestShortcutsDialog)
#include "tst_shortcuts.moc"
