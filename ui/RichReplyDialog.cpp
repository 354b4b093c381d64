#include "ui/RichReplyDialog.h"

#include "models/hsl/Compose.h"
#include "ui/hsl/MessageLayout.h"
#include "ui/hsl/Theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace ui {

namespace {
enum Kind { QuickReplies = 0, Buttons = 1 };
enum Action { SendText = 0, OpenLink = 1 };
constexpr int kPreviewWidth = 380;
} // namespace

RichReplyDialog::RichReplyDialog(const QString &initialText, QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("Reply with quick replies or buttons"));
    auto *layout = new QHBoxLayout(this);
    auto *form = new QVBoxLayout;
    layout->addLayout(form, 3);

    auto *fields = new QFormLayout;
    m_kind = new QComboBox(this);
    m_kind->addItem(tr("Text with quick replies"), QuickReplies);
    m_kind->addItem(tr("Text with buttons"), Buttons);
    m_kind->setAccessibleName(tr("Reply kind"));
    fields->addRow(tr("&Kind:"), m_kind);
    m_text = new QPlainTextEdit(initialText, this);
    m_text->setAccessibleName(tr("Message text"));
    m_text->setFixedHeight(m_text->fontMetrics().height() * 4 + 12);
    fields->addRow(tr("&Text:"), m_text);
    form->addLayout(fields);

    m_items = new QTableWidget(0, 3, this);
    m_items->setHorizontalHeaderLabels({tr("Label"), tr("Action"), tr("Message or URL")});
    m_items->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_items->verticalHeader()->hide();
    m_items->setAccessibleName(tr("Quick replies or buttons"));
    form->addWidget(m_items, 1);
    auto *rowButtons = new QHBoxLayout;
    auto *add = new QPushButton(tr("&Add"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    rowButtons->addWidget(add);
    rowButtons->addWidget(remove);
    rowButtons->addStretch(1);
    form->addLayout(rowButtons);
    m_issues = new QLabel(this);
    m_issues->setTextFormat(Qt::PlainText);
    m_issues->setWordWrap(true);
    form->addWidget(m_issues);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Send"));
    form->addWidget(m_buttons);

    auto *previewBox = new QVBoxLayout;
    previewBox->addWidget(new QLabel(tr("As the end user sees it:"), this));
    m_preview = new QLabel(this);
    m_preview->setAlignment(Qt::AlignTop | Qt::AlignHCenter);
    m_preview->setAccessibleName(tr("Preview"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_preview);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(kPreviewWidth + 24);
    previewBox->addWidget(scroll, 1);
    layout->addLayout(previewBox, 2);

    addRow(tr("Yes"));
    addRow(tr("No, thanks"));
    connect(add, &QPushButton::clicked, this, [this] { addRow(); });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_items->currentRow() >= 0)
            m_items->removeRow(m_items->currentRow());
        refresh();
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, &RichReplyDialog::refresh);
    connect(m_text, &QPlainTextEdit::textChanged, this, &RichReplyDialog::refresh);
    connect(m_items, &QTableWidget::itemChanged, this, &RichReplyDialog::refresh);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(900, 480);
    refresh();
}

void RichReplyDialog::addRow(const QString &label, int action, const QString &value) {
    const int row = m_items->rowCount();
    m_items->insertRow(row);
    m_items->setItem(row, 0, new QTableWidgetItem(label));
    auto *combo = new QComboBox(m_items);
    combo->addItem(tr("Send text"), SendText);
    combo->addItem(tr("Open link"), OpenLink);
    combo->setCurrentIndex(action);
    connect(combo, &QComboBox::currentIndexChanged, this, &RichReplyDialog::refresh);
    m_items->setCellWidget(row, 1, combo);
    m_items->setItem(row, 2, new QTableWidgetItem(value));
    refresh();
}

hsl::Message RichReplyDialog::build() const {
    const bool buttons = m_kind->currentData().toInt() == Buttons;
    QList<hsl::Actionable> items;
    for (int row = 0; row < m_items->rowCount(); ++row) {
        const QString label =
            m_items->item(row, 0) ? m_items->item(row, 0)->text().trimmed() : QString();
        const QString value =
            m_items->item(row, 2) ? m_items->item(row, 2)->text().trimmed() : QString();
        const auto *combo = qobject_cast<QComboBox *>(m_items->cellWidget(row, 1));
        const bool link = combo && combo->currentData().toInt() == OpenLink;
        if (!buttons)
            items << hsl::quickReply(label, value);
        else if (link)
            items << hsl::linkButton(label, value);
        else
            items << hsl::textButton(label, value);
    }
    const QString text = m_text->toPlainText().trimmed();
    return buttons ? hsl::buttonMessage(text, items) : hsl::textMessage(text, items);
}

QJsonObject RichReplyDialog::message() const {
    return hsl::toJson(build());
}

void RichReplyDialog::refresh() {
    const bool buttons = m_kind->currentData().toInt() == Buttons;
    for (int row = 0; row < m_items->rowCount(); ++row) {
        if (auto *combo = m_items->cellWidget(row, 1))
            combo->setEnabled(buttons); // quick replies only send text
    }
    const hsl::Message message = build();
    const QList<hsl::Issue> issues = hsl::validateForSending(message);
    QStringList lines;
    for (const hsl::Issue &issue : issues)
        lines << (issue.severity == hsl::Issue::Error ? tr("✖ %1") : tr("⚠ %1"))
                     .arg(issue.toString());
    m_issues->setText(lines.join(QLatin1Char('\n')));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(hsl::isValidForSending(message));
    const hslui::Theme theme = hslui::Theme::fromPalette(palette());
    m_preview->setPixmap(QPixmap::fromImage(
        hslui::renderMessage(message, kPreviewWidth, theme, hslui::Role::Agent)));
}

} // namespace ui
