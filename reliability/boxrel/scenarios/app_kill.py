"""kill -9 of the app during a purchase burst: 40 customers hold, book (Idempotency-Key), pay
(Idempotency-Key) and pay through the simulator in a loop; after 4 s the server gets SIGKILL and is
started again. Then, by SQL: no booking without its seats, no CONFIRMED booking without a completed
payment, no payment whose amount differs from its booking's total, the ledger balances (completed
payments minus refunds = totals of CONFIRMED bookings). And every request the kill cut off is sent
again, exactly (same key and body), until it gets a real answer: 2xx or 4xx, not 5xx and not a
409 `idempotency_in_progress` for ever (the server takes a dead request's key over after a 60 s
lease, so that is the bound: 75 s after the kill)."""

from __future__ import annotations

import asyncio
import time

from ..purchase import purchase, resend
from ..stats import counts

BURST_S = 4.0
RESOLVE_LIMIT_S = 75.0
WORKERS = 40


async def run(ctx) -> dict:
    killed = False
    done = []

    async def worker(c):
        while not killed:
            try:
                show, seats = ctx.pool.take(1 + (len(done) % 2))
            except RuntimeError:
                return
            p = await purchase(ctx.api, c, show, seats)
            done.append(p)

    tasks = [asyncio.create_task(worker(c)) for c in ctx.customers[:WORKERS]]
    await asyncio.sleep(BURST_S)
    await asyncio.to_thread(ctx.server.kill9)
    killed = True
    t_kill = time.monotonic()
    await asyncio.gather(*tasks)

    # Cut off: no answer, and not a refused connection (a refused request never reached the server).
    cut_purchases = [p for p in done if p.last.reply.status == 0 and p.last.reply.error != "refused"]
    cut = [p.last for p in cut_purchases]
    completed = sum(1 for p in done if p.last.kind == "simulate" and p.last.reply.status == 200)
    stuck_keys = await asyncio.to_thread(
        ctx.db.scalar, "SELECT COUNT(*) FROM idempotency_records WHERE status_code IS NULL")

    start_s = await asyncio.to_thread(ctx.server.start)
    lost_2xx = await asyncio.to_thread(answered_but_lost, ctx.db, done)
    doubles = await asyncio.to_thread(ctx.db.double_bookings)
    invariants = await asyncio.to_thread(ctx.db.invariants)
    ledger = await asyncio.to_thread(ctx.db.ledger)

    # Send each cut-off request again until it gets a real answer.
    outcomes: dict[int, tuple[str, float]] = {}
    first_answers: dict[int, str] = {}
    while len(outcomes) < len(cut) and time.monotonic() - t_kill < RESOLVE_LIMIT_S:
        for i, s in enumerate(cut):
            if i in outcomes:
                continue
            r = await resend(ctx.api, s)
            first_answers.setdefault(i, r.label())
            if r.status and r.status < 500 and r.code != "idempotency_in_progress":
                outcomes[i] = (r.label() + (" replayed" if r.headers.get("Idempotent-Replayed") == "true" else ""),
                               time.monotonic() - t_kill)
        if len(outcomes) < len(cut):
            await asyncio.sleep(2.0)
    unresolved = [cut[i] for i in range(len(cut)) if i not in outcomes]

    # A cut-off booking request whose booking did commit: does its key now give the client that booking?
    lost_answers = []
    for i, p in enumerate(cut_purchases):
        if p.last.kind != "book":
            continue
        rows = await asyncio.to_thread(
            ctx.db.query,
            f"SELECT DISTINCT b.id, b.status FROM bookings b JOIN booking_seats s ON s.booking_id = b.id "
            f"WHERE s.seat_id IN {ctx.db.uuid_list(p.seats)} AND s.show_id IN {ctx.db.uuid_list([p.show])}")
        if rows:
            answer = outcomes.get(i, ("no answer", 0))[0]
            if not answer.startswith("201"):
                lost_answers.append({"booking": rows[0][0], "status": rows[0][1], "key": p.last.key,
                                     "resend_answer": answer})

    invariants_after = await asyncio.to_thread(ctx.db.invariants)
    ledger_after = await asyncio.to_thread(ctx.db.ledger)
    figures = {
        "purchases_started": len(done),
        "purchases_completed_before_kill": completed,
        "cut_off_requests": counts(s.kind for s in cut),
        "idempotency_keys_in_progress_after_kill": stuck_keys,
        "restart_to_healthy_s": round(start_s, 2),
        "answered_2xx_before_kill_but_missing_after_restart": lost_2xx,
        "double_bookings_sql": doubles,
        "invariant_violations_after_restart": {k: v for k, v in invariants.items() if v},
        "ledger_after_restart": ledger,
        "resend_first_answers": counts(first_answers.values()),
        "resend_final_answers": counts(o for o, _ in outcomes.values()),
        "resend_resolved_max_s_after_kill": round(max((t for _, t in outcomes.values()), default=0), 1),
        "resend_unresolved": counts(s.kind for s in unresolved),
        "cut_off_bookings_committed_but_key_answers_otherwise": lost_answers,
        "invariant_violations_after_resends": {k: v for k, v in invariants_after.items() if v},
        "ledger_after_resends": ledger_after,
    }
    problems = []
    if lost_2xx:
        problems.append(f"{len(lost_2xx)} writes answered 2xx before the kill are missing after the restart "
                        f"(group commit must answer only after the COMMIT)")
    if doubles:
        problems.append(f"{doubles} seats in two active bookings")
    for name, inv in (("after restart", invariants), ("after resends", invariants_after)):
        bad = {k: v for k, v in inv.items() if v}
        if bad:
            problems.append(f"half-written rows {name}: {bad}")
    for name, led in (("after restart", ledger), ("after resends", ledger_after)):
        if not led["balanced"]:
            problems.append(f"ledger does not balance {name}: {led}")
    if unresolved:
        problems.append(f"{len(unresolved)} cut-off requests still had no real answer {RESOLVE_LIMIT_S:.0f} s "
                        f"after the kill")
    if lost_answers:
        problems.append(f"{len(lost_answers)} cut-off booking requests committed their booking, but resending "
                        f"the same Idempotency-Key answers {counts(a['resend_answer'] for a in lost_answers)} "
                        f"instead of that booking (the booking stays, holding its seats)")
    notes = []
    if not cut:
        notes.append("the kill cut off no request (nothing was in flight)")
    return {"figures": figures, "problems": problems, "notes": notes}


def answered_but_lost(db, done) -> list[dict]:
    """Every booking answered 201 must exist after the restart, and every purchase whose simulated payment was
    answered 200 must have its booking CONFIRMED and its payment COMPLETED: an answer is given only after the
    write is durable."""
    booked = {p.booking["id"]: p for p in done if p.booking}
    paid = {p.booking["id"] for p in done
            if p.booking and p.last.kind == "simulate" and p.last.reply.status == 200}
    if not booked:
        return []
    rows = db.query(f"SELECT id, status FROM bookings WHERE id IN {db.uuid_list(list(booked))}")
    status = {r[0].lower(): r[1] for r in rows}
    payments = db.query(f"SELECT booking_id, status FROM payments WHERE booking_id IN {db.uuid_list(list(paid))}") \
        if paid else []
    completed = {r[0].lower() for r in payments if r[1] == "COMPLETED"}
    lost = []
    for booking_id in booked:
        if booking_id.lower() not in status:
            lost.append({"booking": booking_id, "answered": "201 booked", "found": "no booking"})
        elif booking_id in paid and (status[booking_id.lower()] != "CONFIRMED"
                                     or booking_id.lower() not in completed):
            lost.append({"booking": booking_id, "answered": "200 paid",
                         "found": f"booking {status[booking_id.lower()]}, payment completed: "
                                  f"{booking_id.lower() in completed}"})
    return lost
