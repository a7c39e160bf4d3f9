"""The waiting room in a real browser (headless Chromium), at 1280 px and at a phone's 390 px (issue 30).

A show of its own (a new movie at a free slot days ahead, so no other module's shows or seat counts move) is put
behind a room through the API: its queue open since a minute ago, its sale opening a few seconds from now, 600
admitted a minute, each for 10 minutes. A customer signed up for this module picks a seat and presses Hold: the API
refuses (403 `not_admitted`) and the seat map shows the queue panel instead of an error. Before the queue opens,
joining says when it opens (at the cinema's clock); once open, the customer joins and sees their place, how many are
ahead, a labelled progress bar and the wait. The page asks again by itself, and stops asking while the customer is
on another page; back on the map it goes on, until "It's your turn: choose seats before HH:MM". Then Hold sends the
admission and the checkout opens. Two other accounts (the demo customer and the admin) stand in the same queue.

Staff see the room on the show's seat page: its times, pace, queue length and admitted so far; they change its pace
in the form (the times kept to the second), remove it (asked twice), and put the show behind a room again from the
form in the cinema's local time. Every show made here is cancelled, its movie retired and its room removed after the
test, so the tests run in any order and again against the same database. Run by scripts/web-tests."""
import datetime
import time
import urllib.error

from selenium.webdriver.common.by import By

from support import (ADMIN, BASE, CINEMA_TIME_ZONE, USER, BrowserTest, api, console_errors, screenshot, sign_in,
                     testid, token, visible, wait)
from test_admin import new_show, stamp
from test_checkout import click

PASSWORD = "waiting-room-test-password"
# Seconds from putting the room up to its sale opening: enough for the steps before joining (each screenshot runs
# axe) to happen while the customer still waits.
SALE_IN = 15

# The `/queue/{entry}` requests the page has sent so far (the Resource Timing buffer survives hash navigation).
POLLS = "return performance.getEntriesByType('resource').filter((e) => e.name.includes('/queue/')).length"


def into_view(driver, name):
    """Scrolls the element with this data-testid to the top of the window (before a screenshot)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", testid(driver, name))


def utc_iso(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class WaitingRoom(BrowserTest):
    @classmethod
    def setUpClass(cls):
        cls.admin = token(*ADMIN)
        cls.others = [token(*USER), cls.admin]
        # One fresh customer for the module (signing up is limited per address and hour); each test queues for a show
        # of its own, and a place is once per account and show.
        cls.email = f"queue{stamp()}@example.com"
        api("POST", "/users/signup", {"name": "Queue Test", "email": cls.email, "phone": f"+91{stamp()[-10:]}",
                                      "password": PASSWORD})
        cls.customer = token(cls.email, PASSWORD)

    def new_show(self):
        show = new_show(self.admin, f"Queue Test {stamp()}")
        self.addCleanup(api, "PATCH", f"/movies/{show['movie']['id']}", {"is_active": False}, self.admin)
        self.addCleanup(api, "PUT", f"/shows/{show['id']}/cancel", {"reason": "Browser test finished"}, self.admin)
        self.addCleanup(self.remove_room, show["id"])
        return show

    def put_room(self, show_id, opens_in, sale_in, rate=600, minutes=10):
        start = now()
        return api("PUT", f"/shows/{show_id}/waiting-room", {
            "opens_at": utc_iso(start + datetime.timedelta(seconds=opens_in)),
            "on_sale_at": utc_iso(start + datetime.timedelta(seconds=sale_in)),
            "admit_per_minute": rate, "admission_minutes": minutes}, token=self.admin)

    def remove_room(self, show_id):
        try:
            api("DELETE", f"/shows/{show_id}/waiting-room", token=self.admin)
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise

    def room(self, show_id):
        try:
            return api("GET", f"/shows/{show_id}/waiting-room", token=self.admin)
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise

    def assertFits(self, driver):
        widths = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        self.assertLessEqual(widths[0], widths[1], "the page scrolls sideways")

    def pick_seat(self, driver):
        """Chooses the last free standard seat on the map (best-N holds start in the middle); returns its id."""
        def free(d):
            seats = [s for s in testid(d, "seat", many=True)
                     if s.get_attribute("data-status") == "available" and "picked" not in s.get_attribute("class")]
            return seats[-1] if seats else None
        seat = wait(driver, free, message="no free seat")
        click(driver, seat)
        seat_id = seat.get_attribute("data-seat-id")
        wait(driver, lambda d: "Chosen:" in d.find_element(By.CSS_SELECTOR, ".chosen").text, message="seat not chosen")
        return seat_id

    def queue_flow(self, width, prefix):
        show = self.new_show()
        show_id = show["id"]
        driver = self.open(width, 844 if width < 500 else 900)
        sign_in(driver, self.email, PASSWORD)
        driver.get(f"{BASE}/#/show/{show_id}")
        wait(driver, lambda d: visible(d, "seat"), message="no seat map")
        self.pick_seat(driver)

        # The room goes up while the customer looks at the map; Hold is refused and the queue panel opens instead.
        self.put_room(show_id, -60, SALE_IN)
        click(driver, testid(driver, "hold-button"))
        panel = wait(driver, lambda d: visible(d, "queue-panel"), message="no queue panel")[0]
        self.assertEqual(visible(driver, "hold-countdown"), [])
        self.assertEqual(visible(driver, "error-message"), [], "the refusal showed as an error")
        self.assertTrue(driver.execute_script(
            "return document.activeElement && document.activeElement.id === 'queue-heading'"), "focus not on the panel")
        self.assertIn("queue", panel.text)
        join = visible(driver, "join-queue")[0]
        self.assertEqual(join.text, "Join the queue")
        into_view(driver, "queue-panel")
        screenshot(driver, f"{prefix}join")

        # Before the queue opens, joining says when it opens, at the cinema's clock (not the API's UTC instant).
        room = self.put_room(show_id, 3600, 7200)
        click(driver, join)
        message = wait(driver, lambda d: [m for m in visible(d, "queue-message") if m.text], message="no message")[0]
        opens = parse(room["opens_at"]).astimezone(CINEMA_TIME_ZONE).strftime("%H:%M")
        self.assertIn("The queue for this show opens at", message.text)
        self.assertIn(opens, message.text)
        self.assertNotIn("Z.", message.text)
        self.assertTrue(visible(driver, "join-queue"), "join is no longer offered")

        # Open (since a minute ago), the sale a few seconds off: two other accounts stand in the queue too.
        self.put_room(show_id, -60, SALE_IN)
        for other in self.others:
            api("POST", f"/shows/{show_id}/queue", token=other)
        click(driver, visible(driver, "join-queue")[0])
        wait(driver, lambda d: visible(d, "queue-standing"), message="no place in the queue")
        entry = api("POST", f"/shows/{show_id}/queue", token=self.customer)  # the same place, asked again
        self.assertEqual(entry["state"], "waiting", "admitted before the test could see the queue")
        self.assertEqual(panel.get_attribute("data-state"), "waiting")
        self.assertEqual(testid(driver, "queue-position").text,
                         f"Your place in the queue: {entry['position']} of {entry['queue_length']}")
        self.assertEqual(entry["queue_length"], 3)
        ahead = testid(driver, "queue-ahead").text
        self.assertTrue(ahead == "Nobody is ahead of you." if entry["ahead"] == 0 else ahead.startswith(
            f"{entry['ahead']} "), ahead)
        self.assertRegex(testid(driver, "queue-wait").text, r"^Estimated wait: about \d+ s\. The sale opens at \d\d:\d\d")
        progress = testid(driver, "queue-progress")
        self.assertEqual(progress.tag_name, "progress")
        self.assertEqual(driver.execute_script("return arguments[0].labels[0].textContent", progress),
                         "Your way to the front of the queue")
        self.assertEqual(visible(driver, "join-queue"), [])
        into_view(driver, "queue-panel")
        screenshot(driver, f"{prefix}waiting")

        # On another page the polling stops; back on the map the place is shown again and asked after.
        driver.execute_script("location.hash = '#/bookings'")
        wait(driver, lambda d: not visible(d, "queue-panel"), message="the map stayed")
        time.sleep(0.5)
        asked = driver.execute_script(POLLS)
        time.sleep(3)
        self.assertEqual(driver.execute_script(POLLS), asked, "the queue was polled from another page")
        driver.back()
        wait(driver, lambda d: visible(d, "queue-panel") and visible(d, "seat"), message="the panel did not come back")

        # The turn comes by itself (the page polls): "choose seats before" the admission's end at the cinema's clock.
        admitted = wait(driver, lambda d: [n for n in visible(d, "queue-admitted") if n.text], seconds=SALE_IN + 30,
                        message="never admitted")[0]
        self.assertGreater(driver.execute_script(POLLS), asked, "the page did not poll again")
        entry = api("GET", f"/queue/{entry['entry_id']}", token=self.customer)
        self.assertEqual(entry["state"], "admitted")
        until = parse(entry["admission_expires_at"]).astimezone(CINEMA_TIME_ZONE).strftime("%H:%M")
        self.assertEqual(admitted.text, f"It's your turn: choose seats before {until}.")
        progress = testid(driver, "queue-progress")  # the map was drawn again
        self.assertEqual(progress.get_attribute("value"), progress.get_attribute("max"))
        self.assertEqual(visible(driver, "queue-standing"), [])
        into_view(driver, "queue-panel")
        screenshot(driver, f"{prefix}admitted")

        # Hold now sends the admission: the checkout opens and the API has the hold.
        seat_id = self.pick_seat(driver)
        click(driver, testid(driver, "hold-button"))
        wait(driver, lambda d: [n for n in visible(d, "hold-countdown") if n.text.startswith("Held for")],
             message="no checkout after admission")
        holds = api("GET", f"/seatlocks?show_id={show_id}&limit=100", token=self.customer)["items"]
        self.assertEqual([h["seat_ids"] for h in holds], [[seat_id]])
        self.assertFits(driver)
        screenshot(driver, f"{prefix}checkout")
        # The refused hold and the queue that was not open yet are the only failed loads.
        self.assertEqual([e for e in console_errors(driver) if "Failed to load resource" not in e["message"]], [])
        return show

    def staff_view(self, show, width, prefix):
        show_id = show["id"]
        driver = self.open(width, 844 if width < 500 else 900)
        sign_in(driver, *ADMIN, page="/admin")
        driver.get(f"{BASE}/admin#/seats/{show_id}")
        wait(driver, lambda d: visible(d, "admin-show-seats"), message="no seat page")
        # Asked for only on request: a show without a room answers 404, which the browser logs.
        click(driver, wait(driver, lambda d: visible(d, "waiting-room") and visible(d, "room-show"))[0])
        room = self.room(show_id)
        length = wait(driver, lambda d: visible(d, "room-length"), message="no queue length")[0]
        self.assertGreaterEqual(int(length.text), 1)
        self.assertEqual(int(length.text), room["queue_length"])
        self.assertGreaterEqual(int(testid(driver, "room-admitted").text), 1)
        self.assertIn("Active now", testid(driver, "room-state").text)
        self.assertEqual(testid(driver, "room-rate-shown").text, "600")
        self.assertEqual(testid(driver, "room-minutes-shown").text, "10 min")
        sale = parse(room["on_sale_at"]).astimezone(CINEMA_TIME_ZONE)
        self.assertIn(sale.strftime("%H:%M"), testid(driver, "room-on-sale-at").text)
        self.assertEqual(testid(driver, "room-on-sale").get_attribute("value"), sale.strftime("%Y-%m-%dT%H:%M"))
        self.assertFits(driver)
        into_view(driver, "waiting-room")
        screenshot(driver, f"{prefix}staff")

        # A new pace from the form; the times, untouched, stay as they were to the second.
        rate = testid(driver, "room-rate")
        rate.clear()
        rate.send_keys("300")
        click(driver, testid(driver, "room-save"))
        wait(driver, lambda d: testid(d, "room-rate-shown").text == "300", message="the pace was not saved")
        changed = self.room(show_id)
        self.assertEqual(changed["admit_per_minute"], 300)
        self.assertEqual(parse(changed["opens_at"]), parse(room["opens_at"]))
        self.assertEqual(parse(changed["on_sale_at"]), parse(room["on_sale_at"]))

        # Remove, asked twice.
        click(driver, testid(driver, "room-remove"))
        confirm = wait(driver, lambda d: visible(d, "room-remove-confirm"), message="no confirmation")[0]
        self.assertIn("3 places", testid(driver, "room-remove-confirm-box").text)
        click(driver, confirm)
        wait(driver, lambda d: visible(d, "room-none"), message="the room is still shown")
        self.assertIsNone(self.room(show_id))

        # Back behind a room from the form, in the cinema's local time: queue 3 h before the show, sale 2 h before.
        starts = parse(show["starts_at"])
        opens_at, sale_at = starts - datetime.timedelta(hours=3), starts - datetime.timedelta(hours=2)
        for name, moment in (("room-opens", opens_at), ("room-on-sale", sale_at)):
            driver.execute_script("arguments[0].value = arguments[1]", testid(driver, name),
                                  moment.astimezone(CINEMA_TIME_ZONE).strftime("%Y-%m-%dT%H:%M"))
        click(driver, testid(driver, "room-save"))
        wait(driver, lambda d: visible(d, "room-length"), message="the room was not added")
        added = self.room(show_id)
        self.assertEqual((parse(added["opens_at"]), parse(added["on_sale_at"])), (opens_at, sale_at))
        self.assertEqual((added["admit_per_minute"], added["admission_minutes"]), (100, 10))
        self.assertIn("Not active now", testid(driver, "room-state").text)
        self.assertFits(driver)
        # The room was asked for only while the show had one: no 404 in the console.
        self.assertNoConsoleErrors(driver)

    def test_queue_admission_then_hold_and_the_staff_room_1280(self):
        show = self.queue_flow(1280, "queue-")
        self.staff_view(show, 1280, "queue-")

    def test_queue_admission_then_hold_and_the_staff_room_390(self):
        show = self.queue_flow(390, "queue-phone-")
        self.staff_view(show, 390, "queue-phone-")
