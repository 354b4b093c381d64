#include "SandboxProcess.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcessEnvironment>
#include <QTimer>

namespace testsupport {

SandboxProcess::~SandboxProcess() {
    stop();
}

QString SandboxProcess::binary() {
    return qEnvironmentVariable("TRACT_SANDBOX_BIN");
}

bool SandboxProcess::start(const QStringList &args, int timeoutMs) {
    if (binary().isEmpty()) {
        m_error = QStringLiteral("TRACT_SANDBOX_BIN is not set");
        return false;
    }
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(binary(),
                    QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} + args);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = m_process.errorString();
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    while (!m_process.canReadLine()) {
        if (deadline.hasExpired() || !m_process.waitForReadyRead(int(deadline.remainingTime()))) {
            m_error = QStringLiteral("no 'listening on' line; stderr: ") +
                      QString::fromUtf8(m_process.readAllStandardError());
            return false;
        }
    }
    const QByteArray line = m_process.readLine().trimmed();
    if (!line.startsWith("listening on ")) {
        m_error = QStringLiteral("unexpected first line: ") + QString::fromUtf8(line);
        return false;
    }
    m_baseUrl = QUrl(QString::fromUtf8(line.mid(13)));
    return m_baseUrl.isValid() && m_baseUrl.port() > 0;
}

void SandboxProcess::stop() {
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000))
        kill();
}

void SandboxProcess::kill() {
    m_process.kill();
    m_process.waitForFinished(3000);
}

QByteArray SandboxProcess::output() {
    m_output += m_process.readAllStandardOutput();
    m_output += m_process.readAllStandardError();
    return m_output;
}

SandboxProcess::Reply
SandboxProcess::raw(const QByteArray &method, const QString &path, const QByteArray &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers) const {
    QNetworkAccessManager nam;
    nam.setProxy(QNetworkProxy::NoProxy);
    QUrl url = m_baseUrl;
    url.setPath(path);
    QNetworkRequest request(url);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    delete reply;
    return r;
}

SandboxProcess::Reply SandboxProcess::get(const QString &path) const {
    return raw("GET", path, {}, {});
}

SandboxProcess::Reply SandboxProcess::post(const QString &path, const QJsonObject &body) const {
    return raw("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
               {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}});
}

SandboxProcess::Reply SandboxProcess::tract(const QByteArray &method, const QString &path,
                                            const QJsonObject &body, const QString &token,
                                            const QString &clientId) const {
    QList<QPair<QByteArray, QByteArray>> headers{
        {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}};
    if (!token.isNull())
        headers.append({QByteArrayLiteral("Authorization"), "Bearer " + token.toUtf8()});
    if (!clientId.isNull())
        headers.append({QByteArrayLiteral("client-id"), clientId.toUtf8()});
    return raw(method, path,
               method == "GET" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
               headers);
}

} // namespace testsupport
