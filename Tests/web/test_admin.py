"""The staff pages at /admin in a real browser (headless Chromium): create a movie with a poster and schedule it at a
free slot that customers then see, cancel a show with its refund count, refund part of a payment in rupees, set a
screen's layout from rows, staff-only access, and a phone-width viewport. Each test makes its own data (unique
names, free slots asked of the API), so the tests run in any order and again against the same database."""
import datetime
import pathlib
import random
import struct
import tempfile
import time
import unittest
import urllib.parse
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import (ADMIN, BASE, USER, BrowserTest, api, console_errors, screenshot, sign_in, testid, token, visible,
                     wait)


def stamp():
    return f"{int(time.time() * 1000)}{random.randint(100, 999)}"


def days_ahead(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def free_slot(admin, movie_id, dates):
    """The first (screen id, date, start time) on which the movie fits, asked of the API."""
    screens = api("GET", "/screens?is_available=true&limit=100", token=admin)["items"]
    for date in dates:
        for screen in screens:
            if not screen["capacity"]:
                continue
            query = urllib.parse.urlencode({"screen_id": screen["id"], "date": date, "movie_id": movie_id})
            slots = api("GET", f"/shows/available-slots?{query}", token=admin)["slots"]
            if slots:
                return screen["id"], date, slots[0]["start_time"]
    raise AssertionError(f"no free slot for the movie on {dates}")


def new_movie(admin, title):
    return api("POST", "/movies", {"title": title, "duration_minutes": 30, "languages": ["Hindi", "English"],
                                   "formats": ["2D"], "certificate": "U"}, token=admin)


def new_show(admin, title):
    """A movie and a show of it at a free slot 3 to 30 days ahead (2 days ahead is left to the schedule form)."""
    movie = new_movie(admin, title)
    screen_id, date, start = free_slot(admin, movie["id"], [days_ahead(n) for n in range(3, 31)])
    return api("POST", "/shows", {"movie_id": movie["id"], "screen_id": screen_id, "show_date": date,
                                  "show_time": start, "language": "Hindi", "format": "2D"}, token=admin)


def confirmed_booking(customer, show_id, seats=1):
    """The demo customer holds, books and pays (simulator) for the show; returns the confirmed booking."""
    lock = api("POST", "/seatlocks", {"show_id": show_id, "best_available": {"count": seats}}, token=customer)
    booking = api("POST", "/bookings", {"show_id": show_id, "lock_id": lock["lock_id"]}, token=customer)
    payment = api("POST", "/payments", {"booking_id": booking["id"], "method": "upi"}, token=customer)
    api("POST", payment["checkout"]["simulate_url"], {"outcome": "succeeded"}, token=customer)
    booking = api("GET", f"/bookings/{booking['id']}", token=customer)
    assert booking["status"] == "CONFIRMED", booking["status"]
    return booking


def tiny_png():
    """A 20×30 PNG file, made here (no fixtures): the poster to upload."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    pixels = b"".join(b"\x00" + b"\xc0\x30\x30" * 20 for _ in range(30))
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20, 30, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))
    path = pathlib.Path(tempfile.mkdtemp()) / "poster.png"
    path.write_bytes(data)
    return path


def row_of(driver, testid_name, attribute, value):
    found = driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid_name}"][{attribute}="{value}"]')
    return found[0] if found and found[0].is_displayed() else None


class AdminPages(BrowserTest):
    @classmethod
    def setUpClass(cls):
        cls.admin = token(*ADMIN)
        cls.customer = token(*USER)

    def retire(self, show_id, movie_id):
        """After a test: cancel its show (which frees the slot) and deactivate its movie, so reruns find room."""
        api("PUT", f"/shows/{show_id}/cancel", {"reason": "Browser test finished"}, token=self.admin)
        api("PATCH", f"/movies/{movie_id}", {"is_active": False}, token=self.admin)

    def assertNoOverflow(self, driver):
        widths = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        self.assertLessEqual(widths[0], widths[1], "the page scrolls sideways")

    def test_create_movie_with_poster_then_schedule_it_at_a_free_slot_customers_see(self):
        driver = self.open()
        sign_in(driver, *ADMIN, page="/admin")
        wait(driver, lambda d: visible(d, "admin-movie"), message="no movie list after signing in")

        # Create the movie through the form.
        title = f"Browser Premiere {stamp()}"
        testid(driver, "admin-new-movie").click()
        wait(driver, lambda d: visible(d, "admin-movie-form"))
        testid(driver, "movie-title").send_keys(title)
        testid(driver, "movie-duration").send_keys("30")
        Select(testid(driver, "movie-certificate")).select_by_value("UA13+")
        testid(driver, "movie-languages").send_keys("Hindi, English")
        testid(driver, "movie-formats").send_keys("2D, IMAX")
        testid(driver, "movie-genres").send_keys("Drama")
        driver.execute_script("arguments[0].value = arguments[1]", testid(driver, "movie-release-date"), days_ahead(-7))
        testid(driver, "movie-description").send_keys("Made by the admin browser test.")
        testid(driver, "admin-movie-save").click()
        wait(driver, lambda d: visible(d, "admin-poster-form"), message="no poster form after creating the movie")
        movie_id = driver.execute_script("return location.hash").split("/")[-1]
        movie = api("GET", f"/movies/{movie_id}")
        self.assertEqual((movie["title"], movie["duration_minutes"], movie["certificate"]), (title, 30, "UA13+"))
        self.assertEqual((movie["languages"], movie["formats"], movie["genres"]), (["Hindi", "English"], ["2D", "IMAX"], ["Drama"]))
        self.assertEqual(movie["release_date"], days_ahead(-7))

        # Upload a poster; the thumbnail shows the stored file.
        testid(driver, "admin-poster-file").send_keys(str(tiny_png()))
        testid(driver, "admin-poster-upload").click()
        image = wait(driver, lambda d: visible(d, "admin-poster-img"), message="no poster after the upload")[0]
        self.assertIn("/static/uploads/", image.get_attribute("src"))
        wait(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 20,
             message="the poster does not load")
        self.assertTrue(api("GET", f"/movies/{movie_id}")["poster_url"].startswith("/static/uploads/"))

        # The list finds it by title, with its thumbnail.
        testid(driver, "nav-movies").click()
        wait(driver, lambda d: visible(d, "admin-movie-search"))[0].send_keys(title + "\n")
        wait(driver, lambda d: "q=" in d.execute_script("return location.hash") and len(visible(d, "admin-movie")) == 1,
             message="the search found more or less than the new movie")
        row = row_of(driver, "admin-movie", "data-movie-id", movie_id)
        self.assertIn("30 min · UA13+ · Hindi, English · 2D, IMAX", row.text)
        self.assertTrue(row.find_element(By.TAG_NAME, "img").is_displayed())
        screenshot(driver, "admin-movies")

        # Schedule it two days ahead (or, once reruns have filled that day, the next day with room) at a free slot.
        screen_id, date, start = free_slot(self.admin, movie_id, [days_ahead(n) for n in range(2, 31)])
        driver.get(f"{BASE}/admin#/schedule?date={date}")
        wait(driver, lambda d: visible(d, "admin-schedule-form"))
        self.assertEqual(testid(driver, "schedule-date").get_attribute("value"), date)
        Select(testid(driver, "schedule-movie")).select_by_value(movie_id)
        Select(testid(driver, "schedule-screen")).select_by_value(screen_id)
        slot = wait(driver, lambda d: visible(d, "admin-slot"), message="no free slots listed")[0]
        self.assertEqual(slot.get_attribute("data-start"), start)
        slot.click()
        self.assertEqual(testid(driver, "schedule-time").get_attribute("value"), start)
        Select(testid(driver, "schedule-language")).select_by_value("English")
        Select(testid(driver, "schedule-format")).select_by_value("IMAX")
        testid(driver, "admin-schedule-submit").click()
        result = wait(driver, lambda d: visible(d, "admin-schedule-result"), message="no confirmation")[0]
        self.assertIn(f"at {start}", result.text)
        wait(driver, lambda d: [r for r in visible(d, "admin-show-row") if title in r.text], message="not in the day's list")
        screenshot(driver, "admin-schedule")

        # Customers see it in that date's shows.
        query = urllib.parse.urlencode({"date": date, "movie_id": movie_id})
        shows = api("GET", f"/shows?{query}", token=self.customer)["items"]
        self.addCleanup(self.retire, shows[0]["id"], movie_id)
        self.assertEqual([(s["show_time"], s["screen"]["id"], s["language"], s["format"], s["status"]) for s in shows],
                         [(start, screen_id, "English", "IMAX", "SCHEDULED")])
        # ...and on the customer page, in a browser of their own.
        customer = self.open()
        sign_in(customer, *USER)
        customer.get(f"{BASE}/#/?date={date}")
        card = wait(customer, lambda d: [c for c in visible(d, "show-card") if c.get_attribute("data-show-id") == shows[0]["id"]],
                    message="the new show is not on the customer page")[0]
        # One card per movie now, its showtimes inside it (show-card is a showtime's item).
        self.assertIn(title, card.find_element(By.XPATH, './ancestor::*[@data-testid="movie-card"]').text)
        self.assertNoConsoleErrors(driver, customer)

    def test_cancel_a_show_counts_its_confirmed_bookings_then_refunds_them(self):
        show = new_show(self.admin, f"Cancelled Matinee {stamp()}")
        self.addCleanup(self.retire, show["id"], show["movie"]["id"])
        booking = confirmed_booking(self.customer, show["id"])

        driver = self.open()
        sign_in(driver, *ADMIN, page="/admin")
        driver.get(f"{BASE}/admin#/schedule?date={show['show_date']}")
        row = wait(driver, lambda d: row_of(d, "admin-show-row", "data-show-id", show["id"]), message="show not listed")
        row.find_element(By.CSS_SELECTOR, '[data-testid="admin-cancel-show"]').click()
        summary = wait(driver, lambda d: visible(d, "admin-cancel-summary"), message="no confirmation asked")[0]
        self.assertEqual(summary.text, "This cancels 1 confirmed booking and refunds it in full.")
        self.assertEqual(api("GET", f"/shows/{show['id']}")["status"], "SCHEDULED", "cancelled before confirming")
        testid(driver, "admin-cancel-reason").send_keys("Projector fault")
        testid(driver, "admin-cancel-submit").click()
        result = wait(driver, lambda d: visible(d, "admin-cancel-result"), message="no result")[0]
        self.assertIn("1 confirmed booking cancelled and refunded in full", result.text)
        self.assertIn("Cancelled: Projector fault", row.text)
        self.assertFalse(row.find_elements(By.CSS_SELECTOR, '[data-testid="admin-cancel-show"]'))
        screenshot(driver, "admin-cancel-show")

        cancelled = api("GET", f"/shows/{show['id']}")
        self.assertEqual((cancelled["status"], cancelled["cancel_reason"]), ("CANCELLED", "Projector fault"))
        self.assertEqual(api("GET", f"/bookings/{booking['id']}", token=self.customer)["status"], "CANCELLED")
        payment = api("GET", f"/payments?booking_id={booking['id']}", token=self.admin)["items"][0]
        self.assertEqual(payment["refunded_minor"], payment["amount_minor"])
        self.assertNoConsoleErrors(driver)

    def test_refund_part_of_a_payment_found_by_booking_reference(self):
        show = new_show(self.admin, f"Refund Evening {stamp()}")
        self.addCleanup(self.retire, show["id"], show["movie"]["id"])
        booking = confirmed_booking(self.customer, show["id"])

        driver = self.open()
        sign_in(driver, *ADMIN, page="/admin")
        testid(driver, "nav-refunds").click()
        wait(driver, lambda d: visible(d, "admin-refund-query"))[0].send_keys(booking["reference"].lower())
        testid(driver, "admin-refund-find").click()
        payment_id = wait(driver, lambda d: visible(d, "admin-payment"), message="no payment found")[0].get_attribute("data-payment-id")
        self.assertIn(booking["reference"], testid(driver, "admin-booking").text)
        self.assertEqual(testid(driver, "admin-payment-refunded").text, "₹0.00")

        testid(driver, "admin-refund-amount").send_keys("10.10")  # 1010 paise exactly (10.10 * 100 is 1009.99… in floats)
        testid(driver, "admin-refund-reason").send_keys("Late start")
        testid(driver, "admin-refund-submit").click()
        wait(driver, lambda d: visible(d, "admin-refund-result"), message="no refund result")
        self.assertEqual(testid(driver, "admin-payment-refunded").text, "₹10.10")
        self.assertIn("Late start", testid(driver, "admin-refunds").text)
        payment = api("GET", f"/payments/{payment_id}", token=self.admin)
        self.assertEqual(payment["refunded_minor"], 1010)

        # An amount above what is left is refused in words next to the form, without a call.
        testid(driver, "admin-refund-amount").send_keys("100000")
        testid(driver, "admin-refund-reason").send_keys("Too much")
        testid(driver, "admin-refund-submit").click()
        error = wait(driver, lambda d: visible(d, "error-message"), message="no error shown")[0]
        self.assertIn("left to refund", error.text)
        self.assertEqual(api("GET", f"/payments/{payment['payment_id']}", token=self.admin)["refunded_minor"], 1010)
        self.assertNoConsoleErrors(driver)

    def test_screen_layout_from_rows_with_preview_and_seat_counts(self):
        screen = api("POST", "/screens", {"name": f"Test Audi {stamp()}", "screen_type": "standard",
                                          "is_available": False}, token=self.admin)
        self.addCleanup(api, "DELETE", f"/screens/{screen['id']}", token=self.admin)
        driver = self.open()
        sign_in(driver, *ADMIN, page="/admin")
        driver.get(f"{BASE}/admin#/screens/{screen['id']}")
        wait(driver, lambda d: visible(d, "admin-layout-form"))
        testid(driver, "layout-category-name").send_keys("Classic")
        testid(driver, "layout-category-price").send_keys("120.50")
        seats = testid(driver, "layout-row-seats")
        seats.clear()
        seats.send_keys("10")
        testid(driver, "layout-row-aisles").send_keys("5")
        testid(driver, "layout-row-wheelchair").send_keys("1")
        testid(driver, "layout-row-companion").send_keys("2")
        testid(driver, "layout-add-row").click()
        rows = testid(driver, "layout-row", many=True)
        self.assertEqual(rows[1].find_element(By.CSS_SELECTOR, '[data-testid="layout-row-label"]').get_attribute("value"), "B")
        rows[1].find_element(By.CSS_SELECTOR, '[data-testid="layout-row-blocked"]').send_keys("11-12")
        self.assertEqual(testid(driver, "admin-layout-totals").text,
                         "Preview: 22 seats (18 standard, 1 wheelchair, 1 companion, 2 blocked).")
        self.assertEqual(len(testid(driver, "admin-layout-preview").find_elements(By.CSS_SELECTOR, ".pseat")), 22)
        testid(driver, "admin-layout-save").click()
        result = wait(driver, lambda d: visible(d, "admin-layout-result"), message="no layout result")[0]
        self.assertIn("22 seats, 20 on sale", result.text)

        saved = api("GET", f"/screens/{screen['id']}")
        self.assertEqual((saved["total_seats"], saved["capacity"]), (22, 20))
        self.assertEqual([(c["name"], c["base_price_minor"], c["seats"]) for c in saved["categories"]], [("Classic", 12050, 22)])
        seats = api("GET", f"/seats?screen_id={screen['id']}&limit=100")["items"]
        self.assertEqual(max(s["column"] for s in seats if s["row_label"] == "A"), 11, "no aisle after seat 5")

        # Reopened, the editor reads the saved seats back into the same rows.
        driver.refresh()
        wait(driver, lambda d: len(visible(d, "layout-row")) == 2)
        self.assertEqual(testid(driver, "layout-row-aisles").get_attribute("value"), "5")
        self.assertEqual(testid(driver, "admin-layout-totals").text,
                         "Preview: 22 seats (18 standard, 1 wheelchair, 1 companion, 2 blocked).")
        self.assertNoConsoleErrors(driver)

    def test_show_price_in_rupees_and_a_new_promo_code(self):
        show = new_show(self.admin, f"Priced Night {stamp()}")
        self.addCleanup(self.retire, show["id"], show["movie"]["id"])
        driver = self.open()
        sign_in(driver, *ADMIN, page="/admin")
        driver.get(f"{BASE}/admin#/schedule?date={show['show_date']}")
        row = wait(driver, lambda d: row_of(d, "admin-show-row", "data-show-id", show["id"]), message="show not listed")
        row.find_element(By.CSS_SELECTOR, '[data-testid="admin-show-prices"]').click()
        price_rows = wait(driver, lambda d: visible(d, "admin-price-row"), message="no prices")
        category_id = price_rows[-1].get_attribute("data-category-id")
        amount = price_rows[-1].find_element(By.CSS_SELECTOR, '[data-testid="admin-price-input"]')
        amount.clear()
        amount.send_keys("250.50")  # 25050 paise exactly, not 25049.999…
        price_rows[-1].find_element(By.CSS_SELECTOR, '[data-testid="admin-price-save"]').click()
        wait(driver, lambda d: "saved" in price_rows[-1].text, message="price not saved")
        self.assertIn("₹250.50", price_rows[-1].find_element(By.CSS_SELECTOR, '[data-testid="admin-price-current"]').text)
        prices = api("GET", f"/show-category-pricing?show_id={show['id']}&limit=100")["items"]
        self.assertEqual([p["price_minor"] for p in prices if p["category_id"] == category_id], [25050])

        # A percent promo code with a cap, a minimum and limits; then deactivated from the list.
        code = f"WEB{stamp()[-9:]}"
        testid(driver, "nav-promos").click()
        wait(driver, lambda d: visible(d, "admin-promo-form"))
        testid(driver, "promo-code").send_keys(code.lower())
        testid(driver, "promo-percent").send_keys("12.5")
        testid(driver, "promo-max").send_keys("75.50")
        testid(driver, "promo-min").send_keys("300")
        testid(driver, "promo-limit-total").send_keys("50")
        testid(driver, "promo-limit-user").send_keys("1")
        testid(driver, "promo-description").send_keys("Browser test code")
        testid(driver, "admin-promo-save").click()
        card = wait(driver, lambda d: [c for c in visible(d, "admin-promo") if code in c.text], message="promo not listed")[0]
        discount_id = card.get_attribute("data-discount-id")
        promo = api("GET", f"/discounts/{discount_id}", token=self.admin)
        self.assertEqual((promo["promo_code"], promo["discount_type"], promo["percent"], promo["max_discount_minor"],
                          promo["min_subtotal_minor"], promo["usage_limit_total"], promo["usage_limit_per_user"]),
                         (code, "percent", 12.5, 7550, 30000, 50, 1))
        card.find_element(By.CSS_SELECTOR, '[data-testid="admin-toggle-promo"]').click()
        wait(driver, lambda d: not api("GET", f"/discounts/{discount_id}", token=self.admin)["is_active"],
             message="promo not deactivated")
        self.assertNoConsoleErrors(driver)

    def test_customers_are_told_the_page_is_for_staff(self):
        driver = self.open()
        sign_in(driver, *USER, page="/admin")
        page = wait(driver, lambda d: visible(d, "admin-not-staff"), message="no staff-only message")[0]
        self.assertIn("This page is for staff", page.text)
        self.assertFalse(visible(driver, "nav-movies"))
        self.assertNoConsoleErrors(driver)

    def test_phone_width_pages_fit_and_api_errors_show_in_words(self):
        driver = self.open(390, 844)
        sign_in(driver, *ADMIN, page="/admin")
        wait(driver, lambda d: visible(d, "admin-movie"))
        self.assertNoOverflow(driver)
        for section in ["nav-screens", "nav-schedule", "nav-promos", "nav-refunds"]:
            testid(driver, section).click()
            wait(driver, lambda d: d.find_element(By.ID, "view").text.strip())
            self.assertNoOverflow(driver)
        screenshot(driver, "admin-phone-refunds")

        # A promo code the API refuses (a duplicate) is explained next to the form.
        testid(driver, "nav-promos").click()
        form = wait(driver, lambda d: visible(d, "admin-promo-form"))[0]
        testid(driver, "promo-code").send_keys("FLAT50")
        Select(testid(driver, "promo-type")).select_by_value("flat")
        testid(driver, "promo-flat").send_keys("50")
        testid(driver, "admin-promo-save").click()
        error = wait(driver, lambda d: visible(d, "error-message"), message="no error shown")[0]
        self.assertTrue(error.text.strip())
        self.assertEqual(driver.execute_script("return arguments[0].previousElementSibling", error), form)
        self.assertNoOverflow(driver)
        # The browser logs the refused request (4xx) as a network error; nothing else is allowed.
        self.assertEqual([e for e in console_errors(driver) if "Failed to load resource" not in e["message"]], [])

    def test_a_view_whose_data_arrives_after_a_later_navigation_draws_nothing(self):
        # The router's stale-view guard: the movie list answers late (the page's fetch is slowed here), staff move on
        # to refunds meanwhile, and the late list does not draw over the refunds page.
        driver = self.open()
        sign_in(driver, *ADMIN, page="/admin")
        wait(driver, lambda d: visible(d, "admin-movie"))
        driver.execute_script("""
            const fetch = window.fetch;
            window.slowAsked = false;
            window.fetch = (url, options) => {
              if (!String(url).startsWith("/movies?") || !String(url).includes("q=slow")) return fetch(url, options);
              window.slowAsked = true;
              return new Promise((resolve) => setTimeout(resolve, 1500)).then(() => fetch(url, options));
            };
            location.hash = "#/movies?q=slow";""")
        wait(driver, lambda d: d.execute_script("return window.slowAsked"), message="the slow list was not asked for")
        testid(driver, "nav-refunds").click()
        wait(driver, lambda d: visible(d, "admin-refund-search"))
        time.sleep(2.5)  # the slow answer has arrived by now
        self.assertTrue(visible(driver, "admin-refund-search"))
        self.assertEqual(driver.find_elements(By.CSS_SELECTOR, '[data-testid="admin-movie-search"]'), [])
        self.assertEqual(driver.execute_script("return location.hash"), "#/refunds")
        self.assertNoConsoleErrors(driver)


if __name__ == "__main__":
    unittest.main()
