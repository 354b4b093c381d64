#!/usr/bin/env bash
# Team hub benchmark (docs/benchmarks.md, "Team hub"), loopback only.
#
#   1. a fresh hub data dir with CONSOLES agents (--hub-add-agent; SUPERVISORS of them
#      supervisors, the rest role agent, capacity CAPACITY), one token per console;
#   2. tract-sandbox, and `tract-console --hub` registered with it;
#   3. CONSOLES WebSocket consoles (bench_hub_consoles, split over CLIENT_PROCS
#      processes), each hello with resume_from 0, all welcomed and caught up first;
#   4. bench_hub_sender: USERS end users handed to the ECT through the sandbox (the hub
#      routes each thread to an agent), then RATE message/receive hooks/s for
#      LOAD_SECONDS s, open loop. VIA=listener (the default) POSTs each hook straight to
#      the hub's webhook listener, as TRACT would; VIA=sandbox POSTs each message to the
#      sandbox's control API (/sandbox/messages) and the sandbox delivers the hook, which
#      adds the sandbox's own CPU (about half a core at 1,000/s) to the shared machine;
#   5. the consoles wait until each has every message the hub stored (at most
#      DRAIN_SECONDS), while this script samples the hub's VmRSS every 0.2 s; then
#      VmHWM, CPU time and system calls per process and per hub thread, and the hooks
#      the hub stored per second (to show the load was a faithful RATE/s).
# Then a summary, the three targets of the issue, exit 0 if all are met, 3 if one is
# missed, 1 if the run itself failed:
#   - every console receives every message event, each once, and every event's seq is
#     the previous + 1 (no gap, no repeat);
#   - hook ack -> console receipt p99 < 50 ms, measured as receipt - the message's
#     received_at (the listener's clock before the COMMIT its ack waits for: an upper
#     bound of ack -> receipt; see hub_consoles.cpp), split at the event's "at" (when
#     the hub made the event) into the hub's tailing and its storing + sending;
#   - hub peak RSS (VmHWM) < 250 MB.
# Everything runs on this machine: the consoles' CPU time and their own event-loop lag
# are printed so the share of the latency that is the bench's own can be judged.
#
# It builds nothing. Build first (through the shared lock):
#   flock /tmp/tract-build.lock cmake --build build --target tract-console tract-sandbox \
#       bench_hub_consoles bench_hub_sender
# Usage: tests/bench/hub/run.sh
# Environment: TRACT_BUILD_DIR (default build/ beside tests/), CONSOLES (200),
#   SUPERVISORS (1), CAPACITY (3), USERS (200), RATE (1000), LOAD_SECONDS (30),
#   CLIENT_PROCS (2), SENDER_CONNECTIONS (16), SETTLE_SECONDS (3), DRAIN_SECONDS (30),
#   TARGET_P99_MS (50), TARGET_RSS_MB (250), VIA (listener | sandbox), PERF=1
#   (perf record of the hub, the sandbox and the first console process during the load,
#   kept with KEEP=1; PERF_FREQ, PERF_CALLGRAPH), KEEP=1 keeps the work dir.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
build="${TRACT_BUILD_DIR:-$root/build}"
consoles="${CONSOLES:-200}"
supervisors="${SUPERVISORS:-1}"
capacity="${CAPACITY:-3}"
users="${USERS:-200}"
rate="${RATE:-1000}"
load_seconds="${LOAD_SECONDS:-30}"
client_procs="${CLIENT_PROCS:-2}"
sender_connections="${SENDER_CONNECTIONS:-16}"
settle_seconds="${SETTLE_SECONDS:-3}"
drain_seconds="${DRAIN_SECONDS:-30}"
target_p99_ms="${TARGET_P99_MS:-50}"
target_rss_mb="${TARGET_RSS_MB:-250}"
via="${VIA:-listener}"
export VIA="$via"
case "$via" in listener | sandbox) ;; *) echo "bench: VIA must be listener or sandbox" >&2; exit 1 ;; esac
ect=demo
token=demo-token

console_bin="$build/app/tract-console"
sandbox_bin="$build/sandbox/tract-sandbox"
clients_bin="$build/tests/bench/hub/bench_hub_consoles"
sender_bin="$build/tests/bench/hub/bench_hub_sender"

log() { echo "bench: $*" >&2; }
die() {
    log "$*"
    exit 1
}
for b in "$console_bin" "$sandbox_bin" "$clients_bin" "$sender_bin"; do
    [ -x "$b" ] || die "missing $b: build it first (see the top of $0)"
done
command -v python3 >/dev/null || die "python3 is needed for the summary"
[ "$client_procs" -ge 1 ] && [ "$client_procs" -le "$consoles" ] ||
    die "CLIENT_PROCS must be 1..CONSOLES"

work="$(mktemp -d /tmp/tract-bench-hub.XXXXXX)"
data="$work/hub-data"
control="$work/control"
mkdir -p "$data" "$control"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "${KEEP:-0}" = 1 ]; then
        log "kept $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD...: runs CMD in the background, output in $work/NAME.{out,err}.
start() {
    local name="$1"
    shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
    pids+=($!)
    last_pid=$!
}

# wait_line NAME REGEX SECONDS: prints the first stdout line of NAME matching REGEX.
wait_line() {
    local name="$1" regex="$2" limit="$3" line i
    for ((i = 0; i < limit * 20; i++)); do
        line="$(grep -m1 -E "$regex" "$work/$name.out" 2>/dev/null || true)"
        if [ -n "$line" ]; then
            echo "$line"
            return 0
        fi
        kill -0 "$last_pid" 2>/dev/null || break
        sleep 0.05
    done
    log "$name: no line matching '$regex' within ${limit}s; its stderr:"
    tail -n 20 "$work/$name.err" >&2 || true
    return 1
}

# wait_pid PID SECONDS: waits for PID to exit by itself; kills it after SECONDS.
wait_pid() {
    local pid="$1" limit="$2" i
    for ((i = 0; i < limit * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "process $pid still running after ${limit}s; stopping it"
        kill "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# cpu_ticks PID: user + system clock ticks of a process (0 if gone).
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
# thread_ticks PID: "TID NAME TICKS SYSCR SYSCW WCHAR" per thread of PID (CPU in clock
# ticks, read and write system calls, bytes written).
thread_ticks() {
    python3 - "$1" <<'PY'
import os, sys
base = f"/proc/{sys.argv[1]}/task"
for tid in sorted(os.listdir(base), key=int):
    try:
        stat = open(f"{base}/{tid}/stat").read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_")
    fields = stat[stat.rindex(")") + 2:].split()
    io = {}
    try:
        for line in open(f"{base}/{tid}/io"):
            key, value = line.split(":")
            io[key] = int(value)
    except OSError:
        pass
    print(tid, name, int(fields[11]) + int(fields[12]), io.get("syscr", 0), io.get("syscw", 0),
          io.get("wchar", 0))
PY
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

log "work dir $work; build $build"
log "load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
log "$consoles consoles ($supervisors supervisors, capacity $capacity) in $client_procs" \
    "processes; $users end users; $rate messages/s for ${load_seconds}s via the $via"

# --- 1. agents --------------------------------------------------------------------------
: >"$work/tokens"
for ((i = 1; i <= consoles; i++)); do
    role=agent
    [ "$i" -le "$supervisors" ] && role=supervisor
    name="$(printf 'bench-%s-%03d' "$role" "$i")"
    "$console_bin" --data-dir "$data" --hub-add-agent "$name" --role "$role" \
        --capacity "$capacity" >>"$work/tokens" 2>"$work/add-agent.err" ||
        die "--hub-add-agent $name failed: $(cat "$work/add-agent.err")"
done
[ "$(grep -c . "$work/tokens")" -eq "$consoles" ] || die "expected $consoles tokens"

# --- 2. sandbox and hub -----------------------------------------------------------------
start sandbox "$sandbox_bin" --listen 127.0.0.1:0 --client-id "$ect" --token "$token" \
    --user-reply-delay 0
sandbox_pid=$last_pid
line="$(wait_line sandbox '^listening on ' 10)" || die "the sandbox did not start"
sandbox_url="${line#listening on }"

start hub env TRACT_TOKEN="$token" "$console_bin" --hub --tract-url "$sandbox_url" \
    --client-id "$ect" --listen 127.0.0.1:0 --hub-listen 127.0.0.1:0 --data-dir "$data"
hub_pid=$last_pid
line="$(wait_line hub '^hub listening on ' 20)" || die "the hub did not start"
hub_url="${line#hub listening on }"
wait_line hub '^hook message/receive: registered' 20 >/dev/null ||
    die "the hub did not register its message hook"
log "sandbox $sandbox_url; hub $hub_url (pid $hub_pid)"
hook_url=""
if [ "$via" = listener ]; then
    line="$(grep -m1 -E '^listening on ' "$work/hub.out")"
    secret_file="$data/secrets/hook-path-secret%2F$ect"
    [ -f "$secret_file" ] || die "no hook path secret at $secret_file"
    listen_url="${line#listening on }"
    hook_url="${listen_url%/}/hooks/$(cat "$secret_file")/message/receive"
fi

# --- 3. consoles ------------------------------------------------------------------------
client_pids=()
per=$(((consoles + client_procs - 1) / client_procs))
max_seconds=$((60 + settle_seconds + load_seconds + 10 + drain_seconds + 30))
for ((p = 0; p < client_procs; p++)); do
    first=$((p * per))
    [ "$first" -lt "$consoles" ] || break
    start "clients-$p" "$clients_bin" "$hub_url" "$work/tokens" "$control" --first "$first" \
        --count "$per" --drain-seconds "$drain_seconds" --max-seconds "$max_seconds"
    client_pids+=("$last_pid")
done
for ((i = 0; i < 600; i++)); do
    n="$(find "$control" -name 'ready.*' | wc -l)"
    [ "$n" -ge "${#client_pids[@]}" ] && break
    for pid in "${client_pids[@]}"; do
        kill -0 "$pid" 2>/dev/null || die "a console process ended early: $(cat "$work"/clients-*.err)"
    done
    sleep 0.1
done
[ "$n" -ge "${#client_pids[@]}" ] || die "the consoles were not all welcomed within 60 s"
log "$consoles consoles connected and caught up; hub VmRSS $(rss_kb "$hub_pid") kB"

# --- 4. load ----------------------------------------------------------------------------
"$sender_bin" setup "$sandbox_url" "$ect" "$users" >"$work/setup.out" 2>"$work/setup.err" ||
    die "setup failed: $(cat "$work/setup.out" "$work/setup.err")"
sleep "$settle_seconds" # the handoffs' hooks, routing and assignment events go out first

hub_ticks0="$(cpu_ticks "$hub_pid")"
sandbox_ticks0="$(cpu_ticks "$sandbox_pid")"
thread_ticks "$hub_pid" >"$work/threads0"
rss_before="$(rss_kb "$hub_pid")"
perf_pids=()
if [ "${PERF:-0}" = 1 ]; then # profiles of the load window, kept with KEEP=1
    for target in hub:"$hub_pid" sandbox:"$sandbox_pid" clients-0:"${client_pids[0]}"; do
        perf record -F "${PERF_FREQ:-199}" --call-graph "${PERF_CALLGRAPH:-dwarf,16384}" -o "$work/perf-${target%%:*}.data" \
            -p "${target#*:}" >"$work/perf-${target%%:*}.log" 2>&1 &
        perf_pids+=($!)
        pids+=($!)
    done
fi
read -r _ u0 n0 s0 i0 w0 q0 sq0 st0 _ </proc/stat
if [ "$via" = listener ]; then
    start sender "$sender_bin" hooks "$hook_url" "$users" "$rate" "$load_seconds" \
        "$sender_connections"
else
    start sender "$sender_bin" load "$sandbox_url" "$users" "$rate" "$load_seconds" \
        "$sender_connections"
fi
sender_pid=$last_pid
peak=0
: >"$work/rss.samples"
for ((i = 0; i < (load_seconds + 20) * 5; i++)); do
    kill -0 "$sender_pid" 2>/dev/null || break
    rss="$(rss_kb "$hub_pid")"
    echo "$rss" >>"$work/rss.samples"
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    sleep 0.2
done
wait_pid "$sender_pid" 5
read -r _ u1 n1 s1 i1 w1 q1 sq1 st1 _ </proc/stat
hub_ticks1="$(cpu_ticks "$hub_pid")"
sandbox_ticks1="$(cpu_ticks "$sandbox_pid")"
thread_ticks "$hub_pid" >"$work/threads1"
loadavg="$(cut -d' ' -f1-3 /proc/loadavg)"
machine_busy=$(((u1 + n1 + s1 + q1 + sq1 + st1) - (u0 + n0 + s0 + q0 + sq0 + st0)))
machine_all=$((machine_busy + (i1 + w1) - (i0 + w0)))
for pid in "${perf_pids[@]}"; do
    kill -INT "$pid" 2>/dev/null || true
done
for pid in "${perf_pids[@]}"; do
    wait_pid "$pid" 30
done
report="$(sed -n 's/^sender-report //p' "$work/sender.out")"
[ -n "$report" ] || die "no sender-report: $(cat "$work/sender.out" "$work/sender.err")"
echo "$report" >"$work/sender.json"
# What the consoles must each receive: every bench message the hub stored. Normally the
# sender's accepted count; wait (bounded) until the hub's count reaches it or stops growing.
stored_messages() {
    python3 - "$data/console.sqlite" <<'PY'
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
print(con.execute("SELECT count(*) FROM messages").fetchone()[0])
PY
}
accepted="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accepted"])' \
    "$work/sender.json")"
stored=0
previous=-1
for ((i = 0; i < 150; i++)); do
    stored="$(stored_messages 2>/dev/null || echo 0)"
    [ "$stored" -ge "$accepted" ] && break
    if [ "$stored" = "$previous" ] && [ $((i % 10)) = 9 ]; then
        break # nothing new for a second
    fi
    [ $((i % 10)) = 9 ] && previous=$stored
    sleep 0.1
done
echo "$stored" >"$control/expect.tmp" && mv "$control/expect.tmp" "$control/expect"
log "sender: $report"

# --- 5. drain ---------------------------------------------------------------------------
for ((i = 0; i < (drain_seconds + 10) * 5; i++)); do
    alive=0
    for pid in "${client_pids[@]}"; do
        kill -0 "$pid" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    rss="$(rss_kb "$hub_pid")"
    echo "$rss" >>"$work/rss.samples"
    [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    sleep 0.2
done
for pid in "${client_pids[@]}"; do
    wait_pid "$pid" 5
done
hwm="$(awk '/^VmHWM:/ { print $2 }' "/proc/$hub_pid/status")"
rss_end="$(rss_kb "$hub_pid")"
kill -0 "$hub_pid" 2>/dev/null || die "the hub died: $(tail -n 20 "$work/hub.err")"
# The sandbox's latest 10,000 deliveries: none pending or retried; its own ack timing.
sandbox_state() {
    python3 - "$sandbox_url" <<'PY'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/sandbox/state", timeout=10) as r:
    d = [x for x in json.load(r).get("deliveries", []) if x.get("category") == "message"]
acks = sorted(x["ack_latency_ms"] for x in d if "ack_latency_ms" in x)
pct = lambda p: acks[min(len(acks) - 1, int(p * len(acks)))] if acks else -1
print(json.dumps({"deliveries": len(d),
                  "not_delivered": sum(1 for x in d if x.get("status") != "delivered"),
                  "retried": sum(1 for x in d if x.get("attempts", 1) > 1),
                  "ack_p50_ms": pct(0.5), "ack_p99_ms": pct(0.99), "ack_max_ms": pct(1.0)}))
PY
}
sandbox_state >"$work/sandbox-state.json" 2>>"$work/summary.err" ||
    echo '{}' >"$work/sandbox-state.json"
for ((p = 0; p < ${#client_pids[@]}; p++)); do
    sed -n 's/^consoles-report //p' "$work/clients-$p.out" >"$work/clients-$p.json"
    cat "$work/clients-$p.err" >&2 || true
done

# --- summary ----------------------------------------------------------------------------
python3 - "$work" "${#client_pids[@]}" "$consoles" "$hwm" "$peak" "$rss_before" "$rss_end" \
    "$((hub_ticks1 - hub_ticks0))" "$((sandbox_ticks1 - sandbox_ticks0))" \
    "$(getconf CLK_TCK)" "$target_p99_ms" "$target_rss_mb" "$rate" "$load_seconds" \
    "$users" "$data" "$machine_busy" "$machine_all" "$loadavg" <<'EOF'
import json, math, os, sqlite3, sys

(work, procs, consoles, hwm_kb, peak_kb, rss_before, rss_end, hub_ticks, sandbox_ticks,
 clk, t_p99, t_rss, rate, load_s, users, data, m_busy, m_all, loadavg) = sys.argv[1:]
procs, consoles, clk = int(procs), int(consoles), int(clk)
sender = json.load(open(f"{work}/sender.json"))
state = json.load(open(f"{work}/sandbox-state.json"))
reports = []
for p in range(procs):
    text = open(f"{work}/clients-{p}.json").read().strip()
    if not text:
        print(f"bench: console process {p} printed no report", file=sys.stderr)
        sys.exit(1)
    reports.append(json.loads(text))

def merged(key):
    bins, n, mx, bin_us = {}, 0, 0.0, 100
    for r in reports:
        h = r[key]
        bin_us = h["bin_us"]
        n += h["n"]
        mx = max(mx, h["max_ms"])
        for b, c in h["bins"].items():
            bins[int(b)] = bins.get(int(b), 0) + c
    order = sorted(bins)
    def pct(p):
        if n == 0:
            return float("nan")
        rank, seen = max(1, math.ceil(p * n)), 0
        for b in order:
            seen += bins[b]
            if seen >= rank:
                return (b + 1) * bin_us / 1000
        return mx
    return {"n": n, "p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99), "p999": pct(0.999),
            "max": mx}

def total(key):
    return sum(r[key] for r in reports)

stored, sent, lag = merged("stored"), merged("sent"), merged("loop_lag")
to_event, from_event = merged("stored_to_event"), merged("event_to_console")
expected = max(r["expected"] for r in reports)  # the hub's stored bench messages
welcomed = total("welcomed")
min_distinct = min(r["min_distinct"] for r in reports)
max_distinct = max(r["max_distinct"] for r in reports)
missing, duplicates = total("missing"), total("duplicates")
gaps, repeats = total("seq_gaps"), total("seq_repeats")
closed = total("closed_early")

def db_count(path, sql):
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        return con.execute(sql).fetchone()[0]
    except Exception as e:  # noqa: BLE001 (information only)
        return f"? ({e})"

stored_rows = db_count(f"{data}/console.sqlite", "SELECT count(*) FROM messages")
hub_events = db_count(f"{data}/hub.sqlite", "SELECT max(seq) FROM events")

# Hub threads' CPU over the load and drain (by thread id; names as the kernel has them).
def threads(path):
    out = {}
    for line in open(path):
        parts = line.split()
        if len(parts) >= 6:
            out[parts[0]] = (parts[1], *map(int, parts[2:6]))
    return out
t0, t1 = threads(f"{work}/threads0"), threads(f"{work}/threads1")
busy = sorted(((t1[t][1] - t0.get(t, ("", 0, 0, 0, 0))[1], t1[t][0],
                t1[t][2] - t0.get(t, ("", 0, 0, 0, 0))[2],
                t1[t][3] - t0.get(t, ("", 0, 0, 0, 0))[3],
                t1[t][4] - t0.get(t, ("", 0, 0, 0, 0))[4]) for t in t1), reverse=True)
window_s = sender["elapsed_s"]
cores = os.cpu_count() or 1
busy_cores = int(m_busy) / max(1, int(m_all)) * cores
samples = [int(x) for x in open(f"{work}/rss.samples").read().split() if x.strip()]

print()
via = os.environ.get("VIA", "listener")
print(f"Team hub: {consoles} consoles in {procs} processes, {users} end users, "
      f"{rate} messages/s for {load_s} s via the {via}, loopback")
print(f"sender:   sent {sender['sent']}, accepted {sender['accepted']}, errors "
      f"{sender['errors']}, late {sender['late']}, POST p50 {sender['post_p50_ms']:.2f} "
      f"p99 {sender['post_p99_ms']:.2f} max {sender['post_max_ms']:.2f} ms, "
      f"{sender['accepted'] / sender['duration_s']:.0f}/s")
if via == "sandbox":
    print(f"sandbox:  latest {state.get('deliveries', '?')} message hooks: not delivered "
          f"{state.get('not_delivered', '?')}, retried {state.get('retried', '?')}; its "
          f"ack p50 {state.get('ack_p50_ms', -1):.2f} p99 {state.get('ack_p99_ms', -1):.2f} "
          f"max {state.get('ack_max_ms', -1):.2f} ms (first send -> 2xx, in the sandbox)")
print(f"hub:      {stored_rows} messages stored, last seq {hub_events}")
print(f"consoles: welcomed {welcomed}/{consoles}, closed early {closed}, bench messages "
      f"per console min {min_distinct} max {max_distinct} of {expected} stored, missing "
      f"{missing}, "
      f"duplicates {duplicates}, seq gaps {gaps}, seq repeats {repeats}, snapshots "
      f"{total('snapshots')}, error frames {total('error_frames')}, parse mismatches "
      f"{total('parse_mismatches')} of {total('parse_checks')} checked, drain "
      f"{max(r['drain_ms'] for r in reports) / 1000:.2f} s")
print(f"{'latency (ms)':38}{'receipts':>10}{'p50':>8}{'p90':>8}{'p99':>8}{'p99.9':>8}{'max':>9}")
for name, h in (("stored (received_at) -> console", stored),
                ("sender's POST -> console", sent),
                ("  stored -> hub event made (\"at\")", to_event),
                ("  hub event made -> console", from_event),
                ("console process event-loop lag", lag)):
    print(f"{name:38}{h['n']:>10}{h['p50']:>8.1f}{h['p90']:>8.1f}{h['p99']:>8.1f}"
          f"{h['p999']:>8.1f}{h['max']:>9.1f}")
print(f"worst console: p99 {max(r['worst_console_p99_ms'] for r in reports):.0f} ms "
      f"(1 ms bins), max {max(r['worst_console_max_ms'] for r in reports):.1f} ms")
print(f"hub RSS: VmHWM {int(hwm_kb) / 1024:.1f} MB, sampled peak {int(peak_kb) / 1024:.1f} MB "
      f"({len(samples)} samples), {int(rss_before) / 1024:.1f} MB before the load, "
      f"{int(rss_end) / 1024:.1f} MB at the end")
print(f"machine: {busy_cores:.2f} of {cores} cores busy during the load, load average "
      f"{loadavg} at its end")
print(f"CPU during the load ({window_s:.1f} s): hub {int(hub_ticks) / clk:.1f} s "
      f"({int(hub_ticks) / clk / window_s:.2f} cores), sandbox {int(sandbox_ticks) / clk:.1f} s, "
      f"console processes {sum(r['cpu_s'] for r in reports):.1f} s, sender "
      f"{sender.get('cpu_s', -1):.1f} s")
print("  hub threads (CPU; read, write system calls/s; MB/s written): " + "; ".join(
    f"{name} {ticks / clk:.1f} s, {r / window_s:.0f} r/s, {w / window_s:.0f} w/s, "
    f"{b / window_s / 1e6:.1f} MB/s" for ticks, name, r, w, b in busy[:4] if ticks > 0))

# What the hub's listener was given: hooks stored per second of the load (a faithful
# RATE/s shows here; the sandbox falling behind shows as a low minimum and a long tail).
try:
    con = sqlite3.connect(f"file:{data}/console.sqlite?mode=ro", uri=True, timeout=5)
    arrivals = [row[0] for row in con.execute(
        "SELECT received_at_ms FROM messages ORDER BY received_at_ms")]
except Exception as e:  # noqa: BLE001 (information only)
    arrivals = []
    print(f"hook arrivals: ? ({e})")
if arrivals:
    first = arrivals[0]
    per_s = {}
    for a in arrivals:
        per_s[(a - first) // 1000] = per_s.get((a - first) // 1000, 0) + 1
    full = [per_s.get(i, 0) for i in range(int(float(load_s)))]
    print(f"hook arrivals at the hub: {len(arrivals)} over {(arrivals[-1] - first) / 1000:.2f} s; "
          f"per second of the load min {min(full)}, max {max(full)}, after it "
          f"{sum(v for k, v in per_s.items() if k >= int(float(load_s)))}")

checks = [
    ("every console connected and stayed connected", welcomed == consoles and closed == 0),
    (f"the sender delivered {int(rate) * int(load_s)} messages ({'hooks to the hub' if via == 'listener' else 'to the sandbox'}) "
     "and the hub stored them", sender["accepted"] == int(rate) * int(load_s) and sender["errors"] == 0
     and expected == sender["accepted"]),
    ("every console received every message event once",
     expected > 0 and missing == 0 and duplicates == 0 and min_distinct == expected
     and max_distinct == expected and total("parse_mismatches") == 0
     and total("bad_fields") == 0),
    ("every console's seq continuous (no gap, no repeat, no snapshot)",
     gaps == 0 and repeats == 0 and total("snapshots") == 0),
    (f"stored -> console p99 < {t_p99} ms", stored["n"] == expected * consoles
     and stored["p99"] < float(t_p99)),
    (f"hub peak RSS < {t_rss} MB", 0 < int(hwm_kb) < float(t_rss) * 1024),
]
print()
for what, ok in checks:
    print(f"  [{'met' if ok else 'MISSED'}] {what}")
summary = {"consoles": consoles, "procs": procs, "expected": expected, "missing": missing,
           "duplicates": duplicates, "seq_gaps": gaps, "seq_repeats": repeats,
           "stored_ms": stored, "sent_ms": sent, "loop_lag_ms": lag,
           "hub_hwm_mb": round(int(hwm_kb) / 1024, 1),
           "hub_cpu_s": int(hub_ticks) / clk, "sender": sender,
           "targets_met": all(ok for _, ok in checks)}
print("bench-summary " + json.dumps(summary, separators=(",", ":")))
sys.exit(0 if summary["targets_met"] else 3)
EOF
