#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QUrl>
#include <QVariantList>

namespace consoletest {

// Runs the real `tract-console --headless` ($TRACT_CONSOLE_BIN) against a TRACT
// peer, with TRACT_TOKEN=demo-token and the caller's --data-dir, and reads its
// contract output: the `listening on http://HOST:PORT` line, then one line per
// hook registration result (`hook <cat>/<sub>: registered|failed: <reason>`).
// The process is killed when this object goes away.
class ConsoleProcess {
public:
    ConsoleProcess() = default;
    ~ConsoleProcess();
    ConsoleProcess(const ConsoleProcess &) = delete;
    ConsoleProcess &operator=(const ConsoleProcess &) = delete;

    // `--headless --tract-url URL --data-dir DIR --listen 127.0.0.1:PORT` plus
    // `args`; `env` is added to the process environment. Waits for the
    // "listening on" line. False (with errorString()) on failure.
    bool start(const QUrl &tractUrl, const QString &dataDir, quint16 port = 0,
               const QStringList &args = {}, const QProcessEnvironment &env = {},
               int timeoutMs = 15000);
    void stop(); // SIGTERM, then SIGKILL
    void kill(); // SIGKILL, for crash tests
    QString errorString() const { return m_error; }
    QUrl baseUrl() const { return m_baseUrl; }
    quint16 port() const { return quint16(m_baseUrl.port()); }
    QProcess &process() { return m_process; }

    // The `hook ...` lines printed so far (reads what is available).
    QStringList hookLines();
    // Waits (running the event loop) until `count` hook lines have been printed.
    bool waitForHookLines(int count, int timeoutMs = 15000);
    // Everything printed so far, stdout and stderr.
    QByteArray output();

    static QString binary(); // $TRACT_CONSOLE_BIN

    // One run of the binary with `args` in `env`, to its end (killed after
    // `timeoutMs`: exitCode -1, err "timed out"; a crash: exitCode -1).
    struct Run {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Run run(const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 60000);

    // `tract-console --export USER|all --format FORMAT --data-dir DIR`.
    struct Export {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        QJsonObject json; // for --format json
    };
    static Export exportData(const QString &dataDir, const QString &user = QStringLiteral("all"),
                             const QString &format = QStringLiteral("json"));

private:
    void readOutput();

    QProcess m_process;
    QUrl m_baseUrl;
    QString m_error;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QStringList m_hookLines;
    qsizetype m_parsed = 0;
};

// One HTTP/1.1 exchange over a raw loopback socket, so tests can send exactly
// the bytes they mean (bad methods, missing headers, broken bodies).
struct RawReply {
    int status = 0;                               // 0: no answer (connection closed or timed out)
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased
    QByteArray body;
    QJsonObject json;
    bool closed = false; // the server closed the connection
    QByteArray header(QByteArrayView lowerCaseName) const;
};
RawReply rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 10000);

// A POST built from its parts; Content-Length is added unless `headers` has one
// or `chunked` is set (then the body goes out as one chunk).
QByteArray buildPost(const QByteArray &path, const QByteArray &body,
                     const QList<QPair<QByteArray, QByteArray>> &headers, bool chunked = false);

// JSON POST to the console's listener.
RawReply postJson(quint16 port, const QByteArray &path, const QByteArray &body,
                  const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});

// Row counts of the console's SQLite file, opened read-only:
// "users", "threads", "messages", "events", "outbox".
QMap<QString, qint64> tableCounts(const QString &databasePath);

// The rows of one SELECT on the console's SQLite file, opened read-only.
QList<QVariantList> queryRows(const QString &databasePath, const QString &sql,
                              const QVariantList &binds = {});

} // namespace consoletest
