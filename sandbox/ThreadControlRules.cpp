#include "sandbox/ThreadControlRules.h"

#include <QCoreApplication>

namespace sandbox {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("sandbox", text);
}

ThreadControlDecision refuse(const QString &code, const QString &message) {
    ThreadControlDecision d;
    d.code = code;
    d.message = message;
    return d;
}

ThreadControlDecision changeTo(const QString &owner) {
    ThreadControlDecision d;
    d.success = true;
    d.changesOwner = true;
    d.newOwner = owner;
    d.completesConversation = owner == kIva;
    return d;
}

} // namespace

bool isPrimaryReceiver(const QString &id) {
    return id == kIva || id == kSac;
}

ThreadControlDecision decideThreadControl(const ThreadControlContext &ctx,
                                          tract::ThreadControlType type, const QString &requester,
                                          const QString &receiver) {
    const auto known = [&](const QString &id) {
        return id == kIva || id == kSac || id == ctx.ectId;
    };
    if (!known(requester))
        return refuse(QStringLiteral("unknown_requester"),
                      tr("'%1' is not a listener on this thread").arg(requester));
    if (!known(receiver))
        return refuse(QStringLiteral("unknown_receiver"),
                      tr("'%1' is not a listener on this thread").arg(receiver));

    switch (type) {
    case tract::ThreadControlType::Take:
        if (ctx.strict && !isPrimaryReceiver(requester))
            return refuse(QStringLiteral("take_not_allowed"),
                          tr("only primary receivers (iva, sac) may take control"));
        if (requester == ctx.owner) {
            ThreadControlDecision d;
            d.success = true; // already the owner: nothing changes
            return d;
        }
        return changeTo(requester);

    case tract::ThreadControlType::Pass:
        if (requester != ctx.owner)
            return refuse(QStringLiteral("not_owner"),
                          tr("only the owner (%1) may pass control").arg(ctx.owner));
        if (receiver == requester)
            return refuse(QStringLiteral("same_receiver"),
                          tr("'%1' already owns this thread").arg(receiver));
        // Haptik's rule binds an ECT; a primary (iva, sac) may pass to anyone.
        if (ctx.strict && !isPrimaryReceiver(requester) && !isPrimaryReceiver(receiver))
            return refuse(QStringLiteral("invalid_receiver"),
                          tr("control may only be passed to a primary or the default receiver"));
        return changeTo(receiver);

    case tract::ThreadControlType::Request: {
        if (ctx.strict)
            return refuse(QStringLiteral("request_unsupported"), tr("request is not supported"));
        if (requester == ctx.owner)
            return refuse(QStringLiteral("already_owner"),
                          tr("'%1' already owns this thread").arg(requester));
        if (!isPrimaryReceiver(ctx.owner))
            return refuse(QStringLiteral("owner_declined"),
                          tr("the owner (%1) does not answer control requests").arg(ctx.owner));
        ThreadControlDecision d = changeTo(requester);
        d.deferred = true;
        return d;
    }
    }
    return refuse(QStringLiteral("invalid_type"), tr("unknown thread-control type"));
}

} // namespace sandbox
