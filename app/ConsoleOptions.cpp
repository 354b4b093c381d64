#include "app/ConsoleOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>
#include <QStandardPaths>

namespace console {

namespace {
QString tr(const char *text) {
    return QCoreApplication::translate("console", text);
}
} // namespace

tract::Expected<std::pair<QHostAddress, quint16>> parseHostPort(const QString &text) {
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon < 0 ? 0 : text.mid(colon + 1).toUInt(&ok);
    if (colon < 0 || !ok || port > 65535)
        return tract::Error{QString(), tr("expected HOST:PORT, e.g. 127.0.0.1:8471")};
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host))
        return tract::Error{QString(), tr("'%1' is not an IP address").arg(host)};
    return std::make_pair(address, quint16(port));
}

void ConsoleOptions::addOptions(QCommandLineParser &p) {
    p.addOptions({
        {QStringLiteral("tract-url"), tr("Base URL of the TRACT API."), QStringLiteral("URL")},
        {QStringLiteral("client-id"), tr("Your ECT client id at Haptik."), QStringLiteral("ID"),
         QStringLiteral("demo")},
        {QStringLiteral("listen"),
         tr("Address and port of the webhook listener; port 0 picks a free one."),
         QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:0")},
        {QStringLiteral("public-url"),
         tr("Base URL TRACT reaches the listener at (reverse proxy, tunnel)."),
         QStringLiteral("URL")},
        {QStringLiteral("data-dir"), tr("Where conversations are stored."), QStringLiteral("DIR")},
        {QStringLiteral("receiver-id"), tr("This console's id among thread-control listeners."),
         QStringLiteral("ID")},
        {QStringLiteral("hook-secret-from-env"),
         tr("Require hook signatures; the secret is read from TRACT_HOOK_SECRET.")},
        {QStringLiteral("signing-key"),
         tr("Private key (PEM, mode 0600) that signs the access-token request; default: the "
            "keychain."),
         QStringLiteral("FILE")},
        {QStringLiteral("cert-uuid"),
         tr("SignatureCertUUID of the certificate shared with Haptik: get the access token "
            "by a signed request."),
         QStringLiteral("UUID")},
        {QStringLiteral("fqdn"), tr("This ECT's FQDN, as in the shared certificate."),
         QStringLiteral("NAME")},
        {QStringLiteral("import-signing-key"),
         tr("Store this private key (PEM, mode 0600) in the keychain for --client-id and exit."),
         QStringLiteral("FILE")},
        {QStringLiteral("retain-days"),
         tr("Delete completed conversations last active more than N days ago, in the "
            "background; 0 keeps everything. Default: the setting, else 0."),
         QStringLiteral("N")},
        {QStringLiteral("headless"), tr("Run listener, client and store without a window.")},
        {QStringLiteral("demo"), tr("Start a built-in sandbox and connect to it.")},
        {QStringLiteral("export"), tr("Print stored conversations of a user (or all) and exit."),
         QStringLiteral("USER_ID|all")},
        {QStringLiteral("format"), tr("Export format."), QStringLiteral("json|text"),
         QStringLiteral("json")},
        {QStringLiteral("hub"),
         tr("Run as the team hub: headless, owning the TRACT registration, serving consoles.")},
        {QStringLiteral("hub-listen"),
         tr("Address and port of the hub's WebSocket server; port 0 picks a free one."),
         QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:0")},
        {QStringLiteral("hub-tls-cert"), tr("PEM certificate: the hub serves wss://."),
         QStringLiteral("FILE")},
        {QStringLiteral("hub-tls-key"), tr("PEM private key for --hub-tls-cert."),
         QStringLiteral("FILE")},
        {QStringLiteral("hub-allow-origin"),
         tr("An Origin allowed to connect to the hub (repeatable); others are refused."),
         QStringLiteral("ORIGIN")},
        {QStringLiteral("hub-offline-grace"),
         tr("Seconds an agent may be disconnected before its threads return to the queue."),
         QStringLiteral("SECONDS"), QStringLiteral("120")},
        {QStringLiteral("hub-keep-events"), tr("Events the hub keeps for consoles to resume from."),
         QStringLiteral("N"), QStringLiteral("100000")},
        {QStringLiteral("hub-add-agent"),
         tr("Add an agent to the hub in --data-dir and print its token."), QStringLiteral("NAME")},
        {QStringLiteral("hub-remove-agent"), tr("Revoke an agent of the hub in --data-dir."),
         QStringLiteral("NAME")},
        {QStringLiteral("hub-list-agents"), tr("List the agents of the hub in --data-dir.")},
        {QStringLiteral("role"), tr("Role of --hub-add-agent."), QStringLiteral("agent|supervisor"),
         QStringLiteral("agent")},
        {QStringLiteral("capacity"), tr("Open threads --hub-add-agent is routed at once."),
         QStringLiteral("N"), QStringLiteral("3")},
        {QStringLiteral("hub-url"),
         tr("Open the window as a member of a team, fed by the hub at this URL."),
         QStringLiteral("ws://HOST:PORT")},
        {QStringLiteral("agent-token-from-env"),
         tr("Read the agent token from TRACT_AGENT_TOKEN (then kept in the keychain).")},
    });
}

tract::Expected<ConsoleOptions> ConsoleOptions::fromParser(const QCommandLineParser &p) {
    ConsoleOptions o;
    const auto fail = [](const char *option, const QString &message) {
        return tract::Error{QStringLiteral("--") + QLatin1String(option), message};
    };
    if (p.isSet(QStringLiteral("tract-url"))) {
        o.tractUrl = QUrl(p.value(QStringLiteral("tract-url")), QUrl::StrictMode);
        if (!o.tractUrl.isValid() || o.tractUrl.host().isEmpty() ||
            (o.tractUrl.scheme() != QLatin1String("http") &&
             o.tractUrl.scheme() != QLatin1String("https")))
            return fail("tract-url", tr("expected an http or https URL"));
    }
    o.clientId = p.value(QStringLiteral("client-id"));
    if (o.clientId.isEmpty())
        return fail("client-id", tr("must not be empty"));
    auto listen = parseHostPort(p.value(QStringLiteral("listen")));
    if (!listen)
        return fail("listen", listen.error().message);
    o.listenAddress = listen->first;
    o.listenPort = listen->second;
    if (p.isSet(QStringLiteral("public-url"))) {
        o.publicUrl = p.value(QStringLiteral("public-url"));
        const QUrl u(o.publicUrl, QUrl::StrictMode);
        if (!u.isValid() || u.host().isEmpty() ||
            (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")))
            return fail("public-url", tr("expected an http or https URL"));
    }
    o.dataDir = p.value(QStringLiteral("data-dir"));
    o.receiverId = p.value(QStringLiteral("receiver-id"));
    o.hookSecretFromEnv = p.isSet(QStringLiteral("hook-secret-from-env"));
    o.signingKeyFile = p.value(QStringLiteral("signing-key"));
    o.certUuid = p.value(QStringLiteral("cert-uuid"));
    o.fqdn = p.value(QStringLiteral("fqdn"));
    o.importSigningKey = p.value(QStringLiteral("import-signing-key"));
    if (p.isSet(QStringLiteral("import-signing-key")) && o.importSigningKey.isEmpty())
        return fail("import-signing-key", tr("expected a PEM private key file"));
    if (p.isSet(QStringLiteral("signing-key")) && o.signingKeyFile.isEmpty())
        return fail("signing-key", tr("expected a PEM private key file"));
    // Both go into the signed request (a header and the body): nothing that
    // could break a header line or the certificate's name check.
    if (p.isSet(QStringLiteral("cert-uuid")) &&
        !QRegularExpression(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"))
             .match(o.certUuid)
             .hasMatch())
        return fail("cert-uuid", tr("expected up to 128 letters, digits, '.', '_' or '-'"));
    if (p.isSet(QStringLiteral("fqdn")) &&
        !QRegularExpression(
             QStringLiteral("^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                            "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"))
             .match(o.fqdn)
             .hasMatch())
        return fail("fqdn", tr("expected a host name like ect.example.com"));
    if (o.issuesToken() && o.fqdn.isEmpty())
        return fail("fqdn", tr("--cert-uuid needs --fqdn"));
    if (!o.issuesToken() && (!o.fqdn.isEmpty() || !o.signingKeyFile.isEmpty()))
        return fail(o.fqdn.isEmpty() ? "signing-key" : "fqdn", tr("goes with --cert-uuid"));
    if (p.isSet(QStringLiteral("retain-days"))) {
        bool ok = false;
        o.retainDays = p.value(QStringLiteral("retain-days")).toInt(&ok);
        if (!ok || o.retainDays < 0 || o.retainDays > kMaxRetainDays)
            return fail("retain-days", tr("expected 0 (keep everything) to %1 days, got \"%2\"")
                                           .arg(kMaxRetainDays)
                                           .arg(p.value(QStringLiteral("retain-days"))));
    }
    o.headless = p.isSet(QStringLiteral("headless"));
    o.demo = p.isSet(QStringLiteral("demo"));
    o.exportUser = p.value(QStringLiteral("export"));
    o.exportFormat = p.value(QStringLiteral("format"));
    if (o.exportFormat != QLatin1String("json") && o.exportFormat != QLatin1String("text"))
        return fail("format", tr("expected json or text"));
    if (p.isSet(QStringLiteral("export")) && o.exportUser.isEmpty())
        return fail("export", tr("expected a user id or 'all'"));
    o.hub = p.isSet(QStringLiteral("hub"));
    auto hubListen = parseHostPort(p.value(QStringLiteral("hub-listen")));
    if (!hubListen)
        return fail("hub-listen", hubListen.error().message);
    o.hubAddress = hubListen->first;
    o.hubPort = hubListen->second;
    o.hubTlsCert = p.value(QStringLiteral("hub-tls-cert"));
    o.hubTlsKey = p.value(QStringLiteral("hub-tls-key"));
    if (o.hubTlsCert.isEmpty() != o.hubTlsKey.isEmpty())
        return fail(o.hubTlsCert.isEmpty() ? "hub-tls-cert" : "hub-tls-key",
                    tr("--hub-tls-cert and --hub-tls-key go together"));
    o.hubAllowedOrigins = p.values(QStringLiteral("hub-allow-origin"));
    bool ok = false;
    o.hubOfflineGraceSeconds = p.value(QStringLiteral("hub-offline-grace")).toInt(&ok);
    if (!ok || o.hubOfflineGraceSeconds < 0 || o.hubOfflineGraceSeconds > 86400)
        return fail("hub-offline-grace", tr("expected 0 to 86400 seconds"));
    o.hubKeepEvents = p.value(QStringLiteral("hub-keep-events")).toLongLong(&ok);
    if (!ok || o.hubKeepEvents < 100)
        return fail("hub-keep-events", tr("expected a number of events, at least 100"));
    o.hubAddAgent = p.value(QStringLiteral("hub-add-agent"));
    o.hubRemoveAgent = p.value(QStringLiteral("hub-remove-agent"));
    o.hubListAgents = p.isSet(QStringLiteral("hub-list-agents"));
    if (int(!o.hubAddAgent.isEmpty()) + int(!o.hubRemoveAgent.isEmpty()) + int(o.hubListAgents) > 1)
        return fail("hub-add-agent", tr("one of --hub-add-agent, --hub-remove-agent and "
                                        "--hub-list-agents at a time"));
    if ((p.isSet(QStringLiteral("hub-add-agent")) && o.hubAddAgent.isEmpty()) ||
        (p.isSet(QStringLiteral("hub-remove-agent")) && o.hubRemoveAgent.isEmpty()))
        return fail("hub-add-agent", tr("expected an agent name"));
    o.hubRole = p.value(QStringLiteral("role"));
    if (o.hubRole != QLatin1String("agent") && o.hubRole != QLatin1String("supervisor"))
        return fail("role", tr("expected agent or supervisor"));
    o.hubCapacity = p.value(QStringLiteral("capacity")).toInt(&ok);
    if (!ok || o.hubCapacity < 1 || o.hubCapacity > 1000)
        return fail("capacity", tr("expected 1 to 1000 open threads"));
    if (p.isSet(QStringLiteral("hub-url"))) {
        o.hubUrl = QUrl(p.value(QStringLiteral("hub-url")), QUrl::StrictMode);
        if (!o.hubUrl.isValid() || o.hubUrl.host().isEmpty() ||
            (o.hubUrl.scheme() != QLatin1String("ws") && o.hubUrl.scheme() != QLatin1String("wss")))
            return fail("hub-url", tr("expected a ws:// or wss:// URL, e.g. ws://127.0.0.1:8472"));
        if (o.hub || o.headless || o.demo || o.tractUrl.isValid())
            return fail("hub-url", tr("a team console talks to its hub only: drop --hub, "
                                      "--headless, --demo and --tract-url"));
    }
    o.agentTokenFromEnv = p.isSet(QStringLiteral("agent-token-from-env"));
    if (o.issuesToken() && (o.demo || !o.hubUrl.isEmpty()))
        return fail("cert-uuid", tr("the demo and a team console get no token from TRACT"));
    if (o.agentTokenFromEnv && o.hubUrl.isEmpty())
        return fail("agent-token-from-env", tr("goes with --hub-url"));
    if (o.isHubAdmin() && o.dataDir.isEmpty())
        return fail("data-dir", tr("agent administration needs the hub's --data-dir"));
    if (o.hub && o.tractUrl.isEmpty())
        return fail("tract-url", tr("--hub needs --tract-url"));
    if (o.headless && !o.demo && o.tractUrl.isEmpty())
        return fail("tract-url", tr("--headless needs --tract-url"));
    return o;
}

QString ConsoleOptions::effectiveDataDir() const {
    return dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                             : dataDir;
}

} // namespace console
