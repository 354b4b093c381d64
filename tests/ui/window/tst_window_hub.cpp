// Three real consoles on one real hub: `tract-console --hub` and tract-sandbox
// as processes, and in this process the windows of two agents (Priya, Ravi)
// and a supervisor (Sam), each a WindowController over its own HubBackend, as
// `tract-console --hub-url` runs them. Driven as people would: a handoff is
// routed and shows in every window, the composer refuses on another agent's
// thread, the assignee takes control and replies, the supervisor drops the
// thread on another agent, and a reply typed while the hub is down goes out
// once after it is back.
#include "app/HubBackend.h"
#include "app/WindowController.h"
#include "models/store/Store.h"
#include "models/team/TeamTypes.h"
#include "models/views/ConversationModel.h"
#include "models/views/ThreadFilterModel.h"
#include "models/views/ThreadListModel.h"
#include "tests/support/SandboxProcess.h"
#include "ui/Composer.h"
#include "ui/MainWindow.h"
#include "ui/panels/TeamBoard.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListView>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using testsupport::SandboxProcess;
using tract::views::ThreadListModel;

namespace {

constexpr int kTimeout = 15000;

QString consoleBinary() {
    return qEnvironmentVariable("TRACT_CONSOLE_BIN");
}

QString addAgent(const QString &dataDir, const QString &name, const QString &role, int capacity) {
    QProcess p;
    p.start(consoleBinary(), {u"--data-dir"_s, dataDir, u"--hub-add-agent"_s, name, u"--role"_s,
                              role, u"--capacity"_s, QString::number(capacity)});
    p.waitForFinished(10000);
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

// `tract-console --hub` on a fixed data dir; restarts keep the port so the
// consoles' reconnects find it again.
class Hub {
public:
    bool start(const QUrl &tract, const QString &dataDir) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TRACT_TOKEN"_s, u"demo-token"_s);
        m_process.setProcessEnvironment(env);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(consoleBinary(),
                        {u"--hub"_s, u"--tract-url"_s, tract.toString(), u"--client-id"_s,
                         u"demo"_s, u"--data-dir"_s, dataDir, u"--hub-listen"_s,
                         u"127.0.0.1:"_s + QString::number(m_url.isValid() ? m_url.port() : 0)});
        QByteArray out;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 15000 && out.count("registered") < 15) {
            m_process.waitForReadyRead(200);
            out += m_process.readAllStandardOutput();
        }
        for (const QByteArray &line : out.split('\n'))
            if (line.startsWith("hub listening on "))
                m_url = QUrl(QString::fromUtf8(line.mid(17)));
        return m_url.isValid() && out.count("registered") == 15;
    }
    void kill() {
        m_process.kill();
        m_process.waitForFinished();
    }
    QUrl url() const { return m_url; }
    ~Hub() { kill(); }

private:
    QProcess m_process;
    QUrl m_url;
};

// One person's console, as main.cpp builds it for --hub-url.
struct Seat {
    std::unique_ptr<console::HubBackend> backend;
    std::unique_ptr<console::WindowController> controller;

    ui::MainWindow *window() const { return controller->window(); }
    const tract::team::TeamState &team() const { return *backend->team(); }
    const ThreadListModel *threads() const {
        return qobject_cast<const ThreadListModel *>(
            window()->findChild<tract::views::ThreadFilterModel *>()->sourceModel());
    }
    QModelIndex row(const QString &userId) const {
        const ThreadListModel *m = threads();
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->row(r).key.userId == userId)
                return m->index(r, 0);
        return {};
    }
    QString assignee(const QString &userId) const {
        return row(userId).data(ThreadListModel::AssigneeRole).toString();
    }
    QString hubStatus() const {
        for (QLabel *l : window()->findChildren<QLabel *>())
            if (l->accessibleName() == QLatin1String("Hub connection"))
                return l->text();
        return u"<no hub label>"_s;
    }
    // Messages of Asha's thread in this console's mirror with `text`.
    int mirrored(const QString &text) const {
        int n = 0;
        for (const auto &t : backend->store()->threads())
            if (t.key.userId == u"asha"_s)
                for (const auto &m : backend->store()
                                         ->messages(tract::store::MessageQuery::newest(t.key, 200))
                                         .messages)
                    n += m.body.value(u"text"_s).toString() == text;
        return n;
    }
    // Who this console says sent the reply `text` (empty: "You").
    QString authorOf(const QString &text) const {
        for (const auto &t : backend->store()->threads())
            for (const auto &m : backend->store()
                                     ->messages(tract::store::MessageQuery::newest(t.key, 200))
                                     .messages)
                if (m.body.value(u"text"_s).toString() == text)
                    return m.metadata
                               ? m.metadata->value(tract::store::kTeamAgentMetadataKey).toString()
                               : QString();
        return u"<no such message>"_s;
    }
    int outboxCount(tract::store::OutboxState state) const {
        tract::store::OutboxQuery q;
        q.state = state;
        return int(backend->store()->outboxItems(q).size());
    }
};

QPushButton *buttonNamed(QWidget *root, const QString &name) {
    for (QPushButton *b : root->findChildren<QPushButton *>())
        if (b->accessibleName() == name)
            return b;
    return nullptr;
}

int receivedWithText(const SandboxProcess &sandbox, const QString &text) {
    const QJsonArray messages =
        sandbox.state().value(u"received"_s).toObject().value(u"messages"_s).toArray();
    int n = 0;
    for (const QJsonValue &v : messages) {
        const QJsonObject m = v.toObject();
        QJsonValue body = m.value(u"message_body"_s);
        if (body.isString())
            body = QJsonDocument::fromJson(body.toString().toUtf8()).object();
        n += body.toObject().value(u"text"_s).toString() == text &&
             m.value(u"user_id"_s).toString() == u"asha"_s;
    }
    return n;
}

bool saveShot(QWidget *w, const QString &name) {
    const QString dir = QStringLiteral(TRACT_WINDOW_SHOT_DIR);
    QDir().mkpath(dir);
    const QPixmap shot = w->grab();
    return !shot.isNull() && shot.save(dir + u'/' + name + u".png"_s);
}

} // namespace

class TestWindowHub : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SandboxProcess m_sandbox;
    Hub m_hub;
    QHash<QString, QString> m_tokens;
    Seat m_priya, m_ravi, m_sam;

    bool open(Seat &seat, const QString &name) {
        seat.backend = std::make_unique<console::HubBackend>(m_hub.url(), m_tokens.value(name));
        QString error;
        if (!seat.backend->start(&error)) {
            qWarning() << error;
            return false;
        }
        QSignalSpy ready(seat.backend.get(), &console::HubBackend::ready);
        if (!ready.wait(kTimeout))
            return false;
        seat.controller = std::make_unique<console::WindowController>(seat.backend.get(), true);
        seat.controller->show();
        return QTest::qWaitForWindowExposed(seat.window());
    }

    // Clicks the user's row in the seat's thread list and waits until it is open.
    static void openThread(Seat &seat, const QString &userId) {
        QListView *list = nullptr;
        for (QListView *l : seat.window()->findChildren<QListView *>())
            if (qobject_cast<tract::views::ThreadFilterModel *>(l->model()))
                list = l;
        QVERIFY(list);
        const auto *filter = qobject_cast<tract::views::ThreadFilterModel *>(list->model());
        QModelIndex index;
        QTRY_VERIFY_WITH_TIMEOUT((index = filter->mapFromSource(seat.row(userId))).isValid(),
                                 kTimeout);
        list->scrollTo(index);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
        QTRY_COMPARE_WITH_TIMEOUT(seat.window()->currentUserId(), userId, kTimeout);
    }

    static void typeReply(Seat &seat, const QString &text) {
        ui::ComposerEdit *editor = seat.window()->composer()->editor();
        editor->setFocus();
        QTest::keyClicks(editor, text);
        QTest::keyClick(editor, Qt::Key_Return);
    }

private slots:
    void initTestCase() {
        QVERIFY2(!SandboxProcess::binary().isEmpty(), "TRACT_SANDBOX_BIN is not set");
        QVERIFY2(!consoleBinary().isEmpty(), "TRACT_CONSOLE_BIN is not set");
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"tract-console-test"_s);
        QCoreApplication::setApplicationName(u"test_window_hub"_s);
        QSettings().clear();
        QVERIFY(m_sandbox.start({u"--bot-delay"_s, u"50"_s, u"--user-reply-delay"_s, u"0"_s,
                                 u"--grant-delay"_s, u"200"_s}));
        const QString data = m_dir.filePath(u"hub"_s);
        m_tokens.insert(u"Priya"_s, addAgent(data, u"Priya"_s, u"agent"_s, 2));
        m_tokens.insert(u"Ravi"_s, addAgent(data, u"Ravi"_s, u"agent"_s, 2));
        m_tokens.insert(u"Sam"_s, addAgent(data, u"Sam"_s, u"supervisor"_s, 3));
        for (const QString &t : std::as_const(m_tokens))
            QCOMPARE(t.size(), 43);
        QVERIFY(m_hub.start(m_sandbox.baseUrl(), data));
        QVERIFY(open(m_sam, u"Sam"_s));
        QVERIFY(open(m_priya, u"Priya"_s));
        QVERIFY(open(m_ravi, u"Ravi"_s));
        QTRY_VERIFY_WITH_TIMEOUT(m_sam.hubStatus().contains(u"Hub: Sam (supervisor)"_s), kTimeout);
        QVERIFY(m_priya.hubStatus().contains(u"Hub: Priya (agent)"_s));
    }

    // Ravi goes away, so the handoff goes to Priya; every window then shows it
    // as Priya's, and only hers counts it under Mine.
    void handoffIsRoutedAndShownEverywhere() {
        emit m_ravi.window()->presenceRequested(u"away"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_sam.team().agents.value(u"Ravi"_s).presence,
                                  tract::team::Presence::Away, kTimeout);
        QCOMPARE(m_sandbox
                         .post(u"/sandbox/users"_s,
                               {{u"user_id"_s, u"asha"_s}, {u"user_name"_s, u"Asha Rao"_s}})
                         .status /
                     100,
                 2);
        QCOMPARE(
            m_sandbox
                    .post(u"/sandbox/messages"_s,
                          {{u"user_id"_s, u"asha"_s}, {u"text"_s, u"I want to talk to an agent"_s}})
                    .status /
                100,
            2);
        QTRY_COMPARE_WITH_TIMEOUT(m_priya.assignee(u"asha"_s), u"Priya"_s, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_sam.assignee(u"asha"_s), u"Priya"_s, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_ravi.assignee(u"asha"_s), u"Priya"_s, kTimeout);
        QVERIFY(m_priya.row(u"asha"_s).data(ThreadListModel::AssignedToMeRole).toBool());
        QVERIFY(!m_ravi.row(u"asha"_s).data(ThreadListModel::AssignedToMeRole).toBool());
        const auto mineButton = [](const Seat &s) {
            for (QAbstractButton *b : s.window()->findChildren<QAbstractButton *>())
                if (b->text().startsWith(u"Mine"_s))
                    return b->text();
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(mineButton(m_priya), u"Mine (1)"_s, kTimeout);
        QCOMPARE(mineButton(m_ravi), u"Mine (0)"_s);
    }

    // Ravi's composer refuses with the reason; Priya takes control and replies.
    void refusalThenTheAssigneeReplies() {
        openThread(m_ravi, u"asha"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_ravi.window()->composer()->refusal().contains(u"Priya"_s),
                                 kTimeout);

        openThread(m_priya, u"asha"_s);
        QVERIFY(m_priya.window()->composer()->refusal().isEmpty());
        QPushButton *take = buttonNamed(m_priya.window()->composer(), u"Take control"_s);
        QVERIFY(take);
        QTRY_VERIFY_WITH_TIMEOUT(take->isVisible(), kTimeout);
        QTest::mouseClick(take, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_priya.window()->composer()->editor()->isReadOnly(), kTimeout);

        const QString text = u"Hi Asha, Priya here. Let me look at your order."_s;
        typeReply(m_priya, text);
        QTRY_COMPARE_WITH_TIMEOUT(receivedWithText(m_sandbox, text), 1, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_priya.outboxCount(tract::store::OutboxState::Sent), 1,
                                  kTimeout);
        QTest::qWait(300);
        QCOMPARE(m_priya.mirrored(text), 1); // her own, not also the hub's copy of it
        QTRY_COMPARE_WITH_TIMEOUT(m_sam.mirrored(text), 1, kTimeout);
        // The supervisor sees the reply in the thread, as sent by the agent.
        openThread(m_sam, u"asha"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto page =
                    m_sam.backend->store()->messages(tract::store::MessageQuery::newest(
                        {u"asha"_s, m_sam.window()->currentConversation()}));
                for (const auto &m : page.messages)
                    if (m.body.value(u"text"_s).toString() == text && m.sender == u"aeu"_s)
                        return true;
                return false;
            }(),
            kTimeout);
    }

    // Sam drops Asha's thread on Ravi's row: Ravi may now reply, Priya not.
    void supervisorMovesTheThreadByDrop() {
        emit m_ravi.window()->presenceRequested(u"online"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_sam.team().agents.value(u"Ravi"_s).presence,
                                  tract::team::Presence::Online, kTimeout);
        ui::TeamBoard *board = m_sam.window()->teamBoard();
        QVERIFY(board);
        QMimeData mime;
        mime.setData(ThreadListModel::kThreadMimeType,
                     QJsonDocument(QJsonArray{QJsonObject{{u"user_id"_s, u"asha"_s},
                                                          {u"conversation_no"_s,
                                                           m_sam.window()->currentConversation()}}})
                         .toJson(QJsonDocument::Compact));
        QCOMPARE(board->dropThreads(&mime, u"Ravi"_s), 1);
        QTRY_COMPARE_WITH_TIMEOUT(m_ravi.assignee(u"asha"_s), u"Ravi"_s, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_ravi.window()->composer()->refusal().isEmpty(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_priya.window()->composer()->refusal().contains(u"Ravi"_s),
                                 kTimeout);
        QVERIFY(m_priya.window()->composer()->editor()->isReadOnly());
    }

    // kill -9 of the hub: every window says it is reconnecting; Ravi's reply
    // typed meanwhile waits, then reaches TRACT once after the restart.
    void replyTypedWhileTheHubIsDownGoesOutOnce() {
        m_hub.kill();
        QTRY_VERIFY_WITH_TIMEOUT(m_ravi.hubStatus().contains(u"Reconnecting…"_s), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_sam.hubStatus().contains(u"Reconnecting…"_s), kTimeout);
        const QString text = u"Ravi here, I have your order in front of me."_s;
        QVERIFY(!m_ravi.window()->composer()->editor()->isReadOnly());
        typeReply(m_ravi, text);
        QTRY_COMPARE_WITH_TIMEOUT(m_ravi.outboxCount(tract::store::OutboxState::Pending), 1,
                                  kTimeout);
        QCOMPARE(m_ravi.backend->unsentReplies(), 1);
        QTest::qWait(500);
        QCOMPARE(receivedWithText(m_sandbox, text), 0);

        QVERIFY(m_hub.start(m_sandbox.baseUrl(), m_dir.filePath(u"hub"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(m_ravi.hubStatus().contains(u"Hub: Ravi (agent)"_s), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(receivedWithText(m_sandbox, text), 1, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_ravi.outboxCount(tract::store::OutboxState::Sent), 1, kTimeout);
        QCOMPARE(m_ravi.backend->unsentReplies(), 0);
        QTest::qWait(1000); // nothing more may follow
        QCOMPARE(receivedWithText(m_sandbox, text), 1);
        QCOMPARE(m_ravi.mirrored(text), 1);
        QCOMPARE(m_sam.mirrored(text), 1);
        // Each window names the agent who wrote a reply; its own are "You".
        QCOMPARE(m_ravi.authorOf(text), QString());
        QCOMPARE(m_sam.authorOf(text), u"Ravi"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_priya.authorOf(text), u"Ravi"_s, kTimeout);
        // The supervisor's view survived the restart: still Ravi's.
        QCOMPARE(m_sam.assignee(u"asha"_s), u"Ravi"_s);
    }

    void screenshots() {
        auto *pages = m_sam.window()->findChild<QTabWidget *>();
        QVERIFY(pages);
        pages->setCurrentIndex(1);
        QApplication::processEvents();
        QVERIFY(saveShot(m_sam.window(), u"hub-supervisor-team"_s));
        QVERIFY(saveShot(m_priya.window(), u"hub-agent-refused"_s));
        QVERIFY(saveShot(m_ravi.window(), u"hub-agent-assigned"_s));
    }

    void cleanupTestCase() {
        for (Seat *s : {&m_priya, &m_ravi, &m_sam}) {
            s->controller.reset();
            s->backend.reset();
        }
    }
};

QTEST_MAIN(TestWindowHub)
#include "tst_window_hub.moc"
