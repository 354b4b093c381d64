#pragma once

#include "models/store/StoreTypes.h"
#include "network/listener/WebhookListener.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>

namespace console {

// The worker thread that owns the durable store and the webhook listener, so
// acks never wait for the GUI. Other threads see what it stores through their
// own Store connections and the queued signals below.
class ListenerThread : public QThread {
    Q_OBJECT
public:
    struct Config {
        QString databasePath;
        int retainDays = 0; // this thread's store prunes (it owns the file's writes)
        tract::WebhookListener::Settings listener;
    };

    explicit ListenerThread(const Config &config, QObject *parent = nullptr);
    ~ListenerThread() override; // stops and waits

    // Starts the thread; returns once the store is open and the listener
    // listens, or with the reason it could not.
    bool startAndWait(QString *error);
    void stop();
    quint16 port() const { return m_port; }
    QHostAddress address() const { return m_address; }

signals:
    void hookStored(const QString &category, const QString &subcategory, const QString &userId,
                    bool isNew);
    void hookRefused(int status, const QString &reason);
    // What a commit changed; views refresh from their own connection.
    void storeChanged(const tract::store::ChangeSet &changes);

protected:
    void run() override;

private:
    void reportStarted(bool ok, const QString &error);

    Config m_config;
    QMutex m_mutex;
    QWaitCondition m_started;
    bool m_done = false;
    bool m_ok = false;
    QString m_error;
    quint16 m_port = 0;
    QHostAddress m_address;
};

} // namespace console
