// The window's team mode without the network: the real MainWindow over real
// view models on a real store in a temporary directory, and a TeamState the
// test plays the hub for. What app/ would call (setTeamMode, teamChanged,
// setComposerRefusal, setHubStatus) is called here; what the window asks for
// (assign, presence, complete) is caught from its signals.

#include "models/store/Store.h"
#include "models/team/TeamTypes.h"
#include "models/views/ConversationModel.h"
#include "models/views/EventFeedModel.h"
#include "models/views/TeamModel.h"
#include "models/views/ThreadListModel.h"
#include "ui/Composer.h"
#include "ui/MainWindow.h"
#include "ui/panels/ElidedLabel.h"
#include "ui/panels/OwnershipBoard.h"
#include "ui/panels/TeamBoard.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace tract::store;
using tract::team::AssignmentState;
using tract::team::Presence;
using tract::team::Role;
using tract::team::TeamState;
using tract::views::ThreadListModel;

namespace {

const QString kReceiver = QStringLiteral("ect-team");

template <typename T> T *byName(const QWidget *root, const QString &accessibleName) {
    const auto all = root->findChildren<T *>();
    for (T *w : all) {
        if (w->accessibleName() == accessibleName)
            return w;
    }
    return nullptr;
}

QAction *actionByText(const QWidget *window, const QString &text) {
    const auto menus = window->findChildren<QMenu *>();
    for (const QMenu *m : menus) {
        const auto actions = m->actions();
        for (QAction *a : actions) {
            if (a->text() == text)
                return a;
        }
    }
    return nullptr;
}

// A day at a small support desk: eight end users, four of the team.
class Desk {
public:
    Desk()
        : m_store(std::make_unique<Store>())
        , m_now(QDateTime::currentDateTimeUtc()) {
        m_ok = m_dir.isValid() && m_store->open(m_dir.filePath(QStringLiteral("window.db")));
        if (!m_ok)
            return;
        struct Person {
            const char *id, *name, *platform, *text;
            int wroteAgo;      // seconds
            const char *agent; // nullptr: with the bot; "": queued
            bool answered;
        };
        const Person people[] = {
            {"u1", "Asha Rao", "14", "My order hasn't arrived yet", 200, "Priya", false},
            {"u2", "Ben Okafor", "5", "I need to talk to a person", 250, "", false},
            {"u3", "Chen Wei", "3", "Refund for order 1182, please", 45, "Ravi", false},
            {"u4", "Dana Petrova", "14", "Can I change the delivery address?", 600, "Priya", true},
            {"u6", "Farah Khan", "14", "What are your opening hours?", 1500, nullptr, false},
            {"u7", "Gita Iyer", "6", "The app keeps logging me out", 70, "", false},
            {"u8", "Hiro Tanaka", "3", "My card was charged twice", 380, "Meera", false},
        };
        int id = 1;
        for (const Person &p : people) {
            const QString user = QString::fromLatin1(p.id);
            User u;
            u.userId = user;
            u.name = QString::fromUtf8(p.name);
            u.devicePlatform = QString::fromLatin1(p.platform);
            write(u);
            const QDateTime wrote = m_now.addSecs(-p.wroteAgo);
            write(message(user, QString::fromUtf8(p.text), QStringLiteral("ceu"), id++, wrote));
            if (!p.agent)
                continue;
            write(handOff(user, wrote.addSecs(5)));
            if (p.answered) {
                IncomingMessage reply = message(user, QStringLiteral("Yes, what is the new one?"),
                                                QStringLiteral("aeu"), id++, wrote.addSecs(60));
                reply.direction = Direction::Out;
                write(reply);
            }
            tract::team::Assignment a;
            a.userId = user;
            a.conversationNumber = QStringLiteral("1");
            a.agent = QString::fromLatin1(p.agent);
            a.state = a.agent.isEmpty() ? AssignmentState::Queued : AssignmentState::Assigned;
            a.waitingSince = wrote.addSecs(5);
            team.assignments.insert(user, a);
        }
        write(message(QStringLiteral("u5"), QStringLiteral("Thanks, bye"), QStringLiteral("ceu"),
                      id++, m_now.addSecs(-3000)));
        IncomingEvent done = event(QStringLiteral("u5"), QStringLiteral("conversation_state"),
                                   QStringLiteral("complete"), std::nullopt, m_now.addSecs(-2990));
        write(done);

        const auto agent = [this](const char *name, Role role, int capacity, Presence presence) {
            tract::team::Agent a;
            a.name = QString::fromLatin1(name);
            a.role = role;
            a.capacity = capacity;
            a.presence = presence;
            team.agents.insert(a.name, a);
        };
        agent("Meera", Role::Agent, 3, Presence::Offline);
        agent("Priya", Role::Agent, 3, Presence::Online);
        agent("Ravi", Role::Agent, 2, Presence::Away);
        agent("Sam", Role::Supervisor, 3, Presence::Online);
        team.me = QStringLiteral("Sam");
        team.myRole = Role::Supervisor;

        threads = std::make_unique<ThreadListModel>(m_store.get(), kReceiver);
        conversation = std::make_unique<tract::views::ConversationModel>(m_store.get());
        events = std::make_unique<tract::views::EventFeedModel>(m_store.get());
        window = std::make_unique<ui::MainWindow>(
            ui::MainWindow::Models{threads.get(), conversation.get(), events.get()}, kReceiver);
        // What app/ does on threadOpened, so the conversation shows.
        QObject::connect(window.get(), &ui::MainWindow::threadOpened, window.get(),
                         [this](const QString &user, const QString &conv) {
                             conversation->setThread({user, conv});
                         });
    }
    ~Desk() {
        window.reset();
        threads.reset();
    }

    bool ok() const { return m_ok; }
    void becomeAgent(const char *name) {
        team.me = QString::fromLatin1(name);
        team.myRole = Role::Agent;
    }

    // Labels of the filter buttons the agent can see, left to right.
    QStringList filterLabels() const {
        QStringList out;
        const QListView *list = byName<QListView>(window.get(), QStringLiteral("Threads"));
        const auto buttons = list->parentWidget()->findChildren<QToolButton *>();
        QList<QToolButton *> shown;
        for (QToolButton *b : buttons)
            if (b->isCheckable() && !b->isHidden())
                shown << b;
        std::sort(shown.begin(), shown.end(),
                  [](QToolButton *a, QToolButton *b) { return a->x() < b->x(); });
        for (QToolButton *b : shown)
            out << b->text();
        return out;
    }
    QToolButton *filterButton(const QString &accessibleName) const {
        return byName<QToolButton>(window.get(), accessibleName);
    }
    QStringList listedUsers() const {
        const QAbstractItemModel *m =
            byName<QListView>(window.get(), QStringLiteral("Threads"))->model();
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r)
            out << m->index(r, 0).data(ThreadListModel::UserIdRole).toString();
        out.sort();
        return out;
    }
    QStringList tabs() const {
        const auto *pages = window->findChild<QTabWidget *>();
        QStringList out;
        for (int i = 0; i < pages->count(); ++i)
            out << pages->tabText(i);
        return out;
    }

    TeamState team;
    std::unique_ptr<ThreadListModel> threads;
    std::unique_ptr<tract::views::ConversationModel> conversation;
    std::unique_ptr<tract::views::EventFeedModel> events;
    std::unique_ptr<ui::MainWindow> window;

private:
    static IncomingMessage message(const QString &user, const QString &text, const QString &sender,
                                   qint64 id, const QDateTime &at) {
        IncomingMessage m;
        m.thread = {user, QStringLiteral("1")};
        m.messageId = id;
        m.sender = sender;
        m.body = {{QStringLiteral("type"), QStringLiteral("TEXT")}, {QStringLiteral("text"), text}};
        m.receivedAt = at;
        return m;
    }
    static IncomingEvent event(const QString &user, const QString &category,
                               const QString &subcategory, const std::optional<QString> &metadata,
                               const QDateTime &at) {
        IncomingEvent e;
        e.thread = {user, QStringLiteral("1")};
        e.category = category;
        e.subcategory = subcategory;
        e.metadata = metadata;
        e.receivedAt = at;
        QJsonObject raw{{QStringLiteral("user_id"), user},
                        {QStringLiteral("conversation_number"), QStringLiteral("1")},
                        {QStringLiteral("type"), category},
                        {QStringLiteral("subtype"), subcategory}};
        e.rawJson = QJsonDocument(raw).toJson(QJsonDocument::Compact);
        return e;
    }
    // The bot hands the thread to the team's ECT receiver.
    static IncomingEvent handOff(const QString &user, const QDateTime &at) {
        const QJsonObject meta{{QStringLiteral("from"), QStringLiteral("iva")},
                               {QStringLiteral("to"), kReceiver},
                               {QStringLiteral("requester"), kReceiver}};
        return event(user, QStringLiteral("thread_control"), QStringLiteral("take"),
                     QString::fromUtf8(QJsonDocument(meta).toJson(QJsonDocument::Compact)), at);
    }
    void write(const WriteOp &op) { m_ok = m_ok && m_store->write(op).ok; }

    QTemporaryDir m_dir;
    std::unique_ptr<Store> m_store;
    QDateTime m_now;
    bool m_ok = true;
};

bool save(QWidget *w, const QString &name) {
    const QString dir = QStringLiteral(TRACT_WINDOW_SHOT_DIR);
    QDir().mkpath(dir);
    const QPixmap shot = w->grab();
    return !shot.isNull() && shot.save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestWindowTeam : public QObject {
    Q_OBJECT

    std::unique_ptr<Desk> m_desk;

private slots:
    void init() {
        m_desk = std::make_unique<Desk>();
        QVERIFY(m_desk->ok());
        m_desk->window->resize(1320, 820);
        m_desk->window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_desk->window.get()));
    }
    void cleanup() { m_desk.reset(); }

    void singleSeatShowsNoTeam() {
        ui::MainWindow *w = m_desk->window.get();
        QCOMPARE(m_desk->filterLabels(),
                 (QStringList{QStringLiteral("Mine"), QStringLiteral("Waiting"),
                              QStringLiteral("Bot"), QStringLiteral("All"),
                              QStringLiteral("Complete")}));
        QCOMPARE(m_desk->tabs(),
                 (QStringList{QStringLiteral("&Conversations"), QStringLiteral("&Ownership board")}));
        QVERIFY(!byName<QLabel>(w, QStringLiteral("Hub connection"))->isVisible());
        QVERIFY(!byName<QComboBox>(w, QStringLiteral("My presence"))->isVisible());
        QVERIFY(!actionByText(w, QStringLiteral("&Complete conversation"))->isVisible());
        QVERIFY(w->ownershipBoard()->view()->isColumnHidden(ThreadListModel::AssigneeColumn));
        QCOMPARE(w->teamBoard(), nullptr);
        // Hidden menus keep their shortcuts inert.
        QSignalSpy presence(w, &ui::MainWindow::presenceRequested);
        QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(presence.size(), 0);
    }

    void supervisorFiltersAndPage() {
        ui::MainWindow *w = m_desk->window.get();
        w->setTeamMode(&m_desk->team);
        // Sam holds nothing; Ben and Gita wait in the queue.
        QCOMPARE(m_desk->filterLabels(),
                 (QStringList{QStringLiteral("Mine (0)"), QStringLiteral("Queue (2)"),
                              QStringLiteral("All team"), QStringLiteral("Complete")}));
        QTest::mouseClick(m_desk->filterButton(QStringLiteral("Show the team's queue")),
                          Qt::LeftButton);
        QCOMPARE(m_desk->listedUsers(), (QStringList{QStringLiteral("u2"), QStringLiteral("u7")}));
        QTest::mouseClick(m_desk->filterButton(QStringLiteral("Show all the team's threads")),
                          Qt::LeftButton);
        QCOMPARE(m_desk->listedUsers().size(), 8);
        QTest::mouseClick(m_desk->filterButton(QStringLiteral("Show threads assigned to me")),
                          Qt::LeftButton);
        QCOMPARE(m_desk->listedUsers(), QStringList());

        // The hub gives Ben to Sam: counts and the list follow teamChanged().
        m_desk->team.assignments[QStringLiteral("u2")].state = AssignmentState::Assigned;
        m_desk->team.assignments[QStringLiteral("u2")].agent = QStringLiteral("Sam");
        w->teamChanged();
        QCOMPARE(m_desk->filterLabels().mid(0, 2),
                 (QStringList{QStringLiteral("Mine (1)"), QStringLiteral("Queue (1)")}));
        QCOMPARE(m_desk->listedUsers(), QStringList{QStringLiteral("u2")});

        QCOMPARE(m_desk->tabs(),
                 (QStringList{QStringLiteral("&Conversations"), QStringLiteral("&Team")}));
        QVERIFY(w->teamBoard());
        QCOMPARE(w->teamBoard()->view()->model()->rowCount(), 4);
        // The team board sits with the ownership board, which shows the agents.
        QCOMPARE(w->ownershipBoard()->parentWidget(), w->teamBoard()->parentWidget());
        QVERIFY(!w->ownershipBoard()->view()->isColumnHidden(ThreadListModel::AssigneeColumn));
        QVERIFY(w->ownershipBoard()->canAssign());
        QVERIFY(byName<QListView>(w, QStringLiteral("Threads"))->dragEnabled());

        // Both boards' requests come out of the window.
        QSignalSpy assign(w, &ui::MainWindow::assignRequested);
        emit w->teamBoard()->assignRequested(QStringLiteral("u7"), QStringLiteral("Priya"));
        emit w->ownershipBoard()->assignRequested(QStringLiteral("u1"), QString());
        QCOMPARE(assign.size(), 2);
        QCOMPARE(assign.at(0).at(1).toString(), QStringLiteral("Priya"));
        QCOMPARE(assign.at(1).at(0).toString(), QStringLiteral("u1"));

        // Back to single seat: as it was.
        w->setTeamMode(nullptr);
        QCOMPARE(m_desk->filterLabels(),
                 (QStringList{QStringLiteral("Mine"), QStringLiteral("Waiting"),
                              QStringLiteral("Bot"), QStringLiteral("All"),
                              QStringLiteral("Complete")}));
        QCOMPARE(m_desk->tabs(),
                 (QStringList{QStringLiteral("&Conversations"), QStringLiteral("&Ownership board")}));
    }

    void agentHasNoTeamPageNorAssign() {
        m_desk->becomeAgent("Priya");
        ui::MainWindow *w = m_desk->window.get();
        w->setTeamMode(&m_desk->team);
        QCOMPARE(m_desk->filterLabels().mid(0, 2),
                 (QStringList{QStringLiteral("Mine (2)"), QStringLiteral("Queue (2)")}));
        QTest::mouseClick(m_desk->filterButton(QStringLiteral("Show threads assigned to me")),
                          Qt::LeftButton);
        QCOMPARE(m_desk->listedUsers(), (QStringList{QStringLiteral("u1"), QStringLiteral("u4")}));
        QCOMPARE(m_desk->tabs(),
                 (QStringList{QStringLiteral("&Conversations"), QStringLiteral("&Ownership board")}));
        QCOMPARE(w->teamBoard(), nullptr);
        QVERIFY(!w->ownershipBoard()->canAssign());
        QVERIFY(!w->ownershipBoard()->view()->isColumnHidden(ThreadListModel::AssigneeColumn));
        QVERIFY(!byName<QListView>(w, QStringLiteral("Threads"))->dragEnabled());
        QVERIFY(!actionByText(w, QStringLiteral("A&ssign open thread to…"))->isVisible());
    }

    void composerRefusalDisablesWithTheReason() {
        m_desk->becomeAgent("Ravi");
        ui::MainWindow *w = m_desk->window.get();
        w->setTeamMode(&m_desk->team);
        w->openThread(QStringLiteral("u1"), QStringLiteral("1"));
        QCOMPARE(w->currentUserId(), QStringLiteral("u1"));
        ui::Composer *composer = w->composer();
        auto *reason = byName<QLabel>(composer, QStringLiteral("Why you cannot reply"));
        QVERIFY(reason);
        // Opening the thread already says so, from the team's own rule.
        QVERIFY(reason->isVisible());
        QCOMPARE(reason->text(), QStringLiteral("Asha Rao's thread is assigned to Priya."));

        w->setComposerRefusal(QStringLiteral("Asha Rao's thread is assigned to Meera."));
        QVERIFY(reason->isVisible());
        QCOMPARE(reason->text(), QStringLiteral("Asha Rao's thread is assigned to Meera."));
        QVERIFY(!composer->editor()->isEnabled());
        QVERIFY(!byName<QPushButton>(composer, QStringLiteral("Send reply"))->isEnabled());
        QVERIFY(!actionByText(w, QStringLiteral("&Complete conversation"))->isEnabled());
        QSignalSpy send(w, &ui::MainWindow::sendRequested);
        composer->editor()->setFocus();
        QTest::keyClicks(composer->editor(), QStringLiteral("hello"));
        QTest::keyClick(composer->editor(), Qt::Key_Return);
        QCOMPARE(send.size(), 0);
        QCOMPARE(composer->text(), QString());

        // The hub gives the thread to Ravi: the composer works as before.
        w->setComposerRefusal(QString());
        QVERIFY(!reason->isVisible());
        QVERIFY(composer->editor()->isEnabled());
        QVERIFY(byName<QPushButton>(composer, QStringLiteral("Send reply"))->isEnabled());
        QTest::keyClicks(composer->editor(), QStringLiteral("hello"));
        QTest::keyClick(composer->editor(), Qt::Key_Return);
        QCOMPARE(send.size(), 1);
        QCOMPARE(send.at(0).at(0).toString(), QStringLiteral("u1"));
    }

    void refusalFollowsTheOpenThread() {
        m_desk->becomeAgent("Ravi");
        ui::MainWindow *w = m_desk->window.get();
        w->setTeamMode(&m_desk->team);
        auto *reason = byName<QLabel>(w->composer(), QStringLiteral("Why you cannot reply"));
        w->openThread(QStringLiteral("u1"), QStringLiteral("1"));
        QVERIFY(reason->isVisible());
        w->openThread(QStringLiteral("u3"), QStringLiteral("1")); // Ravi's own
        QVERIFY(!reason->isVisible());
        QVERIFY(w->composer()->editor()->isEnabled());
        w->openThread(QStringLiteral("u2"), QStringLiteral("1"));
        QCOMPARE(reason->text(), QStringLiteral("Ben Okafor is waiting in the queue: take the "
                                                "thread first."));
    }

    void presenceAndCompleteAndHub() {
        ui::MainWindow *w = m_desk->window.get();
        w->setTeamMode(&m_desk->team);
        w->setHubStatus(true, QStringLiteral("Hub: Sam (supervisor)"));
        auto *hub = byName<QLabel>(w, QStringLiteral("Hub connection"));
        QVERIFY(hub->isVisible());
        QVERIFY(hub->text().endsWith(QStringLiteral("Hub: Sam (supervisor)")));
        w->setHubStatus(false, QStringLiteral("Reconnecting…"));
        QVERIFY(hub->text().endsWith(QStringLiteral("Reconnecting…")));

        QSignalSpy presence(w, &ui::MainWindow::presenceRequested);
        auto *combo = byName<QComboBox>(w, QStringLiteral("My presence"));
        QVERIFY(combo->isVisible());
        QCOMPARE(combo->currentText(), QStringLiteral("Online"));
        combo->setCurrentIndex(1);
        emit combo->activated(1); // as a click on "Away" ends
        QCOMPARE(presence.size(), 1);
        QCOMPARE(presence.at(0).at(0).toString(), QStringLiteral("away"));
        // The shortcut toggles back.
        m_desk->team.agents[QStringLiteral("Sam")].presence = Presence::Away;
        w->teamChanged();
        QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(presence.size(), 2);
        QCOMPARE(presence.at(1).at(0).toString(), QStringLiteral("online"));
        // The hub's word wins over the last click.
        m_desk->team.agents[QStringLiteral("Sam")].presence = Presence::Online;
        w->teamChanged();
        QCOMPARE(combo->currentText(), QStringLiteral("Online"));

        QSignalSpy complete(w, &ui::MainWindow::completeRequested);
        QAction *completeAction = actionByText(w, QStringLiteral("&Complete conversation"));
        QVERIFY(completeAction->isVisible());
        QVERIFY(!completeAction->isEnabled()); // nothing open
        w->openThread(QStringLiteral("u8"), QStringLiteral("1"));
        QVERIFY(completeAction->isEnabled()); // a supervisor may complete anyone's
        QCOMPARE(completeAction->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+E")));
        QTest::keyClick(w, Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(complete.size(), 1);
        QCOMPARE(complete.at(0).at(0).toString(), QStringLiteral("u8"));
    }

    void headerNamesTheAgent() {
        ui::MainWindow *w = m_desk->window.get();
        w->setTeamMode(&m_desk->team);
        w->openThread(QStringLiteral("u1"), QStringLiteral("1"));
        const auto labels = w->findChildren<ui::ElidedLabel *>();
        QString subtitle;
        for (const ui::ElidedLabel *l : labels)
            if (l->text().contains(QStringLiteral("conversation 1")))
                subtitle = l->text();
        QVERIFY2(subtitle.contains(QStringLiteral("With the team · assigned to Priya")),
                 qPrintable(subtitle));
    }

    void screenshots() {
        ui::MainWindow *w = m_desk->window.get();
        w->setTeamMode(&m_desk->team);
        w->setHubStatus(true, QStringLiteral("Hub: Sam (supervisor)"));
        w->setListenerAddress(QStringLiteral("http://127.0.0.1:8080"));
        w->setReachability(true, QStringLiteral("TRACT reachable"));
        w->openThread(QStringLiteral("u1"), QStringLiteral("1"));
        auto *pages = w->findChild<QTabWidget *>();
        QApplication::processEvents();
        QVERIFY(save(w, QStringLiteral("team-supervisor-conversations")));
        pages->setCurrentIndex(1);
        QApplication::processEvents();
        QVERIFY(save(w, QStringLiteral("team-supervisor")));

        m_desk->becomeAgent("Ravi");
        w->setTeamMode(&m_desk->team);
        pages->setCurrentIndex(0);
        w->openThread(QStringLiteral("u1"), QStringLiteral("1"));
        QApplication::processEvents();
        QVERIFY(save(w, QStringLiteral("team-agent")));
    }
};

int main(int argc, char **argv) {
    // Fusion: the screenshots must not depend on the desktop the tests run on.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication app(argc, argv);
    QApplication::setPalette(QApplication::style()->standardPalette());
    TestWindowTeam test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_window_team.moc"
