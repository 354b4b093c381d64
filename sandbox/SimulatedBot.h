#pragma once

#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QString>

namespace sandbox {

// The bot's answer to one end-user message.
struct BotTurn {
    QList<QJsonObject> messages; // HSL, in order
    bool handoff = false;        // the user asked for a human: hand over to agents
};

// A small rule-based IVA that answers with every HSL element type, so a demo
// shows what the console renders. Keywords drive it; its quick replies and
// buttons carry those keywords, so tapping them moves the conversation on.
class SimulatedBot {
public:
    // Base URL of the sandbox, for the images it serves under /sandbox/media/.
    explicit SimulatedBot(QString mediaBaseUrl);

    BotTurn respond(const QString &userText, const QString &userName) const;

    // A reply an end user might type after an agent message; picks a quick reply
    // or TEXT_ONLY button of `agentMessage` when there is one.
    static QString endUserFollowUp(const QJsonObject &agentMessage, QRandomGenerator &rng);

    // HSL builders, also used by scenarios.
    static QJsonObject text(const QString &text, const QStringList &quickReplies = {});
    QJsonObject plansCarousel() const;
    QJsonObject image(const QString &file, const QString &caption) const;
    static QJsonObject helpButtons();
    static QJsonObject addressForm();
    static QJsonObject system(const QString &text, const QString &eventName);

private:
    QString media(const QString &file) const;
    QString m_mediaBaseUrl;
};

} // namespace sandbox
