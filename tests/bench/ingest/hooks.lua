-- wrk script for the hook-ingest benchmark: POSTs realistic TRACT message/receive
-- hooks to the URL given to wrk (http://127.0.0.1:PORT/hooks/<secret>/message/receive).
--
--   wrk -t2 -c32 -d10s --latency -s hooks.lua URL
--
-- Every request is a distinct message: user_id cycles over USERS end users and
-- message_id increases per request (offset per wrk thread), so the console's
-- deduplication never drops one and each acknowledged hook must become a row.
-- Environment: HOOKS_ID_BASE offsets every message_id (a second run against the
-- same console stays distinct); HOOKS_DELAY_MS > 0 makes each connection wait that
-- long before each request, which paces the load at about
-- connections / (delay + latency) requests/s instead of as fast as acks come.
-- At the end it prints one machine-readable line for run.sh:
--   wrk-report {"requests":N,"rps":R,"p50_ms":..,"p90_ms":..,"p99_ms":..,"max_ms":..,"errors":E}

local USERS = 50
local ID_STRIDE = 100000000 -- message ids per wrk thread
local ID_BASE = tonumber(os.getenv("HOOKS_ID_BASE") or "") or 0
local DELAY_MS = tonumber(os.getenv("HOOKS_DELAY_MS") or "") or 0

local threads = {}
local next_thread_id = 0

function setup(thread)
    thread:set("thread_id", next_thread_id)
    next_thread_id = next_thread_id + 1
    table.insert(threads, thread)
end

local counter = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
    counter = 0
end

function request()
    counter = counter + 1
    local message_id = ID_BASE + (thread_id or 0) * ID_STRIDE + counter
    local user = string.format("bench-user-%02d", message_id % USERS + 1)
    local body = string.format(
        '{"user_id":"%s","conversation_number":"1","message_id":%d,"sender":"ceu",' ..
        '"timestamp":"%s",' ..
        '"message_body":{"type":"TEXT","text":"Hi, I ordered a blue kettle last week and it ' ..
        'has not arrived yet. Order #%d, can you check where it is?","data":{"quick_replies":[]}},' ..
        '"metadata":{"channel":"web","bench":true}}',
        user, message_id, os.date("!%Y-%m-%dT%H:%M:%SZ"), message_id)
    return wrk.format("POST", nil, headers, body)
end

-- Defined only when pacing: wrk schedules every request through a timer once
-- a delay() exists.
if DELAY_MS > 0 then
    function delay()
        return DELAY_MS
    end
end

function done(summary, latency, requests)
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write +
        summary.errors.status + summary.errors.timeout
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'wrk-report {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,' ..
        '"p99_ms":%.3f,"max_ms":%.3f,"errors":%d,"status_errors":%d,"timeouts":%d}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000,
        errors, summary.errors.status, summary.errors.timeout))
end
