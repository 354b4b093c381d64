#pragma once

#include <QString>
#include <QStringList>

#include <optional>

// Named codes of the TRACT interface (../shared/spec/tract-api.md appendix and the
// notes' longer platform list). Parsing is case-sensitive, as on the wire.
namespace tract {

enum class Sender { Ceu, Iva, Haptik, Ect, Aeu };
std::optional<Sender> senderFromString(QStringView s); // "ceu" -> Ceu
QString toString(Sender s);                            // Ceu -> "ceu"
QString senderDisplayName(Sender s);                   // translated: "End user", "Bot", ...
const QStringList &allSenderNames();                   // wire names, spec order

// Device platform ids. TRACT types the field as str; ids arrive as "14" or 14.
enum class DevicePlatform : int {
    Android = 2, Facebook = 3, Jio = 4, WebSdk = 5, Ios = 6, Voice = 9, Kookoo = 11,
    Phonecom = 12, Webhook = 13, WhatsApp = 14, JioConnector = 15, Ivr = 16, Ison = 17,
    JioIvr = 18, SmsGupshup = 19, Netcore = 20, GoogleBusinessMessages = 21,
    SunshineZendesk = 22
};
std::optional<DevicePlatform> devicePlatformFromId(int id);
// "WhatsApp" for "14"; a platform given by name ("WhatsApp") is returned as is;
// an unknown id gives "Platform 99"; empty gives empty.
QString devicePlatformName(const QString &wireValue);
const QList<DevicePlatform> &allDevicePlatforms();

// Event categories and their subcategories. `collection_state` (the later
// revision's name) is normalised to ConversationState.
enum class EventCategory { ConversationState, AeuEvents, UserEvents, ThreadControl, Message };
std::optional<EventCategory> eventCategoryFromString(QStringView s);
QString toString(EventCategory c);                 // canonical wire name
QStringList subcategoriesOf(EventCategory c);      // e.g. incomplete, complete, waiting, pinned, bot
bool isKnownEvent(const QString &category, const QString &subcategory);
QString normaliseCategory(const QString &category); // collection_state -> conversation_state

enum class ThreadControlType { Request, Pass, Take };
std::optional<ThreadControlType> threadControlTypeFromString(QStringView s);
QString toString(ThreadControlType t);

} // namespace tract
