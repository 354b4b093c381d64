#include "network/listener/WebhookListener.h"

#include "models/common/Logging.h"
#include "models/store/Store.h"
#include "models/tract/WireTypes.h"
#include "network/listener/HookCatalog.h"
#include "network/listener/HookSignature.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QUuid>

namespace tract {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("listener", text);
}

struct HookPath {
    QByteArray secret;
    QString category;
    QString subcategory;
};

// /hooks/<secret>/<category>/<subcategory>
std::optional<HookPath> parsePath(const QByteArray &path) {
    const QList<QByteArray> parts = path.split('/');
    if (parts.size() != 5 || !parts.at(0).isEmpty() || parts.at(1) != "hooks")
        return std::nullopt;
    return HookPath{parts.at(2), QString::fromUtf8(parts.at(3)), QString::fromUtf8(parts.at(4))};
}

// The ack for a stored message never changes: serialised once, not per hook.
const http::Response &messageStoredAck() {
    static const http::Response ack = http::Response::json(200, SuccessResponse{}.toJson());
    return ack;
}

http::Response storeUnavailable(const QString &why) {
    qCWarning(lcListener).noquote() << "store write failed:" << why;
    return http::Response::error(503, tr("store unavailable; retry later"));
}

} // namespace

WebhookListener::WebhookListener(store::Store *store, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_settings(settings) {
    m_store->setGroupCommitPolicy(settings.groupCommit);
    m_http.setLimits(settings.limits);
    m_http.setHeadFilter([this](const http::RequestHead &head) { return checkHead(head); });
    m_http.setHandler(
        [this](const http::Request &r, const http::Responder &responder) { handle(r, responder); });
}

bool WebhookListener::start() {
    return m_http.listen(m_settings.address, m_settings.port);
}

void WebhookListener::stop() {
    m_http.close();
}

std::optional<http::Response> WebhookListener::checkHead(const http::RequestHead &head) const {
    if (head.method != "POST") {
        http::Response r =
            http::Response::error(405, tr("method not allowed; TRACT hooks use POST"));
        r.headers.append({QByteArrayLiteral("Allow"), QByteArrayLiteral("POST")});
        return r;
    }
    const auto path = parsePath(head.path);
    if (!path || !constantTimeEquals(path->secret, m_settings.pathSecret.toUtf8()))
        return http::Response::error(404, tr("not found"));
    if (!isConsoleHook(path->category, path->subcategory))
        return http::Response::error(
            404, tr("unknown hook %1/%2").arg(path->category, path->subcategory));
    if (head.mediaType() != "application/json")
        return http::Response::error(415, tr("expected Content-Type: application/json"));
    return std::nullopt;
}

void WebhookListener::refuse(const http::Responder &responder, const http::Response &response) {
    emit hookRefused(response.status, QString::fromUtf8(response.body));
    responder.send(response);
}

void WebhookListener::handle(const http::Request &request, const http::Responder &responder) {
    if (!m_settings.hookSecret.isEmpty()) {
        if (auto why = verifyHookSignature(request.headers, request.body, m_settings.hookSecret)) {
            refuse(responder, http::Response::error(401, *why));
            return;
        }
    }
    const HookPath path = *parsePath(request.path); // checked in checkHead
    if (path.category == QLatin1String("message"))
        storeMessage(request.body, responder);
    else if (path.category == QLatin1String("user_events"))
        storeCreateUser(request.body, responder);
    else
        storeEvent(path.category, path.subcategory, request.body, responder);
}

void WebhookListener::storeMessage(const QByteArray &body, const http::Responder &responder) {
    auto hook = MessageHook::fromJson(body);
    if (!hook) {
        refuse(responder, http::Response::error(400, hook.error().toString()));
        return;
    }
    store::IncomingMessage m;
    m.thread = {hook->userId, hook->conversationNumber};
    m.messageId = hook->messageId;
    m.sender = toString(hook->sender);
    m.timestamp = hook->timestamp;
    m.body = hook->messageBody;
    m.metadata = hook->metadata;
    const QString userId = hook->userId;
    m_store->enqueue(m, [this, responder, userId](const store::WriteResult &r) {
        if (!r.ok) {
            responder.send(storeUnavailable(r.error));
            return;
        }
        responder.send(messageStoredAck());
        emit hookStored(QStringLiteral("message"), QStringLiteral("receive"), userId, r.inserted);
    });
}

void WebhookListener::storeCreateUser(const QByteArray &body, const http::Responder &responder) {
    auto hook = CreateUserHook::fromJson(body);
    if (!hook) {
        refuse(responder, http::Response::error(400, hook.error().toString()));
        return;
    }
    // The event row puts the arrival in the user's feed; the user row holds the data.
    // It carries no timestamp the store could deduplicate by, so a redelivery (the
    // user already has the id we answered) is kept out of the feed here.
    const std::optional<store::User> known = m_store->user(hook->userId);
    if (!known || !known->ectUserId) {
        store::IncomingEvent e;
        e.thread = {hook->userId, QString()};
        e.category = QStringLiteral("user_events");
        e.subcategory = QStringLiteral("create_user");
        e.rawJson = body;
        m_store->enqueue(e);
    }

    store::User u;
    u.userId = hook->userId;
    u.name = hook->userName;
    u.devicePlatform = hook->devicePlatform;
    u.thirdPartyUserId = hook->thirdPartyUserId;
    u.detailsAvailable = hook->detailsAvailable;
    // Proposed only: the store keeps the first id it ever gave this user, so a
    // redelivered create_user gets the same answer.
    u.ectUserId = QStringLiteral("tc-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString userId = hook->userId;
    m_store->enqueue(u, [this, responder, userId](const store::WriteResult &r) {
        if (!r.ok) {
            responder.send(storeUnavailable(r.error));
            return;
        }
        CreateUserReply reply;
        reply.ectUserId = r.ectUserId;
        responder.send(http::Response::json(200, reply.toJson()));
        emit hookStored(QStringLiteral("user_events"), QStringLiteral("create_user"), userId,
                        r.inserted);
    });
}

void WebhookListener::storeEvent(const QString &category, const QString &subcategory,
                                 const QByteArray &body, const http::Responder &responder) {
    auto hook = EventHook::fromJson(body);
    if (!hook) {
        refuse(responder, http::Response::error(400, hook.error().toString()));
        return;
    }
    // The URL we registered says which hook this is; TRACT revisions differ in
    // what the body calls it (allocated under aeu_events or message).
    store::IncomingEvent e;
    e.thread = {hook->userId, hook->conversationNumber};
    e.category = category;
    e.subcategory = subcategory;
    e.metadata = hook->metadata;
    const QString timestamp = hook->extra.value(QStringLiteral("timestamp")).toString();
    if (!timestamp.isEmpty()) {
        const QDateTime t = QDateTime::fromString(timestamp, Qt::ISODateWithMs);
        if (t.isValid())
            e.timestamp = t.toUTC();
    }
    e.rawJson = body;
    const QString userId = hook->userId;
    m_store->enqueue(e,
                     [this, responder, category, subcategory, userId](const store::WriteResult &r) {
                         if (!r.ok) {
                             responder.send(storeUnavailable(r.error));
                             return;
                         }
                         responder.send(http::Response::json(200, QJsonObject()));
                         emit hookStored(category, subcategory, userId, r.inserted);
                     });
}

} // namespace tract
