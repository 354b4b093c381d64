#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>

class QDBusServiceWatcher;

namespace ui {

// Desktop notifications over the session bus (org.freedesktop.Notifications),
// for desktops with a notification server but no system tray: GNOME without
// the AppIndicator extension, most tiling window managers. The server's
// capabilities decide whether the body may carry markup; untrusted text is
// escaped whenever the server might interpret it.
class DesktopNotifications : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifications(QObject *parent = nullptr);

    // A notification server is on the bus now (it may come and go).
    bool isAvailable() const { return m_available; }
    // `tag` comes back in activated() when the agent clicks the notification.
    void show(const QString &title, const QString &body, const QString &tag, bool urgent);

signals:
    void activated(const QString &tag);
    void availabilityChanged(bool available);

private slots:
    void onActionInvoked(uint id, const QString &actionKey);
    void onClosed(uint id, uint reason);

private:
    void serverAppeared();

    QDBusServiceWatcher *m_watcher = nullptr;
    bool m_available = false;
    // Unknown until the server answers GetCapabilities: escape meanwhile.
    std::optional<bool> m_bodyMarkup;
    QHash<uint, QString> m_tags; // shown notification id → tag
};

} // namespace ui
