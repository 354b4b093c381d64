#pragma once

#include <QFrame>
#include <QString>

namespace ui {

// A one-line, plain-text value that elides in the middle instead of widening
// its panel (user ids and third-party ids are long and have no spaces to wrap
// at). The full text is in the tooltip, and "Copy" is in the context menu
// because agents paste these ids into other tools.
class ElidedLabel : public QFrame {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    // Shown dimmed when the text is empty ("unknown").
    void setPlaceholderText(const QString &text);
    // Ids keep both ends (the default); names and sentences keep their start.
    void setElideMode(Qt::TextElideMode mode);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    QString m_placeholder;
    Qt::TextElideMode m_elide = Qt::ElideMiddle;
};

} // namespace ui
