"""Browsing and the seat map in a real browser (issue 28, items 3, 4 and the seat map's half of 6): one card per movie
with its showtimes as buttons under a strip of the next seven days, the movie page, a seat map open to visitors that
asks them to sign in at Hold and keeps their choice, seats grouped under their category's price with states told
apart by more than colour, the per-customer cap stopped on the map, Hold off while a checkout is open, and coming back
to a show whose seats one still holds. Desktop (1280 px) and phone (390 px) widths; screenshots are `browse-*`.
Each test makes its own customer, so the tests run in any order and again against the same database."""
import datetime
import random
import re
import time
import unittest

from selenium.webdriver.common.by import By

from support import (BASE, TOMORROW, BrowserTest, api, rupees, screenshot, sign_in, testid, token, visible, wait)

SEAT_CAP = 10  # MAX_SEATS_PER_USER_PER_SHOW's default; scripts/web-tests does not set it


def stamp():
    return f"{int(time.time() * 1000)}{random.randint(100, 999)}"


def new_customer():
    email, password = f"browse{stamp()}@example.com", "browse-test-password"
    api("POST", "/users/signup", {"name": "Browse Test", "email": email, "phone": f"+91{stamp()[-10:]}",
                                  "password": password})
    return email, password


def shows_on(date, query=""):
    return api("GET", f"/shows?date={date}&limit=100{query}")["items"]


def on_sale_show(index):
    """One of tomorrow's shows on sale; the customer tests use the first four, these the next ones."""
    shows = sorted((s for s in shows_on(TOMORROW) if s["is_on_sale"]), key=lambda s: (s["show_time"], s["id"]))
    return shows[index % len(shows)]


def open_map(driver, show_id):
    driver.get(f"{BASE}/#/show/{show_id}")
    wait(driver, lambda d: visible(d, "seat"), message="no seat map")


def seat(driver, seat_id):
    return driver.find_element(By.CSS_SELECTOR, f'[data-testid="seat"][data-seat-id="{seat_id}"]')


def free_seats(driver):
    return [s for s in testid(driver, "seat", many=True) if s.get_attribute("data-status") == "available"]


def page_width(driver):
    return driver.execute_script("return document.documentElement.scrollWidth")


def style(driver, node, prop):
    return driver.execute_script("return getComputedStyle(arguments[0]).getPropertyValue(arguments[1])", node, prop)


def luminance(css):
    def channel(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (float(x) for x in re.findall(r"[\d.]+", css)[:3])
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def release_all(customer, show_id):
    for lock in api("GET", f"/seatlocks?show_id={show_id}", token=customer)["items"]:
        api("DELETE", f"/seatlocks/{lock['lock_id']}", token=customer)


class Browsing(BrowserTest):
    def check_movie_cards(self, driver, date):
        shows = shows_on(date)
        cards = wait(driver, lambda d: visible(d, "movie-card"), message="no movie cards")
        by_movie = {}
        for show in shows:
            by_movie.setdefault(show["movie"]["id"], []).append(show)
        # One card per movie, each with that movie's showtimes; a button for each show on sale.
        self.assertEqual(sorted(c.get_attribute("data-movie-id") for c in cards), sorted(by_movie))
        for card in cards:
            mine = by_movie[card.get_attribute("data-movie-id")]
            items = card.find_elements(By.CSS_SELECTOR, '[data-testid="show-card"]')
            self.assertEqual(sorted(i.get_attribute("data-show-id") for i in items), sorted(s["id"] for s in mine))
            buttons = card.find_elements(By.CSS_SELECTOR, '[data-testid="showtime"]')
            self.assertEqual(sorted(b.get_attribute("data-show-id") for b in buttons),
                             sorted(s["id"] for s in mine if s["is_on_sale"]))
            self.assertTrue(all(b.tag_name == "button" for b in buttons))
            self.assertIn(mine[0]["movie"]["title"], card.text)
        return cards

    def check_movie_page(self, driver, movie_id, date):
        movie = api("GET", f"/movies/{movie_id}")
        page = wait(driver, lambda d: visible(d, "movie-page"), message="no movie page")[0]
        self.assertEqual(page.get_attribute("data-movie-id"), movie_id)
        self.assertEqual(page.find_element(By.TAG_NAME, "h1").text, movie["title"])
        minutes = movie["duration_minutes"]
        self.assertIn(f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min", page.text)
        for genre in movie["genres"]:
            self.assertIn(genre, page.text)
        for person in movie["cast"]:
            self.assertIn(person["name"], page.text)
        if movie["description"]:
            self.assertEqual(page.find_element(By.CSS_SELECTOR, ".synopsis").text, movie["description"].strip())
        self.assertTrue(page.find_elements(By.CSS_SELECTOR, f'img.poster[alt="Poster of {movie["title"]}"], .poster.blank'))
        theirs = shows_on(date, f"&movie_id={movie_id}")
        self.assertEqual(sorted(n.get_attribute("data-show-id") for n in visible(driver, "show-card")),
                         sorted(s["id"] for s in theirs))

    def test_movie_cards_with_showtimes_a_seven_day_strip_and_the_movie_page(self):
        driver = self.open()
        driver.get(f"{BASE}/")
        strip = wait(driver, lambda d: visible(d, "date-strip"), message="no date strip")[0]
        days = strip.find_elements(By.CSS_SELECTOR, "a[data-date]")
        today = datetime.date.fromisoformat(TOMORROW) - datetime.timedelta(days=1)
        self.assertEqual([d.get_attribute("data-date") for d in days],
                         [(today + datetime.timedelta(days=n)).isoformat() for n in range(7)])
        self.assertEqual(days[0].get_attribute("aria-current"), "date")
        self.assertEqual([d.text.split("\n")[0] for d in days[:2]], ["Today", "Tomorrow"])
        days[1].click()
        wait(driver, lambda d: f"date={TOMORROW}" in d.current_url, message="the strip did not go to tomorrow")
        wait(driver, lambda d: testid(d, "date-strip").find_element(By.CSS_SELECTOR, '[aria-current="date"]')
             .get_attribute("data-date") == TOMORROW)
        self.assertEqual(testid(driver, "date-picker").get_attribute("value"), TOMORROW)
        cards = self.check_movie_cards(driver, TOMORROW)
        screenshot(driver, "browse-movies")

        # A movie with a showtime on sale (other modules' tests leave movies whose only show they cancelled).
        card = next(c for c in cards if c.find_elements(By.CSS_SELECTOR, '[data-testid="showtime"]'))
        movie_id = card.get_attribute("data-movie-id")
        card.find_element(By.CSS_SELECTOR, "h2 a").click()
        self.check_movie_page(driver, movie_id, TOMORROW)
        screenshot(driver, "browse-movie-page")
        # A showtime opens the seat map, signed out too.
        wait(driver, lambda d: visible(d, "showtime"))[0].click()
        wait(driver, lambda d: visible(d, "seat"), message="a visitor cannot see the seat map")
        self.assertEqual(visible(driver, "signin-email"), [])
        self.assertNoConsoleErrors(driver)

    def test_browsing_at_phone_width_390(self):
        driver = self.open(390, 844)
        driver.get(f"{BASE}/#/?date={TOMORROW}")
        cards = self.check_movie_cards(driver, TOMORROW)
        self.assertLessEqual(page_width(driver), 390, "the page scrolls sideways")
        strip = testid(driver, "date-strip")
        self.assertEqual(len(strip.find_elements(By.CSS_SELECTOR, "a[data-date]")), 7)
        screenshot(driver, "browse-phone-movies")
        movie_id = cards[-1].get_attribute("data-movie-id")
        cards[-1].find_element(By.CSS_SELECTOR, "h2 a").click()
        self.check_movie_page(driver, movie_id, TOMORROW)
        self.assertLessEqual(page_width(driver), 390, "the movie page scrolls sideways")
        screenshot(driver, "browse-phone-movie-page")
        self.assertNoConsoleErrors(driver)


class SeatMap(BrowserTest):
    def test_seats_by_category_with_prices_and_states_beyond_colour(self):
        show = on_sale_show(4)
        customer = token(*new_customer())
        lock = api("POST", "/seatlocks", {"show_id": show["id"], "best_available": {"count": 2}}, token=customer)
        held = lock["seat_ids"]
        self.addCleanup(release_all, customer, show["id"])
        booked_lock = api("POST", "/seatlocks", {"show_id": show["id"], "best_available": {"count": 1}}, token=customer)
        booking = api("POST", "/bookings", {"show_id": show["id"], "lock_id": booked_lock["lock_id"]}, token=customer)
        payment = api("POST", "/payments", {"booking_id": booking["id"], "method": "upi"}, token=customer)
        api("POST", payment["checkout"]["simulate_url"], {"outcome": "succeeded"}, token=customer)
        booked = [s["seat_id"] for s in booking["seats"]]
        driver = self.open()
        open_map(driver, show["id"])  # signed out
        availability = api("GET", f"/shows/{show['id']}/availability")
        categories = {c["id"]: c for c in availability["categories"]}
        # Each seat says its category; a heading over each block of rows gives the category's name and price.
        for s in availability["seats"]:
            self.assertEqual(seat(driver, s["id"]).get_attribute("data-category"), s["category_id"])
        headings = [" ".join(h.text.split()) for h in driver.find_elements(By.CSS_SELECTOR, ".seatmap h2.block")]
        self.assertEqual(sorted(headings), sorted(f"{c['name']} {rupees(c['price_minor'])}" for c in categories.values()))
        # Held and booked seats are no buttons and take no focus; each has its mark or pattern, not a colour alone.
        wait(driver, lambda d: all(seat(d, i).get_attribute("data-status") == "held" for i in held))
        for seat_id in held:
            node = seat(driver, seat_id)
            self.assertNotEqual(node.tag_name, "button")
            self.assertIsNone(node.get_attribute("tabindex"))
            self.assertIn("gradient", style(driver, node, "background-image"))
        for seat_id in booked:
            node = seat(driver, seat_id)
            self.assertEqual((node.get_attribute("data-status"), node.tag_name, node.text), ("booked", "span", "×"))
        self.assertEqual(len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="seat"][tabindex="0"]')), 1)
        self.assertTrue(all(s.tag_name == "button" for s in free_seats(driver)))
        # Categories outline free seats in colours of their own, each at least 3:1 on white.
        white = "rgb(255, 255, 255)"
        outlines = {}
        for s in free_seats(driver):
            outlines.setdefault(s.get_attribute("data-category"), style(driver, s, "border-top-color"))
        self.assertEqual(len(set(outlines.values())), len(outlines))
        for colour in outlines.values():
            self.assertGreaterEqual(contrast(colour, white), 3)
        # States against each other: free (white) against chosen, booked, yours, and the hatch of a held seat.
        chosen = free_seats(driver)[5]
        chosen.click()
        self.assertEqual(chosen.get_attribute("aria-pressed"), "true")
        swatches = {n.get_attribute("data-status") + ("+picked" if "picked" in n.get_attribute("class") else ""): n
                    for n in driver.find_elements(By.CSS_SELECTOR, ".seat-legend .swatch")}
        free_bg = style(driver, free_seats(driver)[0], "background-color")
        for state in ["available+picked", "held_by_you", "booked"]:
            self.assertGreaterEqual(contrast(free_bg, style(driver, swatches[state], "background-color")), 3, state)
        self.assertGreaterEqual(contrast(free_bg, style(driver, seat(driver, held[0]), "border-top-color")), 3)
        self.assertEqual(swatches["booked"].text, "×")
        self.assertEqual(swatches["held_by_you"].text, "✓")
        screenshot(driver, "browse-seat-map")
        api("POST", f"/bookings/{booking['id']}/cancel", {}, token=customer)
        self.assertNoConsoleErrors(driver)

    def test_phone_zooms_and_scrolls_the_map_and_a_visitor_signs_in_at_hold(self):
        show = on_sale_show(5)
        email, password = new_customer()
        driver = self.open(390, 844)
        open_map(driver, show["id"])
        self.assertLessEqual(page_width(driver), 390, "the page scrolls sideways; only the seat map may")
        before = free_seats(driver)[0].size["width"]
        larger = driver.find_element(By.CSS_SELECTOR, 'button[aria-label="Larger seats"]')
        larger.click()
        larger.click()
        self.assertGreater(free_seats(driver)[0].size["width"], before)
        scroller = driver.find_element(By.CSS_SELECTOR, ".seat-scroll")
        self.assertGreater(driver.execute_script("return arguments[0].scrollWidth - arguments[0].clientWidth", scroller), 0)
        self.assertLessEqual(page_width(driver), 390)
        driver.find_element(By.CSS_SELECTOR, 'button[aria-label="Smaller seats"]').click()
        screenshot(driver, "browse-phone-seat-map")
        # A visitor chooses, presses Hold, signs in, and is back on the map with the same seats chosen.
        picks = [s.get_attribute("data-seat-id") for s in free_seats(driver)[40:42]]
        for seat_id in picks:
            seat(driver, seat_id).click()
        testid(driver, "hold-button").click()
        wait(driver, lambda d: visible(d, "signin-email"), message="Hold did not ask to sign in")
        testid(driver, "signin-email").send_keys(email)
        testid(driver, "signin-password").send_keys(password)
        testid(driver, "signin-submit").click()
        wait(driver, lambda d: [seat(d, i).get_attribute("aria-pressed") for i in picks] == ["true", "true"],
             message="the chosen seats did not come back after signing in")
        customer = token(email, password)
        self.addCleanup(release_all, customer, show["id"])
        testid(driver, "hold-button").click()
        wait(driver, lambda d: visible(d, "hold-countdown"), message="no hold after signing in")
        self.assertEqual([seat(driver, i).get_attribute("data-status") for i in picks], ["held_by_you"] * 2)
        self.assertNoConsoleErrors(driver)


class HoldRules(BrowserTest):
    def test_the_cap_is_kept_on_the_map_and_hold_is_off_during_checkout(self):
        show = on_sale_show(6)
        email, password = new_customer()
        self.addCleanup(lambda: release_all(token(email, password), show["id"]))
        driver = self.open()
        sign_in(driver, email, password)
        open_map(driver, show["id"])
        seats = free_seats(driver)[20:20 + SEAT_CAP + 1]
        for node in seats:
            node.click()
        self.assertEqual([n.get_attribute("aria-pressed") for n in seats], ["true"] * SEAT_CAP + ["false"])
        limit = wait(driver, lambda d: visible(d, "seat-limit"), message="no word about the cap")[0]
        self.assertIn(f"At most {SEAT_CAP} seats", limit.text)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", limit)
        screenshot(driver, "browse-seat-cap")
        for node in seats[2:SEAT_CAP]:
            node.click()
        self.assertEqual(len([s for s in free_seats(driver) if s.get_attribute("aria-pressed") == "true"]), 2)
        testid(driver, "hold-button").click()
        wait(driver, lambda d: visible(d, "hold-countdown"), message="no checkout")
        wait(driver, lambda d: not testid(d, "hold-button").is_enabled() and not testid(d, "best-button").is_enabled(),
             message="Hold stays on during the checkout")
        testid(driver, "change-seats").click()
        wait(driver, lambda d: testid(d, "hold-button").is_enabled() and testid(d, "best-button").is_enabled(),
             message="Hold stays off after the checkout closed")
        self.assertNoConsoleErrors(driver)

    def test_coming_back_offers_the_seats_still_held_at_phone_width(self):
        show = on_sale_show(7)
        email, password = new_customer()
        customer = token(email, password)
        self.addCleanup(release_all, customer, show["id"])
        driver = self.open(390, 844)
        sign_in(driver, email, password)
        open_map(driver, show["id"])
        testid(driver, "best-button").click()
        wait(driver, lambda d: visible(d, "hold-countdown"), message="no hold")
        lock = api("GET", f"/seatlocks?show_id={show['id']}", token=customer)["items"][0]
        labels = ", ".join(s["label"] for s in lock["seats"])
        # Away to the movies and back: the seats are still held, and the page offers them.
        driver.get(f"{BASE}/#/?date={TOMORROW}")
        wait(driver, lambda d: visible(d, "movie-card"))
        open_map(driver, show["id"])
        offer = wait(driver, lambda d: visible(d, "resume-hold"), message="no offer to continue")[0]
        self.assertIn(labels, offer.text)
        self.assertEqual([seat(driver, i).get_attribute("data-status") for i in lock["seat_ids"]], ["held_by_you"] * 2)
        self.assertLessEqual(page_width(driver), 390)
        screenshot(driver, "browse-phone-resume")
        testid(driver, "resume-continue").click()
        wait(driver, lambda d: visible(d, "hold-countdown"), message="continue did not open the checkout")
        self.assertEqual(visible(driver, "resume-hold"), [])
        # Away and back again, and this time let them go.
        driver.get(f"{BASE}/#/?date={TOMORROW}")
        wait(driver, lambda d: visible(d, "movie-card"))
        open_map(driver, show["id"])
        wait(driver, lambda d: visible(d, "resume-release"))[0].click()
        wait(driver, lambda d: not visible(d, "resume-hold") and
             [seat(d, i).get_attribute("data-status") for i in lock["seat_ids"]] == ["available"] * 2,
             message="the seats were not let go")
        self.assertEqual(api("GET", f"/seatlocks?show_id={show['id']}", token=customer)["items"], [])
        self.assertNoConsoleErrors(driver)


if __name__ == "__main__":
    unittest.main()
