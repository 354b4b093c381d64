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

    // Four lines of reply where the screen has room, two on a short one
    // (1280×720 at 200 % is 360 px tall), where the conversation needs it.
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

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
    // Team mode: why this agent may not reply to the open thread ("Asha Rao's
    // thread is assigned to Priya."), shown in place of the ownership banner
    // with everything that writes disabled; wins over setOwnership(). Empty:
    // the composer works as ownership says.
    void setRefusal(const QString &reason);
    QString refusal() const { return m_refusal; }
    void insertText(const QString &text);
    void clear();
    QString text() const;
    ComposerEdit *editor() const { return m_edit; }

signals:
    // A validated HSL message (TEXT, or what the rich reply builder made).
    void sendRequested(const QJsonObject &hsl);
    void takeControlRequested();
    void cannedRequested(const QPoint &globalPos, const QString &filter);

protected:
    void changeEvent(QEvent *event) override;

private:
    void submit();
    void openRichReply();
    void applyState();
    void colourRefusal();

    bool m_mine = false;
    QString m_refusal;
    QLabel *m_refusalLabel;
    QWidget *m_banner;
    QLabel *m_bannerText;
    QPushButton *m_takeButton;
    ComposerEdit *m_edit;
    QPushButton *m_richButton;
    QPushButton *m_sendButton;
    QLabel *m_error;
};

} // namespace ui
