#pragma once

#include <QString>

class QTextStream;

// `tract-console --render-hsl MESSAGE.json --output OUT.png [--width PX]
// [--theme light|dark]`: renders one HSL message as the conversation view
// would (Bot role, the application font) into a PNG, with no window.
// Needs a QGuiApplication (the offscreen platform is fine). Returns the exit
// code: 0 on success; otherwise one line naming the problem goes to err.
namespace hslui {

constexpr int kRenderDefaultWidth = 480;
constexpr int kRenderMinWidth = 160;
constexpr int kRenderMaxWidth = 4096;

int runRenderCommand(const QString &input, const QString &output, int width, const QString &theme,
                     QTextStream &err);

} // namespace hslui
