"""BoxOffice on two instances behind nginx: real `boxoffice serve` processes A and B on one PostgreSQL and one
Redis, and nginx running deploy/nginx/boxoffice.conf in front of both (scripts/two-instances starts all of it).

TWO_A_URL, TWO_B_URL and TWO_NGINX_URL are their base URLs; TWO_LOGIN_LIMIT is the RATE_LIMIT_LOGIN both
instances run with (`count/seconds`); TWO_NGINX_ACCESS_LOG is nginx's access log. The demo cinema is seeded.

Every test makes its own customers and takes seats that are free when it starts, at random, so the tests do not
depend on their order or on each other. Client addresses other than 127.0.0.1 are other loopback addresses
(127.x.y.z) that the tests bind their sockets to: only 127.0.0.1 is a trusted proxy."""
import concurrent.futures
import datetime
import http.client
import json
import os
import random
import socket
import string
import sys
import threading
import time
import unittest
import urllib.parse
import uuid
import zoneinfo

from websockets.sync.client import connect as ws_connect

A = os.environ.get("TWO_A_URL", "http://127.0.0.1:8081").rstrip("/")
B = os.environ.get("TWO_B_URL", "http://127.0.0.1:8082").rstrip("/")
NGINX = os.environ.get("TWO_NGINX_URL", "http://127.0.0.1:8080").rstrip("/")
LOGIN_LIMIT = int(os.environ.get("TWO_LOGIN_LIMIT", "5/60").split("/")[0])
ACCESS_LOG = os.environ.get("TWO_NGINX_ACCESS_LOG")
NAMES = {A: "A", B: "B", NGINX: "nginx"}
ADMIN = ("admin@boxoffice.local", "admin-demo-password")
USER = ("asha@boxoffice.local", "user-demo-password")
PASSWORD = "two-instances-secret"
CINEMA_TZ = zoneinfo.ZoneInfo("Asia/Kolkata")
# How soon something done on one instance must be seen on the other.
WITHIN = 1.0


def note(text):
    """A measurement for the log (unittest -v prints the test names on stderr too)."""
    print(f"    · {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# HTTP


class Reply:
    def __init__(self, status, headers, body, where):
        self.status, self.headers, self.body, self.where = status, headers, body, where

    def json(self):
        return json.loads(self.body) if self.body else None

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"{self.status} from {self.where}: {self.body[:400]!r}"


def connection(base, source=None, timeout=20):
    url = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=timeout,
                                      source_address=(source, 0) if source else None)


def call(base, method, path, body=None, token=None, headers=None, source=None, conn=None, raw=None,
         content_type=None, timeout=20):
    """One request on a connection of its own (or `conn`, already open); JSON in, bytes out."""
    conn = conn or connection(base, source, timeout)
    sent = {"accept": "application/json"}
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
        sent["content-type"] = "application/json"
    if content_type:
        sent["content-type"] = content_type
    if token:
        sent["authorization"] = f"Bearer {token}"
    sent.update(headers or {})
    try:
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        payload = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, payload,
                     f"{NAMES.get(base, base)} {method} {path.split('?')[0]}")
    finally:
        conn.close()


def expect(test, reply, *statuses):
    test.assertIn(reply.status, statuses, f"expected {statuses}, got {reply!r}")
    return reply.json() if reply.body and "json" in (reply.header("content-type") or "") else None


# ---------------------------------------------------------------------------------------------------------------
# the cinema


class Customer:
    def __init__(self, email, user_id, token=None):
        self.email, self.id, self.token = email, user_id, token


def signup(base=A):
    """A fresh customer (not yet logged in)."""
    tag = uuid.uuid4().hex[:12]
    email = f"two-{tag}@example.com"
    phone = "+9198" + "".join(random.choices(string.digits, k=8))
    reply = call(base, "POST", "/users/signup",
                 {"name": f"Two {tag[:6]}", "email": email, "phone": phone, "password": PASSWORD})
    if reply.status != 201:
        raise AssertionError(f"signup failed: {reply!r}")
    return Customer(email, reply.json()["id"])


def login(base, email, password=PASSWORD, **kwargs):
    return call(base, "POST", "/users/login", {"email": email, "password": password}, **kwargs)


def customer(base=A):
    """A fresh customer, signed up and logged in on `base`."""
    person = signup(base)
    reply = login(base, person.email)
    if reply.status != 200:
        raise AssertionError(f"login failed: {reply!r}")
    person.token = reply.json()["access_token"]
    return person


_tokens = {}
_tokens_lock = threading.Lock()


def token_of(credentials):
    """The demo admin's or customer's access token, logged in once per run (on A)."""
    with _tokens_lock:
        if credentials not in _tokens:
            reply = login(A, *credentials)
            if reply.status != 200:
                raise AssertionError(f"demo login {credentials[0]} failed: {reply!r}")
            _tokens[credentials] = reply.json()["access_token"]
        return _tokens[credentials]


def tomorrow():
    return (datetime.datetime.now(CINEMA_TZ).date() + datetime.timedelta(days=1)).isoformat()


def shows():
    reply = call(A, "GET", f"/shows?date={tomorrow()}&limit=100")
    if reply.status != 200:
        raise AssertionError(f"no shows: {reply!r}")
    items = [show for show in reply.json()["items"] if show.get("is_on_sale")]
    if not items:
        raise AssertionError(f"no show on sale on {tomorrow()}: seed-demo makes 8 a day")
    return items


def seat_map(base, show_id, token):
    reply = call(base, "GET", f"/shows/{show_id}/availability", token=token)
    if reply.status != 200:
        raise AssertionError(f"seat map: {reply!r}")
    return reply.json()


def statuses(base, show_id, token, seat_ids):
    by_id = {seat["id"].upper(): seat["status"] for seat in seat_map(base, show_id, token)["seats"]}
    return {seat: by_id.get(seat.upper()) for seat in seat_ids}


def free_seats(count, token, show=None):
    """`count` standard seats free right now in a random show of tomorrow (or `show`), chosen at random."""
    show = show or random.choice(shows())
    free = [seat["id"] for seat in seat_map(A, show["id"], token)["seats"]
            if seat["status"] == "available" and seat.get("kind") == "standard"]
    return show, random.sample(free, count)


def hold(base, person, show_id, seat_ids, **kwargs):
    return call(base, "POST", "/seatlocks", {"show_id": show_id, "seat_ids": seat_ids}, token=person.token, **kwargs)


def book(base, person, show_id, lock_id, **kwargs):
    return call(base, "POST", "/bookings", {"show_id": show_id, "lock_id": lock_id}, token=person.token, **kwargs)


def same_ids(left, right):
    return {value.upper() for value in left} == {value.upper() for value in right}


def wait_until(condition, within, step=0.02):
    """Polls `condition` until it returns something truthy; (value, seconds taken), or (None, within)."""
    started = time.monotonic()
    while True:
        value = condition()
        elapsed = time.monotonic() - started
        if value:
            return value, elapsed
        if elapsed >= within:
            return None, elapsed
        time.sleep(step)


# ---------------------------------------------------------------------------------------------------------------
# the live socket


class Live:
    """`GET /ws?token=…` on `base`, from `source` if given. Messages not yet asked for are kept, in order."""

    def __init__(self, base, token, source=None):
        url = urllib.parse.urlsplit(base)
        sock = socket.create_connection((url.hostname, url.port), timeout=5,
                                        source_address=(source, 0) if source else None)
        self.where = NAMES.get(base, base)
        self.ws = ws_connect(f"ws://{url.hostname}:{url.port}/ws?token={token}", sock=sock, proxy=None,
                             open_timeout=5, close_timeout=2, compression=None, ping_interval=None,
                             legacy=True)
        self.pending = []
        self.seen = []  # everything received, for failure messages
        ready = self.next("ready", within=3)
        if ready is None:
            raise AssertionError(f"no ready message on the socket at {self.where}")

    def next(self, kind, within=WITHIN, where=lambda message: True):
        """The first message of this type that satisfies `where` within `within` seconds, else None."""
        for index, (received, message) in enumerate(self.pending):
            if message.get("type") == kind and where(message):
                del self.pending[index]
                return message
        deadline = time.monotonic() + within
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                raw = self.ws.recv(timeout=remaining)
            except TimeoutError:
                return None
            message = json.loads(raw)
            self.seen.append(message)
            if message.get("type") == kind and where(message):
                return message
            self.pending.append((time.monotonic(), message))

    def drain(self, seconds):
        """Everything that arrives within `seconds`, with what was already waiting."""
        end = time.monotonic() + seconds
        while (remaining := end - time.monotonic()) > 0:
            try:
                message = json.loads(self.ws.recv(timeout=remaining))
            except TimeoutError:
                break
            self.seen.append(message)
            self.pending.append((time.monotonic(), message))
        messages = [message for _, message in self.pending]
        self.pending = []
        return messages

    def send(self, message):
        self.ws.send(json.dumps(message))

    def subscribe(self, show_id):
        self.send({"type": "subscribe", "show_id": show_id})
        if self.next("subscribed", within=3, where=lambda m: m.get("show_id", "").upper() == show_id.upper()) is None:
            raise AssertionError(f"no 'subscribed' for show {show_id} on the socket at {self.where}")

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass


def seat_event(show_id, status, seat_ids):
    return lambda m: (m.get("show_id", "").upper() == show_id.upper() and m.get("status") == status
                      and same_ids(m.get("seat_ids", []), seat_ids))


# ---------------------------------------------------------------------------------------------------------------
# addresses and metrics


def loopback_addresses(count):
    """`count` distinct loopback addresses other than 127.0.0.1, fresh for each caller (never counted before)."""
    picked = set()
    while len(picked) < count:
        picked.add(f"127.{random.randint(1, 254)}.{random.randint(0, 254)}.{random.randint(1, 254)}")
    return list(picked)


def request_counts(base, route):
    """`http_requests_total` of `route` on one instance (every method and status), from its `/metrics`."""
    reply = call(base, "GET", "/metrics")
    if reply.status != 200:
        raise AssertionError(f"/metrics: {reply!r}")
    total = 0.0
    for line in reply.body.decode().splitlines():
        if line.startswith("http_requests_total{") and f'route="{route}"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def instance_prefix(request_id):
    """Request ids an instance makes itself are `<random prefix of this process>-<counter>`."""
    return request_id.rsplit("-", 1)[0] if request_id and "-" in request_id else None


# ===============================================================================================================


class AcrossInstances(unittest.TestCase):
    """A and B directly: what one instance does, the other sees."""

    def test_1_hold_on_a_conflicts_on_b(self):
        first, second = customer(A), customer(B)
        show, seats = free_seats(3, first.token)
        held = expect(self, hold(A, first, show["id"], seats[:2]), 201)
        taken = expect(self, hold(B, second, show["id"], seats[:2]), 409)
        self.assertEqual(taken["code"], "seats_unavailable", taken)
        self.assertTrue(same_ids(taken.get("seat_ids") or [], seats[:2]), taken)
        # All or none, across instances too: one taken seat refuses the whole hold and leaves the free one free.
        partly = expect(self, hold(B, second, show["id"], seats[1:]), 409)
        self.assertTrue(same_ids(partly.get("seat_ids") or [], [seats[1]]), partly)
        self.assertEqual(statuses(B, show["id"], second.token, seats),
                         {seats[0]: "held", seats[1]: "held", seats[2]: "available"})
        self.assertEqual(statuses(B, show["id"], first.token, seats[:2]),
                         {seats[0]: "held_by_you", seats[1]: "held_by_you"})
        # Released on B, free on A at once.
        expect(self, call(B, "DELETE", f"/seatlocks/{held['lock_id']}", token=first.token), 200, 204)
        again = expect(self, hold(A, second, show["id"], seats[:2]), 201)
        expect(self, call(B, "DELETE", f"/seatlocks/{again['lock_id']}", token=second.token), 200, 204)

    def test_2_booking_race_across_instances_has_one_winner(self):
        racers = 12
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            people = list(pool.map(lambda i: customer(A if i % 2 == 0 else B), range(racers)))
        show, seats = free_seats(2, people[0].token)
        barrier = threading.Barrier(racers)

        def race(index):
            base = A if index % 2 == 0 else B
            conn = connection(base)
            conn.connect()  # connected before the start, so the requests leave together
            barrier.wait(timeout=30)
            held = hold(base, people[index], show["id"], seats, conn=conn)
            booked = None
            if held.status == 201:
                booked = book(base, people[index], show["id"], held.json()["lock_id"])
            return index, base, held, booked

        with concurrent.futures.ThreadPoolExecutor(racers) as pool:
            results = list(pool.map(race, range(racers)))
        outcome = [(NAMES[base], held.status, booked.status if booked else None) for _, base, held, booked in results]
        winners = [result for result in results if result[3] is not None and result[3].status == 201]
        self.assertEqual(len(winners), 1, f"exactly one booking expected: {outcome}")
        for index, base, held, booked in results:
            if index == winners[0][0]:
                continue
            self.assertIn(held.status, (409, 503), f"a losing hold must be refused: {held!r}")
            if held.status == 409:
                self.assertEqual(held.json()["code"], "seats_unavailable", held)
        note(f"race of {racers} (half on A, half on B): winner on {NAMES[winners[0][1]]}, "
             f"holds {sorted(h.status for _, _, h, _ in results)}")
        winner = people[winners[0][0]]
        booking = winners[0][3].json()
        self.assertTrue(same_ids([line["seat_id"] for line in booking["seats"]], seats), booking)
        # The API agrees: one active booking of this show owns these seats, the winner's; both instances show them
        # booked, and nobody can hold them now.
        admin = token_of(ADMIN)
        listed = expect(self, call(B, "GET", f"/bookings?show_id={show['id']}&limit=100", token=admin), 200)
        owning = [item for item in listed["items"] if item["status"] in ("PENDING", "CONFIRMED")
                  and {line["seat_id"].upper() for line in item["seats"]} & {seat.upper() for seat in seats}]
        self.assertEqual([(item["id"], item["user_id"].upper()) for item in owning],
                         [(booking["id"], winner.id.upper())], owning)
        for base in (A, B):
            seen, took = wait_until(lambda: statuses(base, show["id"], people[1].token, seats) ==
                                    {seat: "booked" for seat in seats}, WITHIN)
            self.assertTrue(seen, f"seats not booked on {NAMES[base]} within {WITHIN} s: "
                                  f"{statuses(base, show['id'], people[1].token, seats)}")
        late = expect(self, hold(B, people[1], show["id"], seats), 409)
        self.assertEqual(late["code"], "seats_unavailable")

    def test_3_socket_on_b_sees_seat_events_caused_on_a(self):
        viewer = token_of(USER)
        holder = customer(A)
        show, seats = free_seats(2, holder.token)
        on_b, on_a = Live(B, viewer), Live(A, viewer)
        try:
            on_b.subscribe(show["id"])
            on_a.subscribe(show["id"])
            started = time.monotonic()
            held = expect(self, hold(A, holder, show["id"], seats), 201)
            answered = time.monotonic()
            event = on_b.next("seats", WITHIN, seat_event(show["id"], "held", seats))
            self.assertIsNotNone(event, f"no 'held' event on B within {WITHIN} s of the hold on A; "
                                        f"got {on_b.seen}")
            note(f"'held' on B {1000 * (time.monotonic() - started):.0f} ms after the hold was sent to A "
                 f"(A answered after {1000 * (answered - started):.0f} ms)")
            expect(self, call(A, "DELETE", f"/seatlocks/{held['lock_id']}", token=holder.token), 200, 204)
            self.assertIsNotNone(on_b.next("seats", WITHIN, seat_event(show["id"], "released", seats)),
                                 f"no 'released' event on B; got {on_b.seen}")
            # And the other way round: a hold on B reaches the socket on A.
            other = customer(B)
            held = expect(self, hold(B, other, show["id"], seats), 201)
            self.assertIsNotNone(on_a.next("seats", WITHIN, seat_event(show["id"], "held", seats)),
                                 f"no 'held' event on A for a hold on B; got {on_a.seen}")
            expect(self, call(B, "DELETE", f"/seatlocks/{held['lock_id']}", token=other.token), 200, 204)
            # Each change is announced once per socket, not once per instance.
            held_again = seat_event(show["id"], "held", seats)
            later = [m for m in on_b.drain(0.3) if m.get("type") == "seats" and held_again(m)]
            self.assertEqual(len(later), 1, f"the second hold must be heard once on B: {later}")
        finally:
            on_b.close()
            on_a.close()

    def test_4_notification_of_a_payment_on_a_reaches_the_socket_on_b(self):
        person = customer(B)
        show, seats = free_seats(1, person.token)
        mine = Live(B, person.token)
        try:
            mine.subscribe(show["id"])
            held = expect(self, hold(A, person, show["id"], seats), 201)
            booking = expect(self, book(A, person, show["id"], held["lock_id"]), 201)
            payment = expect(self, call(A, "POST", "/payments", {"booking_id": booking["id"], "method": "upi"},
                                        token=person.token), 200, 201)
            simulate = payment["checkout"]["simulate_url"]
            started = time.monotonic()
            paid = call(A, "POST", simulate, {"outcome": "succeeded"}, token=person.token)
            expect(self, paid, 200)
            pushed = mine.next("notification", WITHIN, lambda m: (
                m["notification"]["type"] == "booking_confirmed"
                and (m["notification"].get("data") or {}).get("booking_id", "").upper() == booking["id"].upper()))
            self.assertIsNotNone(pushed, f"no booking_confirmed notification on B within {WITHIN} s of the payment "
                                         f"on A; the socket got {mine.seen}")
            note(f"notification on B {1000 * (time.monotonic() - started):.0f} ms after the simulated payment was "
                 f"sent to A")
            self.assertIsNotNone(mine.next("seats", WITHIN, seat_event(show["id"], "booked", seats)),
                                 f"no 'booked' seat event on B; the socket got {mine.seen}")
            # Stored and pushed once, though both instances drain the outbox.
            again = [m for m in mine.drain(0.5) if m.get("type") == "notification"
                     and m["notification"]["id"] == pushed["notification"]["id"]]
            self.assertEqual(again, [], "the notification was pushed twice")
            listed = expect(self, call(B, "GET", "/notifications?limit=100", token=person.token), 200)
            confirmed = [n for n in listed["items"] if n["type"] == "booking_confirmed"
                         and (n.get("data") or {}).get("booking_id", "").upper() == booking["id"].upper()]
            self.assertEqual([n["id"] for n in confirmed], [pushed["notification"]["id"]], listed)
            status = expect(self, call(B, "GET", f"/bookings/{booking['id']}", token=person.token), 200)
            self.assertEqual(status["status"], "CONFIRMED")
        finally:
            mine.close()

    def test_5_login_rate_limit_is_shared_by_both_instances(self):
        # RATE_LIMIT_LOGIN (per client address and email) is LOGIN_LIMIT on both; failed logins alternate between
        # A and B, so each instance alone has seen only about half of them.
        for first, second in ((A, B), (B, A)):
            person = signup(first)
            order = [first, second]
            for attempt in range(LOGIN_LIMIT):
                base = order[attempt % 2]
                reply = login(base, person.email, "not-the-password")
                self.assertEqual(reply.status, 401, f"attempt {attempt + 1} on {NAMES[base]}: {reply!r}")
            over = order[LOGIN_LIMIT % 2]
            refused = login(over, person.email, "not-the-password")
            self.assertEqual(refused.status, 429, f"attempt {LOGIN_LIMIT + 1} on {NAMES[over]} after "
                                                  f"{LOGIN_LIMIT} failures spread over A and B: {refused!r}")
            self.assertEqual(refused.json()["code"], "rate_limited")
            self.assertTrue(refused.header("retry-after"), "a 429 says when to retry")
            # The other instance refuses too, even the right password: the bucket is one, in Redis.
            other = order[(LOGIN_LIMIT + 1) % 2]
            self.assertEqual(login(other, person.email).status, 429, f"{NAMES[other]} must refuse as well")

    def test_6_caches_dropped_on_a_are_fresh_on_b_within_a_second(self):
        admin, viewer = token_of(ADMIN), customer(B)
        show = random.choice(shows())
        movie_id, old_title = show["movie"]["id"], show["movie"]["title"]
        new_title = f"{old_title} ({uuid.uuid4().hex[:6]})"
        self.addCleanup(lambda: call(A, "PATCH", f"/movies/{movie_id}", {"title": old_title}, token=admin))

        reads = {
            "GET /movies/{id}": lambda: call(B, "GET", f"/movies/{movie_id}").json()["title"],
            "GET /movies (cached list)": lambda: next(
                m["title"] for m in call(B, "GET", "/movies?limit=100").json()["items"] if m["id"] == movie_id),
            "GET /shows?date= (cached list)": lambda: next(
                s["movie"]["title"] for s in call(B, "GET", f"/shows?date={tomorrow()}&limit=100").json()["items"]
                if s["id"] == show["id"]),
            "seat map (30 s snapshot)": lambda: seat_map(B, show["id"], viewer.token)["show"]["movie"]["title"],
        }
        # Warm B's caches: read twice, so the second answer comes from memory.
        for name, read in reads.items():
            read()
            self.assertEqual(read(), old_title, name)
        expect(self, call(A, "PATCH", f"/movies/{movie_id}", {"title": new_title}, token=admin), 200)
        changed = time.monotonic()
        taken = {}
        for name, read in reads.items():
            fresh, _ = wait_until(lambda: read() == new_title, WITHIN - (time.monotonic() - changed))
            taken[name] = time.monotonic() - changed
            self.assertTrue(fresh, f"{name} on B still says {read()!r} {taken[name]:.2f} s after the title "
                                   f"changed on A")
        note("fresh on B after the change on A: " +
             ", ".join(f"{name} {1000 * seconds:.0f} ms" for name, seconds in taken.items()))

        # Sessions are cached for 30 s; a logout on A ends the session on B at once.
        person = customer(A)
        expect(self, call(B, "GET", "/users/me", token=person.token), 200)
        expect(self, call(B, "GET", "/users/me", token=person.token), 200)
        expect(self, call(A, "POST", "/users/logout", token=person.token), 204)
        ended, took = wait_until(lambda: call(B, "GET", "/users/me", token=person.token).status == 401, WITHIN)
        self.assertTrue(ended, f"B still accepts the token {took:.2f} s after logout on A")
        note(f"logout on A refused on B after {1000 * took:.0f} ms")


class ThroughNginx(unittest.TestCase):
    """nginx with deploy/nginx/boxoffice.conf in front of A and B."""

    def test_7a_requests_are_answered_by_both_instances(self):
        # Request ids the instances make themselves start with a random prefix of their process.
        prefixes = {NAMES[base]: instance_prefix(call(base, "GET", "/health").header("x-request-id"))
                    for base in (A, B)}
        self.assertNotEqual(prefixes["A"], prefixes["B"], prefixes)
        before = {base: request_counts(base, "/health") for base in (A, B)}
        answered = {"A": 0, "B": 0}
        requests = 20
        for _ in range(requests):
            reply = call(NGINX, "GET", "/health")
            self.assertEqual(reply.status, 200, reply)
            prefix = instance_prefix(reply.header("x-request-id"))
            by = [name for name, known in prefixes.items() if known == prefix]
            self.assertEqual(len(by), 1, f"answer with request id {reply.header('x-request-id')} is from neither")
            answered[by[0]] += 1
        grown = {NAMES[base]: request_counts(base, "/health") - before[base] for base in (A, B)}
        note(f"{requests} requests through nginx answered by A {answered['A']}, B {answered['B']} "
             f"(request counters grew by {grown})")
        self.assertGreater(answered["A"], 0, answered)
        self.assertGreater(answered["B"], 0, answered)
        self.assertEqual(grown, {name: float(count) for name, count in answered.items()})
        # A write and an authenticated read through nginx work the same.
        person = customer(NGINX)
        me = expect(self, call(NGINX, "GET", "/users/me", token=person.token), 200)
        self.assertEqual(me["email"], person.email)
        # /metrics is not passed through (nginx's peer address is loopback, which the instances trust for it).
        self.assertEqual(call(NGINX, "GET", "/metrics").status, 404)

    def test_7b_websocket_through_nginx_gets_seat_events_from_both_instances(self):
        viewer = token_of(USER)
        holder = customer(A)
        show, seats = free_seats(4, holder.token)
        live = Live(NGINX, viewer)
        try:
            live.subscribe(show["id"])
            live.send({"type": "ping"})
            self.assertIsNotNone(live.next("pong", 2), "no pong through nginx")
            for base, mine in ((A, seats[:2]), (B, seats[2:])):
                held = expect(self, hold(base, holder, show["id"], mine), 201)
                self.assertIsNotNone(live.next("seats", WITHIN, seat_event(show["id"], "held", mine)),
                                     f"no 'held' event through nginx for a hold on {NAMES[base]}: {live.seen}")
                expect(self, call(base, "DELETE", f"/seatlocks/{held['lock_id']}", token=holder.token), 200, 204)
                self.assertIsNotNone(live.next("seats", WITHIN, seat_event(show["id"], "released", mine)),
                                     f"no 'released' event through nginx for {NAMES[base]}")
        finally:
            live.close()
        if ACCESS_LOG:
            # nginx logs the socket when it closes, without its query string: the token is not on disk.
            def text():
                with open(ACCESS_LOG) as log:
                    return log.read()

            logged, _ = wait_until(lambda: "/ws " in text(), 3, 0.1)
            self.assertTrue(logged, "nginx did not log the WebSocket")
            self.assertNotIn("token=", text(), "an access token in nginx's access log")

    def failed_logins_until_refused(self, base, email, source, forwarded=None):
        """Failed logins from `source` until a 429; how many were answered 401 first (None: no 429 seen)."""
        for attempt in range(LOGIN_LIMIT + 3):
            headers = {"x-forwarded-for": forwarded()} if forwarded else None
            reply = login(base, email, "not-the-password", source=source, headers=headers)
            if reply.status == 429:
                return attempt
            self.assertEqual(reply.status, 401, reply)
        return None

    def test_7c_forwarded_client_addresses_are_counted_separately(self):
        # Clients on two addresses (127.x.y.z, not trusted) reach nginx; nginx appends each one's address to
        # X-Forwarded-For and connects to the instances from 127.0.0.1, the trusted proxy.
        person = signup(NGINX)
        first, second = loopback_addresses(2)
        self.assertEqual(self.failed_logins_until_refused(NGINX, person.email, first), LOGIN_LIMIT,
                         f"the login limit through nginx for a client at {first}")
        other = login(NGINX, person.email, "not-the-password", source=second)
        self.assertEqual(other.status, 401, f"a client at {second} is counted apart from {first}: {other!r}")
        self.assertEqual(login(NGINX, person.email, source=second).status, 200)
        self.assertEqual(login(NGINX, person.email, source=first).status, 429)

    def test_7d_a_client_cannot_choose_its_address(self):
        def spoofed():
            return f"203.0.113.{random.randint(1, 254)}, 198.51.100.{random.randint(1, 254)}"

        # Through nginx: whatever the client writes into X-Forwarded-For, the right-most untrusted entry is the
        # address nginx appended.
        person = signup(NGINX)
        source, direct = loopback_addresses(2)
        self.assertEqual(self.failed_logins_until_refused(NGINX, person.email, source, spoofed), LOGIN_LIMIT,
                         "a client that writes its own X-Forwarded-For through nginx")
        # Straight to the instances from an address that is not a trusted proxy: the header is ignored, and the
        # count is shared by A and B.
        person = signup(A)
        refused_after = None
        for attempt in range(LOGIN_LIMIT + 3):
            base = (A, B)[attempt % 2]
            reply = login(base, person.email, "not-the-password", source=direct,
                          headers={"x-forwarded-for": spoofed()})
            if reply.status == 429:
                refused_after = attempt
                break
            self.assertEqual(reply.status, 401, reply)
        self.assertEqual(refused_after, LOGIN_LIMIT, "X-Forwarded-For from an untrusted peer must be ignored")

    def test_7f_a_remote_client_behind_the_proxy_gets_no_metrics(self):
        # Without METRICS_TOKEN an instance serves /metrics "only to clients on the same machine (loopback)"
        # (README). Behind a proxy on the same machine every request arrives from loopback, so the instance must
        # judge the client it resolves through TRUSTED_PROXIES: this is what nginx sends for a client at
        # 203.0.113.9 (deploy/nginx/boxoffice.conf also refuses /metrics itself; test_7a checks that).
        for base in (A, B):
            self.assertEqual(call(base, "GET", "/metrics").status, 200, "a scraper on this machine")
            forwarded = call(base, "GET", "/metrics", headers={"x-forwarded-for": "203.0.113.9"})
            self.assertEqual(forwarded.status, 403,
                             f"{NAMES[base]} served /metrics to a forwarded remote client (peer 127.0.0.1 is a "
                             f"trusted proxy, X-Forwarded-For: 203.0.113.9): {forwarded.status}")

    def test_7e_poster_sized_bodies_pass_through_nginx(self):
        # The server takes poster uploads of up to 6 MiB ("6mb"); nginx's client_max_body_size must let exactly
        # that much through (its default is 1 MiB) and refuse more itself.
        admin = token_of(ADMIN)
        movie_id = random.choice(shows())["movie"]["id"]
        path = f"/movies/{movie_id}/poster"
        limit = 6 * 1024 * 1024
        # A real upload over nginx's default limit. (Parsing a multipart body is slow in the debug build, about
        # a second per MiB, so the largest poster is not uploaded in full.)
        png = b"\x89PNG\r\n\x1a\n" + bytes(1536 * 1024 - 8)
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\n"
                f"Content-Type: image/png\r\n\r\n").encode() + png + f"\r\n--{boundary}--\r\n".encode()
        started = time.monotonic()
        movie = expect(self, call(NGINX, "POST", path, raw=body, token=admin, timeout=60,
                                  content_type=f"multipart/form-data; boundary={boundary}"), 200)
        self.assertTrue(movie.get("poster_url"), movie)
        note(f"a 1.5 MiB poster through nginx took {time.monotonic() - started:.1f} s")
        # The largest body the server collects (Vapor's limit is exclusive: 6 MiB - 1 byte) reaches the instance,
        # which then refuses its content type: a 415, not a 413.
        at_limit = call(NGINX, "POST", path, raw=bytes(limit - 1), token=admin,
                        content_type="application/octet-stream")
        self.assertEqual(at_limit.status, 415, f"a {limit - 1}-byte body must reach the instance: {at_limit!r}")
        try:
            over = call(NGINX, "POST", path, raw=bytes(limit + 1), token=admin, content_type="application/octet-stream")
            refused = (over.status, "problem" in (over.header("content-type") or ""))
        except (BrokenPipeError, ConnectionResetError):
            refused = "connection closed while sending"
        self.assertEqual(refused, (413, False), "nginx itself refuses a body over client_max_body_size")

if __name__ == "__main__":
    unittest.main(verbosity=2)
