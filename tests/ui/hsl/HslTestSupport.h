#pragma once

#include "models/hsl/Message.h"
#include "ui/hsl/ImageCache.h"
#include "ui/hsl/Theme.h"

#include <QString>

// Shared by the renderer tests: a theme with the bundled DejaVu fonts (so
// pixels do not depend on fontconfig defaults), fixtures, and an offline image
// cache holding generated pictures for a few known URLs.
namespace hsltest {

// Registers DejaVu Sans / Sans Mono from fonts-dejavu-core; false if missing.
bool loadFonts();
hslui::Theme theme(bool dark);
// A fixture: "name.json" from tests/ui/hsl/fixtures, else tests/data/hsl.
QString fixturePath(const QString &file);
hsl::Message loadMessage(const QString &file);
// Network off; pictures for https://img.example.net/rooms/single.jpg,
// .../receipt.png, .../plans/basic.png and .../plans/plus.png. Any other
// URL fails, which shows the placeholder.
void fillImages(hslui::ImageCache &cache);

} // namespace hsltest
