#include "ConsoleProcess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTcpSocket>
#include <QTest>
#include <QUuid>

namespace consoletest {

ConsoleProcess::~ConsoleProcess() {
    stop();
}

QString ConsoleProcess::binary() {
    return qEnvironmentVariable("TRACT_CONSOLE_BIN");
}

bool ConsoleProcess::start(const QUrl &tractUrl, const QString &dataDir, quint16 port,
                           const QStringList &args, const QProcessEnvironment &env, int timeoutMs) {
    if (binary().isEmpty()) {
        m_error = QStringLiteral("TRACT_CONSOLE_BIN is not set");
        return false;
    }
    m_stdout.clear();
    m_stderr.clear();
    m_hookLines.clear();
    m_parsed = 0;
    m_baseUrl = QUrl();
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("TRACT_TOKEN"), QStringLiteral("demo-token"));
    e.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const QString &key : env.keys())
        e.insert(key, env.value(key));
    m_process.setProcessEnvironment(e);
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(binary(),
                    QStringList{QStringLiteral("--headless"), QStringLiteral("--tract-url"),
                                tractUrl.toString(), QStringLiteral("--data-dir"), dataDir,
                                QStringLiteral("--listen"),
                                QStringLiteral("127.0.0.1:%1").arg(port)} +
                        args);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = m_process.errorString();
        return false;
    }
    QDeadlineTimer deadline(timeoutMs);
    while (m_baseUrl.isEmpty()) {
        readOutput();
        const qsizetype nl = m_stdout.indexOf('\n');
        if (nl >= 0) {
            const QByteArray line = m_stdout.left(nl).trimmed();
            if (!line.startsWith("listening on ")) {
                m_error = QStringLiteral("unexpected first line: ") + QString::fromUtf8(line);
                return false;
            }
            m_baseUrl = QUrl(QString::fromUtf8(line.mid(13)));
            m_parsed = nl + 1;
            break;
        }
        if (m_process.state() == QProcess::NotRunning || deadline.hasExpired()) {
            m_error =
                QStringLiteral("no 'listening on' line; stderr: ") + QString::fromUtf8(m_stderr);
            return false;
        }
        m_process.waitForReadyRead(50);
    }
    return m_baseUrl.isValid() && m_baseUrl.port() > 0;
}

void ConsoleProcess::stop() {
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        kill();
    readOutput();
}

void ConsoleProcess::kill() {
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
    readOutput();
}

void ConsoleProcess::readOutput() {
    m_stdout += m_process.readAllStandardOutput();
    m_stderr += m_process.readAllStandardError();
    if (m_baseUrl.isEmpty())
        return;
    for (;;) {
        const qsizetype nl = m_stdout.indexOf('\n', m_parsed);
        if (nl < 0)
            break;
        const QByteArray line = m_stdout.mid(m_parsed, nl - m_parsed).trimmed();
        m_parsed = nl + 1;
        if (line.startsWith("hook "))
            m_hookLines.append(QString::fromUtf8(line));
    }
}

QStringList ConsoleProcess::hookLines() {
    readOutput();
    return m_hookLines;
}

bool ConsoleProcess::waitForHookLines(int count, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (hookLines().size() < count) {
        if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
            return false;
        QTest::qWait(20);
    }
    return true;
}

QByteArray ConsoleProcess::output() {
    readOutput();
    return m_stdout + m_stderr;
}

ConsoleProcess::Run ConsoleProcess::run(const QStringList &args, const QProcessEnvironment &env,
                                        int timeoutMs) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(binary(), args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

ConsoleProcess::Export ConsoleProcess::exportData(const QString &dataDir, const QString &user,
                                                  const QString &format) {
    Export e;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TRACT_TOKEN"), QStringLiteral("demo-token"));
    p.setProcessEnvironment(env);
    p.start(binary(), {QStringLiteral("--export"), user, QStringLiteral("--format"), format,
                       QStringLiteral("--data-dir"), dataDir});
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return e;
    }
    e.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    e.out = p.readAllStandardOutput();
    e.err = p.readAllStandardError();
    if (format == QLatin1String("json"))
        e.json = QJsonDocument::fromJson(e.out).object();
    return e;
}

QByteArray RawReply::header(QByteArrayView lowerCaseName) const {
    for (const auto &h : headers) {
        if (h.first == lowerCaseName)
            return h.second;
    }
    return {};
}

namespace {

// Parses what has arrived; true once a whole response (head + Content-Length
// bytes) is there.
bool parseResponse(const QByteArray &data, RawReply *reply) {
    const qsizetype headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = data.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    reply->status = statusLine.value(1).toInt();
    reply->headers.clear();
    qint64 length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        reply->headers.append({name, value});
        if (name == "content-length")
            length = value.toLongLong();
    }
    if (data.size() - (headEnd + 4) < length)
        return false;
    reply->body = data.mid(headEnd + 4, length);
    reply->json = QJsonDocument::fromJson(reply->body).object();
    return true;
}

} // namespace

RawReply rawExchange(quint16 port, const QByteArray &request, int timeoutMs) {
    RawReply reply;
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return reply;
    // Large bodies: write in slices, reading meanwhile, since the server may
    // answer (413) and close before taking everything.
    QByteArray data;
    qsizetype written = 0;
    QDeadlineTimer deadline(timeoutMs);
    while (written < request.size() && socket.state() == QAbstractSocket::ConnectedState &&
           !deadline.hasExpired()) {
        const qint64 n = socket.write(request.constData() + written,
                                      qMin<qsizetype>(64 * 1024, request.size() - written));
        if (n < 0)
            break;
        written += n;
        socket.waitForBytesWritten(200);
        if (socket.bytesAvailable() > 0) {
            data += socket.readAll();
            if (parseResponse(data, &reply))
                break;
        }
    }
    while (!parseResponse(data, &reply) && !deadline.hasExpired()) {
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
        if (socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            data += socket.readAll();
    }
    data += socket.readAll();
    if (!parseResponse(data, &reply))
        reply.status = 0;
    // Closed by the server after the answer?
    if (socket.state() == QAbstractSocket::ConnectedState)
        socket.waitForDisconnected(reply.header("connection") == "close" ? 2000 : 1);
    reply.closed = socket.state() != QAbstractSocket::ConnectedState;
    return reply;
}

QByteArray buildPost(const QByteArray &path, const QByteArray &body,
                     const QList<QPair<QByteArray, QByteArray>> &headers, bool chunked) {
    QByteArray r = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    bool haveLength = false;
    for (const auto &h : headers) {
        r += h.first + ": " + h.second + "\r\n";
        haveLength = haveLength || h.first.toLower() == "content-length";
    }
    if (chunked) {
        r += "Transfer-Encoding: chunked\r\n\r\n";
        r += QByteArray::number(body.size(), 16) + "\r\n" + body + "\r\n0\r\n\r\n";
        return r;
    }
    if (!haveLength)
        r += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return r + "\r\n" + body;
}

RawReply postJson(quint16 port, const QByteArray &path, const QByteArray &body,
                  const QList<QPair<QByteArray, QByteArray>> &extraHeaders) {
    return rawExchange(port, buildPost(path, body,
                                       QList<QPair<QByteArray, QByteArray>>{
                                           {QByteArrayLiteral("Content-Type"),
                                            QByteArrayLiteral("application/json")}} +
                                           extraHeaders));
}

QList<QVariantList> queryRows(const QString &databasePath, const QString &sql,
                              const QVariantList &binds) {
    QList<QVariantList> rows;
    const QString name = QUuid::createUuid().toString();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery q(db);
            q.prepare(sql);
            for (const QVariant &b : binds)
                q.addBindValue(b);
            if (q.exec()) {
                while (q.next()) {
                    QVariantList row;
                    for (int i = 0; i < q.record().count(); ++i)
                        row.append(q.value(i));
                    rows.append(row);
                }
            } else {
                qWarning().noquote() << "query failed:" << sql << q.lastError().text();
            }
        } else {
            qWarning().noquote() << "cannot open" << databasePath << db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return rows;
}

QMap<QString, qint64> tableCounts(const QString &databasePath) {
    QMap<QString, qint64> counts;
    for (const char *table : {"users", "threads", "messages", "events", "outbox"}) {
        const QList<QVariantList> rows =
            queryRows(databasePath, QStringLiteral("SELECT COUNT(*) FROM ") + QLatin1String(table));
        counts.insert(QLatin1String(table),
                      rows.isEmpty() ? -1 : rows.first().value(0).toLongLong());
    }
    return counts;
}

} // namespace consoletest
