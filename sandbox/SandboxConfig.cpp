#include "sandbox/SandboxConfig.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <cmath>

namespace sandbox {

namespace {

QString tr(const char *text) {
    return QCoreApplication::translate("sandbox", text);
}

tract::Error optionError(const QString &option, const QString &message) {
    return {QStringLiteral("--") + option, message};
}

tract::Expected<int> parseDelay(const QCommandLineParser &parser, const QString &option,
                                int fallback) {
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int ms = parser.value(option).toInt(&ok);
    if (!ok || ms < 0 || ms > 3'600'000)
        return optionError(option, tr("expected milliseconds between 0 and 3600000"));
    return ms;
}

} // namespace

tract::Expected<LoadSpec> LoadSpec::parse(const QString &spec) {
    LoadSpec load;
    bool haveUsers = false, haveRate = false, haveDuration = false;
    for (const QString &part : spec.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        const QString key = part.left(eq).trimmed();
        bool ok = false;
        const double value = eq < 0 ? 0 : part.mid(eq + 1).trimmed().toDouble(&ok);
        if (eq < 0 || !ok || !std::isfinite(value) || value <= 0)
            return optionError(QStringLiteral("load"),
                               tr("'%1' is not key=positive number").arg(part.trimmed()));
        if (key == QLatin1String("users")) {
            if (value != std::floor(value) || value > 1'000'000)
                return optionError(QStringLiteral("load"),
                                   tr("users must be a whole number up to 1000000"));
            load.users = int(value);
            haveUsers = true;
        } else if (key == QLatin1String("rate")) {
            load.rate = value;
            haveRate = true;
        } else if (key == QLatin1String("duration")) {
            load.duration = value;
            haveDuration = true;
        } else {
            return optionError(QStringLiteral("load"),
                               tr("unknown key '%1' (use users, rate, duration)").arg(key));
        }
    }
    if (!haveUsers || !haveRate || !haveDuration)
        return optionError(QStringLiteral("load"), tr("expected users=N,rate=R,duration=S"));
    return load;
}

tract::Expected<QList<double>> SandboxConfig::parseRetrySchedule(const QString &text) {
    QList<double> schedule;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const double seconds = part.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds < 0 || seconds > 86400)
            return optionError(
                QStringLiteral("retry-schedule"),
                tr("'%1' is not a number of seconds between 0 and 86400").arg(part.trimmed()));
        schedule.append(seconds);
    }
    if (schedule.size() > 100)
        return optionError(QStringLiteral("retry-schedule"), tr("at most 100 retries"));
    return schedule;
}

void SandboxConfig::addOptions(QCommandLineParser &p) {
    p.addOptions({
        {QStringLiteral("listen"), tr("Address and port to listen on; port 0 picks a free one."),
         QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:8470")},
        {QStringLiteral("client-id"), tr("The ECT client id TRACT expects."), QStringLiteral("ID"),
         QStringLiteral("demo")},
        {QStringLiteral("token"), tr("The bearer token TRACT expects."), QStringLiteral("TOKEN"),
         QStringLiteral("demo-token")},
        {QStringLiteral("hook-secret"), tr("Sign every hook with HMAC-SHA1/SHA256 of this secret."),
         QStringLiteral("SECRET")},
        {QStringLiteral("scenario"),
         tr("Scenario to play: a name under resources/scenarios or a JSON file."),
         QStringLiteral("NAME|FILE")},
        {QStringLiteral("retry-schedule"), tr("Seconds between hook delivery retries."),
         QStringLiteral("5,25,125,..."), QStringLiteral("5,25,125,625,1410,1410")},
        {QStringLiteral("strict-thread-control"),
         tr("Apply Haptik's documented thread-control rules.")},
        {QStringLiteral("load"), tr("Generate load and report delivery figures, then exit."),
         QStringLiteral("users=N,rate=R,duration=S")},
        {QStringLiteral("seed"), tr("Seed for the simulated participants' choices."),
         QStringLiteral("N"), QStringLiteral("1")},
        {QStringLiteral("bot-delay"), tr("Milliseconds the bot takes to answer."),
         QStringLiteral("MS")},
        {QStringLiteral("user-reply-delay"),
         tr("Milliseconds before a simulated user answers an agent; 0 never."),
         QStringLiteral("MS")},
        {QStringLiteral("grant-delay"),
         tr("Milliseconds before the bot or SAC grants a control request."), QStringLiteral("MS")},
        {QStringLiteral("hook-timeout"), tr("Milliseconds to wait for a hook acknowledgement."),
         QStringLiteral("MS")},
        {QStringLiteral("require-signed-token"),
         tr("Issue access tokens to requests signed with this certificate's key and accept only "
            "those tokens."),
         QStringLiteral("CERT.pem")},
        {QStringLiteral("cert-uuid"),
         tr("The SignatureCertUUID of --require-signed-token (default: derived from the "
            "certificate, printed at start)."),
         QStringLiteral("UUID")},
        {QStringLiteral("token-lifetime"), tr("Seconds an issued access token is valid."),
         QStringLiteral("SECONDS"), QStringLiteral("3600")},
    });
}

tract::Expected<SandboxConfig> SandboxConfig::fromParser(const QCommandLineParser &p) {
    SandboxConfig c;
    const QString listen = p.value(QStringLiteral("listen"));
    const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon < 0 ? 0 : listen.mid(colon + 1).toUInt(&portOk);
    QString host = listen.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (colon < 0 || !portOk || port > 65535)
        return optionError(QStringLiteral("listen"), tr("expected HOST:PORT, e.g. 127.0.0.1:8470"));
    if (host == QLatin1String("localhost"))
        c.listenAddress = QHostAddress::LocalHost;
    else if (!c.listenAddress.setAddress(host))
        return optionError(QStringLiteral("listen"), tr("'%1' is not an IP address").arg(host));
    c.listenPort = quint16(port);

    c.clientId = p.value(QStringLiteral("client-id"));
    c.token = p.value(QStringLiteral("token"));
    if (c.clientId.isEmpty())
        return optionError(QStringLiteral("client-id"), tr("must not be empty"));
    if (c.clientId == QLatin1String("iva") || c.clientId == QLatin1String("sac"))
        return optionError(QStringLiteral("client-id"),
                           tr("'iva' and 'sac' are Haptik's own receivers"));
    if (c.token.isEmpty())
        return optionError(QStringLiteral("token"), tr("must not be empty"));
    c.hookSecret = p.value(QStringLiteral("hook-secret"));
    c.scenario = p.value(QStringLiteral("scenario"));
    auto schedule = parseRetrySchedule(p.value(QStringLiteral("retry-schedule")));
    if (!schedule)
        return schedule.error();
    c.retrySchedule = schedule.value();
    c.strictThreadControl = p.isSet(QStringLiteral("strict-thread-control"));
    if (p.isSet(QStringLiteral("load"))) {
        auto load = LoadSpec::parse(p.value(QStringLiteral("load")));
        if (!load)
            return load.error();
        c.load = load.value();
    }
    bool seedOk = false;
    c.seed = p.value(QStringLiteral("seed")).toUInt(&seedOk);
    if (!seedOk)
        return optionError(QStringLiteral("seed"), tr("expected a non-negative whole number"));

    struct {
        const char *option;
        int *target;
    } delays[] = {{"bot-delay", &c.botReplyDelayMs},
                  {"user-reply-delay", &c.userReplyDelayMs},
                  {"grant-delay", &c.requestGrantDelayMs},
                  {"hook-timeout", &c.hookTimeoutMs}};
    for (const auto &d : delays) {
        auto ms = parseDelay(p, QLatin1String(d.option), *d.target);
        if (!ms)
            return ms.error();
        *d.target = ms.value();
    }
    if (c.hookTimeoutMs == 0)
        return optionError(QStringLiteral("hook-timeout"), tr("must be positive"));

    c.signingCertFile = p.value(QStringLiteral("require-signed-token"));
    if (p.isSet(QStringLiteral("require-signed-token")) && c.signingCertFile.isEmpty())
        return optionError(QStringLiteral("require-signed-token"),
                           tr("expected a PEM certificate file"));
    c.certUuid = p.value(QStringLiteral("cert-uuid"));
    if (p.isSet(QStringLiteral("cert-uuid")) &&
        !QRegularExpression(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))
             .match(c.certUuid)
             .hasMatch())
        return optionError(QStringLiteral("cert-uuid"),
                           tr("expected up to 128 letters, digits, '.', '_' or '-'"));
    if (!c.certUuid.isEmpty() && c.signingCertFile.isEmpty())
        return optionError(QStringLiteral("cert-uuid"), tr("goes with --require-signed-token"));
    bool lifetimeOk = false;
    c.tokenLifetimeSeconds = p.value(QStringLiteral("token-lifetime")).toInt(&lifetimeOk);
    if (!lifetimeOk || c.tokenLifetimeSeconds < 1 || c.tokenLifetimeSeconds > 86400)
        return optionError(QStringLiteral("token-lifetime"), tr("expected 1 to 86400 seconds"));
    return c;
}

} // namespace sandbox
