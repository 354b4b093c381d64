#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>

class QMenu;
class QTreeWidget;

namespace ui {

// Every keyboard shortcut of the console in one place (F1). The window's menus
// are the source of truth: the list is read from them, so a shortcut added to a
// menu is listed without anyone remembering to; keys that belong to no menu
// (the composer's, the conversation's) are added from keyEntries().
class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    struct Entry {
        QString group;
        QString keys; // as shown, in the platform's native text
        QString action;
    };

    explicit ShortcutsDialog(const QList<Entry> &entries, QWidget *parent = nullptr);

    // Every action of `menus` (and their submenus) that has a shortcut, grouped
    // by menu, labels without the & accelerator and the trailing "…".
    static QList<Entry> menuEntries(const QList<QMenu *> &menus);
    // Keys no menu carries.
    static QList<Entry> keyEntries();
    QTreeWidget *view() const { return m_view; }

private:
    QTreeWidget *m_view;
};

} // namespace ui
