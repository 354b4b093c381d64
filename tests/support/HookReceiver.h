#pragma once

#include "network/http/HttpServer.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <functional>

namespace testsupport {

// A real local ECT stand-in for sandbox tests: records every hook it receives
// and answers with whatever the test scripts (default 200 {"success":true}).
class HookReceiver : public QObject {
    Q_OBJECT
public:
    struct Hook {
        QByteArray path; // /hooks/<category>/<subcategory>
        QString category, subcategory;
        QByteArray body;
        QJsonObject json;
        http::HeaderList headers;
        qint64 receivedMs = 0;
    };

    explicit HookReceiver(QObject *parent = nullptr);
    bool listen();
    QString urlFor(const QString &category, const QString &subcategory) const;

    // Decides the answer for each hook; return status, and optionally a body.
    using Policy = std::function<http::Response(const Hook &hook, int index)>;
    void setPolicy(Policy policy) { m_policy = std::move(policy); }
    // Fail (500) every hook while `failing` is true.
    void setFailing(bool failing);

    const QList<Hook> &hooks() const { return m_hooks; }       // answered 2xx
    const QList<Hook> &attempts() const { return m_attempts; } // every request
    QList<Hook> hooksOf(const QString &category, const QString &subcategory = {}) const;
    void clear();
    // Waits (processing events) until `count` 2xx hooks have arrived.
    bool waitForHooks(int count, int timeoutMs = 10000) const;

signals:
    void hookReceived();

private:
    http::HttpServer m_server;
    Policy m_policy;
    QList<Hook> m_hooks;
    QList<Hook> m_attempts;
};

} // namespace testsupport
