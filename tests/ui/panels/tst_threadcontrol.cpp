#include "PanelsTest.h"
#include "ui/panels/Accents.h"
#include "ui/panels/ThreadControlPanel.h"

#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

using namespace panelstest;

namespace {

tract::Listener listener(const QString &id, const QString &name, bool primary, bool isDefault,
                         bool active) {
    tract::Listener l;
    l.id = id;
    l.name = name;
    l.isPrimary = primary;
    l.isDefault = isDefault;
    l.active = active;
    return l;
}

QList<tract::Listener> sampleListeners(const QString &active) {
    return {
        listener(QStringLiteral("iva"), QStringLiteral("Haptik bot"), true, true, active == u"iva"),
        listener(QStringLiteral("sac"), QStringLiteral("Smart Agent Chat"), true, false,
                 active == u"sac"),
        listener(kMe, QStringLiteral("TRACT Console"), false, false, active == kMe)};
}

} // namespace

class TestThreadControlPanel : public QObject {
    Q_OBJECT

    QPushButton *button(ui::ThreadControlPanel &p, const QString &name) {
        return byName<QPushButton>(&p, name);
    }

private slots:
    void emptyPanelOffersNothing() {
        ui::ThreadControlPanel p;
        QVERIFY(button(p, QStringLiteral("Take control")));
        QVERIFY(!button(p, QStringLiteral("Take control"))->isEnabled());
        QVERIFY(!button(p, QStringLiteral("Pass to"))->isEnabled());
        QVERIFY(!button(p, QStringLiteral("Request control"))->isEnabled());
        QVERIFY(!byName<QToolButton>(&p, QStringLiteral("Refresh listeners"))->isEnabled());
    }

    void listsListenersWithRolesAndOwner() {
        ui::ThreadControlPanel p;
        p.setThread(QStringLiteral("u1"), kMe);
        p.setListeners(sampleListeners(QStringLiteral("iva")));
        auto *list = byName<QListWidget>(&p, QStringLiteral("Listeners"));
        QCOMPARE(list->count(), 3);
        QCOMPARE(p.activeOwner(), QStringLiteral("iva"));
        const QString first = list->item(0)->data(Qt::AccessibleTextRole).toString();
        QVERIFY2(first.contains(u"owner") && first.contains(u"primary") &&
                     first.contains(u"default"),
                 qPrintable(first));
        QVERIFY(!list->item(2)->data(Qt::AccessibleTextRole).toString().contains(u"primary"));
        QVERIFY(button(p, QStringLiteral("Take control"))->isEnabled());
        QVERIFY(button(p, QStringLiteral("Request control"))->isEnabled());
        // The pass menu offers everyone but this console.
        QMenu *menu = button(p, QStringLiteral("Pass to"))->menu();
        QCOMPARE(menu->actions().size(), 2);
        QCOMPARE(menu->actions().at(0)->text(), QStringLiteral("Haptik bot (iva)"));
        QCOMPARE(menu->actions().at(1)->text(), QStringLiteral("Smart Agent Chat (sac)"));
    }

    void clicksAsk() {
        ui::ThreadControlPanel p;
        p.setThread(QStringLiteral("u1"), kMe);
        p.setListeners(sampleListeners(QStringLiteral("iva")));
        p.show();
        QSignalSpy take(&p, &ui::ThreadControlPanel::takeRequested);
        QSignalSpy request(&p, &ui::ThreadControlPanel::requestRequested);
        QSignalSpy refresh(&p, &ui::ThreadControlPanel::refreshRequested);
        QSignalSpy pass(&p, &ui::ThreadControlPanel::passRequested);
        QTest::mouseClick(button(p, QStringLiteral("Take control")), Qt::LeftButton);
        QTest::mouseClick(button(p, QStringLiteral("Request control")), Qt::LeftButton);
        QTest::mouseClick(byName<QToolButton>(&p, QStringLiteral("Refresh listeners")),
                          Qt::LeftButton);
        QCOMPARE(take.size(), 1);
        QCOMPARE(request.size(), 1);
        QCOMPARE(refresh.size(), 1);
        button(p, QStringLiteral("Pass to"))->menu()->actions().at(1)->trigger();
        QCOMPARE(pass.size(), 1);
        QCOMPARE(pass.at(0).at(0).toString(), QStringLiteral("sac"));
    }

    void ownedByMeCannotTakeAgain() {
        ui::ThreadControlPanel p;
        p.setThread(QStringLiteral("u1"), kMe);
        p.setListeners(sampleListeners(kMe));
        QVERIFY(!button(p, QStringLiteral("Take control"))->isEnabled());
        QVERIFY(!button(p, QStringLiteral("Request control"))->isEnabled());
        QVERIFY(button(p, QStringLiteral("Pass to"))->isEnabled());
    }

    void busyThenRefusalInPlace() {
        ui::ThreadControlPanel p;
        p.setThread(QStringLiteral("u1"), kMe);
        p.setListeners(sampleListeners(QStringLiteral("iva")));
        p.show();
        p.setBusy(true);
        QVERIFY(p.isBusy());
        QVERIFY(
            byName<QProgressBar>(&p, QStringLiteral("Thread control call running"))->isVisible());
        QVERIFY(!button(p, QStringLiteral("Take control"))->isEnabled());
        QVERIFY(!button(p, QStringLiteral("Pass to"))->isEnabled());
        p.setBusy(false);
        const QString refusal = QStringLiteral("TRACT refused: only primary receivers (iva, sac) "
                                               "may take control (take_not_allowed)");
        p.showOutcome(false, refusal);
        auto *outcome = byName<QLabel>(&p, QStringLiteral("Thread control outcome"));
        QVERIFY(outcome->isVisible());
        QCOMPARE(outcome->text(), refusal);
        QCOMPARE(outcome->textFormat(), Qt::PlainText);
        QCOMPARE(outcome->palette().color(QPalette::WindowText), ui::accents::error(p.palette()));
        QVERIFY(button(p, QStringLiteral("Take control"))->isEnabled());

        p.showOutcome(true, QStringLiteral("Control taken"));
        QCOMPARE(outcome->palette().color(QPalette::WindowText), ui::accents::success(p.palette()));
        // A new call hides the old outcome; a new thread forgets it.
        p.setBusy(true);
        QVERIFY(!outcome->isVisible());
        p.setBusy(false);
        p.showOutcome(true, QStringLiteral("Control taken"));
        p.setThread(QStringLiteral("u2"), kMe);
        QVERIFY(!outcome->isVisible());
        QCOMPARE(byName<QListWidget>(&p, QStringLiteral("Listeners"))->count(), 0);
    }

    void clearForgetsTheThread() {
        ui::ThreadControlPanel p;
        p.setThread(QStringLiteral("u1"), kMe);
        p.setListeners(sampleListeners(QStringLiteral("iva")));
        p.setBusy(true);
        p.clear();
        QVERIFY(p.userId().isEmpty());
        QVERIFY(!p.isBusy());
        QVERIFY(!button(p, QStringLiteral("Take control"))->isEnabled());
    }

    void everyControlHasAnAccessibleName() {
        ui::ThreadControlPanel p;
        for (QWidget *w : p.findChildren<QWidget *>()) {
            if (qobject_cast<QPushButton *>(w) || qobject_cast<QToolButton *>(w) ||
                qobject_cast<QListWidget *>(w))
                QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
        }
    }
};

PANELS_TEST(TestThreadControlPanel)
#include "tst_threadcontrol.moc"
