#pragma once

#include "models/team/TeamTypes.h"

#include <QIcon>
#include <QWidget>

class QLabel;
class QMimeData;
class QTableView;
class QTimer;

namespace tract::views {
class TeamModel;
}

namespace ui {

class TeamTable;
class QueueDropTarget;

// The supervisors' view of the agents: presence, load against capacity, the
// threads each holds and the longest wait among them, plus the queue. A thread
// dragged from the ownership board or the thread list onto an agent's row (or
// onto the queue) asks for it to be moved there; the hub decides, and the
// board shows what the team model then says.
class TeamBoard : public QWidget {
    Q_OBJECT
public:
    explicit TeamBoard(QWidget *parent = nullptr);
    ~TeamBoard() override;

    // Not owned.
    void setModel(tract::views::TeamModel *model);
    tract::views::TeamModel *model() const { return m_model; }
    // Read-only: no drops (an agent looking at the team).
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    QTableView *view() const;
    QWidget *queueTarget() const;
    QString summaryText() const;
    QString queueText() const;

    // Threads (ThreadListModel::kThreadMimeType) dropped on `agent`, or on the
    // queue when empty: one assignRequested per thread not already there.
    // Returns how many were requested.
    int dropThreads(const QMimeData *mime, const QString &agent);

    static QColor presenceColour(tract::team::Presence presence, const QPalette &palette);
    // A dot of the presence colour, for menus and lists.
    static QIcon presenceIcon(tract::team::Presence presence, const QPalette &palette);

signals:
    void assignRequested(const QString &userId, const QString &agent);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateSummary();
    void fitColumns();

    tract::views::TeamModel *m_model = nullptr;
    bool m_readOnly = false;
    QLabel *m_title;
    QLabel *m_summary;
    QueueDropTarget *m_queue;
    TeamTable *m_view;
    QTimer *m_tick;
};

} // namespace ui
