#include "ui/panels/Notifier.h"

#include "ui/panels/DesktopNotifications.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QStyle>
#include <QSystemTrayIcon>

namespace ui {

namespace {
// Notification bubbles show a line or two; a long message is cut with an ellipsis.
QString shorten(const QString &text) {
    const QString simple = text.simplified();
    return simple.size() > 140 ? simple.left(139) + QChar(0x2026) : simple;
}
} // namespace

Notifier::Notifier(QObject *parent)
    : QObject(parent) {
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        // The app's own icon (main sets it); a stock one where there is none (tests).
        const QIcon appIcon = QApplication::windowIcon();
        m_tray->setIcon(appIcon.isNull()
                            ? QApplication::style()->standardIcon(QStyle::SP_MessageBoxInformation)
                            : appIcon);
        connect(m_tray, &QSystemTrayIcon::activated, this,
                [this](QSystemTrayIcon::ActivationReason reason) {
                    if (reason == QSystemTrayIcon::Trigger ||
                        reason == QSystemTrayIcon::DoubleClick)
                        emit activated(QString());
                });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this,
                [this] { emit activated(m_lastUserId); });
        m_trayMenu = new QMenu;
        connect(this, &QObject::destroyed, m_trayMenu, &QObject::deleteLater);
        m_tray->setContextMenu(m_trayMenu);
        m_tray->show();
    }
    m_desktop = new DesktopNotifications(this);
    connect(m_desktop, &DesktopNotifications::activated, this, &Notifier::activated);
    setMenuActions({});
    setUnreadCount(0);
}

Notifier::Route Notifier::route() const {
    if (m_tray && QSystemTrayIcon::supportsMessages())
        return Route::Tray;
    if (m_desktop->isAvailable())
        return Route::Desktop;
    return Route::Window;
}

void Notifier::setMenuActions(const QList<QAction *> &actions) {
    m_menuActions = actions;
    if (!m_trayMenu)
        return;
    m_trayMenu->clear();
    m_trayMenu->addAction(tr("&Show TRACT Console"), this, [this] { emit activated(QString()); });
    m_trayMenu->addSeparator();
    m_trayMenu->addActions(actions);
}

QList<QAction *> Notifier::menuActions() const {
    return m_menuActions;
}

Notifier::~Notifier() = default;

void Notifier::setPreferences(const Preferences &preferences) {
    m_prefs = preferences;
}

void Notifier::setPreferences(bool onHandoff, bool onMessageWhileUnfocused, bool sound) {
    setPreferences(Preferences{onHandoff, onMessageWhileUnfocused, sound});
}

void Notifier::setIcon(const QIcon &icon) {
    if (m_tray)
        m_tray->setIcon(icon);
}

bool Notifier::notifyHandoff(const QString &userName, const QString &preview,
                             const QString &userId) {
    if (!m_prefs.onHandoff)
        return false;
    const QString who = userName.isEmpty() ? tr("A user") : userName;
    show({tr("%1 is waiting for an agent").arg(who),
          preview.isEmpty() ? tr("The bot handed the conversation over.") : shorten(preview),
          userId},
         true);
    return true;
}

bool Notifier::notifyMessage(const QString &userName, const QString &preview, bool windowActive,
                             const QString &userId) {
    // With the window active the thread list's badge is enough (Haptik's rule:
    // badge only while on My Chats); popups there would only interrupt.
    if (windowActive || !m_prefs.onMessageWhileUnfocused)
        return false;
    const QString who = userName.isEmpty() ? tr("A user") : userName;
    show({tr("New message from %1").arg(who), shorten(preview), userId}, false);
    return true;
}

void Notifier::setUnreadCount(int count) {
    m_unread = qMax(0, count);
    m_toolTip = m_unread == 0 ? tr("TRACT Console: no unread messages")
                              : tr("TRACT Console: %n unread message(s)", nullptr, m_unread);
    if (m_tray)
        m_tray->setToolTip(m_toolTip);
}

void Notifier::setPresenter(std::function<void(const Shown &)> present) {
    m_present = std::move(present);
}

void Notifier::setBeeper(std::function<void()> beep) {
    m_beep = std::move(beep);
}

void Notifier::show(const Shown &shown, bool urgent) {
    if (m_present) {
        m_present(shown);
    } else {
        switch (route()) {
        case Route::Tray:
            m_lastUserId = shown.userId;
            m_tray->showMessage(shown.title, shown.body, QSystemTrayIcon::Information, 10000);
            break;
        case Route::Desktop:
            m_desktop->show(shown.title, shown.body, shown.userId, urgent);
            break;
        case Route::Window:
            emit windowAlert(shown);
            break;
        }
    }
    if (m_prefs.sound) {
        if (m_beep)
            m_beep();
        else
            QApplication::beep();
    }
    emit notified(shown.title, shown.body);
}

} // namespace ui
