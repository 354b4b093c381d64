#include "ui/MainWindow.h"

#include "models/team/TeamTypes.h"
#include "models/views/ConversationModel.h"
#include "models/views/EventFeedModel.h"
#include "models/views/TeamModel.h"
#include "models/views/ThreadFilterModel.h"
#include "models/views/ThreadListModel.h"
#include "ui/Composer.h"
#include "ui/ConversationView.h"
#include "ui/ThreadListDelegate.h"
#include "ui/panels/AlertBanner.h"
#include "ui/panels/ClearButton.h"
#include "ui/panels/DarkPalette.h"
#include "ui/panels/ElidedLabel.h"
#include "ui/panels/EventFeedPanel.h"
#include "ui/panels/OwnershipBoard.h"
#include "ui/panels/ShortcutsDialog.h"
#include "ui/panels/TeamBoard.h"
#include "ui/panels/ThreadControlPanel.h"
#include "ui/panels/UserPanel.h"

#include <QActionGroup>
#include <QApplication>
#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QShortcut>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace ui {

using tract::views::ThreadFilterModel;
using tract::views::ThreadListModel;

MainWindow::MainWindow(const Models &models, const QString &myReceiverId, QWidget *parent)
    : QMainWindow(parent)
    , m_models(models)
    , m_myReceiverId(myReceiverId) {
    setObjectName(QStringLiteral("MainWindow"));
    auto *conversations = new QSplitter(Qt::Horizontal, this);
    m_threadPane = buildThreadList();
    conversations->addWidget(m_threadPane);
    conversations->addWidget(buildConversation());
    m_sidePanels = buildSidePanels();
    conversations->addWidget(m_sidePanels);
    conversations->setStretchFactor(0, 0);
    conversations->setStretchFactor(1, 1);
    conversations->setStretchFactor(2, 0);
    conversations->setSizes({300, 640, 340});

    m_board = new OwnershipBoard(this);
    m_board->setSourceModel(m_models.threads);
    connect(m_board, &OwnershipBoard::threadActivated, this,
            [this](const QString &user, const QString &conversation) {
                m_pages->setCurrentIndex(0);
                openThread(user, conversation);
            });
    connect(m_board, &OwnershipBoard::assignRequested, this, &MainWindow::assignRequested);

    m_pages = new QTabWidget(this);
    m_pages->setAccessibleName(tr("Views"));
    m_pages->setDocumentMode(true);
    m_pages->addTab(conversations, tr("&Conversations"));
    m_pages->addTab(m_board, tr("&Ownership board"));

    // Above the views, so it is seen whichever view is showing.
    m_alert = new AlertBanner(this);
    connect(m_alert, &AlertBanner::openRequested, this, &MainWindow::openLiveThread);
    auto *central = new QWidget(this);
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_alert);
    centralLayout->addWidget(m_pages, 1);
    setCentralWidget(central);

    buildMenus();
    buildStatusBar();
    updateTitle();
    fitScreen();

    // Waiting timers tick even when nothing arrives.
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, m_threadList->viewport(), qOverload<>(&QWidget::update));
    tick->start(1000);
}

void MainWindow::fitScreen() {
    // As large as the design wants, never larger than the screen (a laptop at
    // 150 % or 200 % has little room: View → Side panels gives it to the
    // conversation).
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1320, 820);
    setMinimumSize(QSize(640, 360).boundedTo(available.size()));
    // A narrow screen (1280×720 at 150 % is 853 px) cannot hold the thread
    // list, the conversation and the side panels at their minimum widths: the
    // panels start hidden, one keystroke away.
    if (!fitsScreen())
        setPaneVisible(m_sidePanelsAction, false);
    const QSize size = QSize(1320, 820).boundedTo(available.size());
    setGeometry(QRect(available.topLeft() + QPoint((available.width() - size.width()) / 2,
                                                   (available.height() - size.height()) / 2),
                      size));
}

QList<QAction *> MainWindow::trayActions() const {
    // The away switch is hidden outside team mode, and so in the tray too.
    return {m_awayAction, m_settingsAction, m_quitAction};
}

void MainWindow::showAlert(const QString &title, const QString &body, const QString &userId) {
    m_alert->showAlert(title, body, userId);
}

void MainWindow::openLiveThread(const QString &userId) {
    const tract::views::ThreadRow *live = m_models.threads->liveThreadOf(userId);
    if (!live)
        return;
    m_pages->setCurrentIndex(0);
    openThread(userId, live->key.conversationNumber);
}

bool MainWindow::fitsScreen() {
    // A pane shown or hidden a moment ago: the size caches up to the window
    // would only be dropped by posted layout requests, so drop them now.
    for (QWidget *w = m_threadPane->parentWidget(); w && w != this; w = w->parentWidget())
        w->updateGeometry();
    const QScreen *screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    return !screen || minimumSizeHint().width() <= screen->availableGeometry().width();
}

void MainWindow::setPaneVisible(QAction *action, bool on) {
    QWidget *pane = action == m_threadPaneAction ? m_threadPane : m_sidePanels;
    QAction *otherAction = action == m_threadPaneAction ? m_sidePanelsAction : m_threadPaneAction;
    QWidget *other = action == m_threadPaneAction ? m_sidePanels : m_threadPane;
    action->setChecked(on);
    pane->setVisible(on);
    if (on && other->isVisibleTo(this) && !fitsScreen()) {
        other->hide();
        otherAction->setChecked(false);
        statusBar()->showMessage(
            tr("%1 hidden to make room (View menu, %2)")
                .arg(QString(otherAction->text()).remove(QLatin1Char('&')),
                     otherAction->shortcut().toString(QKeySequence::NativeText)),
            8000);
    }
    // Hiding the list must not strand the keyboard in a hidden widget.
    if (!on && pane->isAncestorOf(QApplication::focusWidget()))
        m_composer->setFocus(Qt::OtherFocusReason);
}

QWidget *MainWindow::buildThreadList() {
    auto *pane = new QWidget(this);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(6, 6, 0, 6);
    layout->setSpacing(6);

    m_search = new QLineEdit(pane);
    m_search->setPlaceholderText(tr("Search threads (Ctrl+K)"));
    enableClearButton(m_search);
    // Ctrl+K, a name, Enter: the first match opens, and the list has the keyboard
    // (Up/Down walk it from there).
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (m_filter->rowCount() == 0)
            return;
        m_threadList->setCurrentIndex(m_filter->index(0, 0));
        m_threadList->setFocus(Qt::ShortcutFocusReason);
    });
    m_search->setAccessibleName(tr("Search threads"));
    layout->addWidget(m_search);

    auto *filters = new QHBoxLayout;
    filters->setSpacing(2);
    m_filterButtons = new QButtonGroup(pane);
    // Queue only shows in team mode (updateTeamFilters), next to Mine.
    const std::pair<QString, ThreadFilterModel::Filter> kinds[] = {
        {tr("Mine"), ThreadFilterModel::Filter::Mine},
        {tr("Queue"), ThreadFilterModel::Filter::Queue},
        {tr("Waiting"), ThreadFilterModel::Filter::Waiting},
        {tr("Bot"), ThreadFilterModel::Filter::Bot},
        {tr("All"), ThreadFilterModel::Filter::All},
        {tr("Complete"), ThreadFilterModel::Filter::Complete}};
    for (const auto &[label, filter] : kinds) {
        auto *b = new QToolButton(pane);
        b->setText(label);
        b->setCheckable(true);
        b->setAutoRaise(true);
        b->setAccessibleName(tr("Show %1 threads").arg(label));
        // What single seat shows, for going back from team mode.
        b->setProperty("singleSeatText", label);
        b->setProperty("singleSeatName", b->accessibleName());
        b->setHidden(filter == ThreadFilterModel::Filter::Queue);
        m_filterButtons->addButton(b, int(filter));
        filters->addWidget(b);
    }
    filters->addStretch(1);
    layout->addLayout(filters);

    m_sort = new QComboBox(pane);
    m_sort->addItem(tr("Longest waiting first"), int(ThreadFilterModel::SortMode::WaitingTime));
    m_sort->addItem(tr("Latest activity first"), int(ThreadFilterModel::SortMode::LastActivity));
    m_sort->setAccessibleName(tr("Sort threads"));
    layout->addWidget(m_sort);

    m_filter = new ThreadFilterModel(this);
    m_filter->setSourceModel(m_models.threads);
    m_threadList = new QListView(pane);
    m_filter->setFirstColumnOnly(true);
    m_threadList->setModel(m_filter);
    m_threadList->setItemDelegate(new ThreadListDelegate(m_threadList));
    m_threadList->setUniformItemSizes(true);
    m_threadList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_threadList->setAccessibleName(tr("Threads"));
    m_threadList->setMinimumWidth(260);
    layout->addWidget(m_threadList, 1);

    connect(m_search, &QLineEdit::textChanged, m_filter, &ThreadFilterModel::setSearchText);
    connect(m_filterButtons, &QButtonGroup::idClicked, this,
            [this](int id) { m_filter->setFilter(ThreadFilterModel::Filter(id)); });
    connect(m_sort, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setSortMode(ThreadFilterModel::SortMode(m_sort->currentData().toInt()));
    });
    connect(m_threadList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onCurrentThreadChanged);
    // A new thread may already be assigned: the team counts include it.
    connect(m_models.threads, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_team)
            updateTeamFilters();
    });
    m_filterButtons->button(int(ThreadFilterModel::Filter::All))->setChecked(true);
    m_filter->setFilter(ThreadFilterModel::Filter::All);
    m_filter->setSortMode(ThreadFilterModel::SortMode::WaitingTime);
    return pane;
}

QWidget *MainWindow::buildConversation() {
    auto *pane = new QWidget(this);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 6, 0, 0);
    layout->setSpacing(0);

    auto *header = new QWidget(pane);
    auto *headerLayout = new QVBoxLayout(header);
    headerLayout->setContentsMargins(14, 4, 14, 8);
    headerLayout->setSpacing(2);
    // Elided, not wrapped or clipped: a long name must not widen the window
    // past a small screen (the full text is in the tooltip).
    m_threadTitle = new ElidedLabel(header);
    m_threadTitle->setElideMode(Qt::ElideRight);
    m_threadTitle->setAccessibleName(tr("Open thread"));
    QFont titleFont = m_threadTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_threadTitle->setFont(titleFont);
    m_threadSubtitle = new ElidedLabel(header);
    m_threadSubtitle->setElideMode(Qt::ElideRight);
    m_threadSubtitle->setAccessibleName(tr("Thread state"));
    m_threadSubtitle->setForegroundRole(QPalette::PlaceholderText);
    headerLayout->addWidget(m_threadTitle);
    headerLayout->addWidget(m_threadSubtitle);
    layout->addWidget(header);

    m_view = new ConversationView(pane);
    m_view->setModel(m_models.conversation);
    // Wide enough to read a carousel card and a message beside it; where the
    // screen is narrower than that plus the other panes, a pane gives way
    // (setPaneVisible). It scrolls, so on a short screen it gives up height
    // first, before the composer's notices are cut.
    m_view->setMinimumSize(360, m_view->fontMetrics().height() * 2);
    layout->addWidget(m_view, 1);

    m_newMessages = new QPushButton(m_view);
    m_newMessages->hide();
    m_newMessages->setAccessibleName(tr("Jump to new messages"));
    connect(m_newMessages, &QPushButton::clicked, m_view, &ConversationView::scrollToBottom);
    connect(m_view, &ConversationView::unseenCountChanged, this, [this](int count) {
        m_newMessages->setVisible(count > 0);
        m_newMessages->setText(tr("↓ %n new message(s)", nullptr, count));
        m_newMessages->adjustSize();
        m_newMessages->move((m_view->width() - m_newMessages->width()) / 2,
                            m_view->height() - m_newMessages->height() - 12);
        m_newMessages->raise();
    });
    connect(m_view, &ConversationView::retryRequested, this, &MainWindow::retryRequested);
    connect(m_view, &ConversationView::cancelRequested, this, &MainWindow::cancelRequested);

    m_composer = new Composer(pane);
    layout->addWidget(m_composer);
    connect(m_composer, &Composer::sendRequested, this, [this](const QJsonObject &hsl) {
        if (!m_userId.isEmpty())
            emit sendRequested(m_userId, m_conversation, hsl);
        m_view->scrollToBottom();
    });
    connect(m_composer, &Composer::takeControlRequested, this, [this] {
        if (!m_userId.isEmpty())
            emit takeRequested(m_userId);
    });
    refreshThreadHeader();
    return pane;
}

QWidget *MainWindow::buildSidePanels() {
    auto *tabs = new QTabWidget(this);
    tabs->setAccessibleName(tr("Thread details"));
    tabs->setDocumentMode(true);
    m_userPanel = new UserPanel(tabs);
    m_controlPanel = new ThreadControlPanel(tabs);
    m_eventPanel = new EventFeedPanel(tabs);
    m_eventPanel->setModel(m_models.events);
    tabs->addTab(m_userPanel, tr("User"));
    tabs->addTab(m_controlPanel, tr("Thread control"));
    tabs->addTab(m_eventPanel, tr("Events"));
    tabs->setMinimumWidth(260);
    connect(m_controlPanel, &ThreadControlPanel::takeRequested, this,
            [this] { emit takeRequested(m_userId); });
    connect(m_controlPanel, &ThreadControlPanel::passRequested, this,
            [this](const QString &receiver) { emit passRequested(m_userId, receiver); });
    connect(m_controlPanel, &ThreadControlPanel::requestRequested, this,
            [this] { emit requestRequested(m_userId); });
    return tabs;
}

void MainWindow::buildMenus() {
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_settingsAction = file->addAction(tr("&Settings…"), QKeySequence(tr("Ctrl+,")), this,
                                       &MainWindow::settingsRequested);
    file->addSeparator();
    // Through close(), so whoever must agree to quitting (unsent replies) is asked.
    m_quitAction = file->addAction(tr("&Quit"), QKeySequence::Quit, this, [this] { close(); });

    QMenu *thread = menuBar()->addMenu(tr("&Thread"));
    thread->addAction(tr("&Jump to thread…"), QKeySequence(tr("Ctrl+K")), this, [this] {
        m_pages->setCurrentIndex(0);
        m_search->setFocus();
        m_search->selectAll();
    });
    thread->addAction(tr("&Previous thread"), QKeySequence(tr("Alt+Up")), this,
                      [this] { selectRelativeThread(-1); });
    thread->addAction(tr("&Next thread"), QKeySequence(tr("Alt+Down")), this,
                      [this] { selectRelativeThread(1); });
    thread->addSeparator();
    thread->addAction(tr("&Take control"), QKeySequence(tr("Ctrl+T")), this, [this] {
        if (!m_userId.isEmpty())
            emit takeRequested(m_userId);
    });
    thread->addAction(tr("&Pass control to…"), QKeySequence(tr("Ctrl+Shift+P")), this,
                      &MainWindow::passViaMenu);
    thread->addAction(tr("&Request control"), QKeySequence(tr("Ctrl+Shift+T")), this, [this] {
        if (!m_userId.isEmpty())
            emit requestRequested(m_userId);
    });
    m_completeAction = thread->addAction(tr("&Complete conversation"),
                                         QKeySequence(tr("Ctrl+Shift+E")), this, [this] {
                                             if (!m_userId.isEmpty())
                                                 emit completeRequested(m_userId);
                                         });
    m_completeAction->setVisible(false); // team mode only

    // Team mode only: the menu and its shortcuts stay hidden and inert in
    // single seat.
    m_teamMenu = menuBar()->addMenu(tr("T&eam"));
    m_awayAction = m_teamMenu->addAction(tr("&Away"));
    m_awayAction->setCheckable(true);
    m_awayAction->setShortcut(QKeySequence(tr("Ctrl+Shift+A")));
    m_awayAction->setToolTip(tr("Away: keep your threads and get no new ones"));
    connect(m_awayAction, &QAction::triggered, this, [this](bool away) {
        emit presenceRequested(away ? QStringLiteral("away") : QStringLiteral("online"));
    });
    m_assignAction =
        m_teamMenu->addAction(tr("A&ssign open thread to…"), QKeySequence(tr("Ctrl+Shift+R")), this,
                              &MainWindow::assignViaMenu);
    for (QAction *a : {m_awayAction, m_assignAction})
        a->setVisible(false);
    m_teamMenu->menuAction()->setVisible(false);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Conversations"), QKeySequence(tr("Ctrl+1")), this,
                    [this] { m_pages->setCurrentIndex(0); });
    m_boardAction = view->addAction(tr("&Ownership board"), QKeySequence(tr("Ctrl+2")), this,
                                    [this] { m_pages->setCurrentIndex(1); });
    m_threadPaneAction = view->addAction(tr("Thread &list"), QKeySequence(tr("Ctrl+Shift+L")));
    m_sidePanelsAction = view->addAction(tr("Side &panels"), QKeySequence(tr("Ctrl+Shift+D")));
    for (QAction *pane : {m_threadPaneAction, m_sidePanelsAction}) {
        pane->setCheckable(true);
        pane->setChecked(true);
        connect(pane, &QAction::triggered, this,
                [this, pane](bool on) { setPaneVisible(pane, on); });
    }
    view->addSeparator();
    QMenu *themes = view->addMenu(tr("&Theme"));
    auto *themeGroup = new QActionGroup(this);
    const std::pair<Theme, QString> themeNames[] = {
        {Theme::System, tr("&System")}, {Theme::Light, tr("&Light")}, {Theme::Dark, tr("&Dark")}};
    for (const auto &[theme, label] : themeNames) {
        QAction *action = themes->addAction(label);
        action->setCheckable(true);
        action->setActionGroup(themeGroup);
        m_themeActions[int(theme)] = action;
        connect(action, &QAction::triggered, this, [this, theme = theme] {
            setTheme(theme);
            emit themeChanged(theme);
        });
    }
    m_themeActions[int(m_theme)]->setChecked(true);
    m_languageMenu = view->addMenu(tr("&Language"));
    m_languageMenu->menuAction()->setVisible(false); // until setLanguages()

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), QKeySequence(QKeySequence::HelpContents), this,
                    [this] {
                        ShortcutsDialog dialog(shortcutEntries(), this);
                        dialog.exec();
                    });
    help->addAction(tr("&About TRACT Console"), this, [this] {
        QMessageBox::about(this, tr("About TRACT Console"),
                           tr("TRACT Console %1\nA desktop agent console for Haptik's TRACT API.")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::buildStatusBar() {
    m_sandboxBadge = new QLabel(tr(" SANDBOX DEMO "), this);
    m_sandboxBadge->setStyleSheet(
        QStringLiteral("background:#d97706; color:white; font-weight:bold; border-radius:3px;"));
    m_sandboxBadge->setToolTip(
        tr("Connected to the built-in tract-sandbox: simulated users and bot, no Haptik account"));
    m_sandboxBadge->hide();
    m_listenerLabel = new QLabel(this);
    m_reachLabel = new QLabel(this);
    m_hooksButton = new QToolButton(this);
    m_hooksButton->setAutoRaise(true);
    m_hooksButton->setAccessibleName(tr("Hook registrations"));
    m_outboxLabel = new QLabel(this);
    // Team mode only; hidden before they are added so the status bar keeps them hidden.
    m_hubLabel = new QLabel(this);
    m_hubLabel->setAccessibleName(tr("Hub connection"));
    m_hubLabel->hide();
    m_presence = new QComboBox(this);
    m_presence->addItem(tr("Online"), QStringLiteral("online"));
    m_presence->addItem(tr("Away"), QStringLiteral("away"));
    m_presence->setAccessibleName(tr("My presence"));
    m_presence->setToolTip(
        tr("Online: the hub routes new threads to you. Away: you keep your threads and get no "
           "new ones (Ctrl+Shift+A)"));
    m_presence->hide();
    // activated, not currentIndexChanged: following the hub must not ask it again.
    connect(m_presence, &QComboBox::activated, this,
            [this] { emit presenceRequested(m_presence->currentData().toString()); });
    statusBar()->addWidget(m_sandboxBadge);
    statusBar()->addWidget(m_listenerLabel);
    statusBar()->addPermanentWidget(m_hubLabel);
    statusBar()->addPermanentWidget(m_presence);
    statusBar()->addPermanentWidget(m_reachLabel);
    statusBar()->addPermanentWidget(m_hooksButton);
    statusBar()->addPermanentWidget(m_outboxLabel);
    connect(m_hooksButton, &QToolButton::clicked, this, &MainWindow::showHookDetails);
    setHookStatus(0, 0, QString());
    setOutboxPending(0);
}

void MainWindow::setLanguages(const QList<std::pair<QString, QString>> &languages,
                              const QString &saved) {
    m_languageMenu->clear();
    auto *group = new QActionGroup(m_languageMenu);
    m_language = saved.isEmpty() ? QStringLiteral("system") : saved;
    auto add = [&](const QString &code, const QString &label) {
        QAction *action = m_languageMenu->addAction(label);
        action->setCheckable(true);
        action->setChecked(code == m_language);
        action->setActionGroup(group);
        connect(action, &QAction::triggered, this, [this, code] {
            if (code == m_language)
                return;
            m_language = code;
            emit languageChosen(code);
            QMessageBox ask(QMessageBox::Question, tr("Language"),
                            tr("TRACT Console speaks the new language after a restart."),
                            QMessageBox::NoButton, this);
            QPushButton *now = ask.addButton(tr("&Restart now"), QMessageBox::AcceptRole);
            ask.addButton(tr("&Later"), QMessageBox::RejectRole);
            ask.setDefaultButton(now);
            ask.exec();
            if (ask.clickedButton() == now)
                emit restartRequested();
        });
    };
    add(QStringLiteral("system"), tr("&System language"));
    m_languageMenu->addSeparator();
    for (const auto &[code, name] : languages)
        add(code, name);
    m_languageMenu->menuAction()->setVisible(true);
}

MainWindow::Theme MainWindow::themeFromName(const QString &name) {
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

QString MainWindow::themeName(Theme theme) {
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

void MainWindow::setTheme(Theme theme) {
    // Only a theme that was applied needs undoing: at start-up "System"
    // leaves the platform's style and palette alone.
    static bool overridden = false;
    m_theme = theme;
    if (QAction *action = m_themeActions[int(theme)])
        action->setChecked(true);
    if (theme == Theme::System) {
        if (overridden)
            QApplication::setPalette(QPalette()); // back to the style's own
        return;
    }
    // Fusion draws everything from the palette, so both themes look alike
    // whatever style the platform would pick.
    QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(theme == Theme::Dark ? ui::darkPalette()
                                                  : QApplication::style()->standardPalette());
    overridden = true;
}

void MainWindow::setSandboxMode(bool sandbox) {
    m_sandbox = sandbox;
    m_sandboxBadge->setVisible(sandbox);
    updateTitle();
}

void MainWindow::setListenerAddress(const QString &address) {
    m_listenerLabel->setText(tr("Listening on %1").arg(address));
}

void MainWindow::setReachability(bool reachable, const QString &text) {
    m_reachLabel->setText((reachable ? QStringLiteral("● ") : QStringLiteral("○ ")) + text);
    m_reachLabel->setStyleSheet(reachable ? QStringLiteral("color:#16a34a;")
                                          : QStringLiteral("color:#dc2626;"));
}

void MainWindow::setHookStatus(int registered, int total, const QString &details) {
    m_hookDetails = details;
    m_hooksButton->setText(tr("Hooks %1 of %2").arg(registered).arg(total));
    m_hooksButton->setToolTip(tr("Click for the state of each hook registration"));
}

void MainWindow::setOutboxPending(int pending) {
    m_outboxLabel->setText(pending == 0 ? tr("Outbox empty")
                                        : tr("%n reply(ies) waiting to send", nullptr, pending));
}

void MainWindow::showHookDetails() {
    QMessageBox box(this);
    box.setWindowTitle(tr("Hook registrations"));
    box.setTextFormat(Qt::PlainText);
    box.setText(m_hookDetails.isEmpty() ? tr("No registration attempted yet.") : m_hookDetails);
    box.exec();
}

void MainWindow::updateTitle() {
    const int unread = m_unread;
    QString title = tr("TRACT Console");
    if (m_sandbox)
        title += tr(" — Sandbox demo");
    if (unread > 0)
        title = tr("(%1) %2").arg(unread).arg(title);
    setWindowTitle(title);
}

void MainWindow::onCurrentThreadChanged() {
    const QModelIndex index = m_threadList->currentIndex();
    if (!index.isValid())
        return;
    const QString user = index.data(ThreadListModel::UserIdRole).toString();
    const QString conversation = index.data(ThreadListModel::ConversationNumberRole).toString();
    if (user == m_userId && conversation == m_conversation)
        return;
    m_userId = user;
    m_conversation = conversation;
    const QString name = index.data(ThreadListModel::UserNameRole).toString();
    m_view->setEndUserName(name);
    m_composer->clear();
    // The previous thread's reason must not stay; app/ may refine this one.
    setComposerRefusal(m_team ? m_team->refusalFor(user, name.isEmpty() ? user : name) : QString());
    refreshThreadHeader();
    emit threadOpened(user, conversation);
}

void MainWindow::openThread(const QString &userId, const QString &conversationNumber) {
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex index = m_filter->index(row, 0);
        if (index.data(ThreadListModel::UserIdRole).toString() == userId &&
            index.data(ThreadListModel::ConversationNumberRole).toString() == conversationNumber) {
            m_threadList->setCurrentIndex(index);
            return;
        }
    }
    // Filtered out: show everything so the thread can be selected.
    m_filterButtons->button(int(ThreadFilterModel::Filter::All))->setChecked(true);
    m_filter->setFilter(ThreadFilterModel::Filter::All);
    m_search->clear();
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex index = m_filter->index(row, 0);
        if (index.data(ThreadListModel::UserIdRole).toString() == userId &&
            index.data(ThreadListModel::ConversationNumberRole).toString() == conversationNumber) {
            m_threadList->setCurrentIndex(index);
            return;
        }
    }
}

void MainWindow::refreshThreadHeader() {
    const bool open = !m_userId.isEmpty();
    m_composer->setThreadAvailable(open);
    updateTeamActions();
    if (!open) {
        m_threadTitle->setText(tr("No conversation open"));
        m_threadSubtitle->setText(tr("Pick a thread on the left, or press Ctrl+K to find one."));
        return;
    }
    const int row = m_models.threads->rowOf({m_userId, m_conversation});
    const QModelIndex index = m_models.threads->index(row, 0);
    const QString name = index.data(ThreadListModel::UserNameRole).toString();
    const QString owner = index.data(ThreadListModel::OwnerRole).toString();
    const auto state = tract::views::ThreadState(index.data(ThreadListModel::StateRole).toInt());
    m_threadTitle->setText(name.isEmpty() ? m_userId : name);
    QStringList parts{tr("conversation %1").arg(m_conversation),
                      index.data(ThreadListModel::StateNameRole).toString()};
    if (m_team) {
        const QString assignee = index.data(ThreadListModel::AssigneeRole).toString();
        if (index.data(ThreadListModel::QueuedRole).toBool())
            parts << tr("in the queue");
        else if (index.data(ThreadListModel::AssignedToMeRole).toBool())
            parts << tr("assigned to you");
        else if (!assignee.isEmpty())
            parts << tr("assigned to %1").arg(assignee);
    }
    const QString platform = index.data(ThreadListModel::PlatformRole).toString();
    if (!platform.isEmpty())
        parts.prepend(platform);
    m_threadSubtitle->setText(parts.join(QStringLiteral(" · ")));
    const bool mine = owner == m_myReceiverId;
    QString ownerText;
    if (state == tract::views::ThreadState::Complete)
        ownerText = tr("This conversation is complete. It reopens when the end user writes again.");
    else if (owner.isEmpty() || owner == QLatin1String("iva"))
        ownerText = tr("The bot owns this thread. Take control to reply.");
    else if (!mine)
        ownerText = tr("%1 owns this thread. Take or request control to reply.").arg(owner);
    m_composer->setOwnership(mine, ownerText);
}

void MainWindow::setTeamMode(const tract::team::TeamState *team) {
    m_team = team;
    const bool supervisor = team && team->isSupervisor();
    m_models.threads->setTeam(team);
    if (team && !m_teamModel) {
        m_teamModel = new tract::views::TeamModel(this);
        m_teamModel->setThreads(m_models.threads);
    }
    if (m_teamModel)
        m_teamModel->setTeam(team);

    m_board->setTeamMode(team, supervisor);
    // Supervisors drag threads from the list onto the team board as well.
    m_threadList->setDragEnabled(supervisor);
    m_threadList->setDragDropMode(supervisor ? QAbstractItemView::DragOnly
                                             : QAbstractItemView::NoDragDrop);

    // A supervisor's second page: the team over the ownership board, so a
    // thread drags from one to the other.
    const bool teamPageShown = m_teamPage && m_pages->indexOf(m_teamPage) >= 0;
    if (supervisor && !teamPageShown) {
        if (!m_teamPage) {
            m_teamPage = new QSplitter(Qt::Vertical, this);
            m_teamPage->setChildrenCollapsible(false);
            m_teamBoard = new TeamBoard(m_teamPage);
            m_teamBoard->setModel(m_teamModel);
            connect(m_teamBoard, &TeamBoard::assignRequested, this, &MainWindow::assignRequested);
            m_teamPage->addWidget(m_teamBoard);
        }
        const int boardIndex = m_pages->indexOf(m_board);
        const bool wasCurrent = m_pages->currentIndex() == boardIndex;
        m_pages->removeTab(boardIndex);
        m_teamPage->addWidget(m_board);
        m_board->show();
        m_teamPage->setStretchFactor(0, 2);
        m_teamPage->setStretchFactor(1, 3);
        m_pages->insertTab(boardIndex, m_teamPage, tr("&Team"));
        if (wasCurrent)
            m_pages->setCurrentIndex(boardIndex);
    } else if (!supervisor && teamPageShown) {
        const int teamIndex = m_pages->indexOf(m_teamPage);
        const bool wasCurrent = m_pages->currentIndex() == teamIndex;
        m_pages->removeTab(teamIndex);
        m_pages->insertTab(teamIndex, m_board, tr("&Ownership board"));
        if (wasCurrent)
            m_pages->setCurrentIndex(teamIndex);
    }
    m_boardAction->setText(supervisor ? tr("&Team board") : tr("&Ownership board"));

    const bool on = team != nullptr;
    // The hub owns the listener, the registration and TRACT's token: what
    // this console can tell about them is the hub connection.
    m_listenerLabel->setVisible(!on);
    m_reachLabel->setVisible(!on);
    m_hooksButton->setVisible(!on);
    m_hubLabel->setVisible(on);
    m_presence->setVisible(on);
    m_teamMenu->menuAction()->setVisible(on);
    m_awayAction->setVisible(on);
    m_assignAction->setVisible(supervisor);
    m_completeAction->setVisible(on);
    refreshComposerRefusal();
    updateTeamFilters();
    syncPresence();
    refreshThreadHeader();
}

void MainWindow::teamChanged() {
    if (!m_team)
        return;
    m_models.threads->teamChanged();
    if (m_teamModel)
        m_teamModel->teamChanged();
    updateTeamFilters();
    syncPresence();
    // The open thread may have just been assigned to this agent, or away from it.
    refreshComposerRefusal();
    refreshThreadHeader();
}

void MainWindow::refreshComposerRefusal() {
    if (m_userId.isEmpty())
        return;
    const QString name =
        m_models.threads->index(m_models.threads->rowOf({m_userId, m_conversation}), 0)
            .data(ThreadListModel::UserNameRole)
            .toString();
    setComposerRefusal(m_team ? m_team->refusalFor(m_userId, name.isEmpty() ? m_userId : name)
                              : QString());
}

void MainWindow::setComposerRefusal(const QString &reason) {
    m_composer->setRefusal(reason);
    updateTeamActions();
}

void MainWindow::setHubStatus(bool connected, const QString &text) {
    m_hubLabel->setText((connected ? QStringLiteral("● ") : QStringLiteral("○ ")) + text);
    m_hubLabel->setAccessibleDescription(text);
    m_hubLabel->setStyleSheet(connected ? QStringLiteral("color:#16a34a;")
                                        : QStringLiteral("color:#dc2626;"));
}

void MainWindow::updateTeamFilters() {
    using F = ThreadFilterModel::Filter;
    int mine = 0;
    int queued = 0;
    if (m_team) {
        const ThreadListModel *threads = m_models.threads;
        for (int r = 0; r < threads->rowCount(); ++r) {
            const tract::views::ThreadRow &row = threads->row(r);
            mine += ThreadFilterModel::accepts(row, F::Mine, {}, &m_team->me);
            queued += row.queued;
        }
    }
    const auto show = [this](F f, bool visible, const QString &text, const QString &name) {
        QAbstractButton *b = m_filterButtons->button(int(f));
        b->setHidden(!visible);
        b->setText(text);
        b->setAccessibleName(name);
    };
    const auto singleSeat = [this, &show](F f, bool visible) {
        const QAbstractButton *b = m_filterButtons->button(int(f));
        show(f, visible, b->property("singleSeatText").toString(),
             b->property("singleSeatName").toString());
    };
    if (m_team) {
        show(F::Mine, true, tr("Mine (%1)").arg(mine), tr("Show threads assigned to me"));
        show(F::Queue, true, tr("Queue (%1)").arg(queued), tr("Show the team's queue"));
        show(F::All, true, tr("All team"), tr("Show all the team's threads"));
        singleSeat(F::Waiting, false);
        singleSeat(F::Bot, false);
        singleSeat(F::Complete, true);
    } else {
        for (F f : {F::Mine, F::Waiting, F::Bot, F::All, F::Complete})
            singleSeat(f, true);
        singleSeat(F::Queue, false);
    }
    // A hidden filter cannot stay chosen: everything is the safe fallback.
    if (m_filterButtons->button(int(m_filter->filter()))->isHidden()) {
        m_filterButtons->button(int(F::All))->setChecked(true);
        m_filter->setFilter(F::All);
    }
}

void MainWindow::syncPresence() {
    if (!m_team)
        return;
    const auto it = m_team->agents.constFind(m_team->me);
    if (it == m_team->agents.cend() || it->presence == tract::team::Presence::Offline)
        return; // not connected yet: keep what the agent last chose
    const bool away = it->presence == tract::team::Presence::Away;
    m_presence->setCurrentIndex(away ? 1 : 0);
    m_awayAction->setChecked(away);
}

void MainWindow::updateTeamActions() {
    if (!m_completeAction)
        return; // the header is first drawn before the menus exist
    const bool open = !m_userId.isEmpty();
    // Completing is refused for the same reasons replying is.
    m_completeAction->setEnabled(m_team && open && m_composer->refusal().isEmpty());
    m_assignAction->setEnabled(m_team && m_team->isSupervisor() && open);
}

void MainWindow::assignViaMenu() {
    if (!m_board->canAssign() || m_userId.isEmpty())
        return;
    QMenu menu(this);
    menu.setAccessibleName(tr("Assign thread"));
    m_board->addAssignActions(&menu, m_userId);
    menu.exec(mapToGlobal(rect().center()));
}

QList<ShortcutsDialog::Entry> MainWindow::shortcutEntries() const {
    QList<QMenu *> menus;
    for (QAction *action : menuBar()->actions())
        if (action->menu())
            menus.append(action->menu());
    return ShortcutsDialog::menuEntries(menus) + ShortcutsDialog::keyEntries();
}

void MainWindow::selectRelativeThread(int delta) {
    const int rows = m_filter->rowCount();
    if (rows == 0)
        return;
    const int current =
        m_threadList->currentIndex().isValid() ? m_threadList->currentIndex().row() : -1;
    const int next = std::clamp(current + delta, 0, rows - 1);
    m_threadList->setCurrentIndex(m_filter->index(next, 0));
}

void MainWindow::passViaMenu() {
    if (m_userId.isEmpty())
        return;
    QMenu menu(this);
    const QString receivers[][2] = {
        {QStringLiteral("iva"), tr("Bot (iva): completes the conversation")},
        {QStringLiteral("sac"), tr("Haptik agent chat (sac)")}};
    for (const auto &r : receivers) {
        const QString id = r[0];
        menu.addAction(r[1], this, [this, id] { emit passRequested(m_userId, id); });
    }
    menu.exec(mapToGlobal(rect().center()));
}

} // namespace ui
