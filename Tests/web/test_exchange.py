"""Changing the show of a confirmed booking in a real browser, at desktop (1280 px) and phone (390 px) widths: from
the booking's page, "Change show" lists a day's shows; the customer picks another show tomorrow and seats on its map,
holds them and sees their prices beside what the booking cost, then confirms. Cheaper seats are swapped at once with
the difference refunded; dearer ones ask for the difference, paid as the checkout pays (the simulator), then the
booking is on the new show. A refusal (the booking was exchanged twice already) shows the server's reason and lets
the held seats go, and so does going back. Each test makes its own bookings through the API for a customer of this
module; the demo's seat categories differ in price (Classic < Prime < Recliner), which is what makes a change
cheaper or dearer."""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import BASE, TOMORROW, BrowserTest, api, rupees, screenshot, sign_in, testid, token, visible, wait
from test_admin import confirmed_booking, stamp
from test_bookings import on_sale, when
from test_checkout import click

PASSWORD = "exchange-test-password"


def categories(show_id):
    """The show's seat map and its categories by name."""
    seat_map = api("GET", f"/shows/{show_id}/availability")
    return seat_map, {c["name"]: c for c in seat_map["categories"]}


def free_seats(seat_map, category, count):
    """`count` free standard seats of the category, from the back of the map (best-N holds start in the middle)."""
    seats = [s for s in seat_map["seats"] if s["category_id"] == category["id"] and s["kind"] == "standard"
             and s["status"] == "available"]
    return seats[-count:]


def exchanged_via_api(customer, booking, show_id):
    """One completed exchange of the booking to the show's cheapest seats (the same price or less: made at once)."""
    seat_map, by_name = categories(show_id)
    cheapest = min(by_name.values(), key=lambda c: c["price_minor"])
    lock = api("POST", "/seatlocks", {"show_id": show_id, "best_available": {
        "count": len(booking["seats"]), "category_id": cheapest["id"]}}, token=customer)
    answer = api("POST", f"/bookings/{booking['id']}/exchange", {"lock_id": lock["lock_id"]}, token=customer)
    assert answer["status"] == "COMPLETED", answer
    return answer["booking"]


class Exchange(BrowserTest):
    @classmethod
    def setUpClass(cls):
        cls.email = f"exchange{stamp()}@example.com"
        api("POST", "/users/signup", {"name": "Exchange Test", "email": cls.email, "phone": f"+91{stamp()[-10:]}",
                                      "password": PASSWORD})
        cls.customer = token(cls.email, PASSWORD)
        cls.shows = on_sale(TOMORROW)
        assert len(cls.shows) >= 4, "fewer than four shows on sale tomorrow"

    def holds_on(self, show_id):
        return api("GET", f"/seatlocks?show_id={show_id}&limit=100", token=self.customer)["items"]

    def open_change(self, width, height, booking):
        """Signs in, opens the booking's page and its "Change show"."""
        driver = self.open(width, height)
        sign_in(driver, self.email, PASSWORD)
        driver.get(f"{BASE}/#/booking/{booking['id']}")
        click(driver, wait(driver, lambda d: visible(d, "change-show"), message="no Change show")[0])
        wait(driver, lambda d: visible(d, "date-strip"), message="no shows to choose from")
        return driver

    def hold_seats(self, driver, show, seats):
        """Chooses tomorrow, the show and the seats on its map, and holds them; answers the held seats' prices."""
        # One click each (a second click would draw the page again under the next step); a wait tries again only
        # while the element is not there yet.
        day = f'[data-testid="date-strip"] a[data-date="{TOMORROW}"]'
        wait(driver, lambda d: click(d, d.find_element(By.CSS_SELECTOR, day)) or True, message="no tomorrow")
        wait(driver, lambda d: d.execute_script("return location.hash").endswith(f"date={TOMORROW}"))
        showtime = f'[data-testid="showtime"][data-show-id="{show["id"]}"]'
        wait(driver, lambda d: click(d, d.find_element(By.CSS_SELECTOR, showtime)) or True, message="no showtime")
        wait(driver, lambda d: show["movie"]["title"] in testid(d, "exchange-show").text,
             message="the show's seat map did not open")
        wait(driver, lambda d: visible(d, "seat"), message="no seat map")
        self.assertEqual(driver.find_element(By.CSS_SELECTOR, showtime).get_attribute("aria-current"), "true")
        for seat in seats:
            click(driver, driver.find_element(By.CSS_SELECTOR, f'[data-testid="seat"][data-seat-id="{seat["id"]}"]'))
        click(driver, testid(driver, "exchange-hold"))
        wait(driver, lambda d: visible(d, "confirm-exchange"), message="the seats were not held")

    def change(self, width, height, dearer, prefix):
        """A booking of two seats changed to two seats of another category on another show tomorrow."""
        shift = 0 if width > 500 else 1
        old_show, new_show = self.shows[shift], self.shows[-1 - shift - (2 if dearer else 0)]
        booking = confirmed_booking(self.customer, old_show["id"], 2)
        paid = booking["breakdown"]["total_minor"]
        seat_price = booking["seats"][0]["price_minor"]
        seat_map, by_name = categories(new_show["id"])
        pick = [c for c in by_name.values()
                if (c["price_minor"] > seat_price if dearer else c["price_minor"] < seat_price)]
        self.assertTrue(pick, f"no category {'dearer' if dearer else 'cheaper'} than {booking['seats'][0]['category']}")
        category = (min if dearer else max)(pick, key=lambda c: c["price_minor"])
        seats = free_seats(seat_map, category, 2)

        driver = self.open_change(width, height, booking)
        self.page_width_fits(driver)
        screenshot(driver, f"{prefix}shows")
        self.hold_seats(driver, new_show, seats)
        self.assertEqual(testid(driver, "exchange-seats-total").text, rupees(2 * category["price_minor"]))
        step = driver.find_element(By.CSS_SELECTOR, ".exchange-step").text
        for seat in seats:
            self.assertIn(f"Seat {seat['label']}", step)
        self.assertIn(rupees(paid), testid(driver, "exchange-old-total").text)
        self.assertTrue(visible(driver, "hold-countdown"))
        self.page_width_fits(driver)
        screenshot(driver, f"{prefix}confirm")

        click(driver, testid(driver, "confirm-exchange"))
        if dearer:
            asked = wait(driver, lambda d: visible(d, "exchange-difference"), message="no difference to pay")[0]
            difference = int(asked.get_attribute("data-difference-minor"))
            self.assertGreater(difference, 0)
            self.assertIn(rupees(difference), asked.text)
            self.assertIn(rupees(paid), asked.text)
            self.assertEqual(api("GET", f"/bookings/{booking['id']}", token=self.customer)["show_id"], old_show["id"],
                             "moved before the difference was paid")
            Select(testid(driver, "pay-method")).select_by_value("card")
            self.page_width_fits(driver)
            screenshot(driver, f"{prefix}pay")
            click(driver, testid(driver, "pay-difference"))
        result = wait(driver, lambda d: visible(d, "exchange-result"), seconds=15, message="no result")[0].text

        after = api("GET", f"/bookings/{booking['id']}", token=self.customer)
        self.assertEqual(after["show_id"], new_show["id"])
        self.assertEqual(after["reference"], booking["reference"])
        self.assertEqual(sorted(s["seat_id"] for s in after["seats"]), sorted(s["id"] for s in seats))
        payments = api("GET", f"/payments?booking_id={booking['id']}", token=self.customer)["items"]
        if dearer:
            extra = [p for p in payments if p["amount_minor"] == difference and p["status"] == "COMPLETED"]
            self.assertEqual([p["method"] for p in extra], ["card"])
            self.assertEqual(after["breakdown"]["total_minor"], paid + difference)
            self.assertIn(f"You paid {rupees(difference)} more.", result)
        else:
            refund = paid - after["breakdown"]["total_minor"]
            self.assertGreater(refund, 0)
            self.assertEqual(sum(p["refunded_minor"] for p in payments), refund)
            self.assertIn(f"{rupees(refund)} is refunded to you.", result)
            self.assertFalse(self.holds_on(new_show["id"]), "a hold was left behind")
        self.assertTrue(result.startswith("Done."), result)
        self.page_width_fits(driver)
        screenshot(driver, f"{prefix}done")

        # The booking's page: the new show and seats, the new total.
        click(driver, testid(driver, "booking-link"))
        wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f'.booking-page[data-booking-id="{booking["id"]}"]'),
             message="not on the booking's page")
        wait(driver, lambda d: testid(d, "booking-movie").text == new_show["movie"]["title"],
             message="not the new show")
        shown = wait(driver, lambda d: testid(d, "booking-time").text)
        for part in when(new_show):
            self.assertIn(part, shown)
        self.assertEqual(testid(driver, "booking-total").text, rupees(after["breakdown"]["total_minor"]))
        self.assertIn(", ".join(s["label"] for s in seats), driver.find_element(By.CSS_SELECTOR, ".facts").text)
        self.assertEqual(testid(driver, "booking-status").text, "Confirmed")
        self.page_width_fits(driver)
        screenshot(driver, f"{prefix}booking")
        self.assertNoConsoleErrors(driver)

    def test_cheaper_seats_are_swapped_at_once_and_the_difference_refunded(self):
        for width, height, prefix in [(1280, 900, "exchange-cheaper-"), (390, 844, "exchange-phone-cheaper-")]:
            with self.subTest(width=width):
                self.change(width, height, False, prefix)

    def test_dearer_seats_ask_for_the_difference_then_the_booking_moves(self):
        for width, height, prefix in [(1280, 900, "exchange-dearer-"), (390, 844, "exchange-phone-dearer-")]:
            with self.subTest(width=width):
                self.change(width, height, True, prefix)

    def test_a_refusal_shows_the_reason_and_going_back_releases_the_hold(self):
        for width, height, prefix in [(1280, 900, "exchange-"), (390, 844, "exchange-phone-")]:
            first, second, third = (self.shows[1:4] if width > 500 else self.shows[4:7])
            booking = confirmed_booking(self.customer, first["id"], 1)
            driver = self.open_change(width, height, booking)

            # Going back ("Keep the booking as it is") lets the held seats go.
            seat_map, by_name = categories(second["id"])
            self.hold_seats(driver, second, free_seats(seat_map, by_name["Classic"], 1))
            self.assertTrue(self.holds_on(second["id"]))
            click(driver, testid(driver, "exchange-cancel"))
            wait(driver, lambda d: visible(d, "change-show"), message="not back on the booking")
            for _ in range(50):
                if not self.holds_on(second["id"]):
                    break
                time.sleep(0.1)
            self.assertFalse(self.holds_on(second["id"]), "going back kept the hold")

            # Exchanged twice already (through the API): the third change is refused with the server's reason.
            exchanged_via_api(self.customer, exchanged_via_api(self.customer, booking, second["id"]), third["id"])
            click(driver, testid(driver, "change-show"))
            seat_map, by_name = categories(first["id"])
            self.hold_seats(driver, first, free_seats(seat_map, by_name["Classic"], 1))
            click(driver, testid(driver, "confirm-exchange"))
            error = wait(driver, lambda d: visible(d, "exchange-error"), message="no refusal shown")[0]
            self.assertEqual(error.text, "This booking has been exchanged 2 times already, the most allowed.")
            for _ in range(50):
                if not self.holds_on(first["id"]):
                    break
                time.sleep(0.1)
            self.assertFalse(self.holds_on(first["id"]), "the refused change kept its hold")
            self.assertEqual(api("GET", f"/bookings/{booking['id']}", token=self.customer)["show_id"], third["id"])
            self.page_width_fits(driver)
            screenshot(driver, f"{prefix}refused")
            # The browser logs the 409 as a failed resource; nothing else is allowed.
            errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                      and "Failed to load resource" not in e["message"]]
            self.assertEqual(errors, [])
