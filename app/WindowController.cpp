#include "app/WindowController.h"

#include "app/ConsoleCore.h"
#include "app/ListenerThread.h"
#include "models/store/Store.h"
#include "models/views/ConversationModel.h"
#include "models/views/EventFeedModel.h"
#include "models/views/ThreadListModel.h"
#include "network/client/TractClient.h"
#include "network/client/TractReachability.h"
#include "network/outbox/ConversationService.h"
#include "network/outbox/OutboxSender.h"
#include "network/registration/HookRegistrar.h"
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
#include <QMessageBox>
#include <QSettings>

namespace console {

namespace {
// Small enough that a hook for the open thread is on screen well within 100 ms
// of its ack, large enough to fold a burst of hooks into one refresh.
constexpr int kCoalesceMs = 30;
constexpr int kReadAfterMs = 1000;
enum ControlType { Take, Pass, Request };
} // namespace

WindowController::WindowController(ConsoleCore *core, bool sandbox, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_sandbox(sandbox) {
    const QString me = core->settings().receiverId;
    m_threads = std::make_unique<tract::views::ThreadListModel>(core->store(), me);
    m_conversation = std::make_unique<tract::views::ConversationModel>(core->store());
    m_events = std::make_unique<tract::views::EventFeedModel>(core->store());
    m_window = std::make_unique<ui::MainWindow>(
        ui::MainWindow::Models{m_threads.get(), m_conversation.get(), m_events.get()}, me);
    m_window->setSandboxMode(sandbox);
    m_window->setListenerAddress(core->listenUrl());

    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(kCoalesceMs);
    connect(&m_coalesce, &QTimer::timeout, this, &WindowController::applyChanges);
    m_readTimer.setSingleShot(true);
    m_readTimer.setInterval(kReadAfterMs);
    connect(&m_readTimer, &QTimer::timeout, this, &WindowController::markOpenThreadRead);

    connect(core->listener(), &ListenerThread::storeChanged, this,
            &WindowController::onStoreChanged);
    connect(core->store(), &tract::store::Store::committed, this,
            &WindowController::onStoreChanged);
    connect(core->listener(), &ListenerThread::hookStored, this, &WindowController::onHookStored);
    connect(core->listener(), &ListenerThread::hookRefused, this,
            [this](int status, const QString &reason) {
                m_events->appendLocalNote(
                    QString(), QStringLiteral("listener"),
                    tr("A hook was refused with %1: %2").arg(status).arg(reason));
            });

    connect(core->registrar(), &tract::HookRegistrar::statusChanged, this,
            &WindowController::updateHookStatus);
    connect(core->registrar(), &tract::HookRegistrar::statusChanged, this,
            [this](const tract::HookRegistrar::Status &status) {
                if (status.state == tract::HookRegistrar::State::Failed)
                    m_events->appendLocalNote(
                        QString(), QStringLiteral("registration"),
                        tr("Hook %1/%2 not registered: %3")
                            .arg(status.hook.category, status.hook.subcategory, status.reason));
            });
    connect(core->registrar(), &tract::HookRegistrar::roundFinished, this,
            &WindowController::updateHookStatus);
    m_reachability = new tract::TractReachability(core->client(), this);
    connect(m_reachability, &tract::TractReachability::stateChanged, this, [this] {
        using S = tract::TractReachability::State;
        switch (m_reachability->state()) {
        case S::Reachable:
            m_window->setReachability(true, tr("TRACT reachable"));
            break;
        case S::Unauthorized:
            m_window->setReachability(false, tr("TRACT refuses the token"));
            break;
        case S::Unreachable:
            m_window->setReachability(false, tr("TRACT unreachable"));
            break;
        case S::Unknown:
            m_window->setReachability(false, tr("Checking TRACT…"));
            break;
        }
    });
    m_reachability->setInterval(15'000);
    m_reachability->check();
    connect(core->outbox(), &tract::OutboxSender::unreachable, this,
            [this](const QString &, int delayMs) {
                m_window->setReachability(
                    false, tr("TRACT unreachable, retrying in %1 s").arg((delayMs + 999) / 1000));
            });
    connect(core->outbox(), &tract::OutboxSender::reachable, m_reachability,
            &tract::TractReachability::check);

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
    connect(m_window.get(), &ui::MainWindow::retryRequested, this, [this](qint64 id) {
        m_core->store()->retryOutbox(id);
        m_core->outbox()->kick();
    });
    connect(m_window.get(), &ui::MainWindow::cancelRequested, this,
            [this](qint64 id) { m_core->store()->cancelOutbox(id); });
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
                m_core->client()
                    ->getUserDetails(user, keys)
                    ->onResult(
                        this,
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
                const auto user = m_core->store()->user(m_window->currentUserId());
                m_picker->setContext(user && user->name ? *user->name : QString(), m_agentName);
                m_picker->popup(pos, filter);
            });
    connect(m_picker, &ui::CannedResponsePicker::chosen, m_window->composer(),
            &ui::Composer::insertText);

    m_notifier = new ui::Notifier(this);
    connect(m_notifier, &ui::Notifier::activated, this, [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    });
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

    updateHookStatus();
    updateOutboxCount();
    m_window->setUnreadCount(core->store()->totalUnread());
}

WindowController::~WindowController() = default;

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
    const int unread = m_core->store()->totalUnread();
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
    m_window->controlPanel()->setThread(userId, m_core->settings().receiverId);
    m_window->userPanel()->clear();
    loadListeners(userId);
    loadUser(userId);
    m_readTimer.start();
}

void WindowController::markOpenThreadRead() {
    if (m_window->currentUserId().isEmpty() || QApplication::activeWindow() != m_window.get())
        return;
    m_core->store()->markRead({m_window->currentUserId(), m_window->currentConversation()});
}

void WindowController::loadListeners(const QString &userId) {
    if (userId.isEmpty())
        return;
    m_core->client()->fetchListeners(userId)->onResult(
        this, [this, userId](const tract::TractResult<tract::FetchListenersResponse> &r) {
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
            m_core->store()->recordOwnership(snapshot);
        });
}

void WindowController::loadUser(const QString &userId) {
    if (userId.isEmpty())
        return;
    m_window->userPanel()->setBusy(true);
    m_core->client()->getUser(userId)->onResult(
        this, [this, userId](const tract::TractResult<tract::GetUserResponse> &r) {
            if (userId != m_window->currentUserId())
                return;
            m_window->userPanel()->setBusy(false);
            if (!r) {
                m_window->userPanel()->showError(r.failure().message);
                return;
            }
            const auto stored = m_core->store()->user(userId);
            m_window->userPanel()->setUser(
                r.value(), stored && stored->ectUserId ? *stored->ectUserId : QString());
        });
}

void WindowController::sendReply(const QString &userId, const QString &conversationNumber,
                                 const QJsonObject &hsl) {
    const auto stored = m_core->store()->user(userId);
    const auto queued = m_core->conversations()->sendMessage(
        userId, conversationNumber, hsl,
        stored && stored->ectUserId ? *stored->ectUserId : QString());
    if (!queued.ok)
        QMessageBox::warning(m_window.get(), tr("Reply not saved"),
                             tr("The reply could not be saved: %1").arg(queued.error));
}

void WindowController::threadControl(const QString &userId, int type, const QString &receiver) {
    if (userId.isEmpty())
        return;
    auto *panel = m_window->controlPanel();
    panel->setBusy(true);
    tract::TractReply<tract::ThreadControlResponse> *call = nullptr;
    switch (type) {
    case Take:
        call = m_core->client()->take(userId);
        break;
    case Pass:
        call = m_core->client()->pass(userId, receiver);
        break;
    default:
        call = m_core->client()->request(userId);
        break;
    }
    call->onResult(
        this, [this, userId, type](const tract::TractResult<tract::ThreadControlResponse> &r) {
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

void WindowController::updateHookStatus() {
    const auto &statuses = m_core->registrar()->statuses();
    QStringList lines;
    for (const auto &s : statuses) {
        QString line = s.hook.category + QLatin1Char('/') + s.hook.subcategory +
                       QStringLiteral(": ") + tract::toString(s.state);
        if (!s.reason.isEmpty())
            line += QStringLiteral(" (") + s.reason + QLatin1Char(')');
        lines << line;
    }
    m_window->setHookStatus(m_core->registrar()->registeredCount(), int(statuses.size()),
                            lines.join(QLatin1Char('\n')));
}

void WindowController::updateOutboxCount() {
    tract::store::OutboxQuery q;
    q.state = tract::store::OutboxState::Pending;
    m_window->setOutboxPending(int(m_core->store()->outboxItems(q).size()));
}

void WindowController::onHookStored(const QString &category, const QString &subcategory,
                                    const QString &userId, bool isNew) {
    if (!isNew)
        return;
    const auto user = m_core->store()->user(userId);
    const QString name = user && user->name ? *user->name : userId;
    if (category == QLatin1String("conversation_state") &&
        subcategory == QLatin1String("incomplete")) {
        m_notifier->notifyHandoff(name, tr("wants to talk to an agent"));
    } else if (category == QLatin1String("message")) {
        // The user's live thread is the most recently active one.
        const tract::views::ThreadRow *live = nullptr;
        for (int r = 0; r < m_threads->rowCount(); ++r) {
            const tract::views::ThreadRow &row = m_threads->row(r);
            if (row.key.userId == userId && (!live || row.lastActivityMs > live->lastActivityMs))
                live = &row;
        }
        if (live && live->owner == m_core->settings().receiverId)
            m_notifier->notifyMessage(name, live->preview,
                                      QApplication::activeWindow() == m_window.get());
    }
}

void WindowController::openSettings() {
    QSettings settings;
    ui::ConsoleSettings current;
    current.load(settings);
    ui::SettingsDialog dialog(m_window.get());
    dialog.setSettings(current);
    // Secrets go to the keychain only; the dialog never sees them again.
    const QString clientId =
        current.clientId.isEmpty() ? m_core->settings().clientId : current.clientId;
    const auto storeSecret = [this](const QString &key, const QString &value) {
        m_secrets.write(key, value)->onResult(this, [this](const secrets::SecretResult &r) {
            if (!r.ok())
                QMessageBox::warning(m_window.get(), tr("Not saved in the keychain"), r.message);
        });
    };
    connect(&dialog, &ui::SettingsDialog::tokenEdited, this, [=](const QString &token) {
        storeSecret(secrets::tokenKey(clientId), token);
        m_core->client()->setToken(token); // takes effect with the next call
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

} // namespace console
