#include "network/hub/HubClient.h"

#include "models/common/Logging.h"
#include "network/hub/HubProtocol.h"

#include <QJsonDocument>
#include <QUuid>
#include <QWebSocket>
#include <algorithm>

namespace tract::hub {

namespace {
constexpr int kFirstRetryMs = 250;
constexpr int kMaxRetryMs = 10'000;

QString compact(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
} // namespace

HubClient::HubClient(const QUrl &url, const QString &token, QObject *parent)
    : QObject(parent)
    , m_url(url)
    , m_token(token) {
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &HubClient::connectNow);
}

HubClient::~HubClient() {
    stop();
}

void HubClient::start(qint64 resumeFrom) {
    m_lastSeq = resumeFrom;
    m_backoffMs = 0;
    connectNow();
}

void HubClient::stop() {
    m_retry.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
    setState(State::Disconnected);
}

void HubClient::setState(State s) {
    if (m_state == s)
        return;
    m_state = s;
    emit stateChanged(s);
}

void HubClient::connectNow() {
    if (m_socket)
        m_socket->deleteLater();
    m_welcomed = false;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(64) * 1024 * 1024); // snapshots are big
    connect(m_socket, &QWebSocket::connected, this, [this] {
        m_socket->sendTextMessage(compact({{QStringLiteral("type"), QStringLiteral("hello")},
                                           {QStringLiteral("token"), m_token},
                                           {QStringLiteral("resume_from"), m_lastSeq}}));
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, &HubClient::onText);
    connect(m_socket, &QWebSocket::disconnected, this, &HubClient::onDisconnected);
    if (m_state != State::Reconnecting)
        setState(State::Connecting);
    m_socket->open(m_url);
}

void HubClient::onText(const QString &text) {
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(QLatin1String("type")).toString();
    if (type == QLatin1String("event")) {
        const qint64 seq = frame.value(QLatin1String("seq")).toInteger();
        if (seq <= m_lastSeq)
            return; // seen before a reconnect
        if (seq != m_lastSeq + 1)
            qCWarning(lcHub) << "hub event" << seq << "after" << m_lastSeq;
        m_lastSeq = seq;
        emit eventReceived(frame);
    } else if (type == QLatin1String("result")) {
        const QString id = frame.value(QLatin1String("id")).toString();
        if (frame.value(QLatin1String("ok")).toBool() ||
            !frame.contains(QLatin1String("retry_after_ms"))) {
            m_pending.erase(std::remove_if(m_pending.begin(), m_pending.end(),
                                           [&](const QJsonObject &c) {
                                               return c.value(QLatin1String("id")) == id;
                                           }),
                            m_pending.end());
            m_written.remove(id);
            emit resultReceived(id, frame);
        } else {
            // Over the rate limit: not carried out; send it again later.
            const int wait = frame.value(QLatin1String("retry_after_ms")).toInt();
            QTimer::singleShot(wait, this, [this, id] {
                for (const QJsonObject &c : std::as_const(m_pending))
                    if (c.value(QLatin1String("id")) == id && m_welcomed)
                        write(c);
            });
        }
    } else if (type == QLatin1String("welcome")) {
        m_welcomed = true;
        m_backoffMs = 0;
        setState(State::Connected);
        emit welcomed(frame);
        for (const QJsonObject &c : std::as_const(m_pending))
            write(c);
    } else if (type == QLatin1String("snapshot")) {
        m_lastSeq = frame.value(QLatin1String("seq")).toInteger();
        emit snapshotReceived(frame);
    } else if (type == QLatin1String("error")) {
        emit errorReceived(frame.value(QLatin1String("error")).toString());
    }
}

void HubClient::onDisconnected() {
    const auto code = m_socket->closeCode();
    const QString reason = m_socket->closeReason();
    m_welcomed = false;
    if (int(code) == int(protocol::NotAuthenticated)) {
        setState(State::Refused);
        emit refused(reason);
        return;
    }
    m_backoffMs = m_backoffMs == 0 ? kFirstRetryMs : std::min(m_backoffMs * 2, kMaxRetryMs);
    setState(State::Reconnecting);
    m_retry.start(m_backoffMs);
}

QString HubClient::send(const QString &action, QJsonObject fields, QString id) {
    if (id.isEmpty())
        id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    fields.insert(QStringLiteral("type"), QStringLiteral("command"));
    fields.insert(QStringLiteral("id"), id);
    fields.insert(QStringLiteral("action"), action);
    m_pending.append(fields);
    if (m_welcomed)
        write(fields);
    return id;
}

void HubClient::write(const QJsonObject &command) {
    m_written.insert(command.value(QLatin1String("id")).toString());
    m_socket->sendTextMessage(compact(command));
}

bool HubClient::withdraw(const QString &id) {
    if (m_written.contains(id))
        return false;
    const auto it = std::find_if(m_pending.begin(), m_pending.end(), [&](const QJsonObject &c) {
        return c.value(QLatin1String("id")) == id;
    });
    if (it == m_pending.end())
        return false;
    m_pending.erase(it);
    return true;
}

} // namespace tract::hub
