#include "NotificationServer.h"

#include <QDBusMessage>
#include <QUuid>

namespace testsupport {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
} // namespace

NotificationServer::NotificationServer(QStringList capabilities, QObject *parent)
    : QObject(parent)
    , m_capabilities(std::move(capabilities))
    , m_connectionName(QStringLiteral("notification-server-") + QUuid::createUuid().toString())
    , m_bus(QDBusConnection::connectToBus(QDBusConnection::SessionBus, m_connectionName)) {}

NotificationServer::~NotificationServer() {
    stop();
    QDBusConnection::disconnectFromBus(m_connectionName);
}

bool NotificationServer::start(QString *error) {
    if (!m_bus.isConnected()) {
        *error = QStringLiteral("no session bus: ") + m_bus.lastError().message();
        return false;
    }
    if (!m_bus.registerObject(kPath, this, QDBusConnection::ExportAllSlots)) {
        *error = QStringLiteral("cannot register the object: ") + m_bus.lastError().message();
        return false;
    }
    if (!m_bus.registerService(kService)) {
        *error = QStringLiteral("cannot own the name: ") + m_bus.lastError().message();
        m_bus.unregisterObject(kPath);
        return false;
    }
    return true;
}

void NotificationServer::stop() {
    m_bus.unregisterService(kService);
    m_bus.unregisterObject(kPath);
}

void NotificationServer::click(uint id) {
    emitSignal(QStringLiteral("ActionInvoked"), {id, QStringLiteral("default")});
    emitSignal(QStringLiteral("NotificationClosed"), {id, uint(2)}); // dismissed by the user
}

QStringList NotificationServer::GetCapabilities() {
    return m_capabilities;
}

uint NotificationServer::Notify(const QString &appName, uint replacesId, const QString &,
                                const QString &summary, const QString &body,
                                const QStringList &actions, const QVariantMap &hints, int) {
    Notification n{replacesId ? replacesId : m_nextId++, appName, summary, body, actions, hints};
    m_received << n;
    return n.id;
}

void NotificationServer::CloseNotification(uint id) {
    emitSignal(QStringLiteral("NotificationClosed"), {id, uint(3)});
}

QString NotificationServer::GetServerInformation(QString &vendor, QString &version,
                                                 QString &specVersion) {
    vendor = QStringLiteral("TRACT tests");
    version = QStringLiteral("1");
    specVersion = QStringLiteral("1.2");
    return QStringLiteral("test-notification-server");
}

void NotificationServer::emitSignal(const QString &name, const QVariantList &args) {
    QDBusMessage signal = QDBusMessage::createSignal(kPath, kService, name);
    signal.setArguments(args);
    m_bus.send(signal);
}

} // namespace testsupport
