#include "ui/panels/CannedResponses.h"

#include "ui/panels/Accents.h"
#include "ui/panels/ClearButton.h"

#include <QGuiApplication>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QScreen>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace ui {

namespace {
const QString kGroup = QStringLiteral("cannedResponses");
const QString kShortcut = QStringLiteral("shortcut");
const QString kText = QStringLiteral("text");
} // namespace

CannedResponses::CannedResponses(QObject *parent)
    : QAbstractListModel(parent)
    , m_items(defaults()) {}

QList<CannedResponse> CannedResponses::defaults() {
    return {
        {QStringLiteral("/hi"), tr("Hi {name}, I'm {agent} and I'll help you from here.")},
        {QStringLiteral("/wait"),
         tr("Thanks for waiting, {name}. I'm looking into this and will be back in a moment.")},
        {QStringLiteral("/check"), tr("Let me check that for you. It may take a minute or two.")},
        {QStringLiteral("/sorry"), tr("I'm sorry for the trouble, {name}. Let's get this sorted.")},
        {QStringLiteral("/transfer"),
         tr("I'm passing you to a colleague who can help with this. Please stay in the chat.")},
        {QStringLiteral("/more"), tr("Is there anything else I can help you with?")},
        {QStringLiteral("/thanks"), tr("Thank you, {name}!")},
        {QStringLiteral("/bye"), tr("Thanks for chatting with us, {name}. Have a great day!")},
    };
}

void CannedResponses::load(QSettings &settings) {
    // "size" exists once a list was saved, even an empty one.
    if (!settings.contains(kGroup + QStringLiteral("/size"))) {
        setResponses(defaults());
        return;
    }
    QList<CannedResponse> items;
    const int n = settings.beginReadArray(kGroup);
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        CannedResponse r{settings.value(kShortcut).toString().trimmed(),
                         settings.value(kText).toString()};
        if (!r.shortcut.isEmpty() && !r.text.isEmpty())
            items << r;
    }
    settings.endArray();
    setResponses(items);
}

void CannedResponses::save(QSettings &settings) const {
    settings.remove(kGroup); // a shorter list must not leave old entries behind
    settings.beginWriteArray(kGroup, int(m_items.size()));
    for (int i = 0; i < m_items.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(kShortcut, m_items.at(i).shortcut);
        settings.setValue(kText, m_items.at(i).text);
    }
    settings.endArray();
}

void CannedResponses::setResponses(const QList<CannedResponse> &responses) {
    beginResetModel();
    m_items = responses;
    endResetModel();
}

std::optional<CannedResponse> CannedResponses::find(const QString &shortcut) const {
    for (const CannedResponse &r : m_items) {
        if (r.shortcut.compare(shortcut, Qt::CaseInsensitive) == 0)
            return r;
    }
    return std::nullopt;
}

QString CannedResponses::expand(const QString &text, const QString &userName,
                                const QString &agentName) {
    const QString first =
        userName.trimmed().section(QLatin1Char(' '), 0, 0, QString::SectionSkipEmpty);
    QString out = text;
    out.replace(QStringLiteral("{name}"), first.isEmpty() ? tr("there") : first);
    out.replace(QStringLiteral("{agent}"),
                agentName.trimmed().isEmpty() ? tr("your agent") : agentName.trimmed());
    return out;
}

int CannedResponses::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant CannedResponses::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CannedResponse &r = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return tr("%1: %2").arg(r.shortcut, r.text);
    case Qt::ToolTipRole:
    case TextRole:
        return r.text;
    case ShortcutRole:
        return r.shortcut;
    }
    return {};
}

QHash<int, QByteArray> CannedResponses::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ShortcutRole, "shortcut");
    names.insert(TextRole, "text");
    return names;
}

namespace {

// Shortcut prefix first ("/wa" finds /wait), then anywhere in the text.
class CannedFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setNeedle(const QString &needle) {
        m_needle = needle.trimmed();
        if (m_needle.startsWith(QLatin1Char('/')))
            m_needle.remove(0, 1);
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override {
        if (m_needle.isEmpty())
            return true;
        const QModelIndex i = sourceModel()->index(row, 0, parent);
        QString shortcut = i.data(CannedResponses::ShortcutRole).toString();
        if (shortcut.startsWith(QLatin1Char('/')))
            shortcut.remove(0, 1);
        return shortcut.startsWith(m_needle, Qt::CaseInsensitive) ||
               i.data(CannedResponses::TextRole).toString().contains(m_needle, Qt::CaseInsensitive);
    }

private:
    QString m_needle;
};

// One row: the shortcut in the accent, then the text elided. With a context
// the text is shown expanded ("Hi Asha, I'm Priya..."): what Enter inserts.
class CannedDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void setNames(const QString &user, const QString &agent) {
        m_user = user;
        m_agent = agent;
    }
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override {
        return {option.fontMetrics.averageCharWidth() * 50, option.fontMetrics.height() + 10};
    }
    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
        const bool selected = opt.state & QStyle::State_Selected;
        const QRect r = opt.rect.adjusted(8, 0, -8, 0);
        QFont bold = opt.font;
        bold.setBold(true);
        const int keyWidth = QFontMetrics(bold).horizontalAdvance(QStringLiteral("/transfer")) + 12;
        p->save();
        p->setFont(bold);
        p->setPen(selected ? opt.palette.color(QPalette::HighlightedText)
                           : accents::info(opt.palette));
        p->drawText(
            QRect(r.left(), r.top(), keyWidth, r.height()), Qt::AlignLeft | Qt::AlignVCenter,
            QFontMetrics(bold).elidedText(index.data(CannedResponses::ShortcutRole).toString(),
                                          Qt::ElideRight, keyWidth - 8));
        p->setFont(opt.font);
        p->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        const QRect textRect = r.adjusted(keyWidth, 0, 0, 0);
        QString text = index.data(CannedResponses::TextRole).toString();
        if (!m_user.isEmpty() || !m_agent.isEmpty())
            text = CannedResponses::expand(text, m_user, m_agent);
        p->drawText(
            textRect, Qt::AlignLeft | Qt::AlignVCenter,
            opt.fontMetrics.elidedText(text.simplified(), Qt::ElideRight, textRect.width()));
        p->restore();
    }

private:
    QString m_user;
    QString m_agent;
};

} // namespace

CannedResponsePicker::CannedResponsePicker(CannedResponses *responses, QWidget *parent)
    : QFrame(parent, Qt::Popup)
    , m_responses(responses)
    , m_filter(new CannedFilter(this)) {
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Canned responses"));
    m_filter->setSourceModel(responses);

    m_search = new QLineEdit(this);
    m_search->setAccessibleName(tr("Search canned responses"));
    m_search->setPlaceholderText(tr("Search canned responses"));
    enableClearButton(m_search);
    m_search->installEventFilter(this);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        static_cast<CannedFilter *>(m_filter)->setNeedle(text);
        selectFirst();
    });

    m_list = new QListView(this);
    m_list->setAccessibleName(tr("Canned responses"));
    m_list->setModel(m_filter);
    m_list->setItemDelegate(new CannedDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setFocusPolicy(Qt::NoFocus); // typing stays in the search field
    connect(m_list, &QListView::clicked, this, [this] { choose(); });

    m_empty = new QLabel(tr("No canned response matches."), this);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->hide();

    auto *hint = new QLabel(tr("↑↓ to move, Enter to insert, Esc to close"), this);
    hint->setForegroundRole(QPalette::PlaceholderText);
    QFont small = hint->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    hint->setFont(small);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_empty);
    layout->addWidget(hint);

    const QFontMetrics fm = fontMetrics();
    resize(fm.averageCharWidth() * 84, (fm.height() + 10) * 8 + fm.height() * 4);
}

void CannedResponsePicker::setContext(const QString &userName, const QString &agentName) {
    m_userName = userName;
    m_agentName = agentName;
    static_cast<CannedDelegate *>(m_list->itemDelegate())->setNames(userName, agentName);
    m_list->viewport()->update();
}

void CannedResponsePicker::popup(const QPoint &globalPos, const QString &filter) {
    m_search->setText(filter);
    selectFirst();
    QRect geometry(globalPos, size());
    if (const QScreen *screen = QGuiApplication::screenAt(globalPos)) {
        const QRect avail = screen->availableGeometry();
        // A small screen, or a large scale factor: never larger than the screen.
        geometry.setSize(geometry.size().boundedTo(avail.size()));
        // The composer sits at the bottom of the window: open upwards when
        // there is no room below.
        if (geometry.bottom() > avail.bottom())
            geometry.moveBottom(globalPos.y() - 1);
        if (geometry.right() > avail.right())
            geometry.moveRight(avail.right());
        geometry.moveLeft(qMax(geometry.left(), avail.left()));
        geometry.moveTop(qMax(geometry.top(), avail.top()));
    }
    setGeometry(geometry);
    show();
    raise();
    m_search->setFocus(Qt::PopupFocusReason);
    m_search->end(false);
}

QString CannedResponsePicker::currentShortcut() const {
    return m_list->currentIndex().data(CannedResponses::ShortcutRole).toString();
}

bool CannedResponsePicker::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const int rows = m_filter->rowCount();
        const int row = m_list->currentIndex().isValid() ? m_list->currentIndex().row() : -1;
        switch (key->key()) {
        case Qt::Key_Down:
        case Qt::Key_Up:
        case Qt::Key_PageDown:
        case Qt::Key_PageUp: {
            if (rows == 0)
                return true;
            const int step = key->key() == Qt::Key_Down       ? 1
                             : key->key() == Qt::Key_Up       ? -1
                             : key->key() == Qt::Key_PageDown ? 5
                                                              : -5;
            const int next = qBound(0, row + step, rows - 1);
            m_list->setCurrentIndex(m_filter->index(next, 0));
            return true;
        }
        case Qt::Key_Return:
        case Qt::Key_Enter:
            choose();
            return true;
        case Qt::Key_Escape:
            close();
            return true;
        default:
            break;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void CannedResponsePicker::keyPressEvent(QKeyEvent *event) {
    if (event->key() == Qt::Key_Escape) {
        close();
        return;
    }
    QFrame::keyPressEvent(event);
}

void CannedResponsePicker::choose() {
    const QModelIndex cur = m_list->currentIndex();
    if (!cur.isValid())
        return;
    const QString text = CannedResponses::expand(cur.data(CannedResponses::TextRole).toString(),
                                                 m_userName, m_agentName);
    close();
    emit chosen(text);
}

void CannedResponsePicker::selectFirst() {
    const bool any = m_filter->rowCount() > 0;
    m_list->setVisible(any);
    m_empty->setVisible(!any);
    m_list->setCurrentIndex(any ? m_filter->index(0, 0) : QModelIndex());
}

} // namespace ui
