#pragma once

#include <QIcon>
#include <QObject>
#include <QString>
#include <functional>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace ui {

class DesktopNotifications;

// The console's alerts outside its window: a tray icon carrying the unread
// count, desktop notifications, an optional beep. Missed alerts are the most
// damaging failure of an agent console (peers.md 1.2), so handoffs always
// notify (unless turned off), and messages notify when the window is not
// active, the case where the agent would otherwise not see them.
//
// Where an alert goes (route()): the tray's bubble when there is a tray; else
// the desktop's notification server over D-Bus (GNOME without the tray
// extension); else, with neither (plain X, a bare window manager), the window
// itself shows it (windowAlert()).
class Notifier : public QObject {
    Q_OBJECT
public:
    struct Preferences {
        bool onHandoff = true;
        bool onMessageWhileUnfocused = true;
        bool sound = true;
    };

    // What was shown, for tests and for a fallback in-window banner when no
    // tray exists.
    struct Shown {
        QString title;
        QString body;
        QString userId; // whose thread it is about, when known
    };

    enum class Route { Tray, Desktop, Window };

    explicit Notifier(QObject *parent = nullptr);
    ~Notifier() override;

    void setPreferences(const Preferences &preferences);
    void setPreferences(bool onHandoff, bool onMessageWhileUnfocused, bool sound);
    Preferences preferences() const { return m_prefs; }

    void setIcon(const QIcon &icon);
    // A thread handed to agents (conversation_state/incomplete).
    // Returns whether a notification was shown.
    bool notifyHandoff(const QString &userName, const QString &preview, const QString &userId = {});
    // A new message in one of this agent's threads.
    bool notifyMessage(const QString &userName, const QString &preview, bool windowActive,
                       const QString &userId = {});
    void setUnreadCount(int count);
    int unreadCount() const { return m_unread; }

    bool hasTray() const { return m_tray != nullptr; }
    Route route() const;
    // The tray icon's menu: "Show TRACT Console" and these, which must also be
    // in the window's menus (there may be no tray).
    void setMenuActions(const QList<QAction *> &actions);
    QList<QAction *> menuActions() const;
    QString toolTip() const { return m_toolTip; }
    // Replaces QSystemTrayIcon::showMessage / QApplication::beep (tests, or a
    // window without a tray that shows a banner instead).
    void setPresenter(std::function<void(const Shown &)> present);
    void setBeeper(std::function<void()> beep);

signals:
    // The agent clicked the tray icon or a notification: raise the window,
    // and open `userId`'s thread when the notification was about one.
    void activated(const QString &userId);
    // No tray and no notification server: the window shows the alert.
    void windowAlert(const ui::Notifier::Shown &shown);
    // Every notification, shown or not by the tray: the window can mirror it.
    void notified(const QString &title, const QString &body);

private:
    void show(const Shown &shown, bool urgent);

    Preferences m_prefs;
    int m_unread = 0;
    QString m_toolTip;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_trayMenu = nullptr;
    QList<QAction *> m_menuActions;
    QString m_lastUserId; // the tray bubble's thread, for messageClicked
    DesktopNotifications *m_desktop = nullptr;
    std::function<void(const Shown &)> m_present;
    std::function<void()> m_beep;
};

} // namespace ui

Q_DECLARE_METATYPE(ui::Notifier::Shown)
