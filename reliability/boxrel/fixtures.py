"""Test data through the API: customers (signup + login), the shows on sale and a pool of free seats
that the scenarios take from, so no two scenarios ever race on the same seat by accident."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from dataclasses import dataclass

from .api import Api


@dataclass
class Customer:
    email: str
    token: str
    user_id: str


async def make_customers(api: Api, count: int, tag: str, start: int = 0, parallel: int = 4) -> list[Customer]:
    """Signs up and logs in `count` customers named rel-<tag>-<n>@example.com."""
    sem = asyncio.Semaphore(parallel)
    password = "reliable-secret-1"

    async def one(n: int) -> Customer:
        email = f"rel-{tag}-{n}@example.com"
        phone = f"+91987{n:07d}"  # unique in the run's fresh database; never the demo user's
        async with sem:
            # Retried: a signup or login cut off (e.g. by a slow bcrypt queue) is sent again.
            for attempt in range(4):
                r = await api.call("POST", "/users/signup",
                                   {"name": f"Rel {n}", "email": email, "phone": phone, "password": password},
                                   timeout=60)
                if r.status in (200, 201) or (attempt and r.code == "account_exists"):
                    break
            else:
                raise RuntimeError(f"signup {email}: {r.label()} {r.body}")
            for attempt in range(4):
                r = await api.login(email, password)
                if r.status == 200:
                    break
            else:
                raise RuntimeError(f"login {email}: {r.label()} {r.body}")
        return Customer(email, r.body["access_token"], r.body.get("user", {}).get("id", ""))

    return list(await asyncio.gather(*(one(n) for n in range(start, start + count))))


class SeatPool:
    """Free standard seats of the shows on sale that start at least 3 hours from now."""

    def __init__(self, seats: dict[str, list[str]], seed: int = 7):
        self.seats = seats
        self.rng = random.Random(seed)
        self._next = 0

    @classmethod
    async def load(cls, api: Api) -> "SeatPool":
        r = await api.call("GET", "/shows?limit=100")
        if r.status != 200:
            raise RuntimeError(f"GET /shows: {r.label()}")
        horizon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=3)
        shows = [s["id"] for s in r.body["items"]
                 if s.get("is_on_sale") and dt.datetime.fromisoformat(s["starts_at"].replace("Z", "+00:00")) > horizon]
        seats: dict[str, list[str]] = {}
        for show in shows:
            a = await api.call("GET", f"/shows/{show}/availability")
            if a.status == 200:
                seats[show] = [s["id"] for s in a.body["seats"] if s["kind"] == "standard" and s["status"] == "available"]
        if not seats:
            raise RuntimeError("no show on sale with free seats: was seed-demo run?")
        return cls(seats)

    def take(self, count: int) -> tuple[str, list[str]]:
        """`count` free seats of one show (shows taken in turn), removed from the pool."""
        shows = list(self.seats)
        for i in range(len(shows)):
            show = shows[(self._next + i) % len(shows)]
            if len(self.seats[show]) >= count:
                self._next = (self._next + i + 1) % len(shows)
                taken, self.seats[show] = self.seats[show][:count], self.seats[show][count:]
                return show, taken
        raise RuntimeError(f"seat pool exhausted (wanted {count} seats of one show)")

    def remaining(self) -> int:
        return sum(len(v) for v in self.seats.values())
