#include "ui/panels/ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <functional>

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

QList<ShortcutsDialog::Entry> ShortcutsDialog::menuEntries(const QList<QMenu *> &menus) {
    QList<Entry> out;
    const auto plain = [](QString text) {
        text.remove(QRegularExpression(QStringLiteral("\\s*\\(&\\w\\)"))); // "फ़ाइल (&F)"
        text.replace(QLatin1String("&&"), QLatin1String("\x01"));
        text.remove(QLatin1Char('&'));
        text.replace(QLatin1Char('\x01'), QLatin1Char('&'));
        if (text.endsWith(QChar(0x2026)))
            text.chop(1);
        return text.trimmed();
    };
    std::function<void(const QMenu *, const QString &)> collect = [&](const QMenu *menu,
                                                                      const QString &group) {
        for (const QAction *action : menu->actions()) {
            if (!action->isVisible())
                continue; // e.g. the Team menu of a single-seat console
            if (action->menu())
                collect(action->menu(), group);
            else if (!action->shortcut().isEmpty())
                out.append({group, keys(action->shortcut()), plain(action->text())});
        }
    };
    for (const QMenu *menu : menus)
        if (menu->menuAction()->isVisible())
            collect(menu, plain(menu->title()));
    return out;
}

QList<ShortcutsDialog::Entry> ShortcutsDialog::keyEntries() {
    const QString conversation = tr("Conversation");
    const QString composer = tr("Composer");
    const QString general = tr("General");
    return {
        {conversation,
         keys(QKeySequence(Qt::Key_Up)) + QStringLiteral(" / ") + keys(QKeySequence(Qt::Key_Down)),
         tr("Previous / next message (read aloud by a screen reader)")},
        {conversation, keys(QKeySequence(Qt::Key_End)), tr("Newest message")},
        {conversation, keys(QKeySequence::Copy), tr("Copy the selected text")},
        // Key_Enter, not Key_Return: people call the key "Enter" (both send).
        {composer, keys(QKeySequence(Qt::Key_Enter)), tr("Send the message")},
        {composer, keys(QKeySequence(Qt::SHIFT | Qt::Key_Enter)), tr("New line")},
        {composer, QStringLiteral("/"), tr("Canned responses")},
        {general,
         keys(QKeySequence(Qt::Key_Tab)) + QStringLiteral(" / ") +
             keys(QKeySequence(Qt::SHIFT | Qt::Key_Tab)),
         tr("Next / previous control")},
        {general, keys(QKeySequence(Qt::Key_Escape)), tr("Close a menu, dialog or list")},
    };
}

ShortcutsDialog::ShortcutsDialog(const QList<Entry> &entries, QWidget *parent)
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
    for (const Entry &e : entries) {
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

    // Wide enough for the longest description in any language, tall enough for
    // every row without scrolling (up to most of the screen).
    const QFontMetrics fm = fontMetrics();
    int widestKeys = 0;
    int widest = 0;
    for (const Entry &e : entries) {
        widestKeys = std::max(widestKeys, fm.horizontalAdvance(e.keys));
        widest = std::max(widest, fm.horizontalAdvance(e.action));
    }
    // (The header has no section sizes before it is shown: measure the keys.)
    const int width = widestKeys + widest + fm.averageCharWidth() * 12;
    const int rows = int(entries.size()) + m_view->topLevelItemCount() + 1; // + header
    resize(std::max(fm.averageCharWidth() * 60, width), rows * (fm.height() + 8) + fm.height() * 4);
}

} // namespace ui
