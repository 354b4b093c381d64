#pragma once

// Helpers shared by the tract-sandbox integration tests: each test talks to the
// real binary (SandboxProcess) over HTTP and receives its hooks on a real local
// listener (HookReceiver).

#include "HookKinds.h"
#include "HookReceiver.h"
#include "SandboxProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QTest>

namespace sbtest {

using namespace Qt::StringLiterals;
using testsupport::HookReceiver;
using testsupport::SandboxProcess;
using Hook = HookReceiver::Hook;
using testsupport::allHookKinds;
using testsupport::HookKind;

// Registers `kinds` with the sandbox, pointing at `receiver`. False (with a
// warning naming the failing kind) unless every call answered 200.
inline bool registerHooks(const SandboxProcess &sandbox, const HookReceiver &receiver,
                          const QList<HookKind> &kinds = allHookKinds()) {
    for (const HookKind &k : kinds) {
        const auto r = sandbox.tract("POST", u"/tract/hooks/register/"_s,
                                     {{u"category"_s, k.first},
                                      {u"subcategory"_s, k.second},
                                      {u"url"_s, receiver.urlFor(k.first, k.second)}});
        if (r.status != 200) {
            qWarning().noquote() << "registering" << k.first << k.second << "gave" << r.status
                                 << r.body;
            return false;
        }
    }
    return true;
}

inline bool resetSandbox(const SandboxProcess &sandbox) {
    return sandbox.post(u"/sandbox/reset"_s, {}).status == 200;
}

inline QString userOf(const Hook &h) {
    return h.json.value(u"user_id"_s).toString();
}

inline QList<Hook> hooksForUser(const QList<Hook> &hooks, const QString &userId) {
    QList<Hook> out;
    for (const Hook &h : hooks) {
        if (userOf(h) == userId)
            out.append(h);
    }
    return out;
}

// A short, exact description of a hook, so tests can compare whole sequences:
//   "create_user", "ceu TEXT hello", "iva CAROUSEL", "conversation_state/complete",
//   "thread_control/take iva>demo by demo", "aeu_events/allocated".
inline QString describe(const Hook &h) {
    if (h.category == u"user_events"_s && h.subcategory == u"create_user"_s)
        return u"create_user"_s;
    if (h.category == u"message"_s) {
        const QJsonObject body = h.json.value(u"message_body"_s).toObject();
        QString d = h.json.value(u"sender"_s).toString() + u' ' + body.value(u"type"_s).toString();
        if (h.json.value(u"sender"_s).toString() == u"ceu"_s)
            d += u' ' + body.value(u"text"_s).toString();
        return d;
    }
    QString d = h.category + u'/' + h.subcategory;
    if (h.category == u"thread_control"_s) {
        const QJsonObject m =
            QJsonDocument::fromJson(h.json.value(u"metadata"_s).toString().toUtf8()).object();
        d += u" %1>%2 by %3"_s.arg(m.value(u"from"_s).toString(), m.value(u"to"_s).toString(),
                                   m.value(u"requester"_s).toString());
    }
    return d;
}

inline QStringList describeAll(const QList<Hook> &hooks) {
    QStringList out;
    for (const Hook &h : hooks)
        out.append(describe(h));
    return out;
}

// The 2xx-acknowledged hooks of one user, described.
inline QStringList timeline(const HookReceiver &receiver, const QString &userId) {
    return describeAll(hooksForUser(receiver.hooks(), userId));
}

inline QByteArray header(const Hook &h, QByteArrayView lowerCaseName) {
    for (const auto &kv : h.headers) {
        if (kv.first == lowerCaseName)
            return kv.second;
    }
    return {};
}

inline QJsonObject findUser(const QJsonObject &state, const QString &userId) {
    for (const QJsonValue &v : state.value(u"users"_s).toArray()) {
        if (v.toObject().value(u"user_id"_s).toString() == userId)
            return v.toObject();
    }
    return {};
}

inline QString ownerOf(const SandboxProcess &sandbox, const QString &userId) {
    return findUser(sandbox.state(), userId).value(u"owner"_s).toString();
}

inline QList<QJsonObject> deliveriesFor(const QJsonObject &state, const QString &userId) {
    QList<QJsonObject> out;
    for (const QJsonValue &v : state.value(u"deliveries"_s).toArray()) {
        if (v.toObject().value(u"user_id"_s).toString() == userId)
            out.append(v.toObject());
    }
    return out;
}

inline QJsonObject parse(const QByteArray &json) {
    return QJsonDocument::fromJson(json).object();
}

inline QByteArray compact(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Thread control through the TRACT API.
inline SandboxProcess::Reply control(const SandboxProcess &sandbox, const QString &userId,
                                     const QString &type, const QString &requester,
                                     const QString &receiver) {
    return sandbox.tract("POST", u"/tract/thread_control/request"_s,
                         {{u"user_id"_s, userId},
                          {u"type"_s, type},
                          {u"requester"_s, requester},
                          {u"receiver"_s, receiver}});
}

// An end user's message through the control API.
inline SandboxProcess::Reply say(const SandboxProcess &sandbox, const QString &userId,
                                 const QString &text) {
    return sandbox.post(u"/sandbox/messages"_s, {{u"user_id"_s, userId}, {u"text"_s, text}});
}

// The common fast settings: quick bot, silent users, short timeouts and retries.
inline QStringList fastArgs() {
    return {u"--bot-delay"_s,      u"20"_s,     u"--user-reply-delay"_s, u"0"_s,
            u"--grant-delay"_s,    u"150"_s,    u"--hook-timeout"_s,     u"1000"_s,
            u"--retry-schedule"_s, u"0.2,0.2"_s};
}

} // namespace sbtest
