#include "ui/panels/EventFeedPanel.h"

#include "models/views/EventFeedModel.h"
#include "ui/hsl/FixedPitchFont.h"

#include <QAbstractItemModel>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ui {

static_assert(EventFeedPanel::RawJsonRole == tract::views::EventFeedModel::RawJsonRole);

namespace {

// Indented JSON whatever the model hands out (string, bytes, object); text that
// is not JSON is shown as it is.
QString prettyJson(const QVariant &value) {
    QByteArray bytes;
    if (value.canConvert<QJsonObject>() && value.typeId() == QMetaType::QJsonObject)
        return QString::fromUtf8(
            QJsonDocument(value.toJsonObject()).toJson(QJsonDocument::Indented));
    if (value.typeId() == QMetaType::QByteArray)
        bytes = value.toByteArray();
    else
        bytes = value.toString().toUtf8();
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || doc.isNull())
        return QString::fromUtf8(bytes);
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

} // namespace

EventFeedPanel::EventFeedPanel(QWidget *parent)
    : QWidget(parent) {
    auto *categoryLabel = new QLabel(tr("&Category:"), this);
    m_category = new QComboBox(this);
    m_category->setAccessibleName(tr("Event category"));
    categoryLabel->setBuddy(m_category);
    // Display text for people, the wire name as data for the filter.
    m_category->addItem(tr("All"), QString());
    const QList<std::pair<QString, QString>> categories = {
        {tr("Messages"), QStringLiteral("message")},
        {tr("Conversation state"), QStringLiteral("conversation_state")},
        {tr("Agent events"), QStringLiteral("aeu_events")},
        {tr("User events"), QStringLiteral("user_events")},
        {tr("Thread control"), QStringLiteral("thread_control")},
        {tr("Outbox"), QStringLiteral("outbox")},
    };
    for (const auto &[label, wire] : categories) {
        m_category->addItem(label, wire);
        m_category->setItemData(m_category->count() - 1, wire, Qt::ToolTipRole);
    }
    connect(m_category, &QComboBox::currentIndexChanged, this, [this] {
        const QString category = categoryFilter();
        if (auto *feed = qobject_cast<tract::views::EventFeedModel *>(m_model.data()))
            feed->setCategoryFilter(category);
        if (m_handler)
            m_handler(category);
        emit categoryFilterChanged(category);
    });

    m_count = new QLabel(this);
    m_count->setForegroundRole(QPalette::PlaceholderText);
    m_count->setAccessibleName(tr("Number of events"));

    m_rawToggle = new QCheckBox(tr("Show raw &JSON"), this);
    m_rawToggle->setAccessibleName(tr("Show raw JSON"));
    m_rawToggle->setChecked(true);

    auto *bar = new QHBoxLayout;
    bar->addWidget(categoryLabel);
    bar->addWidget(m_category);
    bar->addSpacing(8);
    bar->addWidget(m_count);
    bar->addStretch();
    bar->addWidget(m_rawToggle);

    m_view = new QTableView(this);
    m_view->setAccessibleName(tr("Event feed"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(false); // the feed's order is time order
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            [this] { m_followBottom = atBottom(); });

    m_raw = new QPlainTextEdit(this); // plain text: event bodies are never HTML
    m_raw->setReadOnly(true);
    m_raw->setAccessibleName(tr("Raw JSON of the selected event"));
    m_raw->setPlaceholderText(tr("Select an event to see its raw JSON."));
    m_raw->setFont(hslui::fixedPitchFont());
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_raw);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    connect(m_rawToggle, &QCheckBox::toggled, m_raw, &QWidget::setVisible);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_splitter, 1);
    updateCount();
}

void EventFeedPanel::setModel(QAbstractItemModel *feed) {
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = feed;
    m_view->setModel(feed);
    m_raw->clear();
    m_followBottom = true;
    if (!feed) {
        updateCount();
        return;
    }
    QHeaderView *h = m_view->horizontalHeader();
    for (int c = 0; c + 1 < feed->columnCount(); ++c)
        h->setSectionResizeMode(c, QHeaderView::Interactive);
    fitColumns(true);
    if (auto *events = qobject_cast<tract::views::EventFeedModel *>(feed)) {
        const int i = m_category->findData(events->categoryFilter());
        const QSignalBlocker block(m_category);
        m_category->setCurrentIndex(qMax(0, i));
    }

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &EventFeedPanel::showSelected);
    // Decide before the rows land whether to follow them: after insertion the
    // scroll bar has already grown and "at bottom" would be false.
    connect(feed, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this] { m_followBottom = atBottom(); });
    connect(feed, &QAbstractItemModel::rowsInserted, this, [this] {
        updateCount();
        fitColumns(false);
        if (m_followBottom)
            m_view->scrollToBottom();
    });
    connect(feed, &QAbstractItemModel::rowsRemoved, this, &EventFeedPanel::updateCount);
    connect(feed, &QAbstractItemModel::modelReset, this, [this] {
        // A new user or category: start at the newest entry.
        updateCount();
        fitColumns(true);
        m_raw->clear();
        m_followBottom = true;
        m_view->scrollToBottom();
    });
    connect(feed, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &tl, const QModelIndex &br) {
                const QModelIndex cur = m_view->currentIndex();
                if (cur.isValid() && cur.row() >= tl.row() && cur.row() <= br.row())
                    showSelected();
            });
    updateCount();
    m_view->scrollToBottom();
}

void EventFeedPanel::setCategoryFilterHandler(std::function<void(const QString &)> handler) {
    m_handler = std::move(handler);
}

QString EventFeedPanel::categoryFilter() const {
    return m_category->currentData().toString();
}

void EventFeedPanel::setCategoryFilter(const QString &category) {
    const int i = m_category->findData(category);
    m_category->setCurrentIndex(i < 0 ? 0 : i);
}

bool EventFeedPanel::isRawJsonVisible() const {
    return m_rawToggle->isChecked();
}

void EventFeedPanel::setRawJsonVisible(bool visible) {
    m_rawToggle->setChecked(visible);
}

QString EventFeedPanel::rawJsonText() const {
    return m_raw->toPlainText();
}

void EventFeedPanel::showSelected() {
    const QModelIndex cur = m_view->currentIndex();
    if (!m_model || !cur.isValid()) {
        m_raw->clear();
        return;
    }
    m_raw->setPlainText(prettyJson(m_model->index(cur.row(), 0).data(RawJsonRole)));
}

void EventFeedPanel::fitColumns(bool reset) {
    // Every column but Summary (which stretches) fits its header and the
    // newest rows. Measured here on a bounded sample instead of
    // ResizeToContents, which would measure every row of a long feed; columns
    // only grow between resets, so the layout does not jump while events arrive.
    if (!m_model)
        return;
    const QFontMetrics fm = m_view->fontMetrics();
    const int rows = m_model->rowCount();
    const int maxWidth = fm.averageCharWidth() * 32;
    for (int c = 0; c + 1 < m_model->columnCount(); ++c) {
        int w = fm.horizontalAdvance(m_model->headerData(c, Qt::Horizontal).toString()) + 24;
        for (int r = qMax(0, rows - 50); r < rows; ++r)
            w = qMax(w, fm.horizontalAdvance(m_model->index(r, c).data().toString()) + 16);
        w = qMin(w, maxWidth);
        if (reset || w > m_view->columnWidth(c))
            m_view->setColumnWidth(c, w);
    }
}

bool EventFeedPanel::atBottom() const {
    const QScrollBar *bar = m_view->verticalScrollBar();
    return bar->value() >= bar->maximum() - 2;
}

void EventFeedPanel::updateCount() {
    const int n = m_model ? m_model->rowCount() : 0;
    m_count->setText(tr("%n event(s)", nullptr, n));
}

} // namespace ui
