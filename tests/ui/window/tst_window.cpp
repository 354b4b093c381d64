// The agent window end to end: the real window over the real console core,
// against a real tract-sandbox process. Everything is done through the widgets
// an agent uses (clicks on the real buttons, typing in the composer, the
// window's shortcuts and menus) and checked where the agent would look (the
// thread list, the conversation, the panels) and where TRACT would (the
// sandbox's state).

#include "NotificationServer.h"
#include "WindowFixture.h"
#include "app/ConsoleCore.h"
#include "models/store/Store.h"
#include "models/views/ConversationModel.h"
#include "models/views/EventFeedModel.h"
#include "models/views/ThreadListModel.h"
#include "models/views/ThreadState.h"
#include "ui/Composer.h"
#include "ui/ConversationView.h"
#include "ui/MainWindow.h"
#include "ui/RichReplyDialog.h"
#include "ui/panels/AlertBanner.h"
#include "ui/panels/EventFeedPanel.h"
#include "ui/panels/ThreadControlPanel.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHash>
#include <QJsonDocument>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace windowtest;
using tract::views::ThreadListModel;
using tract::views::ThreadState;

namespace {

constexpr int kTimeout = 15000;

QLabel *outcomeLabel(ui::ThreadControlPanel *panel) {
    const auto labels = panel->findChildren<QLabel *>();
    for (QLabel *l : labels) {
        if (l->accessibleName() == QLatin1String("Thread control outcome"))
            return l;
    }
    return nullptr;
}

QMenu *passMenu(ui::ThreadControlPanel *panel) {
    const auto menus = panel->findChildren<QMenu *>();
    for (QMenu *m : menus) {
        if (m->accessibleName() == QLatin1String("Pass to listener"))
            return m;
    }
    return nullptr;
}

QAction *actionTo(QMenu *menu, const QString &receiver) {
    const auto actions = menu->actions();
    for (QAction *a : actions) {
        if (a->text() == receiver || a->text().endsWith(u'(' + receiver + u')'))
            return a;
    }
    return nullptr;
}

QAction *menuAction(QWidget *window, const QString &text) {
    const auto actions = window->findChildren<QAction *>();
    for (QAction *a : actions) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

QPushButton *buttonWithText(QWidget *root, const QString &prefix) {
    const auto buttons = root->findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text().startsWith(prefix))
            return b;
    }
    return nullptr;
}

int count(const QStringList &list, const QString &value) {
    return int(list.count(value));
}

} // namespace

class WindowTest : public QObject {
    Q_OBJECT

    // One agent's session, shared by the flow cases that follow each other:
    // a user appears, the agent takes the thread, replies, passes it back and
    // requests it again.
    std::unique_ptr<Fixture> m_flow;
    const QString m_user = u"asha-1"_s;

    ui::MainWindow *window() const { return m_flow->window(); }

    // Clicks the user's row in the thread list and waits until it is open.
    static void openThread(Fixture &f, const QString &userId) {
        QListView *list = f.threadList();
        QVERIFY(list);
        QTRY_VERIFY_WITH_TIMEOUT(f.threadIndex(userId).isValid(), kTimeout);
        const QModelIndex index = f.threadIndex(userId);
        list->scrollTo(index);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
        QTRY_COMPARE_WITH_TIMEOUT(f.window()->currentUserId(), userId, kTimeout);
    }

    // Types `text` into the composer and presses Enter.
    static void typeReply(Fixture &f, const QString &text) {
        ui::ComposerEdit *editor = f.window()->composer()->editor();
        editor->setFocus();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
    }

private slots:
    void initTestCase() {
        QVERIFY2(!SandboxProcess::binary().isEmpty(), "TRACT_SANDBOX_BIN is not set");
        // The theme is a setting: keep the agent's own settings out of it.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"tract-console-test"_s);
        QCoreApplication::setApplicationName(u"test_window"_s);
        QSettings().clear();
        m_flow = std::make_unique<Fixture>();
        QString error;
        QVERIFY2(m_flow->start(fastSandboxArgs(), &error), qPrintable(error));
    }

    void cleanupTestCase() {
        m_flow.reset();
        QSettings().clear();
    }

    // (a) A user appears through TRACT's control API; the thread shows up with
    // the bot owning it, and the agent opens it from the list.
    void userAppearsAsBotThread() {
        QVERIFY(m_flow->userWrites(m_user, u"Asha Rao"_s, u"hello there"_s));
        QTRY_VERIFY_WITH_TIMEOUT(m_flow->threadIndex(m_user).isValid(), kTimeout);
        QCOMPARE(m_flow->threadIndex(m_user).data(ThreadListModel::UserNameRole).toString(),
                 u"Asha Rao"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->threadState(m_user), int(ThreadState::Bot), kTimeout);
        openThread(*m_flow, m_user);
        // The conversation shows the user's message and the bot's answer.
        QTRY_VERIFY2_WITH_TIMEOUT(m_flow->conversation()->rowCount() >= 2,
                                  qPrintable(m_flow->conversationDiagnosis()), kTimeout);
        QCOMPARE(m_flow->conversation()->messageAt(0).sender, u"ceu"_s);
        // Not ours yet: the composer says so and cannot be typed into.
        QVERIFY(window()->composer()->editor()->isReadOnly());
    }

    // (b) Take control with the composer's button.
    void takeControlFromComposer() {
        QPushButton *take = m_flow->button(window()->composer(), u"Take control"_s);
        QVERIFY(take);
        QVERIFY(take->isVisible());
        m_flow->showSideTab(window()->controlPanel());
        QTest::mouseClick(take, Qt::LeftButton);

        QLabel *outcome = outcomeLabel(window()->controlPanel());
        QVERIFY(outcome);
        QTRY_VERIFY_WITH_TIMEOUT(outcome->isVisible(), kTimeout);
        QCOMPARE(outcome->text(), u"You took control."_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->threadState(m_user), int(ThreadState::WithMe), kTimeout);
        QCOMPARE(m_flow->sandboxOwner(m_user), u"demo"_s);
        QTRY_COMPARE_WITH_TIMEOUT(window()->controlPanel()->activeOwner(), u"demo"_s, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(!window()->composer()->editor()->isReadOnly(), kTimeout);
        QVERIFY(!take->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->boardOwner(m_user), u"demo"_s, kTimeout);
    }

    // (c) Type a reply and press Enter: it is on screen at once, then sent,
    // and TRACT has it from the agent.
    void replyWithEnter() {
        const QString text = u"Hi Asha, I am looking into your order now."_s;
        const int before = m_flow->receivedMessages().size();
        typeReply(*m_flow, text);
        QCOMPARE(window()->composer()->editor()->toPlainText(), QString());

        QTRY_VERIFY2_WITH_TIMEOUT(m_flow->lastOutgoingRow() >= 0,
                                  qPrintable(m_flow->conversationDiagnosis()), kTimeout);
        const int row = m_flow->lastOutgoingRow();
        QCOMPARE(m_flow->conversation()->messageAt(row).sender, u"aeu"_s);
        QCOMPARE(m_flow->conversation()->messageAt(row).body.value(u"text"_s).toString(), text);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->conversation()->messageAt(row).outboxState,
                                  int(tract::store::OutboxState::Sent), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(window()->conversationView()->deliveryText(row), u"✓ Sent"_s,
                                  kTimeout);

        QTRY_COMPARE_WITH_TIMEOUT(m_flow->receivedMessages().size(), before + 1, kTimeout);
        const QJsonObject received = m_flow->lastReceivedMessage();
        QCOMPARE(received.value(u"user_id"_s).toString(), m_user);
        QCOMPARE(received.value(u"sender"_s).toString(), u"aeu"_s);
        QVERIFY2(received.value(u"message_body"_s).isString(),
                 "TRACT takes the HSL as a serialized string");
        const QJsonObject body = bodyOf(received);
        QCOMPARE(body.value(u"type"_s).toString(), u"TEXT"_s);
        QCOMPARE(body.value(u"text"_s).toString(), text);
    }

    // (d) A reply with quick replies, built in the rich reply dialog.
    void richReplyWithQuickReplies() {
        const QString text = u"Would you like a refund?"_s;
        const int before = m_flow->receivedMessages().size();
        QTest::keyClicks(window()->composer()->editor(), text);
        QPushButton *rich = buttonWithText(window()->composer(), u"Quick replies"_s);
        QVERIFY(rich);
        QVERIFY(rich->isEnabled());

        // The dialog is modal: drive it from inside its event loop.
        bool sawDialog = false;
        QString dialogError;
        QTimer driver;
        driver.setInterval(50);
        connect(&driver, &QTimer::timeout, this, [&] {
            auto *dialog = qobject_cast<ui::RichReplyDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            driver.stop();
            sawDialog = true;
            auto *box = dialog->findChild<QDialogButtonBox *>();
            QPushButton *send = box ? box->button(QDialogButtonBox::Ok) : nullptr;
            if (!send || !send->isEnabled()) {
                dialogError = u"no enabled Send button"_s;
                dialog->reject();
                return;
            }
            QTest::mouseClick(send, Qt::LeftButton);
        });
        driver.start();
        QTest::mouseClick(rich, Qt::LeftButton); // returns when the dialog closed
        driver.stop();
        QVERIFY(sawDialog);
        QVERIFY2(dialogError.isEmpty(), qPrintable(dialogError));

        QTRY_COMPARE_WITH_TIMEOUT(m_flow->receivedMessages().size(), before + 1, kTimeout);
        const QJsonObject received = m_flow->lastReceivedMessage();
        QCOMPARE(received.value(u"sender"_s).toString(), u"aeu"_s);
        const QJsonObject body = bodyOf(received);
        QCOMPARE(body.value(u"type"_s).toString(), u"TEXT"_s);
        QCOMPARE(body.value(u"text"_s).toString(), text);
        const QJsonArray replies =
            body.value(u"data"_s).toObject().value(u"quick_replies"_s).toArray();
        QStringList labels;
        for (const QJsonValue &v : replies)
            labels << v.toObject().value(u"actionable_text"_s).toString();
        QCOMPARE(labels, (QStringList{u"Yes"_s, u"No, thanks"_s}));

        // The agent sees it as sent, quick replies included.
        // (An earlier case's failure can leave no outgoing row: fail, never crash.)
        const auto lastOutgoingText = [this] {
            const int row = m_flow->lastOutgoingRow();
            return row < 0
                       ? QString()
                       : m_flow->conversation()->messageAt(row).body.value(u"text"_s).toString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(lastOutgoingText(), text, kTimeout);
        const int row = m_flow->lastOutgoingRow();
        QVERIFY(row >= 0);
        QCOMPARE(m_flow->conversation()
                     ->messageAt(row)
                     .body.value(u"data"_s)
                     .toObject()
                     .value(u"quick_replies"_s)
                     .toArray()
                     .size(),
                 2);
        QTRY_COMPARE_WITH_TIMEOUT(window()->conversationView()->deliveryText(row), u"✓ Sent"_s,
                                  kTimeout);
    }

    // (e) Pass back to the bot from the panel's "Pass to…" menu.
    void passBackToBot() {
        m_flow->showSideTab(window()->controlPanel());
        QMenu *menu = passMenu(window()->controlPanel());
        QVERIFY(menu);
        QTRY_VERIFY_WITH_TIMEOUT(actionTo(menu, u"iva"_s), kTimeout);
        actionTo(menu, u"iva"_s)->trigger();

        QLabel *outcome = outcomeLabel(window()->controlPanel());
        QTRY_COMPARE_WITH_TIMEOUT(outcome->text(), u"Control passed."_s, kTimeout);
        QVERIFY(outcome->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->sandboxOwner(m_user), u"iva"_s, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->threadState(m_user), int(ThreadState::Complete),
                                  kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->threadOwner(m_user), u"iva"_s, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->boardOwner(m_user), u"iva"_s, kTimeout);
        // Ours no more: the composer is closed again.
        QTRY_VERIFY_WITH_TIMEOUT(window()->composer()->editor()->isReadOnly(), kTimeout);
    }

    // (f) Request control (default rules): the bot grants it after a moment.
    void requestControl() {
        m_flow->showSideTab(window()->controlPanel());
        QPushButton *request = m_flow->button(window()->controlPanel(), u"Request control"_s);
        QVERIFY(request);
        QTRY_VERIFY_WITH_TIMEOUT(request->isEnabled(), kTimeout);
        QTest::mouseClick(request, Qt::LeftButton);

        QLabel *outcome = outcomeLabel(window()->controlPanel());
        QTRY_COMPARE_WITH_TIMEOUT(outcome->text(), u"Control requested; the owner will answer."_s,
                                  kTimeout);
        // Granted after --grant-delay, not at once.
        QCOMPARE(m_flow->sandboxOwner(m_user), u"iva"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->sandboxOwner(m_user), u"demo"_s, kTimeout);
        // The grant arrives as a thread_control/request hook from iva to demo,
        // which moves the thread without asking TRACT again.
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->threadOwner(m_user), u"demo"_s, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_flow->boardOwner(m_user), u"demo"_s, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(!window()->composer()->editor()->isReadOnly(), kTimeout);
    }

    // (g) The event feed has a thread_control entry for every change, each with
    // the hook's raw JSON; the ownership snapshots are there too.
    void eventFeedShowsEachChange() {
        QTRY_VERIFY_WITH_TIMEOUT(m_flow->feedKinds().contains(u"thread_control/request"_s),
                                 kTimeout);
        const QStringList kinds = m_flow->feedKinds();
        QVERIFY2(count(kinds, u"thread_control/take"_s) >= 1, qPrintable(kinds.join(u", ")));
        QVERIFY2(count(kinds, u"thread_control/pass"_s) >= 1, qPrintable(kinds.join(u", ")));
        QVERIFY2(count(kinds, u"thread_control/listeners"_s) >= 1, qPrintable(kinds.join(u", ")));
        QVERIFY2(kinds.contains(u"conversation_state/complete"_s), qPrintable(kinds.join(u", ")));
        // The messages both ways are in the feed as well.
        QVERIFY2(count(kinds, u"message/aeu"_s) >= 2, qPrintable(kinds.join(u", ")));

        const struct {
            QString kind, from, to;
        } changes[] = {{u"take"_s, u"iva"_s, u"demo"_s},
                       {u"pass"_s, u"demo"_s, u"iva"_s},
                       {u"request"_s, u"iva"_s, u"demo"_s}};
        for (const auto &c : changes) {
            const QString raw = m_flow->feedRawJson(u"thread_control"_s, c.kind);
            QVERIFY2(!raw.isEmpty(), qPrintable(c.kind));
            QJsonParseError error;
            const QJsonObject hook = QJsonDocument::fromJson(raw.toUtf8(), &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(raw));
            QCOMPARE(hook.value(u"user_id"_s).toString(), m_user);
            QVERIFY2(raw.contains(c.from) && raw.contains(c.to), qPrintable(raw));
        }

        // The panel shows the selected entry's raw JSON.
        auto *panel = window()->eventPanel();
        m_flow->showSideTab(panel);
        panel->setRawJsonVisible(true);
        const QAbstractItemModel *model = panel->view()->model();
        panel->view()->selectRow(model->rowCount() - 1);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->rawJsonText().isEmpty(), kTimeout);
        const QModelIndex newest = model->index(model->rowCount() - 1, 0);
        QCOMPARE(newest.data(tract::views::EventFeedModel::CategoryRole).toString(),
                 u"thread_control"_s);
        const QJsonObject shown = QJsonDocument::fromJson(panel->rawJsonText().toUtf8()).object();
        QVERIFY2(!shown.isEmpty(), qPrintable(panel->rawJsonText()));
        QCOMPARE(shown, QJsonDocument::fromJson(
                            newest.data(ui::EventFeedPanel::RawJsonRole).toString().toUtf8())
                            .object());
    }

    // (h) Under Haptik's rules an ECT may not take control: the refusal is
    // shown where the agent clicked, and the composer stays closed.
    void strictTakeIsRefused() {
        Fixture f;
        QString error;
        QVERIFY2(f.start(fastSandboxArgs() << u"--strict-thread-control"_s, &error),
                 qPrintable(error));
        const QString user = u"strict-1"_s;
        QVERIFY(f.userWrites(user, u"Ben Okafor"_s, u"hello"_s));
        openThread(f, user);
        QTRY_COMPARE_WITH_TIMEOUT(f.threadState(user), int(ThreadState::Bot), kTimeout);
        f.showSideTab(f.window()->controlPanel());

        // Ctrl+T, the window's shortcut for Take control.
        f.window()->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(f.window()));
        QTest::keySequence(f.window(), QKeySequence(u"Ctrl+T"_s));
        QLabel *outcome = outcomeLabel(f.window()->controlPanel());
        QVERIFY(outcome);
        QTRY_VERIFY_WITH_TIMEOUT(outcome->isVisible(), kTimeout);
        QVERIFY2(outcome->text().contains(u"take_not_allowed"_s), qPrintable(outcome->text()));
        QVERIFY2(outcome->text().contains(u"only primary receivers"_s),
                 qPrintable(outcome->text()));
        QCOMPARE(f.sandboxOwner(user), u"iva"_s);
        // The refusal is in the event feed as well.
        QTRY_VERIFY_WITH_TIMEOUT(
            f.feedRawJson(u"thread_control"_s, u"thread_control"_s).contains(u"take_not_allowed"_s),
            kTimeout);

        // Sending is impossible: the editor is read-only and Enter sends nothing.
        QSignalSpy sends(f.window(), &ui::MainWindow::sendRequested);
        ui::ComposerEdit *editor = f.window()->composer()->editor();
        QVERIFY(editor->isReadOnly());
        typeReply(f, u"let me help"_s);
        QCOMPARE(editor->toPlainText(), QString());
        QCOMPARE(sends.count(), 0);
        QVERIFY(f.core()->store()->outboxItems().isEmpty());
        QTest::qWait(300); // nothing is on its way either
        QVERIFY(f.receivedMessages().isEmpty());
    }

    // (h) Replies written while TRACT is down wait as "Sending…"; when it is
    // back one goes out, and the other, refused because SAC took the user in
    // the meantime, says why and offers Retry and Cancel.
    void repliesAcrossAnOutage() {
        Fixture f;
        QString error;
        QVERIFY2(f.start(fastSandboxArgs(), &error), qPrintable(error));
        const QString ok = u"outage-ok"_s, refused = u"outage-403"_s;
        for (const QString &user : {ok, refused}) {
            QVERIFY(f.userWrites(user, user, u"hello"_s));
            QVERIFY(f.setSandboxOwner(user, u"demo"_s));
            QTRY_COMPARE_WITH_TIMEOUT(f.threadState(user), int(ThreadState::WithMe), kTimeout);
        }

        f.stopSandbox();
        ui::ConversationView *view = f.window()->conversationView();
        const QString okText = u"Sorry for the wait, here is your tracking link."_s;
        const QString refusedText = u"I can refund that for you."_s;
        openThread(f, ok);
        QTRY_VERIFY_WITH_TIMEOUT(!f.window()->composer()->editor()->isReadOnly(), kTimeout);
        typeReply(f, okText);
        QTRY_VERIFY_WITH_TIMEOUT(f.lastOutgoingRow() >= 0, kTimeout);
        QCOMPARE(view->deliveryText(f.lastOutgoingRow()), u"Sending…"_s);

        openThread(f, refused);
        QTRY_VERIFY_WITH_TIMEOUT(!f.window()->composer()->editor()->isReadOnly(), kTimeout);
        typeReply(f, refusedText);
        QTRY_VERIFY_WITH_TIMEOUT(f.lastOutgoingRow() >= 0, kTimeout);
        const int refusedRow = f.lastOutgoingRow();
        QCOMPARE(view->deliveryText(refusedRow), u"Sending…"_s);
        QTest::qWait(1500); // TRACT stays down a while: still waiting
        QCOMPARE(view->deliveryText(refusedRow), u"Sending…"_s);

        // TRACT is back, and SAC owns the second user now.
        QVERIFY2(f.restartSandbox(&error), qPrintable(error));
        QVERIFY(f.createUser(ok, ok));
        QVERIFY(f.setSandboxOwner(ok, u"demo"_s));
        QVERIFY(f.createUser(refused, refused));
        QVERIFY(f.setSandboxOwner(refused, u"sac"_s));

        // The refused reply says why and offers Retry and Cancel.
        QTRY_VERIFY_WITH_TIMEOUT(view->deliveryText(refusedRow).startsWith(u"⚠ Not delivered"_s),
                                 60000);
        const QString reason = view->deliveryText(refusedRow);
        QVERIFY2(reason.contains(u"403"_s) || reason.contains(u"owned by 'sac'"_s),
                 qPrintable(reason));
        QVERIFY2(reason.contains(u"sac"_s), qPrintable(reason));
        view->scrollToBottom();
        const QRect retry = view->retryLinkRect(refusedRow);
        const QRect cancel = view->cancelLinkRect(refusedRow);
        QVERIFY(!retry.isEmpty());
        QVERIFY(!cancel.isEmpty());
        QVERIFY(view->viewport()->rect().contains(cancel));

        // The first went out once it could, from the agent.
        QTRY_VERIFY_WITH_TIMEOUT(!f.receivedMessages().isEmpty(), 60000);
        const QJsonArray received = f.receivedMessages();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.first().toObject().value(u"user_id"_s).toString(), ok);
        QCOMPARE(received.first().toObject().value(u"sender"_s).toString(), u"aeu"_s);
        QCOMPARE(bodyOf(received.first().toObject()).value(u"text"_s).toString(), okText);

        // The agent gives up on the refused one.
        const qint64 outboxId = *f.conversation()->messageAt(refusedRow).outboxId;
        QCOMPARE(f.core()->store()->outboxItem(outboxId)->state, tract::store::OutboxState::Failed);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cancel.center());
        QTRY_COMPARE_WITH_TIMEOUT(f.core()->store()->outboxItem(outboxId)->state,
                                  tract::store::OutboxState::Cancelled, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(view->deliveryText(refusedRow), u"Cancelled"_s, kTimeout);
        QVERIFY(view->retryLinkRect(refusedRow).isEmpty());

        // And the first one shows as sent in its own thread.
        openThread(f, ok);
        QTRY_VERIFY_WITH_TIMEOUT(f.lastOutgoingRow() >= 0, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(view->deliveryText(f.lastOutgoingRow()), u"✓ Sent"_s, kTimeout);
    }

    // View → Theme: dark repaints the whole application and is remembered.
    void themeMenu() {
        const QColor lightWindow = QApplication::palette().color(QPalette::Window);
        QAction *dark = menuAction(window(), u"&Dark"_s);
        QAction *system = menuAction(window(), u"&System"_s);
        QVERIFY(dark);
        QVERIFY(system);
        QVERIFY(system->isChecked());
        dark->trigger();
        QVERIFY(dark->isChecked());
        QCOMPARE(window()->theme(), ui::MainWindow::Theme::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QTRY_VERIFY(window()->conversationView()->palette().color(QPalette::Base).lightness() < 80);
        QCOMPARE(QSettings().value(u"ui/theme"_s).toString(), u"dark"_s);

        system->trigger();
        QCOMPARE(QApplication::palette().color(QPalette::Window), lightWindow);
        QCOMPARE(QSettings().value(u"ui/theme"_s).toString(), u"system"_s);
    }

    // Everything an agent does daily has a shortcut on its menu, F1 lists it,
    // and no two actions share one.
    void dailyActionsHaveShortcuts() {
        const QList<ui::ShortcutsDialog::Entry> entries = window()->shortcutEntries();
        QHash<QString, QString> keysOf;
        QStringList clashes;
        for (const auto &e : entries) {
            if (keysOf.contains(e.action) ||
                std::any_of(keysOf.cbegin(), keysOf.cend(),
                            [&](const QString &k) { return k == e.keys; }))
                clashes << e.keys + u" "_s + e.action;
            keysOf.insert(e.action, e.keys);
        }
        QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u", "_s)));
        const QStringList daily{
            u"Jump to thread"_s,  u"Previous thread"_s,    u"Next thread"_s,
            u"Take control"_s,    u"Pass control to"_s,    u"Request control"_s,
            u"Settings"_s,        u"Keyboard shortcuts"_s, u"Conversations"_s,
            u"Ownership board"_s, u"Send the message"_s,   u"Canned responses"_s};
        for (const QString &action : daily)
            QVERIFY2(!keysOf.value(action).isEmpty(), qPrintable(action + u" has no shortcut"_s));
    }

    // No tray here (offscreen), as on GNOME without the tray extension or
    // plain X. A handoff from the sandbox's bot reaches the agent anyway: as a
    // desktop notification while a notification server is on the bus (a
    // click opens the thread), in the window once there is none.
    void handoffReachesTheAgentWithoutATray() {
        auto server = std::make_unique<testsupport::NotificationServer>(
            QStringList{u"body"_s, u"body-markup"_s, u"actions"_s});
        QString error;
        QVERIFY2(server->start(&error), qPrintable(error));
        QTest::qWait(200); // the console sees the server arrive
        QVERIFY(m_flow->userWrites(u"ben-2"_s, u"Ben Okafor"_s, u"I want to talk to an agent"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!server->received().isEmpty(), kTimeout);
        const auto n = server->received().constLast();
        QCOMPARE(n.summary, u"Ben Okafor is waiting for an agent"_s);
        QVERIFY(!n.body.isEmpty());
        auto *banner = window()->findChild<ui::AlertBanner *>();
        QVERIFY(banner);
        QVERIFY(!banner->isVisible()); // the desktop showed it
        server->click(n.id);
        QTRY_COMPARE_WITH_TIMEOUT(window()->currentUserId(), u"ben-2"_s, kTimeout);

        server.reset(); // the notification server goes away
        QTest::qWait(200);
        QVERIFY(m_flow->userWrites(u"cara-3"_s, u"Cara <i>Diaz</i>"_s, u"agent please"_s));
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), kTimeout);
        QCOMPARE(banner->title(), u"Cara <i>Diaz</i> is waiting for an agent"_s);
        for (const QLabel *l : banner->findChildren<QLabel *>())
            QCOMPARE(l->textFormat(), Qt::PlainText);
        QPushButton *open = m_flow->button(banner, u"Open the thread"_s);
        QVERIFY(open && open->isVisible());
        open->click();
        QTRY_COMPARE_WITH_TIMEOUT(window()->currentUserId(), u"cara-3"_s, kTimeout);
        QVERIFY(!banner->isVisible());
    }

    // The tray's menu offers nothing the window's menus lack: there may be no tray.
    void trayActionsAreInTheWindowMenus() {
        QList<QAction *> inMenus;
        QList<QMenu *> menus;
        for (QAction *a : window()->menuBar()->actions())
            if (a->menu())
                menus << a->menu();
        while (!menus.isEmpty()) {
            for (QAction *a : menus.takeFirst()->actions()) {
                inMenus << a;
                if (a->menu())
                    menus << a->menu();
            }
        }
        const QList<QAction *> tray = window()->trayActions();
        QVERIFY(tray.size() >= 2);
        for (QAction *a : tray)
            QVERIFY2(a && inMenus.contains(a), qPrintable(a ? a->text() : u"null"_s));
    }
};

QTEST_MAIN(WindowTest)
#include "tst_window.moc"
