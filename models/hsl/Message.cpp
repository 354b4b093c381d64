#include "models/hsl/Message.h"

#include <QCoreApplication>

namespace hsl {
namespace {

struct UriName {
    Uri uri;
    QLatin1StringView name;
};

constexpr UriName kUris[] = {
    {Uri::Link, QLatin1StringView("LINK")},
    {Uri::SelfServeWeb, QLatin1StringView("SELF_SERVE_WEB")},
    {Uri::Call, QLatin1StringView("CALL")},
    {Uri::CarouselDetail, QLatin1StringView("CAROUSEL_DETAIL")},
    {Uri::CarouselDefault, QLatin1StringView("CAROUSEL_DEFAULT")},
    {Uri::GalleryPicker, QLatin1StringView("GALLERY_PICKER")},
    {Uri::SendLocation, QLatin1StringView("SEND_LOCATION")},
    {Uri::SendMultipleLocations, QLatin1StringView("SEND_MULTIPLE_LOCATIONS")},
    {Uri::SavedAddresses, QLatin1StringView("SAVED_ADDRESSES")},
    {Uri::DocumentPicker, QLatin1StringView("DOCUMENT_PICKER")},
    {Uri::LaunchChannel, QLatin1StringView("LAUNCH_CHANNEL")},
    {Uri::ImageUpload, QLatin1StringView("IMAGE_UPLOAD")},
};

struct TypeName {
    ActionType type;
    QLatin1StringView name;
};

constexpr TypeName kTypes[] = {
    {ActionType::AppAction, QLatin1StringView("APP_ACTION")},
    {ActionType::MessageBar, QLatin1StringView("MESSAGE_BAR")},
    {ActionType::Text, QLatin1StringView("TEXT")},
    {ActionType::TextOnly, QLatin1StringView("TEXT_ONLY")},
    {ActionType::TabListTextOnly, QLatin1StringView("TAB_LIST_TEXT_ONLY")},
    {ActionType::FormShow, QLatin1StringView("FORM_SHOW")},
    {ActionType::ShareReceipt, QLatin1StringView("SHARE_RECEIPT")},
    {ActionType::AppFeedback, QLatin1StringView("APP_FEEDBACK")},
    {ActionType::ShareReferral, QLatin1StringView("SHARE_REFERRAL")},
    {ActionType::Share, QLatin1StringView("SHARE")},
};

} // namespace

Uri uriFromString(const QString &s) {
    const QString t = s.trimmed();
    if (t.isEmpty())
        return Uri::None;
    for (const UriName &u : kUris)
        if (t.compare(u.name, Qt::CaseInsensitive) == 0)
            return u.uri;
    return Uri::Other;
}

QString uriToString(Uri uri) {
    for (const UriName &u : kUris)
        if (u.uri == uri)
            return u.name;
    return {};
}

ActionType actionTypeFromString(const QString &s) {
    const QString t = s.trimmed();
    if (t.isEmpty())
        return ActionType::None;
    for (const TypeName &n : kTypes)
        if (t.compare(n.name, Qt::CaseInsensitive) == 0)
            return n.type;
    return ActionType::Other;
}

QString actionTypeToString(ActionType type) {
    for (const TypeName &n : kTypes)
        if (n.type == type)
            return n.name;
    return {};
}

bool Actionable::operator==(const Actionable &o) const {
    return text == o.text && uri == o.uri && uriRaw == o.uriRaw && type == o.type &&
           typeRaw == o.typeRaw && isDefault == o.isDefault && message == o.message &&
           gogoMessage == o.gogoMessage && url == o.url && phone == o.phone &&
           mimeTypes == o.mimeTypes && payload == o.payload;
}

bool CarouselCard::isVideoEmbed() const {
    // Only the shapes the "video" sample and common players use; anything else
    // is treated as an image and fails to decode visibly rather than silently.
    return imageUrl.contains(QLatin1String("/embed/"), Qt::CaseInsensitive) ||
           imageUrl.contains(QLatin1String("youtu.be/"), Qt::CaseInsensitive) ||
           imageUrl.contains(QLatin1String("player.vimeo.com/"), Qt::CaseInsensitive);
}

bool CarouselCard::operator==(const CarouselCard &o) const {
    return imageUrl == o.imageUrl && title == o.title && subTitle == o.subTitle &&
           description == o.description && meta == o.meta && actionables == o.actionables &&
           hasMiniActionable == o.hasMiniActionable && miniActionable == o.miniActionable;
}

bool Carousel::operator==(const Carousel &o) const {
    return imageAspectRatio == o.imageAspectRatio && width == o.width && widthRaw == o.widthRaw &&
           items == o.items;
}

bool SystemEvent::operator==(const SystemEvent &o) const {
    return eventName == o.eventName && agentName == o.agentName && teamName == o.teamName &&
           profileImage == o.profileImage && payload == o.payload;
}

bool FormField::operator==(const FormField &o) const {
    return key == o.key && type == o.type && keyboardType == o.keyboardType && order == o.order &&
           icon == o.icon && hint == o.hint && options == o.options &&
           searchSource == o.searchSource && searchPlaceholder == o.searchPlaceholder &&
           autofill == o.autofill && autofillSource == o.autofillSource;
}

bool Form::operator==(const Form &o) const {
    return title == o.title && subtitle == o.subtitle && fields == o.fields;
}

bool Message::isImage() const {
    if (kind != Kind::Carousel || carousel.items.size() != 1 || carousel.isNoImageLayout())
        return false;
    const CarouselCard &card = carousel.items.front();
    return card.hasImage() && card.actionables.isEmpty() && !card.hasMiniActionable;
}

bool Message::operator==(const Message &o) const {
    return kind == o.kind && typeRaw == o.typeRaw && text == o.text && richText == o.richText &&
           truncated == o.truncated && error == o.error && quickReplies == o.quickReplies &&
           buttons == o.buttons && carousel == o.carousel && system == o.system && form == o.form &&
           silentActions == o.silentActions && nativeMethod == o.nativeMethod;
}

namespace {

QString plain(const QString &text) {
    return RichText::fromMarkup(text).toPlainText().simplified();
}

QString joinLabels(const QStringList &labels) {
    return labels.join(QStringLiteral(", "));
}

QString rawSummary(const Message &m) {
    const QString text = plain(m.text);
    switch (m.kind) {
    case Kind::Invalid:
        return text.isEmpty() ? QCoreApplication::translate("hsl", "Unreadable message") : text;
    case Kind::Text:
        if (text.isEmpty() && !m.quickReplies.isEmpty()) {
            QStringList labels;
            for (const Actionable &a : m.quickReplies)
                labels.append(plain(a.text));
            return QCoreApplication::translate("hsl", "Quick replies: %1").arg(joinLabels(labels));
        }
        return text;
    case Kind::Button: {
        if (!text.isEmpty())
            return text;
        QStringList labels;
        for (const Actionable &a : m.buttons)
            labels.append(plain(a.text));
        return QCoreApplication::translate("hsl", "🔗 %1").arg(joinLabels(labels));
    }
    case Kind::Carousel: {
        if (m.isImage())
            return text.isEmpty() ? QCoreApplication::translate("hsl", "🖼 Image")
                                  : QCoreApplication::translate("hsl", "🖼 %1").arg(text);
        if (m.carousel.items.size() == 1 && m.carousel.items.front().isVideoEmbed())
            return text.isEmpty() ? QCoreApplication::translate("hsl", "▶ Video")
                                  : QCoreApplication::translate("hsl", "▶ %1").arg(text);
        QStringList titles;
        for (const CarouselCard &c : m.carousel.items) {
            const QString t = plain(c.title);
            if (!t.isEmpty())
                titles.append(t);
        }
        if (!titles.isEmpty())
            return QCoreApplication::translate("hsl", "Carousel: %1").arg(joinLabels(titles));
        if (!text.isEmpty())
            return QCoreApplication::translate("hsl", "Carousel: %1").arg(text);
        return QCoreApplication::translate("hsl", "Carousel (%n cards)", nullptr,
                                           static_cast<int>(m.carousel.items.size()));
    }
    case Kind::System:
        return text.isEmpty() ? m.system.eventName : text;
    case Kind::Form: {
        const QString title = plain(m.form.title);
        return title.isEmpty() ? QCoreApplication::translate("hsl", "Form")
                               : QCoreApplication::translate("hsl", "Form: %1").arg(title);
    }
    case Kind::Silent:
        return QCoreApplication::translate("hsl", "Silent action");
    case Kind::NativeAction:
        return m.nativeMethod.isEmpty()
                   ? QCoreApplication::translate("hsl", "App action")
                   : QCoreApplication::translate("hsl", "App action: %1").arg(m.nativeMethod);
    case Kind::Unknown: {
        const QString tag =
            QCoreApplication::translate("hsl", "[unsupported %1]").arg(m.typeRaw.simplified());
        return text.isEmpty() ? tag : text + QLatin1Char(' ') + tag;
    }
    }
    return text;
}

} // namespace

QString summary(const Message &message, int maxLength) {
    QString s = rawSummary(message).simplified();
    if (maxLength > 0 && s.size() > maxLength) {
        qsizetype cut = maxLength - 1;
        if (cut > 0 && s.at(cut - 1).isHighSurrogate())
            --cut;
        s.truncate(cut);
        s += QChar(0x2026);
    }
    return s;
}

} // namespace hsl
