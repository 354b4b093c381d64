#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <optional>

namespace tract {

// How long one TRACT call may take and how it is retried (libQuotient's per-job
// timeout/retry table). A plain value: copy it, tweak it per call.
struct RetryPolicy {
    // Timeout of attempt n is attemptTimeoutsMs[n-1]; the last entry repeats.
    // Later attempts get longer, so a slow but alive server still gets through.
    QList<int> attemptTimeoutsMs{10'000, 20'000, 30'000};
    int maxAttempts = 4;          // first try included; 1 disables retries
    int baseDelayMs = 1'000;      // pause before the first retry; doubles per retry
    int maxDelayMs = 30'000;      // cap of the doubled pause
    double jitter = 0.2;          // +-20 %: clients that failed together do not retry together
    int maxRetryAfterMs = 60'000; // a longer Retry-After ends the call (retryAfterMs set)
    // Send message, send event and thread control are not idempotent: after a
    // timeout, a reset or a 500 TRACT may have acted already, and a retry could
    // deliver the agent's message twice. They are retried only when TRACT surely
    // did not act (connection refused, 429, 503) unless this is set.
    bool retryUnsafeWhenAmbiguous = false;

    int timeoutForAttempt(int attempt) const;
    // Pause before attempt `attempt + 1` after attempt `attempt` failed;
    // `random01` in [0, 1) picks the jitter (0.5 means none).
    int backoffDelayMs(int attempt, double random01) const;

    // Retry-After as delta-seconds or an HTTP-date (RFC 9110 10.2.3), in ms from
    // `now`; a date in the past gives 0. Nothing for a missing or unreadable value.
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);
};

} // namespace tract
