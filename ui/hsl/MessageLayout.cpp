#include "ui/hsl/MessageLayout.h"

#include "ui/hsl/ImageCache.h"
#include "ui/hsl/LayoutBuilder.h"
#include "ui/hsl/LayoutData.h"
#include "ui/hsl/MessagePainter.h"

#include <QPainter>
#include <algorithm>
#include <limits>
#include <utility>

namespace hslui {

namespace {

QString trText(const char *s) {
    return QCoreApplication::translate("hslui::MessageLayout", s);
}

QString roleName(Role role) {
    switch (role) {
    case Role::EndUser:
        return trText("Customer");
    case Role::Bot:
        return trText("Bot");
    case Role::Agent:
        return trText("Agent");
    case Role::System:
        return trText("System");
    }
    return QString();
}

// What tapping an actionable does, for tooltips and screen readers.
QString describeAction(const hsl::Actionable &a) {
    if (a.opensUrl()) {
        const QUrl url(a.url);
        return trText("Opens %1 (%2)").arg(url.host(), url.toDisplayString());
    }
    switch (a.uri) {
    case hsl::Uri::Call:
        return a.phone.isEmpty() ? trText("Starts a phone call") : trText("Calls %1").arg(a.phone);
    case hsl::Uri::DocumentPicker:
        return a.mimeTypes.isEmpty() ? trText("Asks the customer to upload a file")
                                     : trText("Asks the customer to upload a file (%1)")
                                           .arg(a.mimeTypes.join(QStringLiteral(", ")));
    case hsl::Uri::ImageUpload:
    case hsl::Uri::GalleryPicker:
        return trText("Asks the customer for a picture");
    case hsl::Uri::SendLocation:
    case hsl::Uri::SendMultipleLocations:
    case hsl::Uri::SavedAddresses:
        return trText("Asks the customer for a location");
    case hsl::Uri::CarouselDetail:
        return trText("Shows details in the customer's app");
    default:
        break;
    }
    if (!a.message.isEmpty()) {
        if (a.gogoMessage.isEmpty() || a.gogoMessage == a.message)
            return trText("Sends \u201C%1\u201D").arg(a.message);
        return trText("Sends \u201C%1\u201D (the bot receives \u201C%2\u201D)")
            .arg(a.message, a.gogoMessage);
    }
    const QString what = !a.uriRaw.isEmpty() ? a.uriRaw : a.typeRaw;
    return what.isEmpty() ? trText("An action in the customer's app")
                          : trText("App action %1").arg(what);
}

QString cardSummary(const hsl::CarouselCard &c) {
    QStringList parts;
    for (const QString &s : {c.title, c.subTitle, c.description}) {
        const QString plain = hsl::RichText::fromMarkup(s).toPlainText().simplified();
        if (!plain.isEmpty())
            parts << plain;
    }
    if (parts.isEmpty())
        parts << (c.isVideoEmbed() ? trText("video") : trText("image"));
    return parts.join(QStringLiteral(", "));
}

QString labels(const QList<hsl::Actionable> &actions) {
    QStringList out;
    for (const hsl::Actionable &a : actions)
        out << a.text.simplified();
    return out.join(QStringLiteral(", "));
}

QString withStop(QString s) {
    s = s.simplified();
    if (!s.isEmpty() && !s.endsWith(QLatin1Char('.')) && !s.endsWith(QLatin1Char('?')) &&
        !s.endsWith(QLatin1Char('!')))
        s += QLatin1Char('.');
    return s;
}

} // namespace

MessageLayout::MessageLayout(std::shared_ptr<const hsl::Message> message, Role role)
    : m_message(std::move(message))
    , m_role(role) {
    if (!m_message)
        m_message = std::make_shared<const hsl::Message>();
}

MessageLayout::~MessageLayout() = default;

bool MessageLayout::layout(int width, const Theme &theme) {
    if (m_data && width == m_width && theme.generation == m_generation)
        return false;
    if (!m_data)
        m_data = std::make_unique<LayoutData>();
    LayoutBuilder(*m_message, m_role, theme, width, m_rawVisible, *m_data).build();
    m_width = width;
    m_generation = theme.generation;
    return true;
}

int MessageLayout::height() const {
    return m_data ? m_data->size.height() : 0;
}

int MessageLayout::width() const {
    return m_data ? m_data->size.width() : 0;
}

QSize MessageLayout::size() const {
    return m_data ? m_data->size : QSize();
}

void MessageLayout::paint(QPainter *p, const QPoint &topLeft, const Theme &theme,
                          ImageCache *images, const Selection &sel) const {
    if (!m_data)
        return;
    MessagePainter(*m_data, m_role, theme, images).paint(p, topLeft, sel);
}

HitTarget MessageLayout::hitTest(const QPoint &pos) const {
    HitTarget hit;
    if (!m_data)
        return hit;
    for (auto it = m_data->boxes.rbegin(); it != m_data->boxes.rend(); ++it) {
        const Box &box = *it;
        if (!box.rect.contains(pos))
            continue;
        hit.rect = box.rect;
        switch (box.kind) {
        case BoxKind::Chip:
        case BoxKind::Button: {
            const auto *a = static_cast<const hsl::Actionable *>(box.ref);
            hit.kind = box.kind == BoxKind::Chip ? HitTarget::QuickReply : HitTarget::Actionable;
            hit.actionable = a;
            if (a->opensUrl())
                hit.url = QUrl(a->url);
            hit.tooltip =
                box.kind == BoxKind::Chip
                    ? tr("Quick reply \u201C%1\u201D: %2").arg(a->text, describeAction(*a))
                    : describeAction(*a);
            return hit;
        }
        case BoxKind::Image:
        case BoxKind::Video: {
            const auto *c = static_cast<const hsl::CarouselCard *>(box.ref);
            hit.kind = HitTarget::CardImage;
            hit.url = QUrl(c->imageUrl);
            if (box.kind == BoxKind::Video) {
                hit.tooltip = tr("Video: %1").arg(hit.url.toDisplayString());
            } else {
                const ImageCache::State state = ImageCache::instance().state(hit.url);
                hit.tooltip = state == ImageCache::State::Failed
                                  ? tr("Image could not be loaded: %1")
                                  : tr("Image: %1");
                hit.tooltip = hit.tooltip.arg(hit.url.toDisplayString());
            }
            return hit;
        }
        case BoxKind::RawToggle:
            hit.kind = HitTarget::RawJsonToggle;
            hit.tooltip = m_rawVisible ? tr("Hide the message as received")
                                       : tr("Show the message as received (JSON)");
            return hit;
        default:
            break;
        }
    }
    for (const PlacedText &pt : m_data->texts) {
        if (pt.base < 0)
            continue;
        const QRect r(pt.pos, QSize(pt.block.width(), pt.block.height()));
        if (!r.contains(pos))
            continue;
        const TextBlock::Hit th = pt.block.hitTest(pos - pt.pos, m_data->font(pt.font));
        if (th.offset < 0)
            continue;
        hit.textOffset = pt.base + th.offset;
        hit.rect = th.rect.translated(pt.pos).toAlignedRect();
        if (th.span && th.span->isLink()) {
            hit.kind = HitTarget::Link;
            hit.url = QUrl(th.span->link);
            hit.tooltip = tr("Opens %1 (%2)").arg(hit.url.host(), hit.url.toDisplayString());
        } else {
            hit.kind = HitTarget::Text;
        }
        return hit;
    }
    // Tapping a card triggers its default actionable, if it has one.
    for (const Box &box : m_data->boxes) {
        if (box.kind != BoxKind::Card || !box.rect.contains(pos))
            continue;
        const auto *c = static_cast<const hsl::CarouselCard *>(box.ref);
        for (const hsl::Actionable &a : c->actionables) {
            if (!a.isDefault)
                continue;
            hit.kind = HitTarget::Actionable;
            hit.actionable = &a;
            hit.rect = box.rect;
            if (a.opensUrl())
                hit.url = QUrl(a.url);
            hit.tooltip = describeAction(a);
            return hit;
        }
    }
    return HitTarget{};
}

TextPosition MessageLayout::positionAt(const QPoint &pos) const {
    if (!m_data || m_data->selectableLength == 0)
        return {};
    const PlacedText *best = nullptr;
    int bestDistance = std::numeric_limits<int>::max();
    const PlacedText *above = nullptr;
    for (const PlacedText &pt : m_data->texts) {
        if (pt.base < 0)
            continue;
        const QRect r(pt.pos, QSize(std::max(1, pt.block.width()), pt.block.height()));
        if (pos.y() >= r.top() && pos.y() <= r.bottom()) {
            const int dx = pos.x() < r.left()    ? r.left() - pos.x()
                           : pos.x() > r.right() ? pos.x() - r.right()
                                                 : 0;
            if (dx < bestDistance) {
                best = &pt;
                bestDistance = dx;
            }
        } else if (r.bottom() < pos.y()) {
            if (!above || r.bottom() >= above->pos.y() + above->block.height() - 1)
                above = &pt;
        }
    }
    if (best)
        return TextPosition{best->base +
                            best->block.positionAt(pos - best->pos, m_data->font(best->font))};
    if (above)
        return TextPosition{above->base + above->block.length()};
    return TextPosition{0};
}

QString MessageLayout::plainText() const {
    if (!m_data)
        return {};
    QString out;
    out.reserve(m_data->selectableLength);
    for (const PlacedText &pt : m_data->texts) {
        if (pt.base < 0)
            continue;
        if (pt.base > 0)
            out += QLatin1Char('\n');
        out += pt.block.plainText();
    }
    return out;
}

QString MessageLayout::selectedText(const Selection &selection) const {
    const Selection sel = selection.normalized();
    if (sel.isEmpty())
        return {};
    const QString all = plainText();
    const int start = std::clamp(sel.start, 0, int(all.size()));
    const int end = std::clamp(sel.end, start, int(all.size()));
    return all.mid(start, end - start);
}

void MessageLayout::setRawJsonVisible(bool visible) {
    if (visible == m_rawVisible)
        return;
    m_rawVisible = visible;
    m_width = -1; // dirty: the next layout() rebuilds
}

bool MessageLayout::hasRawJson() const {
    return (m_message->kind == hsl::Kind::Unknown || m_message->kind == hsl::Kind::Invalid) &&
           !m_message->raw.isEmpty();
}

void MessageLayout::releaseImages() {
    if (m_data) {
        m_data->scaled.clear();
        m_data->scaled.shrink_to_fit();
    }
}

std::size_t MessageLayout::memoryUsage() const {
    std::size_t bytes = sizeof(*this);
    if (!m_data)
        return bytes;
    const LayoutData &d = *m_data;
    bytes += sizeof(LayoutData);
    bytes += d.boxes.capacity() * sizeof(Box);
    bytes += d.texts.capacity() * sizeof(PlacedText);
    for (const PlacedText &pt : d.texts)
        bytes += pt.block.heapBytes();
    bytes += d.scaled.capacity() * sizeof(ScaledImage);
    for (const ScaledImage &s : d.scaled)
        bytes += std::size_t(s.image.sizeInBytes());
    return bytes;
}

QString MessageLayout::accessibleText() const {
    const hsl::Message &m = *m_message;
    const QString text = m.richText.toPlainText().simplified();
    QStringList parts;
    switch (m.kind) {
    case hsl::Kind::Text:
        parts << withStop(text);
        if (!m.quickReplies.isEmpty())
            parts << tr("Quick replies: %1.").arg(labels(m.quickReplies));
        break;
    case hsl::Kind::Button: {
        parts << withStop(text);
        QStringList buttons;
        for (const hsl::Actionable &a : m.buttons)
            buttons << (a.opensUrl()
                            ? tr("%1 (link to %2)").arg(a.text.simplified(), QUrl(a.url).host())
                            : a.text.simplified());
        parts << (buttons.size() == 1 ? tr("Button: %1.") : tr("Buttons: %1."))
                     .arg(buttons.join(QStringLiteral(", ")));
        break;
    }
    case hsl::Kind::Carousel: {
        parts << withStop(text);
        const auto &items = m.carousel.items;
        if (m.isImage()) {
            const hsl::CarouselCard &c = items.first();
            parts << (c.hasText() ? tr("Image: %1.").arg(cardSummary(c)) : tr("Image."));
        } else {
            QStringList cards;
            for (const hsl::CarouselCard &c : items)
                cards << cardSummary(c);
            parts << (items.size() == 1 ? tr("Carousel with 1 card: %1.").arg(cards.first())
                                        : tr("Carousel with %1 cards: %2.")
                                              .arg(items.size())
                                              .arg(cards.join(QStringLiteral("; "))));
        }
        break;
    }
    case hsl::Kind::System:
        return tr("%1: %2").arg(roleName(Role::System), withStop(LayoutBuilder::systemText(m)));
    case hsl::Kind::Form: {
        const hsl::Form &f = m.form;
        QString head = tr("Form");
        if (!f.title.isEmpty())
            head += QLatin1Char(' ') + f.title.simplified();
        if (!f.subtitle.isEmpty())
            head += QStringLiteral(", ") + f.subtitle.simplified();
        parts << withStop(head);
        QStringList fields;
        for (const hsl::FormField &field : f.fields) {
            QString s = field.hint.trimmed().isEmpty() ? field.key : field.hint.simplified();
            QString detail = field.type;
            if (!field.options.isEmpty())
                detail += QStringLiteral(": ") + field.options.join(QStringLiteral(", "));
            if (!detail.isEmpty())
                s += QStringLiteral(" (") + detail + QLatin1Char(')');
            fields << s;
        }
        if (!fields.isEmpty())
            parts << tr("Fields: %1.").arg(fields.join(QStringLiteral("; ")));
        break;
    }
    case hsl::Kind::Silent:
    case hsl::Kind::NativeAction:
        parts << withStop(LayoutBuilder::noteText(m));
        break;
    case hsl::Kind::Unknown:
        parts << withStop(text) << tr("Unsupported message type %1.").arg(m.typeRaw.trimmed());
        break;
    case hsl::Kind::Invalid:
        parts << withStop(text) << tr("Invalid message: %1.").arg(m.errorString());
        break;
    }
    parts.removeAll(QString());
    return tr("%1: %2").arg(roleName(m_role), parts.join(QLatin1Char(' ')));
}

QList<AccessibleElement> MessageLayout::accessibleElements() const {
    QList<AccessibleElement> out;
    if (!m_data)
        return out;
    for (const Box &box : m_data->boxes) {
        AccessibleElement e;
        e.rect = box.rect;
        switch (box.kind) {
        case BoxKind::Bubble:
        case BoxKind::Notice:
            e.kind = HitTarget::Text;
            e.text = accessibleText();
            break;
        case BoxKind::Chip:
        case BoxKind::Button: {
            const auto *a = static_cast<const hsl::Actionable *>(box.ref);
            e.kind = box.kind == BoxKind::Chip ? HitTarget::QuickReply : HitTarget::Actionable;
            e.text = tr("%1, %2").arg(a->text.simplified(), describeAction(*a));
            break;
        }
        case BoxKind::Card:
            e.card = true;
            e.text =
                tr("Card: %1").arg(cardSummary(*static_cast<const hsl::CarouselCard *>(box.ref)));
            break;
        case BoxKind::Image:
        case BoxKind::Video: {
            const auto *c = static_cast<const hsl::CarouselCard *>(box.ref);
            e.kind = HitTarget::CardImage;
            e.text = box.kind == BoxKind::Video ? tr("Video %1").arg(c->imageUrl)
                                                : tr("Image %1").arg(c->imageUrl);
            break;
        }
        case BoxKind::Tag:
            e.text = LayoutBuilder::tagText(*m_message);
            break;
        case BoxKind::RawToggle:
            e.kind = HitTarget::RawJsonToggle;
            e.text = m_rawVisible ? tr("Hide raw JSON") : tr("Show raw JSON");
            break;
        case BoxKind::RawPanel:
            e.text = tr("Raw JSON");
            break;
        case BoxKind::Field: {
            const auto *f = static_cast<const hsl::FormField *>(box.ref);
            e.text = tr("Field %1 (%2)").arg(f->hint.isEmpty() ? f->key : f->hint, f->type);
            break;
        }
        }
        out.append(e);
    }
    if (out.isEmpty()) // notes have no box
        out.append(
            AccessibleElement{QRect(QPoint(0, 0), size()), accessibleText(), HitTarget::Text});
    return out;
}

QImage renderMessage(const hsl::Message &m, int width, const Theme &theme, Role role,
                     ImageCache *images, int imageWaitMs) {
    ImageCache *cache = images ? images : &ImageCache::instance();
    MessageLayout layout(std::make_shared<const hsl::Message>(m), role);
    layout.layout(width, theme);
    QImage image(layout.size().expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
    image.fill(theme.window);
    {
        // The first paint asks the cache for every picture.
        QPainter p(&image);
        layout.paint(&p, QPoint(0, 0), theme, cache);
    }
    if (cache->pendingCount() > 0 && imageWaitMs > 0) {
        cache->waitForPending(imageWaitMs);
        image.fill(theme.window);
        QPainter p(&image);
        layout.paint(&p, QPoint(0, 0), theme, cache);
    }
    return image;
}

} // namespace hslui
