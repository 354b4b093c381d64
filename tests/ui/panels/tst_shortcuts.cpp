#include "PanelsTest.h"
#include "ui/panels/ShortcutsDialog.h"

#include <QMenu>
#include <QTest>
#include <QTreeWidget>

using namespace panelstest;

class TestShortcutsDialog : public QObject {
    Q_OBJECT

private slots:
    // The list is read from menus: every visible action with a shortcut, its
    // label without accelerator marks, grouped by menu; hidden menus and
    // actions without a shortcut are left out.
    void readsTheMenus() {
        QMenu thread(QStringLiteral("&Thread"));
        thread.addAction(QStringLiteral("&Take control"), QKeySequence(Qt::CTRL | Qt::Key_T),
                         [] {});
        thread.addAction(QStringLiteral("&Pass control to…"),
                         QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), [] {});
        thread.addAction(QStringLiteral("No shortcut"));
        QMenu *sub = thread.addMenu(QStringLiteral("&More"));
        sub->addAction(QStringLiteral("थ्रेड पर जाएँ (&J)…"), QKeySequence(Qt::CTRL | Qt::Key_K),
                       [] {});
        QMenu hidden(QStringLiteral("&Team"));
        hidden.addAction(QStringLiteral("&Away"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
                         [] {});
        hidden.menuAction()->setVisible(false);

        const auto entries = ui::ShortcutsDialog::menuEntries({&thread, &hidden});
        QCOMPARE(entries.size(), 3);
        QCOMPARE(entries[0].group, QStringLiteral("Thread"));
        QCOMPARE(entries[0].action, QStringLiteral("Take control"));
        QCOMPARE(entries[0].keys,
                 QKeySequence(Qt::CTRL | Qt::Key_T).toString(QKeySequence::NativeText));
        QCOMPARE(entries[1].action, QStringLiteral("Pass control to"));
        QCOMPARE(entries[2].action, QStringLiteral("थ्रेड पर जाएँ"));
        QCOMPARE(entries[2].group, QStringLiteral("Thread"));
    }

    void listsKeysOutsideMenusAndShowsAll() {
        QStringList keys;
        const auto entries = ui::ShortcutsDialog::keyEntries();
        for (const auto &e : entries)
            keys << e.keys;
        QVERIFY(keys.contains(QKeySequence(Qt::Key_Enter).toString(QKeySequence::NativeText)));
        QVERIFY(keys.contains(
            QKeySequence(Qt::SHIFT | Qt::Key_Enter).toString(QKeySequence::NativeText)));
        QVERIFY(keys.contains(QKeySequence(Qt::Key_Escape).toString(QKeySequence::NativeText)));
        QVERIFY(keys.contains(QStringLiteral("/")));

        ui::ShortcutsDialog d(entries);
        int rows = 0;
        for (int g = 0; g < d.view()->topLevelItemCount(); ++g)
            rows += d.view()->topLevelItem(g)->childCount();
        QCOMPARE(rows, int(entries.size()));
        QVERIFY(!d.windowTitle().isEmpty());
    }
};

PANELS_TEST(TestShortcutsDialog)
#include "tst_shortcuts.moc"
