#include "network/auth/SigningCertificate.h"

#include "network/auth/SigningKey.h"

#include <QCoreApplication>
#include <QFile>
#include <ctime>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// Strings name their context, "tract::auth", in full: a tr() helper would be
// filed by lupdate under the enclosing class instead.
namespace tract::auth {

namespace {

Error error(const QString &message) {
    return Error{QString(), message};
}

X509 *x509(const std::shared_ptr<void> &cert) {
    return static_cast<X509 *>(cert.get());
}

QDateTime toDateTime(const ASN1_TIME *time) {
    std::tm tm{};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return {};
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                     QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), Qt::UTC);
}

QString iso(const QDateTime &t) {
    return t.toString(Qt::ISODate);
}

} // namespace

Expected<SigningCertificate> SigningCertificate::fromPem(const QByteArray &pem) {
    if (pem.isEmpty())
        return error(QCoreApplication::translate("tract::auth", "the certificate is empty"));
    if (pem.size() > kMaxPemBytes)
        return error(
            QCoreApplication::translate("tract::auth", "the certificate is larger than %1 bytes")
                .arg(kMaxPemBytes));
    ERR_clear_error();
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())),
                                                  &BIO_free);
    if (!bio)
        return error(openSslError(QCoreApplication::translate("tract::auth", "out of memory")));
    X509 *raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!raw)
        return error(openSslError(QCoreApplication::translate(
            "tract::auth", "not a PEM certificate (-----BEGIN CERTIFICATE-----)")));
    SigningCertificate c;
    c.m_cert = std::shared_ptr<void>(raw, [](void *p) { X509_free(static_cast<X509 *>(p)); });
    c.m_notBefore = toDateTime(X509_get0_notBefore(raw));
    c.m_notAfter = toDateTime(X509_get0_notAfter(raw));
    if (!c.m_notBefore.isValid() || !c.m_notAfter.isValid())
        return error(QCoreApplication::translate(
            "tract::auth", "the certificate's validity dates cannot be read"));
    if (!X509_get0_pubkey(raw))
        return error(openSslError(QCoreApplication::translate(
            "tract::auth", "the certificate's public key cannot be read")));
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(raw, EVP_sha256(), digest, &length) != 1)
        return error(openSslError(QCoreApplication::translate(
            "tract::auth", "cannot compute the certificate's fingerprint")));
    c.m_fingerprint = QByteArray(reinterpret_cast<const char *>(digest), int(length));
    return c;
}

Expected<SigningCertificate> SigningCertificate::fromFile(const QString &path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return error(
            QCoreApplication::translate("tract::auth", "cannot read the certificate %1: %2")
                .arg(path, file.errorString()));
    auto cert = fromPem(file.read(kMaxPemBytes + 1));
    if (!cert)
        return error(path + QStringLiteral(": ") + cert.error().message);
    return cert;
}

Expected<bool> SigningCertificate::checkValidAt(const QDateTime &now) const {
    if (now < m_notBefore)
        return error(QCoreApplication::translate("tract::auth",
                                                 "the signing certificate is not valid before %1")
                         .arg(iso(m_notBefore)));
    if (now > m_notAfter)
        return error(
            QCoreApplication::translate("tract::auth", "the signing certificate expired at %1")
                .arg(iso(m_notAfter)));
    return true;
}

Expected<bool> SigningCertificate::checkHost(const QString &fqdn) const {
    const QByteArray name = fqdn.toUtf8();
    if (name.isEmpty() ||
        X509_check_host(x509(m_cert), name.constData(), size_t(name.size()),
                        X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                        nullptr) != 1) {
        ERR_clear_error();
        return error(QCoreApplication::translate(
                         "tract::auth", "'%1' is not among the signing certificate's DNS names")
                         .arg(fqdn));
    }
    return true;
}

Expected<bool> SigningCertificate::verify(const QByteArray &body,
                                          const QByteArray &base64Signature) const {
    if (base64Signature.isEmpty())
        return error(QCoreApplication::translate("tract::auth", "the Signature header is empty"));
    if (base64Signature.size() > 4096)
        return error(QCoreApplication::translate(
            "tract::auth", "the Signature header is longer than 4096 characters"));
    const auto decoded =
        QByteArray::fromBase64Encoding(base64Signature, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return error(
            QCoreApplication::translate("tract::auth", "the Signature header is not base64"));
    ERR_clear_error();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha1(), nullptr,
                                     X509_get0_pubkey(x509(m_cert))) != 1)
        return error(openSslError(QCoreApplication::translate(
            "tract::auth", "cannot verify signatures with this certificate")));
    const int ok = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char *>(decoded.decoded.constData()),
        size_t(decoded.decoded.size()), reinterpret_cast<const unsigned char *>(body.constData()),
        size_t(body.size()));
    ERR_clear_error();
    if (ok != 1)
        return error(QCoreApplication::translate(
            "tract::auth", "the signature does not match the body and the signing certificate"));
    return true;
}

} // namespace tract::auth
