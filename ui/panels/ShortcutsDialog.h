#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>

class QTreeWidget;

namespace ui {

// Every keyboard shortcut of the console in one place (F1). The list is data
// so the window can check it binds exactly these.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    struct Entry {
        QString group;
        QString keys; // as shown, in the platform's native text
        QString action;
    };

    explicit ShortcutsDialog(QWidget *parent = nullptr);

    static QList<Entry> entries();
    QTreeWidget *view() const { return m_view; }

private:
    QTreeWidget *m_view;
};

} // namespace ui
