#include "ui/panels/ShortcutsDialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

namespace {
QString keys(const QKeySequence &seq) {
    return seq.toString(QKeySequence::NativeText);
}

// Rows a little taller than the style's default: a reference card is read,
// not scanned like a data table.
class RoomyDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(12, 8);
    }
};
} // namespace

QList<ShortcutsDialog::Entry> ShortcutsDialog::entries() {
    const QString threads = tr("Threads");
    const QString control = tr("Thread control");
    const QString composer = tr("Composer");
    const QString general = tr("General");
    return {
        {threads, keys(QKeySequence(Qt::CTRL | Qt::Key_K)), tr("Jump to a thread")},
        {threads, keys(QKeySequence(Qt::ALT | Qt::Key_Up)), tr("Previous thread")},
        {threads, keys(QKeySequence(Qt::ALT | Qt::Key_Down)), tr("Next thread")},
        {control, keys(QKeySequence(Qt::CTRL | Qt::Key_T)), tr("Take control of the thread")},
        {control, keys(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P)),
         tr("Pass the thread to another listener")},
        // Key_Enter, not Key_Return: people call the key "Enter" (both send).
        {composer, keys(QKeySequence(Qt::Key_Enter)), tr("Send the message")},
        {composer, keys(QKeySequence(Qt::SHIFT | Qt::Key_Enter)), tr("New line")},
        {composer, QStringLiteral("/"), tr("Canned responses")},
        {general, keys(QKeySequence(Qt::CTRL | Qt::Key_Comma)), tr("Settings")},
        {general, keys(QKeySequence(Qt::Key_F1)), tr("This list of shortcuts")},
    };
}

ShortcutsDialog::ShortcutsDialog(QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("Keyboard shortcuts"));

    m_view = new QTreeWidget(this);
    m_view->setAccessibleName(tr("Keyboard shortcuts"));
    m_view->setColumnCount(2);
    m_view->setHeaderLabels({tr("Shortcut"), tr("Action")});
    m_view->setRootIsDecorated(false);
    m_view->setItemsExpandable(false);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setFocusPolicy(Qt::NoFocus); // nothing to select; Esc and Close stay on the button
    m_view->setUniformRowHeights(true);
    m_view->setItemDelegate(new RoomyDelegate(m_view));
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);

    QFont groupFont = font();
    groupFont.setBold(true);
    QTreeWidgetItem *groupItem = nullptr;
    for (const Entry &e : entries()) {
        if (!groupItem || groupItem->text(0) != e.group) {
            groupItem = new QTreeWidgetItem(m_view, {e.group});
            groupItem->setFirstColumnSpanned(true);
            groupItem->setFont(0, groupFont);
            groupItem->setFlags(Qt::ItemIsEnabled);
            groupItem->setExpanded(true);
        }
        auto *item = new QTreeWidgetItem(groupItem, {e.keys, e.action});
        item->setFlags(Qt::ItemIsEnabled);
        item->setData(0, Qt::AccessibleTextRole, tr("%1: %2").arg(e.keys, e.action));
    }
    m_view->expandAll();
    m_view->setIndentation(0);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setAccessibleName(tr("Close"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);

    // Tall enough for every row without scrolling.
    const QFontMetrics fm = fontMetrics();
    const int rows = int(entries().size()) + 4 + 1; // entries, group titles, header
    resize(fm.averageCharWidth() * 60, rows * (fm.height() + 8) + fm.height() * 4);
}

} // namespace ui
