#!/usr/bin/env python3
"""bench/lib/roomrush.py — the on-sale rush through the waiting room, for bench/room-rush (python3 stdlib only).

    roomrush.py rush  --app URL --show ID --admin-token TOKEN --customers FILE [--seats 1000] [--rate 1200]
                      [--admission-minutes 10] [--join-window 30] [--connections 300] [--probes 200]
                      [--timeout 30] [--deadline 600] [--server-pid PID] [--db-pids PID,…]
    roomrush.py check --database-url URL --show ID --run RUN_JSON [--out FILE] [--label TEXT] [--cpu % …]
    roomrush.py table RESULT_JSON…

`rush`: puts the show behind a waiting room (`PUT /shows/{id}/waiting-room`: opens now, on sale --join-window + 5 s
later at a whole second, --rate places a minute, each admitted for --admission-minutes), then every customer of FILE
(user_id TAB access token, from `boxoffice load-test-customers`) is one coroutine over a shared pool of --connections
keep-alive connections (onsale.py's Conn; a real page is one customer, not one socket). Each customer
    joins  POST /shows/{id}/queue   at a random moment of the join window (all before on_sale_at, so every place is
                                    random and the join order does not matter); 5xx and socket errors are retried
    polls  GET /queue/{entry_id}    after the answer's poll_after_seconds, until its state is `admitted`, or
                                    `sold_out` (every seat booked: the page says so and stops asking)
    buys   as onsale.py's customers (Rush.buy: map → hold → book → pay → confirm, other seats after a 409), with
           `"admission"` in the hold's body; or, admitted after the client saw the sell-out, reads the map once (step
           `after`) and leaves.
--probes customers picked at random also try to hold a seat without being admitted: once without an admission before
on_sale_at, and once each, while still waiting after it, without one, with the first admitted customer's admission
(someone else's) and with that admission rewritten to name themselves (a forged one). Every such answer must be 403
`not_admitted`; anything else is an exception (a hold placed by mistake is released at once).

Prints one JSON object: onsale.py's figures (Rush.summary, with its times counted from on_sale_at: sellout_s is the
time from on_sale_at to the answer to the confirm of the last seat) plus p50/p99/p99.9 of every step, the joins, the
polls, the admissions (when each customer saw its admission against when the server admitted it:
admission_expires_at − admission_minutes), fairness (admitted customers sorted by position: places admitted before an
earlier place, positions duplicated or missing among 1..N in the final answers, admissions off the schedule
on_sale_at + ⌈p × 60 / rate⌉ s, places told sold_out before the last booking was even asked for),
the probes and exceptions, the pool's waits, the client's CPU and event-loop lateness, and the server's (and
database's) CPU in each phase (joins, sale until sold out, the rest) when their pids are given.

`check`: onsale.py's database check of the show (seats sold, seats in two active bookings, the ledger), the verdict
(INVALID, exit status 1, when a must-be-0 figure is not 0, the show did not sell out or the deadline passed), the
result (run + check + verdict) as JSON to --out, and its markdown table on stdout. `table`: one markdown table of
several results side by side.
"""

import argparse
import asyncio
import contextvars
import datetime
import json
import os
import random
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onsale  # noqa: E402
from benchhttp import Client  # noqa: E402
from onsale import RETRIES, RETRY_PAUSE, Conn, ms, pct, problem_code  # noqa: E402

ON_SALE_MARGIN = 5  # seconds between the end of the join window and on_sale_at
# A pooled connection idle this long is reopened before use, as browsers do, so the server's idle timeout
# (HTTP_IDLE_TIMEOUT_SECONDS, 60 s by default) never closes one under a request.
IDLE_REOPEN = 30
POLL_FAILURES = 10  # polls in a row without an answer before a customer gives up
PROBES = ("no admission, before on_sale_at", "no admission, waiting", "someone else's admission, waiting",
          "forged admission, waiting")
BUY_STEPS = ("map", "hold", "book", "pay", "confirm")
WAITED = contextvars.ContextVar("waited", default=0.0)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def children(parent):
    """The pids whose parent is `parent` (PostgreSQL's backends, which come and go with the server's connections)."""
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == parent:
                        out.append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def ticks(pids):
    """utime+stime+cutime+cstime of the processes, in seconds (as common.sh's proc_ticks)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(x) for x in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


class Pool:
    """Keep-alive connections shared by all customers, one request at a time, the one idle longest first. Rush.call
    takes the pool as its connection and leaves out of a latency the time `waited` for the pool."""

    def __init__(self, host, port, size, timeout):
        self.idle = asyncio.Queue()
        self.conns = [Conn(host, port, timeout) for _ in range(size)]
        for c in self.conns:
            self.idle.put_nowait((c, time.monotonic()))
        self.waits = []
        self.reopened = 0

    async def request(self, method, path, body=None, token=None, headers=None):
        """Conn.request on the connection idle longest; sets `waited` (Rush.call leaves that wait out)."""
        t = time.monotonic()
        c, used = await self.idle.get()
        now = time.monotonic()
        WAITED.set(now - t)
        self.waits.append(now - t)
        if c.writer is not None and now - used > IDLE_REOPEN:
            c.close()
            self.reopened += 1
        try:
            return await c.request(method, path, body=body, token=token, headers=headers)
        finally:
            self.idle.put_nowait((c, time.monotonic()))

    @property
    def waited(self):
        return WAITED.get()  # this customer's last request's wait (every customer is a task with its own context)

    def close(self):
        for c in self.conns:
            c.close()


class RoomRush(onsale.Rush):
    STEPS = onsale.STEPS + ("join", "poll", "after", "probe")

    def __init__(self, args, customers):
        super().__init__(args, customers)
        self.pool = None
        self.free_seats = []
        self.records = [dict() for _ in customers]  # per customer: what it saw
        self.stolen = None  # (user_id, admission) of the first customer admitted: "someone else's" for the probes
        self.probe_set = set(random.Random(11).sample(range(len(customers)), min(args.probes, len(customers))))
        self.probes = {k: 0 for k in PROBES}
        self.exceptions = []
        self.lag_at = []
        self.book_first_sent = {}  # Idempotency-Key -> when that booking was first asked for
        self.booked_first_sent = []
        self.cpu_marks = {}  # phase mark -> (monotonic, own CPU s, server CPU s, database CPU s)

    def mark(self, name):
        r = resource.getrusage(resource.RUSAGE_SELF)
        db = self.args.db_pids + (self.args.db_parent + children(self.args.db_parent[0]) if self.args.db_parent else [])
        self.cpu_marks[name] = (time.monotonic(), r.ru_utime + r.ru_stime, ticks(self.args.server_pid), ticks(db))

    async def lag_probe(self):
        while True:
            t = time.monotonic()
            await asyncio.sleep(0.02)
            self.lags.append(time.monotonic() - t - 0.02)
            self.lag_at.append(t)

    async def sellout_watch(self):
        """Marks the CPU counters at on_sale_at and when the client sees the last seat confirmed."""
        await asyncio.sleep(max(0.0, self.t0 - time.monotonic()))
        self.mark("on sale")
        while self.sellout is None:
            await asyncio.sleep(0.05)
        self.mark("sold out")

    async def request(self, step, method, path, body=None, token=None, rid="", expect=()):
        """Rush.call over the shared pool."""
        return await self.call(self.pool, step, method, path, body, token, rid=rid, expect=expect)

    async def room_customer(self, i, user, token, join_at):
        rec = self.records[i]
        rng = random.Random(1000 + i)
        want = rng.randint(1, 4)
        await asyncio.sleep(max(0.0, join_at - time.monotonic()))
        path = f"/shows/{self.show}/queue"
        for n in range(RETRIES + 1):  # a join is idempotent (the same place again), so it is retried after a 5xx
            rec["join_sent"] = time.time()
            s, data = await self.request("join", "POST", path, token=token, rid=f"room-{i}-join-{n}")
            if s in (200, 201) or (s is not None and s < 500):
                break
            await asyncio.sleep(RETRY_PAUSE)
        if s not in (200, 201):
            rec["failed"] = "join"
            return
        entry = json.loads(data)
        rec["join_position"] = entry["position"]
        rec["polls"] = failures = 0
        while entry["state"] == "waiting":
            if i in self.probe_set:
                await self.probe(i, user, token, rng)
            await asyncio.sleep(max(1, entry["poll_after_seconds"]))
            s, data = await self.request(
                "poll", "GET", f"/queue/{entry['entry_id']}", token=token, rid=f"room-{i}-poll-{rec['polls']}")
            rec["polls"] += 1
            if s == 200:
                entry, failures = json.loads(data), 0
            elif s is not None and s < 500:
                rec["failed"] = "poll"
                return
            else:
                failures += 1
                if failures >= POLL_FAILURES:
                    rec["failed"] = "poll"
                    return
        rec["seen"] = time.time()
        rec["state"] = entry["state"]
        # Every final answer (admitted, or sold_out once every seat is booked) names the place: all of 1..N, each once.
        rec["position"] = entry["position"]
        if entry["state"] != "admitted":
            return
        rec["queue_length"] = entry["queue_length"]
        rec["admitted_at"] = parse_iso(entry["admission_expires_at"]) - 60 * self.args.admission_minutes
        if self.stolen is None:
            self.stolen = (user, entry["admission"])
        after = self.sellout is not None
        rec["after_sellout"] = after
        await self.buy(i, token, self.pool, rng, want, hold_extra={"admission": entry["admission"]},
                       map_step="after" if after else "map", rid_prefix="room")

    async def call(self, conn, step, method, path, body=None, token=None, headers=None, rid="", expect=()):
        """Rush.call, noting when each booking was first asked for: a place told sold_out before the last booking's
        first request was sent was told too early (the show cannot have been sold out then)."""
        key = (headers or {}).get("Idempotency-Key")
        if step == "book" and key:
            self.book_first_sent.setdefault(key, time.time())
        s, data = await super().call(conn, step, method, path, body, token, headers, rid, expect)
        if step == "book" and s == 201:
            self.booked_first_sent.append(self.book_first_sent[key])
        return s, data

    async def probe(self, i, user, token, rng):
        """The exceptions check (see the module doc): holds by a customer who is not admitted."""
        done = self.records[i].setdefault("probed", [])
        now = time.time()
        kinds = []
        if now < self.on_sale_at - 1:
            kinds.append(PROBES[0])
        elif now >= self.on_sale_at:
            kinds.append(PROBES[1])
            if self.stolen is not None and self.stolen[0] != user:
                kinds += PROBES[2:]
        for kind in kinds:
            if kind in done:
                continue
            done.append(kind)
            body = {"show_id": self.show, "seat_ids": [rng.choice(self.free_seats)]}
            if kind == PROBES[2]:
                body["admission"] = self.stolen[1]
            elif kind == PROBES[3]:
                parts = self.stolen[1].split(".")  # v1.<show>.<account>.<expires>.<mac>
                parts[2] = user.upper()
                body["admission"] = ".".join(parts)
            self.probes[kind] += 1
            s, data = await self.request("probe", "POST", "/seatlocks", body, token,
                                         rid=f"room-{i}-probe-{len(done)}", expect=(403,))
            if s == 403 and problem_code(data) == "not_admitted":
                continue
            text = "no answer (socket error or timeout)" if s is None else data.decode("utf-8", "replace")[:300]
            self.exceptions.append({"kind": kind, "status": s, "request": f"POST /seatlocks {json.dumps(body)}",
                                    "body": text})
            if s == 201:  # a hold that should not exist: give its seat back so the sale can still finish
                lock = json.loads(data)["lock_id"]
                await self.request("probe", "DELETE", f"/seatlocks/{lock}", token=token,
                                   rid=f"room-{i}-probe-release")

    def set_room(self):
        """PUT /shows/{id}/waiting-room, timed from now; sets on_sale_at (a whole second: the API's dates have no
        fractions)."""
        now = time.time()
        opens = int(now)
        self.on_sale_at = int(now) + 1 + self.args.join_window + ON_SALE_MARGIN
        c = Client(self.args.app)
        room = c.call("PUT", f"/shows/{self.show}/waiting-room", {
            "opens_at": iso(opens), "on_sale_at": iso(self.on_sale_at), "admit_per_minute": self.args.rate,
            "admission_minutes": self.args.admission_minutes}, token=self.args.admin_token)
        c.close()
        if parse_iso(room["on_sale_at"]) != self.on_sale_at or room["admit_per_minute"] != self.args.rate:
            raise SystemExit(f"roomrush.py: the room was not set as asked: {room}")
        return room

    async def run(self):
        self.free_seats = await self.check_seat_map()
        self.pool = Pool(self.host, self.port, self.args.connections, self.args.timeout)
        t = time.monotonic()
        connect_failures = await onsale.connect_all(self.pool.conns, self.args.timeout)
        connect_s = time.monotonic() - t
        room = self.set_room()
        start = time.monotonic()
        self.t0 = start + (self.on_sale_at - time.time())  # on_sale_at on the monotonic clock
        self.mark("start")
        rng = random.Random(5)
        tasks = [
            asyncio.ensure_future(self.room_customer(i, user, token, start + rng.uniform(0, self.args.join_window)))
            for i, (user, token) in enumerate(self.customers)
        ]
        lag = asyncio.ensure_future(self.lag_probe())
        watch = asyncio.ensure_future(self.sellout_watch())
        done, pending = await asyncio.wait(tasks, timeout=self.args.deadline)
        self.mark("end")
        lag.cancel()
        watch.cancel()
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
        self.pool.close()
        failed = [t.exception() for t in done if not t.cancelled() and t.exception() is not None]
        for exc in failed[:3]:
            self.sample("driver", 0, "", f"customer crashed: {exc!r}")
        end = self.cpu_marks["end"][0]
        out = {
            "customers": len(self.customers),
            "seats": self.total_seats,
            "rate": self.args.rate,
            "admission_minutes": self.args.admission_minutes,
            "join_window_s": self.args.join_window,
            "connections": self.args.connections,
            "opens_at": room["opens_at"],
            "on_sale_at": room["on_sale_at"],
            "connect_s": round(connect_s, 2),
            "connect_failures": connect_failures,
            "run_s": round(end - start, 1),
            **self.summary(end - self.t0, self.cpu_marks["end"][1] - self.cpu_marks["start"][1], len(pending),
                           len(failed)),
        }
        out["requests_per_s"] = self.requests / (end - start)
        out["client_cpu_pct"] = round(100 * (self.cpu_marks["end"][1] - self.cpu_marks["start"][1]) / (end - start), 1)
        out.update(self.figures(start))
        return out

    def figures(self, start):
        recs = self.records
        admitted = [r for r in recs if r.get("state") == "admitted"]
        sold_out = [r for r in recs if r.get("state") == "sold_out"]
        last_booking = max(self.booked_first_sent, default=None)
        n = len(recs)
        lat = {
            s: {"answers": len(v), "p50_ms": ms(pct(v, 50)), "p99_ms": ms(pct(v, 99)), "p999_ms": ms(pct(v, 99.9)),
                "max_ms": ms(max(v) if v else None)}
            for s, v in self.latency.items()
        }
        # Fairness: in queue order, each place's admission (by the server) is never before the one ahead of it.
        by_pos = sorted(admitted, key=lambda r: r["position"])
        inversions = sum(1 for a, b in zip(by_pos, by_pos[1:]) if b["admitted_at"] < a["admitted_at"])
        positions = [r["position"] for r in recs if "position" in r]
        seen = set()
        duplicates = sum(1 for p in positions if p in seen or seen.add(p))
        missing = sum(1 for p in range(1, n + 1) if p not in seen)
        rate = self.args.rate
        off_schedule = sum(
            1 for r in admitted if r["admitted_at"] != self.on_sale_at + (r["position"] * 60 + rate - 1) // rate)
        late = [r["seen"] - r["admitted_at"] for r in admitted]
        joins_late = sum(1 for r in recs if r.get("join_sent", 0) >= self.on_sale_at)
        polls = [r["polls"] for r in recs if "polls" in r]

        def phase(a, b):
            if a not in self.cpu_marks or b not in self.cpu_marks:
                return None
            (t1, c1, s1, d1), (t2, c2, s2, d2) = self.cpu_marks[a], self.cpu_marks[b]
            secs = t2 - t1
            if secs <= 0:
                return None
            lags = [x for x, at in zip(self.lags, self.lag_at) if t1 <= at < t2]
            return {"seconds": round(secs, 1), "client_cpu_pct": round(100 * (c2 - c1) / secs, 1),
                    "server_cpu_pct": round(100 * (s2 - s1) / secs, 1) if self.args.server_pid else None,
                    "db_cpu_pct": round(100 * (d2 - d1) / secs, 1) if self.args.db_pids or self.args.db_parent else None,
                    "client_lag_p99_ms": ms(pct(lags, 99)), "client_lag_max_ms": ms(max(lags) if lags else None)}

        sold = "sold out" if "sold out" in self.cpu_marks else "end"
        return {
            "latency": lat,
            "joined": sum(1 for r in recs if "join_position" in r),
            "joins_sent_after_on_sale": joins_late,
            "queue_length": max((r["queue_length"] for r in admitted), default=0),
            "polls": sum(polls),
            "polls_per_customer_p50": pct(polls, 50),
            "polls_per_customer_max": max(polls) if polls else None,
            "admitted": len(admitted),
            "expired": sum(1 for r in recs if r.get("state") == "expired"),
            "sold_out": len(sold_out),
            "sold_out_first_s": None if not sold_out else round(min(r["seen"] for r in sold_out) - self.on_sale_at, 1),
            # Sold out means every seat is in a booking, and no booking is in before its first request was sent.
            "sold_out_early": sum(1 for r in sold_out if last_booking is None or r["seen"] < last_booking),
            "failed": sum(1 for r in recs if "failed" in r),
            "admitted_by_sellout": None if self.sellout is None else min(n, int(self.sellout) * rate // 60),
            "left_after_sellout": sum(1 for r in admitted if r.get("after_sellout")),
            "admission_seen_late_p50_s": None if not late else round(pct(late, 50), 2),
            "admission_seen_late_p99_s": None if not late else round(pct(late, 99), 2),
            "admission_seen_late_max_s": None if not late else round(max(late), 2),
            # The server's own clock is the client's (one machine): a customer never sees an admission before its time.
            "admitted_early": sum(1 for x in late if x < -0.05),
            "fairness": {"inversions": inversions, "duplicate_positions": duplicates, "missing_positions": missing,
                         "off_schedule": off_schedule},
            "probes": self.probes,
            "exceptions": len(self.exceptions),
            "exception_samples": self.exceptions[:5],
            "pool_wait_p99_ms": ms(pct(self.pool.waits, 99)),
            "pool_wait_max_ms": ms(max(self.pool.waits) if self.pool.waits else None),
            "pool_reopened": self.pool.reopened,
            "phases": {"joins": phase("start", "on sale"), "sale": phase("on sale", sold),
                       "after": phase(sold, "end") if sold != "end" else None},
        }


def cmd_rush(args):
    with open(args.customers) as f:
        customers = [tuple(line.rstrip("\n").split("\t")) for line in f if line.strip()]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.connections + 256
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard) if hard != resource.RLIM_INFINITY else need, hard))
    print(json.dumps(asyncio.run(RoomRush(args, customers).run())))


# ---------------------------------------------------------------------------------------------------------------- check

def verdict(r, c):
    """Every reason the run is INVALID (empty: valid)."""
    problems = []
    seats = r["seats"]
    zero = {
        "5xx answers": r["server_errors"], "other 4xx answers": r["other_4xx"], "socket errors": r["socket_errors"],
        "timeouts": r["timeouts"], "failed connects": r["connect_failures"],
        "customers still running at the deadline": r["timed_out"], "customers the driver failed for": r["crashed"],
        "customers who gave up on a failed join or poll": r["failed"], "expired admissions": r["expired"],
        "places admitted before an earlier place": r["fairness"]["inversions"],
        "positions duplicated": r["fairness"]["duplicate_positions"],
        "positions missing among 1..N": r["fairness"]["missing_positions"],
        "admissions off the schedule": r["fairness"]["off_schedule"],
        "admissions seen before their time": r["admitted_early"], "exceptions": r["exceptions"],
        "places told sold_out before the last booking was asked for": r.get("sold_out_early", 0),
        "seats in two active bookings": c["double_sold"],
    }
    problems += [f"{v:,} {k}" for k, v in zero.items() if v]
    problems += [f"exceptions check did not run: no probe '{k}'" for k, v in r["probes"].items() if not v]
    if r["sellout_s"] is None:
        problems.append(f"never sold out: the customers bought {r['seats_bought']:,} of {seats:,} seats")
    if c["seats_sold"] != seats or c["seats_sold_distinct"] != seats:
        problems.append(f"seats sold {c['seats_sold']:,} ({c['seats_sold_distinct']:,} distinct), not {seats:,}")
    if not c["ledger_exact"]:
        problems.append("ledger not exact: " + ledger(c))
    if c.get("bookings_confirmed", 0) != r["purchases"]:
        problems.append(f"the customers saw {r['purchases']:,} purchases, the database has "
                        f"{c.get('bookings_confirmed', 0):,} CONFIRMED bookings")
    return problems


def ledger(c):
    return (f"₹{c['paid_minor'] / 100:,.2f} paid " + ("=" if c["ledger_difference_minor"] == 0 else "≠")
            + f" ₹{c['confirmed_total_minor'] / 100:,.2f} confirmed, {c['refunds']} refunds")


def cmd_check(args):
    with open(args.run) as f:
        r = json.loads(f.read().strip().splitlines()[-1])
    c = onsale.db_check(args.database_url, args.show)
    problems = verdict(r, c)
    result = {"label": args.label, "run": r, "check": c, "server": {"cpu_pct": args.cpu, "rss_mib": args.rss,
              "db_cpu_pct": args.dbcpu}, "problems": problems}
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)
    print(table([result]))
    for p in problems:
        print(f"[roomrush] INVALID: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


def fmt_ms(v):
    return "—" if v is None else (f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.0f} ms" if v >= 10 else f"{v:.1f} ms")


def fmt_pct(v):
    return "—" if v is None else f"{v:.0f} %"


def three(lat):
    return " / ".join(fmt_ms(lat[k]) for k in ("p50_ms", "p99_ms", "p999_ms"))


def table(results):
    """Markdown: one column per result."""
    rows = []

    def row(name, f):
        rows.append(f"| {name} | " + " | ".join(f(x["run"], x["check"], x) for x in results) + " |")

    row("customers, join window", lambda r, c, x: f"{r['customers']:,} in {r['join_window_s']} s")
    row("admitted a minute (admission)", lambda r, c, x: f"{r['rate']:,} ({r['admission_minutes']} min)")
    row("**time from on_sale_at to sold out**", lambda r, c, x: "never" if r["sellout_s"] is None
        else f"**{r['sellout_s']:.1f} s**")
    row("purchases, seats sold, purchases/s", lambda r, c, x: f"{r['purchases']:,}, {c['seats_sold']:,}, "
        f"{r['purchases_per_s']:.1f}")
    row("places admitted by the sell-out; after it: admitted (read the map once), told sold_out",
        lambda r, c, x: ("—" if r["admitted_by_sellout"] is None else f"{r['admitted_by_sellout']:,}")
        + f"; {r['left_after_sellout']:,}, {r.get('sold_out', 0):,}")
    for s in BUY_STEPS:
        bold = "**" if s in ("map", "hold") else ""
        row(f"{bold}{'seat map' if s == 'map' else s}{bold}, admitted buyers: p50 / p99 / p99.9 (answers)",
            lambda r, c, x, s=s: f"{bold}{three(r['latency'][s])}{bold} ({r['latency'][s]['answers']:,})")
    row("seat map after the sell-out: p50 / p99 (answers)", lambda r, c, x: f"{fmt_ms(r['latency']['after']['p50_ms'])}"
        f" / {fmt_ms(r['latency']['after']['p99_ms'])} ({r['latency']['after']['answers']:,})")
    row("joins: p50 / p99 (sent after on_sale_at)", lambda r, c, x: f"{fmt_ms(r['latency']['join']['p50_ms'])} / "
        f"{fmt_ms(r['latency']['join']['p99_ms'])} ({r['joins_sent_after_on_sale']:,})")
    row("queue polls: count, p50 / p99", lambda r, c, x: f"{r['polls']:,}, {fmt_ms(r['latency']['poll']['p50_ms'])} / "
        f"{fmt_ms(r['latency']['poll']['p99_ms'])}")
    row("admission seen after its time: p50 / p99 / max", lambda r, c, x: " / ".join(
        "—" if r[f"admission_seen_late_{k}_s"] is None else f"{r[f'admission_seen_late_{k}_s']:.1f}"
        for k in ("p50", "p99", "max")) + " s")
    row("409s (hold)", lambda r, c, x: f"{r['conflicts']:,} ({r['steps']['hold']['conflicts']:,})")
    row("5xx, other 4xx, socket errors, timeouts", lambda r, c, x: f"{r['server_errors']:,}, {r['other_4xx']:,}, "
        f"{r['socket_errors']:,}, {r['timeouts']:,}")
    row("fairness: admitted before an earlier place; off schedule; positions duplicated, missing; told sold_out early",
        lambda r, c, x: f"{r['fairness']['inversions']}; {r['fairness']['off_schedule']} (of {r['admitted']:,} "
        f"admitted); {r['fairness']['duplicate_positions']}, {r['fairness']['missing_positions']}; "
        f"{r.get('sold_out_early', 0)}")
    row("exceptions (holds tried without a valid admission)", lambda r, c, x: f"{r['exceptions']} of "
        f"{sum(r['probes'].values()):,}")
    row("seats sold twice; ledger", lambda r, c, x: f"{c['double_sold']}; "
        + ("exact" if c["ledger_exact"] else "NOT exact"))
    row("server CPU: joins / sale / after", lambda r, c, x: " / ".join(
        fmt_pct((r["phases"].get(p) or {}).get("server_cpu_pct")) for p in ("joins", "sale", "after")))
    row("database CPU: joins / sale / after", lambda r, c, x: " / ".join(
        fmt_pct((r["phases"].get(p) or {}).get("db_cpu_pct")) for p in ("joins", "sale", "after")))
    row("client: CPU; event loop late p99 / max (sale); wait for a pooled connection p99",
        lambda r, c, x: f"{fmt_pct(r['client_cpu_pct'])}; "
        f"{fmt_ms((r['phases'].get('sale') or {}).get('client_lag_p99_ms'))} / "
        f"{fmt_ms((r['phases'].get('sale') or {}).get('client_lag_max_ms'))}; {fmt_ms(r['pool_wait_p99_ms'])}")
    row("server RSS (peak)", lambda r, c, x: "—" if not x["server"].get("rss_mib") else f"{x['server']['rss_mib']} MiB")
    row("run", lambda r, c, x: ("valid" if not x["problems"] else "**INVALID**: " + "; ".join(x["problems"]))
        + f", {r['run_s']:.0f} s")
    head = "| | " + " | ".join(x.get("label") or f"rate {x['run']['rate']}" for x in results) + " |"
    return "\n".join([head, "|---|" + "---:|" * len(results)] + rows)


def cmd_table(args):
    results = []
    for path in args.results:
        with open(path) as f:
            results.append(json.load(f))
    print(table(results))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rush")
    r.add_argument("--app", required=True)
    r.add_argument("--show", required=True)
    r.add_argument("--admin-token", required=True)
    r.add_argument("--customers", required=True)
    r.add_argument("--seats", type=int, default=1000)
    r.add_argument("--rate", type=int, default=1200, help="places admitted a minute")
    r.add_argument("--admission-minutes", type=int, default=10)
    r.add_argument("--join-window", type=int, default=30, help="seconds over which the customers join")
    r.add_argument("--connections", type=int, default=300, help="keep-alive connections shared by the customers")
    r.add_argument("--probes", type=int, default=200, help="customers who try to hold seats without an admission")
    r.add_argument("--timeout", type=float, default=30, help="seconds per request")
    r.add_argument("--deadline", type=float, default=600, help="seconds for the whole rush, joins included")
    r.add_argument("--server-pid", type=lambda v: [int(v)], default=[])
    r.add_argument("--db-pids", type=lambda v: [int(p) for p in v.replace(",", " ").split()], default=[],
                   help="the database's processes (Redis), for the CPU figures")
    r.add_argument("--db-parent", type=lambda v: [int(v)], default=[],
                   help="PostgreSQL's postmaster: it and its children count as the database")
    c = sub.add_parser("check")
    c.add_argument("--database-url", required=True)
    c.add_argument("--show", required=True)
    c.add_argument("--run", required=True)
    c.add_argument("--out")
    c.add_argument("--label", default="")
    c.add_argument("--cpu")
    c.add_argument("--rss")
    c.add_argument("--dbcpu")
    t = sub.add_parser("table")
    t.add_argument("results", nargs="+")
    args = ap.parse_args()
    {"rush": cmd_rush, "check": cmd_check, "table": cmd_table}[args.cmd](args)


if __name__ == "__main__":
    main()
