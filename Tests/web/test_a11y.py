"""Accessibility of every page, desktop (1280 px) and phone (390 px): axe-core finds no serious or critical violation
on any customer page (shows, movie, seat map, checkout, payment, confirmation, notifications, bookings, booking,
ticket, sign-in, sign-up) or staff page (each section of /admin, and a movie's form, a screen's layout, a show's prices
and seats); only status lines are live regions; a skip link leads to the main area; the bell's name carries the unread
count; the focus moves to the checkout after Hold; on a phone every control is at least 44 × 44 px (the seats excepted:
the map zooms); and every seat state stands out from the page at 3:1. Run by scripts/web-tests."""
import random
import re
import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from support import (ADMIN, BASE, TOMORROW, USER, BrowserTest, api, assert_accessible, screenshot, sign_in, testid,
                     visible, wait)

PHONE, DESKTOP = (390, 844), (1280, 900)
SEAT_STATES = ["available", "held", "held_by_you", "booked", "unavailable"]

# Live regions that hold a control are more than a status line: the whole region would be read out on each change.
LIVE_REGIONS_WITH_CONTROLS = """
const live = document.querySelectorAll(
  '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"], [role="marquee"]');
return [...live]
  .filter((n) => n.matches("body, main, section, article, form") ||
                 n.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])'))
  .map((n) => n.outerHTML.slice(0, 140));
"""

# The controls a finger must hit, smaller than 44 × 44 CSS px. Exempt: the seats (the map has its own zoom), a link
# inside a sentence, and what is not drawn. A checkbox or a hidden file input counts as its label, which clicks it.
SMALL_TARGETS = """
const small = [];
const controls = document.querySelectorAll(
  'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex="0"]');
for (const node of controls) {
  if (node.closest('[data-testid="seat"]')) continue;
  const style = getComputedStyle(node);
  if (style.visibility === "hidden" || node.closest("[hidden]")) continue;
  const parent = node.parentElement;
  if (node.matches("a") && style.display === "inline" && parent.matches("p, li, dd, td, small, span") &&
      parent.textContent.trim() !== node.textContent.trim()) continue;
  // An input's label takes the click too: the larger of the two counts.
  const boxes = [node, node.matches("input") && node.closest("label")].filter(Boolean).map((n) => n.getBoundingClientRect());
  const box = boxes.reduce((a, b) => (Math.min(b.width, b.height) > Math.min(a.width, a.height) ? b : a));
  if (box.width === 0 || box.height === 0) continue;
  if (box.width < 43.5 || box.height < 43.5) {
    const name = (node.getAttribute("aria-label") || node.textContent || node.name || "").trim().slice(0, 30);
    const hook = node.dataset.testid ? `[data-testid="${node.dataset.testid}"]` : node.className ? `.${node.className}` : "";
    small.push(`${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ""}${hook} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
}
return small;
"""

# Each seat state as the page draws it: the legend's swatches (same CSS, same marks as the map) when there is a legend,
# else a clone of a seat set to each state. Measured: fill, border, mark (its text) and its colour, pattern.
SEAT_STYLES = """
const seat = document.querySelector('[data-testid="seat"]');
const opaque = (node) => {
  for (; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== "transparent" && !/rgba\\(.*, 0\\)$/.test(bg)) return bg;
  }
  return "rgb(255, 255, 255)";
};
const measure = (node) => {
  const s = getComputedStyle(node);
  return {
    background: s.backgroundColor, color: s.color, image: s.backgroundImage, text: node.textContent.trim(),
    borderStyle: s.borderTopStyle, borderWidth: parseFloat(s.borderTopWidth), borderColor: s.borderTopColor,
    before: getComputedStyle(node, "::before").content, after: getComputedStyle(node, "::after").content,
    backdrop: opaque(node.parentElement),
  };
};
const states = {};
const legend = [...document.querySelectorAll('.seat-legend .seat[data-status], .legend .seat[data-status]')];
for (const swatch of legend) {
  const status = swatch.dataset.status;
  const cat = [...swatch.classList].find((c) => c.startsWith("cat-"));
  const name = swatch.classList.contains("picked") ? "chosen" : status === "available" && cat ? `available ${cat}` : status;
  states[name] = measure(swatch);
}
if (!legend.length) {
  for (const [name, status, chosen] of arguments[0]) {
    const probe = seat.cloneNode(true);
    probe.removeAttribute("data-testid");
    probe.dataset.status = status;
    probe.classList.toggle("picked", chosen);
    seat.parentElement.append(probe);
    states[name] = measure(probe);
    probe.remove();
  }
}
return { page: opaque(seat.parentElement), states, fromLegend: legend.length > 0 };
"""


def rgb(css):
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return numbers[:3], (numbers[3] if len(numbers) > 3 else 1.0)


def over(css, backdrop):
    """The colour `css` (maybe translucent) as seen over the opaque `backdrop`."""
    (r, g, b), alpha = rgb(css)
    base, _ = rgb(backdrop)
    return [alpha * c + (1 - alpha) * d for c, d in zip((r, g, b), base)]


def luminance(channels):
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def settle(driver, seconds=5):
    """Waits until the page stops changing (the view drew its data) for 0.3 s."""
    end, last = time.monotonic() + seconds, None
    while time.monotonic() < end:
        now = driver.execute_script("return document.body.innerHTML.length + ':' + location.hash")
        if now == last:
            return
        last = now
        time.sleep(0.3)


class Accessibility(BrowserTest):
    def check(self, driver, where):
        """axe, the live regions and (on a phone) the touch targets of the page as it is now."""
        settle(driver)
        assert_accessible(driver, where)
        self.assertIsNone(driver.find_element(By.TAG_NAME, "main").get_attribute("aria-live"), where)
        self.assertEqual(driver.execute_script(LIVE_REGIONS_WITH_CONTROLS), [], f"live regions beyond a line: {where}")
        if driver.execute_script("return innerWidth") <= 480:
            self.assertEqual(driver.execute_script(SMALL_TARGETS), [], f"touch targets under 44 px: {where}")

    def check_skip_link(self, driver, where):
        """After a load, the first Tab shows the skip link; Enter moves the focus to the main area and leaves the
        address alone."""
        driver.refresh()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#view h1"), message=f"{where} not drawn again")
        address = driver.current_url
        ActionChains(driver).send_keys(Keys.TAB).perform()
        link = driver.switch_to.active_element
        self.assertEqual(link.get_attribute("class"), "skip-link", f"the first Tab is not the skip link: {where}")
        self.assertGreaterEqual(link.rect["y"], 0, f"the focused skip link is off screen: {where}")
        if where == "shows":
            screenshot(driver, f"a11y-skip-link-{driver.execute_script('return innerWidth')}")
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        self.assertEqual(driver.switch_to.active_element.tag_name, "main", where)
        self.assertEqual(driver.current_url, address, where)

    def customer_pages(self, size):
        driver = self.open(*size)
        tag = "phone" if size == PHONE else "desktop"
        driver.get(f"{BASE}/#/")
        wait(driver, lambda d: visible(d, "date-picker"), message="no shows page")
        self.check(driver, "shows, signed out")
        self.check_skip_link(driver, "shows")
        driver.get(f"{BASE}/#/signin")
        wait(driver, lambda d: visible(d, "signin-email"))
        self.check(driver, "sign-in")
        testid(driver, "signup-link").click()
        wait(driver, lambda d: visible(d, "signup-name"))
        self.check(driver, "sign-up")
        stamp = f"{int(time.time() * 1000)}{random.randint(100, 999)}"
        testid(driver, "signup-name").send_keys("Axe Customer")
        testid(driver, "signup-email").send_keys(f"a11y{stamp}@example.com")
        testid(driver, "signup-phone").send_keys(f"+9197{stamp[-8:]}")
        testid(driver, "signup-password").send_keys("a-long-a11y-password")
        testid(driver, "signup-submit").click()
        wait(driver, lambda d: visible(d, "my-bookings-link"), message="not signed in after signing up")
        self.assertFalse(driver.find_element(By.ID, "nav-signin").is_displayed(), "a hidden header button shows")

        driver.get(f"{BASE}/#/?date={TOMORROW}")
        wait(driver, lambda d: testid(d, "date-picker").get_attribute("value") == TOMORROW)
        on_sale = wait(driver, lambda d: [c.get_attribute("data-show-id") for c in visible(d, "show-card")
                                          if c.find_elements(By.TAG_NAME, "button")], message="no show on sale")
        self.check(driver, "shows")
        show_id = on_sale[(5 if tag == "phone" else 4) % len(on_sale)]
        movies = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, '#view a[href^="#/movie/"]')]
        if movies:
            driver.get(movies[0])
            wait(driver, lambda d: visible(d, "movie-page"), message="no movie page")
            self.check(driver, "movie")

        driver.get(f"{BASE}/#/show/{show_id}")
        wait(driver, lambda d: visible(d, "seat"), message="no seat map")
        self.check(driver, "seat map")
        if tag == "phone":
            testid(driver, "best-button").click()
        else:  # two seats chosen, then Hold
            free = [s for s in visible(driver, "seat") if s.get_attribute("data-status") == "available"]
            for seat in free[20:22]:
                seat.click()
            testid(driver, "hold-button").click()
        wait(driver, lambda d: visible(d, "hold-countdown"), message="no hold")
        focused = driver.execute_script("""
            const active = document.activeElement, book = document.querySelector('[data-testid="book-button"]');
            const box = active.closest('section, form, [role="region"], [role="dialog"]');
            return active !== document.body && !!box && box.tagName !== "MAIN" && !!book && box.contains(book);""")
        self.assertTrue(focused, "the focus did not move to the checkout after Hold")
        self.check(driver, "checkout")
        testid(driver, "book-button").click()
        wait(driver, lambda d: visible(d, "pay-button"), message="no payment step")
        self.check(driver, "payment")
        testid(driver, "pay-button").click()
        wait(driver, lambda d: visible(d, "booking-reference"), message="no confirmation")
        self.check(driver, "confirmation")

        bell = testid(driver, "notification-bell")
        wait(driver, lambda d: bell.get_attribute("data-unread") != "0", seconds=5, message="no unread notification")
        unread = bell.get_attribute("data-unread")
        self.assertIn(f"{unread} unread", bell.get_attribute("aria-label"))
        bell.click()
        wait(driver, lambda d: visible(d, "notifications"), message="no notifications page")
        self.check(driver, "notifications")
        testid(driver, "my-bookings-link").click()
        card = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="my-bookings"] [data-booking-id]'),
                    message="no booking listed")[0]
        booking_id = card.get_attribute("data-booking-id")
        self.check(driver, "my bookings")
        driver.get(f"{BASE}/#/booking/{booking_id}")
        wait(driver, lambda d: visible(d, "booking-movie"), message="no booking page")
        self.check(driver, "booking")
        driver.get(f"{BASE}/#/ticket/{booking_id}")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="ticket-qr"] canvas'), message="no QR")
        self.check(driver, "ticket")
        self.assertNoConsoleErrors(driver)

    def staff_pages(self, size):
        driver = self.open(*size)
        driver.get(f"{BASE}/admin#/signin")
        wait(driver, lambda d: visible(d, "signin-email"))
        self.check(driver, "staff sign-in")
        sign_in(driver, *ADMIN, page="/admin")
        sections = ["movies", "screens", "schedule", "promos", "refunds", "reports", "door"]
        for section in sections:
            link = wait(driver, lambda d: visible(d, f"nav-{section}"), message=f"no {section} link")[0]
            self.drawn(driver, link.click, section)
            self.check(driver, f"staff {section}")
            if section == "movies":
                self.check_skip_link(driver, "staff movies")
        # One page of each kind behind the sections: a movie's form, a screen's layout, a show's prices and seats.
        def first_link(section, selector):
            driver.get(f"{BASE}/admin#/{section}")
            links = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"#view {selector}"),
                         message=f"no {selector} on {section}")
            return links[0].get_attribute("href").split("#", 1)[1]

        show = api("GET", f"/shows?date={TOMORROW}&limit=1")["items"][0]["id"]
        for address in [first_link("movies", 'a[href^="#/movies/"]:not([href$="/new"])'),
                        first_link("screens", 'a[href^="#/screens/"]'), f"/prices/{show}",
                        f"/seats/{show}"]:
            self.drawn(driver, lambda: driver.get(f"{BASE}/admin#{address}"), address)
            self.check(driver, f"staff {address}")
        self.assertNoConsoleErrors(driver)

    def drawn(self, driver, navigate, where):
        """Navigates, then waits for the next view's heading (a new h1, not the last page's, which is marked)."""
        driver.execute_script("const h = document.querySelector('#view h1'); if (h) h.dataset.a11yOld = '';")
        navigate()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#view h1:not([data-a11y-old])"),
             message=f"no page for {where}")

    def test_customer_pages_at_1280(self):
        self.customer_pages(DESKTOP)

    def test_customer_pages_at_390(self):
        self.customer_pages(PHONE)

    def test_staff_pages_at_1280(self):
        self.staff_pages(DESKTOP)

    def test_staff_pages_at_390(self):
        self.staff_pages(PHONE)

    def test_seat_states_stand_out(self):
        """Each seat state stands out from the page at 3:1 or more (its fill, or its border of 2 px or more), its mark
        (✓, ×, the number) from its fill at 4.5:1; two states whose fills differ less than 3:1 must differ by more
        than colour (a mark, a pattern, a border style). The figures are printed."""
        for size in (DESKTOP, PHONE):
            driver = self.open(*size)
            sign_in(driver, *USER)
            show = api("GET", f"/shows?date={TOMORROW}&limit=1")["items"][0]["id"]
            driver.get(f"{BASE}/#/show/{show}")
            wait(driver, lambda d: visible(d, "seat"), message="no seat map")
            probes = [[s, s, False] for s in SEAT_STATES] + [["chosen", "available", True]]
            found = driver.execute_script(SEAT_STYLES, probes)
            page, states = found["page"], found["states"]
            fills = {name: over(st["background"], st["backdrop"]) for name, st in states.items()}
            page_rgb = over(page, page)
            lines, failures = [], []
            for name, st in states.items():
                outline = contrast(over(st["borderColor"], st["backdrop"]), page_rgb) if st["borderWidth"] >= 2 else 0
                against_page = max(contrast(fills[name], page_rgb), outline)
                mark = contrast(over(st["color"], st["background"]), fills[name]) if st["text"] else None
                lines.append(f"{name}: {against_page:.2f}:1 on the page"
                             + (f", mark {st['text']!r} {mark:.2f}:1" if mark else ""))
                if against_page < 3:
                    failures.append(f"{name} on the page {against_page:.2f}:1")
                if mark is not None and mark < 4.5 and st["image"] == "none":
                    failures.append(f"{name}'s mark {mark:.2f}:1")
            cue = lambda st: (st["text"], st["image"], st["borderStyle"], st["before"], st["after"])
            free = [n for n in states if n.startswith("available")]
            names = free[:1] + [n for n in states if not n.startswith("available")]  # one category stands for all
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    ratio = contrast(fills[a], fills[b])
                    marked = cue(states[a]) != cue(states[b])
                    lines.append(f"{a}/{b} {ratio:.2f}:1" + ("" if ratio >= 3 else " +mark" if marked else " colour only"))
                    if ratio < 3 and not marked:
                        failures.append(f"{a} / {b} {ratio:.2f}:1 and nothing but colour tells them apart")
            print(f"\n  seat states at {size[0]} px ({'legend' if found['fromLegend'] else 'clones'}) on {page}: "
                  + "; ".join(lines), end=" ")
            self.assertEqual(failures, [], f"seat states at {size[0]} px")
            self.assertNoConsoleErrors(driver)
