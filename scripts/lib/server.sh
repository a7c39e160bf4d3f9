# scripts/lib/server.sh — start and stop `boxoffice serve` processes from bash scripts (sourced, not run).
# Used by scripts/fuzz-api, scripts/web-tests and the reliability scripts.
#
#   source scripts/lib/server.sh
#   port=$(bx_free_port)
#   bx_server_start PID_VAR LOG PORT [ENV=VALUE ...]   # env then `$BIN serve` on 127.0.0.1:PORT; waits for /health
#   bx_server_stop PID [SECONDS]                       # SIGTERM, then SIGKILL after SECONDS (default 5)
#   bx_log_errors LOG                                  # a log's error lines, else its last 30 lines
#
# BIN (default .build/debug/boxoffice) is the server binary. Messages go to stderr.

BIN=${BIN:-${BOXOFFICE_BIN:-.build/debug/boxoffice}}

bx_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

bx_log_errors() {
    local file=$1 errors
    errors=$(grep -aE '^\[ (ERROR|CRITICAL) \]|"level":"(error|critical)"|Fatal error|error:' "$file" 2>/dev/null | head -n 20) || true
    if [[ -n $errors ]]; then printf '%s\n' "$errors"; else tail -n 30 "$file" 2>/dev/null; fi | sed 's/^/  | /' >&2 || true
}

# bx_server_start PID_VAR LOG PORT [ENV=VALUE ...] — sets PID_VAR to the server's pid (`env` execs it, so $! is the
# server itself) once /health answers; fails (and shows the log) if it exits or does not answer within 60 s.
bx_server_start() {
    local pid_var=$1 log=$2 port=$3 pid i
    shift 3
    env "$@" "$BIN" serve --env "${BX_SERVE_ENV:-development}" --hostname 127.0.0.1 --port "$port" >"$log" 2>&1 &
    pid=$!
    printf -v "$pid_var" '%s' "$pid"
    for i in $(seq 600); do
        if ! kill -0 "$pid" 2>/dev/null; then
            printf 'ERROR: the server on port %s exited at start-up (log %s):\n' "$port" "$log" >&2
            bx_log_errors "$log"
            return 1
        fi
        curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null && return 0
        sleep 0.1
    done
    printf 'ERROR: no answer from http://127.0.0.1:%s/health after 60 s (log %s)\n' "$port" "$log" >&2
    bx_log_errors "$log"
    return 1
}

bx_server_stop() {
    local pid=$1 grace=${2:-5} i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq $((grace * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
