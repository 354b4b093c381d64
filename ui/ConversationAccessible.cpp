#include "ui/ConversationAccessible.h"

#include "ui/ConversationView.h"

#include <QScrollBar>
#include <QWindow>

namespace ui {

namespace {

using hslui::AccessibleElement;
using hslui::HitTarget;

// A message's elements as a tree: the buttons and images inside a carousel card
// are the card's children. The bubble's own text is left out: it is the message
// item's name already.
struct ElementTree {
    static constexpr int kMessage = -1;
    static constexpr int kHidden = -2;

    QList<AccessibleElement> elements;
    QList<int> parent;

    explicit ElementTree(QList<AccessibleElement> all)
        : elements(std::move(all))
        , parent(elements.size(), kMessage) {
        for (int i = 0; i < elements.size(); ++i) {
            if (elements[i].kind == HitTarget::Text) {
                parent[i] = kHidden;
                continue;
            }
            for (int card = 0; card < elements.size() && !elements[i].card; ++card) {
                if (elements[card].card && elements[card].rect.contains(elements[i].rect)) {
                    parent[i] = card;
                    break;
                }
            }
        }
    }
    QList<int> childrenOf(int node) const {
        QList<int> out;
        for (int i = 0; i < parent.size(); ++i)
            if (parent[i] == node)
                out << i;
        return out;
    }
};

QRect toScreen(const ConversationView *view, const QRect &viewportRect) {
    return QRect(view->viewport()->mapToGlobal(viewportRect.topLeft()), viewportRect.size());
}

class MessageAccessible;

// The child of `parent` under the screen point (x, y), if any.
QAccessibleInterface *childContaining(const QAccessibleInterface *parent, int x, int y) {
    for (int i = 0; i < parent->childCount(); ++i) {
        QAccessibleInterface *c = parent->child(i);
        if (c && c->rect().contains(x, y))
            return c;
    }
    return nullptr;
}

// The view's interface, found again from a message or an element.
ConversationAccessible *viewInterface(ConversationView *view) {
    return view ? static_cast<ConversationAccessible *>(QAccessible::queryAccessibleInterface(view))
                : nullptr;
}

// One chip, button, card, image, tag or raw-JSON toggle of a message.
class ElementAccessible : public QAccessibleInterface, public QAccessibleActionInterface {
public:
    ElementAccessible(ConversationView *view, qint64 seq, int element)
        : m_view(view)
        , m_seq(seq)
        , m_element(element) {}

    bool isValid() const override { return element() != nullptr; }
    QObject *object() const override { return nullptr; }
    QWindow *window() const override { return m_view ? m_view->window()->windowHandle() : nullptr; }
    QAccessibleInterface *parent() const override;
    QAccessibleInterface *child(int index) const override;
    int childCount() const override {
        return tree() ? int(tree()->childrenOf(m_element).size()) : 0;
    }
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *childAt(int x, int y) const override;
    QString text(QAccessible::Text t) const override {
        const AccessibleElement *e = element();
        return e && t == QAccessible::Name ? e->text : QString();
    }
    void setText(QAccessible::Text, const QString &) override {}
    QRect rect() const override {
        const AccessibleElement *e = element();
        return e ? toScreen(m_view, e->rect) : QRect();
    }
    QAccessible::Role role() const override {
        const AccessibleElement *e = element();
        if (!e)
            return QAccessible::NoRole;
        if (e->card)
            return QAccessible::Grouping;
        switch (e->kind) {
        case HitTarget::QuickReply:
        case HitTarget::Actionable:
        case HitTarget::RawJsonToggle:
            return QAccessible::Button;
        case HitTarget::CardImage:
            return QAccessible::Graphic;
        default:
            return QAccessible::StaticText;
        }
    }
    QAccessible::State state() const override {
        QAccessible::State s;
        const AccessibleElement *e = element();
        if (!e) {
            s.invalid = true;
            return s;
        }
        if (!m_view->viewport()->rect().intersects(e->rect))
            s.offscreen = true;
        return s;
    }
    void *interface_cast(QAccessible::InterfaceType type) override {
        return type == QAccessible::ActionInterface && !actionNames().isEmpty()
                   ? static_cast<QAccessibleActionInterface *>(this)
                   : nullptr;
    }

    QStringList actionNames() const override {
        const AccessibleElement *e = element();
        if (!e || e->card)
            return {};
        switch (e->kind) {
        case HitTarget::QuickReply:
        case HitTarget::Actionable:
        case HitTarget::RawJsonToggle:
        case HitTarget::CardImage:
            return {pressAction()};
        default:
            return {};
        }
    }
    void doAction(const QString &name) override {
        if (name == pressAction() && m_view && isValid())
            m_view->pressElement(m_view->rowOfSeq(m_seq), m_element);
    }
    QStringList keyBindingsForAction(const QString &) const override { return {}; }

private:
    const ElementTree *tree() const {
        const int row = m_view ? m_view->rowOfSeq(m_seq) : -1;
        if (row < 0)
            return nullptr;
        m_tree.emplace(m_view->messageElements(row));
        return &*m_tree;
    }
    const AccessibleElement *element() const {
        const ElementTree *t = tree();
        return t && m_element < t->elements.size() && t->parent[m_element] != ElementTree::kHidden
                   ? &t->elements[m_element]
                   : nullptr;
    }

    QPointer<ConversationView> m_view;
    qint64 m_seq;
    int m_element;
    mutable std::optional<ElementTree> m_tree;
};

// One message: its name is who, when and what (with the delivery state of a
// reply); its children are its elements.
class MessageAccessible : public QAccessibleInterface {
public:
    MessageAccessible(ConversationView *view, qint64 seq)
        : m_view(view)
        , m_seq(seq) {}
    ~MessageAccessible() override {
        for (const QAccessible::Id id : std::as_const(m_elements))
            QAccessible::deleteAccessibleInterface(id);
    }

    qint64 seq() const { return m_seq; }
    int row() const { return m_view ? m_view->rowOfSeq(m_seq) : -1; }

    // The interface of element `index` (of messageElements), made once.
    QAccessibleInterface *element(int index) const {
        if (index < 0)
            return nullptr;
        if (const auto it = m_elements.constFind(index); it != m_elements.constEnd())
            return QAccessible::accessibleInterface(*it);
        auto *iface = new ElementAccessible(m_view, m_seq, index);
        m_elements.insert(index, QAccessible::registerAccessibleInterface(iface));
        return iface;
    }
    int elementIndex(const QAccessibleInterface *iface) const {
        for (auto it = m_elements.constBegin(); it != m_elements.constEnd(); ++it)
            if (QAccessible::accessibleInterface(it.value()) == iface)
                return it.key();
        return -1;
    }

    bool isValid() const override { return row() >= 0; }
    QObject *object() const override { return nullptr; }
    QWindow *window() const override { return m_view ? m_view->window()->windowHandle() : nullptr; }
    QAccessibleInterface *parent() const override { return viewInterface(m_view); }
    QAccessibleInterface *child(int index) const override {
        const QList<int> children = tree().childrenOf(ElementTree::kMessage);
        return index >= 0 && index < children.size() ? element(children[index]) : nullptr;
    }
    int childCount() const override { return int(tree().childrenOf(ElementTree::kMessage).size()); }
    int indexOfChild(const QAccessibleInterface *child) const override {
        return int(tree().childrenOf(ElementTree::kMessage).indexOf(elementIndex(child)));
    }
    QAccessibleInterface *childAt(int x, int y) const override {
        return childContaining(this, x, y);
    }
    QString text(QAccessible::Text t) const override {
        return t == QAccessible::Name && m_view ? m_view->messageAccessibleText(row()) : QString();
    }
    void setText(QAccessible::Text, const QString &) override {}
    QRect rect() const override {
        return m_view ? toScreen(m_view, m_view->messageRect(row())) : QRect();
    }
    QAccessible::Role role() const override { return QAccessible::ListItem; }
    QAccessible::State state() const override {
        QAccessible::State s;
        const int r = row();
        if (r < 0) {
            s.invalid = true;
            return s;
        }
        s.focusable = true;
        s.selectable = true;
        s.focused = s.selected = m_view->focusedMessage() == r && m_view->hasFocus();
        if (!m_view->viewport()->rect().intersects(m_view->messageRect(r)))
            s.offscreen = true;
        return s;
    }

    ElementTree tree() const {
        const int r = row();
        return ElementTree(r >= 0 ? m_view->messageElements(r) : QList<AccessibleElement>());
    }

private:
    QPointer<ConversationView> m_view;
    qint64 m_seq;
    mutable QHash<int, QAccessible::Id> m_elements;
};

MessageAccessible *messageOf(ConversationView *view, qint64 seq) {
    ConversationAccessible *v = viewInterface(view);
    const int row = view ? view->rowOfSeq(seq) : -1;
    return v && row >= 0 ? static_cast<MessageAccessible *>(v->child(row)) : nullptr;
}

QAccessibleInterface *ElementAccessible::parent() const {
    MessageAccessible *message = messageOf(m_view, m_seq);
    const ElementTree *t = tree();
    if (!message || !t || m_element >= t->parent.size())
        return message;
    const int p = t->parent[m_element];
    return p >= 0 ? message->element(p) : message;
}

QAccessibleInterface *ElementAccessible::child(int index) const {
    MessageAccessible *message = messageOf(m_view, m_seq);
    const ElementTree *t = tree();
    if (!message || !t)
        return nullptr;
    const QList<int> children = t->childrenOf(m_element);
    return index >= 0 && index < children.size() ? message->element(children[index]) : nullptr;
}

int ElementAccessible::indexOfChild(const QAccessibleInterface *child) const {
    MessageAccessible *message = messageOf(m_view, m_seq);
    const ElementTree *t = tree();
    return message && t ? int(t->childrenOf(m_element).indexOf(message->elementIndex(child))) : -1;
}

QAccessibleInterface *ElementAccessible::childAt(int x, int y) const {
    return childContaining(this, x, y);
}

QAccessibleInterface *conversationFactory(const QString &className, QObject *object) {
    if (className == QLatin1String("ui::ConversationView") && object && object->isWidgetType())
        return new ConversationAccessible(static_cast<ConversationView *>(object));
    return nullptr;
}

} // namespace

ConversationAccessible::ConversationAccessible(ConversationView *view)
    : QAccessibleWidget(view, QAccessible::List, view->accessibleName()) {}

ConversationAccessible::~ConversationAccessible() {
    for (const QAccessible::Id id : std::as_const(m_messages))
        QAccessible::deleteAccessibleInterface(id);
}

void ConversationAccessible::attach(ConversationView *view) {
    static const bool installed = [] {
        QAccessible::installFactory(conversationFactory);
        return true;
    }();
    Q_UNUSED(installed);
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(view);
    if (iface && !dynamic_cast<ConversationAccessible *>(iface))
        QAccessible::deleteAccessibleInterface(QAccessible::uniqueId(iface));
}

void ConversationAccessible::messagesInserted(ConversationView *view, int first, int last) {
    ConversationAccessible *self = QAccessible::isActive() ? viewInterface(view) : nullptr;
    for (int row = first; self && row <= last; ++row) {
        if (QAccessibleInterface *message = self->child(row)) {
            QAccessibleEvent event(message, QAccessible::ObjectCreated);
            QAccessible::updateAccessibility(&event);
        }
    }
}

void ConversationAccessible::messagesAboutToBeRemoved(ConversationView *view, int first, int last) {
    ConversationAccessible *self = QAccessible::isActive() ? viewInterface(view) : nullptr;
    for (int row = first; self && row <= last; ++row) {
        // Only messages a client was given can have been seen go.
        const auto it = self->m_messages.find(view->messageSeq(row));
        if (it == self->m_messages.end())
            continue;
        QAccessibleEvent event(QAccessible::accessibleInterface(*it), QAccessible::ObjectDestroyed);
        QAccessible::updateAccessibility(&event);
        QAccessible::deleteAccessibleInterface(*it);
        self->m_messages.erase(it);
    }
}

void ConversationAccessible::messagesChanged(ConversationView *view, int first, int last) {
    ConversationAccessible *self = QAccessible::isActive() ? viewInterface(view) : nullptr;
    for (int row = first; self && row <= last; ++row) {
        const auto it = self->m_messages.constFind(view->messageSeq(row));
        if (it == self->m_messages.constEnd())
            continue;
        QAccessibleEvent event(QAccessible::accessibleInterface(*it), QAccessible::NameChanged);
        QAccessible::updateAccessibility(&event);
    }
}

ConversationView *ConversationAccessible::view() const {
    return static_cast<ConversationView *>(widget());
}

void ConversationAccessible::forgetMissing() const {
    // Messages paged out or of another thread: their interfaces go with them.
    if (m_messages.size() <= view()->messageCount())
        return;
    for (auto it = m_messages.begin(); it != m_messages.end();) {
        if (view()->rowOfSeq(it.key()) < 0) {
            QAccessible::deleteAccessibleInterface(it.value());
            it = m_messages.erase(it);
        } else {
            ++it;
        }
    }
}

int ConversationAccessible::childCount() const {
    return view()->messageCount();
}

QAccessibleInterface *ConversationAccessible::child(int index) const {
    const qint64 seq = view()->messageSeq(index);
    if (index < 0 || index >= view()->messageCount())
        return nullptr;
    if (const auto it = m_messages.constFind(seq); it != m_messages.constEnd())
        return QAccessible::accessibleInterface(*it);
    forgetMissing();
    auto *iface = new MessageAccessible(view(), seq);
    m_messages.insert(seq, QAccessible::registerAccessibleInterface(iface));
    return iface;
}

int ConversationAccessible::indexOfChild(const QAccessibleInterface *child) const {
    if (!child || child->role() != QAccessible::ListItem || child->parent() != this)
        return -1;
    return static_cast<const MessageAccessible *>(child)->row();
}

QAccessibleInterface *ConversationAccessible::childAt(int x, int y) const {
    const QPoint p = view()->viewport()->mapFromGlobal(QPoint(x, y));
    for (int row = 0; row < view()->messageCount(); ++row)
        if (view()->messageRect(row).contains(p))
            return child(row);
    return nullptr;
}

QAccessibleInterface *ConversationAccessible::focusChild() const {
    const int row = view()->focusedMessage();
    return view()->hasFocus() && row >= 0 ? child(row) : nullptr;
}

} // namespace ui
