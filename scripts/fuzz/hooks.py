"""Schemathesis hooks for scripts/fuzz-api (loaded by path: SCHEMATHESIS_HOOKS=scripts/fuzz/hooks.py).

1. `POST /payments/webhook` is signed like the payment gateway signs it:
   `BoxOffice-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + raw body>`
   keyed with FUZZ_WEBHOOK_SECRET (the development secret unless set; see
   WebhookSignature in Sources/BoxOffice/Payments/PaymentGateway.swift). To sign the
   exact bytes that go on the wire, the hook serializes the generated body itself and
   hands those bytes to the transport as `data`, which schemathesis then sends
   unchanged instead of serializing the body again. Without this the fuzzer never gets
   past the signature check (every request would be a 400 or 401).

2. Every answer of the webhook is counted by status and problem code (e.g.
   "422 validation_failed") and the counts are written as JSON to FUZZ_WEBHOOK_STATS
   (if set), so scripts/fuzz-api can show that the signing works: signed requests
   reach the event handling (200, 422 ...); unsigned ones would all be
   400 signature_missing or 401 invalid_signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
import time
from collections import Counter

import schemathesis

WEBHOOK_PATH = "/payments/webhook"
SIGNATURE_HEADER = "BoxOffice-Signature"
SECRET = os.environ.get("FUZZ_WEBHOOK_SECRET", "boxoffice-development-webhook-secret").encode()
STATS_FILE = os.environ.get("FUZZ_WEBHOOK_STATS")

_statuses: Counter[str] = Counter()
_lock = threading.Lock()  # schemathesis workers are threads


def _is_webhook(ctx, case) -> bool:
    # The case's own method: the coverage phase also sends e.g. PUT to this path (a 405).
    operation = ctx.operation
    return operation is not None and operation.path == WEBHOOK_PATH and case.method.upper() == "POST"


def _body_bytes(body) -> bytes:
    """The exact bytes to send for a generated body (as `requests` would for `json=`)."""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8")
    try:
        return json.dumps(body, allow_nan=False).encode("utf-8")
    except ValueError:
        # NaN/Infinity from negative generation: send them as such; still signed.
        return json.dumps(body).encode("utf-8")


def sign(body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(SECRET, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@schemathesis.hook
def before_call(ctx, case, kwargs):
    if not _is_webhook(ctx, case):
        return
    from schemathesis.core import NotSet

    if isinstance(case.body, NotSet):
        body = b""
    else:
        body = _body_bytes(case.body)
        # A body passed by the caller replaces the generated one and is sent as is.
        kwargs["data"] = body
    if case.headers is None:
        case.headers = {}
    case.headers[SIGNATURE_HEADER] = sign(body)


@schemathesis.hook
def after_call(ctx, case, response):
    if not _is_webhook(ctx, case):
        return
    # "422 validation_failed": the status with the problem's code, if any.
    key = str(response.status_code)
    try:
        problem = json.loads(response.content)
        if isinstance(problem, dict) and isinstance(problem.get("code"), str):
            key += " " + problem["code"]
    except ValueError:
        pass
    with _lock:
        _statuses[key] += 1
        if STATS_FILE:
            with open(STATS_FILE, "w", encoding="utf-8") as out:
                json.dump(dict(sorted(_statuses.items())), out)
