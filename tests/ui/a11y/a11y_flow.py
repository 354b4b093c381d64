#!/usr/bin/python3
"""Walks the real console window's AT-SPI tree and completes an agent's flow
through AT-SPI and the keyboard alone.

Run by test_a11y.sh inside Xvfb and a private D-Bus session, with the console
started against a real tract-sandbox. Exits non-zero with a reason on failure.
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pyatspi
from gi.repository import GLib

SANDBOX, REPLY, WINDOW, SANDBOX_PID = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

# Roles a person operates; every one of them must be named.
INTERACTIVE = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_COMBO_BOX, pyatspi.ROLE_TEXT,
    pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_SLIDER, pyatspi.ROLE_LIST, pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE,
    pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_PAGE_TAB_LIST,
    pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_MENU, pyatspi.ROLE_LIST_ITEM,
    pyatspi.ROLE_LINK, pyatspi.ROLE_FILLER, pyatspi.ROLE_PANEL,
}


def fail(message):
    print("FAIL:", message, flush=True)
    sys.exit(1)


def step(message):
    print("a11y:", message, flush=True)


# AT-SPI events the console sent, as (event type, source name, child name).
EVENTS = []


def on_event(event):
    try:
        child = event.any_data.name if hasattr(event.any_data, "name") else ""
        EVENTS.append((event.type, event.source.name, child))
    except Exception:  # the object went away before we looked
        pass


def pump():
    """Delivers queued AT-SPI events (pyatspi runs no main loop of its own here)."""
    context = GLib.MainContext.default()
    while context.iteration(False):
        pass


def wait_for(what, predicate, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        pump()
        try:
            value = predicate()
        except Exception:  # the tree changes under us; ask again
            value = None
        if value:
            return value
        time.sleep(0.2)
    fail("timed out waiting for " + what)


def sandbox_state():
    with urllib.request.urlopen(SANDBOX + "/sandbox/state", timeout=5) as r:
        return json.load(r)


def user_state(user_id):
    for u in sandbox_state()["users"]:
        if u["user_id"] == user_id:
            return u
    return None


def key(*keys):
    subprocess.run(["xdotool", "key", "--clearmodifiers", *keys], check=True)


def visible_windows():
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", ""],
                         capture_output=True, text=True).stdout
    return set(out.split())


def type_text(text):
    subprocess.run(["xdotool", "type", "--delay", "20", text], check=True)


def children(node):
    try:
        return [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:
        return []


def walk(node, depth=0):
    yield node, depth
    if depth < 60:
        for c in children(node):
            if c is not None:
                yield from walk(c, depth + 1)


def find(root, predicate, what):
    return wait_for(what, lambda: next((n for n, _ in walk(root) if predicate(n)), None))


def named(role, name):
    return lambda n: n.getRole() == role and n.name == name


def app():
    desktop = pyatspi.Registry.getDesktop(0)
    return next((a for a in children(desktop) if a is not None and a.name == "tract-console"), None)


def actions(node):
    try:
        a = node.queryAction()
        return {a.getName(i): i for i in range(a.nActions)}
    except NotImplementedError:
        return {}


def press(node, name="Press"):
    acts = actions(node)
    if name not in acts:
        fail(f"{node.getRoleName()} '{node.name}' has no {name} action (has {list(acts)})")
    node.queryAction().doAction(acts[name])


def grab_focus(node):
    node.queryComponent().grabFocus()


# --- the window is there ----------------------------------------------------
root = wait_for("the console on the accessibility bus", app, timeout=40)
frame = find(root, lambda n: n.getRole() == pyatspi.ROLE_FRAME, "the main window")
step("window: " + frame.name)
threads = find(frame, named(pyatspi.ROLE_LIST, "Threads"), "the thread list")
wait_for("the scenario's threads", lambda: threads.childCount >= 3)

# --- every control a person operates has a name -------------------------------
def unnamed_controls(top):
    unnamed = []
    for node, depth in walk(top):
        role = node.getRole()
        if role not in INTERACTIVE:
            continue
        parent = node.parent
        # A combo box's popup list is Qt's own and named by the combo box.
        if parent is not None and parent.getRole() == pyatspi.ROLE_COMBO_BOX:
            continue
        if parent is not None and parent.parent is not None and \
                parent.parent.getRole() == pyatspi.ROLE_COMBO_BOX:
            continue
        focusable = node.getState().contains(pyatspi.STATE_FOCUSABLE)
        if (focusable or "Press" in actions(node)) and not node.name.strip():
            unnamed.append(f"{node.getRoleName()} under {parent.getRoleName() if parent else '?'} "
                           f"'{parent.name if parent else ''}'")
    return unnamed


unnamed = unnamed_controls(frame)
if unnamed:
    fail(f"{len(unnamed)} unnamed controls:\n  " + "\n  ".join(unnamed[:30]))
step("every focusable control is named")

# --- the thread list's items say what the delegate paints ----------------------
# The demo scenario hands its first user over within a few seconds.
first = wait_for("a waiting thread first in the list (longest waiting first)",
                 lambda: threads.childCount and
                 "Waiting for agent" in threads.getChildAtIndex(0).name and
                 "waiting" in threads.getChildAtIndex(0).name and threads.getChildAtIndex(0))
user_name = first.name.split(",")[0]
user = next(u for u in sandbox_state()["users"] if u["user_name"] == user_name)
user_id = user["user_id"]
step(f"longest waiting: {first.name}")

# --- open it with the keyboard ---------------------------------------------------
key("ctrl+k")
search = find(frame, named(pyatspi.ROLE_TEXT, "Search threads"), "the thread search")
wait_for("focus in the thread search", lambda: search.getState().contains(pyatspi.STATE_FOCUSED))
key("Return")
wait_for("focus in the thread list", lambda: threads.getState().contains(pyatspi.STATE_FOCUSED))
conversation = find(frame, named(pyatspi.ROLE_LIST, "Conversation"), "the conversation")
wait_for("the thread's messages", lambda: conversation.childCount >= 1)
names = [c.name for c in children(conversation)]
if not any(user_name in n for n in names):
    fail(f"no message from {user_name} in the conversation: {names}")
step(f"opened: {conversation.childCount} messages, first: {names[0]}")

# --- take control (Ctrl+T), reply, pass back to the bot (Ctrl+Shift+P) ------------
before_owner = user_state(user_id)["owner"]
key("ctrl+t")
owner = wait_for("the sandbox to see the console take control",
                 lambda: (user_state(user_id)["owner"] not in ("", "iva", "sac", before_owner))
                 and user_state(user_id)["owner"])
step(f"took control: owner {before_owner!r} -> {owner!r}")

reply = find(frame, named(pyatspi.ROLE_TEXT, "Reply"), "the composer")
wait_for("the composer to accept text",
         lambda: reply.getState().contains(pyatspi.STATE_EDITABLE))
grab_focus(reply)
wait_for("focus in the composer", lambda: reply.getState().contains(pyatspi.STATE_FOCUSED))
# A screen reader hears of new messages and of a reply's delivery by events,
# without walking the tree again. TRACT is held (SIGSTOP) while the reply is
# sent, so it is announced "Sending…" first and its name changes once sent.
pyatspi.Registry.registerEventListener(on_event, "object:children-changed",
                                       "object:property-change:accessible-name")
os.kill(SANDBOX_PID, signal.SIGSTOP)
try:
    type_text(REPLY)
    key("Return")
    wait_for("a children-changed:add event for the reply, sending, on the conversation",
             lambda: any(t.startswith("object:children-changed:add") and source == "Conversation"
                         and REPLY in child and "Sending" in child
                         for t, source, child in EVENTS))
finally:
    os.kill(SANDBOX_PID, signal.SIGCONT)
wait_for("TRACT to receive the reply", lambda: any(
    m.get("user_id") == user_id and m.get("sender") == "aeu" and REPLY in m.get("message_body", "")
    for m in sandbox_state()["received"]["messages"]))
step("reply sent and received by TRACT")
wait_for("the reply in the conversation, sent", lambda: any(
    REPLY in c.name and "Sent" in c.name for c in children(conversation)))
wait_for("a name-change event when the reply is sent", lambda: any(
    t.startswith("object:property-change:accessible-name") and REPLY in source and
    "Sent" in source for t, source, _ in EVENTS))
pyatspi.Registry.deregisterEventListener(on_event, "object:children-changed",
                                         "object:property-change:accessible-name")
step("the new reply and its delivery were announced by events")

# The pointer away from the window: a tooltip's window must not pass for the menu.
subprocess.run(["xdotool", "mousemove", "1435", "895"], check=True)
time.sleep(0.2)
windows_before = visible_windows()
key("ctrl+shift+p")
# Qt does not put a popup menu on the AT-SPI tree; the menu's window shows.
wait_for("the pass menu", lambda: visible_windows() - windows_before)
time.sleep(0.3)
key("Down")  # the first item: the bot
key("Return")
wait_for("the sandbox to see the thread passed to the bot",
         lambda: user_state(user_id)["owner"] == "iva")
step("passed control back to the bot")

# --- a message's quick replies, buttons and cards are children with actions ------
def sweep():
    """Opens each thread in turn (Down) and collects a button and a card."""
    found = {}
    key("ctrl+k")
    key("Return")
    wait_for("focus in the thread list",
             lambda: threads.getState().contains(pyatspi.STATE_FOCUSED))
    for row in range(threads.childCount):
        if row:
            key("Down")
        time.sleep(0.4)
        for message in children(conversation):
            for element, _ in walk(message):
                if element is message:
                    continue
                role = element.getRole()
                if role == pyatspi.ROLE_PUSH_BUTTON and "Press" in actions(element):
                    found.setdefault("button", element.name)
                if role in (pyatspi.ROLE_GROUPING, pyatspi.ROLE_PANEL):
                    kids = [k for k in children(element)
                            if k.getRole() == pyatspi.ROLE_PUSH_BUTTON and "Press" in actions(k)]
                    if kids:
                        found.setdefault("card", f"{element.name} with {kids[0].name}")
    return found if {"button", "card"} <= found.keys() else None


# The scenario's users reach their carousel within a few seconds.
found = wait_for("a message with a quick reply or button (Press) and a carousel card whose "
                 "buttons are its children", sweep, timeout=60)
step(f"elements: {found}")
# --- dialogs: named controls, and Escape closes them ------------------------------
def dialogs():
    return [c for c in children(root) if c is not None and c.getRole() == pyatspi.ROLE_DIALOG
            and c.getState().contains(pyatspi.STATE_SHOWING)]


for keys, what in (("ctrl+comma", "Settings"), ("F1", "Keyboard shortcuts")):
    # No window manager under Xvfb: nobody gives the keyboard back to the window
    # when a dialog closes.
    subprocess.run(["xdotool", "windowfocus", "--sync", WINDOW], check=False)
    key(keys)
    dialog = wait_for(f"the {what} dialog", lambda: next(iter(dialogs()), None))
    time.sleep(0.3)
    unnamed = unnamed_controls(dialog)
    title = dialog.name
    if not title.strip():
        fail(f"the {what} dialog has no name (window title)")
    if unnamed:
        fail(f"{what}: {len(unnamed)} unnamed controls:\n  " + "\n  ".join(unnamed[:30]))
    key("Escape")
    wait_for(f"Escape to close {what}", lambda: not dialogs())
    step(f"{what} dialog ({title}): named controls, Escape closes it")
print("a11y: OK", flush=True)
