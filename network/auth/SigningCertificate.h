#pragma once

#include "models/common/Expected.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <memory>

namespace tract::auth {

// The ECT's pre-shared certificate, as TRACT (here: tract-sandbox) holds it to
// check signed requests: validity dates, the FQDN among its DNS names, and the
// signature (SHA-1 over the body, with the certificate's public key).
class SigningCertificate {
public:
    static constexpr qsizetype kMaxPemBytes = 64 * 1024;

    static Expected<SigningCertificate> fromPem(const QByteArray &pem);
    static Expected<SigningCertificate> fromFile(const QString &path);

    QDateTime notBefore() const { return m_notBefore; }
    QDateTime notAfter() const { return m_notAfter; }
    // SHA-256 of the DER encoding: names the certificate (the sandbox derives
    // its default SignatureCertUUID from it).
    QByteArray fingerprint() const { return m_fingerprint; }

    // An error unless notBefore <= now <= notAfter.
    Expected<bool> checkValidAt(const QDateTime &now) const;
    // An error unless `fqdn` is one of the certificate's subjectAltName DNS names.
    Expected<bool> checkHost(const QString &fqdn) const;
    // An error unless `base64Signature` is a valid signature of `body`.
    Expected<bool> verify(const QByteArray &body, const QByteArray &base64Signature) const;

private:
    std::shared_ptr<void> m_cert; // X509
    QDateTime m_notBefore;
    QDateTime m_notAfter;
    QByteArray m_fingerprint;
};

} // namespace tract::auth
