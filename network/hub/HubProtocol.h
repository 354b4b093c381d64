#pragma once

#include "models/store/StoreTypes.h"
#include "models/team/TeamTypes.h"

#include <QJsonObject>
#include <QString>

// The hub's wire format (docs/hub-protocol.md) in one place, for the server,
// the console's hub client and the tests: close codes, limits, and the JSON
// shapes of stored rows and team values, both ways.
namespace tract::hub::protocol {

enum CloseCode : quint16 {
    NotAuthenticated = 4001,
};

constexpr qint64 kMaxFrameBytes = 1024 * 1024;
constexpr int kHelloTimeoutMs = 5000;
constexpr int kMaxCommandIdLength = 128;
// Token bucket per connection: 20 commands a second, bursts of 60; a
// connection refused more than kFloodRefusals times is closed.
constexpr double kCommandsPerSecond = 20.0;
constexpr double kCommandBurst = 60.0;
constexpr int kFloodRefusals = 200;
constexpr int kSnapshotMessagesPerThread = 200;
constexpr int kSnapshotEventsPerThread = 50;

QString isoTime(const QDateTime &t); // "2026-12-05T10:00:00.000Z", empty when invalid
QDateTime parseTime(const QJsonValue &v);

// Stored rows -> wire.
QJsonObject messageJson(const store::Message &m);
QJsonObject eventJson(const store::Event &e);
QJsonObject userJson(const store::User &u);
QJsonObject agentJson(const team::Agent &a);
QJsonObject assignmentJson(const team::Assignment &a);

// Wire -> values a console's mirror stores. The message's direction is kept.
store::IncomingMessage incomingMessage(const QString &userId, const QString &conversationNumber,
                                       const QJsonObject &message);
store::IncomingEvent incomingEvent(const QString &userId, const QString &conversationNumber,
                                   const QJsonObject &event);
store::User user(const QJsonObject &user);
team::Agent agent(const QJsonObject &agent);
team::Assignment assignment(const QJsonObject &assignment);

// Frames.
QJsonObject result(const QString &id, bool ok, const QString &error = {});

} // namespace tract::hub::protocol
