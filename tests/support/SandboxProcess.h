#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace testsupport {

// Runs the real tract-sandbox binary on an ephemeral loopback port and talks to
// its control API. The process is killed when this object goes away.
class SandboxProcess {
public:
    SandboxProcess() = default;
    ~SandboxProcess();

    // Starts with `--listen 127.0.0.1:0` plus `args`; waits for the
    // "listening on http://..." line. False (with errorString()) on failure.
    bool start(const QStringList &args = {}, int timeoutMs = 10000);
    void stop();
    void kill(); // SIGKILL, for crash tests
    QString errorString() const { return m_error; }
    QUrl baseUrl() const { return m_baseUrl; }
    quint16 port() const { return quint16(m_baseUrl.port()); }
    QProcess &process() { return m_process; }
    // Everything the process printed after the first line (stdout and stderr).
    QByteArray output();

    // Synchronous JSON calls (a local event loop runs while waiting).
    struct Reply {
        int status = 0;
        QJsonObject json;
        QByteArray body;
    };
    Reply get(const QString &path) const;
    Reply post(const QString &path, const QJsonObject &body) const;
    // TRACT calls with the bearer token and client-id headers.
    Reply tract(const QByteArray &method, const QString &path, const QJsonObject &body = {},
                const QString &token = QStringLiteral("demo-token"),
                const QString &clientId = QStringLiteral("demo")) const;
    Reply raw(const QByteArray &method, const QString &path, const QByteArray &body,
              const QList<QPair<QByteArray, QByteArray>> &headers) const;

    QJsonObject state() const { return get(QStringLiteral("/sandbox/state")).json; }

    static QString binary(); // $TRACT_SANDBOX_BIN

private:
    QProcess m_process;
    QUrl m_baseUrl;
    QString m_error;
    QByteArray m_output;
};

} // namespace testsupport
