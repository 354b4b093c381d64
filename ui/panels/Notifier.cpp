#include "ui/panels/Notifier.h"

#include <QApplication>
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
                        emit activated();
                });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &Notifier::activated);
        m_tray->show();
    }
    setUnreadCount(0);
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

bool Notifier::notifyHandoff(const QString &userName, const QString &preview) {
    if (!m_prefs.onHandoff)
        return false;
    const QString who = userName.isEmpty() ? tr("A user") : userName;
    show(tr("%1 is waiting for an agent").arg(who),
         preview.isEmpty() ? tr("The bot handed the conversation over.") : shorten(preview));
    return true;
}

bool Notifier::notifyMessage(const QString &userName, const QString &preview, bool windowActive) {
    // With the window active the thread list's badge is enough (Haptik's rule:
    // badge only while on My Chats); popups there would only interrupt.
    if (windowActive || !m_prefs.onMessageWhileUnfocused)
        return false;
    const QString who = userName.isEmpty() ? tr("A user") : userName;
    show(tr("New message from %1").arg(who), shorten(preview));
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

void Notifier::show(const QString &title, const QString &body) {
    if (m_present)
        m_present({title, body});
    else if (m_tray && QSystemTrayIcon::supportsMessages())
        m_tray->showMessage(title, body, QSystemTrayIcon::Information, 10000);
    if (m_prefs.sound) {
        if (m_beep)
            m_beep();
        else
            QApplication::beep();
    }
    emit notified(title, body);
}

} // namespace ui
