#include "network/auth/SigningKey.h"

#include <QCoreApplication>
#include <QFile>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

// Strings name their context, "tract::auth", in full: a tr() helper would be
// filed by lupdate under the enclosing class instead.
namespace tract::auth {

namespace {

Error error(const QString &message) {
    return Error{QString(), message};
}

EVP_PKEY *pkey(const std::shared_ptr<void> &key) {
    return static_cast<EVP_PKEY *>(key.get());
}

// Encrypted keys would need a passphrase prompt; refusing is clearer than hanging.
int noPassphrase(char *, int, int, void *) {
    return -1;
}

} // namespace

QString openSslError(const QString &fallback) {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return fallback;
    char text[256] = {};
    ERR_error_string_n(code, text, sizeof text);
    return fallback + QStringLiteral(" (") + QString::fromLatin1(text) + QLatin1Char(')');
}

Expected<SigningKey> SigningKey::fromPem(const QByteArray &pem) {
    if (pem.isEmpty())
        return error(QCoreApplication::translate("tract::auth", "the private key is empty"));
    if (pem.size() > kMaxPemBytes)
        return error(
            QCoreApplication::translate("tract::auth", "the private key is larger than %1 bytes")
                .arg(kMaxPemBytes));
    if (!pem.contains("-----BEGIN"))
        return error(QCoreApplication::translate(
            "tract::auth", "the private key is not in PEM format (-----BEGIN PRIVATE KEY-----)"));
    if (pem.contains("ENCRYPTED"))
        return error(QCoreApplication::translate(
            "tract::auth", "the private key is encrypted; store it unencrypted in a file only you "
                           "can read, or in the keychain"));
    ERR_clear_error();
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())),
                                                  &BIO_free);
    if (!bio)
        return error(openSslError(QCoreApplication::translate("tract::auth", "out of memory")));
    EVP_PKEY *raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, nullptr);
    if (!raw)
        return error(openSslError(
            QCoreApplication::translate("tract::auth", "the private key cannot be read")));
    SigningKey key;
    key.m_key =
        std::shared_ptr<void>(raw, [](void *p) { EVP_PKEY_free(static_cast<EVP_PKEY *>(p)); });
    const int type = EVP_PKEY_get_base_id(raw);
    if (type == EVP_PKEY_RSA) {
        if (EVP_PKEY_get_bits(raw) < 2048)
            return error(QCoreApplication::translate(
                             "tract::auth", "the RSA key has %1 bits; at least 2048 are needed")
                             .arg(EVP_PKEY_get_bits(raw)));
    } else if (type != EVP_PKEY_EC) {
        return error(
            QCoreApplication::translate("tract::auth", "the private key is neither RSA nor EC"));
    }
    return key;
}

Expected<QByteArray> SigningKey::readPrivateFile(const QString &path) {
    const QByteArray native = QFile::encodeName(path);
    struct stat st {};
    if (::stat(native.constData(), &st) != 0)
        return error(QCoreApplication::translate("tract::auth",
                                                 "cannot read the private key %1: no such file")
                         .arg(path));
    if (!S_ISREG(st.st_mode))
        return error(QCoreApplication::translate(
                         "tract::auth", "refusing the private key %1: it is not a regular file")
                         .arg(path));
    if (st.st_uid != ::getuid())
        return error(QCoreApplication::translate(
                         "tract::auth", "refusing the private key %1: it belongs to another user")
                         .arg(path));
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return error(QCoreApplication::translate(
                         "tract::auth",
                         "refusing the private key %1: other users may read it (mode 0%2); make "
                         "it private with chmod 600, and consider the key leaked")
                         .arg(path)
                         .arg(uint(st.st_mode & 0777), 3, 8, QLatin1Char('0')));
    if (st.st_size > kMaxPemBytes)
        return error(
            QCoreApplication::translate("tract::auth", "the private key %1 is larger than %2 bytes")
                .arg(path)
                .arg(kMaxPemBytes));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return error(
            QCoreApplication::translate("tract::auth", "cannot read the private key %1: %2")
                .arg(path, file.errorString()));
    return file.read(kMaxPemBytes + 1);
}

Expected<SigningKey> SigningKey::fromFile(const QString &path) {
    auto pem = readPrivateFile(path);
    if (!pem)
        return pem.error();
    auto key = fromPem(pem.value());
    if (!key)
        return error(path + QStringLiteral(": ") + key.error().message);
    return key;
}

Expected<QByteArray> SigningKey::sign(const QByteArray &body) const {
    if (!m_key)
        return error(QCoreApplication::translate("tract::auth", "no private key"));
    ERR_clear_error();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(body.constData());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha1(), nullptr, pkey(m_key)) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(body.size())) != 1)
        return error(
            openSslError(QCoreApplication::translate("tract::auth", "cannot sign the request")));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, size_t(body.size())) != 1)
        return error(
            openSslError(QCoreApplication::translate("tract::auth", "cannot sign the request")));
    signature.resize(qsizetype(length));
    return signature.toBase64();
}

QString SigningKey::algorithmName() const {
    if (!m_key)
        return QString();
    const int type = EVP_PKEY_get_base_id(pkey(m_key));
    return (type == EVP_PKEY_RSA ? QStringLiteral("RSA-") : QStringLiteral("EC-")) +
           QString::number(EVP_PKEY_get_bits(pkey(m_key)));
}

} // namespace tract::auth
