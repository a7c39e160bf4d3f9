#!/usr/bin/env python3
"""bench/lib/purchase.py — the whole purchase path with N concurrent clients (python3 stdlib only).

    purchase.py --app URL --list purchases.tsv --clients 32 --duration SECONDS

Each client is a thread with one keep-alive connection. It takes every N-th line of the list (token, show, seat:
a seat no other line uses) and buys it:
    POST /seatlocks                 {"show_id", "seat_ids": [seat]}          -> 201 lock_id
    POST /bookings                  {"show_id", "lock_id"} + Idempotency-Key -> 201 booking id (PENDING)
    POST /payments                  {"booking_id", "method": "upi"} + Idempotency-Key -> 201 payment id
    POST /payments/{id}/simulate    {"outcome": "succeeded"}                  -> 200 status COMPLETED (booking CONFIRMED)
until the duration has passed (a purchase under way then is finished and counted). Any other answer, or a socket
error, is an error: the purchase is abandoned, the client goes on with its next line, and the row is invalid.
Running out of lines is an error too.

Prints one JSON object: purchases, seconds, purchases_per_s, requests_per_s, p50/p99/p999/max of the whole path (ms),
p50/p99 of each step (ms), errors (count) and the first few error samples (step, status, body).
"""

import argparse
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchhttp import Client  # noqa: E402

STEPS = ("hold", "book", "pay", "confirm")


def pct(values, q):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-q * len(ordered) // 100)) - 1))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", required=True)
    ap.add_argument("--list", required=True)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--duration", type=float, default=10)
    ap.add_argument("--timeout", type=float, default=30)
    args = ap.parse_args()

    with open(args.list) as f:
        entries = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    lock = threading.Lock()
    paths, steps = [], {s: [] for s in STEPS}
    errors, samples, requests = [0], [], [0]
    exhausted = [0]
    start_barrier = threading.Barrier(args.clients + 1)
    deadline = [0.0]

    def fail(step, status, body, request=""):
        with lock:
            errors[0] += 1
            if len(samples) < 5:
                samples.append({"step": step, "status": status, "body": body[:400], "request": request})

    def client(i):
        c = Client(args.app, timeout=args.timeout)
        mine = entries[i :: args.clients]
        start_barrier.wait()
        n = 0
        while time.monotonic() < deadline[0]:
            if n >= len(mine):
                with lock:
                    exhausted[0] += 1
                fail("list", 0, "purchase list exhausted")
                return
            token, show, seat = mine[n]
            n += 1
            t0 = time.monotonic()
            times = {}
            rid = f"bench-p{i}-{n}"
            req = ""
            try:
                req = f"POST /seatlocks {json.dumps({'show_id': show, 'seat_ids': [seat]})}"
                s, body = c.raw(
                    "POST", "/seatlocks", {"show_id": show, "seat_ids": [seat]}, token=token,
                    headers={"X-Request-ID": rid + "-hold"},
                )
                t1 = time.monotonic()
                times["hold"] = t1 - t0
                if s != 201:
                    fail("hold", s, body, f"{req} [X-Request-ID {rid}-hold]")
                    continue
                lock_id = json.loads(body)["lock_id"]
                req = f"POST /bookings {json.dumps({'show_id': show, 'lock_id': lock_id})}"
                s, body = c.raw(
                    "POST", "/bookings", {"show_id": show, "lock_id": lock_id}, token=token,
                    headers={"Idempotency-Key": f"bench-book-{lock_id}", "X-Request-ID": rid + "-book"},
                )
                t2 = time.monotonic()
                times["book"] = t2 - t1
                if s != 201:
                    fail("book", s, body, f"{req} [X-Request-ID {rid}-book]")
                    continue
                booking = json.loads(body)["id"]
                req = f"POST /payments {json.dumps({'booking_id': booking, 'method': 'upi'})}"
                s, body = c.raw(
                    "POST", "/payments", {"booking_id": booking, "method": "upi"}, token=token,
                    headers={"Idempotency-Key": f"bench-pay-{booking}", "X-Request-ID": rid + "-pay"},
                )
                t3 = time.monotonic()
                times["pay"] = t3 - t2
                if s != 201:
                    fail("pay", s, body, f"{req} [X-Request-ID {rid}-pay]")
                    continue
                payment = json.loads(body)["payment_id"]
                req = f'POST /payments/{payment}/simulate {{"outcome": "succeeded"}}'
                s, body = c.raw(
                    "POST", f"/payments/{payment}/simulate", {"outcome": "succeeded"}, token=token,
                    headers={"X-Request-ID": rid + "-confirm"},
                )
                t4 = time.monotonic()
                times["confirm"] = t4 - t3
                if s != 200 or json.loads(body).get("status") != "COMPLETED":
                    fail("confirm", s, body, f"{req} [X-Request-ID {rid}-confirm]")
                    continue
            except Exception as exc:  # socket errors, timeouts, unparsable answers
                fail("socket", 0, repr(exc), req)
                c.close()
                continue
            finally:
                with lock:
                    requests[0] += len(times)
            with lock:
                paths.append(t4 - t0)
                for k, v in times.items():
                    steps[k].append(v)
        c.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
    for t in threads:
        t.start()
    t_start = time.monotonic()
    deadline[0] = t_start + args.duration
    start_barrier.wait()
    for t in threads:
        t.join()
    seconds = time.monotonic() - t_start

    ms = lambda v: None if v is None else round(v * 1000, 2)  # noqa: E731
    print(json.dumps({
        "purchases": len(paths),
        "seconds": round(seconds, 3),
        "purchases_per_s": len(paths) / seconds,
        "requests_per_s": requests[0] / seconds,
        "p50_ms": ms(pct(paths, 50)),
        "p75_ms": ms(pct(paths, 75)),
        "p90_ms": ms(pct(paths, 90)),
        "p99_ms": ms(pct(paths, 99)),
        "p999_ms": ms(pct(paths, 99.9)),
        "max_ms": ms(max(paths) if paths else None),
        "steps": {k: {"p50_ms": ms(pct(v, 50)), "p99_ms": ms(pct(v, 99))} for k, v in steps.items()},
        "errors": errors[0],
        "exhausted": exhausted[0],
        "error_samples": samples,
    }))


if __name__ == "__main__":
    main()
