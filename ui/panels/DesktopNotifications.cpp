#include "ui/panels/DesktopNotifications.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcNotify, "tract.ui.notify")

namespace ui {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
const QString kDefaultAction = QStringLiteral("default");
} // namespace

DesktopNotifications::DesktopNotifications(QObject *parent)
    : QObject(parent) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        qCInfo(lcNotify) << "no session bus: desktop notifications unavailable";
        return;
    }
    m_watcher =
        new QDBusServiceWatcher(kService, bus, QDBusServiceWatcher::WatchForOwnerChange, this);
    connect(m_watcher, &QDBusServiceWatcher::serviceOwnerChanged, this,
            [this](const QString &, const QString &, const QString &newOwner) {
                m_bodyMarkup.reset();
                m_tags.clear();
                if (newOwner.isEmpty()) {
                    m_available = false;
                    qCInfo(lcNotify) << "notification server left the bus";
                    emit availabilityChanged(false);
                } else {
                    serverAppeared();
                }
            });
    bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this,
                SLOT(onActionInvoked(uint, QString)));
    bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                SLOT(onClosed(uint, uint)));
    if (bus.interface() && bus.interface()->isServiceRegistered(kService))
        serverAppeared();
}

void DesktopNotifications::serverAppeared() {
    m_available = true;
    emit availabilityChanged(true);
    const QDBusMessage ask = QDBusMessage::createMethodCall(kService, kPath, kInterface,
                                                            QStringLiteral("GetCapabilities"));
    auto *call = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(ask), this);
    connect(call, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher *w) {
        w->deleteLater();
        const QDBusPendingReply<QStringList> reply = *w;
        if (reply.isError()) {
            qCWarning(lcNotify) << "notification server capabilities:" << reply.error().message();
            return; // stays unknown: bodies are escaped
        }
        m_bodyMarkup = reply.value().contains(QStringLiteral("body-markup"));
        qCInfo(lcNotify) << "notification server capabilities" << reply.value();
    });
}

void DesktopNotifications::show(const QString &title, const QString &body, const QString &tag,
                                bool urgent) {
    if (!m_available)
        return;
    // The summary is plain text by the spec; the body is markup where the
    // server says so (or has not said yet).
    const QString safeBody = m_bodyMarkup.value_or(true) ? body.toHtmlEscaped() : body;
    QVariantMap hints;
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("tract-console"));
    hints.insert(QStringLiteral("category"), QStringLiteral("im.received"));
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(urgent ? 2 : 1)));
    QDBusMessage notify =
        QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    notify << tr("TRACT Console") << uint(0) << QStringLiteral("tract-console") << title << safeBody
           << QStringList{kDefaultAction, tr("Open")} << hints << int(-1);
    auto *call = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(notify), this);
    connect(
        call, &QDBusPendingCallWatcher::finished, this, [this, tag](QDBusPendingCallWatcher *w) {
            w->deleteLater();
            const QDBusPendingReply<uint> reply = *w;
            if (reply.isError()) {
                qCWarning(lcNotify) << "desktop notification failed:" << reply.error().message();
                return;
            }
            m_tags.insert(reply.value(), tag);
        });
}

void DesktopNotifications::onActionInvoked(uint id, const QString &actionKey) {
    const auto it = m_tags.constFind(id);
    if (it == m_tags.constEnd() || actionKey != kDefaultAction)
        return;
    emit activated(*it);
}

void DesktopNotifications::onClosed(uint id, uint) {
    m_tags.remove(id);
}

} // namespace ui
