#include "ui/panels/UserPanel.h"

#include "models/tract/Codes.h"
#include "ui/panels/Accents.h"
#include "ui/panels/ElidedLabel.h"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ui {

namespace {

QLabel *sectionTitle(const QString &text, QWidget *parent) {
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

// Details are usually strings; anything else is shown as compact JSON rather
// than dropped.
QString detailText(const QJsonValue &v) {
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Bool:
        return v.toBool() ? UserPanel::tr("yes") : UserPanel::tr("no");
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return UserPanel::tr("(none)");
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

} // namespace

UserPanel::UserPanel(QWidget *parent)
    : QWidget(parent) {
    m_refresh = new QToolButton(this);
    m_refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_refresh->setAutoRaise(true);
    m_refresh->setToolTip(tr("Fetch the user again"));
    m_refresh->setAccessibleName(tr("Refresh user"));
    connect(m_refresh, &QToolButton::clicked, this, &UserPanel::refreshRequested);

    auto *header = new QHBoxLayout;
    header->addWidget(sectionTitle(tr("User"), this));
    header->addStretch();
    header->addWidget(m_refresh);

    const auto value = [this](const QString &accessibleName) {
        auto *label = new ElidedLabel(this);
        label->setAccessibleName(accessibleName);
        label->setPlaceholderText(tr("unknown"));
        return label;
    };
    m_name = value(tr("User name"));
    m_id = value(tr("User id"));
    m_platform = value(tr("Device platform"));
    m_thirdParty = value(tr("Third-party user id"));
    m_ect = value(tr("ECT user id"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("User id:"), m_id);
    form->addRow(tr("Platform:"), m_platform);
    form->addRow(tr("Third-party id:"), m_thirdParty);
    form->addRow(tr("ECT user id:"), m_ect);

    m_availableLabel = sectionTitle(tr("Details available"), this);
    m_available = new QListWidget(this);
    m_available->setAccessibleName(tr("Details available"));
    m_available->setSelectionMode(QAbstractItemView::SingleSelection);
    m_available->setSpacing(1);
    connect(m_available, &QListWidget::itemChanged, this, &UserPanel::updateActions);
    // Space toggles the current item; Enter asks, so the list works without a mouse.
    connect(m_available, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
    });

    m_selectAll = new QPushButton(tr("Select &all"), this);
    m_selectAll->setAccessibleName(tr("Select all details"));
    connect(m_selectAll, &QPushButton::clicked, this, [this] {
        const bool allChecked = checkedKeys().size() == m_available->count();
        for (int i = 0; i < m_available->count(); ++i)
            m_available->item(i)->setCheckState(allChecked ? Qt::Unchecked : Qt::Checked);
    });
    m_requestButton = new QPushButton(tr("Re&quest details"), this);
    m_requestButton->setAccessibleName(tr("Request details"));
    m_requestButton->setToolTip(tr("Ask TRACT for the checked details"));
    connect(m_requestButton, &QPushButton::clicked, this, [this] {
        const QStringList keys = checkedKeys();
        if (!keys.isEmpty())
            emit detailsRequested(keys);
    });
    auto *requestRow = new QHBoxLayout;
    requestRow->addWidget(m_selectAll);
    requestRow->addStretch();
    requestRow->addWidget(m_requestButton);

    m_busyBar = new QProgressBar(this);
    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->setMaximumHeight(4);
    m_busyBar->setAccessibleName(tr("User request running"));
    m_busyBar->hide();

    m_error = new QLabel(this);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setAccessibleName(tr("User panel error"));
    m_error->hide();

    m_detailsLabel = sectionTitle(tr("Details"), this);
    m_detailsView = new QTreeWidget(this);
    m_detailsView->setAccessibleName(tr("Received details"));
    m_detailsView->setColumnCount(2);
    m_detailsView->setHeaderLabels({tr("Detail"), tr("Value")});
    m_detailsView->setRootIsDecorated(false);
    m_detailsView->setAlternatingRowColors(true);
    m_detailsView->setUniformRowHeights(true);
    m_detailsView->setTextElideMode(Qt::ElideMiddle);
    m_detailsView->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_detailsView->header()->setStretchLastSection(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(form);
    layout->addSpacing(6);
    layout->addWidget(m_availableLabel);
    layout->addWidget(m_available);
    layout->addLayout(requestRow);
    layout->addWidget(m_busyBar);
    layout->addWidget(m_error);
    layout->addSpacing(6);
    layout->addWidget(m_detailsLabel);
    layout->addWidget(m_detailsView, 100);
    // Takes the spare height while there are no details to show, so the panel
    // stays packed at the top instead of spreading its rows apart.
    layout->addStretch(1);

    applyAccents();
    clear();
}

void UserPanel::setUser(const tract::GetUserResponse &user, const QString &ectUserId) {
    const bool sameUser = user.userId == m_userId;
    m_userId = user.userId;
    m_name->setText(user.userName.value_or(QString()));
    m_id->setText(user.userId);
    m_platform->setText(tract::devicePlatformName(user.devicePlatform.value_or(QString())));
    m_thirdParty->setText(user.thirdPartyUserId.value_or(QString()));
    m_ect->setText(ectUserId);

    // A refresh of the same user keeps the agent's ticks.
    const QStringList previouslyChecked = sameUser ? checkedKeys() : QStringList();
    m_available->clear();
    for (const QString &key : user.detailsAvailable) {
        auto *item = new QListWidgetItem(key, m_available);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(previouslyChecked.contains(key) ? Qt::Checked : Qt::Unchecked);
    }
    if (!sameUser) {
        m_details = {};
        m_detailsView->clear();
    }
    // As tall as its rows (up to six), so the buttons sit right under it.
    const int rows = qBound(1, int(user.detailsAvailable.size()), 6);
    const int rowHeight = qMax(m_available->sizeHintForRow(0), fontMetrics().height() + 4);
    m_available->setFixedHeight(rows * rowHeight + 2 * m_available->frameWidth() + 2);
    const bool none = user.detailsAvailable.isEmpty();
    m_available->setVisible(!none);
    m_availableLabel->setText(none ? tr("No details available") : tr("Details available"));
    m_error->hide();
    updateActions();
}

void UserPanel::setDetails(const QJsonObject &details) {
    for (auto it = details.begin(); it != details.end(); ++it)
        m_details.insert(it.key(), it.value());
    m_detailsView->clear();
    for (auto it = m_details.constBegin(); it != m_details.constEnd(); ++it) {
        const QString text = detailText(it.value());
        auto *item = new QTreeWidgetItem(m_detailsView, {it.key(), text});
        item->setToolTip(1, text);
        item->setData(1, Qt::AccessibleTextRole, tr("%1: %2").arg(it.key(), text));
    }
    m_detailsLabel->setVisible(true);
    m_detailsView->setVisible(true);
    m_error->hide();
}

void UserPanel::showError(const QString &message) {
    applyAccents();
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void UserPanel::setBusy(bool busy) {
    m_busy = busy;
    m_busyBar->setVisible(busy);
    if (busy)
        m_error->hide();
    updateActions();
}

void UserPanel::clear() {
    m_userId.clear();
    for (ElidedLabel *l : {m_name, m_id, m_platform, m_thirdParty, m_ect})
        l->setText({});
    m_available->clear();
    m_available->hide();
    m_availableLabel->setText(tr("No details available"));
    m_details = {};
    m_detailsView->clear();
    m_detailsLabel->hide();
    m_detailsView->hide();
    m_error->hide();
    m_busy = false;
    m_busyBar->hide();
    updateActions();
}

void UserPanel::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyAccents(); // the accents have light and dark variants
}

void UserPanel::applyAccents() {
    QPalette pal = m_error->palette();
    pal.setColor(QPalette::WindowText, accents::error(palette()));
    m_error->setPalette(pal);
    // Fusion draws an unchecked box's outline from Window darkened, which on
    // dark palettes vanishes into Base: give the list a lighter Window so the
    // boxes the agent has to tick stay visible.
    QPalette listPal = palette();
    if (accents::isDark(listPal))
        listPal.setColor(QPalette::Window, accents::mix(listPal.color(QPalette::Window),
                                                        listPal.color(QPalette::WindowText), 0.5));
    m_available->setPalette(listPal);
}

QStringList UserPanel::checkedKeys() const {
    QStringList keys;
    for (int i = 0; i < m_available->count(); ++i) {
        if (m_available->item(i)->checkState() == Qt::Checked)
            keys << m_available->item(i)->text();
    }
    return keys;
}

void UserPanel::updateActions() {
    const bool haveUser = !m_userId.isEmpty();
    m_refresh->setEnabled(haveUser && !m_busy);
    m_selectAll->setEnabled(haveUser && !m_busy && m_available->count() > 0);
    m_selectAll->setVisible(m_available->count() > 0);
    m_requestButton->setVisible(m_available->count() > 0);
    m_requestButton->setEnabled(haveUser && !m_busy && !checkedKeys().isEmpty());
}

} // namespace ui
