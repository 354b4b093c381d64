#include "ui/panels/ClearButton.h"

#include <QCoreApplication>
#include <QLineEdit>
#include <QToolButton>

namespace ui {

void enableClearButton(QLineEdit *edit) {
    edit->setClearButtonEnabled(true);
    const QString name = QCoreApplication::translate("ui::ClearButton", "Clear");
    for (QToolButton *button : edit->findChildren<QToolButton *>()) {
        button->setAccessibleName(name);
        button->setToolTip(name);
    }
}

} // namespace ui
