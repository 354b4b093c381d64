#pragma once

#include <QFrame>
#include <QString>

class QLabel;
class QPushButton;

namespace ui {

// The window's own notification, for desktops with neither a tray nor a
// notification server: a strip above the views with what happened, Open (the
// thread it is about) and Dismiss. A newer alert replaces the shown one and
// says how many came in since it was last dismissed. Screen readers hear it
// as an alert.
class AlertBanner : public QFrame {
    Q_OBJECT
public:
    explicit AlertBanner(QWidget *parent = nullptr);

    // `userId` empty: no Open button.
    void showAlert(const QString &title, const QString &body, const QString &userId);
    QString title() const;
    QString body() const;
    int pendingCount() const { return m_count; }

signals:
    void openRequested(const QString &userId);

private:
    void dismiss();

    QLabel *m_title = nullptr;
    QLabel *m_body = nullptr;
    QLabel *m_more = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_dismiss = nullptr;
    QString m_userId;
    int m_count = 0;
};

} // namespace ui
