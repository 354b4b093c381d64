#pragma once

#include "models/store/StoreTypes.h"
#include "network/client/TractFailure.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <functional>

namespace tract::store {
class Store;
}
namespace tract::team {
struct TeamState;
}

namespace console {

// What the window runs on, whether threads come from this console's own
// listener and TRACT client (LocalBackend) or from a team hub (HubBackend):
// a store the view models read, the agent's actions, and what happens to
// them. WindowController talks to this only, so no widget knows which it is.
class ConsoleBackend : public QObject {
    Q_OBJECT
public:
    enum class Control { Take, Pass, Request };
    template <typename T> using Done = std::function<void(const tract::TractResult<T> &)>;

    using QObject::QObject;

    virtual tract::store::Store *store() const = 0;
    // This console's id among TRACT's thread-control listeners (in a team:
    // the hub's, which the whole team shares).
    virtual QString receiverId() const = 0;
    // Where the work comes from, for the status bar: "http://127.0.0.1:…" or
    // "ws://hub…".
    virtual QString sourceText() const = 0;
    // The team, in a team console (read-only; teamChanged says when it
    // changed); nullptr for a single seat.
    virtual const tract::team::TeamState *team() const { return nullptr; }

    // A reply: committed to the outbox before this returns (empty), or why
    // it could not be (the reply is then not kept).
    virtual QString sendReply(const QString &userId, const QString &conversationNumber,
                              const QJsonObject &hsl) = 0;
    virtual void threadControl(const QString &userId, Control action, const QString &receiver,
                               QObject *context, Done<tract::ThreadControlResponse> done) = 0;
    virtual void fetchListeners(const QString &userId, QObject *context,
                                Done<tract::FetchListenersResponse> done) = 0;
    virtual void getUser(const QString &userId, QObject *context,
                         Done<tract::GetUserResponse> done) = 0;
    virtual void getUserDetails(const QString &userId, const QStringList &keys, QObject *context,
                                Done<tract::GetUserDetailsResponse> done) = 0;
    virtual void retryOutbox(qint64 outboxId) = 0;
    virtual void cancelOutbox(qint64 outboxId) = 0;
    // Replies typed but not yet accepted by whoever sends them (TRACT, or
    // the hub): what would be lost if the console quit now.
    virtual int unsentReplies() const = 0;
    // The TRACT client id and token (single seat only: a team's are the hub's).
    virtual QString clientId() const { return {}; }
    virtual void setTractToken(const QString &) {}

    // Emits linkChanged and hookStatusChanged with the state now, for a view
    // that connects after they were last said.
    virtual void announce() = 0;

    // Team actions; a single seat has none.
    virtual void assign(const QString &, const QString &) {}
    virtual void setPresence(const QString &) {}
    virtual void complete(const QString &) {}

signals:
    void storeChanged(const tract::store::ChangeSet &changes);
    // A hook (or a hub event) was stored; `isNew`: not a redelivery or replay.
    void hookStored(const QString &category, const QString &subcategory, const QString &userId,
                    bool isNew);
    // Something for the event feed that is not a stored event.
    void note(const QString &userId, const QString &source, const QString &text);
    // The link the work depends on (TRACT, or the hub) is up or not.
    void linkChanged(bool ok, const QString &text);
    // Hook registrations: how many of how many, and a line per hook.
    void hookStatusChanged(int registered, int total, const QString &details);
    void teamChanged();
    // A team action was refused or failed ("Asha Rao's thread is assigned to Priya").
    void actionFailed(const QString &message);
    // The backend cannot go on (the hub refused this agent's token).
    void fatal(const QString &message);
};

} // namespace console
