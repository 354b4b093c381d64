#include "HookReceiver.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QTest>

namespace testsupport {

HookReceiver::HookReceiver(QObject *parent)
    : QObject(parent) {
    m_server.setHandler([this](const http::Request &r, const http::Responder &responder) {
        Hook h;
        h.path = r.path;
        const QList<QByteArray> parts = r.path.split('/');
        if (parts.size() >= 4) {
            h.category = QString::fromUtf8(parts.at(2));
            h.subcategory = QString::fromUtf8(parts.at(3));
        }
        h.body = r.body;
        h.json = QJsonDocument::fromJson(r.body).object();
        h.headers = r.headers;
        h.receivedMs = QDateTime::currentMSecsSinceEpoch();
        m_attempts.append(h);
        http::Response res = m_policy
                                 ? m_policy(h, int(m_attempts.size() - 1))
                                 : http::Response::json(200, {{QStringLiteral("success"), true}});
        if (res.status >= 200 && res.status < 300)
            m_hooks.append(h);
        responder.send(res);
        emit hookReceived();
    });
}

bool HookReceiver::listen() {
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString HookReceiver::urlFor(const QString &category, const QString &subcategory) const {
    return QStringLiteral("http://127.0.0.1:%1/hooks/%2/%3")
        .arg(m_server.serverPort())
        .arg(category, subcategory);
}

void HookReceiver::setFailing(bool failing) {
    if (failing)
        setPolicy([](const Hook &, int) {
            return http::Response::error(500, QStringLiteral("failing on purpose"));
        });
    else
        setPolicy({});
}

QList<HookReceiver::Hook> HookReceiver::hooksOf(const QString &category,
                                                const QString &subcategory) const {
    QList<Hook> out;
    for (const Hook &h : m_hooks) {
        if (h.category == category && (subcategory.isEmpty() || h.subcategory == subcategory))
            out.append(h);
    }
    return out;
}

void HookReceiver::clear() {
    m_hooks.clear();
    m_attempts.clear();
}

bool HookReceiver::waitForHooks(int count, int timeoutMs) const {
    QDeadlineTimer deadline(timeoutMs);
    while (m_hooks.size() < count && !deadline.hasExpired())
        QTest::qWait(10);
    return m_hooks.size() >= count;
}

} // namespace testsupport
