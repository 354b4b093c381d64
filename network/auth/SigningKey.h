#pragma once

#include "models/common/Expected.h"

#include <QByteArray>
#include <QString>
#include <memory>

namespace tract::auth {

// The ECT's private key for signed TRACT requests (token issue): RSA (2048
// bits or more) or EC, from PEM, unencrypted. The signature is the one Haptik
// documents: SHA-1 over the exact body bytes, RSA PKCS#1 v1.5 or ECDSA, base64.
//
// The key material stays inside OpenSSL; nothing here logs it or puts it in
// a message. Copies share the key.
class SigningKey {
public:
    // Largest PEM accepted: a 16384-bit RSA key is about 12 KiB.
    static constexpr qsizetype kMaxPemBytes = 64 * 1024;

    static Expected<SigningKey> fromPem(const QByteArray &pem);
    // A file only its owner may read (mode 0600 or 0400, owned by this user, a
    // regular file); anything else is refused without reading it.
    static Expected<SigningKey> fromFile(const QString &path);
    // The same checks, returning the PEM text (for importing into the keychain).
    static Expected<QByteArray> readPrivateFile(const QString &path);

    // base64 of the signature over `body`.
    Expected<QByteArray> sign(const QByteArray &body) const;
    QString algorithmName() const; // "RSA-2048", "EC-256": for messages, never the key

    bool isNull() const { return !m_key; }

private:
    std::shared_ptr<void> m_key; // EVP_PKEY
};

// OpenSSL's latest error as text, the queue cleared; `fallback` when there is none.
QString openSslError(const QString &fallback);

} // namespace tract::auth
