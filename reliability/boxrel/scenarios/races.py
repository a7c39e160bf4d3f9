"""Races: groups of 20-50 customers all hold the same seats of a show at once, then book what they won.

Half of each group asks for seats (a, b), the other half for (b, c): every pair overlaps on b, so at
most one customer per group may end with a booking. Variants break Redis mid-run: `flushall` wipes
every hold (a seat can then be held twice, and the bookings' unique index is the last guard), and
`redis-kill9` kills redis-server with SIGKILL and restarts it on the same port. The figure that
must hold: 0 seats of a show in two active bookings, counted by SQL on the database."""

from __future__ import annotations

import asyncio
import random
import time
import uuid

from ..stats import counts, server_errors


async def run(ctx, variant: str = "plain") -> dict:
    rng = random.Random(f"races-{variant}")
    target = ctx.settings["race_attempts" if variant == "plain" else "race_fault_attempts"]
    hold_labels, book_labels = [], []
    groups = []  # (start, end, winners, seat sets of winners)
    fault = {}
    attempts = 0
    # The booking step waits a little after the hold in the Redis variants, so a wipe can land between.
    book_delay = 0.0 if variant == "plain" else 0.3

    async def attempt(customer, show, seats) -> tuple[str, list[str]] | None:
        r = await ctx.api.hold(customer.token, show, seats)
        hold_labels.append(r.label())
        if r.status != 201:
            return None
        if book_delay:
            await asyncio.sleep(rng.random() * book_delay)
        b = await ctx.api.book(customer.token, show, r.body["lock_id"], key=str(uuid.uuid4()))
        book_labels.append(b.label())
        return (b.body["id"], seats) if b.status == 201 else None

    async def group(size: int) -> None:
        show, (a, b, c) = ctx.pool.take(3)
        members = rng.sample(ctx.customers, size)
        plans = [[a, b] if rng.random() < 0.5 else [b, c] for _ in members]
        t0 = time.monotonic()
        results = await asyncio.gather(*(attempt(m, show, p) for m, p in zip(members, plans)))
        winners = [w for w in results if w]
        groups.append({"t": t0 - ctx.t0, "end": time.monotonic() - ctx.t0, "winners": len(winners)})

    async def inject() -> None:
        # Mid-run: once 40 % of the attempts are under way.
        while attempts < target * 0.4:
            await asyncio.sleep(0.05)
        fault["at_s"] = round(time.monotonic() - ctx.t0, 3)
        if variant == "flushall":
            fault["reply"] = await asyncio.to_thread(ctx.services.redis_cli, "FLUSHALL")
        elif variant == "redis-kill9":
            old = ctx.services.redis_pid
            await asyncio.to_thread(ctx.services.redis_stop, True)
            await asyncio.sleep(1.0)
            await asyncio.to_thread(ctx.services.redis_start)
            fault.update(killed_pid=old, new_pid=ctx.services.redis_pid)
        fault["done_s"] = round(time.monotonic() - ctx.t0, 3)

    injector = asyncio.create_task(inject()) if variant != "plain" else None
    sem = asyncio.Semaphore(ctx.settings["race_parallel_groups"])
    tasks = []
    started = time.monotonic()
    while attempts < target:
        size = min(rng.randint(20, 50), target - attempts, len(ctx.customers))
        attempts += size
        await sem.acquire()
        task = asyncio.create_task(group(size))
        task.add_done_callback(lambda _t: sem.release())
        tasks.append(task)
    await asyncio.gather(*tasks)
    if injector:
        await injector
    elapsed = time.monotonic() - started

    doubles = await asyncio.to_thread(ctx.db.double_bookings)
    holds, books = counts(hold_labels), counts(book_labels)
    both = counts(hold_labels + book_labels)
    multi = sum(1 for g in groups if g["winners"] > 1)
    after = [g for g in groups if fault and g["t"] > fault.get("done_s", 0) + 1]
    figures = {
        "attempts": len(hold_labels),
        "groups": len(groups),
        "wins": books.get("201", 0),
        "hold_statuses": holds,
        "book_statuses": books,
        "hold_409": holds.get("409 seats_unavailable", 0),
        # Summed over both steps (a dict merge would let the booking step's count of a status replace the hold's).
        "503s": sum(c for step in (holds, books) for k, c in step.items() if k.startswith("503")),
        "other_statuses": {k: v for k, v in both.items()
                           if k not in ("201", "409 seats_unavailable") and not k.startswith("503")},
        "groups_with_two_bookings": multi,
        "double_bookings_sql": doubles,
        "seconds": round(elapsed, 2),
        "attempts_per_s": round(len(hold_labels) / elapsed, 1),
    }
    if fault:
        figures["fault"] = fault
        figures["groups_after_fault"] = len(after)
        figures["groups_after_fault_with_a_winner"] = sum(1 for g in after if g["winners"])
    problems = []
    if doubles:
        problems.append(f"{doubles} seats in two active bookings (SQL)")
    if multi:
        problems.append(f"{multi} groups produced more than one booking over overlapping seats")
    bad = server_errors(holds) + server_errors(books)
    if bad:
        problems.append(f"{bad} server errors or hangs")
    if fault and after and not figures["groups_after_fault_with_a_winner"]:
        problems.append("no group won a seat after Redis came back")
    notes = []
    if variant == "plain" and figures["503s"]:
        notes.append(f"{figures['503s']} answers were 503 with every dependency up (busy database)")
    return {"figures": figures, "problems": problems, "notes": notes}
