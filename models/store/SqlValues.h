#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QVariant>
#include <optional>

// Conversions between values and what is bound to / read from SQLite.
// Internal to models/store.
namespace tract::store::sql {

// The Qt driver binds a null QString as SQL NULL; NOT NULL text columns get ''.
inline QVariant text(const QString &s) {
    return s.isNull() ? QVariant(QStringLiteral("")) : QVariant(s);
}

inline QVariant nullableText(const std::optional<QString> &s) {
    return s ? text(*s) : QVariant(QMetaType::fromType<QString>());
}

inline QVariant nullableInt(const std::optional<qint64> &v) {
    return v ? QVariant(static_cast<qlonglong>(*v)) : QVariant(QMetaType::fromType<qlonglong>());
}

inline QVariant blobOrNull(const QByteArray &b) {
    return b.isNull() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(b);
}

inline qint64 msOrNow(const QDateTime &t) {
    return t.isValid() ? t.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
}

inline std::optional<qint64> ms(const std::optional<QDateTime> &t) {
    return t && t->isValid() ? std::make_optional(t->toMSecsSinceEpoch()) : std::nullopt;
}

inline QDateTime utc(qint64 ms) {
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

inline QString json(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

inline QString json(const QJsonArray &a) {
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

inline QJsonObject object(const QVariant &v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

inline QJsonArray array(const QVariant &v) {
    return QJsonDocument::fromJson(v.toString().toUtf8()).array();
}

inline std::optional<qint64> optInt(const QSqlQuery &q, int i) {
    return q.isNull(i) ? std::nullopt : std::make_optional<qint64>(q.value(i).toLongLong());
}

inline std::optional<QString> optText(const QSqlQuery &q, int i) {
    return q.isNull(i) ? std::nullopt : std::make_optional(q.value(i).toString());
}

inline std::optional<QDateTime> optTime(const QSqlQuery &q, int i) {
    return q.isNull(i) ? std::nullopt : std::make_optional(utc(q.value(i).toLongLong()));
}

} // namespace tract::store::sql
