#include "PanelsTest.h"
#include "ui/panels/Notifier.h"

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
};

PANELS_TEST(TestNotifier)
#include "tst_notifier.moc"
