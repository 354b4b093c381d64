#include "ui/hsl/LayoutBuilder.h"

#include <QFontMetrics>
#include <QJsonDocument>
#include <algorithm>
#include <utility>

namespace hslui {

namespace {

constexpr int kTopMargin = 4;
constexpr int kChipPadH = 12;
constexpr int kChipPadV = 5;
constexpr int kButtonPadH = 12;
constexpr int kButtonPadV = 7;
constexpr int kButtonGap = 5;
constexpr int kTagPadH = 6;
constexpr int kTagPadV = 2;
constexpr int kFieldPad = 7;
constexpr int kMinBubble = 120;

} // namespace

LayoutBuilder::LayoutBuilder(const hsl::Message &message, Role role, const Theme &theme, int width,
                             bool rawVisible, LayoutData &data)
    : m(message)
    , m_role(role)
    , t(theme)
    , W(std::max(width, 2 * theme.margin + 2 * theme.bubblePadding + 40))
    , m_rawVisible(rawVisible)
    , out(data) {
    const int avail = W - 2 * t.margin;
    m_maxBubble = std::min(
        avail, std::max(std::min(avail, kMinBubble), int(avail * t.maxBubbleWidthFraction)));
    m_contentMax = std::max(20, m_maxBubble - 2 * t.bubblePadding);
    m_padV = std::max(2, t.bubblePadding - 2);
}

void LayoutBuilder::build() {
    out.boxes.clear();
    out.texts.clear();
    out.scaled.clear();
    out.selectableLength = 0;
    out.fonts[int(FontRole::Base)] = t.font;
    out.fonts[int(FontRole::Small)] = t.smallFont;
    out.fonts[int(FontRole::Title)] = t.titleFont;
    out.fonts[int(FontRole::Mono)] = t.monoFont;

    switch (m.kind) {
    case hsl::Kind::Text:
        buildText();
        break;
    case hsl::Kind::Button:
        buildButton();
        break;
    case hsl::Kind::Carousel:
        buildCarousel();
        break;
    case hsl::Kind::System:
        buildSystem();
        break;
    case hsl::Kind::Form:
        buildForm();
        break;
    case hsl::Kind::Silent:
    case hsl::Kind::NativeAction:
        buildNote();
        break;
    case hsl::Kind::Unknown:
    case hsl::Kind::Invalid:
        buildUnsupported();
        break;
    }
    out.boxes.shrink_to_fit();
    out.texts.shrink_to_fit();
}

// --- labels ---------------------------------------------------------------

QString LayoutBuilder::buttonLabel(const hsl::Actionable &a) {
    QString label = a.text.trimmed();
    if (label.isEmpty())
        label = a.message.isEmpty() ? tr("(no label)") : a.message;
    if (a.opensUrl())
        return label + QStringLiteral(" \u2197"); // ↗
    switch (a.uri) {
    case hsl::Uri::Call:
        return QStringLiteral("\u260E ") + label; // ☎
    case hsl::Uri::DocumentPicker:
    case hsl::Uri::ImageUpload:
    case hsl::Uri::GalleryPicker:
        return QStringLiteral("\u2191 ") + label; // ↑
    default:
        return label;
    }
}

QString LayoutBuilder::systemText(const hsl::Message &m) {
    if (!m.richText.isEmpty())
        return m.richText.toPlainText();
    const hsl::SystemEvent &e = m.system;
    if (e.eventName == QLatin1String("chat_pinned") && !e.agentName.isEmpty())
        return e.teamName.isEmpty() ? tr("%1 joined the chat").arg(e.agentName)
                                    : tr("%1 (%2) joined the chat").arg(e.agentName, e.teamName);
    if (e.eventName == QLatin1String("chat_complete"))
        return tr("Chat completed");
    if (!e.eventName.isEmpty())
        return tr("System event: %1").arg(e.eventName);
    return tr("System event");
}

QString LayoutBuilder::noteText(const hsl::Message &m) {
    if (m.kind == hsl::Kind::NativeAction)
        return m.nativeMethod.isEmpty() ? tr("Native app action")
                                        : tr("Native app action: %1").arg(m.nativeMethod);
    QStringList types;
    for (const hsl::SilentAction &a : m.silentActions)
        types << (a.type.isEmpty() ? tr("(untyped)") : a.type);
    return types.isEmpty() ? tr("Silent action")
                           : tr("Silent action: %1").arg(types.join(QStringLiteral(", ")));
}

QString LayoutBuilder::tagText(const hsl::Message &m) {
    if (m.kind == hsl::Kind::Invalid)
        return tr("invalid message");
    return tr("unsupported %1").arg(m.typeRaw.trimmed());
}

// --- helpers --------------------------------------------------------------

int LayoutBuilder::alignX(int w) const {
    switch (m_role) {
    case Role::Agent:
        return W - t.margin - w;
    case Role::System:
        return (W - w) / 2;
    case Role::EndUser:
    case Role::Bot:
        break;
    }
    return t.margin;
}

TextBlock LayoutBuilder::laidOut(TextBlock block, int maxWidth, FontRole font,
                                 TextBlock::Align align) const {
    block.layout(std::max(1, maxWidth), out.font(font), align);
    return block;
}

void LayoutBuilder::place(TextBlock &&block, const QPoint &pos, FontRole font, ColorRole color,
                          bool selectable) {
    PlacedText placed{std::move(block), pos, -1, font, color};
    if (selectable) {
        placed.base = out.selectableLength;
        out.selectableLength += placed.block.length() + 1;
    }
    out.texts.push_back(std::move(placed));
}

void LayoutBuilder::addBox(BoxKind kind, const QRect &rect, const void *ref) {
    out.boxes.push_back(Box{rect, ref, kind});
}

int LayoutBuilder::cardWidth() const {
    int w = 220;
    switch (m.carousel.width) {
    case hsl::CardWidth::Thin:
        w = 190;
        break;
    case hsl::CardWidth::Medium:
        w = 220;
        break;
    case hsl::CardWidth::Fat:
        w = 260;
        break;
    case hsl::CardWidth::Big:
        w = 300;
        break;
    }
    return std::min(w, W - 2 * t.margin);
}

int LayoutBuilder::imageHeight(const hsl::CarouselCard &c, int width) const {
    double ratio = m.carousel.imageAspectRatio;
    if (ratio <= 0.05 || m.carousel.isNoImageLayout())
        ratio = c.isVideoEmbed() ? 16.0 / 9.0 : 1.5;
    const int h = int(width / ratio + 0.5);
    return std::clamp(h, 48, 2 * width);
}

// --- shared pieces --------------------------------------------------------

int LayoutBuilder::textBubble(const hsl::RichText &text, int y) {
    TextBlock block = laidOut(TextBlock(text), m_contentMax, FontRole::Base);
    const int w = std::max(block.width(), 8) + 2 * t.bubblePadding;
    const int h = std::max(block.height(), 8) + 2 * m_padV;
    const int x = alignX(w);
    addBox(BoxKind::Bubble, QRect(x, y, w, h));
    place(std::move(block), QPoint(x + t.bubblePadding, y + m_padV), FontRole::Base,
          ColorRole::Text, true);
    return y + h;
}

int LayoutBuilder::chipRow(const QList<hsl::Actionable> &chips, int y) {
    struct Chip {
        TextBlock label;
        const hsl::Actionable *action;
        int w;
        int h;
    };
    std::vector<Chip> laid;
    laid.reserve(size_t(chips.size()));
    for (const hsl::Actionable &a : chips) {
        TextBlock label = laidOut(TextBlock::plain(buttonLabel(a)), m_maxBubble - 2 * kChipPadH,
                                  FontRole::Base, TextBlock::Align::Center);
        const int w = label.width() + 2 * kChipPadH;
        const int h = label.height() + 2 * kChipPadV;
        laid.push_back(Chip{std::move(label), &a, w, h});
    }
    size_t i = 0;
    while (i < laid.size()) {
        // One row: as many chips as fit in a bubble's width.
        size_t end = i;
        int rowW = 0;
        int rowH = 0;
        while (end < laid.size()) {
            const int add = laid[end].w + (end > i ? t.spacing : 0);
            if (end > i && rowW + add > m_maxBubble)
                break;
            rowW += add;
            rowH = std::max(rowH, laid[end].h);
            ++end;
        }
        int x = alignX(std::min(rowW, m_maxBubble));
        for (size_t k = i; k < end; ++k) {
            Chip &c = laid[k];
            addBox(BoxKind::Chip, QRect(x, y, c.w, rowH), c.action);
            const int ty = y + (rowH - c.label.height()) / 2;
            place(std::move(c.label), QPoint(x + kChipPadH, ty), FontRole::Base, ColorRole::Chip,
                  false);
            x += c.w + t.spacing;
        }
        y += rowH + t.spacing;
        i = end;
    }
    return y - t.spacing;
}

int LayoutBuilder::buttonStack(const QList<const hsl::Actionable *> &buttons, int x, int y,
                               int width) {
    for (const hsl::Actionable *a : buttons) {
        TextBlock label = laidOut(TextBlock::plain(buttonLabel(*a)), width - 2 * kButtonPadH,
                                  FontRole::Base, TextBlock::Align::Center);
        const int h = label.height() + 2 * kButtonPadV;
        addBox(BoxKind::Button, QRect(x, y, width, h), a);
        place(std::move(label), QPoint(x + (width - label.width()) / 2, y + kButtonPadV),
              FontRole::Base, ColorRole::Chip, false);
        y += h + kButtonGap;
    }
    return buttons.isEmpty() ? y : y - kButtonGap;
}

// --- TEXT -----------------------------------------------------------------

void LayoutBuilder::buildText() {
    int y = kTopMargin;
    if (!m.richText.isEmpty() || m.quickReplies.isEmpty())
        y = textBubble(m.richText, y);
    if (!m.quickReplies.isEmpty()) {
        if (y > kTopMargin)
            y += t.spacing;
        y = chipRow(m.quickReplies, y);
    }
    out.size = QSize(W, y + kTopMargin);
}

// --- BUTTON ---------------------------------------------------------------

void LayoutBuilder::buildButton() {
    int y = kTopMargin;
    TextBlock text = laidOut(TextBlock(m.richText), m_contentMax, FontRole::Base);
    int inner = text.width();
    const QFontMetrics fm(out.font(FontRole::Base));
    for (const hsl::Actionable &a : m.buttons)
        inner = std::max(inner, fm.horizontalAdvance(buttonLabel(a)) + 2 * kButtonPadH + 2);
    inner = std::clamp(inner, std::min(140, m_contentMax), m_contentMax);
    const int w = inner + 2 * t.bubblePadding;
    const int x = alignX(w);
    const size_t bubble = out.boxes.size();
    addBox(BoxKind::Bubble, QRect(x, y, w, 0));
    int cy = y + m_padV;
    if (!text.isEmpty()) {
        cy += text.height();
        place(std::move(text), QPoint(x + t.bubblePadding, y + m_padV), FontRole::Base,
              ColorRole::Text, true);
        if (!m.buttons.isEmpty())
            cy += t.spacing + 2;
    }
    QList<const hsl::Actionable *> buttons;
    for (const hsl::Actionable &a : m.buttons)
        buttons.append(&a);
    cy = buttonStack(buttons, x + t.bubblePadding, cy, inner);
    const int h = std::max(cy + m_padV - y, 2 * m_padV + 8);
    out.boxes[bubble].rect.setHeight(h);
    out.size = QSize(W, y + h + kTopMargin);
}

// --- CAROUSEL -------------------------------------------------------------

int LayoutBuilder::card(const hsl::CarouselCard &c, int x, int y, int width) {
    addBox(BoxKind::Card, QRect(x, y, width, 0), &c);
    int cy = y;
    if (c.hasImage() || c.isVideoEmbed()) {
        const int ih = imageHeight(c, width);
        addBox(c.isVideoEmbed() ? BoxKind::Video : BoxKind::Image, QRect(x, y, width, ih), &c);
        cy += ih;
    }
    const int pad = t.bubblePadding;
    const int inner = width - 2 * pad;
    const int start = cy;
    cy += m_padV;
    const auto addLine = [&](const QString &s, FontRole font, ColorRole color) {
        if (s.trimmed().isEmpty())
            return;
        TextBlock b = laidOut(TextBlock(hsl::RichText::fromMarkup(s)), inner, font);
        const int h = b.height();
        place(std::move(b), QPoint(x + pad, cy), font, color, true);
        cy += h + 2;
    };
    addLine(c.title, FontRole::Title, ColorRole::Text);
    addLine(c.subTitle, FontRole::Small, ColorRole::Secondary);
    addLine(c.description, FontRole::Base, ColorRole::Text);
    QList<const hsl::Actionable *> buttons;
    for (const hsl::Actionable &a : c.actionables)
        buttons.append(&a);
    if (c.hasMiniActionable)
        buttons.append(&c.miniActionable);
    if (!buttons.isEmpty()) {
        cy += 4;
        cy = buttonStack(buttons, x + pad, cy, inner) + 2;
    }
    if (cy == start + m_padV)
        cy = start; // image only: no padding below it
    else
        cy += m_padV - 2;
    return cy - y;
}

int LayoutBuilder::cardStrip(int y) {
    const QList<hsl::CarouselCard> &items = m.carousel.items;
    int cw = cardWidth();
    const int avail = W - 2 * t.margin;
    int perRow = std::max(1, (avail + t.spacing) / (cw + t.spacing));
    if (perRow < items.size()) {
        // Narrow the cards a little (to 70%) if that puts one more side by side.
        const int k = perRow + 1;
        const int narrower = (avail - (k - 1) * t.spacing) / k;
        if (narrower * 10 >= cw * 7 && narrower >= 150) {
            cw = narrower;
            perRow = k;
        }
    }
    for (qsizetype i = 0; i < items.size(); i += perRow) {
        const int n = int(std::min<qsizetype>(perRow, items.size() - i));
        const int rowW = n * cw + (n - 1) * t.spacing;
        int x = alignX(rowW);
        std::vector<size_t> cardBoxes;
        int rowH = 0;
        for (int k = 0; k < n; ++k) {
            cardBoxes.push_back(out.boxes.size());
            rowH = std::max(rowH, card(items.at(i + k), x, y, cw));
            x += cw + t.spacing;
        }
        for (size_t b : cardBoxes)
            out.boxes[b].rect.setHeight(rowH);
        y += rowH + t.spacing;
    }
    return y - t.spacing;
}

void LayoutBuilder::buildCarousel() {
    int y = kTopMargin;
    if (!m.richText.isEmpty())
        y = textBubble(m.richText, y) + t.spacing;
    y = cardStrip(y);
    out.size = QSize(W, y + kTopMargin);
}

// --- SYSTEM ---------------------------------------------------------------

void LayoutBuilder::buildSystem() {
    const int y = kTopMargin;
    const int maxW = std::min(W - 2 * t.margin, m_maxBubble) - 2 * kChipPadH;
    TextBlock text = m.richText.isEmpty() ? laidOut(TextBlock::plain(systemText(m)), maxW,
                                                    FontRole::Small, TextBlock::Align::Center)
                                          : laidOut(TextBlock(m.richText), maxW, FontRole::Small,
                                                    TextBlock::Align::Center);
    const int w = text.width() + 2 * kChipPadH;
    const int h = text.height() + 2 * kChipPadV;
    const int x = (W - w) / 2;
    addBox(BoxKind::Notice, QRect(x, y, w, h));
    place(std::move(text), QPoint(x + kChipPadH, y + kChipPadV), FontRole::Small,
          ColorRole::Secondary, true);
    out.size = QSize(W, y + h + kTopMargin);
}

// --- FORM -----------------------------------------------------------------

void LayoutBuilder::buildForm() {
    const int y = kTopMargin;
    const hsl::Form &form = m.form;
    const int fieldInner = m_contentMax - 2 * kFieldPad;
    TextBlock header =
        laidOut(TextBlock::plain(tr("Form (read-only)")), m_contentMax, FontRole::Small);
    TextBlock title =
        laidOut(TextBlock(hsl::RichText::fromMarkup(form.title)), m_contentMax, FontRole::Title);
    TextBlock subtitle =
        laidOut(TextBlock(hsl::RichText::fromMarkup(form.subtitle)), m_contentMax, FontRole::Small);
    struct Row {
        TextBlock label;
        TextBlock detail;
        const hsl::FormField *field;
    };
    std::vector<Row> rows;
    int inner = std::max({header.width(), title.width(), subtitle.width(), 200});
    for (const hsl::FormField &f : form.fields) {
        const QString label = !f.hint.trimmed().isEmpty() ? f.hint : f.key;
        QString detail = f.type.isEmpty() ? tr("field") : f.type;
        if (!f.options.isEmpty())
            detail = tr("%1: %2").arg(detail, f.options.join(QStringLiteral(", ")));
        Row r{laidOut(TextBlock::plain(label), fieldInner, FontRole::Base),
              laidOut(TextBlock::plain(detail), fieldInner, FontRole::Small), &f};
        inner = std::max(inner, std::max(r.label.width(), r.detail.width()) + 2 * kFieldPad);
        rows.push_back(std::move(r));
    }
    inner = std::min(inner, m_contentMax);
    const int w = inner + 2 * t.bubblePadding;
    const int x = alignX(w);
    const int cx = x + t.bubblePadding;
    const size_t bubble = out.boxes.size();
    addBox(BoxKind::Bubble, QRect(x, y, w, 0));
    int cy = y + m_padV;
    const auto put = [&](TextBlock &b, FontRole font, ColorRole color) {
        if (b.isEmpty())
            return;
        const int h = b.height();
        place(std::move(b), QPoint(cx, cy), font, color, true);
        cy += h + 2;
    };
    put(header, FontRole::Small, ColorRole::Secondary);
    put(title, FontRole::Title, ColorRole::Text);
    put(subtitle, FontRole::Small, ColorRole::Secondary);
    for (Row &r : rows) {
        cy += t.spacing - 2;
        const int h = r.label.height() + r.detail.height() + 2 * kFieldPad - 2;
        addBox(BoxKind::Field, QRect(cx, cy, inner, h), r.field);
        const int lh = r.label.height();
        place(std::move(r.label), QPoint(cx + kFieldPad, cy + kFieldPad - 1), FontRole::Base,
              ColorRole::Text, true);
        place(std::move(r.detail), QPoint(cx + kFieldPad, cy + kFieldPad - 1 + lh), FontRole::Small,
              ColorRole::Secondary, true);
        cy += h + 2;
    }
    const int h = cy - 2 + m_padV - y;
    out.boxes[bubble].rect.setHeight(h);
    out.size = QSize(W, y + h + kTopMargin);
}

// --- SILENT, NATIVE_ACTION ------------------------------------------------

void LayoutBuilder::buildNote() {
    const int y = kTopMargin;
    const QFont &font = out.font(FontRole::Small);
    const QString line =
        QFontMetrics(font).elidedText(noteText(m), Qt::ElideRight, W - 2 * t.margin);
    TextBlock note = laidOut(TextBlock::plain(line), W - 2 * t.margin, FontRole::Small);
    const int h = note.height();
    place(std::move(note), QPoint(alignX(note.width()), y), FontRole::Small, ColorRole::Secondary,
          true);
    out.size = QSize(W, y + h + kTopMargin);
}

// --- Unknown, Invalid -----------------------------------------------------

void LayoutBuilder::buildUnsupported() {
    const int y = kTopMargin;
    TextBlock text = laidOut(TextBlock(m.richText), m_contentMax, FontRole::Base);
    TextBlock tag =
        laidOut(TextBlock::plain(tagText(m)), m_contentMax - 2 * kTagPadH, FontRole::Small);
    const bool hasRaw = !m.raw.isEmpty();
    TextBlock toggle;
    if (hasRaw)
        toggle = laidOut(TextBlock::plain(m_rawVisible ? tr("Hide raw JSON") : tr("Show raw JSON")),
                         m_contentMax, FontRole::Small);
    TextBlock error;
    if (m.kind == hsl::Kind::Invalid && !m.errorString().isEmpty())
        error = laidOut(TextBlock::plain(m.errorString()), m_contentMax, FontRole::Small);
    TextBlock raw;
    if (hasRaw && m_rawVisible)
        raw = laidOut(
            TextBlock::plain(
                QString::fromUtf8(QJsonDocument(m.raw).toJson(QJsonDocument::Indented)).trimmed()),
            m_contentMax - 2 * kFieldPad, FontRole::Mono);

    const int tagW = tag.width() + 2 * kTagPadH;
    const int tagH = tag.height() + 2 * kTagPadV;
    int inner = std::max({text.width(), error.width(), tagW + (hasRaw ? 10 + toggle.width() : 0),
                          raw.isEmpty() ? 0 : raw.width() + 2 * kFieldPad});
    inner = std::min(inner, m_contentMax);
    const int w = inner + 2 * t.bubblePadding;
    const int x = alignX(w);
    const int cx = x + t.bubblePadding;
    const size_t bubble = out.boxes.size();
    addBox(BoxKind::Bubble, QRect(x, y, w, 0));
    int cy = y + m_padV;
    if (!text.isEmpty()) {
        const int h = text.height();
        place(std::move(text), QPoint(cx, cy), FontRole::Base, ColorRole::Text, true);
        cy += h + t.spacing;
    }
    addBox(BoxKind::Tag, QRect(cx, cy, tagW, tagH));
    place(std::move(tag), QPoint(cx + kTagPadH, cy + kTagPadV), FontRole::Small,
          ColorRole::Secondary, false);
    if (hasRaw) {
        const QRect r(cx + tagW + 10, cy + kTagPadV, toggle.width(), toggle.height());
        addBox(BoxKind::RawToggle, r.adjusted(-2, -kTagPadV, 2, kTagPadV));
        place(std::move(toggle), r.topLeft(), FontRole::Small, ColorRole::Link, false);
    }
    cy += tagH;
    if (!error.isEmpty()) {
        cy += 4;
        const int h = error.height();
        place(std::move(error), QPoint(cx, cy), FontRole::Small, ColorRole::Secondary, true);
        cy += h;
    }
    if (!raw.isEmpty()) {
        cy += t.spacing;
        const int h = raw.height() + 2 * kFieldPad;
        addBox(BoxKind::RawPanel, QRect(cx, cy, inner, h));
        place(std::move(raw), QPoint(cx + kFieldPad, cy + kFieldPad), FontRole::Mono,
              ColorRole::Text, true);
        cy += h;
    }
    const int h = cy + m_padV - y;
    out.boxes[bubble].rect.setHeight(h);
    out.size = QSize(W, y + h + kTopMargin);
}

} // namespace hslui
