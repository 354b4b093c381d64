#include "network/hub/HubDatabase.h"

#include "models/common/Logging.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

namespace tract::hub {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("tract::hub::HubDatabase", text);
}

qint64 msOf(const QDateTime &t) {
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}
QDateTime timeOf(qint64 ms) {
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}
QString compact(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
// Qt binds a null QString as NULL; these columns are NOT NULL text.
QString text(const QString &s) {
    return s.isNull() ? QStringLiteral("") : s;
}
QJsonObject objectOf(const QString &text) {
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS agents (name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, "
    "capacity INTEGER NOT NULL, token_hash TEXT NOT NULL UNIQUE, created_at_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, body TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS marks (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS assignments (user_id TEXT PRIMARY KEY NOT NULL, "
    "conversation_no TEXT NOT NULL, agent TEXT NOT NULL, state TEXT NOT NULL, "
    "waiting_since_ms INTEGER NOT NULL, assigned_at_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS commands (agent TEXT NOT NULL, id TEXT NOT NULL, "
    "result TEXT NOT NULL, outbox_id INTEGER NOT NULL DEFAULT 0, "
    "outbox_state TEXT NOT NULL DEFAULT '', PRIMARY KEY (agent, id))",
    "CREATE INDEX IF NOT EXISTS commands_by_outbox ON commands (outbox_id) WHERE outbox_id > 0",
};
} // namespace

QString newAgentToken() {
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(words), sizeof words)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray agentTokenHash(const QString &token) {
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex();
}

HubDatabase::HubDatabase() {
    static QAtomicInteger<int> counter;
    m_connection = QStringLiteral("tract-hub-%1").arg(counter.fetchAndAddRelaxed(1));
}

HubDatabase::~HubDatabase() {
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool HubDatabase::open(const QString &dataDir, QString *error) {
    if (!QDir().mkpath(dataDir)) {
        *error = tr("cannot create the data directory %1").arg(dataDir);
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(QDir(dataDir).filePath(fileName()));
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!db.open()) {
        *error = tr("cannot open %1: %2").arg(db.databaseName(), db.lastError().text());
        return false;
    }
    QSqlQuery q(db);
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"})
        q.exec(QLatin1String(pragma));
    for (const char *statement : kSchema) {
        if (!q.exec(QLatin1String(statement))) {
            *error = tr("cannot prepare %1: %2").arg(db.databaseName(), q.lastError().text());
            return false;
        }
    }
    return true;
}

bool HubDatabase::exec(QSqlQuery &q) {
    if (q.exec())
        return true;
    return fail(q.lastError().text());
}

bool HubDatabase::fail(const QString &what) {
    m_error = what;
    qCWarning(lcHub) << "hub database:" << what;
    return false;
}

bool HubDatabase::transaction(const std::function<bool()> &body) {
    QSqlDatabase db = QSqlDatabase::database(m_connection);
    QSqlQuery begin(db);
    if (!begin.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return fail(begin.lastError().text());
    if (!body()) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return false;
    }
    QSqlQuery commit(db);
    if (!commit.exec(QStringLiteral("COMMIT"))) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return fail(commit.lastError().text());
    }
    return true;
}

QString HubDatabase::validateName(const QString &name) {
    if (name.isEmpty() || name.size() > 64)
        return tr("an agent name has 1 to 64 characters");
    for (const QChar c : name)
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return tr("an agent name cannot contain control characters");
    if (name.trimmed() != name)
        return tr("an agent name cannot start or end with a space");
    return {};
}

Expected<QString> HubDatabase::addAgent(const AgentRecord &agent) {
    if (const QString invalid = validateName(agent.name); !invalid.isEmpty())
        return Error{QStringLiteral("--hub-add-agent"), invalid};
    if (agent.capacity < 1 || agent.capacity > 1000)
        return Error{QStringLiteral("--capacity"), tr("expected 1 to 1000 open threads")};
    const QString token = newAgentToken();
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(
        QStringLiteral("INSERT INTO agents (name, role, capacity, token_hash, "
                       "created_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING"));
    q.addBindValue(agent.name);
    q.addBindValue(team::roleName(agent.role));
    q.addBindValue(agent.capacity);
    q.addBindValue(QString::fromLatin1(agentTokenHash(token)));
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!exec(q))
        return Error{QString(), m_error};
    if (q.numRowsAffected() == 0)
        return Error{QStringLiteral("--hub-add-agent"),
                     tr("an agent named %1 exists already; remove it first to issue a new token")
                         .arg(agent.name)};
    return token;
}

bool HubDatabase::removeAgent(const QString &name, QString *error) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("DELETE FROM agents WHERE name = ?"));
    q.addBindValue(name);
    if (!exec(q)) {
        *error = m_error;
        return false;
    }
    if (q.numRowsAffected() == 0) {
        *error = tr("no agent named %1").arg(name);
        return false;
    }
    return true;
}

QList<HubDatabase::AgentRecord> HubDatabase::agents() {
    QList<AgentRecord> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT name, role, capacity FROM agents ORDER BY name"));
    if (!exec(q))
        return out;
    while (q.next())
        out.append({q.value(0).toString(),
                    team::roleFromName(q.value(1).toString()).value_or(team::Role::Agent),
                    q.value(2).toInt()});
    return out;
}

std::optional<HubDatabase::AgentRecord> HubDatabase::agentForToken(const QString &token) {
    if (token.isEmpty())
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT name, role, capacity FROM agents WHERE token_hash = ?"));
    q.addBindValue(QString::fromLatin1(agentTokenHash(token)));
    if (!exec(q) || !q.next())
        return std::nullopt;
    return AgentRecord{q.value(0).toString(),
                       team::roleFromName(q.value(1).toString()).value_or(team::Role::Agent),
                       q.value(2).toInt()};
}

bool HubDatabase::appendEvent(const QJsonObject &event) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("INSERT INTO events (seq, body) VALUES (?, ?)"));
    q.addBindValue(event.value(QLatin1String("seq")).toInteger());
    q.addBindValue(compact(event));
    return exec(q);
}

QStringList HubDatabase::eventTextsAfter(qint64 seq, int limit) {
    QStringList out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT body FROM events WHERE seq > ? ORDER BY seq LIMIT ?"));
    q.addBindValue(seq);
    q.addBindValue(limit);
    if (!exec(q))
        return out;
    while (q.next())
        out.append(q.value(0).toString());
    return out;
}

qint64 HubDatabase::lastSeq() {
    // The newest seq ever given out survives pruning: it is kept as a mark too.
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT max(coalesce((SELECT max(seq) FROM events), 0), "
                             "coalesce((SELECT value FROM marks WHERE name = 'last_seq'), 0))"));
    if (!exec(q) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

qint64 HubDatabase::firstSeq() {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT min(seq) FROM events"));
    if (!exec(q) || !q.next() || q.value(0).isNull())
        return lastSeq() + 1;
    return q.value(0).toLongLong();
}

bool HubDatabase::pruneEvents(qint64 keep) {
    const qint64 last = lastSeq();
    if (last - keep < 1)
        return true;
    return transaction([&] {
        QSqlQuery q(QSqlDatabase::database(m_connection));
        q.prepare(QStringLiteral("DELETE FROM events WHERE seq <= ?"));
        q.addBindValue(last - keep);
        return exec(q) && setMark(QStringLiteral("last_seq"), last);
    });
}

qint64 HubDatabase::mark(const QString &name) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT value FROM marks WHERE name = ?"));
    q.addBindValue(name);
    if (!exec(q) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

bool HubDatabase::setMark(const QString &name, qint64 value) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("INSERT INTO marks (name, value) VALUES (?, ?) "
                             "ON CONFLICT (name) DO UPDATE SET value = excluded.value"));
    q.addBindValue(name);
    q.addBindValue(value);
    return exec(q);
}

QList<team::Assignment> HubDatabase::assignments() {
    QList<team::Assignment> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("SELECT user_id, conversation_no, agent, state, waiting_since_ms, "
                             "assigned_at_ms FROM assignments"));
    if (!exec(q))
        return out;
    while (q.next()) {
        team::Assignment a;
        a.userId = q.value(0).toString();
        a.conversationNumber = q.value(1).toString();
        a.agent = q.value(2).toString();
        a.state = team::assignmentStateFromName(q.value(3).toString())
                      .value_or(team::AssignmentState::Closed);
        a.waitingSince = timeOf(q.value(4).toLongLong());
        a.assignedAt = timeOf(q.value(5).toLongLong());
        out.append(a);
    }
    return out;
}

bool HubDatabase::saveAssignment(const team::Assignment &a) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral(
        "INSERT INTO assignments (user_id, conversation_no, agent, state, waiting_since_ms, "
        "assigned_at_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
        "conversation_no = excluded.conversation_no, agent = excluded.agent, "
        "state = excluded.state, waiting_since_ms = excluded.waiting_since_ms, "
        "assigned_at_ms = excluded.assigned_at_ms"));
    q.addBindValue(text(a.userId));
    q.addBindValue(text(a.conversationNumber));
    q.addBindValue(text(a.agent));
    q.addBindValue(team::assignmentStateName(a.state));
    q.addBindValue(msOf(a.waitingSince));
    q.addBindValue(msOf(a.assignedAt));
    return exec(q);
}

namespace {
HubDatabase::CommandRecord readCommand(const QSqlQuery &q) {
    return {q.value(0).toString(), q.value(1).toString(), objectOf(q.value(2).toString()),
            q.value(3).toLongLong(), q.value(4).toString()};
}
const QString kCommandColumns =
    QStringLiteral("SELECT agent, id, result, outbox_id, outbox_state FROM commands ");
} // namespace

std::optional<HubDatabase::CommandRecord> HubDatabase::command(const QString &agent,
                                                               const QString &id) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(kCommandColumns + QStringLiteral("WHERE agent = ? AND id = ?"));
    q.addBindValue(agent);
    q.addBindValue(id);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return readCommand(q);
}

std::optional<HubDatabase::CommandRecord> HubDatabase::commandForOutbox(qint64 outboxId) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(kCommandColumns + QStringLiteral("WHERE outbox_id = ?"));
    q.addBindValue(outboxId);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return readCommand(q);
}

QList<HubDatabase::CommandRecord> HubDatabase::commandsWithOpenOutbox() {
    QList<CommandRecord> out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(kCommandColumns + QStringLiteral("WHERE outbox_id > 0 AND outbox_state = 'pending'"));
    if (!exec(q))
        return out;
    while (q.next())
        out.append(readCommand(q));
    return out;
}

bool HubDatabase::saveCommand(const CommandRecord &r) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("INSERT INTO commands (agent, id, result, outbox_id, outbox_state) "
                             "VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent, id) DO NOTHING"));
    q.addBindValue(text(r.agent));
    q.addBindValue(text(r.id));
    q.addBindValue(compact(r.result));
    q.addBindValue(r.outboxId);
    q.addBindValue(text(r.outboxState));
    return exec(q);
}

bool HubDatabase::setOutboxState(qint64 outboxId, const QString &state) {
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(QStringLiteral("UPDATE commands SET outbox_state = ? WHERE outbox_id = ?"));
    q.addBindValue(state);
    q.addBindValue(outboxId);
    return exec(q);
}

} // namespace tract::hub
