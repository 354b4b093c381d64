#pragma once

#include <QJsonObject>
#include <QMainWindow>
#include <QPalette>

class QAction;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QListView;
class QComboBox;
class QPushButton;
class QTabWidget;
class QToolButton;

namespace tract::views {
class ThreadListModel;
class ThreadFilterModel;
class ConversationModel;
class EventFeedModel;
} // namespace tract::views

namespace ui {

class ConversationView;
class Composer;
class ThreadControlPanel;
class UserPanel;
class EventFeedPanel;
class OwnershipBoard;

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
    void setTheme(Theme theme);                      // applies it and checks it in the menu
    Theme theme() const { return m_theme; }

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
    QString currentConversation() const { return m_conversation; }
    void openThread(const QString &userId, const QString &conversationNumber);
    void refreshThreadHeader(); // owner or state of the open thread changed

    ThreadControlPanel *controlPanel() const { return m_controlPanel; }
    UserPanel *userPanel() const { return m_userPanel; }
    EventFeedPanel *eventPanel() const { return m_eventPanel; }
    Composer *composer() const { return m_composer; }
    ConversationView *conversationView() const { return m_view; }
    OwnershipBoard *ownershipBoard() const { return m_board; }

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

private:
    QWidget *buildThreadList();
    QWidget *buildConversation();
    QWidget *buildSidePanels();
    void buildMenus();
    void buildStatusBar();
    void selectRelativeThread(int delta);
    void onCurrentThreadChanged();
    void showHookDetails();
    void passViaMenu();

    Models m_models;
    QString m_myReceiverId;
    bool m_sandbox = false;
    tract::views::ThreadFilterModel *m_filter = nullptr;
    QListView *m_threadList = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_sort = nullptr;
    QButtonGroup *m_filterButtons = nullptr;
    QTabWidget *m_pages = nullptr;
    QLabel *m_threadTitle = nullptr;
    QLabel *m_threadSubtitle = nullptr;
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
    QString m_hookDetails;
    QString m_userId;
    QString m_conversation;
    int m_unread = 0;
    Theme m_theme = Theme::System;
    QAction *m_themeActions[3] = {};
};

} // namespace ui
