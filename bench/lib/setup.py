#!/usr/bin/env python3
"""bench/lib/setup.py — prepares the stateful rows of bench/run through the public API (python3 stdlib only).

    setup.py prepare --app URL --out DIR [--users 200] [--hold-list NAME:ENTRIES ...] [--purchases N]
    setup.py bookings --out DIR --capture PREFIX --list FILE
    setup.py onsale --app URL --out DIR [--customers 2000] [--workers 12]
    setup.py roomshow --app URL --out DIR

`prepare` (on a freshly seeded demo cinema):
  * logs in as the demo admin and as Asha; finds tomorrow's first show on the 300-seat IMAX screen;
  * creates a 1,000-seat screen (25 rows × 40) and schedules its shows 30+ days ahead, 4 hours apart:
    one for the 1,000-seat seat map, one for the hold-conflict row, and enough "pool" shows that every hold
    list and the purchase list get seats of their own (no seat is ever used twice in a run);
  * signs up and logs in --users customers (4 at a time: bcrypt runs on one thread of its own and answers 503
    past 32 waiting hashes);
  * writes, into DIR:
      meta.json         ids (shows, screens, movie), Asha's token, the pool layout, counts
      users.tsv         user_id TAB access token
      holds.NAME.list   wrk request lists (bench/wrk/bench.lua format) of single-seat POST /seatlocks, each line a
                        seat no other line of any list uses, spread over users and pool shows and shuffled; each
                        user gets at most 5 seats of a show (MAX_SEATS_PER_USER_PER_SHOW defaults to 10)
      conflict.list     POST /seatlocks of the same 4 seats of one show by every user in turn (409 expected)
      purchases.tsv     token TAB show_id TAB seat_id for bench/lib/purchase.py, seats of their own

`onsale` (after `prepare`, from its meta.json) prepares the on-sale rush row (bench/lib/onsale.py): schedules one more
show of the 1,000-seat screen (in the next free 4-hour slot after prepare's shows; on sale at once), and signs up and
logs in --customers customers of their own (rush0000-…@bench.local; --workers at a time: bcrypt runs on the server's
hashing pool, one thread on two cores, which answers 503 past 32 waiting hashes). Writes, into DIR:
      onsale.json            show id, its seat count, the customers file, how long the setup took
      onsale-customers.tsv   user_id TAB access token

`roomshow` (on a freshly seeded demo cinema, for bench/room-rush) creates a 1,000-seat screen and one show of it 30
days ahead, through the admin API, and writes roomshow.json (show id, seat count, screen id, the admin's token) into
DIR. No customers: room-rush takes them from `boxoffice load-test-customers`.

`bookings` turns the holds that the hold row captured (bench.lua CAPTURE files: user_id, show_id, lock_id) into a
wrk list of POST /bookings, each with its own Idempotency-Key.
"""

import argparse
import concurrent.futures
import datetime
import glob
import json
import math
import os
import random
import string
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchhttp import Client, HTTPError  # noqa: E402

ADMIN = ("admin@boxoffice.local", "admin-demo-password")
ASHA = ("asha@boxoffice.local", "user-demo-password")
POOL_ROWS, POOL_SEATS_PER_ROW = 25, 40  # 1,000 seats
MAX_PER_USER_PER_SHOW = 5


def log(msg):
    print(f"[setup] {msg}", file=sys.stderr, flush=True)


def cinema_today():
    try:
        from zoneinfo import ZoneInfo

        return datetime.datetime.now(ZoneInfo("Asia/Kolkata")).date()
    except Exception:  # no tz database: Asia/Kolkata is UTC+05:30 all year
        return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=5, minutes=30)).date()


def login(client, email, password):
    return client.call("POST", "/users/login", {"email": email, "password": password})["access_token"]


def make_users(app, count, run_id, prefix="bench", phone_digit="7", workers=4):
    """Signs up and logs in `count` customers (`workers` at a time); returns [(user_id, token)] in order. Emails are
    PREFIXnnnn-RUN@bench.local, phones +91 PHONE_DIGIT RUN nnnnn (unique per prefix and digit)."""

    def busy_retry(call, *args, **kwargs):
        # The hashing pool answers 503 (with Retry-After) past 32 waiting hashes: wait and try again.
        for attempt in range(20):
            try:
                return call(*args, **kwargs)
            except HTTPError as e:
                if e.status != 503 or attempt == 19:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def one(i):
        c = Client(app)
        email = f"{prefix}{i:04d}-{run_id}@bench.local"
        password = f"bench-password-{run_id}-{i}"
        user = busy_retry(
            c.call,
            "POST",
            "/users/signup",
            {
                "name": f"{prefix.capitalize()} User {i}",
                "email": email,
                "phone": f"+91{phone_digit}{run_id}{i:05d}",
                "password": password,
            },
        )
        token = busy_retry(login, c, email, password)
        c.close()
        return user["id"], token

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, range(count)))


def pool_layout():
    labels = list(string.ascii_uppercase)
    rows = [{"label": labels[r], "category": "Regular", "seats": POOL_SEATS_PER_ROW} for r in range(POOL_ROWS)]
    return {"categories": [{"name": "Regular", "base_price_minor": 25000, "display_order": 0}], "rows": rows}


def shortest_movie(c):
    """The demo's shortest active movie: every bench show of it fits a 4-hour slot."""
    movies = [m for m in c.call("GET", "/movies?limit=100")["items"] if m.get("is_active", True)]
    movie = min(movies, key=lambda m: m["duration_minutes"])
    assert movie["duration_minutes"] + 15 <= 240, "the shortest demo movie no longer fits a 4-hour slot"
    return movie


def make_screen(c, admin, run_id):
    """A new 1,000-seat screen (pool_layout) through the admin API."""
    screen = c.call(
        "POST", "/screens", {"name": f"Bench 1000 {run_id}", "screen_type": "standard"}, token=admin
    )
    c.call("POST", f"/screens/{screen['id']}/layout", pool_layout(), token=admin)
    return screen


def schedule_show(c, admin, movie, screen_id, base, j):
    """Schedules show number j of the bench screen: day base + j // 6, at 01:00, 05:00, … (4 hours apart)."""
    return c.call(
        "POST",
        "/shows",
        {
            "movie_id": movie["id"],
            "screen_id": screen_id,
            "show_date": (base + datetime.timedelta(days=j // 6)).isoformat(),
            "show_time": f"{1 + 4 * (j % 6):02d}:00",
            "language": (movie.get("languages") or ["English"])[0],
            "format": (movie.get("formats") or ["2D"])[0],
        },
        token=admin,
    )


def hold_line(token, show, seat):
    body = json.dumps({"show_id": show, "seat_ids": [seat]}, separators=(",", ":"))
    return f"POST\t/seatlocks\t{token}\t-\t{body}\n"


def assign(shows, seats, users, rng):
    """Every (show, seat) once, with a user such that no user gets more than MAX_PER_USER_PER_SHOW seats of a
    show; shuffled so that consecutive requests hit different shows and users."""
    out = []
    for s, show in enumerate(shows):
        for k, seat in enumerate(seats):
            out.append((users[(k + 7 * s) % len(users)], show, seat))
    rng.shuffle(out)
    return out


def prepare(args):
    os.makedirs(args.out, exist_ok=True)
    run_id = f"{random.randrange(10000):04d}"
    rng = random.Random(int(run_id))
    c = Client(args.app)
    admin = login(c, *ADMIN)
    asha = login(c, *ASHA)
    today = cinema_today()
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()

    shows = c.call("GET", f"/shows?date={tomorrow}&limit=100")["items"]
    imax = next(s for s in shows if s["screen"]["screen_type"] == "imax" and s["is_on_sale"])
    movie = shortest_movie(c)

    holds = []
    for spec in args.hold_list:
        name, entries = spec.split(":")
        holds.append((name, int(entries)))
    per_show = POOL_ROWS * POOL_SEATS_PER_ROW
    assert per_show // MAX_PER_USER_PER_SHOW <= args.users, "too few users for the per-user cap"
    hold_shows = [math.ceil(n / per_show) for _, n in holds]
    purchase_shows = math.ceil(args.purchases / per_show) if args.purchases else 0
    total_shows = 2 + sum(hold_shows) + purchase_shows

    screen = make_screen(c, admin, run_id)
    log(f"screen {screen['id']}: {per_show} seats; scheduling {total_shows} shows of '{movie['title']}'")
    base = today + datetime.timedelta(days=30)
    show_ids = []
    for j in range(total_shows):
        show_ids.append(schedule_show(c, admin, movie, screen["id"], base, j)["id"])
    big_show, conflict_show, pool = show_ids[0], show_ids[1], show_ids[2:]
    seat_map = c.call("GET", f"/shows/{big_show}/availability")
    seats = [s["id"] for s in seat_map["seats"] if s["status"] == "available"]
    assert len(seats) == per_show, f"expected {per_show} free seats on the new screen, got {len(seats)}"

    log(f"signing up and logging in {args.users} customers")
    users = make_users(args.app, args.users, run_id)
    tokens = [t for _, t in users]
    with open(os.path.join(args.out, "users.tsv"), "w") as f:
        for user_id, token in users:
            f.write(f"{user_id}\t{token}\n")

    at = 0
    lists = {}
    for (name, entries), count in zip(holds, hold_shows):
        mine = pool[at : at + count]
        at += count
        lines = assign(mine, seats, tokens, rng)[:entries]
        path = os.path.join(args.out, f"holds.{name}.list")
        with open(path, "w") as f:
            f.writelines(hold_line(*line) for line in lines)
        lists[name] = {"file": path, "entries": len(lines), "shows": mine}

    with open(os.path.join(args.out, "conflict.list"), "w") as f:
        for i in range(2000):
            f.write(hold_line(tokens[i % len(tokens)], conflict_show, seats[i % 4]))

    if args.purchases:
        mine = pool[at : at + purchase_shows]
        with open(os.path.join(args.out, "purchases.tsv"), "w") as f:
            for token, show, seat in assign(mine, seats, tokens, rng)[: args.purchases]:
                f.write(f"{token}\t{show}\t{seat}\n")

    meta = {
        "run_id": run_id,
        "today": today.isoformat(),
        "tomorrow": tomorrow,
        "imax_show": imax["id"],
        "imax_screen": imax["screen"]["id"],
        "big_show": big_show,
        "big_screen": screen["id"],
        "conflict_show": conflict_show,
        "movie": movie["id"],
        "movie_minutes": movie["duration_minutes"],
        "slot_base": base.isoformat(),
        "slots_used": total_shows,
        "asha_token": asha,
        "admin_token": admin,
        "users": len(users),
        "hold_lists": lists,
        "purchases": args.purchases,
    }
    with open(os.path.join(args.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    log(f"{len(users)} users, {total_shows} shows, lists: " + ", ".join(f"{k} {v['entries']}" for k, v in lists.items()))


def bookings(args):
    tokens = {}
    with open(os.path.join(args.out, "users.tsv")) as f:
        for line in f:
            user_id, token = line.rstrip("\n").split("\t")
            tokens[user_id.upper()] = token
    lines = []
    for path in sorted(glob.glob(args.capture + ".*")):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                user_id, show, lock = parts
                body = json.dumps({"show_id": show, "lock_id": lock}, separators=(",", ":"))
                lines.append(f"POST\t/bookings\t{tokens[user_id.upper()]}\tbench-{lock}\t{body}\n")
    random.Random(7).shuffle(lines)
    with open(args.list, "w") as f:
        f.writelines(lines)
    print(len(lines))


def onsale(args):
    """The on-sale rush row's show and customers (see the module doc)."""
    t0 = time.monotonic()
    with open(os.path.join(args.out, "meta.json")) as f:
        meta = json.load(f)
    c = Client(args.app)
    admin = meta["admin_token"]
    movie = c.call("GET", f"/movies/{meta['movie']}")
    base = datetime.date.fromisoformat(meta["slot_base"])
    show = schedule_show(c, admin, movie, meta["big_screen"], base, meta["slots_used"])
    seat_map = c.call("GET", f"/shows/{show['id']}/availability")
    seats = [s["id"] for s in seat_map["seats"] if s["status"] == "available"]
    per_show = POOL_ROWS * POOL_SEATS_PER_ROW
    assert seat_map["show"]["is_on_sale"], f"the rush show {show['id']} is not on sale"
    assert len(seats) == per_show, f"expected {per_show} free seats on the rush show, got {len(seats)}"
    log(f"rush show {show['id']} ({show.get('show_date')} {show.get('show_time')}): {len(seats)} seats on sale; "
        f"signing up and logging in {args.customers} customers, {args.workers} at a time")
    t1 = time.monotonic()
    users = make_users(args.app, args.customers, meta["run_id"], prefix="rush", phone_digit="8", workers=args.workers)
    t2 = time.monotonic()
    path = os.path.join(args.out, "onsale-customers.tsv")
    with open(path, "w") as f:
        for user_id, token in users:
            f.write(f"{user_id}\t{token}\n")
    out = {
        "show": show["id"],
        "seats": len(seats),
        "customers": len(users),
        "customers_file": path,
        "users_seconds": round(t2 - t1, 1),
        "seconds": round(time.monotonic() - t0, 1),
        "workers": args.workers,
    }
    with open(os.path.join(args.out, "onsale.json"), "w") as f:
        json.dump(out, f, indent=1)
    log(f"{len(users)} rush customers in {t2 - t1:.1f} s ({len(users) / (t2 - t1):.1f}/s)")


def roomshow(args):
    """The waiting-room rush's show (bench/room-rush): a new 1,000-seat screen and one show of it, 30 days ahead, as
    `onsale` schedules its show but on a freshly seeded cinema (no `prepare` first) and without signups: the
    customers come from `boxoffice load-test-customers`. The room itself is set by roomrush.py at its start, since
    its times are counted from then."""
    os.makedirs(args.out, exist_ok=True)
    run_id = f"{random.randrange(10000):04d}"
    c = Client(args.app)
    admin = login(c, *ADMIN)
    movie = shortest_movie(c)
    screen = make_screen(c, admin, run_id)
    show = schedule_show(c, admin, movie, screen["id"], cinema_today() + datetime.timedelta(days=30), 0)
    seat_map = c.call("GET", f"/shows/{show['id']}/availability")
    seats = [s["id"] for s in seat_map["seats"] if s["status"] == "available"]
    per_show = POOL_ROWS * POOL_SEATS_PER_ROW
    assert seat_map["show"]["is_on_sale"], f"the room show {show['id']} is not on sale"
    assert len(seats) == per_show, f"expected {per_show} free seats on the room show, got {len(seats)}"
    out = {"show": show["id"], "seats": len(seats), "screen": screen["id"], "admin_token": admin}
    with open(os.path.join(args.out, "roomshow.json"), "w") as f:
        json.dump(out, f, indent=1)
    log(f"room show {show['id']} ({show.get('show_date')} {show.get('show_time')}): {len(seats)} seats")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--app", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--users", type=int, default=200)
    p.add_argument("--hold-list", action="append", default=[], metavar="NAME:ENTRIES")
    p.add_argument("--purchases", type=int, default=0)
    b = sub.add_parser("bookings")
    b.add_argument("--out", required=True)
    b.add_argument("--capture", required=True)
    b.add_argument("--list", required=True)
    o = sub.add_parser("onsale")
    o.add_argument("--app", required=True)
    o.add_argument("--out", required=True)
    o.add_argument("--customers", type=int, default=2000)
    o.add_argument("--workers", type=int, default=12)
    r = sub.add_parser("roomshow")
    r.add_argument("--app", required=True)
    r.add_argument("--out", required=True)
    args = parser.parse_args()
    {"prepare": prepare, "bookings": bookings, "onsale": onsale, "roomshow": roomshow}[args.cmd](args)


if __name__ == "__main__":
    main()
