#include "app/ConsoleCore.h"

#include "app/ListenerThread.h"
#include "models/store/Store.h"
#include "network/client/TractClient.h"
#include "network/outbox/ConversationService.h"
#include "network/outbox/OutboxSender.h"
#include "network/registration/HookRegistrar.h"

#include <QCoreApplication>
#include <QDir>

namespace console {

ConsoleCore::ConsoleCore(const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings) {}

ConsoleCore::~ConsoleCore() {
    stop();
}

QString ConsoleCore::databasePath() const {
    return QDir(m_settings.dataDir).filePath(QStringLiteral("console.sqlite"));
}

bool ConsoleCore::start(QString *error) {
    if (!QDir().mkpath(m_settings.dataDir)) {
        *error = QCoreApplication::translate("console", "cannot create the data directory %1")
                     .arg(m_settings.dataDir);
        return false;
    }
    ListenerThread::Config config;
    config.databasePath = databasePath();
    config.retainDays = m_settings.retainDays;
    config.listener.address = m_settings.listenAddress;
    config.listener.port = m_settings.listenPort;
    config.listener.pathSecret = m_settings.pathSecret;
    config.listener.hookSecret = m_settings.hookSecret;
    m_listener = std::make_unique<ListenerThread>(config);
    if (!m_listener->startAndWait(error))
        return false;

    // A second connection for this thread: reads for the views, and the outbox.
    m_store = std::make_unique<tract::store::Store>();
    if (!m_store->open(databasePath())) {
        *error = m_store->lastError();
        return false;
    }
    m_client =
        new tract::TractClient(m_settings.tractUrl, m_settings.clientId, m_settings.token, this);
    m_registrar = new tract::HookRegistrar(m_client, publicBase(), m_settings.pathSecret, this);
    m_registrar->setVerifyInterval(m_settings.verifyHooksMs);
    m_outbox = new tract::OutboxSender(m_store.get(), m_client, this);
    m_conversations = new tract::ConversationService(m_store.get(), m_outbox, this);
    // TRACT back after an outage: its hooks may be gone (a restart forgets them).
    connect(m_outbox, &tract::OutboxSender::reachable, m_registrar,
            &tract::HookRegistrar::registerAll);

    m_registrar->registerAll();
    m_outbox->kick(); // what a previous run left pending
    return true;
}

void ConsoleCore::stop() {
    if (m_listener)
        m_listener->stop();
}

QString ConsoleCore::listenUrl() const {
    const QHostAddress a = m_listener ? m_listener->address() : m_settings.listenAddress;
    const QString host = a.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + a.toString() + QLatin1Char(']')
                             : a.toString();
    return QStringLiteral("http://%1:%2")
        .arg(host)
        .arg(m_listener ? m_listener->port() : m_settings.listenPort);
}

QString ConsoleCore::publicBase() const {
    return m_settings.publicUrl.isEmpty() ? listenUrl() : m_settings.publicUrl;
}

} // namespace console
