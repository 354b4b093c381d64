#pragma once

class QLineEdit;

namespace ui {

// Turns on QLineEdit's clear button and names it: Qt's is a nameless tool
// button a screen reader would announce as "button" and nothing else.
void enableClearButton(QLineEdit *edit);

} // namespace ui
