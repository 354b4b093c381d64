#pragma once

#include <QAccessibleWidget>
#include <QHash>
#include <QPointer>

namespace ui {

class ConversationView;

// The conversation as assistive technology sees it: the painted view is a list
// whose items are the messages, and each message's quick replies, buttons,
// carousel cards (with their own buttons inside) and images are its children,
// each with the action a click would do. The view paints everything itself
// (Chatterino's ChannelView split), so without this a screen reader would find
// one unnamed pane.
//
// Messages and elements are not QObjects: their interfaces are registered with
// QAccessible and kept in a cache keyed by the message's seq, so a client holds
// one stable object per message while the view pages and relayouts.
class ConversationAccessible : public QAccessibleWidget {
public:
    explicit ConversationAccessible(ConversationView *view);
    ~ConversationAccessible() override;

    // Makes QAccessible build this for `view`. Called at the end of its
    // constructor: any change event sent during construction (setAccessibleName)
    // has already made QAccessible cache the generic scroll area's interface.
    static void attach(ConversationView *view);

    // What a screen reader must hear about without asking: messages that
    // arrived, went, or changed (a reply's delivery state is in its name).
    static void messagesInserted(ConversationView *view, int first, int last);
    static void messagesAboutToBeRemoved(ConversationView *view, int first, int last);
    static void messagesChanged(ConversationView *view, int first, int last);

    int childCount() const override;
    QAccessibleInterface *child(int index) const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *childAt(int x, int y) const override;
    QAccessibleInterface *focusChild() const override;

    ConversationView *view() const;

private:
    void forgetMissing() const;

    mutable QHash<qint64, QAccessible::Id> m_messages; // seq -> interface
};

} // namespace ui
