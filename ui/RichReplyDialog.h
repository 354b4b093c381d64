#pragma once

#include "models/hsl/Message.h"

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableWidget;
class QDialogButtonBox;

namespace ui {

// Builds a TEXT-with-quick-replies or BUTTON reply, checks it as TRACT will
// (hsl::validateForSending) and previews it with the conversation's renderer.
class RichReplyDialog : public QDialog {
    Q_OBJECT
public:
    explicit RichReplyDialog(const QString &initialText, QWidget *parent = nullptr);

    // The HSL to send; valid once the dialog was accepted.
    QJsonObject message() const;

private:
    hsl::Message build() const;
    void addRow(const QString &label = {}, int action = 0, const QString &value = {});
    void refresh();

    QComboBox *m_kind;
    QPlainTextEdit *m_text;
    QTableWidget *m_items;
    QLabel *m_preview;
    QLabel *m_issues;
    QDialogButtonBox *m_buttons;
};

} // namespace ui
