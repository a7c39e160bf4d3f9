#!/usr/bin/env bash
# scripts/redis-cluster.sh — a throwaway Redis Cluster on loopback, for the cluster runs of the benches and
# failover tests.
#
#   eval "$(scripts/redis-cluster.sh start)"     # 3 masters; exports REDIS_CLUSTER_URL and REDIS_CLUSTER_DIR
#   eval "$(scripts/redis-cluster.sh start --replicas 1)"   # 3 masters and one replica each (6 nodes)
#   scripts/redis-cluster.sh env                 # print the export lines again
#   scripts/redis-cluster.sh status              # every node: port, pid, role, cluster_state
#   scripts/redis-cluster.sh kill-master N       # SIGKILL master N (1–3, by slot range); prints its port
#   scripts/redis-cluster.sh stop                # stop every node, remove the folder
#
# Every node is Debian's `redis-server --cluster-enabled yes` on 127.0.0.1, on a free port P whose cluster bus port
# P + 10000 is free too, daemonized with its pid file, log and cluster config file (nodes-P.conf) in one fresh
# `mktemp -d` folder under ${TMPDIR:-/tmp}; no persistence (no RDB, no AOF); --cluster-node-timeout 1000, so a killed
# master is failed over in about two seconds. `redis-cli --cluster create` joins them and assigns the slots; start
# returns once every node reports cluster_state:ok (and every replica is in sync with its master).
# REDIS_CLUSTER_URL lists the three masters: redis+cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3.
# "Master N" is the master serving the Nth slot range (0–5460, 5461–10922, 10923–16383) at the time of the call,
# so after a failover it is the promoted replica.
#
# Settings (environment):
#   REDIS_CLUSTER_STATE_FILE  where the state is kept between calls
#                             (default ${TMPDIR:-/tmp}/boxoffice-redis-cluster.state)
#   REDIS_CLUSTER_NO_INSTALL  1: never call apt-get (else redis-server is installed when missing, as root or with
#                             sudo, as scripts/services.sh does)
#
# Messages go to stderr with a [redis-cluster] prefix; only the export lines (start, env) and the port (kill-master)
# go to stdout. Exits non-zero on failure, with the last lines of the logs concerned.
set -euo pipefail

STATE=${REDIS_CLUSTER_STATE_FILE:-${TMPDIR:-/tmp}/boxoffice-redis-cluster.state}

rc_log() { printf '[redis-cluster] %s\n' "$*" >&2; }
rc_err() { printf '[redis-cluster] ERROR: %s\n' "$*" >&2; }

# rc_tail FILE — the end of a node's log, to explain a failure.
rc_tail() {
    local file=$1
    if [[ -s $file ]]; then
        printf '[redis-cluster] ---- last lines of %s ----\n' "$file" >&2
        tail -n 20 -- "$file" | sed 's/^/[redis-cluster] | /' >&2
    else
        rc_log "($file is empty or missing)"
    fi
}

# rc_alive PID — PID runs and is a redis-server (so a recycled pid is never signalled).
rc_alive() {
    local pid=${1:-}
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
        grep -qa redis-server "/proc/$pid/cmdline" 2>/dev/null
}

rc_pid() { cat "$REDIS_CLUSTER_DIR/redis-$1.pid" 2>/dev/null || true; }

rc_cli() { local port=$1; shift; redis-cli -h 127.0.0.1 -p "$port" "$@"; }

# rc_ports N — N distinct ports P on 127.0.0.1 with P and P + 10000 both free (the cluster bus needs the second).
rc_ports() {
    python3 - "$1" <<'PY'
import random, socket, sys
need, found = int(sys.argv[1]), []
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(5000):
    p = random.randrange(20000, 30000)  # below the usual ephemeral range, with the bus port below 40000
    if p not in found and p + 10000 not in found and p - 10000 not in found and free(p) and free(p + 10000):
        found.append(p)
        if len(found) == need:
            print(" ".join(map(str, found)))
            sys.exit(0)
sys.exit("no free port pairs")
PY
}

rc_install() {
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
    [[ ${REDIS_CLUSTER_NO_INSTALL:-0} == 1 ]] && { rc_err "redis-server is missing and REDIS_CLUSTER_NO_INSTALL=1"; return 1; }
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { rc_err "redis-server is missing; not root and no sudo: apt-get install redis-server"; return 1; }
        sudo=(sudo)
    fi
    rc_log "installing redis-server with apt-get"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q >&2 &&
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
            --no-install-recommends redis-server >&2 || { rc_err "apt-get install redis-server failed"; return 1; }
    hash -r
}

rc_save_state() {
    {
        echo "# written by scripts/redis-cluster.sh; read by its stop|env|status|kill-master"
        printf 'REDIS_CLUSTER_DIR=%q\n' "$REDIS_CLUSTER_DIR"
        printf 'REDIS_CLUSTER_PORTS=%q\n' "$REDIS_CLUSTER_PORTS"
        printf 'REDIS_CLUSTER_MASTERS=%q\n' "$REDIS_CLUSTER_MASTERS"
    } >"$STATE"
}

rc_env() {
    local seeds=() p
    for p in $REDIS_CLUSTER_MASTERS; do seeds+=("127.0.0.1:$p"); done
    # Single quotes rather than %q, which would escape the commas: neither value can hold a quote.
    printf "export REDIS_CLUSTER_URL='%s'\n" "redis+cluster://$(IFS=,; echo "${seeds[*]}")"
    printf "export REDIS_CLUSTER_DIR='%s'\n" "$REDIS_CLUSTER_DIR"
}

# rc_stop_nodes — SIGTERM every node of REDIS_CLUSTER_DIR (SIGKILL after 10 s), then remove the folder.
rc_stop_nodes() {
    local f pid pids=() i
    [[ -n ${REDIS_CLUSTER_DIR:-} && -d $REDIS_CLUSTER_DIR ]] || return 0
    for f in "$REDIS_CLUSTER_DIR"/redis-*.pid; do
        [[ -e $f ]] || continue
        pid=$(cat "$f" 2>/dev/null || true)
        rc_alive "$pid" && { kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); }
    done
    for ((i = 0; i < 100; i++)); do
        local left=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
        ((left)) || break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null && { rc_log "node pid $pid ignores SIGTERM, killing it"; kill -KILL "$pid" 2>/dev/null || true; }
    done
    rm -rf -- "$REDIS_CLUSTER_DIR"
    rc_log "stopped ${#pids[@]} nodes; removed $REDIS_CLUSTER_DIR"
}

rc_fail() {
    local p
    rc_err "$1"
    for p in ${REDIS_CLUSTER_PORTS:-}; do rc_tail "$REDIS_CLUSTER_DIR/redis-$p.log"; done
    rc_stop_nodes
    rm -f -- "$STATE"
    exit 1
}

# rc_masters — the live masters' ports, by the first slot they serve (master 1 serves slot 0).
rc_masters() {
    local p out
    for p in $REDIS_CLUSTER_PORTS; do
        out=$(rc_cli "$p" cluster nodes 2>/dev/null) || continue
        awk '$3 ~ /master/ && $3 !~ /fail/ && $9 != "" { split($2, a, "[:@]"); split($9, s, "-"); print s[1], a[2] }' \
            <<<"$out" | sort -n | awk '{ print $2 }'
        return 0
    done
    return 1
}

cmd_start() {
    local replicas=0
    while (($#)); do
        case $1 in
        --replicas) replicas=${2:-}; shift ;;
        *) rc_err "unknown argument $1"; exit 2 ;;
        esac
        shift
    done
    [[ $replicas == 0 || $replicas == 1 ]] || { rc_err "--replicas must be 0 or 1"; exit 2; }
    if [[ -f $STATE ]]; then
        # shellcheck disable=SC1090
        source "$STATE"
        local p alive=1
        for p in $REDIS_CLUSTER_PORTS; do rc_alive "$(rc_pid "$p")" || alive=0; done
        if ((alive)); then
            rc_log "already running (folder $REDIS_CLUSTER_DIR); stop it first to start another"
            rc_env
            return 0
        fi
        rc_log "a previous cluster ($REDIS_CLUSTER_DIR) is not running whole: stopping what is left"
        rc_stop_nodes
        rm -f -- "$STATE"
    fi
    rc_install
    local count=$((3 * (1 + replicas))) t0=$SECONDS port i
    REDIS_CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-redis-cluster.XXXXXX")
    REDIS_CLUSTER_PORTS=$(rc_ports "$count") || { rmdir "$REDIS_CLUSTER_DIR"; rc_err "no free ports"; exit 1; }
    REDIS_CLUSTER_MASTERS=""
    rc_save_state # from here on, `stop` finds whatever was started
    rc_log "starting $count nodes ($(redis-server --version | awk '{ print $3 }')) in $REDIS_CLUSTER_DIR on ports $REDIS_CLUSTER_PORTS"
    for port in $REDIS_CLUSTER_PORTS; do
        redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
            --cluster-config-file "$REDIS_CLUSTER_DIR/nodes-$port.conf" --cluster-node-timeout 1000 \
            --save '' --appendonly no --daemonize yes --pidfile "$REDIS_CLUSTER_DIR/redis-$port.pid" \
            --dir "$REDIS_CLUSTER_DIR" --logfile "$REDIS_CLUSTER_DIR/redis-$port.log" >&2 ||
            rc_fail "redis-server on port $port did not start"
    done
    for port in $REDIS_CLUSTER_PORTS; do
        for ((i = 0; i < 100; i++)); do
            [[ $(rc_cli "$port" ping 2>/dev/null) == PONG && -s $REDIS_CLUSTER_DIR/redis-$port.pid ]] && break
            sleep 0.1
        done
        [[ $(rc_cli "$port" ping 2>/dev/null) == PONG ]] || rc_fail "the node on port $port did not answer PING in 10 s"
    done
    local nodes=() create=()
    for port in $REDIS_CLUSTER_PORTS; do nodes+=("127.0.0.1:$port"); done
    ((replicas)) && create=(--cluster-replicas 1)
    local out
    out=$(redis-cli --cluster create "${nodes[@]}" "${create[@]}" --cluster-yes 2>&1) ||
        { printf '%s\n' "$out" | tail -n 20 | sed 's/^/[redis-cluster] | /' >&2; rc_fail "redis-cli --cluster create failed"; }
    for port in $REDIS_CLUSTER_PORTS; do
        for ((i = 0; i < 300; i++)); do
            rc_cli "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
            sleep 0.1
        done
        rc_cli "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' ||
            rc_fail "the node on port $port did not reach cluster_state:ok in 30 s"
    done
    REDIS_CLUSTER_MASTERS=$(rc_masters | tr '\n' ' ' | sed 's/ $//')
    [[ $(wc -w <<<"$REDIS_CLUSTER_MASTERS") == 3 ]] || rc_fail "expected 3 masters, found: $REDIS_CLUSTER_MASTERS"
    if ((replicas)); then
        for port in $REDIS_CLUSTER_PORTS; do
            [[ " $REDIS_CLUSTER_MASTERS " == *" $port "* ]] && continue
            for ((i = 0; i < 300; i++)); do
                rc_cli "$port" info replication 2>/dev/null | grep -q '^master_link_status:up' && break
                sleep 0.1
            done
            rc_cli "$port" info replication 2>/dev/null | grep -q '^master_link_status:up' ||
                rc_fail "the replica on port $port did not sync with its master in 30 s"
        done
    fi
    rc_save_state
    rc_log "ready in $((SECONDS - t0)) s: masters $REDIS_CLUSTER_MASTERS$( ((replicas)) && echo ", one replica each")"
    rc_log "state in $STATE; stop with: scripts/redis-cluster.sh stop"
    rc_env
}

rc_load_state() {
    [[ -f $STATE ]] || { rc_err "not started (no $STATE)"; exit 3; }
    # shellcheck disable=SC1090
    source "$STATE"
}

cmd_status() {
    local port pid rc=0 role state
    rc_load_state
    for port in $REDIS_CLUSTER_PORTS; do
        pid=$(rc_pid "$port")
        if rc_alive "$pid"; then
            role=$(rc_cli "$port" info replication 2>/dev/null | awk -F: '/^role:/ { print $2 }' | tr -d '\r')
            state=$(rc_cli "$port" cluster info 2>/dev/null | awk -F: '/^cluster_state:/ { print $2 }' | tr -d '\r')
            rc_log "127.0.0.1:$port pid $pid ${role:-?} cluster_state:${state:-?}"
        else
            rc_log "127.0.0.1:$port NOT running"
            rc=3
        fi
    done
    return "$rc"
}

cmd_kill_master() {
    local n=${1:-} masters port pid
    [[ $n =~ ^[1-3]$ ]] || { rc_err "usage: kill-master 1|2|3"; exit 2; }
    rc_load_state
    masters=($(rc_masters)) || { rc_err "no node answers CLUSTER NODES"; exit 1; }
    port=${masters[$((n - 1))]:-}
    [[ -n $port ]] || { rc_err "there is no master $n (live masters: ${masters[*]})"; exit 1; }
    pid=$(rc_pid "$port")
    rc_alive "$pid" || { rc_err "master $n (port $port) has no live redis-server pid"; exit 1; }
    kill -KILL "$pid"
    rc_log "killed master $n: 127.0.0.1:$port (pid $pid)"
    echo "$port"
}

case ${1:-} in
start) shift; cmd_start "$@" ;;
stop)
    if [[ ! -f $STATE ]]; then rc_log "nothing to stop (no $STATE)"; exit 0; fi
    rc_load_state
    rc_stop_nodes
    rm -f -- "$STATE"
    ;;
env) rc_load_state; rc_env ;;
status) cmd_status ;;
kill-master) shift; cmd_kill_master "$@" ;;
*)
    echo "usage: $0 start [--replicas 0|1] | stop | env | status | kill-master N" >&2
    echo "  eval \"\$($0 start)\"   starts a 3-master cluster and exports REDIS_CLUSTER_URL / REDIS_CLUSTER_DIR" >&2
    exit 2
    ;;
esac
