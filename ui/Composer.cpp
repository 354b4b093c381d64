#include "ui/Composer.h"

#include "models/hsl/Compose.h"
#include "ui/RichReplyDialog.h"
#include "ui/panels/Accents.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

namespace ui {

void ComposerEdit::keyPressEvent(QKeyEvent *event) {
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && !(event->modifiers() & Qt::ShiftModifier)) {
        emit submitted();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    if (event->text() == QLatin1String("/") && toPlainText() == QLatin1String("/"))
        emit cannedRequested(QString());
}

namespace {
int linesHeight(const QWidget *w, int lines) {
    return w->fontMetrics().height() * lines + 12;
}
} // namespace

QSize ComposerEdit::sizeHint() const {
    const QScreen *s = screen();
    const bool shortScreen = s && s->availableGeometry().height() < 600;
    return {QPlainTextEdit::sizeHint().width(), linesHeight(this, shortScreen ? 2 : 4)};
}

QSize ComposerEdit::minimumSizeHint() const {
    return {QPlainTextEdit::minimumSizeHint().width(), linesHeight(this, 2)};
}

Composer::Composer(QWidget *parent)
    : QWidget(parent) {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 8);
    layout->setSpacing(6);

    // Above the editor, where the agent is about to type: a refusal must be
    // read before the reply is written, not after Send fails.
    m_refusalLabel = new QLabel(this);
    m_refusalLabel->setTextFormat(Qt::PlainText);
    m_refusalLabel->setWordWrap(true);
    m_refusalLabel->setAccessibleName(tr("Why you cannot reply"));
    m_refusalLabel->setAutoFillBackground(true);
    m_refusalLabel->setBackgroundRole(QPalette::AlternateBase);
    m_refusalLabel->setContentsMargins(8, 6, 8, 6);
    QFont refusalFont = m_refusalLabel->font();
    refusalFont.setBold(true);
    m_refusalLabel->setFont(refusalFont);
    m_refusalLabel->hide();
    colourRefusal();
    layout->addWidget(m_refusalLabel);

    m_banner = new QWidget(this);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->setContentsMargins(8, 4, 4, 4);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setTextFormat(Qt::PlainText);
    m_bannerText->setWordWrap(true);
    m_takeButton = new QPushButton(tr("Take control"), m_banner);
    m_takeButton->setToolTip(tr("Take control of this thread (Ctrl+T)"));
    m_takeButton->setAccessibleName(tr("Take control"));
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_takeButton);
    // A role, not a copied colour, so the banner follows a theme change.
    m_banner->setAutoFillBackground(true);
    m_banner->setBackgroundRole(QPalette::AlternateBase);
    layout->addWidget(m_banner);

    m_edit = new ComposerEdit(this);
    m_edit->setPlaceholderText(
        tr("Write a reply… (Enter sends, Shift+Enter new line, / for canned responses)"));
    m_edit->setAccessibleName(tr("Reply"));
    m_edit->setTabChangesFocus(true);
    m_edit->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    layout->addWidget(m_edit);

    m_error = new QLabel(this);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #dc2626;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *buttons = new QHBoxLayout;
    m_richButton = new QPushButton(tr("Quick replies && buttons…"), this);
    m_richButton->setToolTip(
        tr("Build a reply with quick replies or buttons, previewed as the end user will see it"));
    m_sendButton = new QPushButton(tr("Send"), this);
    m_sendButton->setDefault(true);
    m_sendButton->setAccessibleName(tr("Send reply"));
    buttons->addWidget(m_richButton);
    buttons->addStretch(1);
    buttons->addWidget(m_sendButton);
    layout->addLayout(buttons);

    connect(m_edit, &ComposerEdit::submitted, this, &Composer::submit);
    connect(m_sendButton, &QPushButton::clicked, this, &Composer::submit);
    connect(m_richButton, &QPushButton::clicked, this, &Composer::openRichReply);
    connect(m_takeButton, &QPushButton::clicked, this, &Composer::takeControlRequested);
    connect(m_edit, &ComposerEdit::cannedRequested, this, [this](const QString &filter) {
        const QRect cursor = m_edit->cursorRect();
        emit cannedRequested(m_edit->viewport()->mapToGlobal(cursor.bottomLeft()), filter);
    });
    connect(m_edit, &QPlainTextEdit::textChanged, m_error, &QWidget::hide);
    setOwnership(false, QString());
    setThreadAvailable(false);
}

void Composer::setOwnership(bool mine, const QString &ownerText) {
    m_mine = mine;
    m_bannerText->setText(ownerText);
    applyState();
    m_banner->updateGeometry();
    updateGeometry();
}

void Composer::setRefusal(const QString &reason) {
    m_refusal = reason;
    m_refusalLabel->setText(reason);
    applyState();
}

void Composer::applyState() {
    const bool refused = !m_refusal.isEmpty();
    const bool canWrite = m_mine && !refused;
    m_refusalLabel->setVisible(refused);
    // The refusal says who holds the thread; "take control" would contradict it.
    m_banner->setVisible(!m_mine && !refused);
    m_edit->setReadOnly(!canWrite);
    m_edit->setEnabled(!refused);
    m_sendButton->setEnabled(canWrite);
    m_richButton->setEnabled(canWrite);
}

void Composer::colourRefusal() {
    QPalette pal = m_refusalLabel->palette();
    pal.setColor(QPalette::WindowText, ui::accents::warning(palette()));
    m_refusalLabel->setPalette(pal);
}

void Composer::changeEvent(QEvent *event) {
    QWidget::changeEvent(event);
    // The warning colour has a light and a dark variant: follow a theme change.
    if (event->type() == QEvent::PaletteChange)
        colourRefusal();
}

void Composer::setThreadAvailable(bool available) {
    setEnabled(available);
    if (!available)
        m_bannerText->setText(tr("Choose a conversation to reply."));
}

void Composer::insertText(const QString &text) {
    QString current = m_edit->toPlainText();
    if (current.startsWith(QLatin1Char('/')) && !current.contains(QLatin1Char(' ')))
        m_edit->clear(); // the "/filter" typed to open the list
    m_edit->insertPlainText(text);
    m_edit->setFocus();
}

void Composer::clear() {
    m_edit->clear();
}

QString Composer::text() const {
    return m_edit->toPlainText();
}

void Composer::submit() {
    if (m_edit->isReadOnly() || !m_refusal.isEmpty())
        return;
    const QString text = m_edit->toPlainText().trimmed();
    if (text.isEmpty())
        return;
    const hsl::Message message = hsl::textMessage(text);
    const QList<hsl::Issue> issues = hsl::validateForSending(message);
    if (!hsl::isValidForSending(message)) {
        m_error->setText(issues.isEmpty() ? tr("This message cannot be sent.")
                                          : issues.first().toString());
        m_error->show();
        return;
    }
    emit sendRequested(hsl::toJson(message));
    m_edit->clear();
}

void Composer::openRichReply() {
    RichReplyDialog dialog(m_edit->toPlainText().trimmed(), this);
    if (dialog.exec() == QDialog::Accepted) {
        emit sendRequested(dialog.message());
        m_edit->clear();
    }
}

} // namespace ui
