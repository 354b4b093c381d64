#include "models/store/StoreTypes.h"

namespace tract::store {

bool User::operator==(const User &o) const {
    // Timestamps are bookkeeping, not identity.
    return userId == o.userId && name == o.name && devicePlatform == o.devicePlatform &&
           thirdPartyUserId == o.thirdPartyUserId && ectUserId == o.ectUserId &&
           detailsAvailable == o.detailsAvailable;
}

QString outboxStateName(OutboxState s) {
    switch (s) {
    case OutboxState::Pending:
        return QStringLiteral("pending");
    case OutboxState::Sent:
        return QStringLiteral("sent");
    case OutboxState::Failed:
        return QStringLiteral("failed");
    case OutboxState::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

QString outboxKindName(OutboxKind k) {
    switch (k) {
    case OutboxKind::Message:
        return QStringLiteral("message");
    case OutboxKind::Event:
        return QStringLiteral("event");
    case OutboxKind::ThreadControl:
        return QStringLiteral("thread_control");
    }
    return {};
}

void ChangeSet::merge(const ChangeSet &o) {
    threads.unite(o.threads);
    users.unite(o.users);
    newMessages += o.newMessages;
    outbox = outbox || o.outbox;
    hooks = hooks || o.hooks;
    threadList = threadList || o.threadList;
    removedThreads.unite(o.removedThreads);
}

} // namespace tract::store
