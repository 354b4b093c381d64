#pragma once

#include "models/store/StoreTypes.h"
#include "network/secrets/SecretStore.h"

#include <QObject>
#include <QTimer>
#include <memory>

namespace tract::views {
class ThreadListModel;
class ConversationModel;
class EventFeedModel;
} // namespace tract::views

namespace ui {
class MainWindow;
class Notifier;
class CannedResponses;
class CannedResponsePicker;
struct ConsoleSettings;
} // namespace ui

namespace console {

class ConsoleBackend;

// Connects the window to what it runs on (a ConsoleBackend: this console's own
// listener and TRACT client, or a team hub): store changes refresh the view
// models (coalesced, so a burst of hooks costs one refresh), agent actions go
// to the backend, and their outcomes come back to the panels.
class WindowController : public QObject {
    Q_OBJECT
public:
    WindowController(ConsoleBackend *backend, bool sandbox, QObject *parent = nullptr);
    ~WindowController() override;

    ui::MainWindow *window() const { return m_window.get(); }
    void show();

    // View → Language lists these (code, own name); the choice is kept as
    // ui/language and takes effect at the next start.
    void setLanguages(const QList<std::pair<QString, QString>> &languages);
    // The agent asked to restart in the chosen language and the window closed.
    bool restartRequested() const { return m_restart; }

private:
    void onStoreChanged(const tract::store::ChangeSet &changes);
    void applyChanges();
    void openThread(const QString &userId, const QString &conversationNumber);
    void loadListeners(const QString &userId);
    void loadUser(const QString &userId);
    void sendReply(const QString &userId, const QString &conversationNumber,
                   const QJsonObject &hsl);
    void threadControl(const QString &userId, int type, const QString &receiver);
    void updateOutboxCount();
    void onHookStored(const QString &category, const QString &subcategory, const QString &userId,
                      bool isNew);
    void markOpenThreadRead();
    void openSettings();
    void applyPreferences(const ui::ConsoleSettings &prefs);
    bool eventFilter(QObject *watched, QEvent *event) override; // quit with unsent replies

    ConsoleBackend *m_backend;
    bool m_sandbox;
    std::unique_ptr<tract::views::ThreadListModel> m_threads;
    std::unique_ptr<tract::views::ConversationModel> m_conversation;
    std::unique_ptr<tract::views::EventFeedModel> m_events;
    std::unique_ptr<ui::MainWindow> m_window;
    ui::Notifier *m_notifier = nullptr;
    ui::CannedResponses *m_canned = nullptr;
    ui::CannedResponsePicker *m_picker = nullptr;
    tract::store::ChangeSet m_pending;
    QTimer m_coalesce;
    QTimer m_readTimer; // a thread counts as read after a second on screen
    QString m_agentName;
    secrets::SecretStore m_secrets;
    bool m_restart = false;
};

} // namespace console
