#include "app/HubBackend.h"

#include "models/store/Store.h"
#include "network/hub/HubClient.h"
#include "network/hub/HubMirror.h"

#include <QJsonArray>
#include <QUuid>

namespace console {

namespace {
using tract::hub::HubClient;

tract::TractFailure refusal(const QJsonObject &result) {
    tract::TractFailure f;
    f.kind = tract::TractFailure::Kind::Refused;
    f.message = result.value(QLatin1String("error")).toString();
    f.serverError = f.message;
    return f;
}

// A hub answer carrying one of TRACT's answers (listeners, user_details).
template <typename T>
tract::TractResult<T> carried(const QJsonObject &result, const QJsonObject &v) {
    if (!result.value(QLatin1String("ok")).toBool())
        return refusal(result);
    tract::Expected<T> parsed = T::fromJson(v);
    if (!parsed) {
        tract::TractFailure f;
        f.kind = tract::TractFailure::Kind::BadResponse;
        f.message = parsed.error().toString();
        return f;
    }
    return std::move(*parsed);
}
} // namespace

HubBackend::HubBackend(const QUrl &url, const QString &token, QObject *parent)
    : ConsoleBackend(parent)
    , m_url(url)
    , m_store(std::make_unique<tract::store::Store>())
    , m_client(std::make_unique<HubClient>(url, token))
    , m_mirror(std::make_unique<tract::hub::HubMirror>(m_store.get())) {
    connect(m_store.get(), &tract::store::Store::committed, this, &ConsoleBackend::storeChanged);
    connect(m_mirror.get(), &tract::hub::HubMirror::teamChanged, this,
            &ConsoleBackend::teamChanged);
    connect(m_mirror.get(), &tract::hub::HubMirror::liveEvent, this, &HubBackend::onLiveEvent);
    connect(m_client.get(), &HubClient::welcomed, this, [this](const QJsonObject &welcome) {
        m_mirror->applyWelcome(welcome);
        reportLink();
        if (!m_ready) {
            m_ready = true;
            emit ready();
        }
    });
    connect(m_client.get(), &HubClient::snapshotReceived, m_mirror.get(),
            &tract::hub::HubMirror::applySnapshot);
    connect(m_client.get(), &HubClient::eventReceived, m_mirror.get(),
            &tract::hub::HubMirror::applyEvent);
    connect(m_client.get(), &HubClient::resultReceived, this, &HubBackend::onResult);
    connect(m_client.get(), &HubClient::stateChanged, this, &HubBackend::reportLink);
    connect(m_client.get(), &HubClient::errorReceived, this, [this](const QString &message) {
        emit note(QString(), QStringLiteral("hub"), tr("The hub answered: %1").arg(message));
    });
    connect(m_client.get(), &HubClient::refused, this, [this](const QString &reason) {
        emit fatal(
            reason.isEmpty()
                ? tr("The hub at %1 refused this agent's token (revoked or "
                     "wrong).")
                      .arg(m_url.toString())
                : tr("The hub at %1 refused this agent's token: %2").arg(m_url.toString(), reason));
    });
}

HubBackend::~HubBackend() {
    m_client->stop();
    m_store->close();
}

bool HubBackend::start(QString *error) {
    if (!m_dir.isValid()) {
        *error = tr("cannot create a private directory for the hub's threads: %1")
                     .arg(m_dir.errorString());
        return false;
    }
    if (!m_store->open(m_dir.filePath(QStringLiteral("mirror.sqlite")))) {
        *error = m_store->lastError();
        return false;
    }
    // A fresh mirror, so everything the hub keeps.
    m_client->start(0);
    return true;
}

bool HubBackend::isReady() const {
    return m_ready;
}

QString HubBackend::agentName() const {
    return m_mirror->team().me;
}

tract::store::Store *HubBackend::store() const {
    return m_store.get();
}

QString HubBackend::receiverId() const {
    return m_mirror->receiverId();
}

QString HubBackend::sourceText() const {
    return m_url.toString();
}

const tract::team::TeamState *HubBackend::team() const {
    return &m_mirror->team();
}

void HubBackend::announce() {
    reportLink();
}

void HubBackend::reportLink() {
    switch (m_client->state()) {
    case HubClient::State::Connected: {
        const auto &team = m_mirror->team();
        emit linkChanged(true, team.isSupervisor() ? tr("Hub: %1 (supervisor)").arg(team.me)
                                                   : tr("Hub: %1 (agent)").arg(team.me));
        break;
    }
    case HubClient::State::Connecting:
        emit linkChanged(false, tr("Connecting to the hub…"));
        break;
    case HubClient::State::Reconnecting:
        emit linkChanged(false, tr("Reconnecting…"));
        break;
    case HubClient::State::Refused:
        emit linkChanged(false, tr("The hub refused the token"));
        break;
    case HubClient::State::Disconnected:
        emit linkChanged(false, tr("Not connected to the hub"));
        break;
    }
}

QString HubBackend::command(const QString &action, const QJsonObject &fields, QObject *context,
                            Answer answer) {
    const QString id = m_client->send(action, fields);
    if (answer)
        m_waiting.insert(id, {context ? context : this, std::move(answer)});
    return id;
}

void HubBackend::teamCommand(const QString &action, const QJsonObject &fields) {
    command(action, fields, this, [this](const QJsonObject &result) {
        if (!result.value(QLatin1String("ok")).toBool())
            emit actionFailed(result.value(QLatin1String("error")).toString());
    });
}

void HubBackend::onResult(const QString &id, const QJsonObject &result) {
    if (const auto reply = m_replies.constFind(id); reply != m_replies.cend()) {
        m_replies.erase(reply);
        m_mirror->ownReplyAnswered(id, result);
    }
    const Waiting waiting = m_waiting.take(id);
    if (waiting.context && waiting.answer)
        waiting.answer(result);
}

void HubBackend::onLiveEvent(const QString &kind, const QString &userId, const QJsonObject &event) {
    const auto &team = m_mirror->team();
    if (kind == QLatin1String("message")) {
        const QJsonObject message = event.value(QLatin1String("message")).toObject();
        if (message.value(QLatin1String("direction")).toString() != QLatin1String("out"))
            emit hookStored(QStringLiteral("message"), QString(), userId, true);
    } else if (kind == QLatin1String("assignment")) {
        // In a team the handoff that concerns this agent is the one routed to it.
        if (event.value(QLatin1String("agent")).toString() == team.me &&
            event.value(QLatin1String("state")).toString() == QLatin1String("assigned"))
            emit hookStored(QStringLiteral("conversation_state"), QStringLiteral("incomplete"),
                            userId, true);
    }
}

QString HubBackend::sendReply(const QString &userId, const QString &conversationNumber,
                              const QJsonObject &hsl) {
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QString error;
    const auto local = m_mirror->addOwnReply(id, {userId, conversationNumber}, hsl, &error);
    if (!local)
        return error;
    m_replies.insert(id, *local);
    m_client->send(QStringLiteral("send_message"),
                   {{QStringLiteral("user_id"), userId},
                    {QStringLiteral("conversation_no"), conversationNumber},
                    {QStringLiteral("message_body"), hsl}},
                   id);
    return {};
}

void HubBackend::threadControl(const QString &userId, Control action, const QString &receiver,
                               QObject *context, Done<tract::ThreadControlResponse> done) {
    QJsonObject fields{{QStringLiteral("user_id"), userId}};
    QString name = QStringLiteral("request");
    if (action == Control::Take) {
        name = QStringLiteral("take");
    } else if (action == Control::Pass) {
        name = QStringLiteral("pass");
        fields.insert(QStringLiteral("to"), receiver);
    }
    command(name, fields, context, [done = std::move(done)](const QJsonObject &result) {
        if (!result.value(QLatin1String("ok")).toBool()) {
            done(refusal(result));
            return;
        }
        tract::ThreadControlResponse r;
        r.success = true;
        done(r);
    });
}

void HubBackend::fetchListeners(const QString &userId, QObject *context,
                                Done<tract::FetchListenersResponse> done) {
    command(
        QStringLiteral("listeners"), {{QStringLiteral("user_id"), userId}}, context,
        [done = std::move(done)](const QJsonObject &result) {
            done(carried<tract::FetchListenersResponse>(
                result, {{QStringLiteral("listeners"), result.value(QLatin1String("listeners"))}}));
        });
}

void HubBackend::getUser(const QString &userId, QObject *context,
                         Done<tract::GetUserResponse> done) {
    command(QStringLiteral("user_details"), {{QStringLiteral("user_id"), userId}}, context,
            [done = std::move(done)](const QJsonObject &result) {
                done(carried<tract::GetUserResponse>(
                    result, result.value(QLatin1String("user")).toObject()));
            });
}

void HubBackend::getUserDetails(const QString &userId, const QStringList &keys, QObject *context,
                                Done<tract::GetUserDetailsResponse> done) {
    command(QStringLiteral("user_details"),
            {{QStringLiteral("user_id"), userId},
             {QStringLiteral("details_requested"), QJsonArray::fromStringList(keys)}},
            context, [done = std::move(done)](const QJsonObject &result) {
                done(carried<tract::GetUserDetailsResponse>(
                    result, result.value(QLatin1String("user")).toObject()));
            });
}

void HubBackend::retryOutbox(qint64 outboxId) {
    if (const qint64 hubId = m_mirror->hubOutboxOf(outboxId); hubId > 0) {
        // The hub has it and TRACT failed it: the hub retries (its outbox event
        // moves this item back to pending).
        teamCommand(QStringLiteral("retry"), {{QStringLiteral("outbox_id"), hubId}});
        return;
    }
    const auto item = m_store->outboxItem(outboxId);
    if (!item || m_mirror->commandOf(outboxId).isEmpty() ||
        item->state != tract::store::OutboxState::Failed)
        return;
    // The hub refused it (say, the thread was not this agent's then): a new
    // command, since the old id would get the old answer.
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_mirror->resendOwnReply(outboxId, id);
    m_replies.insert(id, outboxId);
    m_client->send(QStringLiteral("send_message"), item->payload, id);
}

void HubBackend::cancelOutbox(qint64 outboxId) {
    const QString id = m_mirror->commandOf(outboxId);
    if (id.isEmpty())
        return;
    if (const qint64 hubId = m_mirror->hubOutboxOf(outboxId); hubId > 0) {
        teamCommand(QStringLiteral("cancel"), {{QStringLiteral("outbox_id"), hubId}});
        return;
    }
    if (!m_replies.contains(id) || m_client->withdraw(id)) {
        // Refused by the hub, or never seen by it: nothing to undo there.
        m_replies.remove(id);
        m_mirror->withdrawOwnReply(outboxId);
        return;
    }
    emit actionFailed(tr("The hub may already have this reply: it can be cancelled once the hub "
                         "has answered."));
}

int HubBackend::unsentReplies() const {
    return int(m_replies.size());
}

void HubBackend::assign(const QString &userId, const QString &agent) {
    teamCommand(QStringLiteral("assign"),
                {{QStringLiteral("user_id"), userId}, {QStringLiteral("agent"), agent}});
}

void HubBackend::setPresence(const QString &status) {
    teamCommand(QStringLiteral("presence"), {{QStringLiteral("status"), status}});
}

void HubBackend::complete(const QString &userId) {
    teamCommand(QStringLiteral("complete"), {{QStringLiteral("user_id"), userId}});
}

} // namespace console
