#pragma once

#include <QDateTime>
#include <QWidget>
#include <functional>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace tract::views {
class ThreadFilterModel;
}
namespace tract::team {
struct TeamState;
}

namespace ui {

class BoardStateFilter;

// The supervisors' view of every thread: who owns it, since when, and how long
// the user has been waiting for an agent (live, fading to red over five minutes
// as in Haptik's console). Sorting and text search are the shared
// ThreadFilterModel's; the state filter sits on top because the board needs
// "with others", which the agent's thread list has no use for.
class OwnershipBoard : public QWidget {
    Q_OBJECT
public:
    // Index order of the state filter combo.
    enum StateFilter { AllStates, WaitingForAgent, WithMe, WithOthers, Bot, Complete };
    Q_ENUM(StateFilter)

    explicit OwnershipBoard(QWidget *parent = nullptr);
    ~OwnershipBoard() override;

    // Must be a tract::views::ThreadListModel (the filter reads its rows
    // directly); anything else is refused with a warning. Not owned.
    void setSourceModel(QAbstractItemModel *threads);

    void setStateFilter(StateFilter filter);
    StateFilter stateFilter() const;
    void setSearchText(const QString &text);

    // The clock the waiting times are measured against (tests pin it).
    void setClock(std::function<QDateTime()> now);

    // Team mode (nullptr: single seat): the Agent column shows. With
    // `canAssign` (supervisors) a thread row also has a context menu to assign
    // it to an agent or back to the queue, and rows can be dragged onto the
    // team board. The team is read, not owned.
    void setTeamMode(const tract::team::TeamState *team, bool canAssign);
    bool canAssign() const { return m_team && m_canAssign; }
    // Adds "Assign to ▸ (each agent with presence and load)" and "Back to the
    // queue" for `userId` to `menu`; the actions emit assignRequested. Nothing
    // is added unless canAssign().
    void addAssignActions(QMenu *menu, const QString &userId);

    QTableView *view() const { return m_view; }
    QAbstractItemModel *shownModel() const;
    QString countText() const;

    // "4 min 12 s", "45 s", "1 h 3 min": waiting times need the seconds that
    // the thread list's compact form leaves out, because they tick live.
    static QString formatWaiting(qint64 ms);

signals:
    void threadActivated(const QString &userId, const QString &conversationNumber);
    // A supervisor moved a thread: to `agent`, or back to the queue (empty).
    void assignRequested(const QString &userId, const QString &agent);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateCount();
    void fitColumns(bool reset);
    void showThreadMenu(const QPoint &viewportPos);

    tract::views::ThreadFilterModel *m_threads;
    BoardStateFilter *m_state;
    std::function<QDateTime()> m_now;
    const tract::team::TeamState *m_team = nullptr;
    bool m_canAssign = false;

    QComboBox *m_stateCombo;
    QLineEdit *m_search;
    QLabel *m_count;
    QTableView *m_view;
    QTimer *m_tick;
};

} // namespace ui
