#!/usr/bin/env bash
# The accessibility check: the real console window under Xvfb, its AT-SPI tree
# walked by a11y_flow.py, against a real tract-sandbox playing the demo
# scenario. Runs in its own D-Bus session (the AT-SPI bus is activated from it)
# with an unlocked gnome-keyring, so the console stores its token as it would
# on a desktop.
#   test_a11y.sh CONSOLE SANDBOX
set -euo pipefail
console=$1 sandbox=$2
here=$(cd "$(dirname "$0")" && pwd)
for tool in xvfb-run dbus-run-session gnome-keyring-daemon xdotool; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing: run scripts/setup" >&2; exit 1; }
done
/usr/bin/python3 -c 'import pyatspi' 2>/dev/null ||
  { echo "FAIL: python3-pyatspi is missing: run scripts/setup" >&2; exit 1; }

if [ "${1:-}" != --inside ]; then
  work=$(mktemp -d)
  chmod 700 "$work"
  trap 'rm -rf "$work"' EXIT
  export A11Y_WORK=$work
  # Not exec: the trap above removes the scratch directory afterwards.
  status=0
  dbus-run-session -- xvfb-run -a -s "-screen 0 1440x900x24" "$0" --inside "$console" "$sandbox" ||
    status=$?
  exit "$status"
fi
console=$2 sandbox=$3 work=$A11Y_WORK
mkdir -p "$work/data" "$work/config" "$work/cache"
# The keyring lives under XDG_DATA_HOME: set it first, or the unlock below
# would create or open the user's own keyring.
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"
echo -n tract-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_QPA_PLATFORM=xcb LANG=C.UTF-8 LC_ALL=C.UTF-8
unset QT_SCALE_FACTOR
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

"$sandbox" --listen 127.0.0.1:0 --client-id a11y --token a11y-token --scenario demo --seed 7 \
  --bot-delay 50 --grant-delay 200 >"$work/sandbox.log" 2>&1 &
pids+=($!)
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$work/sandbox.log" | head -n1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "FAIL: the sandbox did not start:" >&2; cat "$work/sandbox.log" >&2; exit 1; }

TRACT_TOKEN=a11y-token "$console" --tract-url "$url" --client-id a11y \
  --data-dir "$work/console" >"$work/console.log" 2>&1 &
pids+=($!)
win=""
for _ in $(seq 1 100); do
  win=$(xdotool search --onlyvisible --name 'TRACT Console' 2>/dev/null | head -n1 || true)
  [ -n "$win" ] && break
  sleep 0.2
done
[ -n "$win" ] || { echo "FAIL: no console window:" >&2; cat "$work/console.log" >&2; exit 1; }
# No window manager under Xvfb: size the window and give it the keyboard.
xdotool windowmove "$win" 0 0 windowsize "$win" 1400 860 windowfocus --sync "$win"

status=0
/usr/bin/python3 "$here/a11y_flow.py" "$url" "Thanks, I have refunded your order." "$win" \
  "${pids[0]}" || status=$?
if [ "$status" = 0 ]; then
  # Quit as an agent does (Ctrl+Q): with the AT-SPI tree built, tearing the
  # window down must not crash.
  console_pid=${pids[1]}
  xdotool windowfocus --sync "$win" key ctrl+q || true
  for _ in $(seq 1 50); do kill -0 "$console_pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$console_pid" 2>/dev/null; then
    echo "FAIL: the console did not quit on Ctrl+Q" >&2; status=1
  else
    wait "$console_pid" && echo "a11y: quit cleanly" || { echo "FAIL: the console exited with $? on quit" >&2; status=1; }
  fi
fi
if [ "$status" != 0 ]; then
  echo "--- console log" >&2; tail -n 40 "$work/console.log" >&2
fi
exit "$status"
