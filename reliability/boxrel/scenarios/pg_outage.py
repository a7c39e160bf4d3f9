"""PostgreSQL outage (PostgreSQL + Redis only).

`stopped`: pg_ctl stop -m fast, 6 s down, start again. Requests that need the database must answer
503 within 2 s, none may hang (client timeout 10 s), and they must work again within 10 s of the
restart. `frozen`: SIGSTOP to the postmaster and every backend for 15 s, then SIGCONT. Requests must
answer (503) within the pool timeout (10 s; client timeout 15 s), /ready must answer 503 promptly
(about 5 s per check), and everything must work again within 10 s of SIGCONT.

The probes: GET /movies?q=<new every time> (a public read the response cache cannot answer) and
GET /bookings (signed in), sent every 0.25 s without waiting for the previous ones; /ready every 1 s."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid

from ..stats import counts, latency_summary

STOPPED_503_LIMIT_S = 2.0
RECOVERY_LIMIT_S = 10.0
POOL_TIMEOUT_S = 10.0
READY_LIMIT_S = 6.0


async def run(ctx, variant: str) -> dict:
    if variant == "stopped":
        return await _outage(ctx, variant)
    # Frozen, twice: with the suite's HTTP idle timeout (3 s, shorter than the 10 s pool timeout), then with
    # the server restarted at 60 s (the default), so the pool timeout itself can be seen.
    a = await _outage(ctx, variant)
    configured = ctx.server.env["HTTP_IDLE_TIMEOUT_SECONDS"]
    await asyncio.to_thread(ctx.server.stop)
    ctx.server.env["HTTP_IDLE_TIMEOUT_SECONDS"] = "60"
    try:
        await asyncio.to_thread(ctx.server.start)
        b = await _outage(ctx, variant)
    finally:
        await asyncio.to_thread(ctx.server.stop)
        ctx.server.env["HTTP_IDLE_TIMEOUT_SECONDS"] = configured
        await asyncio.to_thread(ctx.server.start)
    return {"figures": {f"idle_timeout_{configured}s": a["figures"], "idle_timeout_60s": b["figures"]},
            "problems": [f"(HTTP idle timeout {configured} s) {p}" for p in a["problems"]]
            + [f"(HTTP idle timeout 60 s) {p}" for p in b["problems"]]}


async def _outage(ctx, variant: str) -> dict:
    api, token = ctx.api, ctx.customers[1].token
    client_timeout = 10.0 if variant == "stopped" else 15.0
    probes: list[tuple[str, float, object]] = []  # (kind, sent relative to t0, reply)
    readies: list[tuple[float, object]] = []
    t0 = time.monotonic()
    running = True
    pending: set[asyncio.Task] = set()

    async def probe(kind: str, coro):
        sent = time.monotonic() - t0
        r = await coro
        (readies.append((sent, r)) if kind == "ready" else probes.append((kind, sent, r)))

    def fire(kind: str, coro):
        task = asyncio.create_task(probe(kind, coro))
        pending.add(task)
        task.add_done_callback(pending.discard)

    async def prober():
        n = 0
        while running:
            fire("movies", api.call("GET", f"/movies?q={uuid.uuid4().hex[:8]}", timeout=client_timeout))
            fire("bookings", api.call("GET", "/bookings?limit=5", token=token, timeout=client_timeout))
            if n % 4 == 0:
                fire("ready", api.call("GET", "/ready", timeout=10.0))
            n += 1
            await asyncio.sleep(0.25)

    task = asyncio.create_task(prober())
    await asyncio.sleep(1.0)
    t_fault = time.monotonic() - t0
    if variant == "stopped":
        await asyncio.to_thread(ctx.services.pg_stop)
        t_down = time.monotonic() - t0  # the stop has returned: nothing listens any more
        await asyncio.sleep(6.0)
        t_restore = time.monotonic() - t0
        await asyncio.to_thread(ctx.services.pg_start)
        t_up = time.monotonic() - t0
    else:
        pids = await asyncio.to_thread(ctx.services.pg_signal, signal.SIGSTOP)
        t_down = time.monotonic() - t0
        await asyncio.sleep(15.0)
        t_restore = time.monotonic() - t0
        await asyncio.to_thread(ctx.services.pg_signal, signal.SIGCONT, pids)
        t_up = time.monotonic() - t0

    # Recovery: the first DB probe sent after t_up that answers 200.
    deadline = time.monotonic() + 20
    recovered = None
    while time.monotonic() < deadline and recovered is None:
        await asyncio.sleep(0.25)
        ok = [sent + r.latency for kind, sent, r in probes if sent >= t_up and r.status == 200]
        if ok:
            recovered = min(ok) - t_up
    await asyncio.sleep(1.0)
    running = False
    await task
    if pending:
        await asyncio.wait(pending, timeout=client_timeout + 5)

    during = [(kind, sent, r) for kind, sent, r in probes if t_down <= sent < t_restore]
    answered_503 = [sent + r.latency for _, sent, r in during if r.status == 503]
    ready_during = [(s, r) for s, r in readies if t_down <= s < t_restore]
    hangs = [r for _, _, r in during if r.status == 0 and r.error == "timeout"]
    figures = {
        "fault_started_s": round(t_fault, 3),
        "down_s": round(t_restore - t_down, 2),
        "probe_statuses_during": counts(r.label() for _, _, r in during),
        "probe_latency_during": latency_summary([r.latency for _, _, r in during]),
        "time_to_first_503_s": round(min(answered_503) - t_down, 3) if answered_503 else None,
        "hangs": len(hangs),
        "ready_statuses_during": counts(r.label() for _, r in ready_during),
        "ready_latency_during": latency_summary([r.latency for _, r in ready_during]),
        "time_to_recover_s": round(recovered, 3) if recovered is not None else None,
        "ready_timeline (sent after fault s, answer, latency s)": [
            (round(s - t_down, 1), r.label(), round(r.latency, 2)) for s, r in ready_during],
        "slowest probes (sent after fault s, route, answer, latency s)": [
            (round(sent - t_down, 1), kind, r.label(), round(r.latency, 2))
            for kind, sent, r in sorted(during, key=lambda x: -x[2].latency)[:4]],
        "probe_statuses_after": counts(r.label() for _, sent, r in probes if sent >= t_up),
    }
    problems = []
    limit = STOPPED_503_LIMIT_S if variant == "stopped" else POOL_TIMEOUT_S + 1
    late = [r.latency for _, _, r in during if r.status != 0 and r.latency > limit]
    bad = {k: v for k, v in figures["probe_statuses_during"].items() if k.split()[0] not in ("503", "200")}
    if hangs:
        problems.append(f"{len(hangs)} requests hung (no answer within {client_timeout:.0f} s)")
    if late:
        problems.append(f"{len(late)} requests answered only after {limit:.0f} s (max {max(late):.1f} s)")
    if bad:
        problems.append(f"requests during the outage answered {bad}")
    if not answered_503:
        problems.append("no request answered 503 during the outage")
    # A check answered 200 after the database came back is right; 200 while it was still down is not.
    ready_bad = [r for s, r in ready_during
                 if r.latency > READY_LIMIT_S or (r.status != 503 and (r.status != 200 or s + r.latency < t_restore))]
    if ready_bad:
        problems.append(f"/ready: {len(ready_bad)} checks not a 503 within {READY_LIMIT_S:.0f} s "
                        f"({counts(r.label() for r in ready_bad)})")
    if recovered is None or recovered > RECOVERY_LIMIT_S:
        problems.append(f"requests did not work again within {RECOVERY_LIMIT_S:.0f} s of PostgreSQL coming back")
    return {"figures": figures, "problems": problems}
