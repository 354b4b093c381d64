// libFuzzer target for what the webhook listener reads from the network: the
// body of every hook the console registers (MessageHook, CreateUserHook,
// EventHook, and the thread_control metadata inside an event) and the
// signature headers over it. Beyond "no crash, no sanitizer report", it checks
// what the listener relies on:
//   - a refused body says which field and why (the 400 the sender sees);
//   - an accepted hook written back with toJson() reads back as the same value,
//     its unknown fields aside: what is stored is what was understood;
//   - a signature made with the secret over exactly these bytes is accepted in
//     either header and either hex case; any other signature is refused.
// Run with scripts/fuzz 60 fuzz_hook_payload.
#include "models/tract/WireTypes.h"
#include "network/listener/HookSignature.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void check(bool ok, const char *what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_hook_payload: invariant broken: %s\n", what);
        std::abort();
    }
}

template <typename T> std::optional<T> readBack(const QByteArray &body, const char *type) {
    const tract::Expected<T> parsed = T::fromJson(body);
    if (!parsed) {
        check(!parsed.error().path.isEmpty(), "refusal without a field path");
        check(!parsed.error().message.isEmpty(), "refusal without a reason");
        return std::nullopt;
    }
    // Unknown fields (`extra`, also in nested values) are not written: compare
    // what was understood, as written.
    const QJsonObject understood = parsed->toJson();
    const QByteArray written = QJsonDocument(understood).toJson(QJsonDocument::Compact);
    const tract::Expected<T> back = T::fromJson(written);
    if (!back || back->toJson() != understood || !back->extra.isEmpty()) {
        std::fprintf(stderr, "fuzz_hook_payload: %s written back as %s: %s\n", type,
                     written.constData(),
                     back ? "reads as another value" : qPrintable(back.error().toString()));
        std::abort();
    }
    return *parsed;
}

void checkSignatures(const QByteArray &body) {
    const QByteArray secret = QByteArrayLiteral("fuzz-hook-secret");
    const QByteArray sha256 =
        QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
    const QByteArray sha1 =
        QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha1).toHex();
    const QByteArray h256 = QByteArrayLiteral("x-hub-signature-256");
    const QByteArray h1 = QByteArrayLiteral("x-hub-signature");

    check(!tract::verifyHookSignature({{h256, "sha256=" + sha256}}, body, secret),
          "right sha256 signature refused");
    check(!tract::verifyHookSignature({{h1, "sha1=" + sha1.toUpper()}}, body, secret),
          "right upper-case sha1 signature refused");
    check(!tract::verifyHookSignature({{h1, "sha1=" + sha1}, {h256, "sha256=" + sha256}}, body,
                                      secret),
          "two right signatures refused");
    check(tract::verifyHookSignature({}, body, secret).has_value(), "unsigned body accepted");
    // The body itself as the signature: right only if it is the digest.
    const QByteArray given = "sha256=" + body;
    const bool isDigest = body.trimmed().toLower() == sha256;
    check(tract::verifyHookSignature({{h256, given}}, body, secret).has_value() != isDigest,
          "wrong sha256 signature accepted");
    check(tract::verifyHookSignature({{h1, "sha1=" + sha1}, {h256, given}}, body, secret)
                  .has_value() != isDigest,
          "a wrong signature beside a right one accepted");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    (void)readBack<tract::MessageHook>(body, "MessageHook");
    (void)readBack<tract::CreateUserHook>(body, "CreateUserHook");
    if (const auto event = readBack<tract::EventHook>(body, "EventHook");
        event && event->metadata) {
        // thread_control events carry {"from","to","requester"} in metadata.
        const auto change = tract::OwnershipChange::fromMetadata(*event->metadata);
        if (change) {
            const auto back = tract::OwnershipChange::fromMetadata(change->toMetadata());
            check(back && *back == *change, "ownership change does not read back");
        }
    }
    checkSignatures(body);
    return 0;
}
