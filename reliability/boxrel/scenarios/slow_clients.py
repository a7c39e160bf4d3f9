"""Slow clients and a connection flood: 500 TCP connections that send nothing, and 50 slowloris
connections that trickle a request's header one byte a second, while a normal client keeps asking
GET /shows every 50 ms. The normal client must keep its latency (p99 within 1 s, no error), and the
server must close every idle connection once HTTP_IDLE_TIMEOUT_SECONDS have passed (within 2 s more).
How long the trickling connections stay open is reported too."""

from __future__ import annotations

import asyncio
import time

from ..api import Api
from ..stats import latency_summary, pct

IDLE = 500
SLOW = 50
FLOOD_S = 10.0
P99_LIMIT_S = 1.0
CLOSE_MARGIN_S = 2.0


async def run(ctx) -> dict:
    idle_timeout = float(ctx.server.env["HTTP_IDLE_TIMEOUT_SECONDS"])
    host, port = "127.0.0.1", ctx.server.port

    async def normal(seconds: float, out: list, errors: list):
        async with Api(ctx.base, limit=1) as api:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                r = await api.call("GET", "/shows?limit=5", timeout=10)
                (out.append(r.latency) if r.status == 200 else errors.append(r.label()))
                await asyncio.sleep(0.05)

    before, before_err = [], []
    await normal(2.0, before, before_err)

    idle_closed: list[float | None] = []
    slow_closed: list[float | None] = []
    open_failures = []

    async def idle_conn():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            open_failures.append(type(exc).__name__)
            return
        t0 = time.monotonic()
        try:
            data = await asyncio.wait_for(reader.read(1), timeout=FLOOD_S + 5)
            idle_closed.append(time.monotonic() - t0 if data == b"" else None)
        except (asyncio.TimeoutError, OSError):
            idle_closed.append(None)
        writer.close()

    async def slow_conn():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            open_failures.append(type(exc).__name__)
            return
        t0 = time.monotonic()
        head = b"GET /shows HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
        closed = None
        try:
            writer.write(head[:10])
            await writer.drain()
            i = 10
            while time.monotonic() - t0 < FLOOD_S + 2:
                writer.write(head[i:i + 1] if i < len(head) else b"a")
                await writer.drain()
                i += 1
                try:
                    data = await asyncio.wait_for(reader.read(1), timeout=1.0)
                    if data == b"" or data:
                        closed = time.monotonic() - t0
                        break
                except asyncio.TimeoutError:
                    pass
        except OSError:
            closed = time.monotonic() - t0
        slow_closed.append(closed)
        writer.close()

    during, during_err = [], []
    flood = [asyncio.create_task(idle_conn()) for _ in range(IDLE)] + [asyncio.create_task(slow_conn()) for _ in range(SLOW)]
    await asyncio.sleep(0.5)
    await normal(FLOOD_S, during, during_err)
    await asyncio.gather(*flood)

    closed_times = [t for t in idle_closed if t is not None]
    figures = {
        "idle_timeout_s": idle_timeout,
        "idle_connections": IDLE,
        "slowloris_connections": SLOW,
        "open_failures": len(open_failures),
        "normal_before": latency_summary(before),
        "normal_during_flood": latency_summary(during),
        "normal_errors": before_err + during_err,
        "idle_closed_by_server": len(closed_times),
        "idle_never_closed": sum(1 for t in idle_closed if t is None),
        "idle_closed_after_s": {"min": pct(closed_times, 0), "p50": pct(closed_times, 50),
                                "max": pct(closed_times, 100)},
        "slowloris_closed_by_server": sum(1 for t in slow_closed if t is not None),
        "slowloris_still_open_at_end": sum(1 for t in slow_closed if t is None),
        "slowloris_closed_after_s": {"min": pct([t for t in slow_closed if t], 0),
                                     "max": pct([t for t in slow_closed if t], 100)},
    }
    problems = []
    if figures["normal_errors"]:
        problems.append(f"the normal client got errors: {figures['normal_errors'][:5]}")
    p99 = figures["normal_during_flood"]["p99_s"]
    if p99 is None or p99 > P99_LIMIT_S:
        problems.append(f"normal client p99 {p99} s during the flood (limit {P99_LIMIT_S} s)")
    if figures["idle_never_closed"]:
        problems.append(f"{figures['idle_never_closed']} idle connections were never closed by the server")
    late = [t for t in closed_times if t > idle_timeout + CLOSE_MARGIN_S]
    if late:
        problems.append(f"{len(late)} idle connections closed later than {idle_timeout + CLOSE_MARGIN_S:.0f} s")
    if open_failures:
        problems.append(f"{len(open_failures)} connections could not be opened")
    notes = []
    if figures["slowloris_still_open_at_end"]:
        notes.append(f"{figures['slowloris_still_open_at_end']} trickling connections were still open after "
                     f"{FLOOD_S + 2:.0f} s (one header byte a second counts as activity)")
    return {"figures": figures, "problems": problems, "notes": notes}
