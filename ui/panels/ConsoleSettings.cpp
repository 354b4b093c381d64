#include "ui/panels/ConsoleSettings.h"

#include <QSettings>

namespace ui {

namespace {
// Key names are part of the settings file format: keep them stable.
const QString kTractUrl = QStringLiteral("tract/url");
const QString kClientId = QStringLiteral("tract/clientId");
const QString kListenAddress = QStringLiteral("listener/address");
const QString kListenPort = QStringLiteral("listener/port");
const QString kPublicUrl = QStringLiteral("listener/publicUrl");
const QString kReceiverId = QStringLiteral("agent/receiverId");
const QString kAgentName = QStringLiteral("agent/displayName");
const QString kNotifyHandoff = QStringLiteral("notifications/handoff");
const QString kNotifyMessage = QStringLiteral("notifications/messageWhileUnfocused");
const QString kSound = QStringLiteral("notifications/sound");
const QString kRetainDays = QStringLiteral("store/retainDays");
} // namespace

void ConsoleSettings::load(QSettings &s) {
    const ConsoleSettings d = *this;
    tractUrl = s.value(kTractUrl, d.tractUrl).toString();
    clientId = s.value(kClientId, d.clientId).toString();
    listenAddress = s.value(kListenAddress, d.listenAddress).toString();
    bool ok = false;
    const uint port = s.value(kListenPort, d.listenPort).toUInt(&ok);
    listenPort = ok && port <= 65535 ? quint16(port) : d.listenPort;
    publicUrl = s.value(kPublicUrl, d.publicUrl).toString();
    receiverId = s.value(kReceiverId, d.receiverId).toString();
    agentName = s.value(kAgentName, d.agentName).toString();
    notifyOnHandoff = s.value(kNotifyHandoff, d.notifyOnHandoff).toBool();
    notifyOnMessageWhileUnfocused =
        s.value(kNotifyMessage, d.notifyOnMessageWhileUnfocused).toBool();
    sound = s.value(kSound, d.sound).toBool();
    const int days = s.value(kRetainDays, d.retainDays).toInt(&ok);
    retainDays = ok && days >= 0 && days <= kMaxRetainDays ? days : d.retainDays;
}

void ConsoleSettings::save(QSettings &s) const {
    s.setValue(kTractUrl, tractUrl);
    s.setValue(kClientId, clientId);
    s.setValue(kListenAddress, listenAddress);
    s.setValue(kListenPort, uint(listenPort));
    s.setValue(kPublicUrl, publicUrl);
    s.setValue(kReceiverId, receiverId);
    s.setValue(kAgentName, agentName);
    s.setValue(kNotifyHandoff, notifyOnHandoff);
    s.setValue(kNotifyMessage, notifyOnMessageWhileUnfocused);
    s.setValue(kSound, sound);
    s.setValue(kRetainDays, retainDays);
}

bool ConsoleSettings::operator==(const ConsoleSettings &o) const {
    return tractUrl == o.tractUrl && clientId == o.clientId && listenAddress == o.listenAddress &&
           listenPort == o.listenPort && publicUrl == o.publicUrl && receiverId == o.receiverId &&
           agentName == o.agentName && notifyOnHandoff == o.notifyOnHandoff &&
           notifyOnMessageWhileUnfocused == o.notifyOnMessageWhileUnfocused && sound == o.sound &&
           retainDays == o.retainDays;
}

} // namespace ui
