#pragma once

#include <QString>

class QIODevice;

namespace tract::store {
class Store;
}

namespace console {

// `tract-console --export USER_ID|all [--format json|text]`: the stored
// conversations, thread by thread, streamed so a large store needs little memory.
// JSON (a fixed contract):
//   {"threads": [{"user_id", "conversation_number",
//                 "messages": [{"message_id", "sender", "timestamp", "direction",
//                               "state" (outgoing only), "message_body"}],
//                 "events": [...]}]}
class Exporter {
public:
    enum class Format { Json, Text };
    Exporter(const tract::store::Store &store, Format format)
        : m_store(store)
        , m_format(format) {}

    // `userId` empty: every user. Returns false with `error` set on failure.
    bool write(const QString &userId, QIODevice &out, QString *error) const;

private:
    const tract::store::Store &m_store;
    Format m_format;
};

} // namespace console
