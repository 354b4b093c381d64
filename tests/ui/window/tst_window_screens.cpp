// The window on the screens and scale factors agents have (issue #13): run by
// ctest once per screen (1280×720, 1920×1080, an offscreen screen of that size)
// and scale factor (1, 1.5, 2). The real MainWindow over real view models on a
// real store, with a carousel open: it fits the screen, nothing is clipped or
// overlaps, the HSL cards fit the conversation, and the side panels collapse.
// A screenshot of each goes to build/screenshots/window-WxH@S.png.
#include "models/store/Store.h"
#include "models/views/ConversationModel.h"
#include "models/views/EventFeedModel.h"
#include "models/views/ThreadListModel.h"
#include "ui/Composer.h"
#include "ui/ConversationView.h"
#include "ui/MainWindow.h"
#include "ui/panels/AlertBanner.h"
#include "ui/panels/ThreadControlPanel.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace tract::store;

namespace {

const QString kReceiver = QStringLiteral("ect-screens");

QString screenName() {
    const QScreen *s = QGuiApplication::primaryScreen();
    const QSize physical = s->geometry().size() * s->devicePixelRatio();
    return QStringLiteral("%1x%2@%3")
        .arg(physical.width())
        .arg(physical.height())
        .arg(qEnvironmentVariable("QT_SCALE_FACTOR", QStringLiteral("1")));
}

// Why `w` shows less than it needs: cut off by an ancestor, or narrower or
// lower than its own minimum (a button's or a label's text clipped).
QString clipping(const QWidget *w) {
    const QWidget *window = w->window();
    const QRect own(w->mapTo(window, QPoint(0, 0)), w->size());
    for (const QWidget *a = w->parentWidget(); a && a != window; a = a->parentWidget()) {
        // Inside a scroll area, scrolling shows the rest.
        if (qobject_cast<const QAbstractScrollArea *>(a->parentWidget()))
            break;
        const QRect parent(a->mapTo(window, QPoint(0, 0)), a->size());
        if (!parent.contains(own))
            return QStringLiteral("cut off by %1")
                .arg(QString::fromLatin1(a->metaObject()->className()));
    }
    QSize need = w->minimumSizeHint();
    if (const auto *label = qobject_cast<const QLabel *>(w); label && label->wordWrap())
        need = QSize(0, label->heightForWidth(w->width()));
    if (need.isValid() && (w->width() < need.width() || w->height() < need.height()))
        return QStringLiteral("%1x%2, needs %3x%4")
            .arg(w->width())
            .arg(w->height())
            .arg(need.width())
            .arg(need.height());
    return {};
}

QString describe(const QWidget *w) {
    QString text;
    if (const auto *b = qobject_cast<const QAbstractButton *>(w))
        text = b->text();
    else if (const auto *l = qobject_cast<const QLabel *>(w))
        text = l->text().left(40);
    return QStringLiteral("%1 '%2'").arg(QString::fromLatin1(w->metaObject()->className()),
                                         w->accessibleName().isEmpty() ? text
                                                                       : w->accessibleName());
}

QStringList layoutProblems(const QWidget *window) {
    QStringList problems;
    const auto widgets = window->findChildren<QWidget *>();
    for (const QWidget *w : widgets) {
        if (!w->isVisibleTo(window) || w->isWindow())
            continue;
        const bool control =
            qobject_cast<const QAbstractButton *>(w) || qobject_cast<const QLabel *>(w) ||
            qobject_cast<const QLineEdit *>(w) || qobject_cast<const QComboBox *>(w);
        if (control) {
            if (const QString why = clipping(w); !why.isEmpty())
                problems << describe(w) + QStringLiteral(": ") + why;
        }
        // Siblings laid out side by side must not overlap.
        const QWidget *parent = w->parentWidget();
        if (!parent || !parent->layout() || parent->layout()->indexOf(const_cast<QWidget *>(w)) < 0)
            continue;
        const auto siblings = parent->findChildren<QWidget *>(Qt::FindDirectChildrenOnly);
        for (const QWidget *s : siblings) {
            if (s <= w || !s->isVisibleTo(window) ||
                parent->layout()->indexOf(const_cast<QWidget *>(s)) < 0)
                continue;
            if (w->geometry().intersects(s->geometry()))
                problems << describe(w) + QStringLiteral(" overlaps ") + describe(s);
        }
    }
    return problems;
}

QAction *actionByText(const QWidget *window, const QString &text) {
    const auto actions = window->findChildren<QAction *>();
    for (QAction *a : actions) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

} // namespace

class TestWindowScreens : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<tract::views::ThreadListModel> m_threads;
    std::unique_ptr<tract::views::ConversationModel> m_conversation;
    std::unique_ptr<tract::views::EventFeedModel> m_events;
    std::unique_ptr<ui::MainWindow> m_window;

    bool write(const QString &user, const QString &name, const QJsonObject &body, qint64 id) {
        User u;
        u.userId = user;
        u.name = name;
        u.devicePlatform = QStringLiteral("14");
        IncomingMessage m;
        m.thread = {user, QStringLiteral("1")};
        m.messageId = id;
        m.sender = QStringLiteral("iva");
        m.body = body;
        m.receivedAt = QDateTime::currentDateTimeUtc().addSecs(-300 + id);
        return m_store->write(u).ok && m_store->write(m).ok;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<Store>();
        QVERIFY(m_store->open(m_dir.filePath(QStringLiteral("screens.db"))));
        QFile carousel(QStringLiteral(TRACT_SOURCE_DIR "/tests/data/hsl/carousel_cards.json"));
        QVERIFY(carousel.open(QIODevice::ReadOnly));
        const QJsonObject cards = QJsonDocument::fromJson(carousel.readAll()).object();
        QVERIFY(!cards.isEmpty());
        QVERIFY(write(QStringLiteral("u1"), QStringLiteral("Asha Rao"),
                      {{QStringLiteral("type"), QStringLiteral("TEXT")},
                       {QStringLiteral("text"), QStringLiteral("Which room would you like?")}},
                      1));
        QVERIFY(write(QStringLiteral("u1"), QStringLiteral("Asha Rao"), cards, 2));
        QVERIFY(write(QStringLiteral("u2"), QStringLiteral("Ben Okafor"),
                      {{QStringLiteral("type"), QStringLiteral("TEXT")},
                       {QStringLiteral("text"), QStringLiteral("I need to talk to a person")}},
                      3));
        m_threads = std::make_unique<tract::views::ThreadListModel>(m_store.get(), kReceiver);
        m_conversation = std::make_unique<tract::views::ConversationModel>(m_store.get());
        m_events = std::make_unique<tract::views::EventFeedModel>(m_store.get());
        m_window = std::make_unique<ui::MainWindow>(
            ui::MainWindow::Models{m_threads.get(), m_conversation.get(), m_events.get()},
            kReceiver);
        connect(m_window.get(), &ui::MainWindow::threadOpened, this,
                [this](const QString &user, const QString &conv) {
                    m_conversation->setThread({user, conv});
                });
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->openThread(QStringLiteral("u1"), QStringLiteral("1"));
        QTRY_COMPARE(m_window->conversationView()->messageCount(), 2);
        qInfo().noquote() << "screen" << screenName() << "available"
                          << QGuiApplication::primaryScreen()->availableGeometry();
    }

    void cleanupTestCase() {
        m_window.reset();
        m_threads.reset();
    }

    void fitsTheScreen() {
        const QString why = overflow();
        QVERIFY2(why.isEmpty(), qPrintable(why));
        // Where the three panes do not fit (1280×720 at 1.5 and 2), the side
        // panels start hidden; where they do, everything is shown.
        QAction *panels = actionByText(m_window.get(), QStringLiteral("Side &panels"));
        QAction *list = actionByText(m_window.get(), QStringLiteral("Thread &list"));
        QVERIFY(panels && list);
        QVERIFY(list->isChecked());
        QCOMPARE(panels->isChecked(), !narrow());
        QCOMPARE(sidePanels()->isVisible(), panels->isChecked());
    }

    void nothingClippedOrOverlapping() {
        QTest::qWait(50); // posted layout requests
        const QString dir = QStringLiteral(TRACT_WINDOW_SHOT_DIR);
        QDir().mkpath(dir);
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/window-") + screenName() +
                                      QStringLiteral(".png")));
        const QStringList problems = layoutProblems(m_window.get());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // Every message, the carousel's cards included, fits the conversation's
    // width and lays out its elements inside itself.
    void cardsFitTheConversation() {
        ui::ConversationView *view = m_window->conversationView();
        const int width = view->viewport()->width();
        for (int row = 0; row < view->messageCount(); ++row) {
            const QRect message = view->messageRect(row);
            const auto elements = view->messageElements(row);
            QVERIFY(!elements.isEmpty());
            for (const auto &e : elements) {
                QVERIFY2(e.rect.left() >= 0 && e.rect.right() < width,
                         qPrintable(QStringLiteral("'%1' at x %2..%3, view %4 wide")
                                        .arg(e.text)
                                        .arg(e.rect.left())
                                        .arg(e.rect.right())
                                        .arg(width)));
                QVERIFY2(e.rect.top() >= message.top() && e.rect.bottom() <= message.bottom(),
                         qPrintable(e.text));
            }
        }
    }

    // View → Side panels and View → Thread list, in every order: the window
    // stays on the screen and unclipped; on a narrow screen showing one pane
    // hides the other (and says so), on a wide one both stay.
    void panesNeverPushPastTheScreen() {
        QAction *panels = actionByText(m_window.get(), QStringLiteral("Side &panels"));
        QAction *list = actionByText(m_window.get(), QStringLiteral("Thread &list"));
        QVERIFY(panels && list);
        QVERIFY(!panels->shortcut().isEmpty() && !list->shortcut().isEmpty());
        QWidget *threadPane = nullptr;
        for (QListView *v : m_window->findChildren<QListView *>())
            if (v->accessibleName() == u"Threads")
                threadPane = v->parentWidget();
        QVERIFY(threadPane);
        auto check = [&](const char *step) {
            QTest::qWait(20);
            QCOMPARE(sidePanels()->isVisible(), panels->isChecked());
            QCOMPARE(threadPane->isVisible(), list->isChecked());
            const QString why = overflow();
            QVERIFY2(why.isEmpty(), qPrintable(QString::fromLatin1(step) + u' ' + why));
            const QStringList problems = layoutProblems(m_window.get());
            QVERIFY2(problems.isEmpty(),
                     qPrintable(QString::fromLatin1(step) + u' ' + problems.join(u'\n')));
        };
        if (!panels->isChecked())
            panels->trigger(); // narrow: shows the panels, hides the list
        QCOMPARE(list->isChecked(), !narrow());
        if (narrow())
            QVERIFY(m_window->statusBar()->currentMessage().contains(u"Thread list"));
        check("panels on");
        if (QTest::currentTestFailed())
            return;
        list->trigger(); // narrow: the list comes back, the panels go
        if (!list->isChecked())
            list->trigger(); // wide: the first trigger hid it
        QCOMPARE(panels->isChecked(), !narrow());
        check("list on");
        if (QTest::currentTestFailed())
            return;
        list->trigger();
        QVERIFY(!list->isChecked());
        check("list off");
        if (QTest::currentTestFailed())
            return;
        panels->setChecked(true);
        panels->trigger(); // off
        check("both off");
        if (QTest::currentTestFailed())
            return;
        // Restore what the window started with.
        list->trigger();
        if (!narrow())
            panels->trigger();
        check("restored");
        if (QTest::currentTestFailed())
            return;
    }

    // The window's own alert (no tray, no notification server) fits every
    // screen, and Open goes to the thread it is about.
    void alertBannerFits() {
        auto *banner = m_window->findChild<ui::AlertBanner *>();
        QVERIFY(banner);
        m_window->showAlert(QStringLiteral("Ben Okafor is waiting for an agent"),
                            QStringLiteral("I need to talk to a person about my booking"),
                            QStringLiteral("u2"));
        QVERIFY(banner->isVisible());
        QTest::qWait(50);
        const QString dir = QStringLiteral(TRACT_WINDOW_SHOT_DIR);
        QVERIFY(m_window->grab().save(dir + QStringLiteral("/window-alert-") + screenName() +
                                      QStringLiteral(".png")));
        const QString why = overflow();
        QVERIFY2(why.isEmpty(), qPrintable(why));
        const QStringList problems = layoutProblems(m_window.get());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QPushButton *open = nullptr;
        for (QPushButton *b : banner->findChildren<QPushButton *>())
            if (b->accessibleName() == u"Open the thread")
                open = b;
        QVERIFY(open);
        open->click();
        QCOMPARE(m_window->currentUserId(), QStringLiteral("u2"));
        QVERIFY(!banner->isVisible());
        m_window->openThread(QStringLiteral("u1"), QStringLiteral("1"));
    }

    // View → Side panels hides them, and the conversation takes the room.
    void sidePanelsCollapse() {
        QAction *toggle = actionByText(m_window.get(), QStringLiteral("Side &panels"));
        QVERIFY(toggle);
        QVERIFY(toggle->isCheckable());
        if (!toggle->isChecked())
            toggle->trigger();
        QWidget *panels = sidePanels();
        QTRY_VERIFY(panels->isVisible());
        QTest::qWait(50);
        const int before = m_window->conversationView()->width();
        toggle->trigger();
        QTRY_VERIFY(!panels->isVisible());
        QTest::qWait(50);
        QVERIFY2(
            m_window->conversationView()->width() >= before,
            qPrintable(
                QStringLiteral("%1 -> %2").arg(before).arg(m_window->conversationView()->width())));
        toggle->trigger();
        QTRY_VERIFY(panels->isVisible());
    }

private:
    // Narrower than the minimum widths of the thread list, the conversation
    // and the side panels together (about 900 px): 1280×720 at 1.5 and 2.
    static bool narrow() {
        return QGuiApplication::primaryScreen()->availableGeometry().width() < 900;
    }

    QWidget *sidePanels() const {
        QWidget *panels = m_window->controlPanel()->parentWidget();
        while (panels && !qobject_cast<QSplitter *>(panels->parentWidget()))
            panels = panels->parentWidget();
        return panels;
    }

    // Why the window, or its minimum size, does not fit the screen.
    QString overflow() const {
        const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
        // Its size only: where it goes, and its decorations, are the window
        // manager's (the offscreen platform offsets it by a frame).
        if (m_window->width() > available.width() || m_window->height() > available.height())
            return QStringLiteral("window %1x%2 on a %3x%4 screen")
                .arg(m_window->width())
                .arg(m_window->height())
                .arg(available.width())
                .arg(available.height());
        const QSize minimum = m_window->minimumSizeHint().expandedTo(m_window->minimumSize());
        if (minimum.width() > available.width() || minimum.height() > available.height())
            return QStringLiteral("minimum %1x%2 on a %3x%4 screen")
                .arg(minimum.width())
                .arg(minimum.height())
                .arg(available.width())
                .arg(available.height());
        return {};
    }
};

QTEST_MAIN(TestWindowScreens)
#include "tst_window_screens.moc"
