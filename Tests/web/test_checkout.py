"""The checkout in a real browser (headless Chromium), at 1280 px and at a phone's 390 px: the hold's countdown ticks,
warns in the last minute and offers to hold again after it expires; the seat map's Hold buttons are off while the
checkout is open and "Change seats" releases the hold; a running total, a promo code priced before booking, the
booking's lines with their tax rates, a choice of payment method; and errors written for people.

The hold's end is reached by moving the page's clock (Date.now, which the countdown reads on every tick) rather than
by waiting ten minutes or by Chrome's virtual time: the countdown's timers still run in real time, the server's hold
is untouched, and the shift is undone before holding again. Run by scripts/web-tests against a seeded server."""
import math
import re
import time

from selenium.webdriver.common.by import By

from support import (BASE, USER, BrowserTest, api, open_show, rupees, screenshot, sign_in, testid, token, visible,
                     wait)

# Moves the page's clock: Date.now answers the real time plus `shift` ms (0 puts it back).
SHIFT_CLOCK = """
window.__realNow = window.__realNow || Date.now.bind(Date);
const shift = arguments[0];
Date.now = () => window.__realNow() + shift;
"""
# The shift that leaves `arguments[0]` ms of the current hold.
SHIFT_TO_LEFT = """
const expires = Date.parse(document.querySelector('[data-testid="hold-countdown"]').dataset.expiresAt);
return expires - (window.__realNow || Date.now)() - arguments[0];
"""
SENTENCE = re.compile(r"^[A-Z₹\"“(].*[.!?)]$", re.S)


def seat_status(driver, seat_id):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="seat"][data-seat-id="{seat_id}"]').get_attribute(
        "data-status")


def click(driver, element):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element)
    element.click()


def page_width(driver):
    return driver.execute_script("return document.documentElement.scrollWidth")


def focus_in_checkout_heading(driver):
    return driver.execute_script(
        "const a = document.activeElement; return a.tagName === 'H2' && !!a.closest('#checkout')")


class CheckoutCountdown(BrowserTest):
    """Items 1 and 6: the countdown ticks, warns, expires and holds again; the map's Hold buttons wait meanwhile."""

    def countdown(self, driver, prefix, show_index):
        sign_in(driver, *USER)
        show_id = open_show(driver, show_index)
        self.assertTrue(testid(driver, "hold-button").is_enabled())
        click(driver, testid(driver, "best-button"))
        first = wait(driver, lambda d: [n for n in visible(d, "hold-countdown") if n.text.startswith("Held for")],
                     message="no countdown")[0].text
        self.assertRegex(first, r"^Held for \d+:\d\d$")
        # Focus moved to the checkout's heading; the map's Hold and best-N buttons are off while it is open.
        self.assertTrue(focus_in_checkout_heading(driver), "focus did not move to the checkout")
        self.assertFalse(testid(driver, "hold-button").is_enabled())
        self.assertFalse(testid(driver, "best-button").is_enabled())
        held = [s.get_attribute("data-seat-id") for s in testid(driver, "seat", many=True)
                if s.get_attribute("data-status") == "held_by_you"]
        self.assertEqual(len(held), 2)

        # It ticks: a later second within 2.5 s (it was frozen before).
        wait(driver, lambda d: testid(d, "hold-countdown").text not in ("", first), seconds=2.5,
             message="the countdown does not tick")
        self.assertRegex(testid(driver, "hold-countdown").text, r"^Held for \d+:\d\d$")

        # The last minute: a warning in words, announced once.
        driver.execute_script(SHIFT_CLOCK, driver.execute_script(SHIFT_TO_LEFT, 59_500))
        wait(driver, lambda d: testid(d, "hold-countdown").get_attribute("data-state") == "warning", seconds=3,
             message="no warning in the last minute")
        self.assertRegex(testid(driver, "hold-countdown").text, r"^Held for (1:00|0:[0-5]\d)\. Last minute: book now")
        status = driver.find_element(By.CSS_SELECTOR, '#checkout [role="status"].sr-only')
        self.assertEqual(status.get_attribute("textContent"), "One minute left to book these seats.")
        screenshot(driver, f"{prefix}hold-warning")

        # Expired: said so, Book gone, "hold again" offered, and the map's buttons are back.
        driver.execute_script(SHIFT_CLOCK, driver.execute_script(SHIFT_TO_LEFT, -1_000))
        wait(driver, lambda d: "expired" in testid(d, "hold-countdown").text, seconds=3, message="never expired")
        self.assertEqual(visible(driver, "book-button"), [])
        self.assertTrue(visible(driver, "hold-again"))
        self.assertTrue(testid(driver, "hold-button").is_enabled())
        self.assertTrue(testid(driver, "best-button").is_enabled())
        screenshot(driver, f"{prefix}hold-expired")

        # Hold the same seats again (the clock put back first): a fresh countdown, the buttons off again.
        driver.execute_script(SHIFT_CLOCK, 0)
        click(driver, visible(driver, "hold-again")[0])
        wait(driver, lambda d: [n for n in visible(d, "hold-countdown") if n.text.startswith("Held for")],
             message="holding again failed")
        self.assertTrue(visible(driver, "book-button"))
        self.assertFalse(testid(driver, "hold-button").is_enabled())
        # The map says they are the customer's own again, whatever order the release and the new hold arrived in.
        time.sleep(1)
        wait(driver, lambda d: [seat_status(d, i) for i in held] == ["held_by_you"] * 2, seconds=5,
             message="the seats held again do not read as the customer's")
        bearer = token(*USER)
        holds = api("GET", f"/seatlocks?show_id={show_id}&limit=100", token=bearer)["items"]
        self.assertIn(sorted(held), [sorted(h["seat_ids"]) for h in holds])

        # "Change seats" releases the hold and goes back to the map.
        click(driver, testid(driver, "change-seats"))
        wait(driver, lambda d: not visible(d, "hold-countdown"), message="the checkout stayed open")
        self.assertTrue(testid(driver, "hold-button").is_enabled())
        self.assertTrue(testid(driver, "best-button").is_enabled())
        self.assertIn(driver.switch_to.active_element.get_attribute("data-testid"), ("seat", "hold-button"))
        holds = api("GET", f"/seatlocks?show_id={show_id}&limit=100", token=bearer)["items"]
        self.assertFalse([h for h in holds if set(h["seat_ids"]) & set(held)], "the hold was not released")
        wait(driver, lambda d: [seat_status(d, i) for i in held] == ["available"] * 2, seconds=5,
             message="the released seats did not turn available")
        self.assertLessEqual(page_width(driver), driver.execute_script("return window.innerWidth"))
        self.assertNoConsoleErrors(driver)

    def test_countdown_ticks_warns_expires_and_holds_again_1280(self):
        self.countdown(self.open(), "checkout-", 4)

    def test_countdown_ticks_warns_expires_and_holds_again_390(self):
        self.countdown(self.open(390, 844), "checkout-phone-", 5)


class CheckoutOrder(BrowserTest):
    """Item 5: running total, promo code priced before Book, lines with tax rates, the payment method."""

    def order(self, driver, prefix, show_index):
        sign_in(driver, *USER)
        show_id = open_show(driver, show_index)
        # Two Classic seats: under FLAT50's ₹500 minimum on their own.
        availability = api("GET", f"/shows/{show_id}/availability")
        classic = next(c for c in availability["categories"] if c["name"] == "Classic")
        seats = [s for s in availability["seats"] if s["category_id"] == classic["id"] and s["kind"] == "standard"
                 and s["status"] == "available"][4:6]
        for seat in seats:
            click(driver, driver.find_element(By.CSS_SELECTOR, f'[data-testid="seat"][data-seat-id="{seat["id"]}"]'))
        click(driver, testid(driver, "hold-button"))
        wait(driver, lambda d: visible(d, "hold-countdown"), message="no checkout")
        seats_minor = 2 * classic["price_minor"]
        self.assertEqual(testid(driver, "running-total").text, rupees(seats_minor))
        self.assertIn(f"2 × Classic {rupees(classic['price_minor'])}", driver.find_element(By.ID, "checkout").text)

        # A code the subtotal does not reach yet: the reason in words, next to the promo code.
        testid(driver, "promo-input").send_keys("FLAT50")
        click(driver, testid(driver, "promo-apply"))
        message = wait(driver, lambda d: visible(d, "error-message"), message="no promo error")[0]
        self.assertEqual(message.text, "This promo code needs a subtotal of at least ₹500.00.")
        self.assertEqual(message.find_element(By.XPATH, "preceding-sibling::*[1]").tag_name, "form")

        # Food: the running total follows each change.
        item = wait(driver, lambda d: visible(d, "food-item"))[0]
        food = next(f for f in api("GET", "/food-items?limit=100")["items"] if f["id"] == item.get_attribute("data-food-id"))
        quantity = max(2, min(10, math.ceil((50_000 - seats_minor) / food["price_minor"])))
        field = item.find_element(By.CSS_SELECTOR, '[data-testid="food-qty"]')
        field.clear()
        field.send_keys(str(quantity))
        subtotal = seats_minor + quantity * food["price_minor"]
        wait(driver, lambda d: testid(d, "running-total").text == rupees(subtotal), message="no running total")

        # Apply: the discount is shown, and taken off the total, before Book.
        click(driver, testid(driver, "promo-apply"))
        wait(driver, lambda d: testid(d, "running-total").text == rupees(subtotal - 5_000), message="no discount")
        self.assertIn(f"FLAT50 applied: {rupees(5_000)} off.", driver.find_element(By.ID, "checkout").text)
        self.assertEqual(visible(driver, "error-message"), [])
        screenshot(driver, f"{prefix}order")

        click(driver, testid(driver, "book-button"))
        total = wait(driver, lambda d: visible(d, "price-total"), message="no breakdown")[0].text
        booking = api("GET", "/bookings?limit=1", token=token(*USER))["items"][0]
        self.assertEqual(booking["promo_code"], "FLAT50")
        self.assertEqual(booking["breakdown"]["taxable_minor"], subtotal - 5_000)
        self.assertEqual(total, rupees(booking["breakdown"]["total_minor"]))
        # Line items with their tax rates, as the booking's lines carry them.
        table = driver.find_element(By.CSS_SELECTOR, "#checkout table.breakdown").text
        seat_line = booking["seats"][0]
        self.assertIn(f"2 × Classic {rupees(seat_line['price_minor'])}", table)
        self.assertIn(f"CGST {seat_line['cgst_percent']:g}% + SGST {seat_line['sgst_percent']:g}%", table)
        food_line = booking["foods"][0]
        self.assertIn(f"{quantity} × {food_line['name']} {rupees(food_line['unit_price_minor'])}", table)
        self.assertIn(f"CGST {food_line['cgst_percent']:g}% + SGST {food_line['sgst_percent']:g}%", table)
        self.assertIn("Discount (FLAT50)", table)
        self.assertIn(rupees(-5_000), table)

        # The payment method chosen is the one paid with.
        click(driver, driver.find_element(By.CSS_SELECTOR, '[data-testid="pay-method"][value="card"]'))
        screenshot(driver, f"{prefix}pay")
        self.assertLessEqual(page_width(driver), driver.execute_script("return window.innerWidth"))
        click(driver, testid(driver, "pay-button"))
        reference = wait(driver, lambda d: visible(d, "booking-reference"), message="no reference")[0].text
        self.assertEqual(reference, booking["reference"])
        payment = api("GET", f"/payments?booking_id={booking['id']}", token=token(*USER))["items"][0]
        self.assertEqual((payment["method"], payment["status"]), ("card", "COMPLETED"))
        self.assertEqual(testid(driver, "price-total").text, total)
        screenshot(driver, f"{prefix}confirmation")
        # The browser logs the refused FLAT50 (409) as a failed resource; nothing else is allowed.
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
                  and not ("/discounts/validate" in e["message"] and "409" in e["message"])]
        self.assertEqual(errors, [])

    def test_running_total_promo_lines_and_method_1280(self):
        self.order(self.open(), "checkout-", 6)

    def test_running_total_promo_lines_and_method_390(self):
        self.order(self.open(390, 844), "checkout-phone-", 7)


# Problems as the API sends them, and what a person must not see in the words for them.
PROBLEMS = [
    (422, {"code": "validation_failed", "detail": "The request has invalid fields.",
           "errors": [{"field": "seat_ids", "message": "must name at least one seat"}]},
     "Choose at least one seat on the map first, or ask for the best seats."),
    (422, {"code": "validation_failed", "detail": "The request has invalid fields.",
           "errors": [{"field": "email", "message": "must be a valid email address"},
                      {"field": "phone", "message": "must be 7 to 15 digits, optionally starting with +"}]},
     "The email address must be a valid email address. The phone number must be 7 to 15 digits, optionally "
     "starting with +."),
    (422, {"code": "validation_failed", "errors": [{"field": "foods[0].quantity", "message": "only 2 Nachos left"}]},
     "Only 2 Nachos left."),
    (409, {"code": "below_min_subtotal", "detail": "This promo code needs a subtotal of at least 50000 paise."},
     "This promo code needs a subtotal of at least ₹500.00."),
    (409, {"code": "hold_expired", "detail": "The seat hold has expired or was released; hold the seats again."},
     "Your hold on these seats has ended. Hold them again to book."),
    (401, {"code": "token_expired", "detail": "token expired"}, "Your session has ended. Please sign in again."),
    (500, {"code": "internal_error", "detail": "The server could not complete the request."}, None),
    (502, None, None),
    (400, {"code": "error", "detail": "bad thing"}, None),
    (409, {"code": "seats_unavailable", "detail": "Seat(s) A1, A2 are held or booked by someone else."},
     "Seat(s) A1, A2 are held or booked by someone else."),
]


class CheckoutErrors(BrowserTest):
    """Item 9: the API's problems in words for people, in one place (api.js) used by every page."""

    def errors(self, driver, show_index):
        # The mapping itself, as the page runs it.
        driver.get(f"{BASE}/#/signin")
        wait(driver, lambda d: visible(d, "signin-email"))
        words = driver.execute_async_script(
            "const [problems, done] = arguments;"
            "import('/app/api.js').then((m) => done(problems.map(([s, p]) => new m.APIProblem(s, p).message)));",
            [[status, problem] for status, problem, _ in PROBLEMS])
        for (status, problem, expected), text in zip(PROBLEMS, words):
            self.assertRegex(text, SENTENCE, f"{status} {problem}")
            self.assertNotRegex(text, r"[a-z]_[a-z]|\w+: ", f"{status} {problem}")
            if expected:
                self.assertEqual(text, expected)

        # On the pages: a wrong password, then an unknown promo code, each next to its form.
        testid(driver, "signin-email").send_keys(USER[0])
        testid(driver, "signin-password").send_keys("not-the-password")
        testid(driver, "signin-submit").click()
        message = wait(driver, lambda d: visible(d, "error-message"))[0]
        self.assertEqual(message.text, "That email and password do not match an account. Check them and try again.")
        testid(driver, "signin-password").clear()
        testid(driver, "signin-password").send_keys(USER[1])
        testid(driver, "signin-submit").click()
        wait(driver, lambda d: visible(d, "my-bookings-link") and not visible(d, "signin-email"))
        open_show(driver, show_index)
        click(driver, testid(driver, "best-button"))
        wait(driver, lambda d: visible(d, "hold-countdown"))
        testid(driver, "promo-input").send_keys("NO-SUCH-CODE")
        click(driver, testid(driver, "promo-apply"))
        message = wait(driver, lambda d: visible(d, "error-message"))[0]
        self.assertEqual(message.text, "There is no such promo code. Check the spelling.")
        self.assertEqual(message.find_element(By.XPATH, "preceding-sibling::*[1]").tag_name, "form")
        self.assertLessEqual(page_width(driver), driver.execute_script("return window.innerWidth"))
        click(driver, testid(driver, "change-seats"))
        wait(driver, lambda d: not visible(d, "hold-countdown"))
        errors = [e for e in self.console(driver) if "Failed to load resource" not in e["message"]]
        self.assertEqual(errors, [])

    def console(self, driver):
        return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]

    def test_errors_read_as_sentences_1280(self):
        self.errors(self.open(), 8)

    def test_errors_read_as_sentences_390(self):
        self.errors(self.open(390, 844), 9)
