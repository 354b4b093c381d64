#include "ui/panels/SettingsDialog.h"

#include "ui/panels/Accents.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace ui {

namespace {

QGroupBox *group(const QString &title, QWidget *parent, QFormLayout **form) {
    auto *box = new QGroupBox(title, parent);
    *form = new QFormLayout(box);
    (*form)->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    (*form)->setRowWrapPolicy(QFormLayout::DontWrapRows);
    (*form)->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    return box;
}

void showError(QLabel *label, const QString &error) {
    label->setText(error);
    label->setVisible(!error.isEmpty());
}

} // namespace

SettingsDialog::SettingsDialog(QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("Settings"));

    QFormLayout *form = nullptr;
    QGroupBox *tract = group(tr("TRACT"), this, &form);
    m_tractUrl = addField(form, tr("TRACT &URL:"), tr("TRACT URL"), QStringLiteral("tractUrl"),
                          &m_tractUrlError);
    m_tractUrl->setPlaceholderText(QStringLiteral("https://tract.example.com"));
    m_clientId = addField(form, tr("&Client id:"), tr("Client id"), QStringLiteral("clientId"),
                          &m_clientIdError);
    m_token = addField(form, tr("&Token:"), tr("Token"), QStringLiteral("token"), nullptr);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setToolTip(tr("Leave empty to keep the stored token"));

    QGroupBox *listener = group(tr("Webhook listener"), this, &form);
    m_listenAddress = addField(form, tr("Listen &address:"), tr("Listen address"),
                               QStringLiteral("listenAddress"), &m_listenAddressError);
    m_listenAddress->setPlaceholderText(QStringLiteral("127.0.0.1"));
    m_listenPort = addField(form, tr("Listen &port:"), tr("Listen port"),
                            QStringLiteral("listenPort"), &m_listenPortError);
    m_listenPort->setPlaceholderText(tr("0 (any free port)"));
    m_listenPort->setMaxLength(5);
    m_publicUrl = addField(form, tr("Pu&blic URL:"), tr("Public URL"), QStringLiteral("publicUrl"),
                           &m_publicUrlError);
    m_publicUrl->setPlaceholderText(tr("Empty: the listen address"));
    m_publicUrl->setToolTip(tr("The address TRACT posts hooks to, when it differs from the "
                               "listen address (a tunnel or reverse proxy)"));
    m_hookSecret = addField(form, tr("Hook &secret:"), tr("Hook secret"),
                            QStringLiteral("hookSecret"), nullptr);
    m_hookSecret->setEchoMode(QLineEdit::Password);
    m_hookSecret->setToolTip(tr("Leave empty to keep the stored secret"));

    QGroupBox *agent = group(tr("Agent"), this, &form);
    m_receiverId = addField(form, tr("&Receiver id:"), tr("Receiver id"),
                            QStringLiteral("receiverId"), nullptr);
    m_receiverId->setPlaceholderText(tr("Empty: the client id"));
    m_agentName = addField(form, tr("&Display name:"), tr("Agent display name"),
                           QStringLiteral("agentName"), nullptr);
    m_agentName->setPlaceholderText(tr("Used in canned responses as {agent}"));

    auto *notifications = new QGroupBox(tr("Notifications"), this);
    m_notifyHandoff = new QCheckBox(
        tr("Desktop notification when the bot &hands a thread to agents"), notifications);
    m_notifyHandoff->setAccessibleName(tr("Notify on handoff"));
    m_notifyMessage = new QCheckBox(
        tr("Desktop notification for new &messages in my threads while the window is inactive"),
        notifications);
    m_notifyMessage->setAccessibleName(tr("Notify on new message"));
    m_sound = new QCheckBox(tr("Play a &sound with notifications"), notifications);
    m_sound->setAccessibleName(tr("Notification sound"));
    auto *notificationsLayout = new QVBoxLayout(notifications);
    notificationsLayout->addWidget(m_notifyHandoff);
    notificationsLayout->addWidget(m_notifyMessage);
    notificationsLayout->addWidget(m_sound);

    QGroupBox *history = group(tr("History"), this, &form);
    m_retainDays = new QSpinBox(this);
    m_retainDays->setObjectName(QStringLiteral("retainDays"));
    m_retainDays->setAccessibleName(tr("Delete completed conversations after days"));
    m_retainDays->setRange(0, ConsoleSettings::kMaxRetainDays);
    m_retainDays->setSpecialValueText(tr("Never: keep everything"));
    m_retainDays->setSuffix(tr(" days"));
    m_retainDays->setToolTip(tr("Completed conversations last active longer ago than this are "
                                "deleted in the background, with their events. Applies from the "
                                "next start; --retain-days overrides it."));
    auto *retainCaption = new QLabel(tr("Delete &completed conversations after:"), this);
    retainCaption->setBuddy(m_retainDays);
    m_captions << retainCaption;
    form->addRow(retainCaption, m_retainDays);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setAccessibleName(tr("Save settings"));
    m_buttons->button(QDialogButtonBox::Cancel)->setAccessibleName(tr("Cancel"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tract);
    layout->addWidget(listener);
    layout->addWidget(agent);
    layout->addWidget(notifications);
    layout->addWidget(history);
    layout->addStretch();
    layout->addWidget(m_buttons);

    // One label column width for every group, so the fields line up down the dialog.
    int labelWidth = 0;
    for (QLabel *caption : std::as_const(m_captions))
        labelWidth = qMax(labelWidth, caption->sizeHint().width());
    for (QLabel *caption : std::as_const(m_captions))
        caption->setMinimumWidth(labelWidth);

    for (QLineEdit *e : {m_tractUrl, m_clientId, m_listenAddress, m_listenPort, m_publicUrl})
        connect(e, &QLineEdit::textChanged, this, &SettingsDialog::validate);

    QEvent paletteChange(QEvent::PaletteChange);
    changeEvent(&paletteChange);
    setSettings(ConsoleSettings());
    setSecretsStored(false, false);
    setMinimumWidth(fontMetrics().averageCharWidth() * 80);
}

QLineEdit *SettingsDialog::addField(QFormLayout *form, const QString &label,
                                    const QString &accessibleName, const QString &objectName,
                                    QLabel **error) {
    auto *edit = new QLineEdit(this);
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    // The label is as tall as the line edit and pinned to the row's top, so it
    // stays level with the edit when an error line opens underneath.
    auto *caption = new QLabel(label, this);
    caption->setBuddy(edit);
    caption->setMinimumHeight(edit->sizeHint().height());
    caption->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_captions << caption;
    if (!error) {
        form->addRow(caption, edit);
        return edit;
    }
    // The error sits right under its field, in the error accent and a little
    // smaller, and takes no room while the field is valid.
    auto *field = new QWidget(this);
    auto *column = new QVBoxLayout(field);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addWidget(edit);
    auto *e = new QLabel(field);
    e->setObjectName(objectName + QStringLiteral("Error"));
    e->setTextFormat(Qt::PlainText);
    e->setWordWrap(true);
    e->setAccessibleName(tr("%1 error").arg(accessibleName));
    QFont f = e->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    e->setFont(f);
    e->hide();
    column->addWidget(e);
    form->addRow(caption, field);
    *error = e;
    return edit;
}

void SettingsDialog::setSettings(const ConsoleSettings &s) {
    m_tractUrl->setText(s.tractUrl);
    m_clientId->setText(s.clientId);
    m_listenAddress->setText(s.listenAddress);
    m_listenPort->setText(QString::number(s.listenPort));
    m_publicUrl->setText(s.publicUrl);
    m_receiverId->setText(s.receiverId);
    m_agentName->setText(s.agentName);
    m_notifyHandoff->setChecked(s.notifyOnHandoff);
    m_notifyMessage->setChecked(s.notifyOnMessageWhileUnfocused);
    m_sound->setChecked(s.sound);
    m_retainDays->setValue(s.retainDays);
    validate();
}

ConsoleSettings SettingsDialog::settings() const {
    ConsoleSettings s;
    s.tractUrl = m_tractUrl->text().trimmed();
    s.clientId = m_clientId->text().trimmed();
    s.listenAddress = m_listenAddress->text().trimmed();
    s.listenPort = quint16(m_listenPort->text().trimmed().toUInt());
    s.publicUrl = m_publicUrl->text().trimmed();
    s.receiverId = m_receiverId->text().trimmed();
    s.agentName = m_agentName->text().trimmed();
    s.notifyOnHandoff = m_notifyHandoff->isChecked();
    s.notifyOnMessageWhileUnfocused = m_notifyMessage->isChecked();
    s.sound = m_sound->isChecked();
    s.retainDays = m_retainDays->value();
    return s;
}

void SettingsDialog::setSecretsStored(bool token, bool hookSecret) {
    m_token->clear();
    m_hookSecret->clear();
    m_token->setPlaceholderText(token ? tr("Stored in keychain") : tr("Not set"));
    m_hookSecret->setPlaceholderText(hookSecret ? tr("Stored in keychain") : tr("Not set"));
}

bool SettingsDialog::isValid() const {
    return checkUrl(m_tractUrl->text(), true).isEmpty() &&
           checkClientId(m_clientId->text()).isEmpty() &&
           checkAddress(m_listenAddress->text()).isEmpty() &&
           checkPort(m_listenPort->text()).isEmpty() &&
           checkUrl(m_publicUrl->text(), false).isEmpty();
}

QString SettingsDialog::checkUrl(const QString &text, bool required) {
    const QString t = text.trimmed();
    if (t.isEmpty())
        return required ? tr("Enter a URL, such as https://tract.example.com") : QString();
    const QUrl url(t, QUrl::StrictMode);
    if (!url.isValid())
        return tr("This is not a valid URL");
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return tr("The URL must start with http:// or https://");
    if (url.host().isEmpty())
        return tr("The URL needs a host name, such as https://tract.example.com");
    return {};
}

QString SettingsDialog::checkPort(const QString &text) {
    const QString t = text.trimmed();
    if (t.isEmpty())
        return {}; // 0: any free port
    bool ok = false;
    const uint port = t.toUInt(&ok);
    if (!ok || port > 65535)
        return tr("The port must be a number from 0 to 65535 (0 picks a free port)");
    return {};
}

QString SettingsDialog::checkAddress(const QString &text) {
    const QString t = text.trimmed();
    if (t.isEmpty())
        return tr("Enter an address to listen on, such as 127.0.0.1 or 0.0.0.0");
    if (t == u"localhost")
        return {};
    QHostAddress address;
    if (!address.setAddress(t))
        return tr("Enter an IP address, such as 127.0.0.1, 0.0.0.0 or ::1");
    return {};
}

QString SettingsDialog::checkClientId(const QString &text) {
    return text.trimmed().isEmpty() ? tr("The client id is required") : QString();
}

void SettingsDialog::accept() {
    if (!isValid())
        return;
    // Only what was typed leaves the dialog; an empty field keeps the stored secret.
    if (!m_token->text().isEmpty())
        emit tokenEdited(m_token->text());
    if (!m_hookSecret->text().isEmpty())
        emit hookSecretEdited(m_hookSecret->text());
    m_token->clear();
    m_hookSecret->clear();
    QDialog::accept();
}

void SettingsDialog::changeEvent(QEvent *event) {
    QDialog::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    // The error accent has a light and a dark variant: follow the palette.
    for (QLabel *e : {m_tractUrlError, m_clientIdError, m_listenAddressError, m_listenPortError,
                      m_publicUrlError}) {
        QPalette pal = e->palette();
        pal.setColor(QPalette::WindowText, accents::error(palette()));
        e->setPalette(pal);
    }
}

void SettingsDialog::validate() {
    showError(m_tractUrlError, checkUrl(m_tractUrl->text(), true));
    showError(m_clientIdError, checkClientId(m_clientId->text()));
    showError(m_listenAddressError, checkAddress(m_listenAddress->text()));
    showError(m_listenPortError, checkPort(m_listenPort->text()));
    showError(m_publicUrlError, checkUrl(m_publicUrl->text(), false));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(isValid());
}

} // namespace ui
