#pragma once

#include "models/store/StoreTypes.h"
#include "models/team/TeamTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <optional>

namespace tract::store {
class Store;
}

namespace tract::hub {

// A team console's copy of what its hub shows (docs/hub-protocol.md): the
// hub's frames written into a Store, so the window's models read threads,
// messages and events exactly as they do from the console's own listener, and
// the TeamState built from the welcome, snapshot and team events.
//
// The console's own replies are committed to this store at once, as pending
// outbox items keyed by their command id, so they show in the thread before
// the hub answers and wait there while the hub is unreachable; the hub's
// message event for such a reply is then already here and is not stored
// twice, and its outbox events move the item to sent or failed.
class HubMirror : public QObject {
    Q_OBJECT
public:
    explicit HubMirror(store::Store *store, QObject *parent = nullptr);

    const team::TeamState &team() const { return m_team; }
    QString receiverId() const { return m_receiverId; }
    bool welcomed() const { return m_welcomed; }

    void applyWelcome(const QJsonObject &welcome);
    void applySnapshot(const QJsonObject &snapshot);
    void applyEvent(const QJsonObject &event);

    // A reply this console sends as command `commandId`: committed as a
    // pending outbox item (and its thread message). The item's id, or nothing
    // with `error` set.
    std::optional<qint64> addOwnReply(const QString &commandId, const store::ThreadKey &thread,
                                      const QJsonObject &hsl, QString *error);
    // The hub answered that command: ok with the hub's outbox id, or refused
    // (the item fails with the hub's reason).
    void ownReplyAnswered(const QString &commandId, const QJsonObject &result);
    // The command behind a local outbox item, and the hub's outbox id for it
    // once the hub accepted it (0 before).
    QString commandOf(qint64 localOutboxId) const;
    qint64 hubOutboxOf(qint64 localOutboxId) const;
    // A reply the hub refused is sent again as a new command (the old id
    // would get the old answer): follow it under `commandId` from now on.
    void resendOwnReply(qint64 localOutboxId, const QString &commandId);
    // Forget a reply withdrawn before the hub saw it (its item is cancelled).
    void withdrawOwnReply(qint64 localOutboxId);

signals:
    void teamChanged();
    // An event that happened while this console was connected (not one of the
    // history a fresh connection replays): for notifications.
    void liveEvent(const QString &kind, const QString &userId, const QJsonObject &event);

private:
    void applyAssignment(const QJsonObject &a, const QDateTime &at);
    void applyMessage(const QJsonObject &event);
    void applyOutbox(const QJsonObject &event);
    void applyAgentChange(const QJsonObject &event);
    void storeEvent(const QJsonObject &event);

    store::Store *m_store;
    team::TeamState m_team;
    QString m_receiverId;
    bool m_welcomed = false;
    qint64 m_liveAfter = -1; // events after this seq are live
    struct OwnReply {
        qint64 localId = 0;
        qint64 hubOutboxId = 0;
    };
    QHash<QString, OwnReply> m_own;       // by command id
    QHash<qint64, QString> m_commandOf;   // local outbox id -> command id
    QHash<qint64, QString> m_byHubOutbox; // hub outbox id -> command id
};

} // namespace tract::hub
