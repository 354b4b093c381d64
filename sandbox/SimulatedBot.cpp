#include "sandbox/SimulatedBot.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace sandbox {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("sandbox", text);
}

QJsonObject actionable(const QString &label, const QString &uri, const QString &type,
                       const QJsonObject &payload, int isDefault = 0) {
    return {{QStringLiteral("actionable_text"), label},
            {QStringLiteral("location_required"), false},
            {QStringLiteral("is_default"), isDefault},
            {QStringLiteral("uri"), uri},
            {QStringLiteral("type"), type},
            {QStringLiteral("payload"), payload}};
}

QJsonObject sendText(const QString &label, const QString &message) {
    return actionable(
        label, QString(), QStringLiteral("TEXT_ONLY"),
        {{QStringLiteral("message"), message}, {QStringLiteral("gogo_message"), QString()}});
}

QJsonObject openLink(const QString &label, const QString &url) {
    return actionable(label, QStringLiteral("LINK"), QStringLiteral("APP_ACTION"),
                      {{QStringLiteral("url"), url}, {QStringLiteral("gogo_message"), QString()}});
}

bool mentions(const QString &text, std::initializer_list<const char *> words) {
    for (const char *w : words) {
        if (text.contains(QLatin1String(w), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

SimulatedBot::SimulatedBot(QString mediaBaseUrl)
    : m_mediaBaseUrl(std::move(mediaBaseUrl)) {}

QString SimulatedBot::media(const QString &file) const {
    return m_mediaBaseUrl + QStringLiteral("/sandbox/media/") + file;
}

QJsonObject SimulatedBot::text(const QString &text, const QStringList &quickReplies) {
    QJsonArray replies;
    for (const QString &r : quickReplies) {
        replies.append(QJsonObject{
            {QStringLiteral("actionable_text"), r},
            {QStringLiteral("is_default"), 0},
            {QStringLiteral("type"), QStringLiteral("TEXT_ONLY")},
            {QStringLiteral("payload"), QJsonObject{{QStringLiteral("message"), r},
                                                    {QStringLiteral("gogo_message"), QString()}}}});
    }
    return {{QStringLiteral("text"), text},
            {QStringLiteral("type"), QStringLiteral("TEXT")},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("quick_replies"), replies}}}};
}

QJsonObject SimulatedBot::plansCarousel() const {
    const auto card = [this](const QString &title, const QString &sub, const QString &desc,
                             const QString &img, const QString &choose) {
        return QJsonObject{
            {QStringLiteral("thumbnail"), QJsonObject{{QStringLiteral("image"), media(img)}}},
            {QStringLiteral("title"), title},
            {QStringLiteral("sub_title"), sub},
            {QStringLiteral("description"), desc},
            {QStringLiteral("actionables"),
             QJsonArray{openLink(tr("Details"), QStringLiteral("https://example.com/plans")),
                        sendText(tr("Choose"), choose)}}};
    };
    QJsonArray items{card(tr("Basic"), tr("₹199 / month"), tr("1 device, standard support"),
                          QStringLiteral("plan-basic.svg"), tr("I choose the Basic plan")),
                     card(tr("Plus"), tr("₹399 / month"), tr("3 devices, priority support"),
                          QStringLiteral("plan-plus.svg"), tr("I choose the Plus plan")),
                     card(tr("Family"), tr("₹599 / month"), tr("6 devices, a dedicated agent"),
                          QStringLiteral("plan-family.svg"), tr("I choose the Family plan"))};
    return {
        {QStringLiteral("text"), tr("Here are our plans")},
        {QStringLiteral("type"), QStringLiteral("CAROUSEL")},
        {QStringLiteral("data"), QJsonObject{{QStringLiteral("image_aspect_ratio"), 1.5},
                                             {QStringLiteral("width"), QStringLiteral("MEDIUM")},
                                             {QStringLiteral("items"), items}}}};
}

QJsonObject SimulatedBot::image(const QString &file, const QString &caption) const {
    QJsonArray items{QJsonObject{
        {QStringLiteral("thumbnail"), QJsonObject{{QStringLiteral("image"), media(file)}}},
        {QStringLiteral("actionables"), QJsonArray()}}};
    return {{QStringLiteral("text"), caption},
            {QStringLiteral("type"), QStringLiteral("CAROUSEL")},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("image_aspect_ratio"), 1.77},
                                                 {QStringLiteral("width"), QStringLiteral("FAT")},
                                                 {QStringLiteral("items"), items}}}};
}

QJsonObject SimulatedBot::helpButtons() {
    return {{QStringLiteral("text"), tr("These might help:")},
            {QStringLiteral("type"), QStringLiteral("BUTTON")},
            {QStringLiteral("data"),
             QJsonObject{
                 {QStringLiteral("items"),
                  QJsonArray{
                      openLink(tr("Open help centre"), QStringLiteral("https://example.com/help")),
                      openLink(tr("Download invoice (PDF)"),
                               QStringLiteral("https://example.com/invoice.pdf")),
                      sendText(tr("Talk to an agent"), tr("I want to talk to an agent"))}}}}};
}

QJsonObject SimulatedBot::addressForm() {
    const auto field = [](const QString &key, const QString &type, const QString &hint, int order,
                          const QJsonArray &options = {}) {
        return QJsonObject{{QStringLiteral("key"), key},
                           {QStringLiteral("type"), type},
                           {QStringLiteral("keyboard_type"), QStringLiteral("normal")},
                           {QStringLiteral("order"), order},
                           {QStringLiteral("icon"), QString()},
                           {QStringLiteral("hint"), hint},
                           {QStringLiteral("options"), options},
                           {QStringLiteral("search_source"), QString()},
                           {QStringLiteral("search_placeholder"), QString()},
                           {QStringLiteral("autofill"), QString()},
                           {QStringLiteral("autofill_source"), QString()}};
    };
    return {
        {QStringLiteral("title"), tr("Delivery address")},
        {QStringLiteral("subtitle"), tr("Please fill in")},
        {QStringLiteral("type"), QStringLiteral("FORM")},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("fields"),
                      QJsonArray{field(QStringLiteral("street"), QStringLiteral("text"),
                                       tr("Street and number"), 1),
                                 field(QStringLiteral("city"), QStringLiteral("picker"), tr("City"),
                                       2, QJsonArray{tr("Mumbai"), tr("Pune"), tr("Bengaluru")}),
                                 field(QStringLiteral("date"), QStringLiteral("date"),
                                       tr("Delivery date"), 3)}}}}};
}

QJsonObject SimulatedBot::system(const QString &text, const QString &eventName) {
    return {{QStringLiteral("text"), text},
            {QStringLiteral("type"), QStringLiteral("SYSTEM")},
            {QStringLiteral("data"), QJsonObject{{QStringLiteral("event_name"), eventName},
                                                 {QStringLiteral("payload"), QJsonObject()}}}};
}

BotTurn SimulatedBot::respond(const QString &t, const QString &userName) const {
    BotTurn turn;
    if (mentions(t, {"human", "agent", "person", "representative", "someone real"})) {
        turn.messages << text(tr(
                             "Sure, let me connect you to one of our agents. Please stay with me."))
                      << system(tr("Connecting you to an agent"), QStringLiteral("chat_transfer"));
        turn.handoff = true;
    } else if (mentions(t, {"choose"})) { // before "plan": "I choose the Plus plan"
        turn.messages << text(tr("*Great choice!* To finish, I need your delivery address."))
                      << addressForm();
    } else if (mentions(t, {"plan", "price", "pricing"})) {
        turn.messages << plansCarousel()
                      << text(tr("Would you like to compare them?"),
                              {tr("Help links"), tr("Talk to an agent")});
    } else if (mentions(t, {"photo", "image", "picture", "store"})) {
        turn.messages << image(QStringLiteral("store.svg"), tr("Our flagship store"));
    } else if (mentions(t, {"help", "link", "faq", "invoice"})) {
        turn.messages << helpButtons();
    } else if (mentions(t, {"address", "deliver"})) {
        turn.messages << addressForm();
    } else if (mentions(t, {"bye", "thank"})) {
        turn.messages << text(tr("Happy to help. Have a lovely day!"));
    } else {
        const QString name = userName.isEmpty() ? tr("there") : userName;
        turn.messages << text(
            tr("Hi %1! I'm the demo assistant. What can I do for you?").arg(name),
            {tr("See plans"), tr("Help links"), tr("Show the store"), tr("Talk to an agent")});
    }
    return turn;
}

QString SimulatedBot::endUserFollowUp(const QJsonObject &agentMessage, QRandomGenerator &rng) {
    const QJsonObject data = agentMessage.value(QStringLiteral("data")).toObject();
    QStringList choices;
    for (const char *list : {"quick_replies", "items"}) {
        for (const QJsonValue &v : data.value(QLatin1String(list)).toArray()) {
            const QJsonObject a = v.toObject();
            const QString message = a.value(QStringLiteral("payload"))
                                        .toObject()
                                        .value(QStringLiteral("message"))
                                        .toString();
            if (!message.isEmpty())
                choices << message;
        }
    }
    if (choices.isEmpty()) {
        choices = {tr("Thanks! Can you check my order status too?"), tr("Okay, that makes sense."),
                   tr("How long will that take?"), tr("Great, thank you so much!")};
    }
    return choices.at(int(rng.bounded(quint32(choices.size()))));
}

} // namespace sandbox
