"""Redis down (PostgreSQL + Redis only): redis-server is stopped; holds must answer 503 within 1 s
while GET /shows and GET /movies keep answering 200; Redis is started again on the same port and
holds must work again within 5 s, without restarting the app."""

from __future__ import annotations

import asyncio
import time

from ..stats import counts, latency_summary

OUTAGE_S = 6.0
RECOVERY_LIMIT_S = 5.0
HOLD_503_LIMIT_S = 1.0


async def run(ctx) -> dict:
    customer = ctx.customers[0]
    show, seats = ctx.pool.take(1)
    api = ctx.api

    async def hold_once(timeout: float = 10.0):
        r = await api.hold(customer.token, show, seats, timeout=timeout)
        if r.status == 201:
            await api.release(customer.token, r.body["lock_id"])
        return r

    before = await hold_once()
    if before.status != 201:
        return {"figures": {"hold_before": before.label()}, "problems": ["a hold failed before Redis was stopped"]}

    await asyncio.to_thread(ctx.services.redis_stop)
    t_down = time.monotonic()
    holds, reads, seatmaps = [], [], []
    while time.monotonic() - t_down < OUTAGE_S:
        sent = time.monotonic() - t_down
        h, s, m, sm = await asyncio.gather(
            hold_once(), api.call("GET", "/shows?limit=5"), api.call("GET", "/movies"),
            api.call("GET", f"/shows/{show}/availability"))
        holds.append((sent, h))
        reads += [s, m]
        seatmaps.append(sm)
        await asyncio.sleep(0.2)
    first_503 = next((sent + r.latency for sent, r in holds if r.status == 503), None)

    await asyncio.to_thread(ctx.services.redis_start)
    t_up = time.monotonic()
    recovered_after, after_labels = None, []
    while time.monotonic() - t_up < 15:
        r = await hold_once()
        after_labels.append(r.label())
        if r.status == 201:
            recovered_after = time.monotonic() - t_up
            break
        await asyncio.sleep(0.1)

    hold_labels = counts(r.label() for _, r in holds)
    figures = {
        "hold_statuses_while_down": hold_labels,
        "hold_latency_while_down": latency_summary([r.latency for _, r in holds]),
        "time_to_first_503_s": round(first_503, 3) if first_503 is not None else None,
        "reads_while_down": counts(r.label() for r in reads),
        "seat_map_while_down": counts(r.label() for r in seatmaps),
        "hold_statuses_after_restart": counts(after_labels),
        "time_to_recover_s": round(recovered_after, 3) if recovered_after is not None else None,
    }
    problems = []
    not_503 = {k: v for k, v in hold_labels.items() if not k.startswith("503")}
    if not_503:
        problems.append(f"holds while Redis was down answered {not_503}, not 503")
    slow = [r.latency for _, r in holds if r.latency > HOLD_503_LIMIT_S]
    if slow:
        problems.append(f"{len(slow)} holds took longer than {HOLD_503_LIMIT_S} s (max {max(slow):.2f} s)")
    bad_reads = {k: v for k, v in figures["reads_while_down"].items() if k != "200"}
    if bad_reads:
        problems.append(f"GET /shows or /movies answered {bad_reads} while Redis was down")
    if recovered_after is None or recovered_after > RECOVERY_LIMIT_S:
        problems.append(f"holds did not work again within {RECOVERY_LIMIT_S} s of Redis restarting")
    return {"figures": figures, "problems": problems}
