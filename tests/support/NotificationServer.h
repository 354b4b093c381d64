#pragma once

// A desktop notification server on the real session bus, for tests: it owns
// org.freedesktop.Notifications on its own bus connection (so calls go
// through the bus daemon like a real server's), records every Notify and can
// click a notification or leave the bus.

#include <QDBusConnection>
#include <QObject>
#include <QStringList>
#include <QVariantMap>

namespace testsupport {

class NotificationServer : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Notification {
        uint id = 0;
        QString appName;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
    };

    explicit NotificationServer(QStringList capabilities, QObject *parent = nullptr);
    ~NotificationServer() override;

    // Takes the service name; false (with the bus's reason in `error`) if it cannot.
    bool start(QString *error);
    void stop();

    QList<Notification> received() const { return m_received; }
    // What a click on the notification's body sends (action "default").
    void click(uint id);

public slots: // the D-Bus interface
    QStringList GetCapabilities();
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int expireTimeout);
    void CloseNotification(uint id);
    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion);

private:
    void emitSignal(const QString &name, const QVariantList &args);

    QStringList m_capabilities;
    QString m_connectionName;
    QDBusConnection m_bus;
    QList<Notification> m_received;
    uint m_nextId = 1;
};

} // namespace testsupport
