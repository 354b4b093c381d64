#include "ui/panels/ElidedLabel.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QPainter>

namespace ui {

ElidedLabel::ElidedLabel(QWidget *parent)
    : QFrame(parent) {
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copy = new QAction(tr("Copy"), this);
    connect(copy, &QAction::triggered, this,
            [this] { QGuiApplication::clipboard()->setText(m_text); });
    addAction(copy);
}

void ElidedLabel::setText(const QString &text) {
    if (text == m_text)
        return;
    m_text = text;
    setToolTip(text);
    setAccessibleDescription(text);
    actions().constFirst()->setEnabled(!text.isEmpty());
    updateGeometry();
    update();
}

void ElidedLabel::setPlaceholderText(const QString &text) {
    m_placeholder = text;
    update();
}

void ElidedLabel::setElideMode(Qt::TextElideMode mode) {
    m_elide = mode;
    update();
}

QSize ElidedLabel::sizeHint() const {
    const QFontMetrics fm = fontMetrics();
    const QString &shown = m_text.isEmpty() ? m_placeholder : m_text;
    return {qMin(fm.horizontalAdvance(shown), 40 * fm.averageCharWidth()) + 2, fm.height() + 2};
}

QSize ElidedLabel::minimumSizeHint() const {
    return {fontMetrics().averageCharWidth() * 6, fontMetrics().height() + 2};
}

void ElidedLabel::paintEvent(QPaintEvent *event) {
    QFrame::paintEvent(event);
    QPainter p(this);
    const QRect r = contentsRect().adjusted(1, 0, -1, 0);
    if (m_text.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, m_placeholder);
        return;
    }
    p.setPen(palette().color(foregroundRole()));
    p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter,
               fontMetrics().elidedText(m_text, m_elide, r.width()));
}

} // namespace ui
