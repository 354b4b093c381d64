#include "network/auth/TokenMessages.h"

#include "network/auth/Jwt.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <cmath>

// Strings name their context, "tract::auth", in full: a tr() helper would be
// filed by lupdate under the enclosing class instead.
namespace tract::auth {

namespace {

Expected<QJsonObject> parseObject(const QByteArray &body, qsizetype limit) {
    if (body.size() > limit)
        return Error{QString(),
                     QCoreApplication::translate("tract::auth", "the body is larger than %1 bytes")
                         .arg(limit)};
    if (body.trimmed().isEmpty())
        return Error{QString(), QCoreApplication::translate("tract::auth", "the body is empty")};
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{QString(), QCoreApplication::translate("tract::auth",
                                                            "the body is not JSON: %1 at offset %2")
                                    .arg(parseError.errorString())
                                    .arg(parseError.offset)};
    if (!doc.isObject())
        return Error{QString(),
                     QCoreApplication::translate("tract::auth", "the body is not a JSON object")};
    return doc.object();
}

Expected<QString> requiredString(const QJsonObject &o, const QString &key, int maxLength) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull())
        return Error{key, QCoreApplication::translate("tract::auth", "required field missing")};
    if (!v.isString())
        return Error{key, QCoreApplication::translate("tract::auth", "expected string")};
    if (v.toString().isEmpty())
        return Error{key, QCoreApplication::translate("tract::auth", "must not be empty")};
    if (v.toString().size() > maxLength)
        return Error{
            key,
            QCoreApplication::translate("tract::auth", "longer than %1 characters").arg(maxLength)};
    return v.toString();
}

} // namespace

QString TokenIssueRequest::formatTimestamp(const QDateTime &time) {
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'"));
}

QByteArray TokenIssueRequest::toBody() const {
    const QJsonObject o{{QStringLiteral("client_id"), clientId},
                        {QStringLiteral("fqdn"), fqdn},
                        {QStringLiteral("timestamp"), formatTimestamp(timestamp)}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Expected<TokenIssueRequest> TokenIssueRequest::fromBody(const QByteArray &body) {
    auto object = parseObject(body, kMaxBodyBytes);
    if (!object)
        return object.error();
    TokenIssueRequest r;
    for (const auto &[key, target] : {std::pair{QStringLiteral("client_id"), &r.clientId},
                                      std::pair{QStringLiteral("fqdn"), &r.fqdn}}) {
        auto value = requiredString(*object, key, kMaxFieldLength);
        if (!value)
            return value.error();
        *target = value.value();
    }
    const QString key = QStringLiteral("timestamp");
    auto stamp = requiredString(*object, key, 40);
    if (!stamp)
        return stamp.error();
    static const QRegularExpression format(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$"));
    QDateTime t;
    if (format.match(*stamp).hasMatch())
        t = QDateTime::fromString(*stamp, Qt::ISODateWithMs);
    if (!t.isValid())
        return Error{key,
                     QCoreApplication::translate(
                         "tract::auth", "expected ISO 8601 UTC time like 2026-12-07T09:30:00Z")};
    r.timestamp = t.toUTC();
    return r;
}

QJsonObject IssuedToken::toJson() const {
    QJsonObject o{{QStringLiteral("token"), token},
                  {QStringLiteral("token_type"), QStringLiteral("Bearer")}};
    if (expiresIn)
        o.insert(QStringLiteral("expires_in"), *expiresIn);
    return o;
}

Expected<IssuedToken> IssuedToken::fromJson(const QByteArray &body) {
    auto object = parseObject(body, kMaxBodyBytes);
    if (!object)
        return object.error();
    IssuedToken t;
    auto token = requiredString(*object, QStringLiteral("token"), int(kMaxJwtBytes));
    if (!token)
        return token.error();
    t.token = token.value();
    auto claims = jwtClaims(t.token.toUtf8());
    if (!claims)
        return Error{QStringLiteral("token"), claims.error().message};
    const QJsonValue type = object->value(QStringLiteral("token_type"));
    if (!type.isUndefined() && !type.isNull() &&
        (!type.isString() ||
         type.toString().compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0))
        return Error{QStringLiteral("token_type"),
                     QCoreApplication::translate("tract::auth", "expected \"Bearer\"")};
    const QJsonValue expiresIn = object->value(QStringLiteral("expires_in"));
    if (!expiresIn.isUndefined() && !expiresIn.isNull()) {
        const double seconds = expiresIn.toDouble();
        if (!expiresIn.isDouble())
            return Error{
                QStringLiteral("expires_in"),
                QCoreApplication::translate("tract::auth", "expected a number of seconds")};
        if (!std::isfinite(seconds) || seconds <= 0 || seconds > kMaxLifetimeSeconds)
            return Error{QStringLiteral("expires_in"),
                         QCoreApplication::translate("tract::auth", "expected 1 to %1 seconds")
                             .arg(kMaxLifetimeSeconds)};
        t.expiresIn = qint64(seconds);
        if (*t.expiresIn == 0)
            return Error{QStringLiteral("expires_in"),
                         QCoreApplication::translate("tract::auth", "expected 1 to %1 seconds")
                             .arg(kMaxLifetimeSeconds)};
    }
    const QJsonValue exp = claims->value(QStringLiteral("exp"));
    if (!exp.isUndefined() && !exp.isNull()) {
        const double seconds = exp.toDouble();
        if (!exp.isDouble() || !std::isfinite(seconds) || seconds <= 0 || seconds > 1e11)
            return Error{
                QStringLiteral("token"),
                QCoreApplication::translate("tract::auth", "the JWT's exp claim is not a time")};
        t.expiresAt = QDateTime::fromSecsSinceEpoch(qint64(seconds), Qt::UTC);
    }
    return t;
}

std::optional<qint64> IssuedToken::lifetimeMs(const QDateTime &now) const {
    std::optional<qint64> fromResponse;
    if (expiresIn)
        fromResponse = *expiresIn * 1000;
    std::optional<qint64> fromClaim;
    if (expiresAt)
        fromClaim = now.msecsTo(*expiresAt);
    if (fromResponse && fromClaim)
        return *fromClaim > 0 ? std::min(*fromResponse, *fromClaim) : *fromResponse;
    if (fromResponse)
        return fromResponse;
    return fromClaim;
}

} // namespace tract::auth
