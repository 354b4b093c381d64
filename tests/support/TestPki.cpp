#include "TestPki.h"

#include <QFile>
#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

namespace testsupport {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

QByteArray drain(BIO *bio) {
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(length));
}

Key readKey(const QByteArray &pem) {
    Bio bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), &BIO_free);
    return Key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
}

QByteArray certificateFor(EVP_PKEY *key, const QString &fqdn, qint64 notBeforeSecs,
                          qint64 notAfterSecs) {
    std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), &X509_free);
    static long serial = 1;
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), long(notBeforeSecs));
    X509_gmtime_adj(X509_getm_notAfter(x.get()), long(notAfterSecs));
    X509_set_pubkey(x.get(), key);
    X509_NAME *name = X509_get_subject_name(x.get());
    const QByteArray cn = fqdn.toUtf8();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    X509_set_issuer_name(x.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
    const QByteArray san = "DNS:" + cn;
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.constData());
    if (ext) {
        X509_add_ext(x.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (X509_sign(x.get(), key, EVP_sha256()) <= 0)
        return {};
    Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_X509(bio.get(), x.get());
    return drain(bio.get());
}

} // namespace

TestIdentity makeIdentity(const QString &fqdn, qint64 notBeforeSecs, qint64 notAfterSecs,
                          KeyType type) {
    EVP_PKEY *raw = nullptr;
    switch (type) {
    case KeyType::Rsa2048:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
        break;
    case KeyType::Rsa1024:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(1024));
        break;
    case KeyType::EcP256:
        raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    }
    Key key(raw, &EVP_PKEY_free);
    TestIdentity id;
    if (!key)
        return id;
    Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    id.keyPem = drain(bio.get());
    id.certPem = certificateFor(key.get(), fqdn, notBeforeSecs, notAfterSecs);
    return id;
}

QByteArray makeCertificate(const QByteArray &keyPem, const QString &fqdn, qint64 notBeforeSecs,
                           qint64 notAfterSecs) {
    Key key = readKey(keyPem);
    return key ? certificateFor(key.get(), fqdn, notBeforeSecs, notAfterSecs) : QByteArray();
}

QByteArray signSha1(const QByteArray &keyPem, const QByteArray &body) {
    Key key = readKey(keyPem);
    if (!key)
        return {};
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    const auto *data = reinterpret_cast<const unsigned char *>(body.constData());
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha1(), nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, data, size_t(body.size())) != 1)
        return {};
    QByteArray signature(qsizetype(length), '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       data, size_t(body.size())) != 1)
        return {};
    signature.resize(qsizetype(length));
    return signature.toBase64();
}

bool writeFile(const QString &path, const QByteArray &data, int mode) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    if (::chmod(QFile::encodeName(path).constData(), mode_t(mode)) != 0)
        return false;
    return file.write(data) == data.size();
}

} // namespace testsupport
