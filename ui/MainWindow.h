#pragma once

#include "ui/panels/ShortcutsDialog.h"

#include <QJsonObject>
#include <QMainWindow>
#include <QPalette>

class QAction;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QListView;
class QComboBox;
class QMenu;
class QPushButton;
class QSplitter;
class QTabWidget;
class QToolButton;

namespace tract::views {
class ThreadListModel;
class ThreadFilterModel;
class ConversationModel;
class EventFeedModel;
class TeamModel;
} // namespace tract::views
namespace tract::team {
struct TeamState;
}

namespace ui {

class ElidedLabel;
class AlertBanner;
class ConversationView;
class Composer;
class ThreadControlPanel;
class UserPanel;
class EventFeedPanel;
class OwnershipBoard;
class TeamBoard;

// The agent's window: threads on the left, the conversation and composer in
// the middle, the user, thread control and event feed on the right, and the
// supervisors' ownership board as a second page. It shows models and emits what
// the agent asked for; app/ wires that to TRACT (ui/ never talks to the network).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Models {
        tract::views::ThreadListModel *threads = nullptr;
        tract::views::ConversationModel *conversation = nullptr;
        tract::views::EventFeedModel *events = nullptr;
    };
    MainWindow(const Models &models, const QString &myReceiverId, QWidget *parent = nullptr);

    // The application's colours (View → Theme): the platform's own, or Fusion
    // light or dark. Applies to the whole application, dialogs included.
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)
    static Theme themeFromName(const QString &name); // "system", "light", "dark"
    static QString themeName(Theme theme);
    void setTheme(Theme theme); // applies it and checks it in the menu
    Theme theme() const { return m_theme; }

    // View → Language: "System language", then each (code, name in that language).
    // `saved` is the code chosen before, or "system"/empty.
    void setLanguages(const QList<std::pair<QString, QString>> &languages, const QString &saved);

    void setSandboxMode(bool sandbox);
    // Status bar.
    void setListenerAddress(const QString &address);
    void setReachability(bool reachable, const QString &text);
    void setHookStatus(int registered, int total, const QString &details);
    void setOutboxPending(int pending);
    void updateTitle();
    void setUnreadCount(int unread) {
        m_unread = unread;
        updateTitle();
    }

    // The open thread.
    QString currentUserId() const { return m_userId; }
    // What F1 lists: every menu shortcut, then the keys no menu carries.
    QList<ShortcutsDialog::Entry> shortcutEntries() const;
    // What the tray icon's menu offers; every one is in the window's menus too.
    QList<QAction *> trayActions() const;
    // An alert the desktop cannot show (no tray, no notification server).
    void showAlert(const QString &title, const QString &body, const QString &userId);
    // Opens the user's most recently active thread.
    void openLiveThread(const QString &userId);
    QString currentConversation() const { return m_conversation; }
    void openThread(const QString &userId, const QString &conversationNumber);
    void refreshThreadHeader(); // owner or state of the open thread changed

    // Team mode (a hub serves this console; docs/hub-protocol.md). Nothing of
    // it shows until this is called. `team` is read, never written, and must
    // outlive the window or be replaced first; nullptr goes back to single
    // seat. Also hands the team to the thread list model (ThreadListModel::
    // setTeam), so calling both is harmless. In team mode the filters become
    // Mine / Queue / All team / Complete, each row names its agent, the
    // status bar shows the hub and this agent's presence, the Thread menu
    // gains Complete conversation, and a supervisor gets the Team page (team
    // board over the ownership board) and the assign menu and drags.
    void setTeamMode(const tract::team::TeamState *team);
    const tract::team::TeamState *team() const { return m_team; }
    // The team's state changed: models, counts, presence and the header.
    void teamChanged();
    // Why the agent may not reply to the open thread (empty: it may). Opening
    // another thread in team mode resets it to TeamState::refusalFor() before
    // threadOpened is emitted, so a reason never outlives its thread.
    void setComposerRefusal(const QString &reason);
    // "Hub: Priya (agent)" when connected, "Reconnecting…" when not; shown only
    // in team mode.
    void setHubStatus(bool connected, const QString &text);

    ThreadControlPanel *controlPanel() const { return m_controlPanel; }
    UserPanel *userPanel() const { return m_userPanel; }
    EventFeedPanel *eventPanel() const { return m_eventPanel; }
    Composer *composer() const { return m_composer; }
    ConversationView *conversationView() const { return m_view; }
    OwnershipBoard *ownershipBoard() const { return m_board; }
    TeamBoard *teamBoard() const { return m_teamBoard; } // created for a supervisor
    tract::views::TeamModel *teamModel() const { return m_teamModel; }

signals:
    void threadOpened(const QString &userId, const QString &conversationNumber);
    void sendRequested(const QString &userId, const QString &conversationNumber,
                       const QJsonObject &hsl);
    void takeRequested(const QString &userId);
    void passRequested(const QString &userId, const QString &receiver);
    void requestRequested(const QString &userId);
    void retryRequested(qint64 outboxId);
    void cancelRequested(qint64 outboxId);
    void settingsRequested();
    void themeChanged(ui::MainWindow::Theme theme); // chosen in View → Theme
    void languageChosen(const QString &code);       // View → Language; "system" or a code
    void restartRequested();                        // to speak the chosen language now
    // Team mode. A supervisor moved a thread: to `agent`, or to the queue (empty).
    void assignRequested(const QString &userId, const QString &agent);
    void presenceRequested(const QString &status); // "online" or "away"
    void completeRequested(const QString &userId);

private:
    QWidget *buildThreadList();
    QWidget *buildConversation();
    QWidget *buildSidePanels();
    void buildMenus();
    void buildStatusBar();
    void fitScreen();
    // Shows or hides an optional pane (the thread list or the side panels).
    // Where the screen cannot hold both beside the conversation, showing one
    // hides the other, so the window never grows past the screen.
    void setPaneVisible(QAction *action, bool on);
    bool fitsScreen();
    void selectRelativeThread(int delta);
    void onCurrentThreadChanged();
    void showHookDetails();
    void passViaMenu();
    void assignViaMenu();
    void updateTeamFilters(); // labels, visibility and counts of the filter buttons
    void syncPresence();      // the presence controls follow the team's view of me
    void updateTeamActions();
    void refreshComposerRefusal(); // the team's reason for the open thread, if any

    Models m_models;
    QString m_myReceiverId;
    bool m_sandbox = false;
    tract::views::ThreadFilterModel *m_filter = nullptr;
    QListView *m_threadList = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_sort = nullptr;
    QButtonGroup *m_filterButtons = nullptr;
    QTabWidget *m_pages = nullptr;
    ElidedLabel *m_threadTitle = nullptr;
    ElidedLabel *m_threadSubtitle = nullptr;
    ConversationView *m_view = nullptr;
    QPushButton *m_newMessages = nullptr;
    Composer *m_composer = nullptr;
    ThreadControlPanel *m_controlPanel = nullptr;
    UserPanel *m_userPanel = nullptr;
    EventFeedPanel *m_eventPanel = nullptr;
    OwnershipBoard *m_board = nullptr;
    QLabel *m_sandboxBadge = nullptr;
    QLabel *m_listenerLabel = nullptr;
    QLabel *m_reachLabel = nullptr;
    QToolButton *m_hooksButton = nullptr;
    QLabel *m_outboxLabel = nullptr;
    const tract::team::TeamState *m_team = nullptr;
    tract::views::TeamModel *m_teamModel = nullptr;
    TeamBoard *m_teamBoard = nullptr;
    QSplitter *m_teamPage = nullptr;
    QLabel *m_hubLabel = nullptr;
    QComboBox *m_presence = nullptr;
    QMenu *m_teamMenu = nullptr;
    QAction *m_boardAction = nullptr;
    QAction *m_sidePanelsAction = nullptr;
    QWidget *m_sidePanels = nullptr;
    QAction *m_threadPaneAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_quitAction = nullptr;
    AlertBanner *m_alert = nullptr;
    QWidget *m_threadPane = nullptr;
    QAction *m_completeAction = nullptr;
    QAction *m_awayAction = nullptr;
    QAction *m_assignAction = nullptr;
    QString m_hookDetails;
    QString m_userId;
    QString m_conversation;
    int m_unread = 0;
    Theme m_theme = Theme::System;
    QAction *m_themeActions[3] = {};
    QMenu *m_languageMenu = nullptr;
    QString m_language; // as saved: "system" or a code
};

} // namespace ui
