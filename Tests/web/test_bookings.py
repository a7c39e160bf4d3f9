"""Bookings in a real browser, at desktop (1280 px) and phone (390 px) widths: My bookings and a booking's page say
what was booked (movie, the cinema's date and time, screen, seats) with the ticket's QR, printable; cancelling asks
first with the refund the policy gives, and the refund stays on the booking after a reload; a show cancelled by the
staff tells the customer its reason, and notifications name the show and link to their booking. Each test makes its
own bookings through the API for a customer of this module."""
import datetime
import time

from selenium.webdriver.common.by import By

from support import (ADMIN, BASE, TOMORROW, BrowserTest, api, rupees, screenshot, sign_in, testid, token, visible,
                     wait)
from test_admin import confirmed_booking, new_show, stamp

PASSWORD = "bookings-test-password"


def on_sale(day):
    return [s for s in api("GET", f"/shows?date={day}&limit=100")["items"] if s["is_on_sale"]]


def when(show):
    """The parts of the time a page shows for a show: its day of the month, month and time at the cinema."""
    day = datetime.date.fromisoformat(show["show_date"])
    # "8 Sep" is in "8 Sept" too (some locales write four letters for September).
    return [f"{day.day} {day.strftime('%b')}", str(day.year), show["show_time"][:5]]


def card_of(driver, booking_id):
    return wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f'.booking-card[data-booking-id="{booking_id}"]'),
                message="no card for the booking")


def inside(node, name):
    return node.find_element(By.CSS_SELECTOR, f'[data-testid="{name}"]')


class Bookings(BrowserTest):
    @classmethod
    def setUpClass(cls):
        cls.admin = token(*ADMIN)
        cls.email = f"bookings{stamp()}@example.com"
        api("POST", "/users/signup", {"name": "Bookings Test", "email": cls.email, "phone": f"+91{stamp()[-10:]}",
                                      "password": PASSWORD})
        cls.customer = token(cls.email, PASSWORD)
        cls.shows = on_sale(TOMORROW)
        assert len(cls.shows) >= 2, "fewer than two shows on sale tomorrow"

    def test_bookings_say_what_was_booked_and_the_booking_page_shows_the_ticket(self):
        # Two bookings for different shows: each card names its own movie, time and screen.
        first, second = self.shows[0], self.shows[-1]
        bookings = [confirmed_booking(self.customer, first["id"]), confirmed_booking(self.customer, second["id"], 2)]
        for width, height in [(1280, 900), (390, 844)]:
            driver = self.open(width, height)
            sign_in(driver, self.email, PASSWORD)
            driver.get(f"{BASE}/#/bookings")
            for booking, show in zip(bookings, [first, second]):
                card = card_of(driver, booking["id"])
                self.assertEqual(inside(card, "booking-movie").text, show["movie"]["title"])
                self.assertEqual(booking["movie_title"], show["movie"]["title"])
                shown = wait(driver, lambda d: inside(card, "booking-time").text)
                for part in when(show):
                    self.assertIn(part, shown)
                self.assertIn(show["screen"]["name"], card.text)
                self.assertIn(", ".join(booking["seat_labels"]), card.text)
                self.assertIn(rupees(booking["breakdown"]["total_minor"]), card.text)
                self.assertEqual(inside(card, "booking-status").text, "Confirmed")
            self.page_width_fits(driver)
            screenshot(driver, "bookings-list" if width > 500 else "bookings-phone-list")

            # The booking's page: the same facts and the ticket's QR, large enough to scan on a phone.
            inside(card_of(driver, bookings[1]["id"]), "booking-link").click()
            qr = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, '[data-testid="ticket-qr"] canvas'),
                      message="no QR on the booking page")
            self.assertEqual(testid(driver, "booking-movie").text, second["movie"]["title"])
            for part in when(second):
                self.assertIn(part, testid(driver, "booking-time").text)
            self.assertEqual(testid(driver, "booking-reference").text, bookings[1]["reference"])
            self.assertEqual(testid(driver, "ticket-seats").text, ", ".join(bookings[1]["seat_labels"]))
            self.assertGreaterEqual(qr.size["width"], 250, "the QR is too small to scan")
            self.assertTrue(visible(driver, "print-ticket"))
            self.page_width_fits(driver)
            screenshot(driver, "bookings-page" if width > 500 else "bookings-phone-ticket")
            # Printed, only the ticket remains.
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
            self.assertFalse(driver.find_element(By.CSS_SELECTOR, ".booking-facts").is_displayed())
            self.assertTrue(qr.is_displayed())
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
            self.assertNoConsoleErrors(driver)

    def test_cancel_asks_first_with_the_refund_and_the_refund_stays_after_a_reload(self):
        for width, height, show in [(1280, 900, self.shows[0]), (390, 844, self.shows[1])]:
            booking = confirmed_booking(self.customer, show["id"])
            quote = api("GET", f"/bookings/{booking['id']}/cancellation", token=self.customer)
            self.assertTrue(quote["cancellable"], quote["message"])
            driver = self.open(width, height)
            sign_in(driver, self.email, PASSWORD)
            driver.get(f"{BASE}/#/booking/{booking['id']}")
            wait(driver, lambda d: visible(d, "cancel-button"), message="no cancel button")[0].click()
            asked = wait(driver, lambda d: visible(d, "refund-quote"), message="no refund quote")[0]
            self.assertIn(rupees(quote["refund_minor"]), asked.text)
            self.assertIn(f"{quote['refund_percent']} %", asked.text)
            self.assertEqual(api("GET", f"/bookings/{booking['id']}", token=self.customer)["status"], "CONFIRMED",
                             "cancelled before it was confirmed")
            self.page_width_fits(driver)
            screenshot(driver, "bookings-cancel-quote" if width > 500 else "bookings-phone-cancel-quote")
            # "Keep booking" leaves it alone; asking again and confirming cancels it.
            testid(driver, "cancel-keep").click()
            wait(driver, lambda d: not visible(d, "refund-quote"))
            testid(driver, "cancel-button").click()
            wait(driver, lambda d: visible(d, "cancel-confirm"))[0].click()
            wait(driver, lambda d: testid(d, "booking-status").text == "Cancelled", message="not cancelled")
            payment = api("GET", f"/payments?booking_id={booking['id']}", token=self.customer)["items"][0]
            self.assertEqual(payment["refunded_minor"], quote["refund_minor"])
            self.assertIn(f"Refund: {rupees(payment['refunded_minor'])}", testid(driver, "refund-amount").text)
            self.assertEqual(testid(driver, "cancel-reason").text, "You cancelled this booking.")
            self.assertFalse(visible(driver, "ticket-qr"))
            # After a reload, on the booking and in My bookings.
            driver.refresh()
            wait(driver, lambda d: rupees(payment["refunded_minor"]) in testid(d, "refund-amount").text,
                 message="the refund is gone after a reload")
            driver.get(f"{BASE}/#/bookings")
            card = card_of(driver, booking["id"])
            self.assertIn(f"Refund: {rupees(payment['refunded_minor'])}", inside(card, "refund-amount").text)
            self.assertEqual(card.get_attribute("data-status"), "CANCELLED")
            self.assertFalse(card.find_elements(By.CSS_SELECTOR, '[data-testid="cancel-booking"]'))
            self.assertNoConsoleErrors(driver)

    def test_a_show_cancelled_by_the_staff_says_why_and_notifications_link_to_the_booking(self):
        show = new_show(self.admin, f"Bookings Cancelled {stamp()}")
        try:
            booking = confirmed_booking(self.customer, show["id"], 5)  # over ₹1,000: the grouping shows
            api("PUT", f"/shows/{show['id']}/cancel", {"reason": "Projector fault"}, token=self.admin)
            # The notification is delivered by the outbox job, after the commit.
            for _ in range(100):
                notes = api("GET", "/notifications?limit=50", token=self.customer)["items"]
                if {"show_cancelled", "booking_refunded"} <= {
                        n["type"] for n in notes if n["data"].get("booking_id") == booking["id"]}:
                    break
                time.sleep(0.1)
            paid = booking["breakdown"]["total_minor"]
            for width, height in [(1280, 900), (390, 844)]:
                driver = self.open(width, height)
                sign_in(driver, self.email, PASSWORD)
                driver.get(f"{BASE}/#/bookings")
                card = card_of(driver, booking["id"])
                self.assertEqual(inside(card, "booking-status").text, "Cancelled")
                self.assertEqual(inside(card, "booking-movie").text, show["movie"]["title"])
                for part in when(show):
                    self.assertIn(part, inside(card, "booking-time").text)
                self.assertEqual(inside(card, "cancel-reason").text, "The cinema cancelled this show: Projector fault")
                self.assertIn(f"Refund: {rupees(paid)}", inside(card, "refund-amount").text)
                screenshot(driver, "bookings-show-cancelled" if width > 500 else "bookings-phone-show-cancelled")

                # Notifications: the show, the reason, the money written as everywhere, a link to the booking.
                bell = testid(driver, "notification-bell")
                if width > 500:  # the first pass: the booking's notifications are unread, and the bell counts them
                    wait(driver, lambda d: bell.get_attribute("data-unread") != "0", message="the bell counts none")
                unread = int(bell.get_attribute("data-unread"))
                bell.click()
                notes = wait(driver, lambda d: d.find_elements(
                    By.CSS_SELECTOR, f'[data-testid="notification"][data-booking-id="{booking["id"]}"]'),
                    message="no notification of the booking")
                for note in notes:  # the refund's too, though it names only the booking
                    self.assertIn(show["movie"]["title"], note.text)
                text = " ".join(n.text for n in notes)
                self.assertIn("Projector fault", text)
                self.assertIn(rupees(paid), text)
                self.page_width_fits(driver)
                screenshot(driver, "bookings-notifications" if width > 500 else "bookings-phone-notifications")
                fresh = [n for n in notes if "unread" in n.get_attribute("class").split()]
                (fresh or notes)[0].find_element(By.CSS_SELECTOR, '[data-testid="notification-link"]').click()
                wait(driver, lambda d: d.execute_script("return location.hash") == f"#/booking/{booking['id']}")
                wait(driver, lambda d: testid(d, "booking-movie").text == show["movie"]["title"])
                self.assertIn("Projector fault", testid(driver, "cancel-reason").text)
                if fresh and width > 500:  # opening it marked it read
                    self.assertEqual(int(bell.get_attribute("data-unread")), unread - 1)
                self.assertNoConsoleErrors(driver)
        finally:
            api("PUT", f"/shows/{show['id']}/cancel", {"reason": "Browser test finished"}, token=self.admin)
            api("PATCH", f"/movies/{show['movie']['id']}", {"is_active": False}, token=self.admin)
