#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace testsupport {

using HookKind = QPair<QString, QString>; // category, subcategory

// The 15 hooks the console registers, as the architecture guide's "Contracts"
// lists them. Written out here, not taken from the product's own catalogue, so
// a hook missing from the product fails the tests.
inline QList<HookKind> allHookKinds() {
    using namespace Qt::StringLiterals;
    QList<HookKind> kinds{{u"message"_s, u"receive"_s}, {u"user_events"_s, u"create_user"_s}};
    for (const QString &s : {u"incomplete"_s, u"complete"_s, u"waiting"_s, u"pinned"_s, u"bot"_s})
        kinds.append({u"conversation_state"_s, s});
    for (const QString &s :
         {u"received"_s, u"allocated"_s, u"user_timeout"_s, u"transition"_s, u"entity_update"_s})
        kinds.append({u"aeu_events"_s, s});
    for (const QString &s : {u"take"_s, u"pass"_s, u"request"_s})
        kinds.append({u"thread_control"_s, s});
    return kinds;
}

} // namespace testsupport
