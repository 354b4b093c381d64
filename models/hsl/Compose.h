#pragma once

#include "models/hsl/Message.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

// The composer side: building the HSL the console sends, and checking it first.
// The console sends only TEXT (optionally with quick replies) and BUTTON with
// LINK or TEXT_ONLY items (notes sections 2.1, 2.2, 9). Builders return
// Messages, so a draft is the same value type the thread view renders, and
// Parser::parse(toMessageBody(m)) == m for every message that passes
// validation (tested).
namespace hsl {

// Soft guidance from Haptik's docs (warnings, never errors).
namespace guidance {
constexpr int kQuickReplyLabel = 27; // chat-middle.md: ~27 characters per chip
constexpr int kButtonLabel = 21;     // button.md: 21 characters or fewer
constexpr int kButtons = 3;          // button.md: prefer quick replies above 3
} // namespace guidance

// A hard cap on labels for sending: nothing legitimate needs more, and the
// channels cut far earlier.
constexpr int kMaxLabelLength = 256;

// A TEXT_ONLY quick reply. `message` defaults to the label.
Actionable quickReply(const QString &label, const QString &message = {},
                      const QString &gogoMessage = {});
// A BUTTON item opening `url` (uri LINK, type APP_ACTION); also how files go out.
Actionable linkButton(const QString &label, const QString &url);
// A BUTTON item that sends `message` (default: the label) as the user (TEXT_ONLY).
Actionable textButton(const QString &label, const QString &message = {});

// TEXT; quick_replies is always present, [] by default (the shape TRACT expects).
Message textMessage(const QString &text, const QList<Actionable> &quickReplies = {});
Message buttonMessage(const QString &text, const QList<Actionable> &buttons);

struct Issue {
    enum Severity { Error, Warning };
    Severity severity = Error;
    QString path;    // "data.items[1].payload.url"
    QString message; // translated, e.g. "expected an http or https URL"

    QString toString() const {
        return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
    }
    bool operator==(const Issue &o) const {
        return severity == o.severity && path == o.path && message == o.message;
    }
};

// Every problem, errors first in document order, then warnings. Rules:
//  - kind TEXT or BUTTON only;
//  - TEXT: non-blank text; BUTTON: text may be empty (a file link) but at least
//    one item; text at most limits::kMaxTextLength;
//  - at most limits::kMaxItems quick replies/buttons; warning above
//    guidance::kButtons buttons;
//  - labels non-blank, at most kMaxLabelLength; warning above the guidance;
//  - quick replies: type TEXT_ONLY with a non-blank payload.message;
//  - buttons: LINK + APP_ACTION with an absolute http(s) URL with a host, or
//    TEXT_ONLY (no uri) with a non-blank payload.message; nothing else.
QList<Issue> validateForSending(const Message &message);
bool isValidForSending(const Message &message); // no Error issues

// The exact HSL object sent (keys as in Haptik's samples; QJsonObject orders
// them alphabetically when serialized, which JSON does not care about).
// Empty for kinds other than TEXT and BUTTON.
QJsonObject toJson(const Message &message);
// The compact serialization for message_body; empty when !isValidForSending().
QByteArray toMessageBody(const Message &message);

} // namespace hsl
