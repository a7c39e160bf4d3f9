"""The customer pages in a real browser (headless Chromium): sign up, book and pay while a second session watches
the seats turn held then booked, cancel with the refund shown, keyboard-only seat selection, a phone-width
viewport, and errors shown in words. Run by scripts/web-tests against a seeded server."""
import random
import time
import unittest
import urllib.error

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

from support import (BASE, TOMORROW, USER, BrowserTest, api, console_errors, rupees, screenshot, sign_in, testid,
                     visible, wait)


def open_first_show(driver, index=0):
    """Opens the seat map of one of tomorrow's shows; returns its id."""
    driver.get(f"{BASE}/#/?date={TOMORROW}")
    # The page draws the picker and the cards together: once the picker shows tomorrow, so do the cards.
    wait(driver, lambda d: testid(d, "date-picker").get_attribute("value") == TOMORROW, message="not tomorrow's shows")
    # Only shows on sale have a button (the admin tests may have cancelled one of the day's shows).
    cards = wait(driver, lambda d: [c for c in visible(d, "show-card") if c.find_elements(By.TAG_NAME, "button")],
                 message="no show on sale")
    card = cards[index % len(cards)]
    show_id = card.get_attribute("data-show-id")
    card.find_element(By.TAG_NAME, "button").click()
    wait(driver, lambda d: visible(d, "seat"), message="no seat map")
    return show_id


def available(driver):
    return [s for s in testid(driver, "seat", many=True) if s.get_attribute("data-status") == "available"]


def seat_status(driver, seat_id):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="seat"][data-seat-id="{seat_id}"]').get_attribute("data-status")


def refresh_cookie(driver):
    """The refresh cookie as the browser keeps it (WebDriver lists only the cookies of the page's own path)."""
    cookies = driver.execute_cdp_cmd("Network.getCookies", {"urls": [f"{BASE}/users/refresh"]})["cookies"]
    return next((c for c in cookies if c["name"] == "bx_refresh"), None)


def access_token(driver):
    """The page's access token: it lives in the api.js module only (importing it again gives the page's instance)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "import('/app/api.js').then((m) => done(m.session.access), () => done(null));")


class CustomerFlow(BrowserTest):
    def test_sign_up_book_and_pay_while_another_session_watches_then_cancel_with_refund(self):
        customer, watcher = self.open(), self.open()
        # Sign up through the page.
        customer.get(f"{BASE}/#/signin")
        wait(customer, lambda d: visible(d, "signup-link"))[0].click()
        stamp = f"{int(time.time() * 1000)}{random.randint(100, 999)}"
        testid(customer, "signup-name").send_keys("Browser Customer")
        testid(customer, "signup-email").send_keys(f"web{stamp}@example.com")
        testid(customer, "signup-phone").send_keys(f"+9198{stamp[-8:]}")
        testid(customer, "signup-password").send_keys("a-long-browser-password")
        testid(customer, "signup-submit").click()
        # Signed in: the header says so. (Not today's show cards: late in the cinema's evening there are none left.)
        wait(customer, lambda d: visible(d, "my-bookings-link"), message="not signed in after signing up")
        screenshot(customer, "shows")

        show_id = open_first_show(customer, 0)
        seats = available(customer)[30:32]
        seat_ids = [s.get_attribute("data-seat-id") for s in seats]

        # A second session watches the same show.
        sign_in(watcher, *USER)
        watcher.get(f"{BASE}/#/show/{show_id}")
        wait(watcher, lambda d: visible(d, "seat"))
        time.sleep(0.5)  # its socket subscribes when it opens

        for seat in seats:
            seat.click()
        testid(customer, "hold-button").click()
        wait(customer, lambda d: testid(d, "hold-countdown").text.startswith("Held for"), message="no countdown")
        held_at = time.monotonic()
        self.assertEqual([seat_status(customer, i) for i in seat_ids], ["held_by_you"] * 2)
        # The issue asks for "within a second"; the bound leaves room for a loaded CI machine, the figure is printed.
        wait(watcher, lambda d: [seat_status(d, i) for i in seat_ids] == ["held"] * 2, seconds=3,
             message="the watcher never saw the seats held")
        print(f"\n  the watcher saw the hold {time.monotonic() - held_at:.2f} s after the customer's page did", end=" ")

        quantity = wait(customer, lambda d: visible(d, "food-item"))[0].find_element(By.CSS_SELECTOR, '[data-testid="food-qty"]')
        quantity.clear()
        quantity.send_keys("2")
        testid(customer, "promo-input").send_keys("WELCOME10")
        screenshot(customer, "checkout")
        testid(customer, "book-button").click()
        total = wait(customer, lambda d: visible(d, "price-total"), message="no total")[0].text

        token = access_token(customer)
        booking = api("GET", "/bookings?limit=1", token=token)["items"][0]
        self.assertEqual(booking["promo_code"], "WELCOME10")
        self.assertGreater(booking["breakdown"]["discount_minor"], 0)
        self.assertEqual(len(booking["foods"]), 1)
        self.assertEqual(total, rupees(booking['breakdown']['total_minor']))

        testid(customer, "pay-button").click()
        reference = wait(customer, lambda d: visible(d, "booking-reference"), message="no reference")[0].text
        self.assertEqual(reference, booking["reference"])
        self.assertEqual(api("GET", f"/bookings/{booking['id']}", token=token)["status"], "CONFIRMED")
        wait(watcher, lambda d: [seat_status(d, i) for i in seat_ids] == ["booked"] * 2, seconds=3,
             message="the watcher never saw the seats booked")
        screenshot(customer, "confirmation")
        screenshot(watcher, "seat-map-live")
        wait(customer, lambda d: testid(d, "notification-bell").get_attribute("data-unread") != "0", seconds=5,
             message="the bell never counted the confirmation")

        # My bookings: cancel, and the refund the policy gives is shown.
        testid(customer, "my-bookings-link").click()
        card = wait(customer, lambda d: d.find_element(By.CSS_SELECTOR, f'[data-booking-id="{booking["id"]}"]'))
        card.find_element(By.CSS_SELECTOR, '[data-testid="cancel-booking"]').click()
        # Asked first, with the refund the policy gives; nothing is cancelled until confirmed.
        wait(customer, lambda d: visible(d, "refund-quote"), message="no refund quote")
        self.assertEqual(api("GET", f"/bookings/{booking['id']}", token=token)["status"], "CONFIRMED")
        testid(customer, "cancel-confirm").click()
        refund = wait(customer, lambda d: [n for n in card.find_elements(By.CSS_SELECTOR, '[data-testid="refund-amount"]')
                                           if "Refund" in n.text])[0].text
        payment = api("GET", f"/payments?booking_id={booking['id']}", token=token)["items"][0]
        self.assertGreater(payment["refunded_minor"], 0)
        self.assertIn(rupees(payment['refunded_minor']), refund)
        self.assertEqual(api("GET", f"/bookings/{booking['id']}", token=token)["status"], "CANCELLED")
        screenshot(customer, "my-bookings")
        wait(watcher, lambda d: [seat_status(d, i) for i in seat_ids] == ["available"] * 2, seconds=3,
             message="the watcher never saw the seats freed")
        self.assertNoConsoleErrors(customer, watcher)

    def test_keyboard_only_seat_selection(self):
        driver = self.open()
        sign_in(driver, *USER)
        open_first_show(driver, 1)
        first = testid(driver, "seat")
        # Tab from the page into the map: the map is a single tab stop.
        driver.find_element(By.TAG_NAME, "body").click()
        for _ in range(40):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if driver.switch_to.active_element.get_attribute("data-testid") == "seat":
                break
        focused = driver.switch_to.active_element
        self.assertEqual(focused.get_attribute("data-seat-id"), first.get_attribute("data-seat-id"))
        self.assertRegex(focused.get_attribute("aria-label"), r"^Seat [A-Z]+\d+, \w+, ₹[\d.]+")
        # Move to a free seat in the middle with the arrows, choose two with Enter and Space.
        ActionChains(driver).send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_RIGHT).perform()
        while driver.switch_to.active_element.get_attribute("data-status") != "available":
            ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
        chosen = [driver.switch_to.active_element.get_attribute("data-seat-id")]
        ActionChains(driver).send_keys(Keys.ENTER, Keys.ARROW_RIGHT).perform()
        while driver.switch_to.active_element.get_attribute("data-status") != "available":
            ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
        chosen.append(driver.switch_to.active_element.get_attribute("data-seat-id"))
        ActionChains(driver).send_keys(Keys.SPACE).perform()
        for seat_id in chosen:
            seat = driver.find_element(By.CSS_SELECTOR, f'[data-seat-id="{seat_id}"]')
            self.assertEqual(seat.get_attribute("aria-pressed"), "true")
            self.assertIn("chosen", seat.get_attribute("aria-label"))
        # Tab to the hold button and press Enter.
        for _ in range(5):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if driver.switch_to.active_element.get_attribute("data-testid") == "hold-button":
                break
        self.assertEqual(driver.switch_to.active_element.get_attribute("data-testid"), "hold-button")
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        wait(driver, lambda d: visible(d, "hold-countdown"), message="keyboard hold failed")
        self.assertEqual([seat_status(driver, i) for i in chosen], ["held_by_you"] * 2)
        screenshot(driver, "seat-map-keyboard")
        self.assertNoConsoleErrors(driver)

    def test_tokens_are_refreshed_before_they_expire_and_sign_out_ends_the_session(self):
        driver = self.open()
        sign_in(driver, *USER)
        wait(driver, lambda d: visible(d, "my-bookings-link"))
        before = access_token(driver)
        self.assertTrue(before)
        # No token where a script could read it later: not in storage, and the refresh cookie is HttpOnly.
        stored = driver.execute_script("return JSON.stringify(Object.assign({}, localStorage, sessionStorage))")
        self.assertNotIn(before, stored)
        self.assertNotIn("bx.refresh", stored)
        self.assertNotIn("bx_refresh", driver.execute_script("return document.cookie"))
        cookie = refresh_cookie(driver)
        self.assertIsNotNone(cookie, "no refresh cookie")
        self.assertEqual((cookie["httpOnly"], cookie["secure"], cookie["path"], cookie.get("sameSite")),
                         (True, True, "/users/refresh", "Strict"))
        # Pretend the access token has 30 s left: the page renews it before its next call (or within 20 s idle).
        driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "import('/app/api.js').then((m) => { m.session.save({ access_token: m.session.access, expires_in: 30 }); done(); });")
        testid(driver, "my-bookings-link").click()
        wait(driver, lambda d: access_token(d) not in (before, None), seconds=25, message="the token was never refreshed")
        after = access_token(driver)
        self.assertNotEqual(refresh_cookie(driver)["value"], cookie["value"], "the cookie was not rotated")
        self.assertEqual(api("GET", "/users/me", token=after)["email"], USER[0])
        wait(driver, lambda d: visible(d, "my-bookings"))
        # A reload forgets the access token; the cookie brings the session back.
        driver.refresh()
        wait(driver, lambda d: visible(d, "my-bookings-link"), message="signed out by a reload")
        reloaded = access_token(driver)
        self.assertNotIn(reloaded, (None, after))
        # Sign out: the page forgets the token, the cookie is gone, and the API refuses the token it had.
        driver.find_element(By.ID, "nav-signout").click()
        wait(driver, lambda d: access_token(d) is None, message="still signed in")
        wait(driver, lambda d: refresh_cookie(d) is None, message="the refresh cookie outlived sign-out")
        with self.assertRaises(urllib.error.HTTPError) as refused:
            api("GET", "/users/me", token=reloaded)
        self.assertEqual(refused.exception.code, 401)
        driver.refresh()
        wait(driver, lambda d: d.find_element(By.ID, "nav-signin").is_displayed(), message="signed in again after signing out")
        errors = [e for e in console_errors(driver) if "Failed to load resource" not in e["message"]]
        self.assertEqual(errors, [])

    def test_phone_width_390(self):
        driver = self.open(390, 844)
        sign_in(driver, *USER)
        driver.get(f"{BASE}/#/?date={TOMORROW}")
        wait(driver, lambda d: testid(d, "date-picker").get_attribute("value") == TOMORROW)
        wait(driver, lambda d: visible(d, "show-card"))
        page_width = lambda d: d.execute_script("return document.documentElement.scrollWidth")
        self.assertLessEqual(page_width(driver), 390)
        screenshot(driver, "phone-shows")
        open_first_show(driver, 2)
        self.assertLessEqual(page_width(driver), 390, "the page scrolls sideways; only the seat map may")
        screenshot(driver, "phone-seat-map")
        testid(driver, "best-button").click()
        wait(driver, lambda d: visible(d, "hold-countdown"), message="best seats hold failed at 390 px")
        self.assertEqual(len([s for s in testid(driver, "seat", many=True) if s.get_attribute("data-status") == "held_by_you"]), 2)
        self.assertTrue(testid(driver, "book-button").is_displayed())
        screenshot(driver, "phone-checkout")
        self.assertNoConsoleErrors(driver)

    def test_api_errors_are_shown_in_words_next_to_their_cause(self):
        driver = self.open()
        driver.get(f"{BASE}/#/signin")
        wait(driver, lambda d: visible(d, "signin-email"))[0].send_keys(USER[0])
        testid(driver, "signin-password").send_keys("not-the-password")
        testid(driver, "signin-submit").click()
        message = wait(driver, lambda d: visible(d, "error-message"))[0]
        self.assertTrue(message.text.strip())
        self.assertEqual(message.find_element(By.XPATH, "preceding-sibling::*[1]").tag_name, "form")

        testid(driver, "signin-password").clear()
        testid(driver, "signin-password").send_keys(USER[1])
        testid(driver, "signin-submit").click()
        wait(driver, lambda d: visible(d, "my-bookings-link"))
        open_first_show(driver, 3)
        testid(driver, "hold-button").click()  # nothing chosen
        message = wait(driver, lambda d: visible(d, "error-message"))[0]
        self.assertTrue(message.text.strip())
        testid(driver, "best-button").click()
        wait(driver, lambda d: visible(d, "hold-countdown"))
        self.assertEqual(visible(driver, "error-message"), [])
        testid(driver, "promo-input").send_keys("NO-SUCH-CODE")
        testid(driver, "book-button").click()
        message = wait(driver, lambda d: visible(d, "error-message"))[0]
        self.assertTrue(message.text.strip())
        # Nothing was booked: the failed request changed nothing.
        self.assertEqual(visible(driver, "pay-button"), [])
        # Console errors: the browser logs failed fetches (4xx) as network errors; nothing else is allowed.
        errors = [e for e in console_errors(driver) if "Failed to load resource" not in e["message"]]
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
