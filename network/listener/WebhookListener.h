#pragma once

#include "models/store/StoreTypes.h"
#include "network/http/HttpServer.h"

#include <QHostAddress>
#include <QObject>

namespace tract {

namespace store {
class Store;
}

// Receives TRACT's hooks at <base>/hooks/<secret>/<category>/<subcategory>,
// checks them, commits them to the store and only then acknowledges. Lives on
// the store's worker thread, so a busy window never delays an ack.
//
// Answers (architecture guide): {"success":true} for messages, plus ect_user_id
// for create_user, {} for events; errors {"error": ...} with 400 invalid, 401
// bad or missing signature, 404 unknown path or secret (revealing nothing),
// 405 wrong method (checked first), 413 too large, 415 not JSON, 503 store
// unavailable (so TRACT retries). Refused hooks are stored nowhere.
class WebhookListener : public QObject {
    Q_OBJECT
public:
    struct Settings {
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 0;
        QString pathSecret;    // the <secret> URL segment
        QByteArray hookSecret; // HMAC key; empty: signatures not required
        http::ServerLimits limits;
        // Applied to the store. Acks wait for the commit, and TRACT sends each
        // user's hooks one at a time, so a fixed wait for more writes is added to
        // every ack and caps throughput. maxDelayMs 0 commits at the end of the
        // event-loop turn: a batch is whatever arrived while the last one
        // committed (docs/benchmarks.md, "Hook ingest").
        store::GroupCommitPolicy groupCommit{256, 0};
    };

    WebhookListener(store::Store *store, const Settings &settings, QObject *parent = nullptr);

    bool start();
    void stop();
    quint16 port() const { return m_http.serverPort(); }
    QHostAddress address() const { return m_http.serverAddress(); }
    QString errorString() const { return m_http.errorString(); }

signals:
    // A hook was committed (new, or a redelivery already stored).
    void hookStored(const QString &category, const QString &subcategory, const QString &userId,
                    bool isNew);
    // A hook was refused; `reason` never contains secrets.
    void hookRefused(int status, const QString &reason);

private:
    std::optional<http::Response> checkHead(const http::RequestHead &head) const;
    void handle(const http::Request &request, const http::Responder &responder);
    void storeMessage(const QByteArray &body, const http::Responder &responder);
    void storeCreateUser(const QByteArray &body, const http::Responder &responder);
    void storeEvent(const QString &category, const QString &subcategory, const QByteArray &body,
                    const http::Responder &responder);
    void refuse(const http::Responder &responder, const http::Response &response);

    store::Store *m_store;
    Settings m_settings;
    http::HttpServer m_http;
};

} // namespace tract
