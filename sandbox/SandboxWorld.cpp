#include "sandbox/SandboxWorld.h"

#include "models/common/Logging.h"

#include <QCoreApplication>
#include <QTimer>

namespace sandbox {

namespace {

const QString kDetailLabels[][2] = {{QStringLiteral("email"), QStringLiteral("Email")},
                                    {QStringLiteral("phone"), QStringLiteral("Phone")},
                                    {QStringLiteral("city"), QStringLiteral("City")},
                                    {QStringLiteral("order_id"), QStringLiteral("Order id")},
                                    {QStringLiteral("plan"), QStringLiteral("Plan")}};

} // namespace

SandboxWorld::SandboxWorld(const SandboxConfig &config, HookDispatcher *hooks, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_hooks(hooks)
    , m_bot(QString())
    , m_rng(config.seed) {}

const SimUser *SandboxWorld::user(const QString &userId) const {
    const auto it = m_users.constFind(userId);
    return it == m_users.cend() ? nullptr : &*it;
}

QJsonObject SandboxWorld::generatedDetails(const QString &name) {
    static const QStringList cities{QStringLiteral("Mumbai"), QStringLiteral("Pune"),
                                    QStringLiteral("Bengaluru"), QStringLiteral("Chennai"),
                                    QStringLiteral("Delhi")};
    static const QStringList plans{QStringLiteral("Basic"), QStringLiteral("Plus"),
                                   QStringLiteral("Family")};
    QString local = name.toLower();
    local.replace(QLatin1Char(' '), QLatin1Char('.'));
    return {
        {QStringLiteral("email"), local + QStringLiteral("@example.com")},
        {QStringLiteral("phone"),
         QStringLiteral("+91 98%1").arg(m_rng.bounded(10'000'000, 99'999'999))},
        {QStringLiteral("city"), cities.at(int(m_rng.bounded(quint32(cities.size()))))},
        {QStringLiteral("order_id"), QStringLiteral("ORD-%1").arg(m_rng.bounded(10'000, 99'999))},
        {QStringLiteral("plan"), plans.at(int(m_rng.bounded(quint32(plans.size()))))}};
}

QString SandboxWorld::ensureUser(const NewUser &spec) {
    static const QStringList names{QStringLiteral("Asha Rao"),   QStringLiteral("Ben Okafor"),
                                   QStringLiteral("Chen Wei"),   QStringLiteral("Dana Cohen"),
                                   QStringLiteral("Elif Demir"), QStringLiteral("Farid Khan"),
                                   QStringLiteral("Grace Lee"),  QStringLiteral("Hugo Silva"),
                                   QStringLiteral("Isha Patel"), QStringLiteral("Jonas Berg")};
    static const QStringList platforms{QStringLiteral("14"), QStringLiteral("5"),
                                       QStringLiteral("2"), QStringLiteral("6"),
                                       QStringLiteral("3")};
    QString id = spec.userId;
    if (!id.isEmpty() && m_users.contains(id))
        return id;
    while (id.isEmpty() || m_users.contains(id))
        id = QStringLiteral("user-%1").arg(m_nextGeneratedUser++);

    SimUser u;
    u.userId = id;
    u.userName = spec.userName.isEmpty() ? names.at(int(m_rng.bounded(quint32(names.size()))))
                                         : spec.userName;
    u.devicePlatform = spec.devicePlatform.isEmpty()
                           ? platforms.at(int(m_rng.bounded(quint32(platforms.size()))))
                           : spec.devicePlatform;
    u.thirdPartyUserId = QStringLiteral("tp-") + id;
    u.details = spec.details.isEmpty() ? generatedDetails(u.userName) : spec.details;
    if (!spec.owner.isEmpty())
        u.owner = spec.owner;
    u.ownerSince = QDateTime::currentDateTimeUtc();
    m_users.insert(id, u);
    m_order.append(id);

    tract::CreateUserHook hook;
    hook.userId = id;
    hook.thirdPartyUserId = u.thirdPartyUserId;
    hook.userName = u.userName;
    hook.devicePlatform = u.devicePlatform;
    for (const auto &kl : kDetailLabels) {
        if (u.details.contains(kl[0]))
            hook.detailsAvailable.append(
                QJsonObject{{QStringLiteral("key"), kl[0]}, {QStringLiteral("label"), kl[1]}});
    }
    for (auto it = u.details.constBegin(); it != u.details.constEnd(); ++it) {
        const bool listed = std::any_of(std::begin(kDetailLabels), std::end(kDetailLabels),
                                        [&](const QString(&kl)[2]) { return kl[0] == it.key(); });
        if (!listed)
            hook.detailsAvailable.append(QJsonObject{{QStringLiteral("key"), it.key()},
                                                     {QStringLiteral("label"), it.key()}});
    }
    const quint64 generation = m_generation;
    m_hooks->send(id, QStringLiteral("user_events"), QStringLiteral("create_user"), hook.toJson(),
                  [this, id, generation](const QByteArray &reply) {
                      if (generation != m_generation)
                          return;
                      auto parsed = tract::CreateUserReply::fromJson(reply);
                      auto it = m_users.find(id);
                      if (parsed && parsed->ectUserId && it != m_users.end())
                          it->ectUserId = *parsed->ectUserId;
                  });
    return id;
}

void SandboxWorld::deliverMessage(SimUser &u, tract::Sender sender, const QJsonObject &hsl) {
    tract::MessageHook hook;
    hook.userId = u.userId;
    hook.conversationNumber = QString::number(u.conversationNumber);
    hook.messageBody = hsl;
    hook.sender = sender;
    hook.messageId = m_nextMessageId++;
    hook.timestamp = QDateTime::currentDateTimeUtc();
    m_hooks->send(u.userId, QStringLiteral("message"), QStringLiteral("receive"), hook.toJson());
}

void SandboxWorld::deliverEvent(SimUser &u, const QString &category, const QString &subcategory,
                                const std::optional<QString> &metadata) {
    if (category == QLatin1String("conversation_state"))
        u.conversationState = subcategory;
    tract::EventHook hook;
    hook.conversationNumber = QString::number(u.conversationNumber);
    hook.userId = u.userId;
    hook.thirdPartyUserId = u.thirdPartyUserId;
    if (!u.ectUserId.isEmpty())
        hook.ectUserId = u.ectUserId;
    hook.type = category;
    hook.subtype = subcategory;
    hook.metadata = metadata;
    m_hooks->send(u.userId, category, subcategory, hook.toJson());
}

void SandboxWorld::endUserSays(const QString &userId, const QJsonObject &hsl) {
    auto it = m_users.find(userId);
    if (it == m_users.end())
        return;
    SimUser &u = *it;
    if (u.conversationState == QLatin1String("complete")) {
        // A completed conversation ends there; the user's next message opens the
        // next one, with the default receiver (the bot).
        ++u.conversationNumber;
        u.autoReplies = 0;
        deliverEvent(u, QStringLiteral("conversation_state"), QStringLiteral("bot"), std::nullopt);
    }
    deliverMessage(u, tract::Sender::Ceu, hsl);
    if (u.owner != kIva || u.conversationState == QLatin1String("incomplete"))
        return; // an agent owns it, or the bot already handed over and waits
    const QString text = hsl.value(QStringLiteral("text")).toString();
    const quint64 generation = m_generation;
    QTimer::singleShot(m_config.botReplyDelayMs, this, [this, userId, text, generation] {
        if (generation == m_generation)
            botTurn(userId, text);
    });
}

void SandboxWorld::botTurn(const QString &userId, const QString &text) {
    auto it = m_users.find(userId);
    if (it == m_users.end() || it->owner != kIva)
        return;
    const BotTurn turn = m_bot.respond(text, it->userName.section(QLatin1Char(' '), 0, 0));
    for (const QJsonObject &m : turn.messages)
        deliverMessage(*it, tract::Sender::Iva, m);
    if (!turn.handoff)
        return;
    deliverEvent(*it, QStringLiteral("conversation_state"), QStringLiteral("incomplete"),
                 std::nullopt);
    // Under Haptik's rules an ECT cannot take control, so the bot passes it.
    if (m_config.strictThreadControl)
        setOwner(userId, m_config.clientId, QStringLiteral("pass"), kIva);
}

void SandboxWorld::setOwner(const QString &userId, const QString &receiver,
                            const QString &subcategory, const QString &requester) {
    auto it = m_users.find(userId);
    if (it == m_users.end() || it->owner == receiver)
        return;
    const tract::OwnershipChange change{it->owner, receiver, requester};
    it->owner = receiver;
    it->ownerSince = QDateTime::currentDateTimeUtc();
    deliverEvent(*it, QStringLiteral("thread_control"), subcategory, change.toMetadata());
}

std::optional<SandboxWorld::ApiError>
SandboxWorld::ectSendsMessage(const tract::SendMessageRequest &request, const QJsonObject &raw) {
    auto it = m_users.find(request.userId);
    if (it == m_users.end())
        return ApiError{404, tr("unknown user_id '%1'").arg(request.userId)};
    if (it->owner != m_config.clientId) {
        return ApiError{
            403, tr("user '%1' is owned by '%2'; only the owner may message the user (take or "
                    "request control first)")
                     .arg(request.userId, it->owner)};
    }
    static const QStringList knownTypes{QStringLiteral("TEXT"),         QStringLiteral("BUTTON"),
                                        QStringLiteral("CAROUSEL"),     QStringLiteral("SYSTEM"),
                                        QStringLiteral("FORM"),         QStringLiteral("SILENT"),
                                        QStringLiteral("NATIVE_ACTION")};
    const QString type = request.messageBody.value(QStringLiteral("type")).toString();
    if (!knownTypes.contains(type))
        return ApiError{400, tr("message_body.type: unknown HSL type '%1'").arg(type)};
    // A resend of a message already taken (the ECT never saw our answer) is
    // acknowledged again but not delivered twice.
    const QString key = request.metadata.value_or(QJsonObject()).value(QStringLiteral("idempotency_key")).toString();
    if (!key.isEmpty() && m_seenIdempotencyKeys.contains(key))
        return std::nullopt;
    if (!key.isEmpty())
        m_seenIdempotencyKeys.insert(key);

    QJsonObject received = raw;
    received.insert(QStringLiteral("received_at"),
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    m_receivedMessages.append(received);
    scheduleUserReply(request.userId, request.messageBody);
    return std::nullopt;
}

void SandboxWorld::scheduleUserReply(const QString &userId, const QJsonObject &agentMessage) {
    SimUser &u = m_users[userId];
    if (m_config.userReplyDelayMs <= 0 || u.autoReplies >= m_config.maxAutoReplies)
        return;
    ++u.autoReplies;
    const quint64 generation = m_generation;
    // Vary the delay a little so several simulated users do not answer in lockstep.
    const int delay =
        m_config.userReplyDelayMs + int(m_rng.bounded(m_config.userReplyDelayMs / 2 + 1));
    QTimer::singleShot(delay, this, [this, userId, agentMessage, generation] {
        if (generation != m_generation || !m_users.contains(userId))
            return;
        endUserSays(userId, SimulatedBot::text(SimulatedBot::endUserFollowUp(agentMessage, m_rng)));
    });
}

std::optional<SandboxWorld::ApiError>
SandboxWorld::ectSendsEvent(const tract::SendEventRequest &request, const QJsonObject &raw) {
    auto it = m_users.find(request.userId);
    if (it == m_users.end())
        return ApiError{404, tr("unknown user_id '%1'").arg(request.userId)};
    QJsonObject received = raw;
    received.insert(QStringLiteral("received_at"),
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    m_receivedEvents.append(received);
    if (tract::normaliseCategory(request.type) == QLatin1String("conversation_state") &&
        request.subtype == QLatin1String("complete")) {
        it->conversationState = QStringLiteral("complete");
        // The conversation is over: its next message goes to the default receiver.
        setOwner(request.userId, kIva, QStringLiteral("pass"), m_config.clientId);
    }
    return std::nullopt;
}

QList<tract::Listener> SandboxWorld::listeners(const QString &userId) const {
    const SimUser *u = user(userId);
    const QString owner = u ? u->owner : kIva;
    const auto make = [&](const QString &id, const QString &name, bool primary, bool isDefault) {
        tract::Listener l;
        l.id = id;
        l.name = name;
        l.isPrimary = primary;
        l.isDefault = isDefault;
        l.active = owner == id;
        return l;
    };
    return {make(kIva, tr("IVA (bot)"), true, true),
            make(kSac, tr("Smart Agent Chat"), true, false),
            make(m_config.clientId, tr("External chat tool (%1)").arg(m_config.clientId), false,
                 false)};
}

tract::Expected<tract::ThreadControlResponse>
SandboxWorld::threadControl(const tract::ThreadControlRequest &request) {
    auto it = m_users.find(request.userId);
    if (it == m_users.end())
        return tract::Error{QStringLiteral("user_id"),
                            tr("unknown user_id '%1'").arg(request.userId)};
    const ThreadControlDecision d =
        decideThreadControl({m_config.clientId, it->owner, m_config.strictThreadControl},
                            request.type, request.requester, request.receiver);
    tract::ThreadControlResponse response;
    response.success = d.success;
    if (!d.success) {
        response.reason = tract::ThreadControlReason{d.code, d.message};
        return response;
    }
    if (!d.changesOwner)
        return response;
    const QString userId = request.userId;
    const QString requester = request.requester;
    const QString subcategory = tract::toString(request.type);
    const auto apply = [this, userId, requester, subcategory, d] {
        setOwner(userId, d.newOwner, subcategory, requester);
        auto u = m_users.find(userId);
        if (d.completesConversation && u != m_users.end())
            deliverEvent(*u, QStringLiteral("conversation_state"), QStringLiteral("complete"),
                         std::nullopt);
    };
    if (!d.deferred) {
        apply();
        return response;
    }
    // The bot or a SAC agent answers a request after a moment, if nothing else
    // changed hands meanwhile.
    const QString ownerWhenAsked = it->owner;
    const quint64 generation = m_generation;
    QTimer::singleShot(
        m_config.requestGrantDelayMs, this, [this, userId, ownerWhenAsked, generation, apply] {
            auto u = m_users.find(userId);
            if (generation == m_generation && u != m_users.end() && u->owner == ownerWhenAsked)
                apply();
        });
    return response;
}

void SandboxWorld::emitEvent(const QString &userId, const QString &category,
                             const QString &subcategory, const std::optional<QString> &metadata) {
    auto it = m_users.find(userId);
    if (it != m_users.end())
        deliverEvent(*it, category, subcategory, metadata);
}

QJsonObject SandboxWorld::stateJson() const {
    QJsonArray users;
    for (const QString &id : m_order) {
        const SimUser &u = m_users[id];
        QJsonObject o{
            {QStringLiteral("user_id"), u.userId},
            {QStringLiteral("user_name"), u.userName},
            {QStringLiteral("device_platform"), u.devicePlatform},
            {QStringLiteral("owner"), u.owner},
            {QStringLiteral("owner_since"), u.ownerSince.toString(Qt::ISODateWithMs)},
            {QStringLiteral("conversation_number"), QString::number(u.conversationNumber)},
            {QStringLiteral("conversation_state"), u.conversationState},
            {QStringLiteral("details"), u.details}};
        if (!u.ectUserId.isEmpty())
            o.insert(QStringLiteral("ect_user_id"), u.ectUserId);
        users.append(o);
    }
    return {
        {QStringLiteral("users"), users},
        {QStringLiteral("received"), QJsonObject{{QStringLiteral("messages"), m_receivedMessages},
                                                 {QStringLiteral("events"), m_receivedEvents}}}};
}

void SandboxWorld::reset() {
    ++m_generation;
    m_users.clear();
    m_order.clear();
    m_nextMessageId = 1;
    m_nextGeneratedUser = 1;
    m_receivedMessages = {};
    m_receivedEvents = {};
    m_seenIdempotencyKeys.clear();
    m_rng.seed(m_config.seed);
}

} // namespace sandbox
