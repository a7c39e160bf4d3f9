"""The customer purchase path, step by step: hold -> book -> pay -> simulate, each step recorded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass
class Step:
    kind: str  # hold | book | pay | simulate
    customer: object
    body: dict
    key: str | None
    reply: object = None


@dataclass
class Purchase:
    customer: object
    show: str
    seats: list[str]
    steps: list[Step] = field(default_factory=list)
    booking: dict | None = None
    payment: dict | None = None

    @property
    def last(self) -> Step:
        return self.steps[-1]


async def purchase(api, customer, show: str, seats: list[str], pay: bool = True, simulate: bool = True,
                   keyed: bool = True, on_step=None) -> Purchase:
    """Runs as far as it gets; every request is an entry of `steps` (the last one may have failed)."""
    p = Purchase(customer, show, seats)

    async def step(kind, body, key, coro_fn):
        s = Step(kind, customer, body, key)
        p.steps.append(s)
        if on_step:
            on_step(s)
        s.reply = await coro_fn()
        return s.reply

    r = await step("hold", {"show_id": show, "seat_ids": seats}, None,
                   lambda: api.hold(customer.token, show, seats))
    if r.status != 201:
        return p
    lock = r.body["lock_id"]
    key = f"rel-book-{uuid.uuid4()}" if keyed else None
    r = await step("book", {"show_id": show, "lock_id": lock}, key,
                   lambda: api.book(customer.token, show, lock, key=key))
    if r.status != 201:
        return p
    p.booking = r.body
    if not pay:
        return p
    key = f"rel-pay-{uuid.uuid4()}" if keyed else None
    r = await step("pay", {"booking_id": p.booking["id"], "method": "upi"}, key,
                   lambda: api.pay(customer.token, p.booking["id"], key=key))
    if r.status not in (200, 201):
        return p
    p.payment = r.body
    if not simulate:
        return p
    url = r.body["checkout"]["simulate_url"]
    await step("simulate", {"url": url, "outcome": "succeeded"}, None,
               lambda: api.simulate(customer.token, url))
    return p


async def resend(api, s: Step):
    """Sends a recorded step again, exactly (same customer, body and Idempotency-Key)."""
    c = s.customer
    if s.kind == "hold":
        return await api.hold(c.token, s.body["show_id"], s.body["seat_ids"])
    if s.kind == "book":
        return await api.book(c.token, s.body["show_id"], s.body["lock_id"], key=s.key)
    if s.kind == "pay":
        return await api.pay(c.token, s.body["booking_id"], key=s.key)
    return await api.simulate(c.token, s.body["url"], s.body["outcome"])
