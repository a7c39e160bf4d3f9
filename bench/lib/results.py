#!/usr/bin/env python3
"""bench/lib/results.py — rows and tables of bench/run (python3 stdlib only).

    results.py wrk      --results FILE --backend B --section S --name N --output WRK_OUTPUT [--accept 409]
                        [--rss MIB] [--cpu PCT] [--dbcpu PCT] [--note TEXT]
    results.py purchase --results FILE --backend B --section S --name N --output PURCHASE_JSON [--rss …] …
    results.py rush     --results FILE --backend B --section S --name N --output RUSH_JSON --check CHECK_JSON
                        --setup ONSALE_JSON [--rss …] …    (the on-sale rush, bench/lib/onsale.py)
    results.py fact     --results FILE --backend B --key K --value V      (start-to-ready times, insert times, …)
    results.py table    --results FILE --backend B                         (markdown for one backend)
    results.py write    --results FILE --file BENCHMARKS.md --machine … --commit … --command … [--settings …]

Results are JSON lines. A row is invalid when anything but the expected answers came back (non-2xx; for the
hold-conflict row non-2xx other than 409), on any socket error or timeout, or when a request list ran out. The
on-sale rush row (409 is part of a rush there) is invalid on any 5xx, other 4xx, socket error or timeout, or when the
database does not show the show sold out exactly once with a balanced ledger.
"""

import argparse
import json
import re
import sys

BACKEND_TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL + Redis"}
SECTION_TITLES = {
    "main": None,
    "scale": "Scale: the 300-seat seat map and a single-seat hold with more booking rows",
    "reports": "Reports: a month's sales report over synthetic paid bookings (a database of its own, one connection)",
}
SECTION_FACTS = {"scale": "inserts", "reports": "report_seed"}


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def append(path, row):
    with open(path, "a") as f:
        f.write(json.dumps(row) + "\n")


def parse_wrk(text):
    m = re.search(r"^BENCHROW (.*)$", text, re.M)
    if not m:
        raise SystemExit("results.py: no BENCHROW line in the wrk output:\n" + text[-2000:])
    fields = dict(kv.split("=", 1) for kv in m.group(1).split())
    out = {k: (v if k == "statuses" else int(v)) for k, v in fields.items()}
    return out


def add_wrk(a):
    with open(a.output) as f:
        text = f.read()
    w = parse_wrk(text)
    seconds = w["duration_us"] / 1e6
    problems = []
    if w["unexpected"]:
        bad = [
            f"{count}× {code}"
            for code, count in (s.split(":") for s in (w["statuses"].split(",") if w["statuses"] != "-" else []))
            if not (200 <= int(code) < 300) and code not in (a.accept or "").split(",")
        ]
        problems.append(", ".join(bad) if bad else f"{w['unexpected']} non-2xx")
    sockets = {k: w[k] for k in ("connect", "read", "write", "timeout") if w[k]}
    if sockets:
        problems.append(", ".join(f"{v} {k} error{'s' if v != 1 else ''}" for k, v in sockets.items()))
    if w["exhausted"]:
        problems.append("request list ran out (the server outran it: raise BENCH_HOLD_RATE, see bench/run --help)")
    if w["requests"] == 0:
        problems.append("no request completed")
    row = {
        "kind": "row",
        "backend": a.backend,
        "section": a.section,
        "name": a.name,
        "rps": w["requests"] / seconds if seconds else 0.0,
        "requests": w["requests"],
        "p50_ms": w["p50"] / 1000,
        "p99_ms": w["p99"] / 1000,
        "p999_ms": w["p999"] / 1000,
        "statuses": w["statuses"],
        "problems": problems,
        "rss_mib": a.rss,
        "cpu_pct": a.cpu,
        "dbcpu_pct": a.dbcpu,
        "note": a.note,
    }
    if a.accept and w["statuses"] != "-":
        counts = dict(s.split(":") for s in w["statuses"].split(","))
        accepted = sum(int(v) for k, v in counts.items() if k in a.accept.split(","))
        row["note"] = (row["note"] + "; " if row["note"] else "") + (
            f"{a.accept} counted as success: {accepted:,} of {w['requests']:,} answers"
        )
    row["error_samples"] = error_samples(a.errors, a.list, a.server_log) if problems else []
    append(a.results, row)
    print_row(row)


def error_samples(prefix, list_file, server_log=None, limit=3):
    """The unexpected answers bench.lua wrote (status, X-Request-ID, body), each with the list line it answered and
    the server's log lines about that request id."""
    import glob

    samples = []
    for path in sorted(glob.glob(prefix + ".*")) if prefix else []:
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 2)
                if len(parts) == 3:
                    samples.append({"status": parts[0], "request_id": parts[1], "response": parts[2]})
    lines = {}
    wanted = {int(x["request_id"][6:]) for x in samples if re.fullmatch(r"bench-\d+", x["request_id"])}
    if wanted and list_file and list_file != "-":
        with open(list_file) as f:
            for number, line in enumerate(f, 1):
                if number in wanted:
                    method, path, _token, key, body = line.rstrip("\n").split("\t", 4)
                    lines[number] = f"{method} {path}" + (f" (Idempotency-Key {key})" if key != "-" else "") + (
                        f" {body}" if body != "-" else ""
                    )
    for x in samples:
        m = re.fullmatch(r"bench-(\d+)", x["request_id"])
        x["request"] = lines.get(int(m.group(1)), "?") if m else "?"
    samples = samples[:limit]
    if server_log:
        try:
            with open(server_log, errors="replace") as f:
                log = f.read().splitlines()
        except OSError:
            log = []
        for x in samples:
            hits = [l.strip() for l in log if f"request-id: {x['request_id']}," in l or f"request-id: {x['request_id']}]" in l]
            if hits:
                x["server_log"] = hits[-1][:400]
    return samples


def add_purchase(a):
    with open(a.output) as f:
        p = json.loads(f.read().strip().splitlines()[-1])
    problems = []
    if p["errors"]:
        kinds = {}
        for s in p["error_samples"]:
            kinds[f"{s['step']} {s['status']}"] = kinds.get(f"{s['step']} {s['status']}", 0) + 1
        problems.append(f"{p['errors']} failed purchases (e.g. " + ", ".join(kinds) + ")")
    if p["exhausted"]:
        problems.append("purchase list exhausted (raise BENCH_PURCHASE_RATE)")
    if p["purchases"] == 0:
        problems.append("no purchase completed")
    steps = ", ".join(f"{k} {fmt_ms(v['p50_ms'])}" for k, v in p["steps"].items())
    row = {
        "kind": "row",
        "backend": a.backend,
        "section": a.section,
        "name": a.name,
        "rps": p["purchases_per_s"],
        "requests": p["purchases"],
        "p50_ms": p["p50_ms"],
        "p99_ms": p["p99_ms"],
        "p999_ms": p["p999_ms"],
        "statuses": "-",
        "problems": problems,
        "rss_mib": a.rss,
        "cpu_pct": a.cpu,
        "dbcpu_pct": a.dbcpu,
        "note": (a.note + "; " if a.note else "")
        + f"{p['purchases']:,} purchases, {p['requests_per_s']:.1f} HTTP req/s; p50 per step: {steps}",
        "error_samples": p["error_samples"],
    }
    append(a.results, row)
    print_row(row)


def add_rush(a):
    with open(a.output) as f:
        r = json.loads(f.read().strip().splitlines()[-1])
    with open(a.check) as f:
        c = json.loads(f.read().strip().splitlines()[-1])
    with open(a.setup) as f:
        setup = json.load(f)
    seats = r["seats"]
    problems = []
    def answers(low, high):
        return ", ".join(
            f"{step} {n:,}× {code}" for step, v in r["steps"].items() for code, n in v["statuses"].items()
            if low <= int(code) < high and int(code) != 409
        )

    if r["server_errors"]:
        problems.append(f"{r['server_errors']:,} 5xx answers ({answers(500, 600)})")
    if r["other_4xx"]:
        what = answers(400, 500) or "a confirm that did not complete"
        problems.append(f"{r['other_4xx']:,} unexpected answers ({what})")
    sockets = {"socket error": r["socket_errors"], "timeout": r["timeouts"], "failed connect": r["connect_failures"]}
    if any(sockets.values()):
        problems.append(", ".join(f"{v:,} {k}{'s' if v != 1 else ''}" for k, v in sockets.items() if v))
    if r["timed_out"]:
        problems.append(f"{r['timed_out']:,} customers still buying when the deadline ({r['elapsed_s']:.0f} s) passed")
    if r["crashed"]:
        problems.append(f"the driver failed for {r['crashed']:,} customers")
    if r["sellout_s"] is None:
        problems.append(f"never sold out: the customers bought {r['seats_bought']:,} of {seats:,} seats")
    if c["seats_sold"] != seats or c["seats_sold_distinct"] != seats:
        problems.append(f"seats sold {c['seats_sold']:,} ({c['seats_sold_distinct']:,} distinct), not {seats:,}")
    if c["double_sold"]:
        problems.append(f"{c['double_sold']:,} seats in two active bookings")
    if not c["ledger_exact"]:
        problems.append("ledger not exact: " + ledger_text(c))
    confirmed = c.get("bookings_confirmed", 0)
    if confirmed != r["purchases"]:
        problems.append(f"the customers saw {r['purchases']:,} purchases confirmed, the database has {confirmed:,}")
    if r["purchases"] == 0:
        problems.append("no purchase completed")
    row = {
        "kind": "row",
        "backend": a.backend,
        "section": a.section,
        "name": a.name,
        "rps": r["purchases_per_s"],
        "requests": r["purchases"],
        "p50_ms": r["p50_ms"],
        "p99_ms": r["p99_ms"],
        "p999_ms": r["p999_ms"],
        "statuses": "-",
        "problems": problems,
        "rss_mib": a.rss,
        "cpu_pct": a.cpu,
        "dbcpu_pct": a.dbcpu,
        "note": (a.note + "; " if a.note else "")
        + f"{r['customers']:,} customers at once on a new {seats:,}-seat show: purchases/s until sold out, latency "
        "of the whole path of the purchases made (hold sent → confirm answered); the on-sale rush block below has "
        "the rest",
        "error_samples": [dict(x, server_log=log_line(a.server_log, x["request"])) for x in r["error_samples"][:3]],
        "rush": {"run": r, "check": c, "setup": setup},
    }
    append(a.results, row)
    print_row(row)
    for line in rush_block(row["rush"]):
        print(f"[bench]     {line.lstrip('- ')}", file=sys.stderr)


def log_line(server_log, request):
    """The server's last log line about the X-Request-ID a rush request carried, if any."""
    m = re.search(r"\[X-Request-ID ([^\]]+)\]", request or "")
    if not (m and server_log):
        return ""
    try:
        with open(server_log, errors="replace") as f:
            keys = (f'"request-id":"{m.group(1)}"', f"request-id: {m.group(1)},", f"request-id: {m.group(1)}]")
            hits = [l.strip() for l in f if any(k in l for k in keys)]
    except OSError:
        return ""
    return hits[-1][:400] if hits else ""


def rupees(minor):
    return f"₹{minor / 100:,.2f}"


def ledger_text(c):
    text = (
        f"{rupees(c['paid_minor'])} in completed payments "
        + ("=" if c["ledger_difference_minor"] == 0 else "≠")
        + f" {rupees(c['confirmed_total_minor'])} in CONFIRMED bookings' totals"
    )
    if c["ledger_difference_minor"]:
        text += f" (difference {c['ledger_difference_minor']:+,} paise)"
    text += ", " + (
        "no refunds" if not (c["refunds"] or c["refunded_minor"])
        else f"{c['refunds']:,} refunds of {rupees(c['refunded_minor'])}"
    )
    if c["confirmed_not_paid_exactly"]:
        text += f", {c['confirmed_not_paid_exactly']:,} CONFIRMED bookings not paid exactly"
    if c["paid_not_confirmed"]:
        text += f", {c['paid_not_confirmed']:,} paid bookings not CONFIRMED"
    return text


def fmt_s(v):
    return "—" if v is None else f"{v:.1f} s"


def rush_block(rush):
    """The on-sale rush's own lines (markdown bullets)."""
    r, c, setup = rush["run"], rush["check"], rush["setup"]
    steps = r["steps"]
    sold = f"sold out in {r['sellout_s']:.1f} s" if r["sellout_s"] is not None else (
        f"NOT sold out ({r['seats_bought']:,} of {r['seats']:,} seats bought; last purchase at "
        + (f"{r['last_purchase_s']:.1f} s)" if r["last_purchase_s"] is not None else "—)")
    )
    gave = ", ".join(f"{v:,} {k}" for k, v in r["gave_up"].items() if v) or "none"
    bookings = ", ".join(
        f"{v:,} {k[len('bookings_'):].upper()}" for k, v in sorted(c.items()) if k.startswith("bookings_")
    ) or "none"
    lines = [
        f"- {sold}: {r['purchases']:,} purchases of {r['seats_bought']:,} seats, "
        f"{r['purchases_per_s']:.1f} purchases/s ({r['requests_per_s']:,.0f} HTTP req/s); buyers had their "
        f"confirmation {fmt_s(r.get('first_purchase_s'))} (the first), {fmt_s(r['bought_at_p50_s'])} (half of them), {fmt_s(r['bought_at_p99_s'])} (99 %) after the "
        f"start; customers who gave up: {gave}",
        "- per step, p50 / p99 (answers): "
        + "; ".join(
            f"{k} {fmt_ms(v['p50_ms'])} / {fmt_ms(v['p99_ms'])} ({v['answers']:,})"
            for k, v in steps.items()
            if k in ("map", "hold", "book", "pay", "confirm") or v["answers"]
        ),
        f"- 409s: {r['conflicts']:,} ("
        + ", ".join(
            f"{k} {v['conflicts']:,}"
            + (
                " [" + ", ".join(f"{c} {n:,}" for c, n in sorted(v["conflict_codes"].items())) + "]"
                if v.get("conflict_codes") and set(v["conflict_codes"]) != {"seats_unavailable"}
                else ""
            )
            for k, v in steps.items()
            if k in ("hold", "book", "pay", "confirm") or v["conflicts"]
        )
        + f"); 5xx: {r['server_errors']:,}; other 4xx: {r['other_4xx']:,}; socket errors: {r['socket_errors']:,}; "
        f"timeouts: {r['timeouts']:,}",
        f"- from the database: seats sold {c['seats_sold']:,} of {r['seats']:,}; seats in two active bookings: "
        f"{c['double_sold']:,}; bookings {bookings}; ledger "
        + ("exact: " if c["ledger_exact"] else "NOT exact: ")
        + ledger_text(c),
        f"- driver: one Python process (asyncio); it connected the {setup['customers']:,} customers in "
        f"{r['connect_s']:.1f} s and used {r['client_cpu_pct']:.0f} % of a core during the rush; its event loop ran up "
        f"to {fmt_ms(r.get('client_lag_max_ms'))} late (p99 {fmt_ms(r.get('client_lag_p99_ms'))}), which any latency "
        "above may include",
    ]
    if r.get("conflict_samples"):
        x = r["conflict_samples"][0]
        lines.append(f"- first 409 other than seats_unavailable: `{x['request']} -> {x['status']} {x['body'][:300]}`")
    return lines


def add_fact(a):
    append(a.results, {"kind": "fact", "backend": a.backend, "key": a.key, "value": a.value})


def print_row(row):
    state = "ok" if not row["problems"] else "INVALID: " + "; ".join(row["problems"])
    print(
        f"[bench]   {row['name']}: {row['rps']:,.1f}/s p50 {fmt_ms(row['p50_ms'])} p99 {fmt_ms(row['p99_ms'])} "
        f"p99.9 {fmt_ms(row['p999_ms'])} — {state}",
        file=sys.stderr,
    )
    for x in row.get("error_samples") or []:
        print(f"[bench]     {describe_error(x)}", file=sys.stderr)


def describe_error(x):
    if "step" in x:  # purchase and rush drivers
        text = f"purchase step {x['step']}: {x.get('request', '')} -> {x['status']} {x['body']}"
        return text + (f" — server log: {x['server_log']}" if x.get("server_log") else "")
    text = f"{x['request']} [X-Request-ID {x['request_id']}] -> {x['status']} {x['response']}"
    return text + (f" — server log: {x['server_log']}" if x.get("server_log") else "")


def fmt_ms(v):
    if v is None:
        return "—"
    if v < 10:
        return f"{v:.2f} ms"
    if v < 100:
        return f"{v:.1f} ms"
    return f"{v:,.0f} ms"


def fmt_rps(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def fmt_opt(v, spec="{:.0f}"):
    return "—" if v in (None, "", "-") else spec.format(float(v))


def table(rows, base):
    lines = [
        "| row | req/s | × baseline | p50 | p99 | p99.9 | errors | server RSS MiB (max) | server CPU % | DB CPU % |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    notes = []
    for r in rows:
        is_base = r["name"].startswith("baseline")
        ratio = "1.000" if is_base else (f"{r['rps'] / base:.4f}" if base else "—")
        if not is_base and base and r["rps"] / base >= 0.01:
            ratio = f"{r['rps'] / base:.3f}"
        errors = "none" if not r["problems"] else "**INVALID**: " + "; ".join(r["problems"])
        name = r["name"]
        if r.get("note"):
            notes.append(r["note"])
            name += f" [{len(notes)}]"
        lines.append(
            f"| {name} | {fmt_rps(r['rps'])} | {ratio} | {fmt_ms(r['p50_ms'])} | {fmt_ms(r['p99_ms'])} | "
            f"{fmt_ms(r['p999_ms'])} | {errors} | {fmt_opt(r['rss_mib'])} | {fmt_opt(r['cpu_pct'])} | "
            f"{fmt_opt(r['dbcpu_pct'])} |"
        )
    return lines, notes


def render_backend(results, backend):
    rows = [r for r in results if r["kind"] == "row" and r["backend"] == backend]
    facts = {r["key"]: r["value"] for r in results if r["kind"] == "fact" and r["backend"] == backend}
    if not rows:
        return ""
    base = next((r["rps"] for r in rows if r["name"].startswith("baseline")), None)
    out = [f"## {BACKEND_TITLES.get(backend, backend)}", ""]
    if facts.get("setup"):
        out += [facts["setup"], ""]
    ready = [f"{facts[k]}" for k in ("ready", "ready_scaled") if facts.get(k)]
    if ready:
        out += ["Start to ready (process start until `GET /ready` answers 200): " + "; ".join(ready) + ".", ""]
    for section in ("main", "scale", "reports"):
        srows = [r for r in rows if r["section"] == section]
        if not srows:
            continue
        rush = [r for r in srows if r.get("rush")]
        title = SECTION_TITLES.get(section)
        if title:
            out += [f"### {title}", ""]
            if facts.get(SECTION_FACTS.get(section, "")):
                out += [facts[SECTION_FACTS[section]], ""]
        lines, notes = table(srows, base)
        out += lines
        if notes:
            out.append("")
            out += [f"[{i}] {n}" for i, n in enumerate(notes, 1)]
        errors = [(r["name"], x) for r in srows for x in (r.get("error_samples") or [])[:1]]
        if errors:
            out.append("")
            out += [f"- {name}, first unexpected answer: `{describe_error(x)[:900]}`" for name, x in errors]
        out.append("")
        for r in rush:
            x = r["rush"]
            out += [
                f"On-sale rush: {x['run']['customers']:,} signed-in customers start at once on a new "
                f"show of {x['run']['seats']:,} seats; each wants 1–4 seats at random and goes hold → book → "
                "pay → confirm, taking other seats from a fresh seat map after a 409, and gives up when the map "
                "shows none available" + (" — **INVALID**" if r["problems"] else "") + ".",
                "",
            ]
            out += rush_block(x)
            out.append("")
    invalid = [r for r in rows if r["problems"]]
    out.append(
        f"{len(invalid)} of {len(rows)} rows INVALID." if invalid else f"All {len(rows)} rows valid (no errors)."
    )
    out.append("")
    return "\n".join(out)


def cmd_table(a):
    print(render_backend(load(a.results), a.backend))


LEGEND = """\
How to read the tables: req/s and latency percentiles come from wrk (`--latency`, p99.9 from a Lua `done()` hook)
or, for the purchase row, from bench/lib/purchase.py (confirmed purchases/s and the latency of the whole
hold → book → pay → confirm path; for the on-sale rush, bench/lib/onsale.py: purchases/s until sold out and the
path of the purchases made). × baseline is req/s over the plain Vapor `GET /json` measured in the same run on
the same backend. Server RSS is the peak resident set of the `boxoffice` process (of `bench-baseline` in the baseline
row) during the row (VmHWM, reset before each row); CPU % is its utime+stime over the row's wall time (100 = one
core of this machine's {cores}); DB CPU % is the same for PostgreSQL (postmaster and backends) plus Redis (SQLite runs inside the
server). A row with any non-2xx answer (409 is expected only in the hold-conflict row), socket error, timeout or
exhausted request list is marked **INVALID**; the on-sale rush row is, on any 5xx, unexpected 4xx, socket error or
timeout, or unless the database shows every seat sold once, none in two active bookings, and completed payments
equal to the CONFIRMED bookings' totals to the paisa with no refunds.
"""


def cmd_write(a):
    results = load(a.results)
    try:
        with open(a.file) as f:
            old = f.read().splitlines(keepends=True)
    except FileNotFoundError:
        old = []
    tail = []
    for i, line in enumerate(old):
        if line.startswith("## Profiles") or line.startswith("## Notes"):
            tail = old[i:]
            break
    backends = [b for b in ("sqlite", "postgres") if any(r.get("backend") == b for r in results)]
    body = [
        "# Benchmarks",
        "",
        "Written by `bench/run` (release build, `serve --env production`, "
        + " and ".join(BACKEND_TITLES[b] for b in backends)
        + ", demo data, loopback).",
        "Absolute rates vary between machines and days; the ratio to the baseline measured in the same run does not.",
        "",
        f"- Machine: {a.machine}",
        f"- Commit: {a.commit}",
        f"- Command: `{a.command}`",
    ]
    body += [f"- {s}" for s in a.settings]
    body.append("")
    for b in backends:
        body.append(render_backend(results, b))
    body.append(LEGEND.format(cores=a.cores))
    text = "\n".join(body).rstrip("\n") + "\n"
    if tail:
        text += "\n" + "".join(tail)
    with open(a.file, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("wrk", "purchase"):
        p = sub.add_parser(name)
        p.add_argument("--results", required=True)
        p.add_argument("--backend", required=True)
        p.add_argument("--section", default="main")
        p.add_argument("--name", required=True)
        p.add_argument("--output", required=True)
        p.add_argument("--accept", default="")
        p.add_argument("--errors", default="")
        p.add_argument("--list", default="-")
        p.add_argument("--server-log", default="")
        p.add_argument("--rss", default=None)
        p.add_argument("--cpu", default=None)
        p.add_argument("--dbcpu", default=None)
        p.add_argument("--note", default="")
    p = sub.add_parser("rush")
    p.add_argument("--results", required=True)
    p.add_argument("--backend", required=True)
    p.add_argument("--section", default="main")
    p.add_argument("--name", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--check", required=True)
    p.add_argument("--setup", required=True)
    p.add_argument("--server-log", default="")
    p.add_argument("--rss", default=None)
    p.add_argument("--cpu", default=None)
    p.add_argument("--dbcpu", default=None)
    p.add_argument("--note", default="")
    p = sub.add_parser("fact")
    p.add_argument("--results", required=True)
    p.add_argument("--backend", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--value", required=True)
    p = sub.add_parser("table")
    p.add_argument("--results", required=True)
    p.add_argument("--backend", required=True)
    p = sub.add_parser("write")
    p.add_argument("--results", required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--machine", required=True)
    p.add_argument("--cores", required=True)
    p.add_argument("--commit", required=True)
    p.add_argument("--command", required=True)
    p.add_argument("--settings", action="append", default=[])
    a = ap.parse_args()
    {
        "wrk": add_wrk, "purchase": add_purchase, "rush": add_rush, "fact": add_fact, "table": cmd_table,
        "write": cmd_write,
    }[a.cmd](a)


if __name__ == "__main__":
    main()
