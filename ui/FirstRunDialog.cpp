#include "ui/FirstRunDialog.h"

#include <QCommandLinkButton>
#include <QLabel>
#include <QVBoxLayout>

namespace ui {

FirstRunDialog::FirstRunDialog(QWidget *parent)
    : QDialog(parent) {
    setWindowTitle(tr("Welcome to TRACT Console"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("TRACT Console lets your agents chat with Haptik end users. "
                                "Nothing is configured yet."),
                             this);
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    layout->addWidget(intro);
    auto *demo =
        new QCommandLinkButton(tr("Try the demo"),
                               tr("Start the built-in sandbox with simulated users and a bot. "
                                  "No Haptik account needed."),
                               this);
    auto *connectButton = new QCommandLinkButton(
        tr("Connect to TRACT"), tr("Enter your TRACT URL, client id and token."), this);
    layout->addWidget(demo);
    layout->addWidget(connectButton);
    connect(demo, &QCommandLinkButton::clicked, this, [this] { done(Demo); });
    connect(connectButton, &QCommandLinkButton::clicked, this, [this] { done(Connect); });
    setMinimumWidth(460);
}

} // namespace ui
