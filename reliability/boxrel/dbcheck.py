"""Checks straight on the database (sqlite3 CLI or psql), never through the API: double bookings,
half-written bookings and payments, the ledger, stuck idempotency keys."""

from __future__ import annotations

import subprocess

ACTIVE = "('PENDING','CONFIRMED')"

# Seats of one show in two active bookings: the figure the race scenarios must keep at 0.
DOUBLE_BOOKINGS = f"""
SELECT COUNT(*) FROM (
  SELECT bs.show_id, bs.seat_id FROM booking_seats bs JOIN bookings b ON b.id = bs.booking_id
  WHERE b.status IN {ACTIVE}
  GROUP BY bs.show_id, bs.seat_id HAVING COUNT(DISTINCT b.id) > 1) AS d
"""

# name -> SQL counting the rows that break the invariant (0 is good).
INVARIANTS = {
    "booking_without_seats":
        "SELECT COUNT(*) FROM bookings b WHERE NOT EXISTS (SELECT 1 FROM booking_seats s WHERE s.booking_id = b.id)",
    "booking_seats_sum_mismatch": """
        SELECT COUNT(*) FROM bookings b WHERE b.seats_subtotal_minor <>
          (SELECT COALESCE(SUM(s.price_minor), 0) FROM booking_seats s WHERE s.booking_id = b.id)""",
    "booking_breakdown_mismatch": """
        SELECT COUNT(*) FROM bookings b WHERE b.subtotal_minor <> b.seats_subtotal_minor + b.food_subtotal_minor
          OR b.taxable_minor <> b.subtotal_minor - b.discount_minor
          OR b.total_minor <> b.taxable_minor + b.cgst_minor + b.sgst_minor""",
    "seat_active_flag_mismatch": f"""
        SELECT COUNT(*) FROM booking_seats s JOIN bookings b ON b.id = s.booking_id
        WHERE (s.is_active = TRUE) <> (b.status IN {ACTIVE})""",
    "confirmed_without_completed_payment": """
        SELECT COUNT(*) FROM bookings b WHERE b.status = 'CONFIRMED' AND NOT EXISTS
          (SELECT 1 FROM payments p WHERE p.booking_id = b.id AND p.status = 'COMPLETED')""",
    "booking_with_two_completed_payments": """
        SELECT COUNT(*) FROM (SELECT booking_id FROM payments WHERE status = 'COMPLETED'
          GROUP BY booking_id HAVING COUNT(*) > 1) AS x""",
    "payment_amount_differs_from_booking_total": """
        SELECT COUNT(*) FROM payments p JOIN bookings b ON b.id = p.booking_id WHERE p.amount_minor <> b.total_minor""",
    "completed_payment_kept_for_unconfirmed_booking": """
        SELECT COUNT(*) FROM payments p JOIN bookings b ON b.id = p.booking_id
        WHERE p.status = 'COMPLETED' AND b.status <> 'CONFIRMED' AND p.refunded_minor < p.amount_minor""",
    "refunded_minor_differs_from_refund_rows": """
        SELECT COUNT(*) FROM payments p WHERE p.refunded_minor <>
          (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r WHERE r.payment_id = p.id)""",
    "payment_event_without_payment": """
        SELECT COUNT(*) FROM payment_events e WHERE e.payment_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = e.payment_id)""",
}

LEDGER = {
    "paid_minor": "SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE status = 'COMPLETED'",
    "refunded_minor": "SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r",
    "confirmed_total_minor": "SELECT COALESCE(SUM(total_minor), 0) FROM bookings WHERE status = 'CONFIRMED'",
}


class Db:
    """Runs one SQL statement at a time through the database's own command-line client."""

    def __init__(self, mode: str, sqlite_path: str | None = None, psql: list[str] | None = None):
        self.mode, self.sqlite_path, self.psql = mode, sqlite_path, psql

    def query(self, sql: str) -> list[list[str]]:
        sql = " ".join(sql.split())
        if self.mode == "sqlite":
            cmd = ["sqlite3", "-bail", "-batch", "-separator", "|", "-cmd", ".timeout 10000", self.sqlite_path, sql]
        else:
            cmd = [*self.psql, "-c", sql]
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"SQL failed ({out.stderr.strip()}): {sql}")
        return [line.split("|") for line in out.stdout.splitlines() if line]

    def scalar(self, sql: str) -> int:
        return int(self.query(sql)[0][0])

    def double_bookings(self) -> int:
        return self.scalar(DOUBLE_BOOKINGS)

    def invariants(self) -> dict[str, int]:
        return {name: self.scalar(sql) for name, sql in INVARIANTS.items()}

    def ledger(self) -> dict[str, int]:
        figures = {name: self.scalar(sql) for name, sql in LEDGER.items()}
        figures["balanced"] = figures["paid_minor"] - figures["refunded_minor"] == figures["confirmed_total_minor"]
        return figures

    def uuid_list(self, ids: list[str]) -> str:
        """A SQL IN-list of ids as this database stores them (upper-case text on SQLite)."""
        ids = [i.upper() if self.mode == "sqlite" else i.lower() for i in ids]
        return "(" + ",".join(f"'{i}'" for i in ids) + ")"
