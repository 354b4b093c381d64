#pragma once

#include "network/auth/SigningKey.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <functional>

namespace tract {

class TractClient;

// The console's access token when TRACT issues it (docs/authentication.md):
// a signed POST /tract/management/token/issue/, then the JWT goes to every
// attached TractClient as its Bearer token. It is renewed at `renewAt` (80 %)
// of its lifetime, and whenever an attached client's call gets a 401 (the
// call then tries once more). A failed issue is tried again with a fresh
// timestamp after 1, 2, 4 ... 60 s.
//
// The token and the key are never logged; messages name the failure only.
class TokenKeeper : public QObject {
    Q_OBJECT
public:
    struct Signing {
        auth::SigningKey key;
        QString certUuid; // SignatureCertUUID: TRACT's name for the pre-shared certificate
        QString fqdn;     // the ECT's FQDN, in the body (and the certificate)
    };

    TokenKeeper(const QUrl &tractUrl, const QString &clientId, Signing signing,
                QObject *parent = nullptr);
    ~TokenKeeper() override;

    void start(); // issues the first token
    void stop();
    QString token() const { return m_token; }
    bool hasToken() const { return !m_token.isEmpty(); }
    QDateTime expiresAt() const { return m_expiresAt; } // invalid: not known
    int issuedCount() const { return m_issued; }

    // Gives `client` the current token and every later one, and makes this
    // keeper its 401 renewer.
    void attach(TractClient *client);

    // Fraction of the lifetime after which the token is renewed.
    void setRenewFraction(double fraction) { m_renewFraction = fraction; }

signals:
    // A token is in place; `expiresAt` invalid when TRACT did not say.
    void tokenIssued(const QDateTime &expiresAt);
    // An issue failed. `permanent`: TRACT refused the credentials (HTTP 4xx or
    // an unreadable answer); otherwise it was unreachable. Tried again after `retryInMs`.
    void issueFailed(const QString &message, bool permanent, int retryInMs);

private:
    void issue();
    void renew(const QString &rejectedToken, QObject *context,
               std::function<void(bool, const QString &)> done);
    void settle(bool ok, const QString &message);

    TractClient *m_issuer; // its own client: the issue call carries no bearer token
    QString m_clientId;
    Signing m_signing;
    QList<QPointer<TractClient>> m_clients;
    QString m_token;
    QDateTime m_expiresAt;
    QTimer m_renewTimer;
    QTimer m_retryTimer;
    bool m_inFlight = false;
    bool m_stopped = false;
    int m_failures = 0;
    int m_issued = 0;
    double m_renewFraction = 0.8;
    struct Waiter {
        QPointer<QObject> context;
        std::function<void(bool, const QString &)> done;
    };
    QList<Waiter> m_waiters;
};

} // namespace tract
