#include "models/hsl/Compose.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>
#include <algorithm>

namespace hsl {
namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("hsl", text);
}

// The payload exactly as toJson() emits it, so a built Actionable equals its
// parsed wire form.
QJsonObject payloadOf(const Actionable &a) {
    QJsonObject p;
    if (a.uri == Uri::Link)
        p.insert(QLatin1String("url"), a.url);
    else
        p.insert(QLatin1String("message"), a.message);
    p.insert(QLatin1String("gogo_message"), a.gogoMessage);
    return p;
}

Actionable make(const QString &label, Uri uri, ActionType type) {
    Actionable a;
    a.text = label;
    a.uri = uri;
    a.uriRaw = uriToString(uri);
    a.type = type;
    a.typeRaw = actionTypeToString(type);
    return a;
}

// Quick replies carry no uri or location_required in Haptik's samples; buttons
// carry both (button.md marks every key required, location_required is
// deprecated and always false).
QJsonObject actionableJson(const Actionable &a, bool isButton) {
    QJsonObject o;
    o.insert(QLatin1String("actionable_text"), a.text);
    o.insert(QLatin1String("is_default"), a.isDefault ? 1 : 0);
    // Canonical spelling for known values; a parsed "text_only" goes out as
    // "TEXT_ONLY".
    o.insert(QLatin1String("type"),
             a.type == ActionType::Other ? a.typeRaw : actionTypeToString(a.type));
    if (isButton) {
        o.insert(QLatin1String("uri"), a.uri == Uri::Other ? a.uriRaw : uriToString(a.uri));
        o.insert(QLatin1String("location_required"), false);
    }
    o.insert(QLatin1String("payload"), payloadOf(a));
    return o;
}

bool isHttpUrl(const QString &s) {
    const QUrl url(s, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    return url.isValid() && (scheme == QLatin1String("http") || scheme == QLatin1String("https")) &&
           !url.host().isEmpty();
}

class Validator {
public:
    QList<Issue> errors;
    QList<Issue> warnings;

    void error(const QString &path, const char *what) {
        errors.append(Issue{Issue::Error, path, tr(what)});
    }
    void warn(const QString &path, const QString &what) {
        warnings.append(Issue{Issue::Warning, path, what});
    }

    void label(const QString &path, const QString &text, int guide) {
        const QString p = path + QStringLiteral(".actionable_text");
        if (text.trimmed().isEmpty())
            error(p, QT_TRANSLATE_NOOP("hsl", "empty label"));
        else if (text.size() > kMaxLabelLength)
            error(p, QT_TRANSLATE_NOOP("hsl", "label longer than 256 characters"));
        else if (text.size() > guide)
            warn(p, QCoreApplication::translate(
                        "hsl", "label longer than %1 characters; some channels cut it")
                        .arg(guide));
    }

    void count(const QString &path, qsizetype n) {
        if (n > limits::kMaxItems)
            error(path, QT_TRANSLATE_NOOP("hsl", "more than 100 items"));
    }
};

} // namespace

Actionable quickReply(const QString &label, const QString &message, const QString &gogoMessage) {
    Actionable a = make(label, Uri::None, ActionType::TextOnly);
    a.message = message.isEmpty() ? label : message;
    a.gogoMessage = gogoMessage;
    a.payload = payloadOf(a);
    return a;
}

Actionable linkButton(const QString &label, const QString &url) {
    Actionable a = make(label, Uri::Link, ActionType::AppAction);
    a.url = url.trimmed();
    a.payload = payloadOf(a);
    return a;
}

Actionable textButton(const QString &label, const QString &message) {
    Actionable a = make(label, Uri::None, ActionType::TextOnly);
    a.message = message.isEmpty() ? label : message;
    a.payload = payloadOf(a);
    return a;
}

Message textMessage(const QString &text, const QList<Actionable> &quickReplies) {
    Message m;
    m.kind = Kind::Text;
    m.typeRaw = QStringLiteral("TEXT");
    m.text = text;
    m.richText = RichText::fromMarkup(text);
    m.quickReplies = quickReplies;
    return m;
}

Message buttonMessage(const QString &text, const QList<Actionable> &buttons) {
    Message m;
    m.kind = Kind::Button;
    m.typeRaw = QStringLiteral("BUTTON");
    m.text = text;
    m.richText = RichText::fromMarkup(text);
    m.buttons = buttons;
    return m;
}

QList<Issue> validateForSending(const Message &m) {
    Validator v;
    if (m.kind != Kind::Text && m.kind != Kind::Button) {
        v.error(QStringLiteral("type"),
                QT_TRANSLATE_NOOP("hsl", "only TEXT and BUTTON messages can be sent"));
        return v.errors;
    }
    const QString textPath = QStringLiteral("text");
    if (m.text.size() > limits::kMaxTextLength)
        v.error(textPath, QT_TRANSLATE_NOOP("hsl", "longer than 65536 characters"));
    else if (m.kind == Kind::Text && m.text.trimmed().isEmpty())
        v.error(textPath, QT_TRANSLATE_NOOP("hsl", "empty"));

    if (m.kind == Kind::Text) {
        const QString listPath = QStringLiteral("data.quick_replies");
        v.count(listPath, m.quickReplies.size());
        for (qsizetype i = 0; i < m.quickReplies.size(); ++i) {
            const Actionable &a = m.quickReplies[i];
            const QString p = listPath + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
            v.label(p, a.text, guidance::kQuickReplyLabel);
            if (a.type != ActionType::TextOnly || a.uri != Uri::None)
                v.error(p, QT_TRANSLATE_NOOP("hsl", "quick replies must be TEXT_ONLY"));
            else if (a.message.trimmed().isEmpty())
                v.error(p + QStringLiteral(".payload.message"), QT_TRANSLATE_NOOP("hsl", "empty"));
        }
    } else {
        const QString listPath = QStringLiteral("data.items");
        if (m.buttons.isEmpty())
            v.error(listPath, QT_TRANSLATE_NOOP("hsl", "at least one button"));
        v.count(listPath, m.buttons.size());
        if (m.buttons.size() > guidance::kButtons && m.buttons.size() <= limits::kMaxItems)
            v.warn(listPath, QCoreApplication::translate(
                                 "hsl", "more than %1 buttons; quick replies suit more options")
                                 .arg(guidance::kButtons));
        for (qsizetype i = 0; i < m.buttons.size(); ++i) {
            const Actionable &a = m.buttons[i];
            const QString p = listPath + QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
            v.label(p, a.text, guidance::kButtonLabel);
            if (a.uri == Uri::Link && a.type == ActionType::AppAction) {
                if (!isHttpUrl(a.url))
                    v.error(p + QStringLiteral(".payload.url"),
                            QT_TRANSLATE_NOOP("hsl", "expected an http or https URL"));
            } else if (a.uri == Uri::None && a.type == ActionType::TextOnly) {
                if (a.message.trimmed().isEmpty())
                    v.error(p + QStringLiteral(".payload.message"),
                            QT_TRANSLATE_NOOP("hsl", "empty"));
            } else {
                v.error(p, QT_TRANSLATE_NOOP("hsl", "only LINK and TEXT_ONLY buttons can be sent"));
            }
        }
    }
    return v.errors + v.warnings;
}

bool isValidForSending(const Message &m) {
    const QList<Issue> issues = validateForSending(m);
    return std::none_of(issues.begin(), issues.end(),
                        [](const Issue &i) { return i.severity == Issue::Error; });
}

QJsonObject toJson(const Message &m) {
    if (m.kind != Kind::Text && m.kind != Kind::Button)
        return {};
    const bool isButton = m.kind == Kind::Button;
    QJsonArray items;
    for (const Actionable &a : isButton ? m.buttons : m.quickReplies)
        items.append(actionableJson(a, isButton));
    QJsonObject data;
    data.insert(isButton ? QLatin1String("items") : QLatin1String("quick_replies"), items);
    QJsonObject o;
    o.insert(QLatin1String("text"), m.text);
    o.insert(QLatin1String("type"), isButton ? QLatin1String("BUTTON") : QLatin1String("TEXT"));
    o.insert(QLatin1String("data"), data);
    return o;
}

QByteArray toMessageBody(const Message &m) {
    if (!isValidForSending(m))
        return {};
    return QJsonDocument(toJson(m)).toJson(QJsonDocument::Compact);
}

} // namespace hsl
