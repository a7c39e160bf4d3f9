"""Paying through Razorpay Checkout in a real browser (issue 28, item 5), at 1280 px and at a phone's 390 px.

This module starts its own servers (scripts/web-tests' server runs the simulator): a Razorpay stand-in
(razorpay_standin.py: the REST API parts BoxOffice calls, and a stand-in Checkout script served from its own origin),
then BoxOffice (BOXOFFICE_BIN, default .build/debug/boxoffice) on a fresh SQLite database seeded with `seed-demo`,
with PAYMENT_GATEWAY=razorpay, made-up keys, RAZORPAY_API_URL and RAZORPAY_CHECKOUT_URL at the stand-in, and
otherwise the environment scripts/web-tests gives its server. Every page and API call here goes to that server,
never WEB_BASE_URL.

Proven: the customer page's Content-Security-Policy lets the stand-in's origin run scripts (the staff page's does
not); Pay opens the stand-in Checkout naming the booking's total, and paying there confirms the booking through
POST /payments/{id}/confirm (the page shows the reference; the API says CONFIRMED and COMPLETED; the stand-in's order
is captured for exactly the total); a failed card, then closing the window, says in words that the payment failed and
the booking is kept, leaves booking and payment pending, and Pay again pays the same order. No console errors."""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

from razorpay_standin import RazorpayStandIn
from support import USER, BrowserTest, open_show, rupees, screenshot, testid, visible, wait

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEY_ID, KEY_SECRET, WEBHOOK_SECRET = "rzp_test_webstandin", "web_standin_key_secret", "web_standin_webhook_secret"
UNSET = ["REDIS_URL", "TRUSTED_HOSTS", "CORS_ALLOWED_ORIGINS", "ADMIN_EMAIL", "ADMIN_PASSWORD", "ADMIN_NAME"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, body=None, bearer=None):
    """The JSON API of this module's server: (status, headers, parsed body or text)."""
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("accept", "application/json")
    if body is not None:
        request.add_header("content-type", "application/json")
    if bearer:
        request.add_header("authorization", f"Bearer {bearer}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, headers, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, text = error.code, error.headers, error.read()
    kind = headers.get("content-type", "")
    return status, headers, (json.loads(text) if text and "json" in kind else text.decode(errors="replace"))


def api(base, method, path, body=None, bearer=None):
    status, _, answer = call(base, method, path, body, bearer)
    if not 200 <= status < 300:
        raise AssertionError(f"{method} {path} answered {status}: {answer}")
    return answer


def directives(policy):
    """A Content-Security-Policy as {directive: [sources]}."""
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def sign_in(driver, base, email, password):
    driver.get(f"{base}/#/signin")
    wait(driver, lambda d: visible(d, "signin-email"), message="no sign-in form")
    testid(driver, "signin-email").send_keys(email)
    testid(driver, "signin-password").send_keys(password)
    testid(driver, "signin-submit").click()
    wait(driver, lambda d: visible(d, "my-bookings-link") and not visible(d, "signin-email"),
         message="still on the sign-in form")


def click(driver, element):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element)
    element.click()


class RazorpayCheckout(BrowserTest):
    """PAYMENT_GATEWAY=razorpay: the page opens (stand-in) Razorpay Checkout and confirms through the API."""

    @classmethod
    def setUpClass(cls):
        cls.work = pathlib.Path(tempfile.mkdtemp(prefix="boxoffice-razorpay-web."))
        cls.addClassCleanup(shutil.rmtree, cls.work, ignore_errors=True)
        cls.standin = RazorpayStandIn(KEY_ID, KEY_SECRET).start()
        cls.addClassCleanup(cls.standin.stop)
        binary = pathlib.Path(os.environ.get("BOXOFFICE_BIN", ".build/debug/boxoffice"))
        binary = binary if binary.is_absolute() else ROOT / binary
        if not os.access(binary, os.X_OK):
            raise unittest.SkipTest(f"no server binary at {binary} (build first, or set BOXOFFICE_BIN)")
        env = {k: v for k, v in os.environ.items() if k not in UNSET and not k.startswith("RAZORPAY_")}
        env.update({
            "DATABASE_URL": f"sqlite://{cls.work}/web.sqlite", "UPLOADS_DIR": str(cls.work / "uploads"),
            "BACKUP_DIR": str(cls.work / "backups"), "BCRYPT_COST": "10", "LOG_LEVEL": "notice",
            "RATE_LIMIT_LOGIN": "1000/60", "RATE_LIMIT_LOGIN_PER_ADDRESS": "1000/60",
            "PAYMENT_GATEWAY": "razorpay", "RAZORPAY_KEY_ID": KEY_ID, "RAZORPAY_KEY_SECRET": KEY_SECRET,
            "RAZORPAY_WEBHOOK_SECRET": WEBHOOK_SECRET, "RAZORPAY_API_URL": cls.standin.url,
            "RAZORPAY_CHECKOUT_URL": cls.standin.script_url,
        })
        logs = pathlib.Path(os.environ.get("WEB_LOG_DIR") or cls.work)
        logs = logs if logs.is_absolute() else ROOT / logs
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / "razorpay-seed-demo.log", "wb") as log:
            seeded = subprocess.run([str(binary), "seed-demo"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    timeout=120)
        if seeded.returncode != 0:
            raise RuntimeError(f"seed-demo failed (log {logs / 'razorpay-seed-demo.log'})")
        port = free_port()
        cls.base = f"http://127.0.0.1:{port}"
        cls.server_log = logs / "razorpay-server.log"
        log = open(cls.server_log, "wb")
        cls.addClassCleanup(log.close)
        # Started from the repository's root, as scripts/web-tests starts its server (Public/ is found from there).
        cls.server = subprocess.Popen(
            [str(binary), "serve", "--env", "development", "--hostname", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        cls.addClassCleanup(cls.stop_server)
        deadline = time.monotonic() + 60
        while True:
            if cls.server.poll() is not None:
                raise RuntimeError(f"the server exited at start-up (log {cls.server_log})")
            try:
                with urllib.request.urlopen(f"{cls.base}/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no answer from {cls.base}/health after 60 s (log {cls.server_log})")
                time.sleep(0.1)

    @classmethod
    def stop_server(cls):
        if cls.server.poll() is None:
            cls.server.terminate()
            try:
                cls.server.wait(5)
            except subprocess.TimeoutExpired:
                cls.server.kill()
                cls.server.wait()

    def bearer(self):
        return api(self.base, "POST", "/users/login", {"email": USER[0], "password": USER[1]})["access_token"]

    def book(self, driver, show_index, method):
        """Signs in, holds the best two seats of a show, books and chooses `method`; answers the booking (API)."""
        sign_in(driver, self.base, *USER)
        open_show(driver, show_index, self.base)
        click(driver, testid(driver, "best-button"))
        wait(driver, lambda d: visible(d, "book-button"), message="no checkout")
        click(driver, testid(driver, "book-button"))
        total = wait(driver, lambda d: visible(d, "price-total"), message="no breakdown")[0].text
        booking = api(self.base, "GET", "/bookings?limit=1", bearer=self.bearer())["items"][0]
        self.assertEqual(booking["status"], "PENDING")
        self.assertEqual(total, rupees(booking["breakdown"]["total_minor"]))
        click(driver, driver.find_element(By.CSS_SELECTOR, f'[data-testid="pay-method"][value="{method}"]'))
        return booking

    def open_checkout(self, driver, booking):
        """Pay: the stand-in Checkout opens as a modal dialog naming the booking's total; answers the dialog."""
        click(driver, testid(driver, "pay-button"))
        dialog = wait(driver, lambda d: visible(d, "razorpay-standin"), seconds=15, message="no Checkout")[0]
        self.assertEqual(dialog.tag_name, "dialog")
        self.assertTrue(driver.execute_script("return arguments[0].open && arguments[0].matches(':modal')", dialog))
        self.assertIn(f"Pay {rupees(booking['breakdown']['total_minor'])} to BoxOffice for Booking "
                      f"{booking['reference']}.", dialog.text)
        return dialog

    def state(self, booking_id):
        bearer = self.bearer()
        booking = api(self.base, "GET", f"/bookings/{booking_id}", bearer=bearer)
        payments = api(self.base, "GET", f"/payments?booking_id={booking_id}", bearer=bearer)["items"]
        return booking, payments

    def orders_for(self, booking):
        return [o for o in self.standin.orders() if o["receipt"] == booking["reference"]]

    def assert_paid(self, driver, booking, method, name):
        reference = wait(driver, lambda d: visible(d, "booking-reference"), seconds=15, message="no reference")[0]
        self.assertEqual(reference.text, booking["reference"])
        self.assertEqual(visible(driver, "razorpay-standin"), [])
        paid, payments = self.state(booking["id"])
        self.assertEqual(paid["status"], "CONFIRMED")
        self.assertEqual([(p["method"], p["status"], p["gateway"]) for p in payments], [(method, "COMPLETED", "razorpay")])
        # One Razorpay order for the booking, for exactly its total, with one captured payment.
        orders = self.orders_for(booking)
        self.assertEqual([(o["amount"], o["currency"], o["status"]) for o in orders],
                         [(booking["breakdown"]["total_minor"], "INR", "paid")])
        self.assertEqual([p["status"] for p in self.standin.payments(orders[0]["id"])], ["captured"])
        self.assertEqual(orders[0]["notes"]["payment_id"].lower(), payments[0]["payment_id"].lower())
        screenshot(driver, name)

    def test_page_policy_allows_the_checkout_script(self):
        status, headers, _ = call(self.base, "GET", "/")
        self.assertEqual(status, 200)
        policy = directives(headers["Content-Security-Policy"])
        self.assertIn(self.standin.url, policy["script-src"])
        self.assertIn(self.standin.url, policy["connect-src"])
        self.assertIn(self.standin.url, policy["frame-src"])
        self.assertEqual(policy["style-src"], ["'self'"])
        # The staff page runs nothing from elsewhere.
        _, headers, _ = call(self.base, "GET", "/admin")
        self.assertNotIn(self.standin.url, headers["Content-Security-Policy"])

    def pays(self, driver, prefix, show_index):
        booking = self.book(driver, show_index, "card")
        self.open_checkout(driver, booking)
        screenshot(driver, f"{prefix}checkout")
        click(driver, testid(driver, "razorpay-standin-pay"))
        self.assert_paid(driver, booking, "card", f"{prefix}confirmation")
        # The proof went to the API; the Razorpay API was asked with the keys (an order), and nothing was refused.
        self.assertFalse([c for c in self.standin.calls if "→ 401" in c or "→ 400" in c], self.standin.calls)
        self.assertNoConsoleErrors(driver)

    def fails_then_pays(self, driver, prefix, show_index):
        booking = self.book(driver, show_index, "upi")
        dialog = self.open_checkout(driver, booking)
        click(driver, testid(driver, "razorpay-standin-fail"))
        wait(driver, lambda d: "Card declined" in testid(d, "razorpay-standin-status").text,
             message="the stand-in did not fail")
        self.assertTrue(dialog.is_displayed(), "Checkout closed itself after a failure")
        click(driver, testid(driver, "razorpay-standin-close"))
        message = wait(driver, lambda d: visible(d, "error-message"), message="no message after closing")[0]
        self.assertEqual(visible(driver, "razorpay-standin"), [])
        self.assertEqual(message.text, "The payment failed (Card declined). Your booking is kept until its due time; "
                                       "press Pay to try again.")
        self.assertTrue(testid(driver, "pay-button").is_enabled())
        self.assertEqual(visible(driver, "booking-reference"), [])
        still, payments = self.state(booking["id"])
        self.assertEqual(still["status"], "PENDING")
        self.assertEqual([p["status"] for p in payments], ["PENDING"])
        self.assertEqual(self.standin.payments(self.orders_for(booking)[0]["id"]), [])
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", message)
        screenshot(driver, f"{prefix}failed")

        # Pay again: the same order opens again, and paying it confirms the booking.
        self.open_checkout(driver, booking)
        self.assertEqual(visible(driver, "error-message"), [])
        click(driver, testid(driver, "razorpay-standin-pay"))
        self.assert_paid(driver, booking, "upi", f"{prefix}paid-again")
        self.assertNoConsoleErrors(driver)

    def test_pays_through_checkout_1280(self):
        self.pays(self.open(), "razorpay-", 0)

    def test_pays_through_checkout_390(self):
        self.pays(self.open(390, 844), "razorpay-phone-", 1)

    def test_failed_then_closed_keeps_the_booking_and_pay_again_works_1280(self):
        self.fails_then_pays(self.open(), "razorpay-", 2)

    def test_failed_then_closed_keeps_the_booking_and_pay_again_works_390(self):
        self.fails_then_pays(self.open(390, 844), "razorpay-phone-", 3)


if __name__ == "__main__":
    unittest.main()
