"""Turns the suite's JSON results (reliability/results/<db>.json) into RELIABILITY.md on stdout.

    python -m boxrel.report reliability/results/sqlite.json reliability/results/postgres.json > RELIABILITY.md

Everything from a `## Findings` heading line of the existing RELIABILITY.md to its end is kept as written
(findings are written by hand: each with its reproduction)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEEP_FROM = "\n## Findings\n"


def fmt(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}: {fmt(x)}" for k, x in v.items()) or "none"
    if isinstance(v, (list, tuple)):
        if v and all(isinstance(x, (list, tuple)) for x in v):  # rows: (a, b, c); (d, e, f)
            return "; ".join("(" + ", ".join(fmt(y) for y in x) + ")" for x in v)
        return "; ".join(fmt(x) for x in v) or "none"
    if isinstance(v, float):
        return f"{v:g}"
    return "none" if v is None else str(v)


def scenario_table(results: list[dict]) -> list[str]:
    rows = ["| database | scenario | result | seconds | claim |", "|---|---|---|---|---|"]
    for r in results:
        for s in r["scenarios"]:
            rows.append(f"| {r['db']} | `{s['name']}` | {'**PASS**' if s['passed'] else '**FAIL**'} | "
                        f"{s['seconds']} | {s['claim']} |")
    return rows


def scenario_details(r: dict) -> list[str]:
    out = []
    for s in r["scenarios"]:
        out += [f"#### {r['db']}: `{s['name']}` — {'PASS' if s['passed'] else 'FAIL'} ({s['seconds']} s, bound "
                f"{s['bound_s']} s)", "", f"Claim: {s['claim']}.", ""]
        out += ["| figure | value |", "|---|---|"]
        out += [f"| {k} | {fmt(v).replace('|', '/')} |" for k, v in s["figures"].items()]
        out.append("")
        for p in s.get("problems", []):
            out.append(f"- **Does not hold:** {p}")
        for n in s.get("notes", []):
            out.append(f"- Note: {n}")
        if s.get("server_error_lines"):
            out.append(f"- The server logged {s['server_error_lines']} error lines meanwhile, e.g.:")
            out += ["", "```"] + [ln[:300] for ln in s["server_error_sample"]] + ["```"]
        out.append("")
    f = r.get("final")
    if f:
        out += [f"After all scenarios on {r['db']}: double bookings (SQL) {f['double_bookings_sql']}; "
                f"invariant violations {fmt({k: v for k, v in f['invariants'].items() if v})}; ledger "
                f"{fmt(f['ledger'])}; server started {f['server_starts']} times.", ""]
    return out


def render(results: list[dict], kept: str) -> str:
    first = results[0]
    m = first["machine"]
    lines = [
        "# Reliability", "",
        "Races and faults against the BoxOffice server on loopback, by `reliability/run` (sources in "
        "`reliability/`, results as JSON in `reliability/results/`). This file is rewritten by the suite; "
        "the section Findings at its end is kept and written by hand.", "",
        "## How to run", "",
        "```sh",
        "reliability/run                               # SQLite, then PostgreSQL + Redis (started and stopped here)",
        "reliability/run --db postgres pg-frozen       # one database, named scenarios",
        "BOXOFFICE_BIN=/path/to/boxoffice reliability/run --db sqlite races",
        "reliability/run --help                        # scenarios and settings",
        "```", "",
        "It uses the built server (`.build/debug/boxoffice` unless `BOXOFFICE_BIN`), never builds; Python "
        "3 with the pinned `reliability/requirements.txt` in a venv of its own; PostgreSQL and Redis through "
        "`scripts/services.sh` on free loopback ports. Each scenario has a time bound; a scenario whose claim "
        "does not hold makes the exit status 1.", "",
        "## Last run", "",
        f"- Machine: {m['nproc']} cores, {m['memory_gib']} GiB, `{m['uname']}`",
        f"- Commit: `{m['commit']}` (branch `{m['branch']}`), binary `{first['binary']}` (debug build)",
        *[f"- {r['db']}: `{r['command']}` — {r['started_at'][:19]}Z to {r.get('finished_at', '?')[:19]}Z; "
          f"setup {fmt(r.get('setup', {}))}" for r in results],
        f"- Server settings: `{' '.join(f'{k}={v}' for k, v in first['server_env'].items() if k != 'DATABASE_URL')}`",
        f"- Suite settings: {fmt(first['settings'])}", "",
        "## Results", "", *scenario_table(results), "",
        "## Figures per scenario", "",
    ]
    for r in results:
        lines += scenario_details(r)
    return "\n".join(lines).rstrip() + "\n\n" + (kept.strip() + "\n" if kept else "")


def main() -> None:
    results = []
    for path in sys.argv[1:]:
        try:
            results.append(json.loads(Path(path).read_text()))
        except (OSError, ValueError) as exc:
            print(f"skipping {path}: {exc}", file=sys.stderr)
    if not results:
        sys.exit("no results to report")
    results.sort(key=lambda r: r["db"] != "sqlite")
    existing = ROOT / "RELIABILITY.md"
    kept = ""
    if existing.exists():
        text = existing.read_text()
        if KEEP_FROM in text:
            kept = text[text.index(KEEP_FROM) + 1:]
    sys.stdout.write(render(results, kept))


if __name__ == "__main__":
    main()
