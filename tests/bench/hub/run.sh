#!/usr/bin/env bash
# Team hub benchmark (docs/benchmarks.md, "Team hub"), loopback only:
# tract-sandbox --load sends RATE message hooks a second for SECONDS to a
# `tract-console --hub` while CONSOLES hub clients (one process) are connected.
# Checks: every console got every message event with no gap, store -> console
# p99 under 50 ms, hub peak RSS under 250 MB. Exit 3 on a missed target.
#
# Usage: tests/bench/hub/run.sh   (expects a build in $BUILD_DIR, default build/)
# Environment: CONSOLES (200), RATE (1000), SECONDS_LOAD (30), USERS (200), KEEP=1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
consoles="${CONSOLES:-200}"
rate="${RATE:-1000}"
seconds="${SECONDS_LOAD:-30}"
users="${USERS:-200}"
work="$(mktemp -d /tmp/tract-bench-hub.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT

console="$build/app/tract-console"
for i in $(seq 1 "$consoles"); do
  "$console" --data-dir "$work/hub" --hub-add-agent "agent$i" --capacity 3 >> "$work/tokens"
done

"$build/sandbox/tract-sandbox" --listen 127.0.0.1:0 --bot-delay 100000 --user-reply-delay 0 \
  --load "users=$users,rate=$rate,duration=$seconds" > "$work/sandbox.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q '^listening on' "$work/sandbox.out" && break; sleep 0.1; done
sandbox_url=$(sed -n 's/^listening on //p' "$work/sandbox.out" | head -1)

# The consoles connect first; the hub registers its hooks (which starts the
# load) a moment later, so every message arrives live.
TRACT_TOKEN=demo-token "$console" --hub --tract-url "$sandbox_url" --client-id demo \
  --data-dir "$work/hub" --hub-listen 127.0.0.1:0 > "$work/hub.out" 2>"$work/hub.err" &
hub_pid=$!
pids+=($hub_pid)
for _ in $(seq 100); do grep -q '^hub listening on' "$work/hub.out" && break; sleep 0.1; done
hub_url=$(sed -n 's/^hub listening on //p' "$work/hub.out")
echo "hub $hub_url, sandbox $sandbox_url, $consoles consoles, $rate hooks/s for $seconds s"

"$build/tests/bench/hub/bench_hub_consoles" "$hub_url" "$work/tokens" $((seconds + 15)) \
  > "$work/bench.out" &
bench_pid=$!
peak=0
while kill -0 "$bench_pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$hub_pid/status" 2>/dev/null || echo 0)
  [ "${rss:-0}" -gt "$peak" ] && peak=$rss
  sleep 0.5
done
wait "$bench_pid"
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$hub_pid/status")
report=$(sed -n 's/^hub-bench //p' "$work/bench.out")
load=$(sed -n 's/^load-report //p' "$work/sandbox.out" | tail -1)
echo "consoles: $report"
echo "sandbox:  $load"
echo "hub RSS peak ${peak} kB (VmHWM ${hwm} kB)"

python3 - "$report" "$load" "$hwm" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); load = json.loads(sys.argv[2]) if sys.argv[2] else {}
hwm_mb = int(sys.argv[3]) / 1024
acked = load.get("acked", load.get("delivered"))
ok = True
def check(name, good, detail):
    global ok
    ok = ok and good
    print(f"[{'ok' if good else 'MISS'}] {name}: {detail}")
check("every console connected", r["connected"] == r["consoles"], f'{r["connected"]}/{r["consoles"]}')
check("every console got every message", r["min_messages"] == r["max_messages"] and (acked is None or r["min_messages"] >= acked),
      f'min {r["min_messages"]}, max {r["max_messages"]}, sandbox acked {acked}')
check("no gap or duplicate", r["gaps"] == 0, f'{r["gaps"]} gaps')
check("stored -> console p99 < 50 ms", 0 <= r["p99_ms"] < 50, f'p50 {r["p50_ms"]} ms, p99 {r["p99_ms"]} ms, max {r["max_ms"]} ms over {r["live_samples"]} receipts')
check("hub RSS < 250 MB", hwm_mb < 250, f'{hwm_mb:.0f} MB')
sys.exit(0 if ok else 3)
PY
