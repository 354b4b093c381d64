#pragma once

#include <QAbstractListModel>
#include <QFrame>
#include <QList>
#include <QString>

class QLabel;
class QLineEdit;
class QListView;
class QSettings;
class QSortFilterProxyModel;

namespace ui {

struct CannedResponse {
    QString shortcut; // "/hi"
    QString text;     // may hold {name} and {agent}
    bool operator==(const CannedResponse &o) const {
        return shortcut == o.shortcut && text == o.text;
    }
};

// The agent's canned responses: a plain list of {shortcut, text}, persisted in
// QSettings, seeded with defaults the first time.
class CannedResponses : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { ShortcutRole = Qt::UserRole + 1, TextRole };

    explicit CannedResponses(QObject *parent = nullptr);

    static QList<CannedResponse> defaults();

    // No saved list yet: the defaults. A saved empty list stays empty.
    void load(QSettings &settings);
    void save(QSettings &settings) const;

    QList<CannedResponse> responses() const { return m_items; }
    void setResponses(const QList<CannedResponse> &responses);
    // The response whose shortcut is exactly `shortcut` ("/hi"), if any.
    std::optional<CannedResponse> find(const QString &shortcut) const;

    // {name} becomes the user's first name ("there" when unknown), {agent} the
    // agent's display name.
    static QString expand(const QString &text, const QString &userName, const QString &agentName);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QList<CannedResponse> m_items;
};

// The popup the composer opens when the agent types "/": a search field over
// the responses, arrows to move, Enter to insert (never to send: the agent
// reads and edits before sending), Esc to close.
class CannedResponsePicker : public QFrame {
    Q_OBJECT
public:
    explicit CannedResponsePicker(CannedResponses *responses, QWidget *parent = nullptr);

    // Who {name} and {agent} stand for in the next choice.
    void setContext(const QString &userName, const QString &agentName);

    // Shows the picker near `globalPos` (above it when there is no room below),
    // with `filter` already typed ("/wa").
    void popup(const QPoint &globalPos, const QString &filter = {});

    QLineEdit *searchField() const { return m_search; }
    QListView *listView() const { return m_list; }
    // The response under the cursor, or empty.
    QString currentShortcut() const;

signals:
    void chosen(const QString &expandedText);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    void choose();
    void selectFirst();

    CannedResponses *m_responses;
    QSortFilterProxyModel *m_filter;
    QString m_userName;
    QString m_agentName;
    QLineEdit *m_search;
    QListView *m_list;
    QLabel *m_empty;
};

} // namespace ui
