#pragma once

#include <QJsonObject>
#include <QPlainTextEdit>
#include <QWidget>

class QLabel;
class QPushButton;

namespace ui {

// The text box: Enter sends, Shift+Enter starts a new line, and `/` at the
// start asks for canned responses.
class ComposerEdit : public QPlainTextEdit {
    Q_OBJECT
public:
    using QPlainTextEdit::QPlainTextEdit;

signals:
    void submitted();
    void cannedRequested(const QString &filter);

protected:
    void keyPressEvent(QKeyEvent *event) override;
};

// Where the agent writes. When this console does not own the thread it says
// who does and offers Take control instead of a dead text box.
class Composer : public QWidget {
    Q_OBJECT
public:
    explicit Composer(QWidget *parent = nullptr);

    // `mine`: this console owns the thread; otherwise `ownerText` says who does.
    void setOwnership(bool mine, const QString &ownerText);
    void setThreadAvailable(bool available);
    void insertText(const QString &text);
    void clear();
    QString text() const;
    ComposerEdit *editor() const { return m_edit; }

signals:
    // A validated HSL message (TEXT, or what the rich reply builder made).
    void sendRequested(const QJsonObject &hsl);
    void takeControlRequested();
    void cannedRequested(const QPoint &globalPos, const QString &filter);

private:
    void submit();
    void openRichReply();

    QWidget *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_takeButton;
    ComposerEdit *m_edit;
    QPushButton *m_richButton;
    QPushButton *m_sendButton;
    QLabel *m_error;
};

} // namespace ui
