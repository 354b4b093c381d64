#include "models/tract/Codes.h"

#include <QCoreApplication>
#include <algorithm>
#include <iterator>

namespace tract {

namespace {

const char *const kContext = "tract";

QString translated(const char *text) {
    return QCoreApplication::translate(kContext, text);
}

struct SenderInfo {
    Sender sender;
    const char *wire;
    const char *display;
};
// Spec appendix order.
const SenderInfo kSenders[] = {
    {Sender::Ceu, "ceu", QT_TRANSLATE_NOOP("tract", "End user")},
    {Sender::Iva, "iva", QT_TRANSLATE_NOOP("tract", "Bot")},
    {Sender::Haptik, "haptik", QT_TRANSLATE_NOOP("tract", "Haptik")},
    {Sender::Ect, "ect", QT_TRANSLATE_NOOP("tract", "External chat tool")},
    {Sender::Aeu, "aeu", QT_TRANSLATE_NOOP("tract", "Agent")},
};

struct PlatformInfo {
    DevicePlatform platform;
    const char *name;
};
// Product names, still translatable: some locales transliterate them.
const PlatformInfo kPlatforms[] = {
    {DevicePlatform::Android, QT_TRANSLATE_NOOP("tract", "Android")},
    {DevicePlatform::Facebook, QT_TRANSLATE_NOOP("tract", "Facebook")},
    {DevicePlatform::Jio, QT_TRANSLATE_NOOP("tract", "Jio")},
    {DevicePlatform::WebSdk, QT_TRANSLATE_NOOP("tract", "WebSDK")},
    {DevicePlatform::Ios, QT_TRANSLATE_NOOP("tract", "iOS")},
    {DevicePlatform::Voice, QT_TRANSLATE_NOOP("tract", "Voice")},
    {DevicePlatform::Kookoo, QT_TRANSLATE_NOOP("tract", "Kookoo")},
    {DevicePlatform::Phonecom, QT_TRANSLATE_NOOP("tract", "Phonecom")},
    {DevicePlatform::Webhook, QT_TRANSLATE_NOOP("tract", "Webhook")},
    {DevicePlatform::WhatsApp, QT_TRANSLATE_NOOP("tract", "WhatsApp")},
    {DevicePlatform::JioConnector, QT_TRANSLATE_NOOP("tract", "Jio Connector")},
    {DevicePlatform::Ivr, QT_TRANSLATE_NOOP("tract", "IVR")},
    {DevicePlatform::Ison, QT_TRANSLATE_NOOP("tract", "ISON")},
    {DevicePlatform::JioIvr, QT_TRANSLATE_NOOP("tract", "JIO IVR")},
    {DevicePlatform::SmsGupshup, QT_TRANSLATE_NOOP("tract", "SMS Gupshup")},
    {DevicePlatform::Netcore, QT_TRANSLATE_NOOP("tract", "Netcore")},
    {DevicePlatform::GoogleBusinessMessages,
     QT_TRANSLATE_NOOP("tract", "Google Business Messages")},
    {DevicePlatform::SunshineZendesk, QT_TRANSLATE_NOOP("tract", "Sunshine Zendesk")},
};

struct CategoryInfo {
    EventCategory category;
    const char *wire;
    const char *subcategories; // space separated, architecture.md "Contracts"
};
const CategoryInfo kCategories[] = {
    {EventCategory::ConversationState, "conversation_state",
     "incomplete complete waiting pinned bot"},
    {EventCategory::AeuEvents, "aeu_events",
     "received allocated user_timeout transition entity_update"},
    {EventCategory::UserEvents, "user_events", "create_user"},
    {EventCategory::ThreadControl, "thread_control", "take pass request"},
    {EventCategory::Message, "message", "receive"},
};
// Haptik's later revision renamed the category; both mean the same hooks.
const char *const kCollectionState = "collection_state";

struct ThreadControlInfo {
    ThreadControlType type;
    const char *wire;
};
const ThreadControlInfo kThreadControlTypes[] = {
    {ThreadControlType::Request, "request"},
    {ThreadControlType::Pass, "pass"},
    {ThreadControlType::Take, "take"},
};

template <typename Table, typename Pred> auto find(const Table &table, Pred pred) {
    const auto it = std::find_if(std::begin(table), std::end(table), pred);
    return it == std::end(table) ? nullptr : &*it;
}

} // namespace

std::optional<Sender> senderFromString(QStringView s) {
    const auto *info =
        find(kSenders, [s](const SenderInfo &i) { return s == QLatin1String(i.wire); });
    return info ? std::optional<Sender>(info->sender) : std::nullopt;
}

QString toString(Sender s) {
    const auto *info = find(kSenders, [s](const SenderInfo &i) { return i.sender == s; });
    return info ? QLatin1String(info->wire) : QString();
}

QString senderDisplayName(Sender s) {
    const auto *info = find(kSenders, [s](const SenderInfo &i) { return i.sender == s; });
    return info ? translated(info->display) : QString();
}

const QStringList &allSenderNames() {
    static const QStringList names = [] {
        QStringList list;
        for (const SenderInfo &i : kSenders)
            list.append(QLatin1String(i.wire));
        return list;
    }();
    return names;
}

std::optional<DevicePlatform> devicePlatformFromId(int id) {
    const auto *info = find(
        kPlatforms, [id](const PlatformInfo &i) { return static_cast<int>(i.platform) == id; });
    return info ? std::optional<DevicePlatform>(info->platform) : std::nullopt;
}

QString devicePlatformName(const QString &wireValue) {
    bool isId = false;
    const int id = wireValue.trimmed().toInt(&isId);
    if (!isId)
        return wireValue;
    const auto *info = find(
        kPlatforms, [id](const PlatformInfo &i) { return static_cast<int>(i.platform) == id; });
    return info ? translated(info->name)
                : translated(QT_TRANSLATE_NOOP("tract", "Platform %1")).arg(id);
}

const QList<DevicePlatform> &allDevicePlatforms() {
    static const QList<DevicePlatform> platforms = [] {
        QList<DevicePlatform> list;
        for (const PlatformInfo &i : kPlatforms)
            list.append(i.platform);
        return list;
    }();
    return platforms;
}

std::optional<EventCategory> eventCategoryFromString(QStringView s) {
    if (s == QLatin1String(kCollectionState))
        return EventCategory::ConversationState;
    const auto *info =
        find(kCategories, [s](const CategoryInfo &i) { return s == QLatin1String(i.wire); });
    return info ? std::optional<EventCategory>(info->category) : std::nullopt;
}

QString toString(EventCategory c) {
    const auto *info = find(kCategories, [c](const CategoryInfo &i) { return i.category == c; });
    return info ? QLatin1String(info->wire) : QString();
}

QStringList subcategoriesOf(EventCategory c) {
    const auto *info = find(kCategories, [c](const CategoryInfo &i) { return i.category == c; });
    return info ? QString::fromLatin1(info->subcategories).split(QLatin1Char(' ')) : QStringList();
}

bool isKnownEvent(const QString &category, const QString &subcategory) {
    const std::optional<EventCategory> c = eventCategoryFromString(category);
    return c && subcategoriesOf(*c).contains(subcategory);
}

QString normaliseCategory(const QString &category) {
    return category == QLatin1String(kCollectionState) ? toString(EventCategory::ConversationState)
                                                       : category;
}

std::optional<ThreadControlType> threadControlTypeFromString(QStringView s) {
    const auto *info = find(kThreadControlTypes,
                            [s](const ThreadControlInfo &i) { return s == QLatin1String(i.wire); });
    return info ? std::optional<ThreadControlType>(info->type) : std::nullopt;
}

QString toString(ThreadControlType t) {
    const auto *info =
        find(kThreadControlTypes, [t](const ThreadControlInfo &i) { return i.type == t; });
    return info ? QLatin1String(info->wire) : QString();
}

} // namespace tract
