#include "models/tract/FieldReader.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <algorithm>

namespace tract::detail {

namespace {

// Our own wording: QJsonParseError::errorString() is translated with Qt's
// catalogue and would make the same error read differently per locale.
QString describe(QJsonParseError::ParseError error) {
    switch (error) {
    case QJsonParseError::NoError:
        break;
    case QJsonParseError::UnterminatedObject:
        return QStringLiteral("unterminated object");
    case QJsonParseError::MissingNameSeparator:
        return QStringLiteral("missing ':' after a key");
    case QJsonParseError::UnterminatedArray:
        return QStringLiteral("unterminated array");
    case QJsonParseError::MissingValueSeparator:
        return QStringLiteral("missing ',' between values");
    case QJsonParseError::IllegalValue:
        return QStringLiteral("illegal value");
    case QJsonParseError::TerminationByNumber:
        return QStringLiteral("unexpected end after a number");
    case QJsonParseError::IllegalNumber:
        return QStringLiteral("illegal number");
    case QJsonParseError::IllegalEscapeSequence:
        return QStringLiteral("illegal escape sequence");
    case QJsonParseError::IllegalUTF8String:
        return QStringLiteral("invalid UTF-8");
    case QJsonParseError::UnterminatedString:
        return QStringLiteral("unterminated string");
    case QJsonParseError::MissingObject:
        return QStringLiteral("object expected");
    case QJsonParseError::DeepNesting:
        return QStringLiteral("nested too deeply");
    case QJsonParseError::DocumentTooLarge:
        return QStringLiteral("document too large");
    case QJsonParseError::GarbageAtEnd:
        return QStringLiteral("unexpected data after the value");
    }
    return QStringLiteral("unknown error");
}

QString typeName(const QJsonValue &v) {
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("boolean");
    case QJsonValue::Double:
        return QStringLiteral("number");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// The integer a JSON number holds exactly, if it does (7.0 yes, 7.5 no).
std::optional<qint64> integral(const QJsonValue &v) {
    if (!v.isDouble())
        return std::nullopt;
    const qint64 i = v.toInteger();
    if (static_cast<double>(i) != v.toDouble())
        return std::nullopt;
    return i;
}

Error tooLong(const QString &path, int limit, const char *unit) {
    return {path, QStringLiteral("longer than %1 %2").arg(limit).arg(QLatin1String(unit))};
}

} // namespace

QString joinPath(const QString &prefix, const QString &key) {
    if (prefix.isEmpty())
        return key;
    if (key.isEmpty())
        return prefix;
    return prefix + QLatin1Char('.') + key;
}

QString itemPath(const QString &listPath, int index) {
    return listPath + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

Expected<QJsonObject> parseJsonObject(const QByteArray &json, const QString &path) {
    const auto isJsonSpace = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    };
    if (std::all_of(json.begin(), json.end(), isJsonSpace))
        return Error{path, QStringLiteral("empty, expected a JSON object")};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt 6.4 rejects a top-level scalar as "illegal value"; say what it was instead.
        const QJsonDocument wrapped =
            QJsonDocument::fromJson(QByteArray('[' + json + ']'), nullptr);
        if (wrapped.isArray() && wrapped.array().size() == 1)
            return Error{path, QStringLiteral("expected a JSON object, got ") +
                                   typeName(wrapped.array().at(0))};
        return Error{path, QStringLiteral("invalid JSON: %1 at offset %2")
                               .arg(describe(parseError.error))
                               .arg(parseError.offset)};
    }
    if (!doc.isObject())
        return Error{path, QStringLiteral("expected a JSON object, got array")};
    return doc.object();
}

Expected<QString> toStringValue(const QJsonValue &v, const QString &path, StringRule rule,
                                bool allowEmpty) {
    QString s;
    if (v.isString()) {
        s = v.toString();
    } else if (const std::optional<qint64> number =
                   rule.acceptNumber ? integral(v) : std::nullopt) {
        s = QString::number(*number);
    } else {
        return Error{path, QStringLiteral("expected string")};
    }
    if (s.size() > rule.maxLength)
        return tooLong(path, rule.maxLength, "characters");
    if (s.isEmpty() && !allowEmpty)
        return Error{path, QStringLiteral("must not be empty")};
    return s;
}

Expected<bool> toBool(const QJsonValue &v, const QString &path) {
    if (v.isBool())
        return v.toBool();
    if (const std::optional<qint64> number = integral(v); number && (*number == 0 || *number == 1))
        return *number == 1;
    if (v.isString()) {
        const QString s = v.toString();
        if (s == QLatin1String("true") || s == QLatin1String("1"))
            return true;
        if (s == QLatin1String("false") || s == QLatin1String("0"))
            return false;
    }
    return Error{path, QStringLiteral("expected boolean")};
}

FieldReader::FieldReader(const QJsonObject &object, QString prefix)
    : m_object(object)
    , m_rest(object)
    , m_prefix(std::move(prefix)) {}

QLatin1String FieldReader::either(QLatin1String key, QLatin1String alias) const {
    return !m_object.contains(key) && m_object.contains(alias) ? alias : key;
}

std::optional<QJsonValue> FieldReader::take(QLatin1String key, Presence presence) {
    m_rest.remove(key);
    if (m_error)
        return std::nullopt;
    const QJsonValue v = m_object.value(key);
    if (v.isUndefined()) {
        if (presence == Presence::Required)
            fail({path(key), QStringLiteral("required field missing")});
        return std::nullopt;
    }
    // null stands for "not given" only where giving nothing is allowed.
    if (v.isNull() && presence == Presence::Optional)
        return std::nullopt;
    return v;
}

void FieldReader::fail(Error error) {
    if (!m_error)
        m_error = std::move(error);
}

QString FieldReader::string(QLatin1String key, StringRule rule) {
    return read<QString>(key, Presence::Required,
                         [rule](const QJsonValue &v, const QString &p) {
                             return toStringValue(v, p, rule, false);
                         })
        .value_or(QString());
}

std::optional<QString> FieldReader::optionalString(QLatin1String key, StringRule rule) {
    return read<QString>(key, Presence::Optional, [rule](const QJsonValue &v, const QString &p) {
        return toStringValue(v, p, rule, true);
    });
}

std::optional<QString> FieldReader::optionalStringOrObject(QLatin1String key, StringRule rule) {
    return read<QString>(key, Presence::Optional, [rule](const QJsonValue &v, const QString &p) {
        if (v.isObject())
            return toStringValue(compactJson(v.toObject()), p, rule, true);
        if (!v.isString())
            return Expected<QString>(Error{p, QStringLiteral("expected string or object")});
        return toStringValue(v, p, rule, true);
    });
}

bool FieldReader::boolean(QLatin1String key) {
    return read<bool>(key, Presence::Required, toBool).value_or(false);
}

bool FieldReader::boolean(QLatin1String key, bool fallback) {
    return read<bool>(key, Presence::Optional, toBool).value_or(fallback);
}

QJsonObject FieldReader::object(QLatin1String key) {
    return read<QJsonObject>(key, Presence::Required,
                             [](const QJsonValue &v, const QString &p) -> Expected<QJsonObject> {
                                 if (!v.isObject())
                                     return Error{p, QStringLiteral("expected object")};
                                 return v.toObject();
                             })
        .value_or(QJsonObject());
}

std::optional<QJsonObject> FieldReader::optionalObject(QLatin1String key) {
    return read<QJsonObject>(key, Presence::Optional,
                             [](const QJsonValue &v, const QString &p) -> Expected<QJsonObject> {
                                 if (v.isString()) {
                                     const QString s = v.toString();
                                     if (s.size() > limits::kMetadataLength)
                                         return tooLong(p, limits::kMetadataLength, "characters");
                                     return parseJsonObject(s.toUtf8(), p);
                                 }
                                 if (!v.isObject())
                                     return Error{p, QStringLiteral("expected object")};
                                 if (compactJson(v.toObject()).size() > limits::kMetadataLength)
                                     return tooLong(p, limits::kMetadataLength, "characters");
                                 return v.toObject();
                             });
}

QJsonObject FieldReader::hsl(QLatin1String key) {
    return read<QJsonObject>(
               key, Presence::Required,
               [](const QJsonValue &v, const QString &p) -> Expected<QJsonObject> {
                   QJsonObject body;
                   qsizetype bytes = 0;
                   if (v.isString()) {
                       const QString s = v.toString();
                       // Each UTF-16 unit is at least one UTF-8 byte: no need to encode to know.
                       if (s.size() > limits::kMessageBodyBytes)
                           return tooLong(p, limits::kMessageBodyBytes, "bytes");
                       const QByteArray utf8 = s.toUtf8();
                       bytes = utf8.size();
                       Expected<QJsonObject> parsed = parseJsonObject(utf8, p);
                       if (!parsed)
                           return parsed;
                       body = *parsed;
                   } else if (v.isObject()) {
                       body = v.toObject();
                       bytes = QJsonDocument(body).toJson(QJsonDocument::Compact).size();
                   } else {
                       return Error{p,
                                    QStringLiteral("expected object or string holding HSL JSON")};
                   }
                   if (bytes > limits::kMessageBodyBytes)
                       return tooLong(p, limits::kMessageBodyBytes, "bytes");
                   FieldReader envelope(body, p);
                   envelope.string(QLatin1String("type"), kNameRule);
                   if (envelope.failed())
                       return envelope.error();
                   return body;
               })
        .value_or(QJsonObject());
}

std::optional<qint64> FieldReader::optionalInteger(QLatin1String key) {
    return read<qint64>(
        key, Presence::Optional, [](const QJsonValue &v, const QString &p) -> Expected<qint64> {
            if (const std::optional<qint64> number = integral(v))
                return *number;
            if (v.isString()) {
                bool ok = false;
                const qint64 number = v.toString().toLongLong(&ok);
                if (ok)
                    return number;
            }
            return Error{p, QStringLiteral("expected integer or string holding an integer")};
        });
}

std::optional<QDateTime> FieldReader::optionalTimestamp(QLatin1String key) {
    return read<QDateTime>(key, Presence::Optional,
                           [](const QJsonValue &v, const QString &p) -> Expected<QDateTime> {
                               if (!v.isString())
                                   return Error{p, QStringLiteral("expected string")};
                               const QString s = v.toString();
                               // A date alone is not a moment; Qt would take it as midnight.
                               constexpr int kLongestIso = 64;
                               QDateTime t;
                               if (s.size() <= kLongestIso && s.contains(QLatin1Char('T')))
                                   t = QDateTime::fromString(s, Qt::ISODateWithMs);
                               if (!t.isValid())
                                   return Error{p, QStringLiteral("expected ISO 8601 date-time")};
                               // TRACT sends UTC; a time without an offset is UTC, not this
                               // machine's zone.
                               if (t.timeSpec() == Qt::LocalTime)
                                   t.setTimeSpec(Qt::UTC);
                               return t.toUTC();
                           });
}

Sender FieldReader::sender(QLatin1String key) {
    return code(key, senderFromString, allSenderNames()).value_or(Sender::Ceu);
}

ThreadControlType FieldReader::threadControlType(QLatin1String key) {
    static const QStringList names = [] {
        QStringList list;
        for (const ThreadControlType t :
             {ThreadControlType::Request, ThreadControlType::Pass, ThreadControlType::Take})
            list.append(toString(t));
        return list;
    }();
    return code(key, threadControlTypeFromString, names).value_or(ThreadControlType::Take);
}

QString formatTimestamp(const QDateTime &timestamp) {
    const QDateTime utc = timestamp.toUTC();
    return utc.toString(utc.time().msec() != 0 ? Qt::ISODateWithMs : Qt::ISODate);
}

QString compactJson(const QJsonObject &object) {
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace tract::detail
