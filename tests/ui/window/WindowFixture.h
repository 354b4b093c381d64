#pragma once

// One agent's setup for the window tests: a real tract-sandbox process, the real
// console core in-process (its own SQLite store in a temporary directory) and
// the real window on top, shown offscreen. Helpers look at the window the way
// an agent does: the thread list's rows, the composer, the side panels.

#include "SandboxProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QModelIndex>
#include <QStringList>
#include <QTemporaryDir>
#include <memory>

class QAbstractItemModel;
class QListView;
class QPushButton;
class QWidget;

namespace console {
class ConsoleCore;
class LocalBackend;
class WindowController;
} // namespace console

namespace ui {
class MainWindow;
}

namespace tract::views {
class ConversationModel;
}

namespace windowtest {

using testsupport::SandboxProcess;

// Quick bot, silent simulated users, quick grants.
QStringList fastSandboxArgs();

class Fixture {
public:
    Fixture();
    ~Fixture();

    // Starts the sandbox with `sandboxArgs`, the core against it and the
    // window; waits until every hook is registered. False with `error` set.
    bool start(const QStringList &sandboxArgs, QString *error);
    // Stops the sandbox process; restart() brings one up on the same port.
    void stopSandbox();
    bool restartSandbox(QString *error);

    SandboxProcess &sandbox() { return m_sandbox; }
    console::ConsoleCore *core() const { return m_core.get(); }
    ui::MainWindow *window() const;

    // Control API: a user (owned by the bot) who writes `text`; owner changes.
    bool userWrites(const QString &userId, const QString &userName, const QString &text);
    bool createUser(const QString &userId, const QString &userName);
    bool setSandboxOwner(const QString &userId, const QString &receiver);
    // The sandbox's view: who owns the user, what the console sent.
    QString sandboxOwner(const QString &userId) const;
    QJsonArray receivedMessages() const;
    QJsonObject lastReceivedMessage() const;

    // The window's thread list.
    QListView *threadList() const;
    QModelIndex threadIndex(const QString &userId) const; // in the list's (filtered) model
    int threadState(const QString &userId) const;         // int(ThreadState), -1 not listed
    QString threadOwner(const QString &userId) const;
    // The owner the ownership board shows for the user's row, or "<missing>".
    QString boardOwner(const QString &userId) const;

    tract::views::ConversationModel *conversation() const;
    int lastOutgoingRow() const; // -1 when none
    // For a failure message: what the open conversation holds against the store.
    QString conversationDiagnosis() const;
    // The event feed's rows for the open user: "category/kind" each.
    QStringList feedKinds() const;
    // The raw JSON the feed has for the newest row of `category`/`kind`.
    QString feedRawJson(const QString &category, const QString &kind) const;

    // Widgets by accessible name (what a screen reader would announce).
    QPushButton *button(QWidget *root, const QString &accessibleName) const;
    void showSideTab(QWidget *panel) const; // clicks the panel's tab

private:
    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    QStringList m_sandboxArgs;
    quint16 m_port = 0;
    std::unique_ptr<console::ConsoleCore> m_core;
    std::unique_ptr<console::LocalBackend> m_backend;
    std::unique_ptr<console::WindowController> m_controller;
};

// The HSL body TRACT received for a sent message: serialized JSON in a string.
QJsonObject bodyOf(const QJsonObject &receivedMessage);

} // namespace windowtest
