#include "sandbox/ScenarioPlayer.h"

#include "models/common/Logging.h"
#include "sandbox/SandboxWorld.h"
#include "sandbox/SimulatedBot.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace sandbox {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("sandbox", text);
}

// Reads typed fields, remembering the first error with its path.
class Reader {
public:
    explicit Reader(QString path)
        : m_path(std::move(path)) {}
    QString string(const QJsonObject &o, const char *key, bool required = false) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull()) {
            if (required)
                fail(key, tr("required field missing"));
            return {};
        }
        if (v.isDouble())
            return QString::number(v.toInteger());
        if (!v.isString())
            fail(key, tr("expected string"));
        return v.toString();
    }
    int number(const QJsonObject &o, const char *key, int fallback) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isUndefined())
            return fallback;
        if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 86'400'000)
            fail(key, tr("expected a number from 0 to 86400000"));
        return v.toInt();
    }
    void fail(const char *key, const QString &message) {
        if (!m_error)
            m_error = tract::Error{m_path + QLatin1Char('.') + QLatin1String(key), message};
    }
    std::optional<tract::Error> m_error;
    QString m_path;
};

} // namespace

QStringList Scenario::builtInNames() {
    QStringList names;
    for (const QString &f :
         QDir(QStringLiteral(":/scenarios")).entryList({QStringLiteral("*.json")}))
        names << QFileInfo(f).completeBaseName();
    return names;
}

tract::Expected<Scenario> Scenario::load(const QString &nameOrFile) {
    QString path = nameOrFile;
    if (!QFileInfo::exists(path)) {
        path = QStringLiteral(":/scenarios/%1.json").arg(nameOrFile);
        if (!QFileInfo::exists(path)) {
            return tract::Error{
                QStringLiteral("--scenario"),
                tr("no file '%1' and no built-in scenario of that name (built in: %2)")
                    .arg(nameOrFile, builtInNames().join(QStringLiteral(", ")))};
        }
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tract::Error{path, file.errorString()};
    if (file.size() > 16 * 1024 * 1024)
        return tract::Error{path, tr("larger than 16 MiB")};
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        return tract::Error{
            path, tr("invalid JSON at offset %1: %2").arg(error.offset).arg(error.errorString())};
    if (!doc.isObject())
        return tract::Error{path, tr("expected a JSON object")};
    auto scenario = fromJson(doc.object());
    if (!scenario)
        return tract::Error{path + QStringLiteral(": ") + scenario.error().path,
                            scenario.error().message};
    return scenario;
}

tract::Expected<Scenario> Scenario::fromJson(const QJsonObject &json) {
    Scenario s;
    Reader top(QStringLiteral("scenario"));
    s.name = top.string(json, "name");
    s.description = top.string(json, "description");
    if (top.m_error)
        return *top.m_error;

    const QJsonArray users = json.value(QStringLiteral("users")).toArray();
    for (qsizetype i = 0; i < users.size(); ++i) {
        Reader r(QStringLiteral("users[%1]").arg(i));
        const QJsonObject o = users.at(i).toObject();
        User u{r.string(o, "user_id", true), r.string(o, "user_name"),
               r.string(o, "device_platform"), r.string(o, "owner"),
               o.value(QStringLiteral("details")).toObject()};
        if (r.m_error)
            return *r.m_error;
        s.users.append(u);
    }

    const QJsonArray steps = json.value(QStringLiteral("steps")).toArray();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        Reader r(QStringLiteral("steps[%1]").arg(i));
        const QJsonObject o = steps.at(i).toObject();
        Step step;
        step.afterMs = r.number(o, "after_ms", 0);
        step.userId = r.string(o, "user_id", true);
        if (o.contains(QStringLiteral("say"))) {
            step.kind = Step::Kind::Say;
            step.text = r.string(o, "say", true);
        } else if (o.contains(QStringLiteral("message_body"))) {
            step.kind = Step::Kind::Message;
            step.messageBody = o.value(QStringLiteral("message_body")).toObject();
            if (!step.messageBody.value(QStringLiteral("type")).isString())
                r.fail("message_body", tr("expected an HSL object with a string \"type\""));
        } else if (o.contains(QStringLiteral("event"))) {
            step.kind = Step::Kind::Event;
            const QJsonObject e = o.value(QStringLiteral("event")).toObject();
            step.category = r.string(e, "category", true);
            step.subcategory = r.string(e, "subcategory", true);
            const QJsonValue m = e.value(QStringLiteral("metadata"));
            if (m.isObject())
                step.metadata =
                    QString::fromUtf8(QJsonDocument(m.toObject()).toJson(QJsonDocument::Compact));
            else if (m.isString())
                step.metadata = m.toString();
        } else if (o.contains(QStringLiteral("owner"))) {
            step.kind = Step::Kind::Owner;
            step.receiver = r.string(o, "owner", true);
        } else if (o.value(QStringLiteral("complete")).toBool()) {
            step.kind = Step::Kind::Complete;
        } else {
            r.fail("say", tr("a step needs one of say, message_body, event, owner or complete"));
        }
        if (r.m_error)
            return *r.m_error;
        s.steps.append(step);
    }

    const QJsonObject arrivals = json.value(QStringLiteral("arrivals")).toObject();
    if (!arrivals.isEmpty()) {
        Reader r(QStringLiteral("arrivals"));
        s.arrivals.everyMs = r.number(arrivals, "every_ms", 0);
        s.arrivals.max = r.number(arrivals, "max", 10);
        s.arrivals.lineGapMs = r.number(arrivals, "line_gap_ms", 2500);
        for (const QJsonValue &v : arrivals.value(QStringLiteral("lines")).toArray())
            s.arrivals.lines << v.toString();
        if (s.arrivals.everyMs > 0 && s.arrivals.everyMs < 100)
            r.fail("every_ms", tr("at least 100"));
        if (r.m_error)
            return *r.m_error;
    }
    return s;
}

ScenarioPlayer::ScenarioPlayer(Scenario scenario, SandboxWorld *world, QObject *parent)
    : QObject(parent)
    , m_scenario(std::move(scenario))
    , m_world(world) {
    m_stepTimer.setSingleShot(true);
    connect(&m_stepTimer, &QTimer::timeout, this, &ScenarioPlayer::runStep);
    connect(&m_arrivalTimer, &QTimer::timeout, this, &ScenarioPlayer::arrive);
}

void ScenarioPlayer::start() {
    qCInfo(lcSandbox).noquote() << "playing scenario" << m_scenario.name;
    for (const Scenario::User &u : m_scenario.users)
        m_world->ensureUser({u.userId, u.userName, u.devicePlatform, u.details, u.owner});
    m_next = 0;
    if (!m_scenario.steps.isEmpty())
        m_stepTimer.start(m_scenario.steps.first().afterMs);
    if (m_scenario.arrivals.everyMs > 0 && !m_scenario.arrivals.lines.isEmpty())
        m_arrivalTimer.start(m_scenario.arrivals.everyMs);
}

void ScenarioPlayer::stop() {
    m_stepTimer.stop();
    m_arrivalTimer.stop();
    m_next = m_scenario.steps.size();
}

void ScenarioPlayer::runStep() {
    if (m_next >= m_scenario.steps.size())
        return;
    const Scenario::Step &s = m_scenario.steps.at(m_next++);
    m_world->ensureUser({s.userId, {}, {}, {}, {}});
    switch (s.kind) {
    case Scenario::Step::Kind::Say:
        m_world->endUserSays(s.userId, SimulatedBot::text(s.text));
        break;
    case Scenario::Step::Kind::Message:
        m_world->endUserSays(s.userId, s.messageBody);
        break;
    case Scenario::Step::Kind::Event:
        m_world->emitEvent(s.userId, s.category, s.subcategory, s.metadata);
        break;
    case Scenario::Step::Kind::Owner:
        m_world->setOwner(s.userId, s.receiver, QStringLiteral("take"), s.receiver);
        break;
    case Scenario::Step::Kind::Complete: {
        const SimUser *u = m_world->user(s.userId);
        if (u)
            m_world->setOwner(s.userId, kIva, QStringLiteral("pass"), u->owner);
        m_world->emitEvent(s.userId, QStringLiteral("conversation_state"),
                           QStringLiteral("complete"), std::nullopt);
        break;
    }
    }
    if (m_next < m_scenario.steps.size())
        m_stepTimer.start(m_scenario.steps.at(m_next).afterMs);
    else
        emit finished();
}

void ScenarioPlayer::arrive() {
    if (m_arrived >= m_scenario.arrivals.max) {
        m_arrivalTimer.stop();
        return;
    }
    ++m_arrived;
    const QString id = m_world->ensureUser({});
    int delay = 0;
    for (const QString &line : std::as_const(m_scenario.arrivals.lines)) {
        QTimer::singleShot(
            delay, this, [this, id, line] { m_world->endUserSays(id, SimulatedBot::text(line)); });
        delay += m_scenario.arrivals.lineGapMs;
    }
}

} // namespace sandbox
