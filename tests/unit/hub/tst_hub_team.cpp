// The team rules against a real hub process and the real sandbox, with real
// WebSocket clients: a full agent's next handoff waits in the queue and is
// served when a thread completes; a disconnected agent's threads return to
// the queue after the offline grace; revoking an agent closes its connection
// at once; a browser Origin must be allowed; no token ever shows in the hub's
// output or data directory.
#include "tests/support/SandboxProcess.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <functional>

using namespace Qt::StringLiterals;
using testsupport::SandboxProcess;

namespace {

constexpr int kTimeout = 15000;
const QString kTractToken = u"team-test-tract-token"_s;

QString consoleBinary() {
    return qEnvironmentVariable("TRACT_CONSOLE_BIN");
}

QByteArray admin(const QStringList &args) {
    QProcess p;
    p.start(consoleBinary(), args);
    p.waitForFinished(10000);
    return p.readAllStandardOutput() + p.readAllStandardError();
}

// One console's connection, as raw frames.
struct Client {
    QWebSocket socket;
    QList<QJsonObject> frames;
    bool closed = false;
    int closeCode = 0;

    Client(const QUrl &url, const QString &token, const QString &origin = {}) {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [this](const QString &t) {
            frames.append(QJsonDocument::fromJson(t.toUtf8()).object());
        });
        QObject::connect(&socket, &QWebSocket::disconnected, [this] {
            closed = true;
            closeCode = int(socket.closeCode());
        });
        QObject::connect(&socket, &QWebSocket::connected, [this, token] {
            send({{u"type"_s, u"hello"_s}, {u"token"_s, token}, {u"resume_from"_s, 0}});
        });
        if (url.isEmpty())
            return; // the caller configures and opens the socket
        QNetworkRequest request(url);
        if (!origin.isEmpty())
            request.setRawHeader("Origin", origin.toUtf8());
        socket.open(request);
    }
    void send(const QJsonObject &o) {
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    void command(const QString &id, const QString &action, QJsonObject fields = {}) {
        fields.insert(u"type"_s, u"command"_s);
        fields.insert(u"id"_s, id);
        fields.insert(u"action"_s, action);
        send(fields);
    }
    bool welcomed() const {
        for (const QJsonObject &f : frames)
            if (f.value(u"type"_s) == u"welcome"_s)
                return true;
        return false;
    }
    std::optional<QJsonObject> result(const QString &id) const {
        for (const QJsonObject &f : frames)
            if (f.value(u"type"_s) == u"result"_s && f.value(u"id"_s) == id)
                return f;
        return std::nullopt;
    }
    // The newest assignment event for `user`, if any.
    std::optional<QJsonObject> assignment(const QString &user) const {
        for (auto it = frames.crbegin(); it != frames.crend(); ++it)
            if (it->value(u"kind"_s) == u"assignment"_s && it->value(u"user_id"_s) == user)
                return *it;
        return std::nullopt;
    }
    QString assigneeOf(const QString &user) const {
        const auto a = assignment(user);
        return a ? a->value(u"agent"_s).toString() : u"<none>"_s;
    }
    QString stateOf(const QString &user) const {
        const auto a = assignment(user);
        return a ? a->value(u"state"_s).toString() : u"<none>"_s;
    }
};

class Hub {
public:
    QProcess process;
    QUrl url;
    QByteArray output;

    bool start(const QUrl &tract, const QString &dataDir, const QStringList &extra) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TRACT_TOKEN"_s, kTractToken);
        process.setProcessEnvironment(env);
        process.start(consoleBinary(), QStringList{u"--hub"_s, u"--tract-url"_s, tract.toString(),
                                                   u"--client-id"_s, u"demo"_s, u"--data-dir"_s,
                                                   dataDir, u"--hub-listen"_s, u"127.0.0.1:0"_s} +
                                           extra);
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 15000 && output.count("registered") < 15) {
            process.waitForReadyRead(200);
            output += process.readAllStandardOutput() + process.readAllStandardError();
        }
        for (const QByteArray &line : output.split('\n'))
            if (line.startsWith("hub listening on "))
                url = QUrl(QString::fromUtf8(line.mid(17)));
        return url.isValid() && output.count("registered") == 15;
    }
    QByteArray allOutput() {
        output += process.readAllStandardOutput() + process.readAllStandardError();
        return output;
    }
    ~Hub() {
        process.kill();
        process.waitForFinished();
    }
};

} // namespace

class TestHubTeam : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    Hub m_hub;
    QString m_data;
    QHash<QString, QString> m_tokens;

    QString add(const QString &name, const QString &role, int capacity) {
        const QString token =
            QString::fromUtf8(
                admin({u"--data-dir"_s, m_data, u"--hub-add-agent"_s, name, u"--role"_s, role,
                       u"--capacity"_s, QString::number(capacity)}))
                .trimmed();
        m_tokens.insert(name, token);
        return token;
    }
    void handoff(const QString &user) {
        QCOMPARE(m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, user}}).status / 100, 2);
        QCOMPARE(m_sandbox
                         .post(u"/sandbox/messages"_s,
                               {{u"user_id"_s, user}, {u"text"_s, u"I want to talk to an agent"_s}})
                         .status /
                     100,
                 2);
    }

private slots:
    void initTestCase() {
        QVERIFY2(!consoleBinary().isEmpty(), "TRACT_CONSOLE_BIN is not set");
        QVERIFY(m_sandbox.start({u"--bot-delay"_s, u"20"_s, u"--user-reply-delay"_s, u"0"_s,
                                 u"--grant-delay"_s, u"100"_s, u"--token"_s, kTractToken}));
        m_data = m_dir.filePath(u"hub"_s);
        add(u"Asha"_s, u"agent"_s, 1);
        add(u"Bela"_s, u"agent"_s, 1);
        add(u"Sam"_s, u"supervisor"_s, 3);
        for (const QString &t : std::as_const(m_tokens))
            QCOMPARE(t.size(), 43);
        QVERIFY(m_hub.start(m_sandbox.baseUrl(), m_data,
                            {u"--hub-offline-grace"_s, u"2"_s, u"--hub-allow-origin"_s,
                             u"https://console.example"_s}));
    }

    // Asha (capacity 1) is the only agent: the second handoff waits and is
    // hers the moment the first thread completes. Then she drops off: after
    // the 2 s grace (not before) her thread returns to the queue.
    void queueServedThenOfflineGrace() {
        Client sam(m_hub.url, m_tokens.value(u"Sam"_s));
        auto asha = std::make_unique<Client>(m_hub.url, m_tokens.value(u"Asha"_s));
        QTRY_VERIFY_WITH_TIMEOUT(sam.welcomed() && asha->welcomed(), kTimeout);

        handoff(u"u1"_s);
        QTRY_COMPARE_WITH_TIMEOUT(sam.assigneeOf(u"u1"_s), u"Asha"_s, kTimeout);
        handoff(u"u2"_s);
        QTRY_COMPARE_WITH_TIMEOUT(sam.stateOf(u"u2"_s), u"queued"_s, kTimeout);
        QCOMPARE(sam.assigneeOf(u"u2"_s), QString());

        asha->command(u"c1"_s, u"complete"_s, {{u"user_id"_s, u"u1"_s}});
        QTRY_VERIFY_WITH_TIMEOUT(asha->result(u"c1"_s).has_value(), kTimeout);
        QVERIFY2(asha->result(u"c1"_s)->value(u"ok"_s).toBool(),
                 qPrintable(asha->result(u"c1"_s)->value(u"error"_s).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(sam.assigneeOf(u"u2"_s), u"Asha"_s, kTimeout);
        QCOMPARE(asha->assigneeOf(u"u2"_s), u"Asha"_s);

        QElapsedTimer gone;
        asha.reset(); // her only connection closes
        gone.start();
        QTRY_COMPARE_WITH_TIMEOUT(sam.stateOf(u"u2"_s), u"queued"_s, kTimeout);
        QVERIFY2(gone.elapsed() >= 1500, qPrintable(QString::number(gone.elapsed())));
        QCOMPARE(sam.assignment(u"u2"_s)->value(u"reason"_s).toString(), u"offline"_s);
    }

    // Removing Bela while she is connected closes her connection with 4001
    // within a second, and her thread goes back to the queue.
    void revocationClosesAtOnce() {
        Client sam(m_hub.url, m_tokens.value(u"Sam"_s));
        Client bela(m_hub.url, m_tokens.value(u"Bela"_s));
        QTRY_VERIFY_WITH_TIMEOUT(sam.welcomed() && bela.welcomed(), kTimeout);
        // u2 waits in the queue: Bela, now online and free, gets it.
        QTRY_COMPARE_WITH_TIMEOUT(sam.assigneeOf(u"u2"_s), u"Bela"_s, kTimeout);

        QElapsedTimer t;
        t.start();
        admin({u"--data-dir"_s, m_data, u"--hub-remove-agent"_s, u"Bela"_s});
        QTRY_VERIFY_WITH_TIMEOUT(bela.closed, kTimeout);
        QVERIFY2(t.elapsed() < 1500, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(bela.closeCode, 4001);
        QTRY_COMPARE_WITH_TIMEOUT(sam.stateOf(u"u2"_s), u"queued"_s, kTimeout);
        QCOMPARE(sam.assignment(u"u2"_s)->value(u"reason"_s).toString(), u"revoked"_s);
        // The revoked token is refused from now on.
        Client again(m_hub.url, m_tokens.value(u"Bela"_s));
        QTRY_VERIFY_WITH_TIMEOUT(again.closed, kTimeout);
        QCOMPARE(again.closeCode, 4001);
        QVERIFY(!again.welcomed());
    }

    // A page from another site cannot drive the hub from a browser.
    void originMustBeAllowed() {
        Client evil(m_hub.url, m_tokens.value(u"Sam"_s), u"https://evil.example"_s);
        QTRY_VERIFY_WITH_TIMEOUT(evil.closed, kTimeout);
        QVERIFY(!evil.welcomed());
        Client allowed(m_hub.url, m_tokens.value(u"Sam"_s), u"https://console.example"_s);
        QTRY_VERIFY_WITH_TIMEOUT(allowed.welcomed(), kTimeout);
    }

    // --hub-tls-cert/--hub-tls-key: the hub serves wss:// and says so; a
    // client that trusts the certificate (verification on) is welcomed, one
    // that does not is not.
    void tlsHub() {
        const QString cert = m_dir.filePath(u"hub.pem"_s), key = m_dir.filePath(u"hub.key"_s);
        QProcess openssl;
        openssl.start(u"openssl"_s,
                      {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s,
                       u"1"_s, u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s,
                       u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, key, u"-out"_s, cert});
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
            QSKIP("the openssl command cannot make a test certificate here");
        const QString data = m_dir.filePath(u"tls"_s);
        const QString token = QString::fromUtf8(admin({u"--data-dir"_s, data, u"--hub-add-agent"_s,
                                                       u"Tara"_s, u"--role"_s, u"agent"_s}))
                                  .trimmed();
        Hub tls;
        QVERIFY(tls.start(m_sandbox.baseUrl(), data,
                          {u"--hub-tls-cert"_s, cert, u"--hub-tls-key"_s, key}));
        QCOMPARE(tls.url.scheme(), u"wss"_s);

        Client untrusting(tls.url, token);
        QTRY_VERIFY_WITH_TIMEOUT(untrusting.closed ||
                                     untrusting.socket.state() == QAbstractSocket::UnconnectedState,
                                 kTimeout);
        QVERIFY(!untrusting.welcomed());

        QFile pem(cert);
        QVERIFY(pem.open(QIODevice::ReadOnly));
        QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
        trust.setCaCertificates(QSslCertificate::fromData(pem.readAll(), QSsl::Pem));
        trust.setPeerVerifyMode(QSslSocket::VerifyPeer);
        Client trusting(QUrl(), token);
        trusting.socket.setSslConfiguration(trust);
        trusting.socket.open(tls.url);
        QTRY_VERIFY_WITH_TIMEOUT(trusting.welcomed(), kTimeout);
    }

    // No token in the hub's output, nor in any file it keeps.
    void noSecretLeaks() {
        QStringList secrets = m_tokens.values();
        secrets << kTractToken;
        const QByteArray out = m_hub.allOutput();
        QVERIFY(out.contains("hub listening on"));
        for (const QString &s : std::as_const(secrets))
            QVERIFY2(!out.contains(s.toUtf8()), "a token is in the hub's output");
        QDirIterator files(m_data, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int read = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray content = f.readAll();
            ++read;
            for (const QString &s : std::as_const(secrets))
                QVERIFY2(!content.contains(s.toUtf8()), qPrintable(f.fileName()));
        }
        QVERIFY(read >= 2); // hub.sqlite and console.sqlite at least
        const QByteArray listed = admin({u"--data-dir"_s, m_data, u"--hub-list-agents"_s});
        QVERIFY(listed.contains("Asha"));
        for (const QString &s : std::as_const(secrets))
            QVERIFY(!listed.contains(s.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestHubTeam)
#include "tst_hub_team.moc"
