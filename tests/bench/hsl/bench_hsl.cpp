// Parses and lays out N (10,000) mixed HSL messages at a fixed width and prints
// per-message median / p90 / p99 times, plus the memory of laid-out plain TEXT
// messages. Figures go to docs/benchmarks.md ("HSL parse and layout").
#include "models/hsl/Parser.h"
#include "ui/hsl/MessageLayout.h"
#include "ui/hsl/Theme.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace {

const char *const kWords[] = {"order",  "refund", "delivery", "account", "please", "thanks",
                              "your",   "the",    "we",       "will",    "check",  "today",
                              "ticket", "status", "payment",  "card",    "help",   "minutes",
                              "agent",  "soon",   "invoice",  "number",  "a",      "is"};

class Generator {
public:
    explicit Generator(unsigned seed)
        : m_rng(seed) {}

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }

    QString sentence(int words) {
        QString s;
        for (int i = 0; i < words; ++i) {
            if (i)
                s += QLatin1Char(' ');
            QString w = QString::fromLatin1(kWords[uniform(0, int(std::size(kWords)) - 1)]);
            const int r = uniform(0, 40);
            if (r == 0)
                w = QLatin1Char('*') + w + QLatin1Char('*');
            else if (r == 1)
                w = QLatin1Char('_') + w + QLatin1Char('_');
            else if (r == 2)
                w = QStringLiteral("https://help.example.com/a/%1").arg(uniform(1, 9999));
            s += w;
        }
        return s;
    }

    QString text() {
        QString s = sentence(uniform(3, 45));
        if (uniform(0, 4) == 0)
            s += QLatin1Char('\n') + sentence(uniform(3, 20));
        return s;
    }

    QJsonObject action(bool link) {
        QJsonObject payload;
        if (link)
            payload.insert(QStringLiteral("url"),
                           QStringLiteral("https://example.com/p/%1").arg(uniform(1, 999)));
        else
            payload.insert(QStringLiteral("message"), sentence(2));
        return {{QStringLiteral("actionable_text"), sentence(uniform(1, 3))},
                {QStringLiteral("is_default"), 0},
                {QStringLiteral("uri"), link ? QStringLiteral("LINK") : QString()},
                {QStringLiteral("type"),
                 link ? QStringLiteral("APP_ACTION") : QStringLiteral("TEXT_ONLY")},
                {QStringLiteral("payload"), payload}};
    }

    QJsonObject message() {
        const int r = uniform(0, 99);
        if (r < 55)
            return {{QStringLiteral("type"), QStringLiteral("TEXT")},
                    {QStringLiteral("text"), text()},
                    {QStringLiteral("data"),
                     QJsonObject{{QStringLiteral("quick_replies"), QJsonArray()}}}};
        if (r < 70) {
            QJsonArray qr;
            for (int i = uniform(2, 4); i > 0; --i)
                qr.append(action(false));
            return {{QStringLiteral("type"), QStringLiteral("TEXT")},
                    {QStringLiteral("text"), sentence(uniform(4, 15))},
                    {QStringLiteral("data"), QJsonObject{{QStringLiteral("quick_replies"), qr}}}};
        }
        if (r < 80) {
            QJsonArray items;
            for (int i = uniform(1, 3); i > 0; --i)
                items.append(action(uniform(0, 1) == 0));
            return {{QStringLiteral("type"), QStringLiteral("BUTTON")},
                    {QStringLiteral("text"), sentence(uniform(3, 12))},
                    {QStringLiteral("data"), QJsonObject{{QStringLiteral("items"), items}}}};
        }
        if (r < 90) {
            QJsonArray cards;
            for (int i = uniform(2, 4); i > 0; --i) {
                QJsonArray acts;
                for (int k = uniform(0, 2); k > 0; --k)
                    acts.append(action(uniform(0, 1) == 0));
                cards.append(QJsonObject{
                    {QStringLiteral("thumbnail"),
                     QJsonObject{{QStringLiteral("image"),
                                  QStringLiteral("https://img.example.com/%1.png").arg(i)}}},
                    {QStringLiteral("title"), sentence(2)},
                    {QStringLiteral("sub_title"), sentence(3)},
                    {QStringLiteral("description"), sentence(uniform(0, 12))},
                    {QStringLiteral("actionables"), acts}});
            }
            return {{QStringLiteral("type"), QStringLiteral("CAROUSEL")},
                    {QStringLiteral("text"), sentence(4)},
                    {QStringLiteral("data"),
                     QJsonObject{{QStringLiteral("image_aspect_ratio"), 1.5},
                                 {QStringLiteral("width"), QStringLiteral("MEDIUM")},
                                 {QStringLiteral("items"), cards}}}};
        }
        if (r < 94)
            return {{QStringLiteral("type"), QStringLiteral("SYSTEM")},
                    {QStringLiteral("text"), sentence(5)},
                    {QStringLiteral("data"), QJsonObject()}};
        if (r < 97) {
            QJsonArray fields;
            for (int i = uniform(1, 4); i > 0; --i)
                fields.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("f%1").arg(i)},
                                          {QStringLiteral("type"), QStringLiteral("text")},
                                          {QStringLiteral("hint"), sentence(2)},
                                          {QStringLiteral("order"), i}});
            return {{QStringLiteral("type"), QStringLiteral("FORM")},
                    {QStringLiteral("title"), sentence(3)},
                    {QStringLiteral("data"), QJsonObject{{QStringLiteral("fields"), fields}}}};
        }
        if (r < 98)
            return {{QStringLiteral("type"), QStringLiteral("NATIVE_ACTION")},
                    {QStringLiteral("data"),
                     QJsonObject{{QStringLiteral("method"), QStringLiteral("open_settings")}}}};
        return {{QStringLiteral("type"), QStringLiteral("RECEIPT")},
                {QStringLiteral("text"), sentence(4)},
                {QStringLiteral("data"), QJsonObject{{QStringLiteral("total"), 12}}}};
    }

private:
    std::mt19937 m_rng;
};

struct Stats {
    double median, p90, p99, mean;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto at = [&](double q) {
        return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
    };
    double sum = 0;
    for (double x : v)
        sum += x;
    return {at(0.5), at(0.9), at(0.99), sum / double(v.size())};
}

void row(const char *name, const Stats &s) {
    std::printf("| %-28s | %9.1f | %9.1f | %9.1f | %9.1f |\n", name, s.median, s.p90, s.p99,
                s.mean);
}

} // namespace

int main(int argc, char *argv[]) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("count"), QStringLiteral("Messages."), QStringLiteral("N"),
                      QStringLiteral("10000")});
    parser.addOption({QStringLiteral("width"), QStringLiteral("Layout width."),
                      QStringLiteral("PX"), QStringLiteral("480")});
    parser.process(app);
    const int count = std::max(1, parser.value(QStringLiteral("count")).toInt());
    const int width = std::max(160, parser.value(QStringLiteral("width")).toInt());

    QFontDatabase::addApplicationFont(
        QStringLiteral("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"));
    hslui::Theme theme = hslui::Theme::light();
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(13);
    theme.setFont(font);

    Generator gen(20240611);
    std::vector<QByteArray> wire;
    wire.reserve(size_t(count));
    for (int i = 0; i < count; ++i)
        wire.push_back(QJsonDocument(gen.message()).toJson(QJsonDocument::Compact));

    // Warm-up: font caches and shaping caches, not measured.
    for (int i = 0; i < std::min(count, 500); ++i) {
        hslui::MessageLayout l(
            std::make_shared<const hsl::Message>(hsl::Parser::parse(wire[size_t(i)])),
            hslui::Role::Bot);
        l.layout(width, theme);
    }

    std::vector<double> parseUs, layoutUs;
    std::map<hsl::Kind, std::vector<double>> byKind;
    std::vector<double> plainBytes;
    std::vector<std::unique_ptr<hslui::MessageLayout>> layouts;
    layouts.reserve(size_t(count));
    QElapsedTimer timer;
    for (const QByteArray &json : wire) {
        timer.start();
        auto message = std::make_shared<const hsl::Message>(hsl::Parser::parse(json));
        parseUs.push_back(double(timer.nsecsElapsed()) / 1000.0);

        timer.start();
        auto layout = std::make_unique<hslui::MessageLayout>(message, hslui::Role::Bot);
        layout->layout(width, theme);
        const double us = double(timer.nsecsElapsed()) / 1000.0;
        layoutUs.push_back(us);
        byKind[message->kind].push_back(us);
        if (message->kind == hsl::Kind::Text && message->quickReplies.isEmpty())
            plainBytes.push_back(double(layout->memoryUsage()));
        layouts.push_back(std::move(layout));
    }

    std::printf("HSL parse and layout: %d mixed messages, width %d px\n\n", count, width);
    std::printf("| %-28s | %9s | %9s | %9s | %9s |\n", "per message (µs)", "median", "p90", "p99",
                "mean");
    std::printf(
        "|------------------------------|-----------|-----------|-----------|-----------|\n");
    row("parse", stats(parseUs));
    row("layout", stats(layoutUs));
    const std::pair<hsl::Kind, const char *> kinds[] = {
        {hsl::Kind::Text, "layout: TEXT"},         {hsl::Kind::Button, "layout: BUTTON"},
        {hsl::Kind::Carousel, "layout: CAROUSEL"}, {hsl::Kind::System, "layout: SYSTEM"},
        {hsl::Kind::Form, "layout: FORM"},         {hsl::Kind::Unknown, "layout: unknown type"}};
    for (const auto &[kind, name] : kinds) {
        if (!byKind[kind].empty())
            row(name, stats(byKind[kind]));
    }
    if (!plainBytes.empty()) {
        const Stats b = stats(plainBytes);
        std::printf(
            "\nplain TEXT layout memory (bytes beyond the text, %zu messages): median %.0f, "
            "p99 %.0f, max %.0f\n",
            plainBytes.size(), b.median, b.p99,
            *std::max_element(plainBytes.begin(), plainBytes.end()));
    }
    return 0;
}
