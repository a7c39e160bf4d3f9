"""The orchestrator: prepares one database (SQLite, or the PostgreSQL + Redis that reliability/run
started), seeds it, starts the server, runs the chosen scenarios each within its time bound, prints one
line per scenario and writes the results as JSON. Exit status 1 if any scenario's claim does not hold.

    python -m boxrel.suite --db sqlite|postgres|cluster --bin BIN --out FILE [--state FILE] [scenario ...]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path

from .api import Api
from .dbcheck import Db
from .fixtures import SeatPool, make_customers
from .procs import AppServer, Services
from .scenarios import app_kill, cluster_failover, pg_outage, races, redis_down, slow_clients, webhook_storm

ROOT = Path(__file__).resolve().parents[2]

# name -> (run, kwargs, databases, time bound in seconds, the claim)
SCENARIOS = {
    "races": (races.run, {}, ("sqlite", "postgres", "cluster"), 300,
              "racing groups of 20-50 customers on the same seats: 0 seats in two active bookings (SQL)"),
    "races-cluster-failover": (cluster_failover.run, {}, ("cluster",), 300,
                               "the same on a six-node Redis Cluster with the master of slots 0-5460 SIGKILLed "
                               "mid-run: 0 double bookings, holds on its shows work again within 15 s"),
    "races-flushall": (races.run, {"variant": "flushall"}, ("postgres",), 300,
                       "the same with Redis FLUSHALL mid-run: still 0 double bookings"),
    "races-redis-kill9": (races.run, {"variant": "redis-kill9"}, ("postgres",), 300,
                          "the same with redis-server SIGKILLed and restarted mid-run: 0 double bookings, "
                          "holds work again after"),
    "redis-down": (redis_down.run, {}, ("postgres",), 90,
                   "Redis stopped: holds 503 within 1 s, /shows and /movies 200; Redis back: holds within 5 s"),
    "webhook-storm": (webhook_storm.run, {}, ("sqlite", "postgres"), 420,
                      "N signed events x 3 copies, shuffled, concurrent, non-200s resent: each applied exactly once"),
    "app-kill": (app_kill.run, {}, ("sqlite", "postgres"), 180,
                 "SIGKILL during a purchase burst: nothing half written, ledger balances, cut-off "
                 "idempotency keys answer again"),
    "pg-stopped": (pg_outage.run, {"variant": "stopped"}, ("postgres",), 120,
                   "PostgreSQL stopped: 503 within 2 s, no hang; back within 10 s of the restart"),
    "pg-frozen": (pg_outage.run, {"variant": "frozen"}, ("postgres",), 150,
                  "PostgreSQL SIGSTOPped: 503 within the pool timeout (10 s), /ready 503 promptly; back "
                  "within 10 s of SIGCONT"),
    "slow-clients": (slow_clients.run, {}, ("sqlite", "postgres"), 90,
                     "500 idle + 50 slowloris connections: normal client p99 within 1 s, idle connections "
                     "closed after HTTP_IDLE_TIMEOUT_SECONDS"),
}

SERVER_ENV = {
    "BCRYPT_COST": "10",
    "HTTP_IDLE_TIMEOUT_SECONDS": "3",
    "PAYMENT_WINDOW_SECONDS": "3600",
    "MAX_SEATS_PER_USER_PER_SHOW": "50",
    "LOG_LEVEL": "warning",
    **{name: "1000000/1" for name in (
        "RATE_LIMIT_LOGIN", "RATE_LIMIT_LOGIN_PER_ADDRESS", "RATE_LIMIT_SIGNUP", "RATE_LIMIT_HOLDS",
        "RATE_LIMIT_HOLDS_PER_ADDRESS", "RATE_LIMIT_BOOKINGS", "RATE_LIMIT_PAYMENTS", "RATE_LIMIT_WEBHOOKS",
        "RATE_LIMIT_DISCOUNT_VALIDATE")},
}

ERROR_LINE = re.compile(r"\[ (ERROR|CRITICAL) \]|Fatal error|Internal Server Error")


class Context:
    """What the scenarios share: the client, database checks, services, server, customers, seats."""


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sh(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              cwd=ROOT, timeout=10).stdout.strip()
    except Exception:  # noqa: BLE001 - only descriptive
        return ""


def machine() -> dict:
    mem = sh("free", "-g").splitlines()
    return {"nproc": sh("nproc"), "memory_gib": mem[1].split()[1] if len(mem) > 1 else "",
            "uname": sh("uname", "-srm"), "commit": sh("git", "rev-parse", "--short", "HEAD"),
            "branch": sh("git", "rev-parse", "--abbrev-ref", "HEAD")}


def log_errors(server: AppServer, offsets: dict) -> list[str]:
    """Error lines the server logged since the last call (all its logs, across restarts)."""
    lines = []
    for log in sorted(server.log.parent.glob(server.log.stem + ".*.log")):
        with open(log, "rb") as f:
            f.seek(offsets.get(log, 0))
            data = f.read()
            offsets[log] = f.tell()
        lines += [ln for ln in data.decode("utf-8", "replace").splitlines() if ERROR_LINE.search(ln)]
    return lines


async def ensure_services(ctx) -> None:
    """After a scenario: PostgreSQL running (not stopped), Redis answering, the server alive."""
    if ctx.services:
        ctx.services.pg_signal(signal.SIGCONT)
        if ctx.services.redis_cli("ping") != "PONG":
            await asyncio.to_thread(ctx.services.redis_start)
    if ctx.server.pid is None or not Path(f"/proc/{ctx.server.pid}").exists():
        await asyncio.to_thread(ctx.server.start)


async def main_async(args) -> int:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    names = args.scenarios or [n for n, s in SCENARIOS.items() if args.db in s[2]]
    for n in names:
        if n not in SCENARIOS:
            sys.exit(f"unknown scenario {n}; known: {', '.join(SCENARIOS)}")

    ctx = Context()
    ctx.tag = dt.datetime.now().strftime("%H%M%S")
    ctx.settings = {
        "race_attempts": int(os.environ.get("REL_RACE_ATTEMPTS", "10000")),
        "race_fault_attempts": int(os.environ.get("REL_RACE_FAULT_ATTEMPTS", "3000")),
        "race_parallel_groups": int(os.environ.get("REL_RACE_PARALLEL_GROUPS", "2")),
        "storm_events": int(os.environ.get("REL_STORM_EVENTS", "1000")),
        "customers": int(os.environ.get("REL_CUSTOMERS", "60")),
    }
    env = dict(SERVER_ENV)
    if args.db == "sqlite":
        path = work / "sqlite" / "boxoffice.sqlite"
        shutil.rmtree(path.parent, ignore_errors=True)
        path.parent.mkdir(parents=True)
        env["DATABASE_URL"] = f"sqlite://{path}"
        ctx.services = None
        ctx.db = Db("sqlite", sqlite_path=str(path))
    else:
        ctx.services = Services(Path(args.state))
        env["DATABASE_URL"] = ctx.services.database_url
        env["REDIS_URL"] = f"redis://127.0.0.1:{ctx.services.redis_port}/0"
        if args.db == "cluster":
            # PostgreSQL of services.sh, Redis from the cluster reliability/run started (scripts/redis-cluster.sh).
            env["REDIS_URL"] = os.environ["REL_REDIS_CLUSTER_URL"]
        ctx.db = Db("postgres", psql=ctx.services.psql_command())
    for name in ("BACKUP_DIR", "UPLOADS_DIR"):
        env[name] = str(work / name.lower())

    t = time.monotonic()
    seed = subprocess.run([args.bin, "seed-demo"], cwd=ROOT, env={**os.environ, **env},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    if seed.returncode != 0:
        print(seed.stdout[-3000:], file=sys.stderr)
        sys.exit("seed-demo failed")
    seed_s = time.monotonic() - t

    port = free_port()
    ctx.base = f"http://127.0.0.1:{port}"
    ctx.server = AppServer(ROOT, Path(args.bin), port, env, work / f"server-{args.db}")
    for old in work.glob(f"server-{args.db}.*.log"):
        old.unlink()
    results = {
        "db": args.db, "command": args.command, "started_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "machine": machine(), "binary": args.bin, "settings": ctx.settings,
        "server_env": {k: v for k, v in env.items() if k not in ("BACKUP_DIR", "UPLOADS_DIR")},
        "scenarios": [],
    }
    offsets: dict = {}
    failed = 0
    try:
        ctx.server.start()
        async with Api(ctx.base, limit=300) as api:
            ctx.api = api
            t = time.monotonic()
            ctx.customers = await make_customers(api, ctx.settings["customers"], ctx.tag)
            ctx.pool = await SeatPool.load(api)
            results["setup"] = {"seed_demo_s": round(seed_s, 1), "customers": len(ctx.customers),
                                "customers_s": round(time.monotonic() - t, 1),
                                "free_seats": ctx.pool.remaining(), "shows": len(ctx.pool.seats)}
            print(f"[rel] {args.db}: server on {ctx.base}, {len(ctx.customers)} customers, "
                  f"{ctx.pool.remaining()} free seats in {len(ctx.pool.seats)} shows", flush=True)
            for name in names:
                fn, kwargs, _dbs, bound, claim = SCENARIOS[name]
                if args.db not in _dbs:
                    print(f"[rel] {args.db:8} {name:18} SKIP (needs {' or '.join(_dbs)})", flush=True)
                    continue
                ctx.t0 = time.monotonic()
                try:
                    out = await asyncio.wait_for(fn(ctx, **kwargs), timeout=bound)
                except asyncio.TimeoutError:
                    out = {"figures": {}, "problems": [f"did not finish within its bound of {bound} s"]}
                except Exception as exc:  # noqa: BLE001 - a scenario's crash is a result too
                    out = {"figures": {}, "problems": [f"scenario crashed: {exc!r}"],
                           "traceback": traceback.format_exc()}
                seconds = time.monotonic() - ctx.t0
                await ensure_services(ctx)
                errors = log_errors(ctx.server, offsets)
                entry = {"name": name, "claim": claim, "bound_s": bound, "seconds": round(seconds, 1),
                         "passed": not out["problems"], **out,
                         "server_error_lines": len(errors), "server_error_sample": errors[:8]}
                results["scenarios"].append(entry)
                failed += not entry["passed"]
                print(f"[rel] {args.db:8} {name:18} {'PASS' if entry['passed'] else 'FAIL'} "
                      f"{seconds:6.1f}s  {summary(name, out['figures'])}"
                      + ("" if entry["passed"] else "  -- " + "; ".join(out["problems"])), flush=True)
            results["final"] = {"double_bookings_sql": ctx.db.double_bookings(),
                                "invariants": ctx.db.invariants(), "ledger": ctx.db.ledger(),
                                "server_starts": ctx.server.starts}
    finally:
        ctx.server.stop()
        if ctx.services:
            ctx.services.pg_signal(signal.SIGCONT)
        results["finished_at"] = dt.datetime.now(dt.timezone.utc).isoformat()
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 1 if failed else 0


def summary(name: str, f: dict) -> str:
    """The scenario's headline figures, for its result line."""
    g = f.get
    if name.startswith("races") and f:
        line = (f"attempts={g('attempts')} wins={g('wins')} 409={g('hold_409')} 503={g('503s')} "
                f"other={sum(g('other_statuses', {}).values())} double_bookings={g('double_bookings_sql')}")
        failover = g("failover")
        if failover:
            line += (f" killed={failover.get('killed_port')} recovered={failover.get('shows_recovered')}/"
                     f"{failover.get('shows_probed')} after={failover.get('recovered_after_s')}s")
        return line
    if name == "redis-down" and f:
        return (f"first_503={g('time_to_first_503_s')}s hold_max={g('hold_latency_while_down', {}).get('max_s')}s "
                f"reads={g('reads_while_down')} recover={g('time_to_recover_s')}s")
    if name == "pg-frozen" and f:
        return " | ".join(f"{k}: " + summary("pg-stopped", v) for k, v in f.items())
    if name.startswith("pg-") and f:
        return (f"first_503={g('time_to_first_503_s')}s max={g('probe_latency_during', {}).get('max_s')}s "
                f"hangs={g('hangs')} ready={g('ready_statuses_during')} "
                f"ready_max={g('ready_latency_during', {}).get('max_s')}s recover={g('time_to_recover_s')}s")
    if name == "webhook-storm" and f:
        return (f"events={g('events')} requests={g('requests')} applied_once={g('applied_once_acks_ok')} "
                f"rows={g('payment_events_rows')} wrong_state={g('payments_in_wrong_state')}")
    if name == "app-kill" and f:
        return (f"cut_off={g('cut_off_requests')} in_progress_keys={g('idempotency_keys_in_progress_after_kill')} "
                f"violations={g('invariant_violations_after_resends')} "
                f"ledger_balanced={g('ledger_after_resends', {}).get('balanced')} "
                f"unresolved={g('resend_unresolved')}")
    if name == "slow-clients" and f:
        return (f"p99_before={g('normal_before', {}).get('p99_s')}s p99_during={g('normal_during_flood', {}).get('p99_s')}s "
                f"idle_closed={g('idle_closed_by_server')}/{g('idle_connections')} "
                f"closed_after={g('idle_closed_after_s')}")
    return ""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=("sqlite", "postgres", "cluster"), required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--state", help="scripts/services.sh state file (postgres)")
    p.add_argument("--work", default="/tmp/boxoffice-reliability")
    p.add_argument("--command", default="", help="the command line, for the report")
    p.add_argument("scenarios", nargs="*")
    sys.exit(asyncio.run(main_async(p.parse_args())))


if __name__ == "__main__":
    main()
