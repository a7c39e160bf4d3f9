"""Small figures: percentiles and outcome counts shared by the scenarios."""

from __future__ import annotations

from collections import Counter


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100 * (len(values) - 1)))))
    return round(values[k], 4)


def latency_summary(values: list[float]) -> dict:
    return {"n": len(values), "p50_s": pct(values, 50), "p99_s": pct(values, 99),
            "max_s": round(max(values), 4) if values else None}


def counts(labels) -> dict[str, int]:
    return dict(sorted(Counter(labels).items()))


def server_errors(labels: dict[str, int]) -> int:
    """Answers 500-599 other than 503, plus hangs (timeouts)."""
    n = 0
    for label, c in labels.items():
        head = label.split()[0]
        if head.isdigit() and 500 <= int(head) < 600 and int(head) != 503:
            n += c
        if head == "timeout":
            n += c
    return n
