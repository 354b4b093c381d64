#pragma once

#include "models/tract/WireTypes.h"

#include <QList>
#include <QWidget>

class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace ui {

// Who may hold the open thread and who holds it now, with the three thread
// control calls. The panel only asks: the window makes the call, then reports
// back through setBusy() and showOutcome(), so a refusal is shown right here
// where the agent clicked, not in a status bar they may not look at.
class ThreadControlPanel : public QWidget {
    Q_OBJECT
public:
    explicit ThreadControlPanel(QWidget *parent = nullptr);

    // A new thread: forgets the listeners and the last outcome.
    void setThread(const QString &userId, const QString &myReceiverId);
    void setListeners(const QList<tract::Listener> &listeners);
    void setBusy(bool busy);
    // ok: "Control taken"; not ok: the refusal as TRACT gave it, e.g.
    // "TRACT refused: only primary receivers (iva, sac) may take control (take_not_allowed)".
    void showOutcome(bool ok, const QString &message);
    void clear();

    QString userId() const { return m_userId; }
    // The listener marked active, or empty.
    QString activeOwner() const;
    bool isBusy() const { return m_busy; }

public slots:
    // Opens the "Pass to…" menu under its button (the window's Ctrl+Shift+P).
    void showPassMenu();

signals:
    void takeRequested();
    void passRequested(const QString &receiverId);
    void requestRequested();
    void refreshRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void updateActions();
    void applyOutcomeColour();

    QString m_userId;
    QString m_me;
    QList<tract::Listener> m_listeners;
    bool m_busy = false;
    bool m_hasOutcome = false;
    bool m_outcomeOk = false;

    QLabel *m_subtitle;
    QToolButton *m_refresh;
    QListWidget *m_list;
    QPushButton *m_take;
    QPushButton *m_pass;
    QMenu *m_passMenu;
    QPushButton *m_request;
    QProgressBar *m_busyBar;
    QLabel *m_outcome;
};

} // namespace ui
