#include "NotificationServer.h"
#include "PanelsTest.h"
#include "ui/panels/Notifier.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace panelstest;

class TestNotifier : public QObject {
    Q_OBJECT

    std::unique_ptr<ui::Notifier> m_notifier;
    QList<ui::Notifier::Shown> m_shown;
    int m_beeps = 0;

private slots:
    void init() {
        m_shown.clear();
        m_beeps = 0;
        m_notifier = std::make_unique<ui::Notifier>();
        m_notifier->setPresenter([this](const ui::Notifier::Shown &s) { m_shown << s; });
        m_notifier->setBeeper([this] { ++m_beeps; });
    }
    void cleanup() { m_notifier.reset(); }

    void handoffAlwaysNotifies() {
        QSignalSpy spy(m_notifier.get(), &ui::Notifier::notified);
        QVERIFY(m_notifier->notifyHandoff(QStringLiteral("Asha Rao"),
                                          QStringLiteral("I need to talk to a person")));
        QCOMPARE(m_shown.size(), 1);
        QCOMPARE(m_shown.at(0).title, QStringLiteral("Asha Rao is waiting for an agent"));
        QCOMPARE(m_shown.at(0).body, QStringLiteral("I need to talk to a person"));
        QCOMPARE(m_beeps, 1);
        QCOMPARE(spy.size(), 1);
        // Unknown name and empty preview still say something useful.
        m_notifier->notifyHandoff({}, {});
        QCOMPARE(m_shown.at(1).title, QStringLiteral("A user is waiting for an agent"));
        QVERIFY(!m_shown.at(1).body.isEmpty());
    }

    void messageOnlyWhileInactive() {
        QVERIFY(!m_notifier->notifyMessage(QStringLiteral("Ben"), QStringLiteral("hello?"), true));
        QVERIFY(m_shown.isEmpty());
        QCOMPARE(m_beeps, 0);
        QVERIFY(m_notifier->notifyMessage(QStringLiteral("Ben"), QStringLiteral("hello?"), false));
        QCOMPARE(m_shown.size(), 1);
        QCOMPARE(m_shown.at(0).title, QStringLiteral("New message from Ben"));
    }

    void longPreviewIsShortened() {
        m_notifier->notifyMessage(QStringLiteral("Ben"), QString(500, QLatin1Char('x')), false);
        QVERIFY(m_shown.at(0).body.size() <= 140);
        QVERIFY(m_shown.at(0).body.endsWith(QChar(0x2026)));
    }

    void preferencesAreRespected() {
        m_notifier->setPreferences(false, false, true);
        QVERIFY(!m_notifier->notifyHandoff(QStringLiteral("Asha"), {}));
        QVERIFY(!m_notifier->notifyMessage(QStringLiteral("Ben"), {}, false));
        QVERIFY(m_shown.isEmpty());
        m_notifier->setPreferences(true, true, false); // no sound
        QVERIFY(m_notifier->notifyHandoff(QStringLiteral("Asha"), {}));
        QVERIFY(m_notifier->notifyMessage(QStringLiteral("Ben"), {}, false));
        QCOMPARE(m_shown.size(), 2);
        QCOMPARE(m_beeps, 0);
    }

    void unreadCountInTooltip() {
        m_notifier->setUnreadCount(3);
        QCOMPARE(m_notifier->unreadCount(), 3);
        // "%n unread message(s)": plural forms come from the app's English catalogue.
        QVERIFY2(m_notifier->toolTip().contains(u"3 unread message"),
                 qPrintable(m_notifier->toolTip()));
        m_notifier->setUnreadCount(1);
        QVERIFY(m_notifier->toolTip().contains(u"1 unread message"));
        m_notifier->setUnreadCount(-4);
        QCOMPARE(m_notifier->unreadCount(), 0);
        QVERIFY(m_notifier->toolTip().contains(u"no unread"));
    }

    // No tray here (offscreen), as on GNOME without the tray extension: with
    // a notification server on the session bus, alerts go to it, escaped
    // where it would read markup, and a click comes back as the thread.
    void withoutTrayAlertsGoToTheNotificationServer() {
        testsupport::NotificationServer server(
            {QStringLiteral("body"), QStringLiteral("body-markup"), QStringLiteral("actions")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        ui::Notifier notifier;
        notifier.setBeeper([] {});
        QVERIFY(!notifier.hasTray());
        QTRY_COMPARE(notifier.route(), ui::Notifier::Route::Desktop);
        QSignalSpy activated(&notifier, &ui::Notifier::activated);
        QSignalSpy windowAlerts(&notifier, &ui::Notifier::windowAlert);
        QTest::qWait(100); // the capabilities answer
        QVERIFY(notifier.notifyHandoff(QStringLiteral("Asha <b>Rao</b>"),
                                       QStringLiteral("I need <a href='x'>help</a> & more"),
                                       QStringLiteral("u1")));
        QTRY_COMPARE(server.received().size(), 1);
        const auto n = server.received().at(0);
        QCOMPARE(n.summary, QStringLiteral("Asha <b>Rao</b> is waiting for an agent"));
        QCOMPARE(n.body,
                 QStringLiteral("I need &lt;a href='x'&gt;help&lt;/a&gt; &amp; more"));
        QVERIFY(n.actions.contains(QStringLiteral("default")));
        QCOMPARE(n.hints.value(QStringLiteral("desktop-entry")).toString(),
                 QStringLiteral("tract-console"));
        QCOMPARE(n.hints.value(QStringLiteral("urgency")).toInt(), 2); // a handoff is urgent
        QVERIFY(windowAlerts.isEmpty());

        server.click(n.id);
        QTRY_COMPARE(activated.size(), 1);
        QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("u1"));
        // Another application's notification id is not ours.
        server.click(n.id + 100);
        QTest::qWait(100);
        QCOMPARE(activated.size(), 1);
    }

    void serverWithoutMarkupGetsTheTextAsIs() {
        testsupport::NotificationServer server({QStringLiteral("body")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        ui::Notifier notifier;
        notifier.setBeeper([] {});
        QTRY_COMPARE(notifier.route(), ui::Notifier::Route::Desktop);
        QTest::qWait(100);
        notifier.notifyMessage(QStringLiteral("Ben"), QStringLiteral("a < b & c"), false);
        QTRY_COMPARE(server.received().size(), 1);
        QCOMPARE(server.received().at(0).body, QStringLiteral("a < b & c"));
        QCOMPARE(server.received().at(0).hints.value(QStringLiteral("urgency")).toInt(), 1);
    }

    // Neither a tray nor a server (plain Xvfb, a bare window manager): the
    // window shows the alert; a server that leaves mid-shift sends alerts
    // back to the window.
    void withNeitherTheWindowShowsIt() {
        auto server =
            std::make_unique<testsupport::NotificationServer>(QStringList{QStringLiteral("body")});
        QString error;
        QVERIFY2(server->start(&error), qPrintable(error));
        ui::Notifier notifier;
        notifier.setBeeper([] {});
        QTRY_COMPARE(notifier.route(), ui::Notifier::Route::Desktop);
        QSignalSpy windowAlerts(&notifier, &ui::Notifier::windowAlert);
        server.reset();
        QTRY_COMPARE(notifier.route(), ui::Notifier::Route::Window);
        QVERIFY(notifier.notifyHandoff(QStringLiteral("Asha"), QStringLiteral("hello"),
                                       QStringLiteral("u1")));
        QCOMPARE(windowAlerts.size(), 1);
        const auto shown = windowAlerts.at(0).at(0).value<ui::Notifier::Shown>();
        QCOMPARE(shown.title, QStringLiteral("Asha is waiting for an agent"));
        QCOMPARE(shown.body, QStringLiteral("hello"));
        QCOMPARE(shown.userId, QStringLiteral("u1"));
    }

    // The tray's menu holds what the caller gives it (the window's own
    // actions, so nothing is reachable only from a tray that may not exist).
    void menuActionsAreTheCallers() {
        QAction settings(QStringLiteral("Settings"));
        QAction quit(QStringLiteral("Quit"));
        m_notifier->setMenuActions({&settings, &quit});
        QCOMPARE(m_notifier->menuActions(), (QList<QAction *>{&settings, &quit}));
    }
};

PANELS_TEST(TestNotifier)
#include "tst_notifier.moc"
