#pragma once

#include "models/tract/WireTypes.h"

#include <QString>
#include <optional>
#include <utility>

namespace tract {

// Why a TRACT call produced no value, in a shape the UI and the outbox can act on.
struct TractFailure {
    enum class Kind {
        Network,     // no HTTP answer: refused, reset, DNS, TLS
        Timeout,     // no complete answer within the attempt's timeout
        Http4xx,     // TRACT rejected the request (400, 401, 403, 404, ...)
        Http5xx,     // TRACT failed (500, 502, 503, ...)
        RateLimited, // 429
        BadResponse, // 2xx whose body the console cannot read
        Refused,     // 2xx saying no: success:false (with reason) or an "error" text
    };

    Kind kind = Kind::Network;
    int httpStatus = 0;     // 0 when there was no HTTP answer
    QString message;        // for a person, translated; never holds the token
    bool retryable = false; // trying again later may help
    QString serverError;    // TRACT's own {"error"} text or reason message, if any
    std::optional<ThreadControlReason> reason; // Refused thread control: TRACT's code
    std::optional<qint64> retryAfterMs; // TRACT asked for a longer pause than the policy allows
    int attempts = 1;                   // attempts made, retries included

    static QString kindName(Kind kind); // "Timeout": for logs and tests, not for people
};

// The value a call produced, or why there is none.
template <typename T> class TractResult {
public:
    TractResult(T value)
        : m_value(std::move(value)) {}
    TractResult(TractFailure failure)
        : m_failure(std::move(failure)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T &value() const { return *m_value; }
    const T &operator*() const { return *m_value; }
    const T *operator->() const { return &*m_value; }
    // Meaningful when !ok().
    const TractFailure &failure() const { return m_failure; }
    TractFailure &failure() { return m_failure; }

private:
    std::optional<T> m_value;
    TractFailure m_failure;
};

// The value of calls whose success carries nothing (register hook, send message, send event).
struct Ack {
    bool operator==(const Ack &) const { return true; }
};

} // namespace tract
