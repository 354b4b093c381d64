#pragma once

#include <QDateTime>
#include <QString>

namespace tract::views {

// Who has a thread right now, as the agent sees it. Derived from the store's
// owner (listener id from thread_control / fetch listeners) and conversation
// state (conversation_state subcategory), never stored: "with me" depends on
// which receiver this console is.
enum class ThreadState { Bot = 0, WaitingForAgent = 1, WithMe = 2, WithOther = 3, Complete = 4 };

// The bot's listener id: owning a thread does not make it "taken by someone".
inline const QString kBotReceiver = QStringLiteral("iva");

// First rule that matches wins:
//   state "complete"                          -> Complete
//   owner == myReceiverId (non-empty)         -> WithMe
//   owner set, not "iva", not me (sac, ECT)   -> WithOther
//   state "incomplete" (bot handed over)      -> WaitingForAgent
//   otherwise                                 -> Bot
ThreadState deriveThreadState(const QString &owner, const QString &conversationState,
                              const QString &myReceiverId);

QString threadStateName(ThreadState s); // translated ("Waiting for agent", ...)

// How urgent a wait is, 0 (just now) to 1 (five minutes or more): the thread
// list fades from neutral to red over this span (Haptik's 300 s rule). 0 when
// not waiting (invalid `since`).
double waitingUrgency(const QDateTime &since, const QDateTime &now);
constexpr qint64 kWaitingRedAfterMs = 5 * 60 * 1000;

// "45 s", "4 min", "2 h 5 min", "3 d": compact elapsed time for list cells.
QString formatElapsed(qint64 ms);

} // namespace tract::views
