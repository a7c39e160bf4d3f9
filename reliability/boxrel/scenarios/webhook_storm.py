"""Webhook storm: N distinct signed simulator events for N real pending payments (4 in 5 succeed,
1 in 5 fail), each sent 3 times, shuffled, 64 at a time. A copy answered anything but 200 (a 503 under the
load) is sent again after a pause, as a gateway does, up to RETRIES times. Each event must be applied exactly
once: at most one answer `duplicate: false` per event and every other 200 `duplicate: true`, every copy
finally answered 200, N rows in payment_events, and every payment and booking in the state its one event says. Signed as scripts/fuzz/hooks.py signs:
`BoxOffice-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t." + body>` with the development secret."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
import time
from collections import defaultdict

from ..purchase import purchase
from ..stats import counts, latency_summary, server_errors

SECRET = b"boxoffice-development-webhook-secret"
RETRIES = 5


def sign(body: bytes) -> str:
    t = int(time.time())
    return f"t={t},v1={hmac.new(SECRET, f'{t}.'.encode() + body, hashlib.sha256).hexdigest()}"


async def run(ctx) -> dict:
    n = ctx.settings["storm_events"]
    rng = random.Random("storm")
    sem = asyncio.Semaphore(16)
    setup_labels = []

    async def make(i: int):
        show, seats = ctx.pool.take(1)
        async with sem:
            p = await purchase(ctx.api, ctx.customers[i % len(ctx.customers)], show, seats, simulate=False,
                               keyed=False)
        setup_labels.append(f"{p.last.kind} {p.last.reply.label()}")
        return p.payment

    t_setup = time.monotonic()
    payments = [p for p in await asyncio.gather(*(make(i) for i in range(n))) if p]
    setup_s = time.monotonic() - t_setup
    if len(payments) < n:
        return {"figures": {"payments_opened": len(payments), "setup": counts(setup_labels)},
                "problems": [f"could open only {len(payments)} of {n} pending payments"]}

    events = []
    for i, pay in enumerate(payments):
        kind = "payment.failed" if i % 5 == 4 else "payment.succeeded"
        data = {"gateway_payment_id": f"sim_pay_{pay['payment_id'].lower()}",
                "amount_minor": pay["amount_minor"], "currency": pay["currency"]}
        if kind == "payment.failed":
            data["failure_reason"] = "Declined in the reliability storm"
        events.append({"id": f"evt_rel_{ctx.tag}_{i}", "type": kind, "data": data, "_payment": pay})
    sends = [e for e in events for _ in range(3)]
    rng.shuffle(sends)

    acks: dict[str, list] = defaultdict(list)
    send_sem = asyncio.Semaphore(64)

    retried: list = []

    async def send(e):
        body = json.dumps({k: v for k, v in e.items() if k != "_payment"}).encode()
        for attempt in range(RETRIES + 1):
            if attempt:
                retried.append(e["id"])
                await asyncio.sleep(0.5 * attempt)
            async with send_sem:
                r = await ctx.api.call("POST", "/payments/webhook", data=body,
                                       headers={"BoxOffice-Signature": sign(body)})
            acks[e["id"]].append(r)
            if r.status == 200:
                return

    t_storm = time.monotonic()
    await asyncio.gather(*(send(e) for e in sends))
    storm_s = time.monotonic() - t_storm

    all_replies = [r for rs in acks.values() for r in rs]
    labels = counts(r.label() for r in all_replies)
    wrong_acks = 0
    for e in events:
        rs = acks[e["id"]]
        ok = [r for r in rs if r.status == 200]
        firsts = sum(1 for r in ok if r.body.get("duplicate") is False)
        # Three copies, each finally a 200; at most one of them new. None new is right too when the copy that
        # applied it was answered 503 after the deadline and its retry found it done.
        if firsts > 1 or len(ok) != 3 or any(r.body.get("duplicate") not in (True, False) for r in ok):
            wrong_acks += 1

    db = ctx.db
    ids = db.uuid_list([e["_payment"]["payment_id"] for e in events])
    prefix = f"evt_rel_{ctx.tag}_%"
    stored = await asyncio.to_thread(db.scalar, f"SELECT COUNT(*) FROM payment_events WHERE event_id LIKE '{prefix}'")
    stored_distinct = await asyncio.to_thread(
        db.scalar, f"SELECT COUNT(DISTINCT event_id) FROM payment_events WHERE event_id LIKE '{prefix}'")
    rows = await asyncio.to_thread(
        db.query, f"SELECT p.id, p.status, b.status, p.refunded_minor FROM payments p "
                  f"JOIN bookings b ON b.id = p.booking_id WHERE p.id IN {ids}")
    state = {r[0].upper(): r[1:] for r in rows}
    wrong_state = 0
    for e in events:
        pay_status, booking_status, refunded = state.get(e["_payment"]["payment_id"].upper(), ("?", "?", "?"))
        want = ("COMPLETED", "CONFIRMED") if e["type"] == "payment.succeeded" else ("FAILED", "PENDING")
        if (pay_status, booking_status) != want or refunded != "0":
            wrong_state += 1
    figures = {
        "events": len(events),
        "requests": len(all_replies),
        "setup_purchases_s": round(setup_s, 1),
        "storm_s": round(storm_s, 2),
        "storm_req_per_s": round(len(all_replies) / storm_s, 1),
        "statuses": labels,
        "resent_after_non_200": len(retried),
        "latency": latency_summary([r.latency for r in all_replies]),
        "applied_once_acks_ok": len(events) - wrong_acks,
        "events_with_wrong_acks": wrong_acks,
        "payment_events_rows": stored,
        "payment_events_distinct": stored_distinct,
        "payments_in_wrong_state": wrong_state,
    }
    problems = []
    if wrong_acks:
        problems.append(f"{wrong_acks} events were acknowledged new more than once, or a copy never got a 200")
    if stored != len(events) or stored_distinct != len(events):
        problems.append(f"payment_events holds {stored} rows ({stored_distinct} distinct) for {len(events)} events")
    if wrong_state:
        problems.append(f"{wrong_state} payments/bookings are not in the state their event says")
    if server_errors(labels):
        problems.append(f"server errors or hangs: {labels}")
    return {"figures": figures, "problems": problems}
