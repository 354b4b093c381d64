#pragma once

#include <QIcon>
#include <QObject>
#include <QString>
#include <functional>

class QSystemTrayIcon;

namespace ui {

// The console's alerts outside its window: a tray icon carrying the unread
// count, desktop notifications, an optional beep. Missed alerts are the most
// damaging failure of an agent console (peers.md 1.2), so handoffs always
// notify (unless turned off), and messages notify when the window is not
// active, the case where the agent would otherwise not see them.
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
    };

    explicit Notifier(QObject *parent = nullptr);
    ~Notifier() override;

    void setPreferences(const Preferences &preferences);
    void setPreferences(bool onHandoff, bool onMessageWhileUnfocused, bool sound);
    Preferences preferences() const { return m_prefs; }

    void setIcon(const QIcon &icon);
    // A thread handed to agents (conversation_state/incomplete).
    // Returns whether a notification was shown.
    bool notifyHandoff(const QString &userName, const QString &preview);
    // A new message in one of this agent's threads.
    bool notifyMessage(const QString &userName, const QString &preview, bool windowActive);
    void setUnreadCount(int count);
    int unreadCount() const { return m_unread; }

    bool hasTray() const { return m_tray != nullptr; }
    QString toolTip() const { return m_toolTip; }
    // Replaces QSystemTrayIcon::showMessage / QApplication::beep (tests, or a
    // window without a tray that shows a banner instead).
    void setPresenter(std::function<void(const Shown &)> present);
    void setBeeper(std::function<void()> beep);

signals:
    // The agent clicked the tray icon or a notification: raise the window.
    void activated();
    // Every notification, shown or not by the tray: the window can mirror it.
    void notified(const QString &title, const QString &body);

private:
    void show(const QString &title, const QString &body);

    Preferences m_prefs;
    int m_unread = 0;
    QString m_toolTip;
    QSystemTrayIcon *m_tray = nullptr;
    std::function<void(const Shown &)> m_present;
    std::function<void()> m_beep;
};

} // namespace ui
