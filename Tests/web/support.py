"""Shared pieces of the browser tests: a headless Chromium, the data-testid lookups, waits, sign-in, screenshots, and
axe-core's accessibility check (every screenshot runs it: a serious or critical violation fails the test).

The server under test is WEB_BASE_URL (scripts/web-tests starts a seeded one). Screenshots go to SCREENSHOT_DIR
(default docs/screenshots)."""
import datetime
import json
import os
import pathlib
import unittest
import urllib.request
from zoneinfo import ZoneInfo

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ.get("WEB_BASE_URL", "http://127.0.0.1:8099").rstrip("/")
SCREENSHOTS = pathlib.Path(os.environ.get("SCREENSHOT_DIR", pathlib.Path(__file__).resolve().parents[2] / "docs/screenshots"))
ADMIN = ("admin@boxoffice.local", "admin-demo-password")
USER = ("asha@boxoffice.local", "user-demo-password")
# The cinema's tomorrow (its time zone, as the server's), not this machine's: after 18:30 UTC the machine's
# tomorrow is the cinema's today, whose first shows start within 8 hours, where a cancellation refunds nothing (a CI
# run at 22:25 UTC failed the cancel-with-refund test that way). The cinema's tomorrow starts at least 9 hours away.
CINEMA_TIME_ZONE = ZoneInfo(os.environ.get("CINEMA_TIME_ZONE", "Asia/Kolkata"))
TOMORROW = (datetime.datetime.now(CINEMA_TIME_ZONE).date() + datetime.timedelta(days=1)).isoformat()


def browser(width=1280, height=900):
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--window-size={width},{height}"]:
        options.add_argument(flag)
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    if width < 500:
        # Chromium's windows are at least 500 px wide; a phone's viewport is emulated instead.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    return driver


def testid(driver, name, many=False):
    selector = f'[data-testid="{name}"]'
    return driver.find_elements(By.CSS_SELECTOR, selector) if many else driver.find_element(By.CSS_SELECTOR, selector)


def visible(driver, name):
    """The displayed elements with this data-testid (an empty list is falsy, so it works as a wait condition)."""
    return [node for node in testid(driver, name, many=True) if node.is_displayed()]


def wait(driver, condition, seconds=10, message=""):
    return WebDriverWait(driver, seconds, poll_frequency=0.1, ignored_exceptions=(Exception,)).until(condition, message)


def sign_in(driver, email, password, page="/"):
    driver.get(f"{BASE}{page}#/signin")
    wait(driver, lambda d: visible(d, "signin-email"), message="no sign-in form")
    testid(driver, "signin-email").send_keys(email)
    testid(driver, "signin-password").send_keys(password)
    testid(driver, "signin-submit").click()
    wait(driver, lambda d: not visible(d, "signin-email"), message="still on the sign-in form")


def open_show(driver, index, base=None):
    """Opens the seat map of one of tomorrow's shows on sale (the `index`-th, round the list); returns its id. `base`
    is another server's address (a module that starts its own)."""
    base = base or BASE
    tomorrow = lambda d: testid(d, "date-picker").get_attribute("value") == TOMORROW
    driver.get(f"{base}/#/?date={TOMORROW}")
    try:
        wait(driver, tomorrow, seconds=5)
    except TimeoutException:  # a route that sign-in started drew over it: ask again
        driver.get(f"{base}/#/?date={TOMORROW}")
        wait(driver, tomorrow, message="not tomorrow's shows")

    def choose(d):
        # The list may be drawn again while loading (a stale card then raises, and the wait tries again).
        cards = [c for c in visible(d, "show-card") if c.find_elements(By.TAG_NAME, "button")]
        card = cards[index % len(cards)]
        show_id = card.get_attribute("data-show-id")
        card.find_element(By.TAG_NAME, "button").click()
        return show_id

    show_id = wait(driver, choose, message="no show on sale")
    wait(driver, lambda d: visible(d, "seat"), message="no seat map")
    return show_id


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def screenshot(driver, name, accessible=True):
    """Saves the page as docs/screenshots/<name>.png, then fails the test on axe's serious or critical findings
    (`accessible=False` skips that, for a page that is not the client's own)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    if accessible:
        assert_accessible(driver, name)


# axe-core as axe-selenium-python bundles it (read once; injected into a page that lacks it).
_AXE_SCRIPT = []
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(driver):
    """axe-core's violations on the page as it is now (every rule axe runs by default), worst first."""
    if not _AXE_SCRIPT:
        _AXE_SCRIPT.append(pathlib.Path(Axe(driver).script_url).read_text(encoding="utf-8"))
    if not driver.execute_script("return typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        driver.execute_script(_AXE_SCRIPT[0])
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.axe.run(document, { resultTypes: ['violations'] })"
        ".then((r) => done(r.violations), (e) => done({ error: String(e) }));")
    if isinstance(result, dict):
        raise AssertionError(f"axe could not run on {driver.current_url}: {result['error']}")
    order = ["critical", "serious", "moderate", "minor"]
    return sorted(result, key=lambda v: order.index(v["impact"]) if v["impact"] in order else len(order))


def axe_report(violations, shown=4):
    """One paragraph per violation: rule, impact, what it wants, how many nodes, the first few nodes' selectors."""
    lines = []
    for v in violations:
        nodes = v["nodes"]
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} — {len(nodes)} node(s)")
        for node in nodes[:shown]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' '.join(node['target'])}" + (f"  [{summary[:160]}]" if summary else ""))
        if len(nodes) > shown:
            lines.append(f"    … and {len(nodes) - shown} more")
    return "\n".join(lines)


def assert_accessible(driver, where=""):
    """Fails (AssertionError) when axe finds a serious or critical violation on the current page."""
    failing = [v for v in axe_violations(driver) if v["impact"] in FAILING_IMPACTS]
    if failing:
        raise AssertionError(f"axe: {len(failing)} serious/critical violation(s) on {driver.current_url}"
                             f"{f' ({where})' if where else ''}:\n{axe_report(failing)}")


def api(method, path, body=None, token=None):
    """The JSON API straight, to compare what a page shows with what the API says."""
    request = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("accept", "application/json")
    if body is not None:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return json.loads(text) if text else None


def token(email, password):
    return api("POST", "/users/login", {"email": email, "password": password})["access_token"]


def rupees(minor):
    """What the pages show for an amount in paise: Indian digit grouping, two decimals (1234567 → ₹12,345.67)."""
    sign, paise = ("−" if minor < 0 else ""), abs(minor)
    whole = str(paise // 100)
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        whole = ",".join(([head] if head else []) + groups + [tail])
    return f"{sign}₹{whole}.{paise % 100:02d}"


class BrowserTest(unittest.TestCase):
    """A test that opens browsers with self.open(); they are closed after it, whatever happens."""

    def setUp(self):
        self.drivers = []

    def tearDown(self):
        for driver in self.drivers:
            driver.quit()

    def open(self, width=1280, height=900):
        driver = browser(width, height)
        self.drivers.append(driver)
        return driver

    def page_width_fits(self, driver):
        """The page does not scroll sideways (a phone would zoom out to show it all)."""
        widths = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        self.assertLessEqual(widths[0], widths[1], "the page scrolls sideways")

    def assertNoConsoleErrors(self, *drivers):
        for driver in drivers:
            self.assertEqual(console_errors(driver), [])
