#include "ui/panels/AlertBanner.h"

#include <QAccessible>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

AlertBanner::AlertBanner(QWidget *parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("AlertBanner"));
    setAccessibleName(tr("Alert"));
    setFrameShape(QFrame::StyledPanel);
    // A role, not a colour: the strip follows the theme.
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 3, 6, 3);
    auto *text = new QVBoxLayout;
    text->setSpacing(0);
    m_title = new QLabel(this);
    m_body = new QLabel(this);
    m_more = new QLabel(this);
    // User names and messages are untrusted: never rich text.
    for (QLabel *l : {m_title, m_body, m_more}) {
        l->setTextFormat(Qt::PlainText);
        l->setWordWrap(true);
        l->setForegroundRole(QPalette::ToolTipText);
    }
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    text->addWidget(m_title);
    text->addWidget(m_body);
    text->addWidget(m_more);
    layout->addLayout(text, 1);
    m_open = new QPushButton(tr("&Open"), this);
    m_open->setAccessibleName(tr("Open the thread"));
    m_dismiss = new QPushButton(tr("Dismiss"), this);
    m_dismiss->setAccessibleName(tr("Dismiss the alert"));
    layout->addWidget(m_open, 0, Qt::AlignVCenter);
    layout->addWidget(m_dismiss, 0, Qt::AlignVCenter);
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString user = m_userId;
        dismiss();
        emit openRequested(user);
    });
    connect(m_dismiss, &QPushButton::clicked, this, &AlertBanner::dismiss);
    hide();
}

void AlertBanner::showAlert(const QString &title, const QString &body, const QString &userId) {
    ++m_count;
    m_userId = userId;
    m_title->setText(title);
    m_body->setText(body);
    m_body->setVisible(!body.isEmpty());
    m_more->setText(tr("%n more since you last looked", nullptr, m_count - 1));
    m_more->setVisible(m_count > 1);
    m_open->setVisible(!userId.isEmpty());
    setAccessibleDescription(body.isEmpty() ? title : tr("%1: %2").arg(title, body));
    show();
    QAccessibleEvent alert(this, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
}

QString AlertBanner::title() const {
    return m_title->text();
}

QString AlertBanner::body() const {
    return m_body->text();
}

void AlertBanner::dismiss() {
    m_count = 0;
    m_userId.clear();
    hide();
}

} // namespace ui
