"""Staff pages of issue 28 item 11 in a real browser (headless Chromium): a show's seats (each seat's state, counts and
occupancy, refreshed by themselves, and never who holds or booked a seat), and the scheduler's suggestions when a
screen's day is full (the next free screen that date and the next free day on that screen), both when the form finds
no free time and when POST /shows answers 409. Desktop (1280 px) and phone (390 px). Each test makes its own data and
cancels its shows afterwards, so the tests run in any order and again against the same database."""
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import ADMIN, BASE, USER, BrowserTest, api, console_errors, screenshot, sign_in, testid, token, visible, wait
from test_admin import confirmed_booking, days_ahead, new_show, stamp


def statuses(driver):
    counts = {}
    for seat in testid(driver, "admin-seat", many=True):
        counts[seat.get_attribute("data-status")] = counts.get(seat.get_attribute("data-status"), 0) + 1
    return counts


def slots(admin, screen_id, date, movie_id):
    query = urllib.parse.urlencode({"screen_id": screen_id, "date": date, "movie_id": movie_id})
    return api("GET", f"/shows/available-slots?{query}", token=admin)["slots"]


class StaffPages(BrowserTest):
    @classmethod
    def setUpClass(cls):
        cls.admin = token(*ADMIN)
        cls.customer = token(*USER)

    def assertFits(self, driver):
        widths = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        self.assertLessEqual(widths[0], widths[1], "the page scrolls sideways")

    def cancel(self, *show_ids):
        for show_id in show_ids:
            api("PUT", f"/shows/{show_id}/cancel", {"reason": "Browser test finished"}, token=self.admin)

    def retire_movie(self, movie_id):
        api("PATCH", f"/movies/{movie_id}", {"is_active": False}, token=self.admin)

    def test_a_shows_seats_count_bookings_and_holds_without_saying_whose(self):
        show = new_show(self.admin, f"Seat Count {stamp()}")
        self.addCleanup(self.retire_movie, show["movie"]["id"])
        self.addCleanup(self.cancel, show["id"])
        confirmed_booking(self.customer, show["id"], seats=2)
        lock = api("POST", "/seatlocks", {"show_id": show["id"], "best_available": {"count": 3}}, token=self.customer)
        seats = api("GET", f"/shows/{show['id']}/availability", token=self.admin)["seats"]
        sellable = len([s for s in seats if s["status"] != "unavailable"])

        driver = self.open()
        sign_in(driver, *ADMIN, page="/admin")
        # Opened from the day's shows on the schedule.
        driver.get(f"{BASE}/admin#/schedule?date={show['show_date']}")
        row = wait(driver, lambda d: [r for r in visible(d, "admin-show-row") if r.get_attribute("data-show-id") == show["id"]],
                   message="show not listed")[0]
        row.find_element(By.CSS_SELECTOR, '[data-testid="admin-show-seats-link"]').click()
        page = wait(driver, lambda d: visible(d, "admin-show-seats"), message="no seat view")[0]
        self.assertEqual(page.get_attribute("data-show-id"), show["id"])
        self.assertIn(f"#/seats/{show['id']}", driver.current_url)
        wait(driver, lambda d: statuses(d).get("booked") == 2 and statuses(d).get("held") == 3,
             message="not 2 booked and 3 held seats")
        self.assertEqual(len(testid(driver, "admin-seat", many=True)), len(seats))
        occupancy = testid(driver, "admin-occupancy")
        self.assertEqual((occupancy.get_attribute("data-sold"), occupancy.get_attribute("data-held")), ("2", "3"))
        permille = (2 * 2000 + sellable) // (2 * sellable)
        self.assertIn(f"{permille // 10}.{permille % 10}% sold (2 of {sellable} seats on sale)", occupancy.text)
        self.assertIn("3 held", occupancy.text)
        self.assertIn("0 checked in", occupancy.text)
        report = api("GET", f"/reports/occupancy?date={show['show_date']}", token=self.admin)["rows"]
        self.assertEqual([(r["sold"], r["seats_on_sale"]) for r in report if r["show_id"] == show["id"]], [(2, sellable)])
        # Nobody's name, email or id on the page.
        me = api("GET", "/users/me", token=self.customer)
        source = driver.page_source
        for secret in [me["id"], me["email"], me["name"]]:
            self.assertNotIn(secret, source)
        screenshot(driver, "staff-show-seats")

        # The hold is released: the page sees it by itself within a few seconds.
        api("DELETE", f"/seatlocks/{lock['lock_id']}", token=self.customer)
        wait(driver, lambda d: "held" not in statuses(d) and "0 held" in testid(d, "admin-occupancy").text, seconds=15,
             message="the released hold is still shown")
        self.assertEqual(statuses(driver).get("booked"), 2)

        # The same view on a phone fits its width (the seat map and the table scroll inside themselves).
        phone = self.open(390, 844)
        sign_in(phone, *ADMIN, page="/admin")
        phone.get(f"{BASE}/admin#/seats/{show['id']}")
        wait(phone, lambda d: visible(d, "admin-occupancy") and statuses(d).get("booked") == 2, message="no seats on a phone")
        self.assertFits(phone)
        screenshot(phone, "staff-phone-show-seats")
        self.assertNoConsoleErrors(driver, phone)

    def full_day(self, title):
        """A 7-hour movie and a screen whose day (40 days or more ahead) is filled with it; returns the movie, the
        screen id, the date, the shows that fill it (two, at most) and another screen's id."""
        movie = api("POST", "/movies", {"title": title, "duration_minutes": 420, "languages": ["Hindi"],
                                        "formats": ["2D"], "certificate": "U"}, token=self.admin)
        self.addCleanup(self.retire_movie, movie["id"])
        screens = [s for s in api("GET", "/screens?is_available=true&limit=100", token=self.admin)["items"] if s["capacity"]]
        self.assertGreaterEqual(len(screens), 2, "the demo data has two screens with seats")
        screen_id = screens[0]["id"]
        date = next(d for d in map(days_ahead, range(40, 90)) if slots(self.admin, screen_id, d, movie["id"]))
        fillers = []
        while free := slots(self.admin, screen_id, date, movie["id"]):
            fillers.append(api("POST", "/shows", {"movie_id": movie["id"], "screen_id": screen_id, "show_date": date,
                                                  "show_time": free[0]["start_time"], "language": "Hindi",
                                                  "format": "2D"}, token=self.admin))
            self.addCleanup(self.cancel, fillers[-1]["id"])
        return movie, screen_id, date, fillers

    def open_schedule(self, driver, movie, screen_id, date):
        sign_in(driver, *ADMIN, page="/admin")
        driver.get(f"{BASE}/admin#/schedule?{urllib.parse.urlencode({'date': date, 'movie': movie['id'], 'screen': screen_id})}")
        wait(driver, lambda d: visible(d, "admin-schedule-form"))
        return wait(driver, lambda d: visible(d, "schedule-suggestion"), seconds=15, message="no suggestion")

    def schedule_from(self, driver, suggestion, movie):
        screen_id, date, start = (suggestion.get_attribute(a) for a in ["data-screen-id", "data-date", "data-start"])
        suggestion.click()
        wait(driver, lambda d: testid(d, "schedule-date").get_attribute("value") == date
             and testid(d, "schedule-time").get_attribute("value") == start and visible(d, "admin-slot"),
             message="the suggestion did not fill the form")
        self.assertEqual(Select(testid(driver, "schedule-screen")).first_selected_option.get_attribute("value"), screen_id)
        self.assertFalse(visible(driver, "schedule-suggestion"), "suggestions stay after choosing one")
        testid(driver, "admin-schedule-submit").click()
        result = wait(driver, lambda d: visible(d, "admin-schedule-result"), message="not scheduled")[0]
        self.assertIn(f"on {date} at {start}", result.text)
        shows = api("GET", f"/shows?{urllib.parse.urlencode({'date': date, 'movie_id': movie['id']})}", token=self.admin)["items"]
        made = [s for s in shows if s["screen"]["id"] == screen_id and s["show_time"] == start]
        self.assertEqual(len(made), 1)
        self.addCleanup(self.cancel, made[0]["id"])

    def test_a_full_screen_day_suggests_the_next_free_screen_and_day(self):
        movie, screen_id, date, fillers = self.full_day(f"Long Epic {stamp()}")
        driver = self.open()
        offers = self.open_schedule(driver, movie, screen_id, date)
        places = {(o.get_attribute("data-screen-id") == screen_id, o.get_attribute("data-date")) for o in offers}
        self.assertIn((False, date), places, "no other screen suggested that day")
        self.assertTrue(any(same and day > date for same, day in places), "no later day suggested on the screen")
        self.assertFalse(visible(driver, "admin-slot"))

        # A time that overlaps a filler: the 409 in words, and the suggestions again.
        driver.execute_script("arguments[0].value = arguments[1]", testid(driver, "schedule-time"), fillers[0]["show_time"])
        testid(driver, "admin-schedule-submit").click()
        error = wait(driver, lambda d: visible(d, "error-message"), message="no overlap error")[0]
        self.assertTrue(error.text)
        offers = wait(driver, lambda d: visible(d, "schedule-suggestion"), seconds=15, message="no suggestion after 409")
        screenshot(driver, "staff-schedule-suggestions")
        next_day = next(o for o in offers if o.get_attribute("data-screen-id") == screen_id)
        self.schedule_from(driver, next_day, movie)
        # The one error the browser logs is the 409 the test caused.
        errors = [e["message"] for e in console_errors(driver)]
        self.assertEqual([m for m in errors if "/shows - Failed to load resource" not in m or "409" not in m], [])
        self.assertEqual(len(errors), 1)

    def test_phone_width_suggestions_fit_and_schedule(self):
        movie, screen_id, date, _ = self.full_day(f"Long Phone Epic {stamp()}")
        driver = self.open(390, 844)
        offers = self.open_schedule(driver, movie, screen_id, date)
        self.assertFits(driver)
        screenshot(driver, "staff-phone-schedule-suggestions")
        other_screen = next(o for o in offers if o.get_attribute("data-screen-id") != screen_id)
        self.schedule_from(driver, other_screen, movie)
        self.assertFits(driver)
        self.assertNoConsoleErrors(driver)
