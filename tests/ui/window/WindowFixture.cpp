#include "WindowFixture.h"

#include "app/ConsoleCore.h"
#include "app/LocalBackend.h"
#include "app/WindowController.h"
#include "models/store/Store.h"
#include "models/views/ConversationModel.h"
#include "models/views/EventFeedModel.h"
#include "models/views/ThreadListModel.h"
#include "network/registration/HookRegistrar.h"
#include "ui/ConversationView.h"
#include "ui/MainWindow.h"
#include "ui/panels/EventFeedPanel.h"
#include "ui/panels/OwnershipBoard.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QListView>
#include <QPushButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

namespace windowtest {

using namespace Qt::StringLiterals;
using tract::views::ThreadListModel;

QStringList fastSandboxArgs() {
    return {u"--bot-delay"_s,   u"50"_s, u"--user-reply-delay"_s, u"0"_s,
            u"--grant-delay"_s, u"200"_s};
}

Fixture::Fixture() = default;

Fixture::~Fixture() {
    m_controller.reset();
    m_backend.reset();
    if (m_core)
        m_core->stop();
    m_core.reset();
    m_sandbox.stop();
}

bool Fixture::start(const QStringList &sandboxArgs, QString *error) {
    if (!m_dir.isValid()) {
        *error = u"no temporary directory"_s;
        return false;
    }
    m_sandboxArgs = sandboxArgs;
    if (!m_sandbox.start(sandboxArgs)) {
        *error = m_sandbox.errorString();
        return false;
    }
    m_port = m_sandbox.port();

    console::ConsoleCore::Settings settings;
    settings.tractUrl = m_sandbox.baseUrl();
    settings.clientId = u"demo"_s;
    settings.token = u"demo-token"_s;
    settings.receiverId = u"demo"_s;
    settings.dataDir = m_dir.path();
    settings.pathSecret = u"test-secret"_s;
    m_core = std::make_unique<console::ConsoleCore>(settings);
    if (!m_core->start(error))
        return false;
    m_backend = std::make_unique<console::LocalBackend>(m_core.get());
    m_controller = std::make_unique<console::WindowController>(m_backend.get(), true);
    m_controller->show();
    if (!QTest::qWaitForWindowExposed(window())) {
        *error = u"the window was never exposed"_s;
        return false;
    }
    QDeadlineTimer deadline(15000);
    while (m_core->registrar()->registeredCount() < 15 && !deadline.hasExpired())
        QTest::qWait(20);
    if (m_core->registrar()->registeredCount() < 15) {
        *error = u"only %1 hooks registered"_s.arg(m_core->registrar()->registeredCount());
        return false;
    }
    return true;
}

void Fixture::stopSandbox() {
    m_sandbox.stop();
}

bool Fixture::restartSandbox(QString *error) {
    if (!m_sandbox.start(m_sandboxArgs +
                         QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(m_port)})) {
        *error = m_sandbox.errorString();
        return false;
    }
    if (m_sandbox.port() != m_port) {
        *error = u"restarted on port %1, not %2"_s.arg(m_sandbox.port()).arg(m_port);
        return false;
    }
    return true;
}

ui::MainWindow *Fixture::window() const {
    return m_controller ? m_controller->window() : nullptr;
}

bool Fixture::createUser(const QString &userId, const QString &userName) {
    const int status =
        m_sandbox.post(u"/sandbox/users"_s, {{u"user_id"_s, userId}, {u"user_name"_s, userName}})
            .status;
    return status == 201 || status == 200;
}

bool Fixture::userWrites(const QString &userId, const QString &userName, const QString &text) {
    if (!createUser(userId, userName))
        return false;
    return m_sandbox.post(u"/sandbox/messages"_s, {{u"user_id"_s, userId}, {u"text"_s, text}})
               .status < 300;
}

bool Fixture::setSandboxOwner(const QString &userId, const QString &receiver) {
    return m_sandbox.post(u"/sandbox/owner"_s, {{u"user_id"_s, userId}, {u"receiver"_s, receiver}})
               .status == 200;
}

QString Fixture::sandboxOwner(const QString &userId) const {
    const QJsonArray users = m_sandbox.state().value(u"users"_s).toArray();
    for (const QJsonValue &v : users) {
        if (v.toObject().value(u"user_id"_s).toString() == userId)
            return v.toObject().value(u"owner"_s).toString();
    }
    return u"<no such user>"_s;
}

QJsonArray Fixture::receivedMessages() const {
    return m_sandbox.state().value(u"received"_s).toObject().value(u"messages"_s).toArray();
}

QJsonObject Fixture::lastReceivedMessage() const {
    const QJsonArray all = receivedMessages();
    return all.isEmpty() ? QJsonObject() : all.last().toObject();
}

QListView *Fixture::threadList() const {
    const auto lists = window()->findChildren<QListView *>();
    for (QListView *list : lists) {
        if (list->accessibleName() == QLatin1String("Threads"))
            return list;
    }
    return nullptr;
}

QModelIndex Fixture::threadIndex(const QString &userId) const {
    QListView *list = threadList();
    if (!list)
        return {};
    const QAbstractItemModel *model = list->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(ThreadListModel::UserIdRole).toString() == userId)
            return index;
    }
    return {};
}

int Fixture::threadState(const QString &userId) const {
    const QModelIndex index = threadIndex(userId);
    return index.isValid() ? index.data(ThreadListModel::StateRole).toInt() : -1;
}

QString Fixture::threadOwner(const QString &userId) const {
    return threadIndex(userId).data(ThreadListModel::OwnerRole).toString();
}

QString Fixture::boardOwner(const QString &userId) const {
    const QAbstractItemModel *model = window()->ownershipBoard()->shownModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(ThreadListModel::UserIdRole).toString() == userId)
            return model->index(row, ThreadListModel::OwnerColumn).data().toString();
    }
    return u"<missing>"_s;
}

tract::views::ConversationModel *Fixture::conversation() const {
    return window()->conversationView()->model();
}

int Fixture::lastOutgoingRow() const {
    const auto *model = conversation();
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        if (model->messageAt(row).direction == tract::store::Direction::Out)
            return row;
    }
    return -1;
}

QString Fixture::conversationDiagnosis() const {
    const auto *model = conversation();
    const auto key = model->thread();
    const auto stored = m_core->store()->thread(key);
    return QStringLiteral("open %1/%2 (thread %3): %4 rows; store: %5 messages; window on %6/%7")
        .arg(key.userId, key.conversationNumber)
        .arg(model->threadId())
        .arg(model->rowCount())
        .arg(stored ? stored->messageCount : -1)
        .arg(window()->currentUserId(), window()->currentConversation());
}

QStringList Fixture::feedKinds() const {
    const QAbstractItemModel *model = window()->eventPanel()->view()->model();
    QStringList kinds;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        kinds << index.data(tract::views::EventFeedModel::CategoryRole).toString() + u'/' +
                     index.data(tract::views::EventFeedModel::KindRole).toString();
    }
    return kinds;
}

QString Fixture::feedRawJson(const QString &category, const QString &kind) const {
    const QAbstractItemModel *model = window()->eventPanel()->view()->model();
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(tract::views::EventFeedModel::CategoryRole).toString() == category &&
            index.data(tract::views::EventFeedModel::KindRole).toString() == kind)
            return index.data(tract::views::EventFeedModel::RawJsonRole).toString();
    }
    return {};
}

QPushButton *Fixture::button(QWidget *root, const QString &accessibleName) const {
    const auto buttons = root->findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->accessibleName() == accessibleName)
            return b;
    }
    return nullptr;
}

void Fixture::showSideTab(QWidget *panel) const {
    for (QWidget *w = panel->parentWidget(); w; w = w->parentWidget()) {
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            const int index = tabs->indexOf(panel);
            if (index < 0)
                continue;
            // Click the tab itself, as an agent would.
            QTabBar *bar = tabs->tabBar();
            QTest::mouseClick(bar, Qt::LeftButton, {}, bar->tabRect(index).center());
            return;
        }
    }
}

QJsonObject bodyOf(const QJsonObject &receivedMessage) {
    const QJsonValue body = receivedMessage.value(u"message_body"_s);
    return body.isString() ? QJsonDocument::fromJson(body.toString().toUtf8()).object()
                           : QJsonObject();
}

} // namespace windowtest
