#!/usr/bin/env bash
# scripts/services.sh — throwaway PostgreSQL and Redis servers on loopback for
# the test suites.
#
# Two ways to use it:
#
#   1. Sourced (what .ci/run and scripts/test-with-services do):
#
#        source scripts/services.sh
#        trap services_stop EXIT
#        services_start            # installs what is missing, starts both,
#                                  # exports TEST_DATABASE_URL / TEST_REDIS_URL
#
#   2. Run as a command (state is kept in $SERVICES_STATE_FILE so a later
#      `stop` or `env` in another shell finds the servers):
#
#        eval "$(scripts/services.sh start)"   # start, then export the URLs here
#        scripts/services.sh env               # print the export lines again
#        scripts/services.sh status
#        scripts/services.sh stop              # stop both, remove the temp folder
#
# Everything lives in one fresh folder made by `mktemp -d` under ${TMPDIR:-/tmp}:
# the PostgreSQL cluster, its unix socket, the Redis pid/log files and the logs.
# Both servers listen on 127.0.0.1 only, on free ports picked at start.
#
# PostgreSQL refuses to run as root: when run as root the cluster is owned by
# and run as the `postgres` system user (created by Debian's package), or by a
# system user `bxci` created here when there is no `postgres` user.
#
# Settings (environment):
#   SERVICES_STATE_FILE  where the command form keeps its state
#                        (default: ${TMPDIR:-/tmp}/boxoffice-services.state)
#   SERVICES_PG_BIN      folder with initdb/pg_ctl/psql (default: newest
#                        /usr/lib/postgresql/*/bin, else from PATH)
#   SERVICES_NO_INSTALL  set to 1 to never call apt-get
#   SERVICES_PG_EXTRA_CONF  extra postgresql.conf lines, e.g. "log_statement = 'all'"
#
# Messages go to stderr, prefixed with [services]. Every function returns
# non-zero on failure, whether or not the caller runs under `set -e`.

# ---------------------------------------------------------------------------
# small helpers

svc_log() { printf '[services] %s\n' "$*" >&2; }
svc_err() { printf '[services] ERROR: %s\n' "$*" >&2; }

# _svc_tail FILE TITLE — print the end of a server log, to explain a failure.
_svc_tail() {
    local file=$1 title=$2
    if [[ -s $file ]]; then
        printf '[services] ---- last lines of %s (%s) ----\n' "$title" "$file" >&2
        tail -n 40 -- "$file" | sed 's/^/[services] | /' >&2
        printf '[services] ---- end of %s ----\n' "$title" >&2
    else
        svc_log "($title log $file is empty or missing)"
    fi
}

# _svc_pid_alive PID NAME — true if PID runs and its command name contains NAME
# (so a recycled pid of some other program is never killed).
_svc_pid_alive() {
    local pid=${1:-} name=${2:-} comm=
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [[ -z $name ]] && return 0
    if [[ -r /proc/$pid/comm ]]; then
        comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
        [[ $comm == *"$name"* ]] && return 0
        # redis-server renames itself in /proc/PID/comm on some versions
        grep -qa -- "$name" "/proc/$pid/cmdline" 2>/dev/null && return 0
        return 1
    fi
    return 0
}

# _svc_wait_gone PID SECONDS — wait until PID has exited.
_svc_wait_gone() {
    local pid=$1 secs=$2 i
    for ((i = 0; i < secs * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    ! kill -0 "$pid" 2>/dev/null
}

# _svc_free_port — print a TCP port on 127.0.0.1 that nothing listens on.
_svc_free_port() {
    local py port i
    for py in python3 /usr/bin/python3 python; do
        if command -v "$py" >/dev/null 2>&1; then
            port=$("$py" -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null) && [[ $port =~ ^[0-9]+$ ]] && { echo "$port"; return 0; }
        fi
    done
    # No python: probe random ports below the usual ephemeral range.
    for ((i = 0; i < 200; i++)); do
        port=$((20000 + RANDOM % 10000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    svc_err "could not find a free TCP port on 127.0.0.1"
    return 1
}

# _svc_as_pg CMD... — run a command as the PostgreSQL user, from a folder that
# user can enter (cwd may be /root).
_svc_as_pg() {
    if [[ $(id -u) -ne 0 ]]; then
        (cd "$SERVICES_TMP" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$SERVICES_TMP" && runuser -u "$SERVICES_PG_USER" -- "$@")
    elif command -v setpriv >/dev/null 2>&1; then
        local uid gid
        uid=$(id -u "$SERVICES_PG_USER") && gid=$(id -g "$SERVICES_PG_USER") || return 1
        (cd "$SERVICES_TMP" && setpriv --reuid="$uid" --regid="$gid" --init-groups -- "$@")
    else
        # shellcheck disable=SC2016 # $0/$@ expand in the inner shell
        (cd "$SERVICES_TMP" && su -s /bin/sh "$SERVICES_PG_USER" -c '"$0" "$@"' -- "$@")
    fi
}

# ---------------------------------------------------------------------------
# locating and installing the servers

# _svc_find_pg_bin — set SERVICES_PG_BIN to a folder holding initdb, pg_ctl,
# postgres and psql; the newest /usr/lib/postgresql/*/bin wins.
_svc_find_pg_bin() {
    local d best='' cand
    if [[ -n ${SERVICES_PG_BIN:-} && -x ${SERVICES_PG_BIN}/initdb && -x ${SERVICES_PG_BIN}/pg_ctl ]]; then
        return 0
    fi
    while IFS= read -r d; do
        [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres && -x $d/psql ]] && best=$d
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    if [[ -z $best ]] && cand=$(command -v initdb 2>/dev/null); then
        cand=$(dirname -- "$(readlink -f -- "$cand")")
        [[ -x $cand/pg_ctl && -x $cand/postgres && -x $cand/psql ]] && best=$cand
    fi
    [[ -n $best ]] || return 1
    SERVICES_PG_BIN=$best
}

_svc_have_redis() {
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1
}

# services_install — apt-get install postgresql and redis-server if missing.
services_install() {
    local need=() sudo=()
    _svc_find_pg_bin || need+=(postgresql)
    _svc_have_redis || need+=(redis-server)
    if ((${#need[@]} == 0)); then
        svc_log "PostgreSQL ($SERVICES_PG_BIN) and Redis ($(command -v redis-server)) are installed"
        return 0
    fi
    if [[ ${SERVICES_NO_INSTALL:-0} == 1 ]]; then
        svc_err "missing ${need[*]} and SERVICES_NO_INSTALL=1"
        return 1
    fi
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            svc_err "missing ${need[*]}; not root and no sudo, install them by hand: apt-get install postgresql redis-server"
            return 1
        fi
    fi
    local t0=$SECONDS
    svc_log "installing ${need[*]} with apt-get"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q >&2 || {
        svc_err "apt-get update failed"
        return 1
    }
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
        --no-install-recommends "${need[@]}" >&2 || {
        svc_err "apt-get install ${need[*]} failed"
        return 1
    }
    hash -r
    _svc_find_pg_bin || {
        svc_err "postgresql installed but no initdb/pg_ctl found in /usr/lib/postgresql/*/bin"
        return 1
    }
    _svc_have_redis || {
        svc_err "redis-server installed but redis-server/redis-cli are not on PATH"
        return 1
    }
    svc_log "installed in $((SECONDS - t0)) s: PostgreSQL at $SERVICES_PG_BIN, Redis at $(command -v redis-server)"
}

# _svc_pick_pg_user — the OS user that owns and runs the cluster.
_svc_pick_pg_user() {
    if [[ $(id -u) -ne 0 ]]; then
        SERVICES_PG_USER=$(id -un)
        return 0
    fi
    if id postgres >/dev/null 2>&1; then
        SERVICES_PG_USER=postgres
        return 0
    fi
    if ! id bxci >/dev/null 2>&1; then
        svc_log "no 'postgres' user: creating system user 'bxci' to run PostgreSQL"
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin bxci >&2 || {
            svc_err "could not create user bxci"
            return 1
        }
    fi
    SERVICES_PG_USER=bxci
}

# ---------------------------------------------------------------------------
# PostgreSQL

_svc_start_postgres() {
    local data=$SERVICES_TMP/pgdata log=$SERVICES_TMP/postgres.log sock=$SERVICES_TMP
    local port attempt out

    if ((${#sock} + 20 > 107)); then
        svc_err "temp folder path too long for a unix socket: $sock (set TMPDIR=/tmp)"
        return 1
    fi
    svc_log "initdb as '$SERVICES_PG_USER' into $data ($("$SERVICES_PG_BIN/postgres" --version 2>/dev/null))"
    if ! out=$(_svc_as_pg env LC_ALL=C LANG=C "$SERVICES_PG_BIN/initdb" -D "$data" --username=postgres \
        --auth=trust --encoding=UTF8 --locale=C --no-sync 2>&1); then
        printf '%s\n' "$out" | tail -n 30 | sed 's/^/[services] | /' >&2
        svc_err "initdb failed"
        return 1
    fi

    cat >"$data/pg_hba.conf" <<'EOF'
# throwaway test cluster: trust everything on the unix socket and 127.0.0.1
local   all   all                  trust
host    all   all   127.0.0.1/32   trust
EOF
    cat >>"$data/postgresql.conf" <<EOF

# ---- scripts/services.sh: throwaway test server ----
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
max_connections = 1000
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
    if [[ -n ${SERVICES_PG_EXTRA_CONF:-} ]]; then
        printf '%s\n' "$SERVICES_PG_EXTRA_CONF" >>"$data/postgresql.conf"
    fi
    chown "$SERVICES_PG_USER:" "$data/pg_hba.conf" "$data/postgresql.conf" 2>/dev/null || true

    for attempt in 1 2 3; do
        port=$(_svc_free_port) || return 1
        printf 'port = %s\n' "$port" >"$data/port.conf"
        chown "$SERVICES_PG_USER:" "$data/port.conf" 2>/dev/null || true
        grep -q "^include_if_exists = 'port.conf'" "$data/postgresql.conf" ||
            printf "include_if_exists = 'port.conf'\n" >>"$data/postgresql.conf"
        : >"$log"
        chown "$SERVICES_PG_USER:" "$log" 2>/dev/null || true
        svc_log "starting PostgreSQL on 127.0.0.1:$port"
        if _svc_as_pg "$SERVICES_PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 2>"$SERVICES_TMP/pg_ctl.err"; then
            break
        fi
        if grep -q 'Address already in use' "$log" && ((attempt < 3)); then
            svc_log "port $port was taken meanwhile, trying another"
            continue
        fi
        cat "$SERVICES_TMP/pg_ctl.err" >&2
        _svc_tail "$log" "PostgreSQL"
        svc_err "PostgreSQL did not start"
        return 1
    done

    SERVICES_PG_PORT=$port
    SERVICES_PG_PID=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
    if ! _svc_pid_alive "$SERVICES_PG_PID" postgres; then
        _svc_tail "$log" "PostgreSQL"
        svc_err "PostgreSQL started but postmaster.pid names no running postgres"
        return 1
    fi

    # The role and database the tests use, created over TCP on 127.0.0.1 —
    # the same path the tests take.
    if ! out=$("$SERVICES_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres 2>&1 <<'SQL'
CREATE ROLE boxoffice WITH LOGIN SUPERUSER CREATEDB CREATEROLE PASSWORD 'boxoffice';
CREATE DATABASE boxoffice OWNER boxoffice;
SQL
    ); then
        printf '%s\n' "$out" | sed 's/^/[services] | /' >&2
        _svc_tail "$log" "PostgreSQL"
        svc_err "could not create role/database boxoffice"
        return 1
    fi
    svc_log "PostgreSQL up: pid $SERVICES_PG_PID, 127.0.0.1:$port, role/database boxoffice"
}

_svc_stop_postgres() {
    local data=$SERVICES_TMP/pgdata pid=${SERVICES_PG_PID:-}
    if [[ -z $pid && -f $data/postmaster.pid ]]; then
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null)
    fi
    _svc_pid_alive "$pid" postgres || return 0
    svc_log "stopping PostgreSQL (pid $pid)"
    if [[ -n ${SERVICES_PG_BIN:-} && -d $data ]]; then
        _svc_as_pg "$SERVICES_PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        _svc_wait_gone "$pid" 15 || {
            svc_log "PostgreSQL (pid $pid) ignores SIGTERM, killing it"
            kill -KILL "$pid" 2>/dev/null || true
            _svc_wait_gone "$pid" 5 || true
        }
    fi
    if kill -0 "$pid" 2>/dev/null; then
        svc_err "PostgreSQL pid $pid is still running"
        return 1
    fi
}

# ---------------------------------------------------------------------------
# Redis

_svc_start_redis() {
    local log=$SERVICES_TMP/redis.log pidfile=$SERVICES_TMP/redis.pid port i pong='' attempt out

    for attempt in 1 2 3; do
        port=$(_svc_free_port) || return 1
        svc_log "starting Redis on 127.0.0.1:$port"
        rm -f "$pidfile"
        if ! out=$(redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
            --daemonize yes --pidfile "$pidfile" --dir "$SERVICES_TMP" --logfile "$log" 2>&1); then
            printf '%s\n' "$out" | sed 's/^/[services] | /' >&2
            _svc_tail "$log" "Redis"
            svc_err "redis-server failed to start"
            return 1
        fi
        pong=
        for ((i = 0; i < 200; i++)); do # 20 s
            pong=$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) || pong=
            [[ $pong == PONG && -s $pidfile ]] && break
            # exited already (e.g. port taken)? then stop waiting
            if ((i > 10)) && [[ ! -s $pidfile ]] && grep -q 'Address already in use' "$log" 2>/dev/null; then
                break
            fi
            sleep 0.1
        done
        [[ $pong == PONG && -s $pidfile ]] && break
        if grep -q 'Address already in use' "$log" 2>/dev/null && ((attempt < 3)); then
            svc_log "port $port was taken meanwhile, trying another"
            [[ -s $pidfile ]] && kill -TERM "$(cat "$pidfile")" 2>/dev/null
            continue
        fi
        _svc_tail "$log" "Redis"
        svc_err "Redis did not answer PONG on 127.0.0.1:$port within 20 s"
        SERVICES_REDIS_PID=$(cat "$pidfile" 2>/dev/null)
        return 1
    done

    SERVICES_REDIS_PORT=$port
    SERVICES_REDIS_PID=$(cat "$pidfile")
    if ! _svc_pid_alive "$SERVICES_REDIS_PID" redis; then
        _svc_tail "$log" "Redis"
        svc_err "Redis answered but its pid file names no running redis-server"
        return 1
    fi
    svc_log "Redis up: pid $SERVICES_REDIS_PID, 127.0.0.1:$port"
}

_svc_stop_redis() {
    local pid=${SERVICES_REDIS_PID:-}
    if [[ -z $pid && -n ${SERVICES_TMP:-} && -s $SERVICES_TMP/redis.pid ]]; then
        pid=$(cat "$SERVICES_TMP/redis.pid" 2>/dev/null)
    fi
    _svc_pid_alive "$pid" redis || return 0
    svc_log "stopping Redis (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    _svc_wait_gone "$pid" 15 || {
        svc_log "Redis (pid $pid) ignores SIGTERM, killing it"
        kill -KILL "$pid" 2>/dev/null || true
        _svc_wait_gone "$pid" 5 || true
    }
    if kill -0 "$pid" 2>/dev/null; then
        svc_err "Redis pid $pid is still running"
        return 1
    fi
}

# ---------------------------------------------------------------------------
# public API

# services_env — print the export lines for the running servers.
services_env() {
    if [[ -z ${SERVICES_PG_PORT:-} || -z ${SERVICES_REDIS_PORT:-} ]]; then
        svc_err "services are not running"
        return 1
    fi
    printf 'export TEST_DATABASE_URL=%q\n' "postgres://boxoffice:boxoffice@127.0.0.1:${SERVICES_PG_PORT}/boxoffice"
    printf 'export TEST_REDIS_URL=%q\n' "redis://127.0.0.1:${SERVICES_REDIS_PORT}/0"
}

# services_save_state FILE — write what services_stop needs, for another shell.
services_save_state() {
    local file=$1 v
    {
        echo "# written by scripts/services.sh; read by 'scripts/services.sh stop|env|status'"
        for v in SERVICES_TMP SERVICES_PG_BIN SERVICES_PG_USER SERVICES_PG_PORT SERVICES_PG_PID \
            SERVICES_REDIS_PORT SERVICES_REDIS_PID; do
            printf '%s=%q\n' "$v" "${!v:-}"
        done
    } >"$file"
}

# services_start — install if needed, start PostgreSQL and Redis, export the
# two TEST_*_URL variables. On failure everything started is stopped again.
services_start() {
    if [[ -n ${SERVICES_TMP:-} && -d ${SERVICES_TMP} ]] &&
        _svc_pid_alive "${SERVICES_PG_PID:-}" postgres && _svc_pid_alive "${SERVICES_REDIS_PID:-}" redis; then
        svc_log "already running (folder $SERVICES_TMP)"
        eval "$(services_env)"
        return 0
    fi
    local t0=$SECONDS
    services_install || return 1
    _svc_pick_pg_user || return 1

    SERVICES_PG_PORT='' SERVICES_PG_PID='' SERVICES_REDIS_PORT='' SERVICES_REDIS_PID=''
    local base=${TMPDIR:-/tmp}
    SERVICES_TMP=$(mktemp -d "$base/boxoffice-services.XXXXXX") || {
        svc_err "mktemp -d under $base failed"
        return 1
    }
    if [[ $(id -u) -eq 0 ]]; then
        chown "$SERVICES_PG_USER:" "$SERVICES_TMP" || {
            svc_err "chown $SERVICES_PG_USER $SERVICES_TMP failed"
            services_stop
            return 1
        }
        if ! _svc_as_pg test -w "$SERVICES_TMP"; then
            svc_log "user $SERVICES_PG_USER cannot reach $SERVICES_TMP; using /tmp instead"
            rm -rf -- "$SERVICES_TMP"
            if ! SERVICES_TMP=$(mktemp -d /tmp/boxoffice-services.XXXXXX) ||
                ! chown "$SERVICES_PG_USER:" "$SERVICES_TMP"; then
                svc_err "could not make a temp folder for $SERVICES_PG_USER"
                services_stop
                return 1
            fi
        fi
    fi
    svc_log "temp folder $SERVICES_TMP"

    if ! _svc_start_postgres || ! _svc_start_redis; then
        svc_err "starting the test services failed; cleaning up"
        services_stop
        return 1
    fi

    eval "$(services_env)"
    svc_log "ready in $((SECONDS - t0)) s:"
    svc_log "  TEST_DATABASE_URL=$TEST_DATABASE_URL"
    svc_log "  TEST_REDIS_URL=$TEST_REDIS_URL"
}

# services_stop — stop both servers by pid and remove the temp folder.
# Safe to call any number of times, and when nothing was started.
services_stop() {
    local rc=0
    if [[ -z ${SERVICES_TMP:-} && -z ${SERVICES_PG_PID:-} && -z ${SERVICES_REDIS_PID:-} ]]; then
        return 0
    fi
    _svc_stop_redis || rc=1
    _svc_stop_postgres || rc=1
    if [[ -n ${SERVICES_TMP:-} && -d $SERVICES_TMP ]]; then
        if ((rc == 0)); then
            rm -rf -- "$SERVICES_TMP"
            svc_log "stopped; removed $SERVICES_TMP"
        else
            svc_err "left $SERVICES_TMP in place since a server is still running"
        fi
    fi
    if ((rc == 0)); then
        SERVICES_TMP='' SERVICES_PG_PORT='' SERVICES_PG_PID='' SERVICES_REDIS_PORT='' SERVICES_REDIS_PID=''
    fi
    return "$rc"
}

# ---------------------------------------------------------------------------
# command form

_svc_main() {
    set -euo pipefail
    local state=${SERVICES_STATE_FILE:-${TMPDIR:-/tmp}/boxoffice-services.state}
    local cmd=${1:-}
    case $cmd in
    start)
        if [[ -f $state ]]; then
            # shellcheck disable=SC1090
            source "$state"
        fi
        if ! services_start; then
            rm -f -- "$state"
            return 1
        fi
        services_save_state "$state"
        svc_log "state in $state; stop with: scripts/services.sh stop"
        services_env
        ;;
    stop)
        if [[ ! -f $state ]]; then
            svc_log "nothing to stop (no $state)"
            return 0
        fi
        # shellcheck disable=SC1090
        source "$state"
        services_stop
        rm -f -- "$state"
        ;;
    env)
        [[ -f $state ]] || { svc_err "not started (no $state)"; return 1; }
        # shellcheck disable=SC1090
        source "$state"
        services_env
        ;;
    status)
        [[ -f $state ]] || { svc_log "not running"; return 3; }
        # shellcheck disable=SC1090
        source "$state"
        local rc=0
        if _svc_pid_alive "$SERVICES_PG_PID" postgres; then
            svc_log "PostgreSQL running: pid $SERVICES_PG_PID, 127.0.0.1:$SERVICES_PG_PORT"
        else
            svc_log "PostgreSQL NOT running"; rc=3
        fi
        if _svc_pid_alive "$SERVICES_REDIS_PID" redis; then
            svc_log "Redis running: pid $SERVICES_REDIS_PID, 127.0.0.1:$SERVICES_REDIS_PORT"
        else
            svc_log "Redis NOT running"; rc=3
        fi
        return "$rc"
        ;;
    install)
        services_install
        ;;
    *)
        echo "usage: $0 start|stop|env|status|install" >&2
        echo "  eval \"\$($0 start)\"   starts PostgreSQL and Redis and exports TEST_DATABASE_URL / TEST_REDIS_URL" >&2
        return 2
        ;;
    esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    _svc_main "$@"
fi
