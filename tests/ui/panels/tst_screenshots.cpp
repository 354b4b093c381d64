#include "PanelsTest.h"
#include "models/views/EventFeedModel.h"
#include "models/views/ThreadListModel.h"
#include "ui/panels/CannedResponses.h"
#include "ui/panels/EventFeedPanel.h"
#include "ui/panels/OwnershipBoard.h"
#include "ui/panels/SettingsDialog.h"
#include "ui/panels/ShortcutsDialog.h"
#include "ui/panels/ThreadControlPanel.h"
#include "ui/panels/UserPanel.h"

#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QTableView>
#include <QTest>

using namespace panelstest;

// Every panel with realistic content, light and dark, saved under the build
// directory (screenshots/) for a person to look at. The checks here only
// make sure a picture was taken; the looking is done by people.
class TestScreenshots : public QObject {
    Q_OBJECT

private slots:
    void threadControl() {
        ui::ThreadControlPanel p;
        p.setThread(QStringLiteral("u-7f3a9c"), kMe);
        QList<tract::Listener> ls;
        const auto add = [&](const char *id, const char *name, bool primary, bool def,
                             bool active) {
            tract::Listener l;
            l.id = QString::fromLatin1(id);
            l.name = QString::fromLatin1(name);
            l.isPrimary = primary;
            l.isDefault = def;
            l.active = active;
            ls << l;
        };
        add("iva", "Haptik bot", true, true, false);
        add("sac", "Smart Agent Chat", true, false, true);
        add("me", "TRACT Console", false, false, false);
        p.setListeners(ls);
        p.showOutcome(false, QStringLiteral("TRACT refused: only primary receivers (iva, sac) may "
                                            "take control (take_not_allowed)"));
        QVERIFY(shoot(&p, QStringLiteral("thread-control"), QSize(380, 330)));
        p.setBusy(true);
        QVERIFY(shoot(&p, QStringLiteral("thread-control-busy"), QSize(380, 330)));
        p.clear();
        QVERIFY(shoot(&p, QStringLiteral("thread-control-empty"), QSize(380, 200)));
    }

    void user() {
        ui::UserPanel p;
        tract::GetUserResponse u;
        u.userId = QStringLiteral("u-7f3a9c2e-41d8-4b7a-9f0e-5c1b2a3d4e5f");
        u.userName = QStringLiteral("Asha Rao");
        u.devicePlatform = QStringLiteral("14");
        u.thirdPartyUserId = QStringLiteral("wa:+919800000001");
        u.detailsAvailable = {QStringLiteral("email"), QStringLiteral("phone"),
                              QStringLiteral("last_order"), QStringLiteral("loyalty_tier")};
        p.setUser(u, QStringLiteral("ect-42"));
        auto *list = byName<QListWidget>(&p, QStringLiteral("Details available"));
        list->item(0)->setCheckState(Qt::Checked);
        list->item(2)->setCheckState(Qt::Checked);
        p.setDetails({{QStringLiteral("email"), QStringLiteral("asha.rao@example.com")},
                      {QStringLiteral("last_order"), QJsonArray{1182, 1190}}});
        p.showError(QStringLiteral("TRACT refused: detail 'phone' is not shared (403)"));
        QVERIFY(shoot(&p, QStringLiteral("user"), QSize(360, 560)));
    }

    void eventFeed() {
        SampleStore sample;
        QVERIFY(sample.ok());
        tract::views::EventFeedModel feed(&sample.store());
        feed.setUser(QStringLiteral("u4"));
        feed.appendLocalNote(QStringLiteral("u4"), QStringLiteral("thread_control"),
                             QStringLiteral("Take control failed: take_not_allowed"));
        ui::EventFeedPanel p;
        p.setModel(&feed);
        p.resize(720, 480);
        p.show();
        p.view()->setCurrentIndex(feed.index(1, 0));
        QVERIFY(shoot(&p, QStringLiteral("event-feed"), QSize(720, 480)));
    }

    void ownershipBoard() {
        SampleStore sample;
        QVERIFY(sample.ok());
        tract::views::ThreadListModel threads(&sample.store(), kMe);
        threads.reload();
        ui::OwnershipBoard board;
        board.setSourceModel(&threads);
        const QDateTime now = sample.now();
        board.setClock([now] { return now; });
        QVERIFY(shoot(&board, QStringLiteral("ownership-board"), QSize(980, 300)));
    }

    void settings() {
        ui::SettingsDialog d;
        ui::ConsoleSettings s;
        s.tractUrl = QStringLiteral("https://tract.example.com");
        s.clientId = QStringLiteral("acme");
        s.listenPort = 8470;
        s.publicUrl = QStringLiteral("hooks.acme.example/tract"); // invalid: shows an error
        s.agentName = QStringLiteral("Priya");
        s.retainDays = 180;
        d.setSettings(s);
        d.setSecretsStored(true, false);
        QVERIFY(shoot(&d, QStringLiteral("settings"), d.sizeHint()));
    }

    void cannedPicker() {
        ui::CannedResponses model;
        ui::CannedResponsePicker picker(&model);
        picker.setContext(QStringLiteral("Asha Rao"), QStringLiteral("Priya"));
        picker.popup(QPoint(50, 50), QStringLiteral("/"));
        QVERIFY(shoot(&picker, QStringLiteral("canned-picker"), picker.size()));
        picker.close();
    }

    void shortcuts() {
        ui::ShortcutsDialog d(ui::ShortcutsDialog::keyEntries());
        QVERIFY(shoot(&d, QStringLiteral("shortcuts"), d.size()));
    }
};

PANELS_TEST(TestScreenshots)
#include "tst_screenshots.moc"
