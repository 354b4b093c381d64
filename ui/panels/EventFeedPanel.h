#pragma once

#include <QPointer>
#include <QWidget>
#include <functional>

class QAbstractItemModel;
class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTableView;

namespace ui {

// Everything that happened for the open user (EventFeedModel), oldest at the
// top, newest at the bottom, with the raw JSON of the selected entry. Follows
// new entries only while the agent is already at the bottom: reading older
// entries must not be interrupted by a jump.
class EventFeedPanel : public QWidget {
    Q_OBJECT
public:
    explicit EventFeedPanel(QWidget *parent = nullptr);

    // The feed (not owned). Expected: columns Time, Direction, Kind, Summary;
    // RawJsonRole holding the entry's JSON. An EventFeedModel gets its category
    // filter set directly; any other model through categoryFilterChanged().
    void setModel(QAbstractItemModel *feed);
    QAbstractItemModel *model() const { return m_model; }
    // Alternative to the signal, for callers that prefer a callback.
    void setCategoryFilterHandler(std::function<void(const QString &)> handler);

    // "" is every category.
    QString categoryFilter() const;
    void setCategoryFilter(const QString &category);
    bool isRawJsonVisible() const;
    void setRawJsonVisible(bool visible);
    QString rawJsonText() const;
    QTableView *view() const { return m_view; }

    // The role the raw JSON is read from (EventFeedModel::RawJsonRole).
    static constexpr int RawJsonRole = Qt::UserRole + 1;

signals:
    void categoryFilterChanged(const QString &category);

private:
    void showSelected();
    bool atBottom() const;
    void updateCount();
    void fitColumns(bool reset);

    QPointer<QAbstractItemModel> m_model;
    std::function<void(const QString &)> m_handler;
    bool m_followBottom = true;

    QComboBox *m_category;
    QLabel *m_count;
    QCheckBox *m_rawToggle;
    QSplitter *m_splitter;
    QTableView *m_view;
    QPlainTextEdit *m_raw;
};

} // namespace ui
