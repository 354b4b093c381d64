#include "app/ListenerThread.h"

#include "models/store/Store.h"

#include <QCoreApplication>

namespace console {

ListenerThread::ListenerThread(const Config &config, QObject *parent)
    : QThread(parent)
    , m_config(config) {
    qRegisterMetaType<tract::store::ChangeSet>();
    setObjectName(QStringLiteral("listener"));
}

ListenerThread::~ListenerThread() {
    stop();
}

bool ListenerThread::startAndWait(QString *error) {
    start();
    QMutexLocker lock(&m_mutex);
    while (!m_done)
        m_started.wait(&m_mutex);
    if (!m_ok && error)
        *error = m_error;
    return m_ok;
}

void ListenerThread::stop() {
    if (!isRunning())
        return;
    quit();
    wait();
}

void ListenerThread::reportStarted(bool ok, const QString &error) {
    QMutexLocker lock(&m_mutex);
    m_done = true;
    m_ok = ok;
    m_error = error;
    m_started.wakeAll();
}

void ListenerThread::run() {
    tract::store::Store store;
    tract::store::Store::Options options;
    options.path = m_config.databasePath;
    options.retainDays = m_config.retainDays;
    if (!store.open(options)) {
        reportStarted(false, QCoreApplication::translate("console", "cannot open the store %1: %2")
                                 .arg(m_config.databasePath, store.lastError()));
        return;
    }
    tract::WebhookListener listener(&store, m_config.listener);
    if (!listener.start()) {
        reportStarted(false, QCoreApplication::translate("console", "cannot listen on %1:%2: %3")
                                 .arg(m_config.listener.address.toString())
                                 .arg(m_config.listener.port)
                                 .arg(listener.errorString()));
        return;
    }
    connect(&listener, &tract::WebhookListener::hookStored, this, &ListenerThread::hookStored,
            Qt::DirectConnection);
    connect(&listener, &tract::WebhookListener::hookRefused, this, &ListenerThread::hookRefused,
            Qt::DirectConnection);
    connect(&store, &tract::store::Store::committed, this, &ListenerThread::storeChanged,
            Qt::DirectConnection);
    m_port = listener.port();
    m_address = listener.address();
    reportStarted(true, {});
    exec();
    listener.stop();
    store.close(); // flushes what is queued; its acks were never sent
}

} // namespace console
