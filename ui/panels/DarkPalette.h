#pragma once

#include <QPalette>

namespace ui {

// The console's dark theme (View -> Theme -> Dark): Fusion's usual dark scheme
// with every role set, so a missed one never shows as a light patch.
QPalette darkPalette();

} // namespace ui
