#pragma once

#include "models/tract/Codes.h"

#include <QString>
#include <QStringList>

namespace sandbox {

// Haptik's receivers besides the ECT.
inline const QString kIva = QStringLiteral("iva");
inline const QString kSac = QStringLiteral("sac");

// What a thread-control request leads to. Pure, so both rule sets are easy to test.
struct ThreadControlDecision {
    bool success = false;
    QString code;    // refusal code, empty on success
    QString message; // refusal reason for a person
    bool changesOwner = false;
    bool deferred = false; // a request the current owner grants a little later
    QString newOwner;
    bool completesConversation = false; // control passed back to the bot
};

struct ThreadControlContext {
    QString ectId;       // the ECT's client id, a listener like iva and sac
    QString owner;       // the current owner
    bool strict = false; // Haptik's documented rules instead of the permissive ones
};

bool isPrimaryReceiver(const QString &id);
ThreadControlDecision decideThreadControl(const ThreadControlContext &context,
                                          tract::ThreadControlType type, const QString &requester,
                                          const QString &receiver);

} // namespace sandbox
