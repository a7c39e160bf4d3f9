"""A first browser check of the web client (branch `web`, work in progress): sign in as the demo user, open a
show, hold two seats, see a second session's map turn them held, book with food and WELCOME10, pay, read the
reference. Usage: python smoke.py http://127.0.0.1:8099"""
import sys, time, datetime
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.support import expected_conditions as EC

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8099"


def browser(width=1280):
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},900"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=webdriver.ChromeService("/usr/bin/chromedriver"), options=options)


def testid(driver, name, many=False):
    selector = f'[data-testid="{name}"]'
    return driver.find_elements(By.CSS_SELECTOR, selector) if many else driver.find_element(By.CSS_SELECTOR, selector)


def wait(driver, condition, seconds=10):
    return WebDriverWait(driver, seconds).until(condition)


def sign_in(driver, email, password):
    driver.get(BASE + "/#/signin")
    wait(driver, lambda d: testid(d, "signin-email"))
    testid(driver, "signin-email").send_keys(email)
    testid(driver, "signin-password").send_keys(password)
    testid(driver, "signin-submit").click()
    wait(driver, lambda d: testid(d, "show-card", many=True))


tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
asha, watcher = browser(), browser(390)
try:
    sign_in(asha, "asha@boxoffice.local", "user-demo-password")
    asha.get(f"{BASE}/#/?date={tomorrow}")
    wait(asha, lambda d: testid(d, "date-picker").get_attribute("value") == tomorrow)
    card = wait(asha, lambda d: testid(d, "show-card", many=True))[0]
    show_id = card.get_attribute("data-show-id")
    card.find_element(By.TAG_NAME, "button").click()
    seats = wait(asha, lambda d: [s for s in testid(d, "seat", many=True) if s.get_attribute("data-status") == "available"])
    picked = [seats[40], seats[41]]
    picked_ids = [s.get_attribute("data-seat-id") for s in picked]

    # A second session (phone width) watches the same show.
    sign_in(watcher, "admin@boxoffice.local", "admin-demo-password")
    watcher.get(f"{BASE}/#/show/{show_id}")
    wait(watcher, lambda d: testid(d, "seat", many=True))
    time.sleep(1)

    for seat in picked:
        seat.click()
    testid(asha, "hold-button").click()
    wait(asha, lambda d: testid(d, "hold-countdown").text.startswith("Held for"))
    watched = lambda status: lambda d: all(
        d.find_element(By.CSS_SELECTOR, f'[data-seat-id="{i}"]').get_attribute("data-status") == status for i in picked_ids)
    wait(watcher, watched("held"), 5)
    print("watcher saw the seats held")

    items = testid(asha, "food-item", many=True)
    qty = items[0].find_element(By.CSS_SELECTOR, '[data-testid="food-qty"]')
    qty.clear(); qty.send_keys("2")
    testid(asha, "promo-input").send_keys("WELCOME10")
    testid(asha, "book-button").click()
    total = wait(asha, lambda d: testid(d, "price-total")).text
    print("total", total)
    testid(asha, "pay-button").click()
    reference = wait(asha, lambda d: testid(d, "booking-reference")).text
    print("reference", reference)
    wait(watcher, watched("booked"), 5)
    print("watcher saw the seats booked")
    errors = [entry for entry in asha.get_log("browser") + watcher.get_log("browser") if entry["level"] == "SEVERE"]
    print("console errors:", errors)
    asha.save_screenshot("/tmp/web-asha.png"); watcher.save_screenshot("/tmp/web-watcher.png")
finally:
    asha.quit(); watcher.quit()
