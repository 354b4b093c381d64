#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_hook_payload (corpus/hook), fuzz_tract_response
(corpus/tract) and fuzz_hub_protocol (corpus/hub). The HSL bodies are the real
samples in tests/data/hsl; the envelopes are the shapes of
../shared/spec/tract-api.md and docs/hub-protocol.md, in the variants TRACT
revisions send (ids as numbers, message_body as a string, category/subcategory).
Run it again after changing tests/data/hsl: python3 tests/fuzz/make_seeds.py"""
import json
import pathlib

here = pathlib.Path(__file__).resolve().parent
hsl_dir = here.parent / "data" / "hsl"
hsl = {p.stem: json.loads(p.read_text()) for p in sorted(hsl_dir.glob("*.json"))}


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(area, name, text):
    d = here / "corpus" / area
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text)


# --- hooks: what TRACT POSTs to the console ---------------------------------
for name, body in hsl.items():
    hook = {"user_id": "u1", "conversation_number": "7", "sender": "ceu",
            "message_body": body, "message_id": 42, "timestamp": "2026-12-05T10:00:00.000Z"}
    write("hook", f"message_{name}.json", compact(hook))
write("hook", "message_body_string.json", compact(
    {"user_id": 12345, "conversation_number": 7, "sender": "iva",
     "message_body": compact(hsl["text_quick_replies"]), "message_id": "43",
     "metadata": {"source": "whatsapp"}}))
write("hook", "create_user.json", compact(
    {"user_id": "u1", "third_party_user_id": "wa-919800000000", "user_name": "Asha Rao",
     "device_platform": 14, "details_available": [{"key": "email"}, {"name": "city"}, "phone"]}))
write("hook", "conversation_state.json", compact(
    {"conversation_number": "7", "user_id": "u1", "type": "conversation_state",
     "subtype": "incomplete", "timestamp": "2026-12-05T10:00:01Z"}))
write("hook", "collection_state.json", compact(
    {"conversation_number": 7, "user_id": "u1", "category": "collection_state",
     "subcategory": "complete", "metadata": {"reason": "resolved"}}))
write("hook", "thread_control.json", compact(
    {"conversation_number": "7", "user_id": "u1", "third_party_user_id": "wa-1",
     "ect_user_id": "case-9", "type": "thread_control", "subtype": "pass",
     "metadata": compact({"from": "iva", "to": "ect-1", "requester": "iva"})}))
write("hook", "aeu_event.json", compact(
    {"conversation_number": "7", "user_id": "u1", "type": "aeu_events",
     "subtype": "allocated", "metadata": "agent Priya"}))

# --- TRACT's answers to the console's calls ---------------------------------
write("tract", "error.json", compact({"error": "unknown category"}))
write("tract", "success.json", compact({"success": True}))
write("tract", "success_false.json", compact({"success": False, "error": "store unavailable"}))
write("tract", "hooks.json", compact({"hooks": [
    {"category": "message", "subcategory": "receive",
     "url": "https://console.example.org/hooks/s/message/receive"},
    {"category": "conversation_state", "subcategory": "bot", "url": "https://x/h", "enabled": False}]}))
write("tract", "user.json", compact(
    {"user_id": "u1", "third_party_user_id": "fb-1", "user_name": "Ravi",
     "device_platform": "android", "details_available": ["email", {"key": "city"}]}))
write("tract", "user_details.json", compact(
    {"user_id": "u1", "details": {"email": "a@b.example", "orders": 3}}))
write("tract", "listeners.json", compact({"listeners": [
    {"id": "iva", "name": "Bot", "is_primary": True, "is_default": True, "active": False},
    {"id": "sac", "name": "SAC"}, {"id": "ect-1", "name": "Console", "active": "1"}]}))
write("tract", "thread_control.json", compact(
    {"success": False, "reason": {"code": "not_owner", "message": "iva owns the thread"}}))
write("tract", "thread_control_other.json", compact(
    {"success": False, "reason": {"detail": ["busy"]}}))
write("tract", "retry_after_seconds.txt", "120")
write("tract", "retry_after_imf.txt", "Fri, 01 Mar 2024 12:00:05 GMT")
write("tract", "retry_after_rfc850.txt", "Friday, 01-Mar-24 12:00:05 GMT")
write("tract", "retry_after_asctime.txt", "Fri Mar  1 12:00:02 2024")

# --- hub frames, one per line, as a console receives them --------------------
agents = [{"name": "Asha", "role": "supervisor", "capacity": 3, "presence": "online"},
          {"name": "Priya", "role": "agent", "capacity": 5, "presence": "away"}]
welcome = {"type": "welcome", "agent": "Priya", "role": "agent", "seq": 2, "capacity": 5,
           "receiver_id": "ect-1", "hub": "tract-console 0.1.0", "keeps_from": 1, "agents": agents}


def stored_message(seq, body, sender="ceu", direction="in", **extra):
    m = {"store_seq": seq, "message_id": 40 + seq, "sender": sender, "direction": direction,
         "timestamp": "2026-12-05T10:00:00.000Z", "received_at": "2026-12-05T10:00:00.120Z",
         "message_body": body}
    m.update(extra)
    return m


def stored_event(seq, category, subcategory, raw, metadata=None):
    e = {"store_seq": seq, "category": category, "subcategory": subcategory,
         "received_at": "2026-12-05T10:00:01.000Z", "direction": "in", "raw": compact(raw)}
    if metadata is not None:
        e["metadata"] = metadata
    return e


def event(seq, kind, **fields):
    e = {"type": "event", "seq": seq, "kind": kind, "at": "2026-12-05T10:00:02.000Z"}
    e.update(fields)
    return e


state_raw = {"conversation_number": "7", "user_id": "u1", "type": "conversation_state",
             "subtype": "incomplete"}
frames = [compact(welcome)]
seq = 3
for name in ("text_plain", "text_quick_replies", "carousel_cards", "button_links", "image", "form"):
    frames.append(compact(event(seq, "message", user_id="u1", conversation_no="7",
                                message=stored_message(seq, hsl[name]))))
    seq += 1
frames += [
    compact(event(seq, "user", user={"user_id": "u1", "user_name": "Asha Rao",
                                     "device_platform": "14", "ect_user_id": "tc-1"})),
    compact(event(seq + 1, "conversation_state", user_id="u1", conversation_no="7",
                  state="incomplete", event=stored_event(9, "conversation_state", "incomplete",
                                                         state_raw))),
    compact(event(seq + 2, "assignment", user_id="u1", conversation_no="7", agent="Priya",
                  state="assigned", previous="", by="hub", reason="routed",
                  waiting_since="2026-12-05T10:00:01.000Z")),
    compact(event(seq + 3, "message", user_id="u1", conversation_no="7",
                  message=stored_message(10, {"type": "TEXT", "text": "On it."}, sender="aeu",
                                         direction="out", outbox_id=5, command_id="c1",
                                         agent="Priya"))),
    compact({"type": "result", "id": "c1", "ok": True, "outbox_id": 5}),
    compact(event(seq + 4, "outbox", outbox_id=5, command_id="c1", agent="Priya", user_id="u1",
                  state="sent", error="")),
    compact({"type": "result", "id": "c2", "ok": False, "error": "Asha Rao's thread is assigned to Priya"}),
    compact(event(seq + 5, "presence", agent="Asha", status="away")),
    compact(event(seq + 6, "agent", change="updated",
                  agent={"name": "Ravi", "role": "agent", "capacity": 2})),
    compact(event(seq + 7, "thread_control", user_id="u1", conversation_no="7", action="pass",
                  to="iva", requester="ect-1",
                  event=stored_event(11, "thread_control", "pass", state_raw,
                                     compact({"from": "ect-1", "to": "iva", "requester": "ect-1"})))),
]
write("hub", "session.jsonl", "\n".join(frames) + "\n")
snapshot = {"type": "snapshot", "seq": 20, "agents": agents,
            "assignments": [{"user_id": "u1", "conversation_no": "7", "agent": "Priya",
                             "state": "assigned", "waiting_since": "2026-12-05T10:00:01.000Z"},
                            {"user_id": "u2", "conversation_no": "3", "agent": "",
                             "state": "queued", "waiting_since": "2026-12-05T09:00:00Z"}],
            "users": [{"user_id": "u1", "user_name": "Asha Rao"}, {"user_id": "u2"}],
            "threads": [{"user_id": "u1", "conversation_no": "7",
                         "messages": [stored_message(1, hsl["text_hindi"]),
                                      stored_message(2, hsl["carousel_video"], sender="iva")],
                         "events": [stored_event(3, "conversation_state", "incomplete", state_raw)]},
                        {"user_id": "u2", "conversation_no": "3",
                         "messages": [stored_message(4, hsl["system_pinned"], sender="haptik")],
                         "events": []}]}
write("hub", "snapshot.jsonl", compact(welcome) + "\n" + compact(snapshot) + "\n")
write("hub", "error.jsonl", compact({"type": "error", "error": "a frame must be a JSON object"}) + "\n")
