-- bench/wrk/bench.lua — the wrk script of every bench/run row.
--
-- usage: wrk ... -s bench/wrk/bench.lua URL -- THREADS [LIST [ACCEPT [CAPTURE [WRAP [ERRORS]]]]]
--   THREADS  wrk's -t (each thread takes every THREADS-th line of LIST, so no two threads send the same one)
--   LIST     optional request list, one request a line, tab-separated:
--              METHOD  PATH  TOKEN|-  IDEMPOTENCY-KEY|-  BODY|-
--            Without a list wrk sends its own static request (plain GET rows), and the script only adds done().
--   ACCEPT   comma-separated statuses that count as success besides 2xx (the hold-conflict row passes 409), or -
--   CAPTURE  file prefix: each 201 answer's lock_id, user_id and show_id are appended to CAPTURE.<thread> (the
--            holds that the booking row then books), or -
--   WRAP     "wrap": cycle through the list again when it ends (only where repeating is harmless);
--            otherwise a thread that runs out stops and the row is marked invalid (list exhausted).
--   ERRORS   file prefix: the first 5 unexpected answers of each thread are written to ERRORS.<thread> as
--            status TAB X-Request-ID TAB body (tabs and newlines blanked), or -
-- Every list request carries `X-Request-ID: bench-<line number>` (the server echoes it and logs it), so an
-- unexpected answer leads back to the exact request of the list.
--
-- done() prints one machine-readable line, read by bench/lib/wrkrow.py:
--   BENCHROW requests=… duration_us=… p50=… p75=… p90=… p99=… p999=… max=… (µs) statuses=200:12,409:3
--            unexpected=… connect=… read=… write=… timeout=… exhausted=…
local threads = {}
local created = 0

function setup(thread)
    thread:set("tid", created)
    created = created + 1
    table.insert(threads, thread)
end

statuses = {}
unexpected = 0
exhausted = 0

function init(args)
    local nthreads = tonumber(args[1] or "1")
    local list = args[2]
    if list == nil or list == "-" then
        return -- static request, no response() callback: wrk's own error counters apply
    end
    local accept = {}
    for code in string.gmatch(args[3] or "-", "%d+") do accept[tonumber(code)] = true end
    local capture = args[4]
    local wrap = args[5] == "wrap"
    local errors = args[6]
    local errout, samples = nil, 0
    local out = nil
    if capture ~= nil and capture ~= "-" then
        out = assert(io.open(capture .. "." .. tid, "w"))
        out:setvbuf("line")
    end

    local reqs = {}
    local n = 0
    for line in io.lines(list) do
        if n % nthreads == tid then
            local method, path, token, key, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
            assert(method, "bad list line: " .. line)
            local headers = { ["X-Request-ID"] = "bench-" .. (n + 1) }
            if token ~= "-" then headers["Authorization"] = "Bearer " .. token end
            if key ~= "-" then headers["Idempotency-Key"] = key end
            if body == "-" then
                body = nil
            else
                headers["Content-Type"] = "application/json"
            end
            reqs[#reqs + 1] = wrk.format(method, path, headers, body)
        end
        n = n + 1
    end
    assert(#reqs > 0, "list " .. list .. " has no line for thread " .. tid)
    local i = 0

    request = function()
        i = i + 1
        if i > #reqs then
            if not wrap then
                exhausted = exhausted + 1
                wrk.thread:stop()
            end
            i = 1
        end
        return reqs[i]
    end

    response = function(status, headers, body)
        statuses[status] = (statuses[status] or 0) + 1
        if not (status >= 200 and status < 300) and not accept[status] then
            unexpected = unexpected + 1
            if errors ~= nil and errors ~= "-" and samples < 5 then
                samples = samples + 1
                if errout == nil then -- opened on the first unexpected answer only
                    errout = assert(io.open(errors .. "." .. tid, "w"))
                    errout:setvbuf("line")
                end
                local rid = headers["X-Request-ID"] or headers["x-request-id"] or "-"
                errout:write(status, "\t", rid, "\t", ((body or ""):sub(1, 600):gsub("[\t\r\n]", " ")), "\n")
            end
        end
        if out ~= nil and status == 201 then
            local lock = body:match('"lock_id":"([^"]+)"')
            local user = body:match('"user_id":"([^"]+)"')
            local show = body:match('"show_id":"([^"]+)"')
            if lock and user and show then out:write(user, "\t", show, "\t", lock, "\n") end
        end
    end
end

function done(summary, latency, requests)
    local merged, bad, ex, scripted = {}, 0, 0, false
    for _, thread in ipairs(threads) do
        local s = thread:get("statuses")
        for code, count in pairs(s) do
            scripted = true
            merged[code] = (merged[code] or 0) + count
        end
        bad = bad + thread:get("unexpected")
        ex = ex + thread:get("exhausted")
    end
    if not scripted then
        -- static rows: wrk counts answers >= 400 itself
        bad = summary.errors.status
    end
    local codes = {}
    for code, _ in pairs(merged) do codes[#codes + 1] = code end
    table.sort(codes)
    local parts = {}
    for _, code in ipairs(codes) do parts[#parts + 1] = code .. ":" .. merged[code] end
    local e = summary.errors
    io.write(string.format(
        "BENCHROW requests=%d duration_us=%d p50=%d p75=%d p90=%d p99=%d p999=%d max=%d statuses=%s "
            .. "unexpected=%d connect=%d read=%d write=%d timeout=%d exhausted=%d\n",
        summary.requests, summary.duration, latency:percentile(50), latency:percentile(75),
        latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
        #parts > 0 and table.concat(parts, ",") or "-", bad, e.connect, e.read, e.write, e.timeout, ex))
end
