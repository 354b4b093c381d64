#include "network/secrets/FileSecretFallback.h"

#include "models/common/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <sys/stat.h>
#include <unistd.h>

namespace secrets {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("secrets::FileSecretFallback", text);
}

constexpr QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

SecretResult failure(SecretResult::Status status, const QString &message) {
    SecretResult r;
    r.status = status;
    r.message = message;
    return r;
}

QString octal(mode_t mode) {
    return QStringLiteral("0%1").arg(uint(mode & 0777), 3, 8, QLatin1Char('0'));
}

} // namespace

FileSecretFallback::FileSecretFallback(QString dataDir)
    : m_dataDir(std::move(dataDir)) {}

QString FileSecretFallback::directory() const {
    return QDir(m_dataDir).filePath(QStringLiteral("secrets"));
}

QString FileSecretFallback::filePath(const QString &key) const {
    return QDir(directory()).filePath(QString::fromLatin1(key.toUtf8().toPercentEncoding()));
}

SecretResult FileSecretFallback::read(const QString &key) const {
    const QString path = filePath(key);
    const QByteArray native = QFile::encodeName(path);
    struct stat st {};
    if (::lstat(native.constData(), &st) != 0)
        return failure(SecretResult::Status::NotFound,
                       tr("No secret file for '%1' in %2.").arg(key, directory()));
    if (!S_ISREG(st.st_mode))
        return failure(SecretResult::Status::Denied,
                       tr("Refusing to read %1: it is not a regular file.").arg(path));
    if (st.st_uid != ::getuid())
        return failure(SecretResult::Status::Denied,
                       tr("Refusing to read %1: it belongs to another user.").arg(path));
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return failure(SecretResult::Status::Denied,
                       tr("Refusing to read %1: other users may read it (mode %2). Treat the "
                          "secret as leaked: replace it, then make the file private with "
                          "chmod 600.")
                           .arg(path, octal(st.st_mode)));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failure(SecretResult::Status::Failed,
                       tr("Could not read %1: %2").arg(path, file.errorString()));
    SecretResult r;
    r.status = SecretResult::Status::Ok;
    r.value = QString::fromUtf8(file.readAll()).trimmed();
    return r;
}

SecretResult FileSecretFallback::write(const QString &key, const QString &value) const {
    const QString dir = directory();
    if (!QDir().mkpath(dir) || !QFile::setPermissions(dir, kOwnerOnly | QFileDevice::ExeOwner))
        return failure(SecretResult::Status::Failed,
                       tr("Could not create the private directory %1.").arg(dir));

    const QString path = filePath(key);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failure(SecretResult::Status::Failed,
                       tr("Could not write %1: %2").arg(path, file.errorString()));
    // On the temporary file, before the secret is in it; QSaveFile would
    // otherwise copy the mode of an existing (perhaps too open) file.
    if (!file.setPermissions(kOwnerOnly)) {
        file.cancelWriting();
        return failure(SecretResult::Status::Failed,
                       tr("Could not make %1 private to its owner.").arg(path));
    }
    file.write(value.toUtf8());
    if (!file.commit())
        return failure(SecretResult::Status::Failed,
                       tr("Could not write %1: %2").arg(path, file.errorString()));
    qCInfo(lcSecrets).noquote() << "stored" << key << "in" << path << "(mode 0600)";
    SecretResult r;
    r.status = SecretResult::Status::Ok;
    return r;
}

SecretResult FileSecretFallback::remove(const QString &key) const {
    const QString path = filePath(key);
    if (!QFile::exists(path))
        return failure(SecretResult::Status::NotFound,
                       tr("No secret file for '%1' in %2.").arg(key, directory()));
    QFile file(path);
    if (!file.remove())
        return failure(SecretResult::Status::Failed,
                       tr("Could not delete %1: %2").arg(path, file.errorString()));
    SecretResult r;
    r.status = SecretResult::Status::Ok;
    return r;
}

} // namespace secrets
