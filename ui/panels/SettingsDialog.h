#pragma once

#include "ui/panels/ConsoleSettings.h"

#include <QDialog>
#include <QList>

class QCheckBox;
class QSpinBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace ui {

// Edits ConsoleSettings and, separately, the two secrets. The secrets never
// come back into the dialog in clear: their fields start empty with a
// "stored in keychain" placeholder, and only a typed value is handed out
// (tokenEdited / hookSecretEdited on OK) for the app to put in the keychain.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget *parent = nullptr);

    void setSettings(const ConsoleSettings &settings);
    ConsoleSettings settings() const;
    // Whether the keychain already holds each secret (decides the placeholder).
    void setSecretsStored(bool token, bool hookSecret);

    bool isValid() const;

    // Each returns the error to show, or an empty string when the text is fine.
    static QString checkUrl(const QString &text, bool required);
    static QString checkPort(const QString &text);
    static QString checkAddress(const QString &text);
    static QString checkClientId(const QString &text);

    void accept() override;

signals:
    void tokenEdited(const QString &token);
    void hookSecretEdited(const QString &secret);

protected:
    void changeEvent(QEvent *event) override;

private:
    QLineEdit *addField(QFormLayout *form, const QString &label, const QString &accessibleName,
                        const QString &objectName, QLabel **error);
    void validate();

    QLineEdit *m_tractUrl;
    QLineEdit *m_clientId;
    QLineEdit *m_token;
    QLineEdit *m_listenAddress;
    QLineEdit *m_listenPort;
    QLineEdit *m_publicUrl;
    QLineEdit *m_hookSecret;
    QLineEdit *m_receiverId;
    QLineEdit *m_agentName;
    QCheckBox *m_notifyHandoff;
    QCheckBox *m_notifyMessage;
    QCheckBox *m_sound;
    QSpinBox *m_retainDays;

    QLabel *m_tractUrlError = nullptr;
    QLabel *m_clientIdError = nullptr;
    QLabel *m_listenAddressError = nullptr;
    QLabel *m_listenPortError = nullptr;
    QLabel *m_publicUrlError = nullptr;

    QDialogButtonBox *m_buttons;
    QList<QLabel *> m_captions;
};

} // namespace ui
