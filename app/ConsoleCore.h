#pragma once

#include <QHostAddress>
#include <QObject>
#include <QUrl>
#include <memory>

namespace tract {
class TractClient;
class HookRegistrar;
class OutboxSender;
class ConversationService;
namespace store {
class Store;
}
} // namespace tract

namespace console {

class ListenerThread;

// The engine under the window (and the whole of --headless): the listener and
// its store on a worker thread, and on this thread the TRACT client, hook
// registration, the outbox sender and a store connection for reads and the outbox.
class ConsoleCore : public QObject {
    Q_OBJECT
public:
    struct Settings {
        QUrl tractUrl;
        QString clientId;
        QString token;
        QString receiverId;
        QHostAddress listenAddress = QHostAddress::LocalHost;
        quint16 listenPort = 0;
        QString publicUrl; // empty: the listen address
        QString dataDir;
        QString pathSecret;
        QByteArray hookSecret;
        int verifyHooksMs = 30'000;
        int retainDays = 0; // retention (Store::Options::retainDays); 0 keeps everything
    };

    explicit ConsoleCore(const Settings &settings, QObject *parent = nullptr);
    ~ConsoleCore() override;

    bool start(QString *error);
    void stop();

    QString listenUrl() const;  // http://HOST:PORT the listener is bound to
    QString publicBase() const; // what TRACT is told
    const Settings &settings() const { return m_settings; }
    QString databasePath() const;

    tract::TractClient *client() const { return m_client; }
    tract::HookRegistrar *registrar() const { return m_registrar; }
    tract::OutboxSender *outbox() const { return m_outbox; }
    tract::ConversationService *conversations() const { return m_conversations; }
    tract::store::Store *store() const { return m_store.get(); }
    ListenerThread *listener() const { return m_listener.get(); }

private:
    Settings m_settings;
    std::unique_ptr<ListenerThread> m_listener;
    std::unique_ptr<tract::store::Store> m_store;
    tract::TractClient *m_client = nullptr;
    tract::HookRegistrar *m_registrar = nullptr;
    tract::OutboxSender *m_outbox = nullptr;
    tract::ConversationService *m_conversations = nullptr;
};

} // namespace console
