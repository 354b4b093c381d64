#include "network/client/RetryPolicy.h"

#include <QLocale>
#include <algorithm>
#include <cmath>

namespace tract {

int RetryPolicy::timeoutForAttempt(int attempt) const {
    if (attemptTimeoutsMs.isEmpty())
        return 30'000;
    const qsizetype index = std::clamp<qsizetype>(attempt - 1, 0, attemptTimeoutsMs.size() - 1);
    return std::max(1, attemptTimeoutsMs.at(index));
}

int RetryPolicy::backoffDelayMs(int attempt, double random01) const {
    const int cap = std::max(0, maxDelayMs);
    // 2^(attempt-1) grows past any cap quickly; stop doubling before it overflows.
    const int doublings = std::clamp(attempt - 1, 0, 30);
    const double exponential =
        std::min(double(cap), double(std::max(0, baseDelayMs)) * std::pow(2.0, doublings));
    const double spread =
        std::clamp(jitter, 0.0, 1.0) * (2.0 * std::clamp(random01, 0.0, 1.0) - 1.0);
    return int(std::clamp(std::lround(exponential * (1.0 + spread)), 0L, long(cap)));
}

std::optional<qint64> RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &now) {
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool isNumber = false;
    const qlonglong seconds = trimmed.toLongLong(&isNumber);
    if (isNumber)
        return seconds < 0 ? std::nullopt
                           : std::optional<qint64>(std::min(seconds, 86'400LL) * 1000);

    // IMF-fixdate first; RFC 850 and asctime forms are still allowed to senders.
    const QString text = QString::fromLatin1(trimmed).simplified();
    const QLocale c = QLocale::c();
    // Qt 6.4's RFC2822Date does not take the "GMT" zone name, so parse it by hand.
    QDateTime when = c.toDateTime(text, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    when.setTimeSpec(Qt::UTC);
    if (!when.isValid())
        when = QDateTime::fromString(text, Qt::RFC2822Date); // "+0000" style zones
    if (!when.isValid()) {
        // RFC 850: "Friday, 01-Mar-24 12:00:05 GMT". The weekday is dropped: Qt
        // checks it against the two-digit year's 19xx date, which it contradicts.
        const qsizetype comma = text.indexOf(QLatin1Char(','));
        when =
            c.toDateTime(text.mid(comma + 1).trimmed(), QStringLiteral("dd-MMM-yy HH:mm:ss 'GMT'"));
        when.setTimeSpec(Qt::UTC);
        if (when.isValid() && when.date().year() < 1970)
            when = when.addYears(100);
    }
    if (!when.isValid()) { // asctime: "Fri Mar  1 12:00:02 2024", always GMT
        when = c.toDateTime(text, QStringLiteral("ddd MMM d HH:mm:ss yyyy"));
        when.setTimeSpec(Qt::UTC);
    }
    if (!when.isValid())
        return std::nullopt;
    return std::max<qint64>(0, now.msecsTo(when));
}

} // namespace tract
