#include "ui/hsl/RenderCommand.h"

#include "models/hsl/Parser.h"
#include "ui/hsl/ImageCache.h"
#include "ui/hsl/MessageLayout.h"
#include "ui/hsl/Theme.h"

#include <QCoreApplication>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QTextStream>

namespace hslui {

namespace {

QString tr(const char *s) {
    return QCoreApplication::translate("hslui::RenderCommand", s);
}

int failWith(QTextStream &err, const QString &message) {
    err << "tract-console: " << message << Qt::endl;
    return 1;
}

} // namespace

int runRenderCommand(const QString &input, const QString &output, int width, const QString &theme,
                     QTextStream &err) {
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return failWith(err, tr("--render-hsl needs a GUI application instance"));
    if (input.isEmpty())
        return failWith(err, tr("--render-hsl: no input file given"));
    if (output.isEmpty())
        return failWith(err, tr("--render-hsl: --output OUT.png is required"));
    if (width < kRenderMinWidth || width > kRenderMaxWidth)
        return failWith(err, tr("--width: expected %1 to %2 pixels, got %3")
                                 .arg(kRenderMinWidth)
                                 .arg(kRenderMaxWidth)
                                 .arg(width));
    const QString themeName = theme.isEmpty() ? QStringLiteral("light") : theme.toLower();
    if (themeName != QLatin1String("light") && themeName != QLatin1String("dark"))
        return failWith(err, tr("--theme: expected light or dark, got \"%1\"").arg(theme));

    QFile file(input);
    if (!file.open(QIODevice::ReadOnly))
        return failWith(err, tr("cannot read %1: %2").arg(input, file.errorString()));
    const QByteArray json = file.read(qint64(hsl::limits::kMaxInputBytes) + 1);
    const hsl::Message message = hsl::Parser::parse(json);
    if (!message.isValid())
        return failWith(err, tr("%1: invalid HSL: %2").arg(input, message.errorString()));

    const Theme t = themeName == QLatin1String("dark") ? Theme::dark() : Theme::light();
    const QImage image = renderMessage(message, width, t, Role::Bot, &ImageCache::instance());
    if (image.isNull() || !image.save(output, "PNG"))
        return failWith(err, tr("cannot write %1").arg(output));
    return 0;
}

} // namespace hslui
