#include "network/hub/HubCommands.h"

#include "models/common/Logging.h"
#include "models/store/Store.h"
#include "network/client/TractClient.h"
#include "network/hub/AssignmentBook.h"
#include "network/hub/HubDatabase.h"
#include "network/hub/HubEventLog.h"
#include "network/hub/HubProtocol.h"
#include "network/hub/HubServer.h"
#include "network/outbox/ConversationService.h"
#include "network/outbox/OutboxSender.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace tract::hub {

namespace {

HubCommands::Outcome refused(const QString &why) {
    return {{{QStringLiteral("ok"), false}, {QStringLiteral("error"), why}}, 0, {}};
}
HubCommands::Outcome succeeded(QJsonObject extras = {}, qint64 outboxId = 0,
                               HubCommands::Effect effect = {}) {
    extras.insert(QStringLiteral("ok"), true);
    if (outboxId > 0)
        extras.insert(QStringLiteral("outbox_id"), outboxId);
    return {extras, outboxId, std::move(effect)};
}

// Read-only questions are answered afresh every time.
bool remembered(const QString &action) {
    return action != QLatin1String("listeners") && action != QLatin1String("user_details");
}

const QStringList kActions = {
    QStringLiteral("send_message"), QStringLiteral("take"),      QStringLiteral("pass"),
    QStringLiteral("request"),      QStringLiteral("complete"),  QStringLiteral("assign"),
    QStringLiteral("presence"),     QStringLiteral("listeners"), QStringLiteral("user_details"),
    QStringLiteral("retry"),        QStringLiteral("cancel")};
} // namespace

HubCommands::HubCommands(const Deps &deps, QObject *parent)
    : QObject(parent)
    , m_deps(deps) {}

void HubCommands::execute(HubSession *session, const QJsonObject &command) {
    const Caller caller{session->agent(), session->role() == team::Role::Supervisor};
    const QString id = command.value(QLatin1String("id")).toString();
    const QString key = caller.agent + QLatin1Char('\n') + id;
    if (const auto stored = m_deps.db->command(caller.agent, id)) {
        QJsonObject answer = stored->result;
        answer.insert(QStringLiteral("type"), QStringLiteral("result"));
        answer.insert(QStringLiteral("id"), id);
        session->send(answer);
        return;
    }
    const bool running = m_inFlight.contains(key);
    m_inFlight[key].append(QPointer<HubSession>(session));
    if (running)
        return;
    const QString action = command.value(QLatin1String("action")).toString();
    run(caller, action, command, [this, key, caller, id, action](Outcome outcome) {
        finish(key, caller, id, std::move(outcome), remembered(action));
    });
}

void HubCommands::finish(const QString &key, const Caller &caller, const QString &id,
                         Outcome outcome, bool remember) {
    const bool ok = m_deps.log->write([&](EventBatch &batch) {
        HubDatabase::CommandRecord record{caller.agent, id, outcome.result, outcome.outboxId, {}};
        if (outcome.outboxId > 0) {
            const auto item = m_deps.store->outboxItem(outcome.outboxId);
            record.outboxState =
                item ? store::outboxStateName(item->state) : QStringLiteral("pending");
            batch.add(QStringLiteral("outbox"),
                      {{QStringLiteral("outbox_id"), outcome.outboxId},
                       {QStringLiteral("command_id"), id},
                       {QStringLiteral("agent"), caller.agent},
                       {QStringLiteral("user_id"), item ? item->thread.userId : QString()},
                       {QStringLiteral("state"), record.outboxState},
                       {QStringLiteral("error"), item ? item->lastError : QString()}});
        }
        if (outcome.effect)
            outcome.effect(batch);
        return !remember || batch.db().saveCommand(record);
    });
    QJsonObject answer = outcome.result;
    if (!ok) {
        // Nothing was changed in the team and nothing remembered; the client
        // may send the same command again.
        answer = refused(tr("the hub could not store the answer: %1").arg(m_deps.db->lastError()))
                     .result;
    }
    answer.insert(QStringLiteral("type"), QStringLiteral("result"));
    answer.insert(QStringLiteral("id"), id);
    const auto waiting = m_inFlight.take(key);
    for (const QPointer<HubSession> &session : waiting)
        if (session)
            session->send(answer);
}

QString HubCommands::displayName(const QString &userId) const {
    const auto user = m_deps.store->user(userId);
    return user && user->name && !user->name->isEmpty() ? *user->name : userId;
}

QString HubCommands::liveConversation(const QString &userId) const {
    store::ThreadQuery q;
    q.userId = userId;
    q.limit = 1;
    const QList<store::Thread> threads = m_deps.store->threads(q);
    return threads.isEmpty() ? QString() : threads.first().key.conversationNumber;
}

QString HubCommands::refusal(const Caller &caller, const QString &action,
                             const QString &userId) const {
    if (caller.supervisor)
        return {};
    if (action == QLatin1String("assign"))
        return tr("only a supervisor can assign threads");
    const QString assignee = m_deps.book->team().assigneeOf(userId);
    if (assignee == caller.agent)
        return {};
    if (!assignee.isEmpty())
        return tr("%1's thread is assigned to %2").arg(displayName(userId), assignee);
    if (action == QLatin1String("take") || action == QLatin1String("request"))
        return {};
    return tr("%1's thread is not assigned to you; take it first").arg(displayName(userId));
}

void HubCommands::run(const Caller &caller, const QString &action, const QJsonObject &command,
                      Done done) {
    if (!kActions.contains(action)) {
        done(refused(command.value(QLatin1String("action")).isString()
                         ? tr("unknown action \"%1\"").arg(action)
                         : tr("action is missing or not a string")));
        return;
    }
    if (action == QLatin1String("presence")) {
        const QString status = command.value(QLatin1String("status")).toString();
        if (status != QLatin1String("online") && status != QLatin1String("away")) {
            done(refused(tr("status must be \"online\" or \"away\"")));
            return;
        }
        emit presenceRequested(caller.agent, status);
        done(succeeded());
        return;
    }
    if (action == QLatin1String("retry") || action == QLatin1String("cancel")) {
        const qint64 outboxId = command.value(QLatin1String("outbox_id")).toInteger();
        const auto made = m_deps.db->commandForOutbox(outboxId);
        if (outboxId <= 0 || !made) {
            done(refused(tr("no reply with outbox_id %1").arg(outboxId)));
            return;
        }
        if (made->agent != caller.agent && !caller.supervisor) {
            done(refused(tr("that reply was sent by %1").arg(made->agent)));
            return;
        }
        const bool retry = action == QLatin1String("retry");
        if (!(retry ? m_deps.store->retryOutbox(outboxId) : m_deps.store->cancelOutbox(outboxId))) {
            done(refused(retry ? tr("only a failed reply can be retried")
                               : tr("only a pending or failed reply can be cancelled")));
            return;
        }
        done(succeeded());
        outboxChanged(outboxId, retry ? QStringLiteral("pending") : QStringLiteral("cancelled"),
                      {});
        if (retry)
            m_deps.outbox->kick();
        return;
    }

    const QJsonValue userValue = command.value(QLatin1String("user_id"));
    const QString userId = userValue.toString();
    if (!userValue.isString() || userId.isEmpty()) {
        done(refused(tr("user_id is missing or not a string")));
        return;
    }
    if (const QString why = refusal(caller, action, userId); !why.isEmpty()) {
        done(refused(why));
        return;
    }
    const QString key = QStringLiteral("hub:%1:%2")
                            .arg(caller.agent, command.value(QLatin1String("id")).toString());

    if (action == QLatin1String("send_message")) {
        QJsonValue body = command.value(QLatin1String("message_body"));
        if (body.isString())
            body = QJsonDocument::fromJson(body.toString().toUtf8()).object();
        if (!body.isObject() || body.toObject().isEmpty()) {
            done(refused(tr("message_body must be an HSL object (or a string holding one)")));
            return;
        }
        QString conversation = command.value(QLatin1String("conversation_no")).toString();
        if (conversation.isEmpty())
            conversation = liveConversation(userId);
        if (conversation.isEmpty()) {
            done(refused(tr("there is no conversation with %1").arg(userId)));
            return;
        }
        const auto user = m_deps.store->user(userId);
        const auto queued = m_deps.conversations->sendMessage(
            userId, conversation, body.toObject(),
            user && user->ectUserId ? *user->ectUserId : QString(), key);
        done(queued.ok ? succeeded({}, queued.outboxId)
                       : refused(tr("the reply could not be stored: %1").arg(queued.error)));
        return;
    }
    if (action == QLatin1String("complete")) {
        const auto queued = m_deps.conversations->sendEvent(
            userId, liveConversation(userId), QStringLiteral("conversation_state"),
            QStringLiteral("complete"), std::nullopt, key);
        if (!queued.ok) {
            done(refused(tr("the event could not be stored: %1").arg(queued.error)));
            return;
        }
        const QString agent = caller.agent;
        done(succeeded({}, queued.outboxId, [this, userId, agent](EventBatch &batch) {
            m_deps.book->close(batch, userId, agent);
        }));
        return;
    }
    if (action == QLatin1String("assign")) {
        const QJsonValue agentValue = command.value(QLatin1String("agent"));
        const QString agent = agentValue.toString();
        if (!agentValue.isString()) {
            done(refused(tr("agent must be a string (empty: the queue)")));
            return;
        }
        if (!agent.isEmpty() && !m_deps.book->team().agents.contains(agent)) {
            done(refused(tr("no such agent: %1").arg(agent)));
            return;
        }
        if (!m_deps.store->user(userId)) {
            done(refused(tr("no such user: %1").arg(userId)));
            return;
        }
        const QString by = caller.agent;
        const QString conversation = liveConversation(userId);
        done(succeeded({}, 0, [this, userId, conversation, agent, by](EventBatch &batch) {
            m_deps.book->assign(
                batch, userId, conversation, agent,
                agent.isEmpty() ? QStringLiteral("requeued") : QStringLiteral("reassigned"), by);
        }));
        return;
    }
    if (action == QLatin1String("listeners")) {
        m_deps.client->fetchListeners(userId)->onResult(
            this, [done](const TractResult<FetchListenersResponse> &r) {
                if (!r) {
                    done(refused(r.failure().message));
                    return;
                }
                QJsonArray listeners;
                for (const Listener &l : r->listeners)
                    listeners.append(l.toJson());
                done(succeeded({{QStringLiteral("listeners"), listeners}}));
            });
        return;
    }
    if (action == QLatin1String("user_details")) {
        const QJsonArray keys = command.value(QLatin1String("details_requested")).toArray();
        if (keys.isEmpty()) {
            m_deps.client->getUser(userId)->onResult(
                this, [done](const TractResult<GetUserResponse> &r) {
                    done(r ? succeeded({{QStringLiteral("user"), r->toJson()}})
                           : refused(r.failure().message));
                });
            return;
        }
        QStringList wanted;
        for (const QJsonValue &k : keys)
            wanted.append(k.toString());
        m_deps.client->getUserDetails(userId, wanted)
            ->onResult(this, [done](const TractResult<GetUserDetailsResponse> &r) {
                done(r ? succeeded({{QStringLiteral("user"), r->toJson()}})
                       : refused(r.failure().message));
            });
        return;
    }
    threadControl(caller, action, userId, command.value(QLatin1String("to")).toString(),
                  std::move(done));
}

void HubCommands::threadControl(const Caller &caller, const QString &action, const QString &userId,
                                const QString &to, Done done) {
    TractReply<ThreadControlResponse> *call = nullptr;
    if (action == QLatin1String("take")) {
        call = m_deps.client->take(userId);
    } else if (action == QLatin1String("request")) {
        call = m_deps.client->request(userId);
    } else {
        if (to.isEmpty()) {
            done(refused(tr("to is missing: the listener to pass the thread to (iva, sac, …)")));
            return;
        }
        call = m_deps.client->pass(userId, to);
    }
    const QString agent = caller.agent;
    const QString conversation = liveConversation(userId);
    call->onResult(this, [this, done, action, userId, agent,
                          conversation](const TractResult<ThreadControlResponse> &r) {
        if (!r) {
            done(refused(r.failure().message));
            return;
        }
        if (action == QLatin1String("pass")) {
            done(succeeded({}, 0, [this, userId, agent](EventBatch &batch) {
                m_deps.book->close(batch, userId, agent);
            }));
            return;
        }
        // Whoever takes a thread holds it; the hook that follows finds it held.
        done(succeeded({}, 0, [this, userId, agent, conversation](EventBatch &batch) {
            m_deps.book->assign(batch, userId, conversation, agent, QStringLiteral("taken"), agent);
        }));
    });
}

void HubCommands::outboxChanged(qint64 outboxId, const QString &state, const QString &error) {
    const auto made = m_deps.db->commandForOutbox(outboxId);
    if (!made || made->outboxState == state)
        return;
    const auto item = m_deps.store->outboxItem(outboxId);
    m_deps.log->write([&](EventBatch &batch) {
        batch.add(QStringLiteral("outbox"),
                  {{QStringLiteral("outbox_id"), outboxId},
                   {QStringLiteral("command_id"), made->id},
                   {QStringLiteral("agent"), made->agent},
                   {QStringLiteral("user_id"), item ? item->thread.userId : QString()},
                   {QStringLiteral("state"), state},
                   {QStringLiteral("error"), error}});
        return batch.db().setOutboxState(outboxId, state);
    });
}

void HubCommands::reconcileOutbox() {
    for (const HubDatabase::CommandRecord &r : m_deps.db->commandsWithOpenOutbox()) {
        const auto item = m_deps.store->outboxItem(r.outboxId);
        if (item && item->state != store::OutboxState::Pending)
            outboxChanged(r.outboxId, store::outboxStateName(item->state), item->lastError);
    }
}

} // namespace tract::hub
