#pragma once

// Private to models/tract: the lenient reading and spec-shaped writing shared by
// every wire type, so each fromJson()/toJson() is a short list of fields.

#include "models/common/Expected.h"
#include "models/tract/WireTypes.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace tract::detail {

// How a str field is checked. TRACT types ids as str, yet senders give 7 for "7",
// so ids also take integral numbers.
struct StringRule {
    int maxLength;
    bool acceptNumber;
};
inline constexpr StringRule kIdRule{limits::kIdLength, true};
inline constexpr StringRule kNameRule{limits::kNameLength, false};
inline constexpr StringRule kUrlRule{limits::kUrlLength, false};
inline constexpr StringRule kTextRule{limits::kMetadataLength, false};

enum class Presence { Required, Optional };

QString joinPath(const QString &prefix, const QString &key);
QString itemPath(const QString &listPath, int index);

// Parses bytes into an object; errors carry `path` ("body", "message_body", ...).
Expected<QJsonObject> parseJsonObject(const QByteArray &json, const QString &path);

// Value converters: each checks one JSON value and names `path` in its error.
Expected<QString> toStringValue(const QJsonValue &v, const QString &path, StringRule rule,
                                bool allowEmpty);
Expected<bool> toBool(const QJsonValue &v, const QString &path);

// A wire type nested in another (listeners[2]): its error paths get our prefix.
template <typename T> Expected<T> toNested(const QJsonValue &v, const QString &path) {
    if (!v.isObject())
        return Error{path, QStringLiteral("expected object")};
    Expected<T> parsed = T::fromJson(v.toObject());
    if (!parsed)
        return Error{joinPath(path, parsed.error().path), parsed.error().message};
    return parsed;
}

// Reads an object field by field. The first error sticks and later reads return
// defaults, so fromJson() needs no error check per field; finish() returns the
// value (with unread keys as `extra`) or that first error.
class FieldReader {
public:
    explicit FieldReader(const QJsonObject &object, QString prefix = QString());

    // `key` unless only `alias` is present: for fields a later revision renamed.
    QLatin1String either(QLatin1String key, QLatin1String alias) const;

    QString string(QLatin1String key, StringRule rule); // required: missing or empty is an error
    std::optional<QString> optionalString(QLatin1String key, StringRule rule);
    // A str field that may arrive as an object: serialized compactly.
    std::optional<QString> optionalStringOrObject(QLatin1String key, StringRule rule);
    bool boolean(QLatin1String key);
    bool boolean(QLatin1String key, bool fallback);
    QJsonObject object(QLatin1String key);
    // A dict field that may arrive as a string holding a serialized object.
    std::optional<QJsonObject> optionalObject(QLatin1String key);
    QJsonObject hsl(QLatin1String key); // object or string holding HSL with a string "type"
    std::optional<qint64> optionalInteger(QLatin1String key);
    std::optional<QDateTime> optionalTimestamp(QLatin1String key);
    Sender sender(QLatin1String key);
    ThreadControlType threadControlType(QLatin1String key);

    template <typename T, typename Convert>
    QList<T> list(QLatin1String key, Presence presence, Convert convert);

    // The raw value, for fields whose accepted shapes are unique to one type.
    std::optional<QJsonValue> take(QLatin1String key, Presence presence);
    void fail(Error error);
    QString path(QLatin1String key) const { return joinPath(m_prefix, key); }
    bool failed() const { return m_error.has_value(); }
    const Error &error() const { return *m_error; }

    template <typename T> Expected<T> finish(T value) {
        if (m_error)
            return *m_error;
        value.extra = m_rest;
        return value;
    }

private:
    template <typename T, typename Convert>
    std::optional<T> read(QLatin1String key, Presence presence, Convert convert);
    // A required string naming one of a code's values, e.g. a sender.
    template <typename E>
    std::optional<E> code(QLatin1String key, std::optional<E> (*parse)(QStringView),
                          const QStringList &names);

    QJsonObject m_object;
    QJsonObject m_rest; // keys not read yet
    QString m_prefix;
    std::optional<Error> m_error;
};

template <typename T, typename Convert>
std::optional<T> FieldReader::read(QLatin1String key, Presence presence, Convert convert) {
    const std::optional<QJsonValue> v = take(key, presence);
    if (!v)
        return std::nullopt;
    Expected<T> converted = convert(*v, path(key));
    if (!converted) {
        fail(converted.error());
        return std::nullopt;
    }
    return std::move(converted).value();
}

template <typename E>
std::optional<E> FieldReader::code(QLatin1String key, std::optional<E> (*parse)(QStringView),
                                   const QStringList &names) {
    return read<E>(
        key, Presence::Required,
        [parse, &names](const QJsonValue &v, const QString &p) -> Expected<E> {
            if (!v.isString())
                return Error{p, QStringLiteral("expected string")};
            if (const std::optional<E> value = parse(v.toString()))
                return *value;
            return Error{p, QStringLiteral("expected one of ") + names.join(QStringLiteral(", "))};
        });
}

template <typename T, typename Convert>
QList<T> FieldReader::list(QLatin1String key, Presence presence, Convert convert) {
    const std::optional<QJsonValue> v = take(key, presence);
    if (!v)
        return {};
    if (!v->isArray()) {
        fail({path(key), QStringLiteral("expected array")});
        return {};
    }
    const QJsonArray array = v->toArray();
    if (array.size() > limits::kListItems) {
        fail({path(key), QStringLiteral("more than %1 items").arg(limits::kListItems)});
        return {};
    }
    QList<T> items;
    items.reserve(array.size());
    for (int i = 0; i < array.size(); ++i) {
        Expected<T> item = convert(array.at(i), itemPath(path(key), i));
        if (!item) {
            fail(item.error());
            return {};
        }
        items.append(std::move(item).value());
    }
    return items;
}

// --- Writing ----------------------------------------------------------------

QString formatTimestamp(const QDateTime &timestamp); // ISO 8601 UTC with Z
QString compactJson(const QJsonObject &object);

template <typename T>
void insertIfSet(QJsonObject &json, QLatin1String key, const std::optional<T> &value) {
    if (value)
        json.insert(key, *value);
}

// Shared by every type: the raw-body overload is "parse, then the object overload".
template <typename T> Expected<T> fromBody(const QByteArray &body) {
    Expected<QJsonObject> object = parseJsonObject(body, QStringLiteral("body"));
    if (!object)
        return object.error();
    return T::fromJson(*object);
}

} // namespace tract::detail
