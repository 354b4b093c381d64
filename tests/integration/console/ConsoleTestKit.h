#pragma once

// Helpers shared by the console integration tests: the real tract-console
// (ConsoleProcess, or the in-process core) talking to the real tract-sandbox
// (SandboxProcess) over loopback HTTP, with a real SQLite store.

#include "ConsoleProcess.h"
#include "HookKinds.h"
#include "SandboxProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QTest>

namespace consoletest {

using namespace Qt::StringLiterals;
using testsupport::allHookKinds;
using testsupport::HookKind;
using testsupport::SandboxProcess;

// The 13 of the 15 that are event hooks.
inline QList<HookKind> eventHookKinds() {
    QList<HookKind> kinds = allHookKinds();
    kinds.removeFirst();
    kinds.removeFirst();
    return kinds;
}

// Quick bot, silent users, short hook timeout and retries.
inline QStringList fastSandboxArgs() {
    return {u"--bot-delay"_s,        u"20"_s,
            u"--user-reply-delay"_s, u"0"_s,
            u"--grant-delay"_s,      u"150"_s,
            u"--hook-timeout"_s,     u"2000"_s,
            u"--retry-schedule"_s,   u"0.2,0.2,0.2,0.2,0.2"_s};
}

// The hooks TRACT lists for us (GET /tract/hooks/list/).
inline QJsonArray listedHooks(const SandboxProcess &sandbox) {
    return sandbox.tract("GET", u"/tract/hooks/list/"_s).json.value(u"hooks"_s).toArray();
}

// The <secret> segment of the URLs the console registered, read back from TRACT.
inline QByteArray registeredPathSecret(const SandboxProcess &sandbox) {
    for (const QJsonValue &v : listedHooks(sandbox)) {
        const QUrl url(v.toObject().value(u"url"_s).toString());
        const QStringList parts = url.path().split(u'/');
        if (parts.size() == 5 && parts.at(1) == u"hooks"_s)
            return parts.at(2).toUtf8();
    }
    return {};
}

inline QByteArray hookPath(const QByteArray &secret, const QString &category,
                           const QString &subcategory) {
    return "/hooks/" + secret + '/' + category.toUtf8() + '/' + subcategory.toUtf8();
}

inline QByteArray compact(const QJsonObject &o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

inline QJsonObject textHsl(const QString &text) {
    return {{u"type"_s, u"TEXT"_s},
            {u"text"_s, text},
            {u"data"_s, QJsonObject{{u"quick_replies"_s, QJsonArray()}}}};
}

// A message hook body as TRACT sends it.
inline QJsonObject messageHook(const QString &userId, const QString &sender, const QString &text,
                               const QJsonValue &messageId = QJsonValue::Undefined,
                               const QString &timestamp = {},
                               const QString &conversation = u"1"_s) {
    QJsonObject o{{u"user_id"_s, userId},
                  {u"conversation_number"_s, conversation},
                  {u"message_body"_s, textHsl(text)},
                  {u"sender"_s, sender}};
    if (!messageId.isUndefined())
        o.insert(u"message_id"_s, messageId);
    if (!timestamp.isEmpty())
        o.insert(u"timestamp"_s, timestamp);
    return o;
}

// The text of an exported (or received) message's HSL body.
inline QString textOf(const QJsonObject &message) {
    QJsonValue body = message.value(u"message_body"_s);
    if (body.isString()) // what TRACT receives: serialized HSL
        body = QJsonDocument::fromJson(body.toString().toUtf8()).object();
    return body.toObject().value(u"text"_s).toString();
}

// The exported thread of `userId`/`conversation`, or an empty object.
inline QJsonObject exportedThread(const QJsonObject &exported, const QString &userId,
                                  const QString &conversation = u"1"_s) {
    for (const QJsonValue &v : exported.value(u"threads"_s).toArray()) {
        const QJsonObject t = v.toObject();
        if (t.value(u"user_id"_s).toString() == userId &&
            t.value(u"conversation_number"_s).toString() == conversation)
            return t;
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

// Every hook the sandbox queued has been acknowledged (none queued, sending,
// retrying or waiting).
inline bool allDelivered(const SandboxProcess &sandbox, int atLeast = 0) {
    const QJsonArray deliveries = sandbox.state().value(u"deliveries"_s).toArray();
    int delivered = 0;
    for (const QJsonValue &v : deliveries) {
        const QString status = v.toObject().value(u"status"_s).toString();
        if (status == u"delivered"_s)
            ++delivered;
        else if (status != u"skipped"_s)
            return false;
    }
    return delivered >= atLeast;
}

// How many deliveries were acknowledged, and those that were not (yet), for
// failure messages.
inline QByteArray undelivered(const SandboxProcess &sandbox) {
    QJsonArray pending;
    int delivered = 0;
    const QJsonArray all = sandbox.state().value(u"deliveries"_s).toArray();
    for (const QJsonValue &v : all) {
        const QString status = v.toObject().value(u"status"_s).toString();
        if (status == u"delivered"_s)
            ++delivered;
        else if (status != u"skipped"_s)
            pending.append(v);
    }
    return "delivered " + QByteArray::number(delivered) + " of " + QByteArray::number(all.size()) +
           "; not yet: " + QJsonDocument(pending).toJson(QJsonDocument::Compact);
}

// Waits until every delivery the sandbox has started is acknowledged, and at
// least atLeast are. That state may last only a moment (the bot's next answer
// starts a new delivery), and QTRY_VERIFY evaluates its condition again after
// it first holds, so it fails on the moment having passed; qWaitFor stops at
// the first time it holds. Empty on success, else what is still undelivered.
inline QByteArray awaitDelivered(const SandboxProcess &sandbox, int atLeast, int timeoutMs) {
    if (QTest::qWaitFor([&] { return allDelivered(sandbox, atLeast); }, timeoutMs))
        return {};
    return undelivered(sandbox);
}

} // namespace consoletest

// Fails the test unless awaitDelivered succeeds within timeoutMs, naming what
// is still undelivered.
#define VERIFY_DELIVERED(sandbox, atLeast, timeoutMs)                                              \
    do {                                                                                           \
        const QByteArray consoletest_pending =                                                     \
            consoletest::awaitDelivered(sandbox, atLeast, timeoutMs);                              \
        QVERIFY2(consoletest_pending.isEmpty(), consoletest_pending.constData());                  \
    } while (false)
