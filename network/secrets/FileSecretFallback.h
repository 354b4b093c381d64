#pragma once

#include "network/secrets/SecretTypes.h"

#include <QString>

namespace secrets {

// Keeps secrets in files only their owner can read, for machines without a
// Secret Service (a headless server). One file per key under
// <dataDir>/secrets/ (mode 0700), each mode 0600, written atomically (QSaveFile,
// permissions set before any byte of the secret is written).
//
// A file that group or others may read, that is a symlink, or that belongs to
// another user is refused, not read: its secret must be considered leaked.
// Synchronous: these are tiny local files.
class FileSecretFallback {
public:
    explicit FileSecretFallback(QString dataDir);

    SecretResult read(const QString &key) const;
    SecretResult write(const QString &key, const QString &value) const;
    SecretResult remove(const QString &key) const;

    QString directory() const;
    // "<dataDir>/secrets/hook-path-secret%2Fdemo": keys percent-encoded into one name.
    QString filePath(const QString &key) const;

private:
    QString m_dataDir;
};

} // namespace secrets
