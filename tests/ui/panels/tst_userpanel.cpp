#include "PanelsTest.h"
#include "ui/panels/ElidedLabel.h"
#include "ui/panels/UserPanel.h"

#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

using namespace panelstest;

namespace {
tract::GetUserResponse sampleUser() {
    tract::GetUserResponse u;
    u.userId = QStringLiteral("u-7f3a9c");
    u.userName = QStringLiteral("Asha Rao");
    u.devicePlatform = QStringLiteral("14");
    u.thirdPartyUserId = QStringLiteral("wa:+919800000001");
    u.detailsAvailable = {QStringLiteral("email"), QStringLiteral("phone"),
                          QStringLiteral("last_order")};
    return u;
}
} // namespace

class TestUserPanel : public QObject {
    Q_OBJECT

    QString value(const ui::UserPanel &p, const QString &name) {
        return byName<ui::ElidedLabel>(&p, name)->text();
    }

private slots:
    void showsTheUser() {
        ui::UserPanel p;
        p.setUser(sampleUser(), QStringLiteral("ect-42"));
        QCOMPARE(value(p, QStringLiteral("User name")), QStringLiteral("Asha Rao"));
        QCOMPARE(value(p, QStringLiteral("User id")), QStringLiteral("u-7f3a9c"));
        QCOMPARE(value(p, QStringLiteral("Device platform")), QStringLiteral("WhatsApp"));
        QCOMPARE(value(p, QStringLiteral("Third-party user id")),
                 QStringLiteral("wa:+919800000001"));
        QCOMPARE(value(p, QStringLiteral("ECT user id")), QStringLiteral("ect-42"));
        QCOMPARE(byName<QListWidget>(&p, QStringLiteral("Details available"))->count(), 3);
    }

    void requestsTheCheckedDetails() {
        ui::UserPanel p;
        p.setUser(sampleUser(), {});
        p.show();
        auto *request = byName<QPushButton>(&p, QStringLiteral("Request details"));
        QVERIFY(!request->isEnabled()); // nothing ticked yet
        auto *list = byName<QListWidget>(&p, QStringLiteral("Details available"));
        list->item(0)->setCheckState(Qt::Checked);
        list->item(2)->setCheckState(Qt::Checked);
        QVERIFY(request->isEnabled());
        QSignalSpy spy(&p, &ui::UserPanel::detailsRequested);
        QTest::mouseClick(request, Qt::LeftButton);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.at(0).at(0).toStringList(),
                 QStringList({QStringLiteral("email"), QStringLiteral("last_order")}));

        QSignalSpy refresh(&p, &ui::UserPanel::refreshRequested);
        QTest::mouseClick(byName<QToolButton>(&p, QStringLiteral("Refresh user")), Qt::LeftButton);
        QCOMPARE(refresh.size(), 1);

        // Select all ticks everything; again unticks.
        auto *all = byName<QPushButton>(&p, QStringLiteral("Select all details"));
        QTest::mouseClick(all, Qt::LeftButton);
        QCOMPARE(p.checkedKeys().size(), 3);
        QTest::mouseClick(all, Qt::LeftButton);
        QVERIFY(p.checkedKeys().isEmpty());
    }

    void refreshOfTheSameUserKeepsTicks() {
        ui::UserPanel p;
        p.setUser(sampleUser(), {});
        byName<QListWidget>(&p, QStringLiteral("Details available"))
            ->item(1)
            ->setCheckState(Qt::Checked);
        p.setUser(sampleUser(), {});
        QCOMPARE(p.checkedKeys(), QStringList{QStringLiteral("phone")});
        tract::GetUserResponse other = sampleUser();
        other.userId = QStringLiteral("u-other");
        p.setUser(other, {});
        QVERIFY(p.checkedKeys().isEmpty());
    }

    void showsReceivedDetails() {
        ui::UserPanel p;
        p.setUser(sampleUser(), {});
        p.setDetails({{QStringLiteral("email"), QStringLiteral("asha@example.com")},
                      {QStringLiteral("vip"), true}});
        p.setDetails({{QStringLiteral("orders"), QJsonArray{1182, 1190}}});
        auto *tree = byName<QTreeWidget>(&p, QStringLiteral("Received details"));
        QCOMPARE(tree->topLevelItemCount(), 3);
        QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("email"));
        QCOMPARE(tree->topLevelItem(0)->text(1), QStringLiteral("asha@example.com"));
        QCOMPARE(tree->topLevelItem(1)->text(1), QStringLiteral("[1182,1190]"));
        QCOMPARE(tree->topLevelItem(2)->text(1), QStringLiteral("yes"));
    }

    void errorsAndBusyInPlace() {
        ui::UserPanel p;
        p.setUser(sampleUser(), {});
        p.show();
        byName<QListWidget>(&p, QStringLiteral("Details available"))
            ->item(0)
            ->setCheckState(Qt::Checked);
        p.setBusy(true);
        QVERIFY(!byName<QPushButton>(&p, QStringLiteral("Request details"))->isEnabled());
        p.setBusy(false);
        QVERIFY(byName<QPushButton>(&p, QStringLiteral("Request details"))->isEnabled());
        p.showError(QStringLiteral("TRACT: <b>user not found</b> (404)"));
        auto *error = byName<QLabel>(&p, QStringLiteral("User panel error"));
        QVERIFY(error->isVisible());
        QCOMPARE(error->textFormat(), Qt::PlainText);
        p.setBusy(true); // a new call hides the old error
        QVERIFY(!error->isVisible());
    }

    void clearEmptiesEverything() {
        ui::UserPanel p;
        p.setUser(sampleUser(), QStringLiteral("ect-42"));
        p.setDetails({{QStringLiteral("email"), QStringLiteral("a@b.c")}});
        p.clear();
        QVERIFY(p.userId().isEmpty());
        QVERIFY(value(p, QStringLiteral("User name")).isEmpty());
        QCOMPARE(byName<QListWidget>(&p, QStringLiteral("Details available"))->count(), 0);
        QCOMPARE(byName<QTreeWidget>(&p, QStringLiteral("Received details"))->topLevelItemCount(),
                 0);
    }
};

PANELS_TEST(TestUserPanel)
#include "tst_userpanel.moc"
