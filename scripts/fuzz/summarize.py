"""Condense the FAILURES and ERRORS sections of a `schemathesis run` output file.

usage: python summarize.py OUTPUT.txt

For each failing test case it prints one line (operation, failure code and title,
the first detail line and the status received) and the curl line that reproduces
it, e.g.

    PATCH /users/me: ST103 Undocumented status code: Received: 415 [415 unsupported_media_type]
        curl -X PATCH -H 'Authorization: [Filtered]' http://127.0.0.1:40123/users/me

The full text (response bodies, schema diffs) stays in OUTPUT.txt.
"""

from __future__ import annotations

import json
import re
import sys

SECTION = re.compile(r"^=+ ([A-Z]+) =+$")
OPERATION = re.compile(r"^_+ (.+?) _+$")
CASE = re.compile(r"^\d+\. Test Case ID: ")
CHECK = re.compile(r"^- (.+)$")
STATUS = re.compile(r"^\[(\d{3})\] ")
BODY = re.compile(r"^    `(.*)`$")


def problem_code(body: str) -> str:
    try:
        value = json.loads(body)
    except ValueError:
        return ""
    if isinstance(value, dict) and isinstance(value.get("code"), str):
        return " " + value["code"]
    return ""


def main(path: str) -> int:
    with open(path, encoding="utf-8", errors="replace") as file:
        lines = file.read().splitlines()
    section = None
    operation = None
    cases: list[dict] = []
    case: dict | None = None
    expect_detail = expect_body = False
    for line in lines:
        match = SECTION.match(line)
        if match:
            section = match.group(1)
            continue
        if section not in ("FAILURES", "ERRORS"):
            continue
        match = OPERATION.match(line)
        if match:
            operation = match.group(1)
            if section == "ERRORS":
                case = {"operation": operation, "checks": [], "detail": [], "status": "", "curl": "", "error": True}
                cases.append(case)
            continue
        if CASE.match(line):
            case = {"operation": operation, "checks": [], "detail": [], "status": "", "curl": "", "error": False}
            cases.append(case)
            continue
        if case is None:
            continue
        if case["error"]:
            # An error block: its first non-empty line says what went wrong.
            if line.strip() and not case["checks"]:
                case["checks"].append(line.strip())
            elif line.strip() and len(case["detail"]) < 1 and not line.startswith("    Traceback"):
                case["detail"].append(line.strip()[:200])
            continue
        match = CHECK.match(line)
        if match:
            case["checks"].append(match.group(1))
            expect_detail = True
            continue
        if expect_detail and line.startswith("    ") and line.strip():
            case["detail"].append(line.strip())
            expect_detail = False
            continue
        match = STATUS.match(line)
        if match:
            case["status"] = match.group(1)
            expect_body = True
            continue
        if expect_body:
            match = BODY.match(line)
            if match:
                case["status"] += problem_code(match.group(1))
                expect_body = False
            continue
        if line.strip().startswith("curl ") and not case["curl"]:
            case["curl"] = line.strip()
    for case in cases:
        kind = "ERROR" if case["error"] else ""
        for index, check in enumerate(case["checks"] or ["?"]):
            detail = case["detail"][index] if index < len(case["detail"]) else ""
            parts = [part for part in (kind, check, detail) if part]
            status = f" [{case['status']}]" if case["status"] else ""
            print(f"{case['operation']}: {': '.join(parts)}{status}")
        if case["curl"]:
            print(f"    {case['curl']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
