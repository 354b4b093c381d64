#pragma once

#include "models/hsl/Message.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

// hsl::Parser turns HSL into an hsl::Message. It always returns a Message and
// never throws: anything it cannot understand is a Message of kind Invalid whose
// error names the field, e.g. "data.items: expected array" or
// "data.items[1].payload: expected object". Thread-safe (no shared state), so
// messages are built on the store/listener threads, not the GUI thread.
//
// Leniency (notes sections 1 and 9):
//   - `text` is optional; strings given as numbers or booleans become text
//     ("5", "true"); booleans may be bools, numbers or strings ("1", "true",
//     "yes" are true); numbers may be strings ("1.5").
//   - payload `url` falls back to `link`; card `actionables` falls back to
//     `actionable`; `sub_title` falls back to `subtitle`; a `thumbnail` given as
//     a string is the image URL; `mime_types` given as one string is a list of one.
//   - unknown keys (isNew, voice_text, emoji, location_required, ...) are ignored;
//     `type` is matched case-insensitively after trimming.
//   - a serialized message_body that is itself a JSON string holding HSL is
//     decoded once more (only once).
//   - an unknown `type` gives Kind::Unknown with text and raw JSON kept.
// Strictness (so the renderer never sees half-understood structure):
//   - not JSON, not an object, empty, over kMaxInputBytes, or nested deeper than
//     kMaxDepth: Invalid (path "message_body").
//   - `type` missing or not a string: Invalid (path "type").
//   - a present key whose JSON kind is wrong for the structure (`data` not an
//     object, a list not an array, a list entry or payload not an object, a
//     string field given an object/array): Invalid, path naming the key.
//     null counts as absent.
//   - BUTTON needs `data.items` (may be empty); CAROUSEL needs `data.items` with
//     at least one card. TEXT's `quick_replies` is optional.
// Limits (hsl::limits): long strings and long lists are truncated and
// Message::truncated is set; they do not make the message Invalid.
// Text is kept for Invalid messages whenever a top-level `text` string was read,
// so the thread view can still show something.
namespace hsl {

class Parser {
public:
    // Serialized HSL as UTF-8 (TRACT's message_body string, or a stored copy).
    static Message parse(const QByteArray &json) noexcept;
    static Message parse(const QString &json) noexcept;
    // message_body as the wire layer hands it over: an object, or a string
    // holding serialized HSL.
    static Message parse(const QJsonValue &messageBody) noexcept;
    static Message parse(const QJsonObject &hsl) noexcept;
};

} // namespace hsl
