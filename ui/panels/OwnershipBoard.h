#pragma once

#include <QDateTime>
#include <QWidget>
#include <functional>

class QAbstractItemModel;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace tract::views {
class ThreadFilterModel;
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

    QTableView *view() const { return m_view; }
    QAbstractItemModel *shownModel() const;
    QString countText() const;

    // "4 min 12 s", "45 s", "1 h 3 min": waiting times need the seconds that
    // the thread list's compact form leaves out, because they tick live.
    static QString formatWaiting(qint64 ms);

signals:
    void threadActivated(const QString &userId, const QString &conversationNumber);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void updateCount();
    void fitColumns(bool reset);

    tract::views::ThreadFilterModel *m_threads;
    BoardStateFilter *m_state;
    std::function<QDateTime()> m_now;

    QComboBox *m_stateCombo;
    QLineEdit *m_search;
    QLabel *m_count;
    QTableView *m_view;
    QTimer *m_tick;
};

} // namespace ui
