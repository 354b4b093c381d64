#pragma once

#include <QDialog>

namespace ui {

// Shown when the console starts with nothing configured: try the built-in
// sandbox, or connect to a real TRACT.
class FirstRunDialog : public QDialog {
    Q_OBJECT
public:
    enum Choice { Demo = 1, Connect = 2 };
    explicit FirstRunDialog(QWidget *parent = nullptr);
};

} // namespace ui
