#!/usr/bin/env python3
"""bench/lib/onsale.py — the on-sale rush row of bench/run (python3 stdlib only).

    onsale.py rush  --app URL --show ID --customers FILE [--seats 1000] [--timeout 30] [--deadline 300]
    onsale.py check --database-url URL --show ID

`rush`: every customer of FILE (user_id TAB access token, signed in beforehand by `setup.py onsale`) is one buyer
with a keep-alive HTTP/1.1 connection of its own, all in one asyncio loop (threads for 2,000 clients are too heavy
on two cores). All connect first, then start at once (a start barrier). Each wants a random 1–4 seats and:
    GET  /shows/{id}/availability                                   the seat map (seats with status "available")
    POST /seatlocks              {"show_id", "seat_ids": [...]}     -> 201 lock_id; 409: some seat is taken
    POST /bookings               {"show_id", "lock_id"} + Idempotency-Key          -> 201 booking id (PENDING)
    POST /payments               {"booking_id", "method": "upi"} + Idempotency-Key -> 201 payment_id
    POST /payments/{id}/simulate {"outcome": "succeeded"}           -> 200 status COMPLETED (booking CONFIRMED)
picking its seats at random among those the map shows available (all of them when fewer are left than it wants).
A 409 at any step means those seats are gone (at booking: the hold died): it reloads the map and tries other seats.
When the map shows no available seat the customer gives up (sold out). A 5xx, another 4xx, a socket error or a
timeout is counted (the row is then invalid). After one of those the customer goes on as a real client would: after
a hold, it looks for the hold among its live ones (GET /seatlocks?show_id=, step "check"); booking, payment and
confirm it sends again with the same Idempotency-Key (see Rush.retried); otherwise it starts over (a 4xx but 409
ends the customer); after 50 attempts it gives up. 409s are counted by step and by problem code. The run
ends when every customer has bought or given up, or after --deadline seconds (then it is invalid too).

Prints one JSON object: sellout_s (start until the answer to the confirm that sold the last of --seats seats),
purchases, seats bought, purchases_per_s (over sellout_s, or over the time to the last purchase if it never sold
out), per step (map, hold, book, pay, confirm) the answers, p50/p99 (ms) and 409s, the whole path of a successful
purchase (hold → confirm answered, p50/p99/p99.9), the time from the start to each buyer's confirmation, counts of
409, 5xx, other 4xx, socket errors and timeouts, error samples (request and answer), the client's CPU % and how
late its event loop ran (a 20 ms timer's lateness, p99 and max: that much of any latency may be the client's), and
the answers of each step in each second of the rush.

`check`: straight from the database (sqlite3 for sqlite://PATH, psql for a PostgreSQL URL), for the show: seats of
CONFIRMED bookings, seats in two active (PENDING or CONFIRMED) bookings, and the money ledger: completed payments of
its bookings against the totals of its CONFIRMED bookings, per booking and in sum, with refunds. Prints one JSON
object.
"""

import argparse
import asyncio
import json
import random
import resource
import shutil
import subprocess
import sys
import time
import urllib.parse

STEPS = ("map", "hold", "book", "pay", "confirm", "check")
MAX_ATTEMPTS = 50
# After a 5xx, socket error or timeout: at most RETRIES more tries of the same request. After a 409 that says "retry"
# (the first request with this Idempotency-Key is still running, or a race to retry): at most AGAIN more. Both
# RETRY_PAUSE apart.
RETRIES, AGAIN, RETRY_PAUSE = 3, 40, 0.5
RETRY_CODES = {"idempotency_in_progress", "idempotency_conflict", "payment_conflict"}


def pct(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-q * len(ordered) // 100)) - 1))]


def ms(v):
    return None if v is None else round(v * 1000, 2)


AVAILABLE = b'"status":"available"'
ID = b'"id":"'


def free_seats_json(data):
    return [seat["id"] for seat in json.loads(data)["seats"] if seat["status"] == "available"]


def pick_fast(data, want, rng):
    """`want` (or fewer, if fewer are left) random available seats of a seat map, without decoding all of it: the map
    of 1,000 seats is 170 kB, and 2,000 customers reading it after every 409 would make this one Python process the
    slowest part of the rush. Relies on each seat's "id" coming before its "status" in the same object (the server
    sorts keys); `Rush.run` checks that against a full decode before the start."""
    parts = data.split(AVAILABLE)
    chosen = []
    for k in rng.sample(range(len(parts) - 1), min(want, len(parts) - 1)):
        part = parts[k]
        at = part.rfind(ID)
        if at < 0 or b"{" in part[at:]:
            raise ValueError("unexpected seat map layout")
        chosen.append(part[at + len(ID) : part.index(b'"', at + len(ID))].decode())
    return chosen


def problem_code(data):
    try:
        return json.loads(data).get("code") or "?"
    except (ValueError, AttributeError):
        return "?"


def pick_json(data, want, rng):
    free = free_seats_json(data)
    return rng.sample(free, min(want, len(free)))


class SocketFailure(Exception):
    """A connection refused, reset or closed mid-answer, or an unreadable answer."""


class Conn:
    """One keep-alive HTTP/1.1 connection (the request format of benchhttp.Client, written by hand for asyncio)."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.hostport = f"{host}:{port}".encode()
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method, path, body=None, token=None, headers=None):
        """Returns (status, body bytes). Raises asyncio.TimeoutError or SocketFailure (then the connection is
        closed)."""
        if self.writer is None:
            try:
                await asyncio.wait_for(self.open(), self.timeout)
            except OSError as e:
                raise SocketFailure(f"connect: {e!r}") from None
        head = [method.encode() + b" " + path.encode() + b" HTTP/1.1", b"Host: " + self.hostport,
                b"Accept: application/json"]
        if token:
            head.append(b"Authorization: Bearer " + token.encode())
        for k, v in (headers or {}).items():
            head.append(f"{k}: {v}".encode())
        data = b""
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            head.append(b"Content-Type: application/json")
            head.append(b"Content-Length: " + str(len(data)).encode())
        try:
            return await asyncio.wait_for(self._exchange(b"\r\n".join(head) + b"\r\n\r\n" + data), self.timeout)
        except asyncio.TimeoutError:
            self.close()
            raise
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            self.close()
            raise SocketFailure(repr(e)) from None

    async def _exchange(self, raw):
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        hdrs = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                hdrs[k.strip().lower()] = v.strip()
        if hdrs.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    while (await self.reader.readuntil(b"\r\n")) != b"\r\n":
                        pass
                    break
                parts.append((await self.reader.readexactly(size + 2))[:-2])
            body = b"".join(parts)
        else:
            body = await self.reader.readexactly(int(hdrs.get("content-length", "0")))
        if hdrs.get("connection", "").lower() == "close":
            self.close()
        return status, body


async def connect_all(conns, timeout):
    """Opens the connections, 64 at a time, each tried 5 times; returns how many failed (they connect again at their
    first request)."""
    gate = asyncio.Semaphore(64)
    failures = 0

    async def connect(c):
        nonlocal failures
        async with gate:
            for attempt in range(5):
                try:
                    await asyncio.wait_for(c.open(), timeout)
                    return
                except (OSError, asyncio.TimeoutError):
                    await asyncio.sleep(0.2 * (attempt + 1))
            failures += 1

    await asyncio.gather(*(connect(c) for c in conns))
    return failures


class Rush:
    STEPS = STEPS  # a subclass (roomrush.py) adds steps of its own

    def __init__(self, args, customers):
        u = urllib.parse.urlsplit(args.app)
        self.host, self.port = u.hostname, u.port or 80
        self.args = args
        self.customers = customers
        self.show = args.show
        self.total_seats = args.seats
        self.start = asyncio.Event()
        self.t0 = None
        self.latency = {s: [] for s in self.STEPS}
        self.per_second = {s: {} for s in self.STEPS}  # answers per second of the rush, by step
        self.lags = []
        self.pick = pick_fast
        self.statuses = {s: {} for s in self.STEPS}
        self.conflicts = {s: 0 for s in self.STEPS}
        self.conflict_codes = {s: {} for s in self.STEPS}
        self.conflict_samples = []
        self.server_errors = 0
        self.other_4xx = 0
        self.socket_errors = 0
        self.timeouts = 0
        self.samples = []
        self.paths = []  # whole path of each successful purchase (hold sent → confirm answered)
        self.bought_at = []  # seconds from the start to each buyer's confirmation
        self.seats_bought = 0
        self.sellout = None
        self.last_purchase = None
        self.gave_up = {"sold out": 0, "attempts": 0, "client error": 0}
        self.attempts = []
        self.requests = 0

    def sample(self, step, status, request, body):
        if len(self.samples) < 8:
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
            self.samples.append({"step": step, "status": status, "request": request, "body": text[:400]})

    async def call(self, conn, step, method, path, body=None, token=None, headers=None, rid="", expect=()):
        """One request; returns (status, body) or (None, None) after a socket error or timeout (counted). A status in
        `expect` is the answer the caller wants (e.g. a refusal it provokes): counted by step, never as an error."""
        hdrs = dict(headers or {})
        hdrs["X-Request-ID"] = rid
        desc = f"{method} {path}"
        if body is not None:
            desc += " " + json.dumps(body, separators=(",", ":"))
        if "Idempotency-Key" in hdrs:
            desc += f" [Idempotency-Key {hdrs['Idempotency-Key']}]"
        desc += f" [X-Request-ID {rid}]"
        t = time.monotonic()
        self.requests += 1
        try:
            status, data = await conn.request(method, path, body=body, token=token, headers=hdrs)
        except asyncio.TimeoutError:
            self.timeouts += 1
            self.sample(step, 0, desc, f"timeout after {self.args.timeout} s")
            return None, None
        except SocketFailure as e:
            self.socket_errors += 1
            self.sample(step, 0, desc, f"socket error: {e}")
            return None, None
        now = time.monotonic()
        t += getattr(conn, "waited", 0.0)  # a shared connection's wait for its pool (roomrush.py) is the client's
        self.latency[step].append(now - t)
        second = int(now - self.t0)
        self.per_second[step][second] = self.per_second[step].get(second, 0) + 1
        self.statuses[step][status] = self.statuses[step].get(status, 0) + 1
        if status in expect:
            pass
        elif status == 409:
            self.conflicts[step] += 1
            code = problem_code(data)
            self.conflict_codes[step][code] = self.conflict_codes[step].get(code, 0) + 1
            if code != "seats_unavailable" and len(self.conflict_samples) < 5:
                self.conflict_samples.append(
                    {"step": step, "status": status, "request": desc, "body": data.decode("utf-8", "replace")[:400]})
        elif status >= 500:
            self.server_errors += 1
            self.sample(step, status, desc, data)
        elif status >= 400:
            self.other_4xx += 1
            self.sample(step, status, desc, data)
        return status, data

    async def retried(self, conn, step, method, path, body, token, headers=None, rid="", payment=None):
        """Book, pay and confirm as a real client sends them. After a 5xx, a socket error or a timeout it cannot know
        whether the request took effect (the server's request deadline answers 503 and lets the write finish), so it
        sends the same request again with the same Idempotency-Key, up to RETRIES times; a 409 that says to retry
        (the first request with that key is still running) is retried up to AGAIN times; a confirm answered 409
        payment_not_pending after a lost first try is looked up (GET /payments/{id}, step "check"): COMPLETED is a
        purchase. Every 5xx, socket error and timeout is still counted."""
        lost = n = again = 0
        while True:
            s, data = await self.call(conn, step, method, path, body, token, headers, rid=rid + (f"-r{n}" if n else ""))
            n += 1
            if s is None or s >= 500:
                lost += 1
                if lost > RETRIES:
                    return s, data
            elif s == 409 and problem_code(data) in RETRY_CODES:
                again += 1
                if again > AGAIN:
                    return s, data
            elif s == 409 and step == "confirm" and lost and problem_code(data) == "payment_not_pending":
                s2, data2 = await self.call(
                    conn, "check", "GET", f"/payments/{payment}", None, token, rid=rid + "-check")
                if s2 == 200 and json.loads(data2).get("status") == "COMPLETED":
                    return 200, data2
                return s, data
            else:
                return s, data
            await asyncio.sleep(RETRY_PAUSE)

    async def customer(self, i, token, conn):
        rng = random.Random(1000 + i)
        want = rng.randint(1, 4)
        await self.start.wait()
        try:
            await self.buy(i, token, conn, rng, want)
        finally:
            conn.close()

    async def buy(self, i, token, conn, rng, want, hold_extra=None, map_step="map", rid_prefix="rush"):
        """Customer i buys `want` seats over `conn` (see the module doc) or gives up. `hold_extra` is added to the
        hold's body (a waiting room's admission); `map_step` is the step its seat map reads are counted under."""
        show = self.show
        attempt = 0
        try:
            while True:
                attempt += 1
                if attempt > MAX_ATTEMPTS:
                    self.gave_up["attempts"] += 1
                    return
                rid = f"{rid_prefix}-{i}-{attempt}"
                s, data = await self.call(
                    conn, map_step, "GET", f"/shows/{show}/availability", token=token, rid=rid + "-map")
                if s != 200:
                    if s is not None and 400 <= s < 500:
                        self.gave_up["client error"] += 1
                        return
                    await asyncio.sleep(0.1)
                    continue
                seats = self.pick(data, want, rng)
                if not seats:
                    self.gave_up["sold out"] += 1
                    return
                t_hold = time.monotonic()
                s, data = await self.call(
                    conn, "hold", "POST", "/seatlocks", {"show_id": show, "seat_ids": seats, **(hold_extra or {})},
                    token, rid=rid + "-hold")
                if s is None or s >= 500:
                    # The hold may have been placed all the same (there is no Idempotency-Key for holds): a real
                    # client looks at its live holds for the show before trying other seats.
                    s, data = await self.call(
                        conn, "check", "GET", f"/seatlocks?show_id={show}", None, token, rid=rid + "-check")
                    mine = [] if s != 200 else [
                        h for h in json.loads(data)["items"] if sorted(h["seat_ids"]) == sorted(seats)]
                    if mine:
                        s, data = 201, json.dumps(mine[0]).encode()
                    else:
                        await asyncio.sleep(0.1)
                        continue
                if s != 201:
                    if await self.stop_on(s):
                        return
                    continue
                lock = json.loads(data)["lock_id"]
                s, data = await self.retried(
                    conn, "book", "POST", "/bookings", {"show_id": show, "lock_id": lock}, token,
                    {"Idempotency-Key": f"rush-book-{lock}"}, rid=rid + "-book")
                if s != 201:
                    if await self.stop_on(s):
                        return
                    continue
                booking = json.loads(data)["id"]
                s, data = await self.retried(
                    conn, "pay", "POST", "/payments", {"booking_id": booking, "method": "upi"}, token,
                    {"Idempotency-Key": f"rush-pay-{booking}"}, rid=rid + "-pay")
                if s != 201:
                    if await self.stop_on(s):
                        return
                    continue
                payment = json.loads(data)["payment_id"]
                s, data = await self.retried(
                    conn, "confirm", "POST", f"/payments/{payment}/simulate", {"outcome": "succeeded"}, token,
                    rid=rid + "-confirm", payment=payment)
                if s == 200 and json.loads(data).get("status") != "COMPLETED":
                    self.other_4xx += 1  # a 200 that did not complete the payment is as wrong as a 4xx
                    self.sample("confirm", s, f"POST /payments/{payment}/simulate [X-Request-ID {rid}-confirm]", data)
                    self.gave_up["client error"] += 1
                    return
                if s != 200:
                    if await self.stop_on(s):
                        return
                    continue
                now = time.monotonic()
                self.paths.append(now - t_hold)
                self.bought_at.append(now - self.t0)
                self.last_purchase = now - self.t0
                self.seats_bought += len(seats)
                if self.sellout is None and self.seats_bought >= self.total_seats:
                    self.sellout = now - self.t0
                return
        finally:
            self.attempts.append(attempt)

    async def stop_on(self, status):
        """After an unsuccessful answer: False to try again with other seats (409, 5xx, socket error or timeout),
        True to stop (another 4xx: the customer's requests are wrong, retrying would repeat them)."""
        if status is None or status >= 500:
            await asyncio.sleep(0.1)
            return False
        if status == 409:
            return False
        self.gave_up["client error"] += 1
        return True

    async def lag_probe(self):
        """How late the event loop wakes a 20 ms sleep: the client's own delay, part of every latency it measures."""
        while True:
            t = time.monotonic()
            await asyncio.sleep(0.02)
            self.lags.append(time.monotonic() - t - 0.02)

    async def check_seat_map(self):
        """Reads the seat map once before the start: every seat must be available, and the quick seat picker must see
        exactly what a full decode sees (else every customer decodes). Returns the available seat ids."""
        probe_conn = Conn(self.host, self.port, self.args.timeout)
        status, data = await probe_conn.request("GET", f"/shows/{self.show}/availability")
        probe_conn.close()
        if status != 200:
            raise SystemExit(f"onsale.py: the seat map of {self.show} answers {status}: {data[:300]!r}")
        free = free_seats_json(data)
        try:
            fast = pick_fast(data, len(free), random.Random(0))
        except ValueError:
            fast = None
        if fast is None or sorted(fast) != sorted(free):
            self.pick = pick_json
        if len(free) != self.total_seats:
            raise SystemExit(f"onsale.py: {len(free)} seats of {self.show} are available before the start, not "
                             f"{self.total_seats}")
        return free

    async def run(self):
        conns = [Conn(self.host, self.port, self.args.timeout) for _ in self.customers]
        await self.check_seat_map()
        t = time.monotonic()
        connect_failures = await connect_all(conns, self.args.timeout)
        connect_s = time.monotonic() - t
        tasks = [
            asyncio.ensure_future(self.customer(i, token, conn))
            for i, ((_, token), conn) in enumerate(zip(self.customers, conns))
        ]
        await asyncio.sleep(0.2)  # every customer is waiting at the barrier
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        self.t0 = time.monotonic()
        self.start.set()
        probe = asyncio.ensure_future(self.lag_probe())
        done, pending = await asyncio.wait(tasks, timeout=self.args.deadline)
        elapsed = time.monotonic() - self.t0
        probe.cancel()
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
        for c in conns:
            c.close()
        failed = [t.exception() for t in done if not t.cancelled() and t.exception() is not None]
        for exc in failed[:3]:
            self.sample("driver", 0, "", f"customer crashed: {exc!r}")
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        return {
            "customers": len(self.customers),
            "seats": self.total_seats,
            "connect_s": round(connect_s, 2),
            "connect_failures": connect_failures,
            **self.summary(elapsed, cpu, len(pending), len(failed)),
        }

    def summary(self, elapsed, cpu, timed_out, crashed):
        """The figures of a finished rush (`elapsed` seconds from t0, `cpu` seconds of this process's CPU)."""
        purchases = len(self.paths)
        over = self.sellout or self.last_purchase
        return {
            "elapsed_s": round(elapsed, 3),
            "timed_out": timed_out,
            "crashed": crashed,
            "sellout_s": None if self.sellout is None else round(self.sellout, 3),
            "last_purchase_s": None if self.last_purchase is None else round(self.last_purchase, 3),
            "purchases": purchases,
            "seats_bought": self.seats_bought,
            "purchases_per_s": purchases / over if over else 0.0,
            "requests": self.requests,
            "requests_per_s": self.requests / elapsed if elapsed else 0.0,
            "p50_ms": ms(pct(self.paths, 50)),
            "p99_ms": ms(pct(self.paths, 99)),
            "p999_ms": ms(pct(self.paths, 99.9)),
            "first_purchase_s": None if not self.bought_at else round(min(self.bought_at), 3),
            "bought_at_p50_s": None if not self.bought_at else round(pct(self.bought_at, 50), 3),
            "bought_at_p99_s": None if not self.bought_at else round(pct(self.bought_at, 99), 3),
            "steps": {
                s: {
                    "answers": len(self.latency[s]),
                    "p50_ms": ms(pct(self.latency[s], 50)),
                    "p99_ms": ms(pct(self.latency[s], 99)),
                    "conflicts": self.conflicts[s],
                    "conflict_codes": self.conflict_codes[s],
                    "statuses": {str(k): v for k, v in sorted(self.statuses[s].items())},
                }
                for s in self.STEPS
            },
            "conflicts": sum(self.conflicts.values()),
            "server_errors": self.server_errors,
            "other_4xx": self.other_4xx,
            "socket_errors": self.socket_errors,
            "timeouts": self.timeouts,
            "gave_up": self.gave_up,
            "attempts_p50": pct(self.attempts, 50),
            "attempts_max": max(self.attempts) if self.attempts else None,
            "client_cpu_pct": round(100 * cpu / elapsed, 1) if elapsed else None,
            "seat_picker": self.pick.__name__,
            "client_lag_p99_ms": ms(pct(self.lags, 99)),
            "client_lag_max_ms": ms(max(self.lags) if self.lags else None),
            "answers_per_second": {
                s: [v.get(i, 0) for i in range(int(elapsed) + 1)] for s, v in self.per_second.items()
            },
            "error_samples": self.samples,
            "conflict_samples": self.conflict_samples,
        }


def cmd_rush(args):
    with open(args.customers) as f:
        customers = [tuple(line.rstrip("\n").split("\t")) for line in f if line.strip()]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = len(customers) + 256
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard) if hard != resource.RLIM_INFINITY else need, hard))
    print(json.dumps(asyncio.run(Rush(args, customers).run())))


# ---------------------------------------------------------------------------------------------------------------- check

CHECKS = """
SELECT 'seats_sold', count(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id
    WHERE b.show_id = {show} AND b.status = 'CONFIRMED'
UNION ALL SELECT 'seats_sold_distinct', count(DISTINCT bs.seat_id)
    FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id WHERE b.show_id = {show} AND b.status = 'CONFIRMED'
UNION ALL SELECT 'double_sold', count(*) FROM (
    SELECT bs.seat_id FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id
    WHERE b.show_id = {show} AND b.status IN ('PENDING', 'CONFIRMED')
    GROUP BY bs.seat_id HAVING count(DISTINCT b.id) > 1) d
UNION ALL SELECT 'seat_rows_wrong_show', count(*) FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id
    WHERE b.show_id = {show} AND bs.show_id <> b.show_id
UNION ALL SELECT 'inactive_seats_of_active_bookings', count(*)
    FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id WHERE b.show_id = {show} AND b.status IN ('PENDING', 'CONFIRMED') AND NOT bs.is_active
UNION ALL SELECT 'bookings_' || lower(status), count(*) FROM bookings WHERE show_id = {show} GROUP BY status
UNION ALL SELECT 'confirmed_total_minor', coalesce(sum(total_minor), 0) FROM bookings
    WHERE show_id = {show} AND status = 'CONFIRMED'
UNION ALL SELECT 'paid_minor', coalesce(sum(p.amount_minor), 0) FROM payments p JOIN bookings b ON b.id = p.booking_id
    WHERE b.show_id = {show} AND p.status = 'COMPLETED'
UNION ALL SELECT 'payments_' || lower(p.status), count(*) FROM payments p JOIN bookings b ON b.id = p.booking_id
    WHERE b.show_id = {show} GROUP BY p.status
UNION ALL SELECT 'refunded_minor', coalesce(sum(p.refunded_minor), 0)
    FROM payments p JOIN bookings b ON b.id = p.booking_id WHERE b.show_id = {show}
UNION ALL SELECT 'refunds', count(*)
    FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN bookings b ON b.id = p.booking_id WHERE b.show_id = {show}
UNION ALL SELECT 'confirmed_not_paid_exactly', count(*) FROM bookings b
    WHERE b.show_id = {show} AND b.status = 'CONFIRMED'
    AND b.total_minor <> coalesce((SELECT sum(p.amount_minor) FROM payments p
                                   WHERE p.booking_id = b.id AND p.status = 'COMPLETED'), 0)
UNION ALL SELECT 'paid_not_confirmed', count(*) FROM bookings b WHERE b.show_id = {show} AND b.status <> 'CONFIRMED'
    AND EXISTS (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.status = 'COMPLETED');
"""


def cmd_check(args):
    print(json.dumps(db_check(args.database_url, args.show)))


def db_check(url, show):
    """The checks of `check` for one show (see the module doc), as a dict; exits on a database error."""
    if url.startswith("sqlite://"):
        if not shutil.which("sqlite3"):
            sys.exit("onsale.py check: sqlite3 is not installed")
        # Fluent keeps UUIDs on SQLite as uppercase text (as the API prints them).
        sql = ".timeout 60000\n" + CHECKS.format(show=f"'{show.upper()}'")
        cmd = ["sqlite3", "-bail", "-batch", url[len("sqlite://"):]]
    else:
        if not shutil.which("psql"):
            sys.exit("onsale.py check: psql is not installed")
        sql = CHECKS.format(show=f"'{show}'::uuid")
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", url]
    out = subprocess.run(cmd, input=sql, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        sys.exit(f"onsale.py check: {cmd[0]} failed: {out.stderr.strip()}")
    values = {}
    for line in out.stdout.splitlines():
        if "|" in line:
            k, v = line.split("|", 1)
            values[k] = int(v)
    values["ledger_difference_minor"] = values["paid_minor"] - values["confirmed_total_minor"]
    values["ledger_exact"] = (
        values["ledger_difference_minor"] == 0
        and values["refunds"] == 0
        and values["refunded_minor"] == 0
        and values["confirmed_not_paid_exactly"] == 0
        and values["paid_not_confirmed"] == 0
    )
    return values


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("rush")
    r.add_argument("--app", required=True)
    r.add_argument("--show", required=True)
    r.add_argument("--customers", required=True)
    r.add_argument("--seats", type=int, default=1000)
    r.add_argument("--timeout", type=float, default=30, help="seconds per request")
    r.add_argument("--deadline", type=float, default=300, help="seconds for the whole rush")
    c = sub.add_parser("check")
    c.add_argument("--database-url", required=True)
    c.add_argument("--show", required=True)
    args = ap.parse_args()
    cmd_rush(args) if args.cmd == "rush" else cmd_check(args)


if __name__ == "__main__":
    main()
