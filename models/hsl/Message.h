#pragma once

#include "models/common/Expected.h"
#include "models/hsl/RichText.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// The HSL document model: plain, immutable-after-parse value types for every
// element of Haptik's HSL (../shared/spec/hsl-and-haptik-notes.md, sections 1-3).
// Built off the GUI thread by hsl::Parser (Chatterino style: the view only
// reads), painted later by ui/hsl. No GUI types here.
namespace hsl {

// Bounds that keep hostile input cheap. What happens beyond each one is part of
// the contract and is tested (tests/unit/hsl):
namespace limits {
// Serialized HSL larger than this is Invalid ("message_body: larger than ...").
constexpr int kMaxInputBytes = 1 << 20;
// JSON nesting deeper than this is Invalid. Real HSL nests about 8 levels
// (message > data > items > card > actionables > actionable > payload > images).
constexpr int kMaxDepth = 32;
// Any string (text, label, title, URL) longer than this is cut to this many
// UTF-16 units, never inside a surrogate pair, and Message::truncated is set.
constexpr int kMaxTextLength = 64 * 1024;
// Any list (quick replies, buttons, cards, actionables, fields, options,
// silent actions, mime types) keeps its first kMaxItems entries; the rest are
// dropped and Message::truncated is set.
constexpr int kMaxItems = 100;
} // namespace limits

enum class Kind {
    Invalid,      // could not be understood; Message::error says why
    Text,         // TEXT, optionally with quick replies
    Button,       // BUTTON: text + persistent actionables
    Carousel,     // CAROUSEL; also images (see Message::isImage())
    System,       // SYSTEM events such as chat_pinned
    Form,         // FORM (read-only in the console)
    Silent,       // SILENT: not for humans
    NativeAction, // NATIVE_ACTION: not for humans
    Unknown,      // well-formed HSL with a type we do not know; text + raw kept
};

// Actionable `uri` values (notes section 3). `Other` keeps the raw string.
enum class Uri {
    None, // "" or absent
    Link,
    SelfServeWeb,
    Call,
    CarouselDetail,
    CarouselDefault,
    GalleryPicker,
    SendLocation,
    SendMultipleLocations,
    SavedAddresses,
    DocumentPicker,
    LaunchChannel,
    ImageUpload,
    Other,
};

// Actionable `type` values (notes section 3). `Other` keeps the raw string.
enum class ActionType {
    None, // "" or absent
    AppAction,
    MessageBar,
    Text,
    TextOnly,
    TabListTextOnly,
    FormShow,
    ShareReceipt,
    AppFeedback,
    ShareReferral,
    Share,
    Other,
};

Uri uriFromString(const QString &s);
QString uriToString(Uri uri); // canonical wire string; "" for None and Other
ActionType actionTypeFromString(const QString &s);
QString actionTypeToString(ActionType type);

// A CTA: quick reply, button, card action or mini action.
struct Actionable {
    QString text; // actionable_text
    Uri uri = Uri::None;
    QString uriRaw; // as received, e.g. "LINK" or "SOMETHING_NEW"
    ActionType type = ActionType::None;
    QString typeRaw;
    bool isDefault = false;
    // Well-known payload keys, already coerced to strings.
    QString message;       // payload.message: what the user is shown as sent
    QString gogoMessage;   // payload.gogo_message: what the bot receives instead
    QString url;           // payload.url, falling back to payload.link
    QString phone;         // payload.phone_number / phone / number (CALL; key undocumented)
    QStringList mimeTypes; // payload.mime_types (DOCUMENT_PICKER)
    QJsonObject payload;   // the whole payload as received, for everything else

    // What the bot backend receives on a tap: gogo_message, or message when empty.
    QString botMessage() const { return gogoMessage.isEmpty() ? message : gogoMessage; }
    bool opensUrl() const {
        return !url.isEmpty() && (uri == Uri::Link || uri == Uri::SelfServeWeb);
    }

    bool operator==(const Actionable &o) const;
    bool operator!=(const Actionable &o) const { return !(*this == o); }
};

enum class CardWidth { Thin, Medium, Fat, Big };

struct CarouselCard {
    QString imageUrl; // thumbnail.image; may be a video embed URL
    QString title;
    QString subTitle;
    QString description;
    QString meta;
    QList<Actionable> actionables;
    bool hasMiniActionable = false;
    Actionable miniActionable;

    bool hasImage() const { return !imageUrl.isEmpty() && !isVideoEmbed(); }
    // The documented "video" sample puts a player embed URL (YouTube /embed/)
    // in thumbnail.image: it is not an image, so the renderer shows a play tile
    // that opens imageUrl instead of trying to decode it.
    bool isVideoEmbed() const;
    bool hasText() const {
        return !title.isEmpty() || !subTitle.isEmpty() || !description.isEmpty();
    }

    bool operator==(const CarouselCard &o) const;
    bool operator!=(const CarouselCard &o) const { return !(*this == o); }
};

struct Carousel {
    // image_aspect_ratio as a number; 0 when absent or not a number.
    double imageAspectRatio = 0;
    CardWidth width = CardWidth::Thin; // the builder's default [LIB]
    QString widthRaw;
    QList<CarouselCard> items;

    // "1000"/"1000.1" is the documented trick for cards without an image.
    bool isNoImageLayout() const { return imageAspectRatio >= 1000; }

    bool operator==(const Carousel &o) const;
};

struct SystemEvent {
    QString eventName; // chat_pinned, chat_complete, ...
    QString agentName;
    QString teamName;
    QString profileImage;
    QJsonObject payload; // data.payload as received

    bool operator==(const SystemEvent &o) const;
};

struct FormField {
    QString key;
    QString type;         // text, picker, date, ... (raw: the set is open-ended)
    QString keyboardType; // normal | number | email
    int order = 0;
    QString icon;
    QString hint;
    QStringList options;
    QString searchSource;
    QString searchPlaceholder;
    QString autofill;
    QString autofillSource;

    bool operator==(const FormField &o) const;
};

struct Form {
    QString title;           // top-level "title" (FORM has no "text" in the builder)
    QString subtitle;        // top-level "subtitle"
    QList<FormField> fields; // sorted by `order`, stable

    bool operator==(const Form &o) const;
};

struct SilentAction {
    QString type;
    QJsonObject data;
    bool operator==(const SilentAction &o) const { return type == o.type && data == o.data; }
};

// One HSL message. Only the member(s) for `kind` are filled; the others stay
// empty. Copying is cheap (implicitly shared Qt containers).
struct Message {
    Kind kind = Kind::Invalid;
    QString typeRaw;        // the `type` string as received
    QString text;           // may be empty; kept for Invalid and Unknown too when readable
    RichText richText;      // `text` tokenized (markers, line breaks, links)
    bool truncated = false; // a limit in hsl::limits cut something
    tract::Error error;     // Invalid only: path + message, e.g. "data.items: expected array"

    QList<Actionable> quickReplies;    // Text
    QList<Actionable> buttons;         // Button
    Carousel carousel;                 // Carousel
    SystemEvent system;                // System
    Form form;                         // Form
    QList<SilentAction> silentActions; // Silent
    QString nativeMethod;              // NativeAction
    QJsonObject raw; // the HSL object as received (empty when it was not an object)

    bool isValid() const { return kind != Kind::Invalid; }
    QString errorString() const { return error.toString(); }

    // A one-card carousel whose card has a (non-video) image and no actionables:
    // the documented image element. Title/description, if any, are a caption.
    bool isImage() const;
    // Not for humans: the thread view shows at most a one-line note.
    bool isHidden() const { return kind == Kind::Silent || kind == Kind::NativeAction; }

    // Compares the parsed content; `raw` is ignored so a built message equals
    // its own parsed wire form.
    bool operator==(const Message &o) const;
    bool operator!=(const Message &o) const { return !(*this == o); }
};

// One line for thread lists and notifications, e.g. "🖼 Image",
// "Carousel: Plan A, Plan B". Markers are removed, whitespace collapsed, and the
// result is at most maxLength characters (ending in "…" when cut).
QString summary(const Message &message, int maxLength = 120);

} // namespace hsl
