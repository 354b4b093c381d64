#include "models/hsl/Parser.h"

#include "models/common/Logging.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <algorithm>
#include <cmath>
#include <new>

namespace hsl {
namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("hsl", text);
}

// A field path, built as a chain on the stack and only turned into a string
// when an error needs it (most messages have no error, so this keeps the hot
// path free of string building).
struct Path {
    const Path *parent = nullptr;
    const char *key = nullptr; // member name, or nullptr for an array index
    int index = -1;

    Path member(const char *k) const { return Path{this, k, -1}; }
    Path at(int i) const { return Path{this, nullptr, i}; }

    QString toString() const {
        QString out;
        if (parent)
            out = parent->toString();
        if (key) {
            if (!out.isEmpty())
                out += QLatin1Char('.');
            out += QLatin1String(key);
        } else if (index >= 0) {
            out += QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
        }
        return out;
    }
};

// The root has no name: top-level keys read "type", "data.items".
const Path kRoot{};

QLatin1StringView key(const char *k) {
    return QLatin1StringView(k);
}

class Reader {
public:
    bool failed() const { return m_failed; }
    bool truncated() const { return m_truncated; }
    const tract::Error &error() const { return m_error; }

    bool fail(const Path &path, const char *what) {
        if (!m_failed) {
            m_failed = true;
            m_error = tract::Error{path.toString(), tr(what)};
        }
        return false;
    }

    QString clip(QString s) {
        if (s.size() > limits::kMaxTextLength) {
            qsizetype cut = limits::kMaxTextLength;
            if (s.at(cut - 1).isHighSurrogate())
                --cut;
            s.truncate(cut);
            m_truncated = true;
        }
        return s;
    }

    // A string field: strings as is, numbers and booleans as their text,
    // null/absent as empty; objects and arrays are an error.
    QString string(const QJsonValue &v, const Path &path) {
        switch (v.type()) {
        case QJsonValue::String:
            return clip(v.toString());
        case QJsonValue::Double: {
            const double d = v.toDouble();
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
                return QString::number(static_cast<qint64>(d));
            return QString::number(d, 'g', 17);
        }
        case QJsonValue::Bool:
            return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            return {};
        case QJsonValue::Array:
        case QJsonValue::Object:
            break;
        }
        fail(path, QT_TRANSLATE_NOOP("hsl", "expected string"));
        return {};
    }

    QString string(const QJsonObject &o, const char *k, const Path &parent) {
        return string(o.value(key(k)), parent.member(k));
    }

    // Flags arrive as 0/1, true/false or "0"/"1"/"true"/"false" in the samples.
    static bool boolean(const QJsonValue &v) {
        switch (v.type()) {
        case QJsonValue::Bool:
            return v.toBool();
        case QJsonValue::Double:
            return v.toDouble() != 0;
        case QJsonValue::String: {
            const QString s = v.toString().trimmed();
            return s == QLatin1String("1") ||
                   s.compare(QLatin1String("true"), Qt::CaseInsensitive) == 0 ||
                   s.compare(QLatin1String("yes"), Qt::CaseInsensitive) == 0;
        }
        default:
            return false;
        }
    }

    // Numbers arrive as numbers or numeric strings; anything else, NaN and
    // infinities read as `fallback`.
    static double number(const QJsonValue &v, double fallback = 0) {
        double d = fallback;
        if (v.isDouble()) {
            d = v.toDouble();
        } else if (v.isString()) {
            bool ok = false;
            d = v.toString().trimmed().toDouble(&ok);
            if (!ok)
                return fallback;
        }
        return std::isfinite(d) ? d : fallback;
    }

    // An optional object: absent/null gives {} and true; another kind fails.
    bool object(const QJsonValue &v, const Path &path, QJsonObject &out) {
        if (v.isObject()) {
            out = v.toObject();
            return true;
        }
        if (v.isNull() || v.isUndefined()) {
            out = {};
            return true;
        }
        return fail(path, QT_TRANSLATE_NOOP("hsl", "expected object"));
    }

    // An optional array: absent/null gives [] and true; another kind fails.
    bool array(const QJsonValue &v, const Path &path, QJsonArray &out) {
        if (v.isArray()) {
            out = v.toArray();
            return true;
        }
        if (v.isNull() || v.isUndefined()) {
            out = {};
            return true;
        }
        return fail(path, QT_TRANSLATE_NOOP("hsl", "expected array"));
    }

    int boundedCount(const QJsonArray &a) {
        if (a.size() > limits::kMaxItems) {
            m_truncated = true;
            return limits::kMaxItems;
        }
        return static_cast<int>(a.size());
    }

    QStringList stringList(const QJsonValue &v, const Path &path) {
        QStringList out;
        if (v.isString()) {
            out.append(clip(v.toString()));
            return out;
        }
        QJsonArray a;
        if (!array(v, path, a))
            return out;
        const int n = boundedCount(a);
        out.reserve(n);
        for (int i = 0; i < n && !m_failed; ++i) {
            const QString s = string(a.at(i), path.at(i));
            if (!s.isEmpty())
                out.append(s);
        }
        return out;
    }

    bool actionable(const QJsonValue &v, const Path &path, Actionable &a) {
        if (!v.isObject())
            return fail(path, QT_TRANSLATE_NOOP("hsl", "expected object"));
        const QJsonObject o = v.toObject();
        a.text = string(o, "actionable_text", path);
        a.uriRaw = string(o, "uri", path);
        a.uri = uriFromString(a.uriRaw);
        a.typeRaw = string(o, "type", path);
        a.type = actionTypeFromString(a.typeRaw);
        a.isDefault = boolean(o.value(key("is_default")));
        if (!object(o.value(key("payload")), path.member("payload"), a.payload))
            return false;
        if (a.payload.isEmpty())
            return !m_failed;
        const Path p = path.member("payload");
        a.message = string(a.payload, "message", p);
        a.gogoMessage = string(a.payload, "gogo_message", p);
        a.url = string(a.payload, "url", p).trimmed();
        if (a.url.isEmpty())
            a.url = string(a.payload, "link", p).trimmed();
        for (const char *k : {"phone_number", "phone", "number"}) {
            a.phone = string(a.payload, k, p).trimmed();
            if (!a.phone.isEmpty())
                break;
        }
        a.mimeTypes = stringList(a.payload.value(key("mime_types")), p.member("mime_types"));
        return !m_failed;
    }

    bool actionables(const QJsonValue &v, const Path &path, QList<Actionable> &out) {
        QJsonArray arr;
        if (!array(v, path, arr))
            return false;
        const int n = boundedCount(arr);
        out.reserve(n);
        for (int i = 0; i < n; ++i) {
            Actionable a;
            if (!actionable(arr.at(i), path.at(i), a))
                return false;
            out.append(std::move(a));
        }
        return true;
    }

    bool card(const QJsonValue &v, const Path &path, CarouselCard &c) {
        if (!v.isObject())
            return fail(path, QT_TRANSLATE_NOOP("hsl", "expected object"));
        const QJsonObject o = v.toObject();
        const QJsonValue thumb = o.value(key("thumbnail"));
        if (thumb.isString()) {
            c.imageUrl = clip(thumb.toString().trimmed());
        } else {
            QJsonObject t;
            if (!object(thumb, path.member("thumbnail"), t))
                return false;
            c.imageUrl = string(t, "image", path.member("thumbnail")).trimmed();
        }
        c.title = string(o, "title", path);
        const QJsonValue sub = o.value(key("sub_title"));
        c.subTitle = string(sub.isUndefined() ? o.value(key("subtitle")) : sub,
                            path.member(sub.isUndefined() ? "subtitle" : "sub_title"));
        c.description = string(o, "description", path);
        // `meta` is opaque; notes section 9 says ignore it, so a non-string is
        // not worth rejecting the card for.
        const QJsonValue meta = o.value(key("meta"));
        if (meta.isString())
            c.meta = clip(meta.toString());
        const QJsonValue acts = o.value(key("actionables"));
        if (acts.isUndefined() || acts.isNull()) {
            if (!actionables(o.value(key("actionable")), path.member("actionable"), c.actionables))
                return false;
        } else if (!actionables(acts, path.member("actionables"), c.actionables)) {
            return false;
        }
        const QJsonValue mini = o.value(key("mini_actionable"));
        if (!mini.isUndefined() && !mini.isNull()) {
            if (!actionable(mini, path.member("mini_actionable"), c.miniActionable))
                return false;
            c.hasMiniActionable = true;
        }
        return !m_failed;
    }

    QString option(const QJsonValue &v, const Path &path) {
        if (!v.isObject())
            return string(v, path);
        // Option objects are undocumented; take the first label-like key.
        const QJsonObject o = v.toObject();
        for (const char *k : {"text", "title", "label", "value"}) {
            const QJsonValue x = o.value(key(k));
            if (x.isString() || x.isDouble())
                return string(x, path.member(k));
        }
        return {};
    }

    bool field(const QJsonValue &v, const Path &path, FormField &f) {
        if (!v.isObject())
            return fail(path, QT_TRANSLATE_NOOP("hsl", "expected object"));
        const QJsonObject o = v.toObject();
        f.key = string(o, "key", path);
        f.type = string(o, "type", path);
        f.keyboardType = string(o, "keyboard_type", path);
        const double order = number(o.value(key("order")));
        f.order = static_cast<int>(std::clamp(order, -1.0e9, 1.0e9));
        f.icon = string(o, "icon", path);
        f.hint = string(o, "hint", path);
        QJsonArray opts;
        if (!array(o.value(key("options")), path.member("options"), opts))
            return false;
        const int n = boundedCount(opts);
        for (int i = 0; i < n && !m_failed; ++i) {
            const QString s = option(opts.at(i), path.member("options").at(i));
            if (!s.isEmpty())
                f.options.append(s);
        }
        f.searchSource = string(o, "search_source", path);
        f.searchPlaceholder = string(o, "search_placeholder", path);
        f.autofill = string(o, "autofill", path);
        f.autofillSource = string(o, "autofill_source", path);
        return !m_failed;
    }

    void readMessage(const QJsonObject &hsl, Message &m) {
        m.raw = hsl;
        m.text = string(hsl, "text", kRoot);
        if (m_failed)
            return;
        const QJsonValue typeValue = hsl.value(key("type"));
        if (typeValue.isUndefined() || typeValue.isNull()) {
            fail(kRoot.member("type"), QT_TRANSLATE_NOOP("hsl", "missing"));
            return;
        }
        if (!typeValue.isString()) {
            fail(kRoot.member("type"), QT_TRANSLATE_NOOP("hsl", "expected string"));
            return;
        }
        m.typeRaw = clip(typeValue.toString());
        const QString type = m.typeRaw.trimmed().toUpper();
        const Kind kind = type == QLatin1String("TEXT")            ? Kind::Text
                          : type == QLatin1String("BUTTON")        ? Kind::Button
                          : type == QLatin1String("CAROUSEL")      ? Kind::Carousel
                          : type == QLatin1String("SYSTEM")        ? Kind::System
                          : type == QLatin1String("FORM")          ? Kind::Form
                          : type == QLatin1String("SILENT")        ? Kind::Silent
                          : type == QLatin1String("NATIVE_ACTION") ? Kind::NativeAction
                                                                   : Kind::Unknown;
        if (kind == Kind::Unknown) {
            // Keep what a person can read; the raw JSON is in m.raw.
            m.kind = kind;
            return;
        }
        const Path dataPath = kRoot.member("data");
        QJsonObject data;
        if (!object(hsl.value(key("data")), dataPath, data))
            return;
        switch (kind) {
        case Kind::Text:
            if (!actionables(data.value(key("quick_replies")), dataPath.member("quick_replies"),
                             m.quickReplies))
                return;
            break;
        case Kind::Button: {
            const QJsonValue items = data.value(key("items"));
            if (items.isUndefined() || items.isNull()) {
                fail(dataPath.member("items"), QT_TRANSLATE_NOOP("hsl", "missing"));
                return;
            }
            if (!actionables(items, dataPath.member("items"), m.buttons))
                return;
            break;
        }
        case Kind::Carousel: {
            Carousel &c = m.carousel;
            c.imageAspectRatio = std::max(0.0, number(data.value(key("image_aspect_ratio"))));
            c.widthRaw = string(data, "width", dataPath);
            const QString w = c.widthRaw.trimmed().toUpper();
            c.width = w == QLatin1String("MEDIUM") ? CardWidth::Medium
                      : w == QLatin1String("FAT")  ? CardWidth::Fat
                      : w == QLatin1String("BIG")  ? CardWidth::Big
                                                   : CardWidth::Thin;
            const QJsonValue itemsValue = data.value(key("items"));
            const Path itemsPath = dataPath.member("items");
            if (itemsValue.isUndefined() || itemsValue.isNull()) {
                fail(itemsPath, QT_TRANSLATE_NOOP("hsl", "missing"));
                return;
            }
            QJsonArray items;
            if (!array(itemsValue, itemsPath, items))
                return;
            if (items.isEmpty()) {
                fail(itemsPath, QT_TRANSLATE_NOOP("hsl", "expected at least one card"));
                return;
            }
            const int n = boundedCount(items);
            c.items.reserve(n);
            for (int i = 0; i < n; ++i) {
                CarouselCard card;
                if (!this->card(items.at(i), itemsPath.at(i), card))
                    return;
                c.items.append(std::move(card));
            }
            break;
        }
        case Kind::System: {
            SystemEvent &s = m.system;
            s.eventName = string(data, "event_name", dataPath);
            const Path p = dataPath.member("payload");
            if (!object(data.value(key("payload")), p, s.payload))
                return;
            s.agentName = string(s.payload, "agent_name", p);
            s.teamName = string(s.payload, "team_name", p);
            s.profileImage = string(s.payload, "profile_image", p).trimmed();
            break;
        }
        case Kind::Form: {
            Form &f = m.form;
            f.title = string(hsl, "title", kRoot);
            f.subtitle = string(hsl, "subtitle", kRoot);
            QJsonArray fields;
            const Path p = dataPath.member("fields");
            if (!array(data.value(key("fields")), p, fields))
                return;
            const int n = boundedCount(fields);
            f.fields.reserve(n);
            for (int i = 0; i < n; ++i) {
                FormField ff;
                if (!field(fields.at(i), p.at(i), ff))
                    return;
                f.fields.append(std::move(ff));
            }
            std::stable_sort(
                f.fields.begin(), f.fields.end(),
                [](const FormField &a, const FormField &b) { return a.order < b.order; });
            break;
        }
        case Kind::Silent: {
            QJsonArray actions;
            const Path p = dataPath.member("silent_actions");
            if (!array(data.value(key("silent_actions")), p, actions))
                return;
            const int n = boundedCount(actions);
            for (int i = 0; i < n; ++i) {
                const QJsonValue v = actions.at(i);
                if (!v.isObject()) {
                    fail(p.at(i), QT_TRANSLATE_NOOP("hsl", "expected object"));
                    return;
                }
                const QJsonObject o = v.toObject();
                SilentAction a;
                a.type = string(o, "type", p.at(i));
                if (!object(o.value(key("data")), p.at(i).member("data"), a.data))
                    return;
                m.silentActions.append(std::move(a));
            }
            break;
        }
        case Kind::NativeAction:
            m.nativeMethod = string(data, "method", dataPath).trimmed();
            break;
        case Kind::Invalid:
        case Kind::Unknown:
            break;
        }
        if (!m_failed)
            m.kind = kind;
    }

private:
    bool m_failed = false;
    bool m_truncated = false;
    tract::Error m_error;
};

// Resets the per-kind data so an Invalid message carries only text, raw JSON
// and the error, whatever was read before the failure.
Message invalid(tract::Error error, QString text = {}, QJsonObject raw = {}) {
    Message m;
    m.kind = Kind::Invalid;
    m.error = std::move(error);
    m.text = std::move(text);
    m.richText = RichText::fromMarkup(m.text);
    m.raw = std::move(raw);
    return m;
}

tract::Error bodyError(const char *what) {
    return tract::Error{QStringLiteral("message_body"), tr(what)};
}

Message fromObject(const QJsonObject &hsl) {
    Reader r;
    Message m;
    r.readMessage(hsl, m);
    if (r.failed()) {
        // printf form: the stream form trips clang's -Wpedantic on Qt's macro.
        qCDebug(lcHsl, "invalid HSL: %s", qUtf8Printable(r.error().toString()));
        Message out = invalid(r.error(), m.text, hsl);
        out.typeRaw = m.typeRaw;
        out.truncated = r.truncated();
        return out;
    }
    m.truncated = r.truncated();
    m.richText = RichText::fromMarkup(m.text);
    return m;
}

// Deepest [ / { nesting of serialized JSON, stopping once past `limit`. A byte
// scan: cheaper than walking the parsed tree and it runs before Qt's recursive
// parser sees the input.
int jsonDepth(const QByteArray &json, int limit) {
    int depth = 0;
    int maxDepth = 0;
    bool inString = false;
    const char *p = json.constData();
    const char *end = p + json.size();
    for (; p < end; ++p) {
        const char c = *p;
        if (inString) {
            if (c == '\\') {
                if (p + 1 < end)
                    ++p;
            } else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > maxDepth) {
                maxDepth = depth;
                if (maxDepth > limit)
                    break;
            }
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return maxDepth;
}

// The same for a tree handed over already parsed (bounded recursion: it stops
// descending past `limit`).
bool deeperThan(const QJsonValue &v, int limit) {
    if (limit < 0)
        return true;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if (it->isObject() || it->isArray())
                if (deeperThan(*it, limit - 1))
                    return true;
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (const QJsonValue &x : a)
            if (x.isObject() || x.isArray())
                if (deeperThan(x, limit - 1))
                    return true;
    }
    return false;
}

Message fromBytes(const QByteArray &json, bool allowStringBody) {
    if (json.size() > limits::kMaxInputBytes)
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "larger than 1048576 bytes")));
    const QByteArray trimmed = json.trimmed();
    if (trimmed.isEmpty())
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "empty")));
    if (jsonDepth(trimmed, limits::kMaxDepth) > limits::kMaxDepth)
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "nested deeper than 32 levels")));
    if (trimmed.front() == '"') {
        // message_body serialized twice: a JSON string holding HSL. Qt only
        // parses arrays and objects at the top level, so wrap it in one.
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray('[' + trimmed + ']'), &err);
        if (err.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1 ||
            !doc.array().at(0).isString())
            return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "not JSON")));
        if (!allowStringBody)
            return invalid(
                bodyError(QT_TRANSLATE_NOOP("hsl", "expected HSL object, got a string")));
        return fromBytes(doc.array().at(0).toString().toUtf8(), false);
    }
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &err);
    if (err.error != QJsonParseError::NoError)
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "not JSON")));
    if (!doc.isObject())
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "expected object")));
    return fromObject(doc.object());
}

template <typename F> Message guarded(F &&f) noexcept {
    // Qt reports allocation failure with std::bad_alloc; the API promise is a
    // Message, never an exception, so even that becomes Invalid.
    try {
        return f();
    } catch (const std::bad_alloc &) {
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "out of memory")));
    } catch (...) {
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "internal error")));
    }
}

} // namespace

Message Parser::parse(const QByteArray &json) noexcept {
    return guarded([&] { return fromBytes(json, true); });
}

Message Parser::parse(const QString &json) noexcept {
    return guarded([&] {
        if (json.size() > limits::kMaxInputBytes)
            return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "larger than 1048576 bytes")));
        return fromBytes(json.toUtf8(), true);
    });
}

Message Parser::parse(const QJsonValue &messageBody) noexcept {
    return guarded([&] {
        if (messageBody.isString())
            return fromBytes(messageBody.toString().toUtf8(), true);
        if (messageBody.isObject())
            return parse(messageBody.toObject());
        if (messageBody.isNull() || messageBody.isUndefined())
            return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "missing")));
        return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "expected object or string")));
    });
}

Message Parser::parse(const QJsonObject &hsl) noexcept {
    return guarded([&] {
        if (deeperThan(QJsonValue(hsl), limits::kMaxDepth - 1))
            return invalid(bodyError(QT_TRANSLATE_NOOP("hsl", "nested deeper than 32 levels")));
        return fromObject(hsl);
    });
}

} // namespace hsl
