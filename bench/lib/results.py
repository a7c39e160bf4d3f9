#!/usr/bin/env python3
"""bench/lib/results.py — rows and tables of bench/run (python3 stdlib only).

    results.py wrk      --results FILE --backend B --section S --name N --output WRK_OUTPUT [--accept 409]
                        [--rss MIB] [--cpu PCT] [--dbcpu PCT] [--note TEXT]
    results.py purchase --results FILE --backend B --section S --name N --output PURCHASE_JSON [--rss …] …
    results.py fact     --results FILE --backend B --key K --value V      (start-to-ready times, insert times, …)
    results.py table    --results FILE --backend B                         (markdown for one backend)
    results.py write    --results FILE --file BENCHMARKS.md --machine … --commit … --command … [--settings …]

Results are JSON lines. A row is invalid when anything but the expected answers came back (non-2xx; for the
hold-conflict row non-2xx other than 409), on any socket error or timeout, or when a request list ran out.
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
    if "step" in x:  # purchase driver
        return f"purchase step {x['step']}: {x.get('request', '')} -> {x['status']} {x['body']}"
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
hold → book → pay → confirm path). × baseline is req/s over the plain Vapor `GET /json` measured in the same run on
the same backend. Server RSS is the peak resident set of the `boxoffice` process (of `bench-baseline` in the baseline
row) during the row (VmHWM, reset before each row); CPU % is its utime+stime over the row's wall time (100 = one
core of this machine's {cores}); DB CPU % is the same for PostgreSQL (postmaster and backends) plus Redis (SQLite runs inside the
server). A row with any non-2xx answer (409 is expected only in the hold-conflict row), socket error, timeout or
exhausted request list is marked **INVALID**.
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
    {"wrk": add_wrk, "purchase": add_purchase, "fact": add_fact, "table": cmd_table, "write": cmd_write}[a.cmd](a)


if __name__ == "__main__":
    main()
