// libFuzzer target for TRACT's answers as the console's client reads them: the
// 2xx body of every call (TractClient parses each into its response type) and
// the Retry-After header of a refusal. Beyond "no crash, no sanitizer report":
//   - an unreadable body is an error naming a field and a reason (the
//     BadResponse a person is shown), never a value with defaults;
//   - an accepted answer written back with toJson() reads back as the same
//     value, its unknown fields aside;
//   - Retry-After is nothing or a pause of 0 ms or more, and delta-seconds
//     never make more than a day.
// Run with scripts/fuzz 60 fuzz_tract_response.
#include "models/tract/WireTypes.h"
#include "network/client/RetryPolicy.h"

#include <QByteArray>
#include <QJsonDocument>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void check(bool ok, const char *what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_tract_response: invariant broken: %s\n", what);
        std::abort();
    }
}

template <typename T> void readBack(const QByteArray &body, const char *type) {
    const tract::Expected<T> parsed = T::fromJson(body);
    if (!parsed) {
        check(!parsed.error().path.isEmpty(), "refusal without a field path");
        check(!parsed.error().message.isEmpty(), "refusal without a reason");
        return;
    }
    // Unknown fields (`extra`, also in nested values) are not written: compare
    // what was understood, as written.
    const QJsonObject understood = parsed->toJson();
    const QByteArray written = QJsonDocument(understood).toJson(QJsonDocument::Compact);
    const tract::Expected<T> back = T::fromJson(written);
    if (!back || back->toJson() != understood || !back->extra.isEmpty()) {
        std::fprintf(stderr, "fuzz_tract_response: %s written back as %s: %s\n", type,
                     written.constData(),
                     back ? "reads as another value" : qPrintable(back.error().toString()));
        std::abort();
    }
}

void checkRetryAfter(const QByteArray &value) {
    // A fixed moment, so a finding reproduces from its input alone.
    static const QDateTime now = QDateTime(QDate(2026, 12, 7), QTime(10, 0), Qt::UTC);
    const std::optional<qint64> ms = tract::RetryPolicy::parseRetryAfter(value, now);
    if (!ms)
        return;
    check(*ms >= 0, "negative Retry-After");
    bool isNumber = false;
    value.trimmed().toLongLong(&isNumber);
    check(!isNumber || *ms <= 86'400'000, "delta-seconds over a day");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    readBack<tract::ErrorResponse>(body, "ErrorResponse");
    readBack<tract::SuccessResponse>(body, "SuccessResponse");
    readBack<tract::ListHooksResponse>(body, "ListHooksResponse");
    readBack<tract::GetUserResponse>(body, "GetUserResponse");
    readBack<tract::GetUserDetailsResponse>(body, "GetUserDetailsResponse");
    readBack<tract::FetchListenersResponse>(body, "FetchListenersResponse");
    readBack<tract::ThreadControlResponse>(body, "ThreadControlResponse");
    // A header is one line; longer inputs are bodies, not headers.
    if (size <= 256 && !body.contains('\n'))
        checkRetryAfter(body);
    return 0;
}
