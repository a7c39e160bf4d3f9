"""A small aiohttp client for the BoxOffice API that never raises: every call returns a Reply."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class Reply:
    status: int  # HTTP status; 0 = no answer (see error)
    body: Any = None  # parsed JSON, or text
    latency: float = 0.0
    error: str = ""  # "timeout", "disconnected", "refused", or the exception's name
    headers: dict = field(default_factory=dict)

    @property
    def code(self) -> str:
        """The problem's `code` (e.g. seats_unavailable), or ''."""
        return self.body.get("code", "") if isinstance(self.body, dict) else ""

    def label(self) -> str:
        """'201', '409 seats_unavailable', 'timeout' ..., for counting outcomes."""
        if self.status == 0:
            return self.error
        return f"{self.status} {self.code}".strip()


class Api:
    """One connection pool to one server. Idle pooled connections are dropped after 1 s, below the
    server's HTTP idle timeout (3 s in this suite), so a request never races the server's close."""

    def __init__(self, base: str, limit: int = 200, timeout: float = 10.0):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self._limit = limit
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "Api":
        conn = aiohttp.TCPConnector(limit=self._limit, keepalive_timeout=1.0, force_close=False)
        self.session = aiohttp.ClientSession(connector=conn)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.session:
            await self.session.close()

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict | None = None,
        data: bytes | None = None,
        timeout: float | None = None,
    ) -> Reply:
        hdrs = dict(headers or {})
        if token:
            hdrs["authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            hdrs.setdefault("content-type", "application/json")
        url = path if path.startswith("http") else self.base + path
        t0 = time.monotonic()
        try:
            async with self.session.request(
                method, url, data=data, headers=hdrs,
                timeout=aiohttp.ClientTimeout(total=timeout or self.timeout),
            ) as resp:
                raw = await resp.read()
                try:
                    parsed: Any = json.loads(raw) if raw else None
                except ValueError:
                    parsed = raw.decode("utf-8", "replace")
                return Reply(resp.status, parsed, time.monotonic() - t0, headers=dict(resp.headers))
        except asyncio.TimeoutError:
            return Reply(0, None, time.monotonic() - t0, "timeout")
        except aiohttp.ClientConnectorError:
            return Reply(0, None, time.monotonic() - t0, "refused")
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError, aiohttp.ClientPayloadError):
            return Reply(0, None, time.monotonic() - t0, "disconnected")
        except aiohttp.ClientError as exc:
            return Reply(0, None, time.monotonic() - t0, type(exc).__name__)

    # --- the calls the scenarios make -------------------------------------------------------------

    async def login(self, email: str, password: str) -> Reply:
        return await self.call("POST", "/users/login", {"email": email, "password": password})

    async def hold(self, token: str, show_id: str, seat_ids: list[str], **kw) -> Reply:
        return await self.call("POST", "/seatlocks", {"show_id": show_id, "seat_ids": seat_ids}, token, **kw)

    async def release(self, token: str, lock_id: str) -> Reply:
        return await self.call("DELETE", f"/seatlocks/{lock_id}", token=token)

    async def book(self, token: str, show_id: str, lock_id: str, key: str | None = None, **kw) -> Reply:
        headers = {"Idempotency-Key": key} if key else None
        return await self.call("POST", "/bookings", {"show_id": show_id, "lock_id": lock_id}, token, headers, **kw)

    async def pay(self, token: str, booking_id: str, key: str | None = None, **kw) -> Reply:
        headers = {"Idempotency-Key": key} if key else None
        return await self.call("POST", "/payments", {"booking_id": booking_id, "method": "upi"}, token, headers, **kw)

    async def simulate(self, token: str, url: str, outcome: str = "succeeded", **kw) -> Reply:
        return await self.call("POST", url, {"outcome": outcome}, token, **kw)
