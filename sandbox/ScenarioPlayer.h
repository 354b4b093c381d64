#pragma once

#include "models/common/Expected.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <optional>

namespace sandbox {

class SandboxWorld;

// A scripted demo or test run; the format is documented in docs/scenarios.md.
struct Scenario {
    struct User {
        QString userId, userName, devicePlatform, owner;
        QJsonObject details;
    };
    struct Step {
        int afterMs = 0; // after the previous step
        QString userId;
        enum class Kind { Say, Message, Event, Owner, Complete } kind = Kind::Say;
        QString text;
        QJsonObject messageBody;
        QString category, subcategory, receiver;
        std::optional<QString> metadata;
    };
    struct Arrivals { // new users turning up now and then, so a demo never runs dry
        int everyMs = 0;
        int max = 0;
        QStringList lines;
        int lineGapMs = 2500;
    };

    QString name;
    QString description;
    QList<User> users;
    QList<Step> steps;
    Arrivals arrivals;

    // A file path, or a name of a built-in scenario (resources/scenarios/NAME.json).
    static tract::Expected<Scenario> load(const QString &nameOrFile);
    static tract::Expected<Scenario> fromJson(const QJsonObject &json);
    static QStringList builtInNames();
};

class ScenarioPlayer : public QObject {
    Q_OBJECT
public:
    ScenarioPlayer(Scenario scenario, SandboxWorld *world, QObject *parent = nullptr);

    void start();
    void stop();
    bool isFinished() const { return m_next >= m_scenario.steps.size(); }

signals:
    void finished();

private:
    void runStep();
    void arrive();

    Scenario m_scenario;
    SandboxWorld *m_world;
    qsizetype m_next = 0;
    int m_arrived = 0;
    QTimer m_stepTimer;
    QTimer m_arrivalTimer;
};

} // namespace sandbox
