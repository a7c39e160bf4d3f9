# bench/lib/common.sh — helpers of bench/run (sourced, not run): logging, process statistics, servers, rows.
#
# Expects from bench/run: ROOT, WORK, BIN, THREADS, CONNECTIONS, DURATION, WARMUP, TIMEOUT, RUSH_DEADLINE, RESULTS,
# BACKEND (current one), SERVER_PID (current boxoffice server), DB_PIDS_FN (a function printing the database's pids,
# or empty) and PIDS (an array that the cleanup trap kills).

blog() { printf '[bench] %s\n' "$*" >&2; }
die() { blog "ERROR: $*"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# proc_ticks PID... — utime+stime+cutime+cstime of the processes, in clock ticks (0 for a pid that is gone).
# cutime/cstime make a backend that exits between two readings still count: its time moves to its parent.
proc_ticks() {
    local total=0 pid line rest
    for pid in "$@"; do
        [[ -r /proc/$pid/stat ]] || continue
        line=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        rest=${line##*) } # the command name may hold spaces; the fields after it do not
        # shellcheck disable=SC2086 # split on purpose
        set -- $rest
        total=$((total + ${12} + ${13} + ${14} + ${15}))
    done
    echo "$total"
}

# db_pids — PostgreSQL (postmaster and its children) and Redis, when those are the backend; nothing for SQLite.
db_pids() {
    [[ $BACKEND == postgres ]] || return 0
    echo "$SERVICES_PG_PID"
    ps -o pid= --ppid "$SERVICES_PG_PID" 2>/dev/null || true
    echo "$SERVICES_REDIS_PID"
}

CLK_TCK=$(getconf CLK_TCK)

# stats_begin PID / stats_end PID — CPU % of PID (and of the database) and peak RSS of PID over a row.
# Peak RSS is VmHWM after writing 5 to /proc/PID/clear_refs (resets the high-water mark; Linux ≥ 4.0, as root
# or as the owner). Where that is refused the value is the peak since the process started, marked with ≤.
stats_begin() {
    local pid=$1
    STATS_T0=$(date +%s%N)
    STATS_CPU0=$(proc_ticks "$pid")
    STATS_DB0=$(proc_ticks $(db_pids))
    STATS_HWM_RESET=1
    echo 5 >"/proc/$pid/clear_refs" 2>/dev/null || STATS_HWM_RESET=0
}

stats_end() {
    local pid=$1 t1 cpu1 db1 secs hwm
    t1=$(date +%s%N)
    cpu1=$(proc_ticks "$pid")
    db1=$(proc_ticks $(db_pids))
    secs=$(awk -v a="$STATS_T0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
    STAT_CPU=$(awk -v d=$((cpu1 - STATS_CPU0)) -v s="$secs" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", 100 * d / hz / s }')
    if [[ $BACKEND == postgres ]]; then
        STAT_DBCPU=$(awk -v d=$((db1 - STATS_DB0)) -v s="$secs" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", 100 * d / hz / s }')
    else
        STAT_DBCPU=""
    fi
    hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || true)
    STAT_RSS=${hwm:-}
    if ((!STATS_HWM_RESET)) && [[ -n $hwm ]]; then
        blog "(could not reset the RSS high-water mark of $pid: RSS is the peak since start)"
    fi
}

# start_server LOG — starts `boxoffice serve` on APP_PORT in the background; sets SERVER_PID and READY_MS (ms from
# the fork until GET /ready answers 200).
start_server() {
    local log=$1 t0
    SERVER_LOG=$log
    t0=$(date +%s%N)
    "$BIN" serve --env production --hostname 127.0.0.1 --port "$APP_PORT" >>"$log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    READY_MS=$(python3 - "http://127.0.0.1:$APP_PORT/ready" "$t0" "$SERVER_PID" <<'PY'
import os, sys, time, urllib.request
url, t0, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                print(f"{(time.time_ns() - t0) / 1e6:.0f}")
                sys.exit(0)
    except Exception:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("server exited before it was ready")
    time.sleep(0.005)
sys.exit("server not ready within 120 s")
PY
    ) || { tail -n 30 "$log" >&2; die "boxoffice serve did not get ready (log above)"; }
}

stop_server() {
    [[ -n ${SERVER_PID:-} ]] || return 0
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    local keep=() pid
    for pid in "${PIDS[@]}"; do [[ $pid == "$SERVER_PID" ]] || keep+=("$pid"); done
    PIDS=("${keep[@]}") # a stopped server's pid is never signalled again (it may belong to another process by then)
    SERVER_PID=
}

# wrk_row SECTION NAME URL [--pid PID] [--list FILE] [--accept CODES] [--capture PREFIX] [--wrap] [--header H]
#         [--connections N] [--note TEXT]
# One wrk run (THREADS, CONNECTIONS, DURATION, --latency, bench/wrk/bench.lua); the result goes to RESULTS.
# --connections N runs the row with N connections (and at most N threads) instead.
# Static rows (no --list) are checked with one curl first (must be 2xx) and warmed up for WARMUP seconds.
wrk_row() {
    local section=$1 name=$2 url=$3
    shift 3
    local list=- accept=- capture=- wrap=- pid=$SERVER_PID note="" hdr=() code out
    local conns=$CONNECTIONS threads=$THREADS
    while (($#)); do
        case $1 in
        --pid) pid=$2; shift ;;
        --list) list=$2; shift ;;
        --accept) accept=$2; shift ;;
        --capture) capture=$2; shift ;;
        --wrap) wrap=wrap ;;
        --header) hdr+=(-H "$2"); shift ;;
        --note) note=$2; shift ;;
        --connections) conns=$2; ((threads > conns)) && threads=$conns; shift ;;
        *) die "wrk_row: unknown option $1" ;;
        esac
        shift
    done
    ROW_NO=$((${ROW_NO:-0} + 1))
    out=$WORK/wrk.$BACKEND.$(printf '%02d' "$ROW_NO").$(tr -c 'A-Za-z0-9\n' '-' <<<"$name" | tr -s '-' | cut -c1-50).txt
    if [[ $list == - ]]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$url" || true)
        [[ $code == 2?? ]] || blog "WARNING: $url answers $code before the row starts"
        if ((WARMUP > 0)); then
            wrk -t"$threads" -c"$conns" -d"${WARMUP}s" --timeout "${TIMEOUT}s" "${hdr[@]}" "$url" >/dev/null 2>&1 || true
        fi
    fi
    stats_begin "$pid"
    wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout "${TIMEOUT}s" --latency "${hdr[@]}" \
        -s "$ROOT/bench/wrk/bench.lua" "$url" -- "$threads" "$list" "$accept" "$capture" "$wrap" "$out.err" >"$out" 2>&1 ||
        { cat "$out" >&2; die "wrk failed for $name"; }
    stats_end "$pid"
    [[ $pid == "$SERVER_PID" ]] || STAT_DBCPU="" # the baseline uses no database
    local acc=()
    [[ $accept != - ]] && acc=(--accept "$accept")
    python3 "$ROOT/bench/lib/results.py" wrk --results "$RESULTS" --backend "$BACKEND" --section "$section" \
        --name "$name" --output "$out" --errors "$out.err" --list "$list" --server-log "${SERVER_LOG:-}" "${acc[@]}" --rss "$STAT_RSS" --cpu "$STAT_CPU" --dbcpu "$STAT_DBCPU" \
        --note "$note"
}

# perf_begin KIND / perf_end KIND — with BENCH_PERF naming KIND (a space-separated list: rush, purchase),
# records the server's CPU profile during that row (`perf record -g`, 499 Hz) and writes the flat profile (self time,
# 0.5 % and up; and including callees, 1 % and up) to $WORK/perf.BACKEND.KIND.txt, kept with the logs (BENCH_KEEP=1
# keeps them after a valid run, and keeps perf.data too). BENCH_PERF_CALLGRAPH=dwarf records call chains from the stack
# (`--call-graph dwarf`, 199 Hz): Swift's async frames hide callers from frame-pointer chains, and the report then adds
# the callers of each hot function.
PERF_PID=
perf_begin() {
    [[ " ${BENCH_PERF:-} " == *" $1 "* ]] || return 0
    command -v perf >/dev/null || { blog "BENCH_PERF: perf is not installed (apt-get install linux-perf)"; return 0; }
    local graph=(-F 499 -g)
    [[ ${BENCH_PERF_CALLGRAPH:-} == dwarf ]] && graph=(-F 199 --call-graph dwarf)
    perf record "${graph[@]}" -p "$SERVER_PID" -o "$WORK/perf.$BACKEND.$1.data" >/dev/null 2>&1 &
    PERF_PID=$!
    sleep 0.5
}
perf_end() {
    [[ -n $PERF_PID ]] || return 0
    kill -INT "$PERF_PID" 2>/dev/null || true
    wait "$PERF_PID" 2>/dev/null || true
    PERF_PID=
    local data=$WORK/perf.$BACKEND.$1.data demangle=(cat)
    swift demangle --simplified </dev/null >/dev/null 2>&1 && demangle=(swift demangle --simplified)
    # Self time, then time including callees (what a function and everything it calls cost), names demangled.
    { echo "== self time"
      perf report -i "$data" --no-children --stdio -g none --sort symbol --percent-limit 0.5 2>/dev/null
      echo "== including callees"
      perf report -i "$data" --children --stdio -g none --sort symbol --percent-limit 1 2>/dev/null
      if [[ ${BENCH_PERF_CALLGRAPH:-} == dwarf ]]; then
          echo "== callers of the hot functions (self time 2 % and up)"
          perf report -i "$data" --no-children --stdio -g caller,2,callee,function,percent --sort symbol \
              --percent-limit 2 2>/dev/null
      fi
    } | grep -v -e '^#' -e '^$' | sed 's/  */ /g' | "${demangle[@]}" >"$WORK/perf.$BACKEND.$1.txt" || true
    blog "BENCH_PERF: the server's profile during the $1 row: $WORK/perf.$BACKEND.$1.txt"
    [[ ${BENCH_KEEP:-0} == 1 ]] || rm -f "$data"
}

# purchase_row NAME LIST — the purchase-path driver with CONNECTIONS clients for DURATION seconds.
purchase_row() {
    local name=$1 list=$2 out
    out=$WORK/purchase.$BACKEND.json
    stats_begin "$SERVER_PID"
    perf_begin purchase
    python3 "$ROOT/bench/lib/purchase.py" --app "$APP" --list "$list" --clients "$CONNECTIONS" \
        --duration "$DURATION" --timeout "$TIMEOUT" >"$out" || die "purchase driver failed"
    stats_end "$SERVER_PID"
    perf_end purchase
    python3 "$ROOT/bench/lib/results.py" purchase --results "$RESULTS" --backend "$BACKEND" --section main \
        --name "$name" --output "$out" --rss "$STAT_RSS" --cpu "$STAT_CPU" --dbcpu "$STAT_DBCPU"
}

# rush_row NAME SETUP_DIR — the on-sale rush (bench/lib/onsale.py) on the show and customers `setup.py onsale` made in
# SETUP_DIR: every customer at once until sold out (at most RUSH_DEADLINE seconds), then the checks straight from the
# database (DATABASE_URL). Stats cover the rush only, not the checks.
rush_row() {
    local name=$1 setup=$2 out=$WORK/rush.$BACKEND.json check=$WORK/rush.$BACKEND.check.json show seats
    show=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["show"])' "$setup/onsale.json")
    seats=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seats"])' "$setup/onsale.json")
    stats_begin "$SERVER_PID"
    perf_begin rush
    python3 "$ROOT/bench/lib/onsale.py" rush --app "$APP" --show "$show" --seats "$seats" \
        --customers "$setup/onsale-customers.tsv" --timeout "$((TIMEOUT > 30 ? TIMEOUT : 30))" \
        --deadline "$RUSH_DEADLINE" >"$out" || die "on-sale rush driver failed"
    stats_end "$SERVER_PID"
    perf_end rush
    python3 "$ROOT/bench/lib/onsale.py" check --database-url "$DATABASE_URL" --show "$show" >"$check" ||
        die "on-sale rush checks failed"
    python3 "$ROOT/bench/lib/results.py" rush --results "$RESULTS" --backend "$BACKEND" --section main \
        --name "$name" --output "$out" --check "$check" --setup "$setup/onsale.json" --server-log "${SERVER_LOG:-}" \
        --rss "$STAT_RSS" --cpu "$STAT_CPU" --dbcpu "$STAT_DBCPU"
}

fact() { python3 "$ROOT/bench/lib/results.py" fact --results "$RESULTS" --backend "$BACKEND" --key "$1" --value "$2"; }

# count_label N — 1000 → "1 k", 100000 → "100 k", 1000000 → "1 M".
count_label() {
    local n=$1
    if ((n >= 1000000 && n % 1000000 == 0)); then echo "$((n / 1000000)) M"
    elif ((n >= 1000 && n % 1000 == 0)); then echo "$((n / 1000)) k"
    else echo "$n"; fi
}

# commas N — 1234567 → 1,234,567 (whatever the locale).
commas() {
    local n=$1 s=""
    while ((n >= 1000)); do
        s=$(printf ',%03d%s' $((n % 1000)) "$s")
        n=$((n / 1000))
    done
    echo "$n$s"
}
