#include "app/WindowController.h"

#include "app/ConsoleBackend.h"
#include "models/store/Store.h"
#include "models/team/TeamTypes.h"
#include "models/views/ConversationModel.h"
#include "models/views/EventFeedModel.h"
#include "models/views/ThreadListModel.h"
#include "network/secrets/SecretTypes.h"
#include "ui/Composer.h"
#include "ui/MainWindow.h"
#include "ui/panels/CannedResponses.h"
#include "ui/panels/ConsoleSettings.h"
#include "ui/panels/EventFeedPanel.h"
#include "ui/panels/Notifier.h"
#include "ui/panels/SettingsDialog.h"
#include "ui/panels/ThreadControlPanel.h"
#include "ui/panels/UserPanel.h"

#include <QApplication>
#include <QCloseEvent>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace console {

namespace {
// Small enough that a hook for the open thread is on screen well within 100 ms
// of its ack, large enough to fold a burst of hooks into one refresh.
constexpr int kCoalesceMs = 30;
constexpr int kReadAfterMs = 1000;
enum ControlType { Take, Pass, Request };
} // namespace

WindowController::WindowController(ConsoleBackend *backend, bool sandbox, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_sandbox(sandbox) {
    tract::store::Store *store = backend->store();
    const QString me = backend->receiverId();
    m_threads = std::make_unique<tract::views::ThreadListModel>(store, me);
    m_conversation = std::make_unique<tract::views::ConversationModel>(store);
    m_events = std::make_unique<tract::views::EventFeedModel>(store);
    m_window = std::make_unique<ui::MainWindow>(
        ui::MainWindow::Models{m_threads.get(), m_conversation.get(), m_events.get()}, me);
    m_window->setSandboxMode(sandbox);
    m_window->setListenerAddress(backend->sourceText());

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &WindowController::applyChanges);
    m_readTimer.setSingleShot(true);
    m_readTimer.setInterval(kReadAfterMs);
    connect(&m_readTimer, &QTimer::timeout, this, &WindowController::markOpenThreadRead);

    connect(backend, &ConsoleBackend::storeChanged, this, &WindowController::onStoreChanged);
    connect(backend, &ConsoleBackend::hookStored, this, &WindowController::onHookStored);
    connect(backend, &ConsoleBackend::note, this,
            [this](const QString &userId, const QString &source, const QString &text) {
                m_events->appendLocalNote(userId, source, text);
            });
    connect(backend, &ConsoleBackend::hookStatusChanged, m_window.get(),
            &ui::MainWindow::setHookStatus);
    const bool team = backend->team() != nullptr;
    connect(backend, &ConsoleBackend::linkChanged, this,
            [this, team](bool ok, const QString &text) {
                if (team)
                    m_window->setHubStatus(ok, text);
                else
                    m_window->setReachability(ok, text);
            });
    if (team) {
        m_window->setTeamMode(backend->team());
        connect(backend, &ConsoleBackend::teamChanged, m_window.get(),
                &ui::MainWindow::teamChanged);
        connect(m_window.get(), &ui::MainWindow::assignRequested, backend, &ConsoleBackend::assign);
        connect(m_window.get(), &ui::MainWindow::presenceRequested, backend,
                &ConsoleBackend::setPresence);
        connect(m_window.get(), &ui::MainWindow::completeRequested, backend,
                &ConsoleBackend::complete);
        connect(backend, &ConsoleBackend::actionFailed, this, [this](const QString &message) {
            m_window->statusBar()->showMessage(message, 10'000);
            m_events->appendLocalNote(m_window->currentUserId(), QStringLiteral("hub"), message);
        });
    }
    m_window->installEventFilter(this);
    backend->announce();

    connect(m_window.get(), &ui::MainWindow::threadOpened, this, &WindowController::openThread);
    connect(m_window.get(), &ui::MainWindow::sendRequested, this, &WindowController::sendReply);
    connect(m_window.get(), &ui::MainWindow::takeRequested, this,
            [this](const QString &user) { threadControl(user, Take, {}); });
    connect(m_window.get(), &ui::MainWindow::passRequested, this,
            [this](const QString &user, const QString &receiver) {
                threadControl(user, Pass, receiver);
            });
    connect(m_window.get(), &ui::MainWindow::requestRequested, this,
            [this](const QString &user) { threadControl(user, Request, {}); });
    connect(m_window.get(), &ui::MainWindow::retryRequested, backend, &ConsoleBackend::retryOutbox);
    connect(m_window.get(), &ui::MainWindow::cancelRequested, backend,
            &ConsoleBackend::cancelOutbox);
    connect(m_window.get(), &ui::MainWindow::settingsRequested, this,
            &WindowController::openSettings);
    connect(m_window->controlPanel(), &ui::ThreadControlPanel::refreshRequested, this,
            [this] { loadListeners(m_window->currentUserId()); });
    connect(m_window->userPanel(), &ui::UserPanel::refreshRequested, this,
            [this] { loadUser(m_window->currentUserId()); });
    connect(m_window->userPanel(), &ui::UserPanel::detailsRequested, this,
            [this](const QStringList &keys) {
                const QString user = m_window->currentUserId();
                m_window->userPanel()->setBusy(true);
                m_backend->getUserDetails(
                    user, keys, this,
                    [this, user](const tract::TractResult<tract::GetUserDetailsResponse> &r) {
                        if (user != m_window->currentUserId())
                            return;
                        m_window->userPanel()->setBusy(false);
                        if (r)
                            m_window->userPanel()->setDetails(r->details);
                        else
                            m_window->userPanel()->showError(r.failure().message);
                    });
            });

    // Canned responses: `/` in the composer.
    m_canned = new ui::CannedResponses(this);
    m_picker = new ui::CannedResponsePicker(m_canned, m_window.get());
    connect(m_window->composer(), &ui::Composer::cannedRequested, this,
            [this](const QPoint &pos, const QString &filter) {
                const auto user = m_backend->store()->user(m_window->currentUserId());
                m_picker->setContext(user && user->name ? *user->name : QString(), m_agentName);
                m_picker->popup(pos, filter);
            });
    connect(m_picker, &ui::CannedResponsePicker::chosen, m_window->composer(),
            &ui::Composer::insertText);

    m_notifier = new ui::Notifier(this);
    m_notifier->setMenuActions(m_window->trayActions());
    connect(m_notifier, &ui::Notifier::activated, this, [this](const QString &userId) {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
        if (!userId.isEmpty())
            m_window->openLiveThread(userId);
    });
    connect(m_notifier, &ui::Notifier::windowAlert, this, [this](const ui::Notifier::Shown &s) {
        m_window->showAlert(s.title, s.body, s.userId);
    });
    // Whatever the route, the taskbar entry asks for attention (a no-op when
    // the window is active).
    connect(m_notifier, &ui::Notifier::notified, this,
            [this] { QApplication::alert(m_window.get()); });
    QSettings settings;
    ui::ConsoleSettings prefs;
    prefs.load(settings);
    applyPreferences(prefs);
    m_window->setTheme(
        ui::MainWindow::themeFromName(settings.value(QStringLiteral("ui/theme")).toString()));
    connect(m_window.get(), &ui::MainWindow::themeChanged, this, [](ui::MainWindow::Theme theme) {
        QSettings().setValue(QStringLiteral("ui/theme"), ui::MainWindow::themeName(theme));
    });
    connect(m_window->eventPanel(), &ui::EventFeedPanel::categoryFilterChanged, m_events.get(),
            &tract::views::EventFeedModel::setCategoryFilter);

    updateOutboxCount();
    m_window->setUnreadCount(store->totalUnread());
}

WindowController::~WindowController() = default;

void WindowController::setLanguages(const QList<std::pair<QString, QString>> &languages) {
    m_window->setLanguages(languages, QSettings().value(QStringLiteral("ui/language")).toString());
    connect(m_window.get(), &ui::MainWindow::languageChosen, this,
            [](const QString &code) { QSettings().setValue(QStringLiteral("ui/language"), code); });
    connect(m_window.get(), &ui::MainWindow::restartRequested, this, [this] {
        // Through close(), so unsent replies are asked about; refused, no restart.
        m_restart = true;
        m_restart = m_window->close();
    });
}

void WindowController::show() {
    m_window->show();
}

void WindowController::onStoreChanged(const tract::store::ChangeSet &changes) {
    m_pending.merge(changes);
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void WindowController::applyChanges() {
    const tract::store::ChangeSet changes = std::exchange(m_pending, {});
    m_threads->refresh(changes);
    m_conversation->refresh(changes);
    m_events->refresh(changes);
    m_window->refreshThreadHeader();
    const int unread = m_backend->store()->totalUnread();
    m_window->setUnreadCount(unread);
    m_notifier->setUnreadCount(unread);
    if (changes.outbox)
        updateOutboxCount();
    if (QApplication::activeWindow() == m_window.get() && !m_window->currentUserId().isEmpty())
        m_readTimer.start();
}

void WindowController::openThread(const QString &userId, const QString &conversationNumber) {
    m_conversation->setThread({userId, conversationNumber});
    m_events->setUser(userId);
    m_window->controlPanel()->setThread(userId, m_backend->receiverId());
    m_window->userPanel()->clear();
    loadListeners(userId);
    loadUser(userId);
    m_readTimer.start();
}

void WindowController::markOpenThreadRead() {
    if (m_window->currentUserId().isEmpty() || QApplication::activeWindow() != m_window.get())
        return;
    m_backend->store()->markRead({m_window->currentUserId(), m_window->currentConversation()});
}

void WindowController::loadListeners(const QString &userId) {
    if (userId.isEmpty())
        return;
    m_backend->fetchListeners(
        userId, this, [this, userId](const tract::TractResult<tract::FetchListenersResponse> &r) {
            if (userId != m_window->currentUserId())
                return;
            if (!r) {
                m_window->controlPanel()->showOutcome(false, r.failure().message);
                return;
            }
            m_window->controlPanel()->setListeners(r->listeners);
            // Ownership comes from TRACT, never from a cached guess: record it.
            tract::store::OwnershipSnapshot snapshot;
            snapshot.userId = userId;
            snapshot.conversationNumber = m_window->currentConversation();
            for (const tract::Listener &l : r->listeners) {
                if (l.active)
                    snapshot.owner = l.id;
                snapshot.listeners.append(l.toJson());
            }
            m_backend->store()->recordOwnership(snapshot);
        });
}

void WindowController::loadUser(const QString &userId) {
    if (userId.isEmpty())
        return;
    m_window->userPanel()->setBusy(true);
    m_backend->getUser(
        userId, this, [this, userId](const tract::TractResult<tract::GetUserResponse> &r) {
            if (userId != m_window->currentUserId())
                return;
            m_window->userPanel()->setBusy(false);
            if (!r) {
                m_window->userPanel()->showError(r.failure().message);
                return;
            }
            const auto stored = m_backend->store()->user(userId);
            m_window->userPanel()->setUser(
                r.value(), stored && stored->ectUserId ? *stored->ectUserId : QString());
        });
}

void WindowController::sendReply(const QString &userId, const QString &conversationNumber,
                                 const QJsonObject &hsl) {
    const QString error = m_backend->sendReply(userId, conversationNumber, hsl);
    if (!error.isEmpty())
        QMessageBox::warning(m_window.get(), tr("Reply not saved"),
                             tr("The reply could not be saved: %1").arg(error));
}

void WindowController::threadControl(const QString &userId, int type, const QString &receiver) {
    if (userId.isEmpty())
        return;
    m_window->controlPanel()->setBusy(true);
    const auto action = type == Take   ? ConsoleBackend::Control::Take
                        : type == Pass ? ConsoleBackend::Control::Pass
                                       : ConsoleBackend::Control::Request;
    m_backend->threadControl(
        userId, action, receiver, this,
        [this, userId, type](const tract::TractResult<tract::ThreadControlResponse> &r) {
            auto *panel = m_window->controlPanel();
            panel->setBusy(false);
            const QString done = type == Take   ? tr("You took control.")
                                 : type == Pass ? tr("Control passed.")
                                                : tr("Control requested; the owner will answer.");
            if (userId == m_window->currentUserId())
                panel->showOutcome(r.ok(), r ? done : r.failure().message);
            if (!r)
                m_events->appendLocalNote(userId, QStringLiteral("thread_control"),
                                          r.failure().message);
            loadListeners(userId);
        });
}

void WindowController::updateOutboxCount() {
    tract::store::OutboxQuery q;
    q.state = tract::store::OutboxState::Pending;
    m_window->setOutboxPending(int(m_backend->store()->outboxItems(q).size()));
}

void WindowController::onHookStored(const QString &category, const QString &subcategory,
                                    const QString &userId, bool isNew) {
    if (!isNew)
        return;
    const auto user = m_backend->store()->user(userId);
    const QString name = user && user->name ? *user->name : userId;
    if (category == QLatin1String("conversation_state") &&
        subcategory == QLatin1String("incomplete")) {
        m_notifier->notifyHandoff(name, tr("wants to talk to an agent"), userId);
    } else if (category == QLatin1String("message")) {
        const tract::views::ThreadRow *live = m_threads->liveThreadOf(userId);
        // In a team every thread has the team's receiver as owner: the
        // agent's own are those assigned to it.
        const auto *team = m_backend->team();
        const bool mine = live && (team ? team->assigneeOf(userId) == team->me
                                        : live->owner == m_backend->receiverId());
        if (mine)
            m_notifier->notifyMessage(name, live->preview,
                                      QApplication::activeWindow() == m_window.get(), userId);
    }
}

void WindowController::openSettings() {
    QSettings settings;
    ui::ConsoleSettings current;
    current.load(settings);
    ui::SettingsDialog dialog(m_window.get());
    dialog.setSettings(current);
    // Secrets go to the keychain only; the dialog never sees them again.
    const QString clientId = current.clientId.isEmpty() ? m_backend->clientId() : current.clientId;
    const auto storeSecret = [this](const QString &key, const QString &value) {
        m_secrets.write(key, value)->onResult(this, [this](const secrets::SecretResult &r) {
            if (!r.ok())
                QMessageBox::warning(m_window.get(), tr("Not saved in the keychain"), r.message);
        });
    };
    connect(&dialog, &ui::SettingsDialog::tokenEdited, this, [=](const QString &token) {
        storeSecret(secrets::tokenKey(clientId), token);
        m_backend->setTractToken(token);
    });
    connect(&dialog, &ui::SettingsDialog::hookSecretEdited, this,
            [=](const QString &secret) { storeSecret(secrets::hookSecretKey(clientId), secret); });
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ui::ConsoleSettings prefs = dialog.settings();
    prefs.save(settings);
    applyPreferences(prefs);
    if (prefs.tractUrl != current.tractUrl || prefs.clientId != current.clientId ||
        prefs.listenAddress != current.listenAddress || prefs.listenPort != current.listenPort ||
        prefs.publicUrl != current.publicUrl || prefs.receiverId != current.receiverId)
        QMessageBox::information(
            m_window.get(), tr("Settings saved"),
            tr("Connection settings take effect when TRACT Console starts next time."));
}

void WindowController::applyPreferences(const ui::ConsoleSettings &prefs) {
    m_notifier->setPreferences(prefs.notifyOnHandoff, prefs.notifyOnMessageWhileUnfocused,
                               prefs.sound);
    m_agentName = prefs.agentName;
}

bool WindowController::eventFilter(QObject *watched, QEvent *event) {
    // Replies the hub has not accepted yet live only in this process.
    if (watched == m_window.get() && event->type() == QEvent::Close &&
        m_backend->unsentReplies() > 0) {
        const int n = m_backend->unsentReplies();
        const auto answer = QMessageBox::warning(
            m_window.get(), tr("Replies not sent yet"),
            tr("%n reply(s) have not reached the hub yet and will be lost if you quit now.", "", n),
            QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Discard) {
            event->ignore();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace console
