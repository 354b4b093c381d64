#pragma once

#include <QByteArray>
#include <QString>

namespace testsupport {

// Throwaway keys and self-signed certificates for the signed-token tests,
// made with OpenSSL at test time (no private key is checked in). Each
// identity has a fresh key.
struct TestIdentity {
    QByteArray keyPem;  // PKCS#8 "BEGIN PRIVATE KEY", unencrypted
    QByteArray certPem; // self-signed, SHA-256, subjectAltName DNS:<fqdn>
};

enum class KeyType { Rsa2048, EcP256, Rsa1024 };

// Valid from now + notBeforeSecs to now + notAfterSecs (negative: the past).
TestIdentity makeIdentity(const QString &fqdn, qint64 notBeforeSecs = -3600,
                          qint64 notAfterSecs = 86400, KeyType type = KeyType::Rsa2048);
// A certificate for an existing key (same key, other dates).
QByteArray makeCertificate(const QByteArray &keyPem, const QString &fqdn, qint64 notBeforeSecs,
                           qint64 notAfterSecs);

// base64 of the RSA/ECDSA SHA-1 signature of `body`, computed here with
// OpenSSL directly: an independent check of the console's signer.
QByteArray signSha1(const QByteArray &keyPem, const QByteArray &body);

// Writes `data` to `path` with `mode` (e.g. 0600), set before the data is written.
bool writeFile(const QString &path, const QByteArray &data, int mode);

} // namespace testsupport
