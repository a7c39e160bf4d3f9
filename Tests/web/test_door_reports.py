"""The door and the reports in a real browser: a customer's ticket shows a QR (the vendored jquery.qrcode), the door
view reads that QR from a photo (the vendored html5-qrcode) and answers a full-screen ADMIT, the same code again is a
red NO (already admitted); the reports view draws sales (table and uPlot chart), occupancy and GST."""
import base64
import datetime
import pathlib
import tempfile
import time
import urllib.parse
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support import ADMIN, BASE, BrowserTest, api, console_errors, screenshot, sign_in, testid, token, visible, wait
from test_admin import confirmed_booking, new_movie, stamp

CINEMA = zoneinfo.ZoneInfo("Asia/Kolkata")


def parse(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def show_at_the_door(admin):
    """A show on sale whose admission window is open now (it opens 2 h before the start): one of today's, else a new
    one at a free slot that starts within 2 h. None when the day has no such slot left."""
    now = datetime.datetime.now(datetime.timezone.utc)
    soon = lambda start: now + datetime.timedelta(minutes=5) < start <= now + datetime.timedelta(hours=2)
    day = now.astimezone(CINEMA).date().isoformat()
    for show in api("GET", f"/shows?date={day}&limit=100", token=admin)["items"]:
        if show["is_on_sale"] and show["status"] == "SCHEDULED" and soon(parse(show["starts_at"])):
            return show["id"]
    movie = new_movie(admin, f"Door test {stamp()}")
    for screen in api("GET", "/screens?is_available=true&limit=100", token=admin)["items"]:
        if not screen["capacity"]:
            continue
        q = urllib.parse.urlencode({"screen_id": screen["id"], "date": day, "movie_id": movie["id"]})
        for slot in api("GET", f"/shows/available-slots?{q}", token=admin)["slots"]:
            hour, minute = map(int, slot["start_time"].split(":")[:2])
            start = datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour, minute), CINEMA)
            if soon(start):
                return api("POST", "/shows", {"movie_id": movie["id"], "screen_id": screen["id"], "show_date": day,
                                              "show_time": slot["start_time"], "language": "Hindi", "format": "2D"},
                           token=admin)["id"]
    return None


# Two random ticket-sized codes that html5-qrcode's default reader (every format) reads, drawn as the ticket page
# draws them, as eight digits (found among 800 random codes).
MISREAD_AS_DIGITS = [
    "6Xc8aNutfaex-Zo9dbpLO3N0slQwMlNNURoIk-17pky3qUsCfRgq_YBpoGyTX-bYTz0WzP.EIxiCRY50TcFp4pAWhI3aeYWHkbijtcenoiPU_J8uY"
    "r_F7Sq7T2x9qAdtPbVdsMbb2GDns7CxuDw5wBImwYEnIKMhzTn6n5CRCiVCAOQ8_JHVqF-uo0B06xRh8yVpU_-qDypaM-x1cjwwYPJ3O755kLcuaOH9"
    "MAooiLxqx8Dv0IcZZC6jcotvvJUTUffsEaOrb-N40FzK0WONNeJGFNXKeldX8zMAUji9cU4AVhTr_lglo4TYs5w4.Mi943y2Kkm0kyssLD9Z7scjRI"
    "tA0Nz_ujeD1Lispsn4qdG5pH_g58DlLv7wwxlXzTU2Uy7MA0johU8aGED6hLJ",
    "ZaD1SkAx706eMmaJT-OVb9IeauEl4gB_mUY2djBdjjBf_pGKQqlWB4AczGcUV9iO767Kxz.qLpqOBmQLEg6wZD6HvitljVnVjSH-7Yu9JAjAPpbQq-f"
    "W448ltBQ0YD7O0fOIviZIgZzWFm91vX35EF-GRns4W4GFB24hDeZKxtQdAuA-OzynN-MaY0f447bqGEi-4DNC48ACD5eNoKyUQbXqAVnautpqNBwow3M"
    "nibnRb8faMCYgE8ZHul7hmUS0V0W11-sFpJ_HcslkhpTkzIlW8MzIUD2qVQVSblADI9k2dcpEWtSeXX76du1eysmv_.MgaDfiFnoZ9XrOzhhK0xnIYK"
    "SJSwikyo1Mod9v7kf29Jeo86zna-uh5iFYpCB7Yo3WnjZhSIYcQjjvQw6J5ADJ",
]

# In the door view: the two codes through the library's default reader, then those and `count` codes shaped like a
# ticket's (a 70-character header, a 200 to 300-character payload, an 86-character signature; a fixed-seed
# generator) drawn by the ticket page's drawTicketQR and read by the door's readQRCode.
READ_TICKET_QRS = """
const [fixed, count, done] = arguments;
(async () => {
  const { qrLibrary, qrReader } = await import("/app/vendor.js");
  const { drawTicketQR } = await import("/app/views/customer/ticket.js");
  const { readQRCode } = await import("/app/views/admin/door.js");
  const [jQuery, library] = await Promise.all([qrLibrary(), qrReader()]);
  // A photo of the ticket: its QR on a white margin of `margin` pixels, as the door test photographs it (40).
  const photoOf = (code, margin = 40) => {
    const holder = document.createElement("div");
    drawTicketQR(holder, code, jQuery);
    const qr = holder.querySelector("canvas");
    const photo = document.createElement("canvas");
    photo.width = qr.width + 2 * margin;
    photo.height = qr.height + 2 * margin;
    const context = photo.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, photo.width, photo.height);
    context.drawImage(qr, margin, margin);
    return photo;
  };
  // The door's reader before the fix read the photo upright on 20 more pixels of margin, with every format on.
  const defaultReader = new library.Html5Qrcode("door-camera", false).qrcode;
  const default_reader = [];
  for (const code of fixed) default_reader.push((await defaultReader.decodeAsync(photoOf(code, 60))).text);
  let seed = 20261208;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const part = (length) => Array.from({ length }, () => alphabet[Math.floor(random() * 64)]).join("");
  const codes = [...fixed];
  for (let i = 0; i < count; i++) codes.push(`${part(70)}.${part(200 + Math.floor(random() * 100))}.${part(86)}`);
  let read = 0;
  const wrong = [];
  for (const code of codes) {
    const text = await readQRCode(photoOf(code)).catch((error) => `(${error.message})`);
    if (text === code) read++;
    else wrong.push([code, text]);
  }
  done({ default_reader, read, wrong });
})().catch((error) => done({ error: String(error) }));
"""


class DoorAndReports(BrowserTest):
    @classmethod
    def setUpClass(cls):
        cls.admin = token(*ADMIN)

    def test_the_door_admits_a_scanned_ticket_once(self):
        show_id = show_at_the_door(self.admin)
        if show_id is None:
            self.skipTest("no show today whose admission window is open now")
        # A customer of its own: the demo one may have bought its 10 seats of this show in an earlier run.
        email, password = f"door{stamp()}@example.com", "door-test-password"
        api("POST", "/users/signup", {"name": "Door Test", "email": email, "phone": f"+91{stamp()[-10:]}",
                                      "password": password})
        customer_token = token(email, password)
        booking = confirmed_booking(customer_token, show_id, seats=2)
        ticket = api("GET", f"/bookings/{booking['id']}/ticket", token=customer_token)

        # The customer's ticket: the QR of the code, with the movie, screen and seats.
        customer = self.open(width=390, height=844)
        sign_in(customer, email, password)
        customer.get(f"{BASE}/#/ticket/{booking['id']}")
        wait(customer, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="ticket-qr"] canvas'), message="no QR")
        self.assertEqual(testid(customer, "ticket-movie").text, ticket["movie_title"])
        self.assertEqual(testid(customer, "ticket-seats").text, ", ".join(ticket["seats"]))
        self.assertEqual(testid(customer, "ticket-screen").text, ticket["screen_name"])
        self.assertTrue(visible(customer, "print-ticket"))
        screenshot(customer, "ticket")
        # The QR as a photo: the canvas on a white margin (the quiet zone a printed ticket has).
        data_url = customer.execute_script("""
            const qr = document.querySelector('[data-testid="ticket-qr"] canvas');
            const photo = document.createElement("canvas");
            photo.width = qr.width + 80; photo.height = qr.height + 80;
            const g = photo.getContext("2d");
            g.fillStyle = "#fff"; g.fillRect(0, 0, photo.width, photo.height); g.drawImage(qr, 40, 40);
            return photo.toDataURL("image/png");""")
        photo = pathlib.Path(tempfile.mkdtemp()) / "ticket.png"
        photo.write_bytes(base64.b64decode(data_url.split(",", 1)[1]))

        # The door, on a phone: the photo is read and admitted, full-screen green.
        door = self.open(width=390, height=844)
        sign_in(door, *ADMIN, page="/admin")
        door.get(f"{BASE}/admin#/door")
        wait(door, lambda d: visible(d, "door-code"), message="no door view")
        # Nothing wider than the phone: a wider page would make the phone zoom out (the hidden photo input once did).
        self.assertEqual(door.execute_script("return document.documentElement.scrollWidth"), 390)
        testid(door, "door-photo").send_keys(str(photo))
        verdict = wait(door, lambda d: visible(d, "door-verdict"), seconds=20, message="the photo was not read")[0]
        self.assertEqual(verdict.text, "ADMIT")
        result = testid(door, "door-result")
        self.assertEqual(result.get_attribute("data-outcome"), "admit")
        self.assertIn(ticket["movie_title"], result.text)
        self.assertIn(", ".join(ticket["seats"]), result.text)
        self.assertEqual(result.size["height"], 844)
        screenshot(door, "door-admit")

        # The same code again, typed: a red NO, already admitted.
        result.click()
        wait(door, lambda d: not visible(d, "door-verdict"))
        testid(door, "door-code").send_keys(ticket["code"])
        testid(door, "door-submit").click()
        wait(door, lambda d: visible(d, "door-verdict") and visible(d, "door-verdict")[0].text == "NO",
             message="no NO for the second scan")
        self.assertEqual(testid(door, "door-result").get_attribute("data-outcome"), "deny")
        self.assertIn("Already admitted", testid(door, "door-result").text)
        screenshot(door, "door-no")

        # A forged code: NO, invalid ticket.
        testid(door, "door-result").click()
        testid(door, "door-code").send_keys(ticket["code"][:-4] + "AAAA")
        testid(door, "door-submit").click()
        wait(door, lambda d: visible(d, "door-result") and "Invalid ticket" in testid(d, "door-result").text,
             message="a forged code was not refused")
        # The refused check-ins are the browser's logged 409 and 422 answers; nothing else may be.
        self.assertNoConsoleErrors(customer)
        self.assertEqual([e for e in console_errors(door) if not (e["source"] == "network" and "/checkins" in e["message"])], [])

    def test_the_door_reads_every_ticket_qr_the_ticket_page_draws(self):
        """Stop 36's CI run failed the door test with a red NO for a valid ticket: html5-qrcode, with every barcode
        format on, read a row of the ticket's QR as an eight-digit one-dimensional barcode. The same reader missed
        about one QR in eight outright. Here the door's reader (`readQRCode`) reads two codes that the library's
        default reader answers with digits, and 150 more ticket-sized codes (a fixed seed), each drawn as the ticket
        page draws it; every one must read back exactly."""
        door = self.open(width=390, height=844)
        sign_in(door, *ADMIN, page="/admin")
        door.get(f"{BASE}/admin#/door")
        wait(door, lambda d: visible(d, "door-code"), message="no door view")
        door.set_script_timeout(180)
        answer = door.execute_async_script(READ_TICKET_QRS, MISREAD_AS_DIGITS, 150)
        self.assertNotIn("error", answer, answer.get("error"))
        # The reproduction: the library's default reader answers these codes with digits.
        self.assertTrue(all(text.isdigit() for text in answer["default_reader"]), answer["default_reader"])
        self.assertEqual(answer["read"], 152)
        self.assertEqual(answer["wrong"], [])

    def test_reports_view(self):
        admin = self.open()
        sign_in(admin, *ADMIN, page="/admin")
        admin.get(f"{BASE}/admin#/reports")
        wait(admin, lambda d: visible(d, "sales-table") and visible(d, "occupancy-table") and visible(d, "gst-table"),
             message="the reports were not drawn")
        dates = [testid(admin, name).get_attribute("value") for name in ("sales-from", "sales-to")]
        sales = api("GET", f"/reports/sales?from={dates[0]}&to={dates[1]}&group_by=day", token=self.admin)
        rows = testid(admin, "sales-table").find_elements(By.CSS_SELECTOR, "tbody tr")
        self.assertEqual(len(rows), len(sales["rows"]))
        wait(admin, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="sales-chart"] .uplot canvas'),
             message="no revenue chart")
        self.assertTrue(visible(admin, "sales-csv"))
        self.assertTrue(visible(admin, "nav-door") and visible(admin, "nav-reports"))
        # By movie: a table, no chart.
        Select(testid(admin, "sales-group")).select_by_value("movie")
        testid(admin, "sales-show").click()
        wait(admin, lambda d: not d.find_elements(By.CSS_SELECTOR, '[data-testid="sales-chart"] .uplot'))
        testid(admin, "sales-csv").click()
        time.sleep(0.5)
        self.assertFalse(visible(admin, "error-message"))
        screenshot(admin, "reports")
        self.assertNoConsoleErrors(admin)

    def test_an_usher_gets_the_door_and_nothing_else(self):
        email, password = f"usher{stamp()}@example.com", "usher-test-password"
        user = api("POST", "/users/signup", {"name": "Usher Test", "email": email, "phone": f"+91{stamp()[-10:]}",
                                             "password": password})
        api("PATCH", f"/users/{user['id']}", {"role": "usher"}, token=self.admin)
        usher = self.open(width=390, height=844)
        sign_in(usher, email, password, page="/admin")
        wait(usher, lambda d: visible(d, "door-code"), message="an usher did not land on the door")
        self.assertTrue(visible(usher, "nav-door"))
        for section in ("movies", "screens", "schedule", "promos", "refunds", "reports"):
            self.assertFalse(visible(usher, f"nav-{section}"), section)
        usher.get(f"{BASE}/admin#/reports")
        wait(usher, lambda d: visible(d, "door-code"), message="an usher was shown the reports")
        screenshot(usher, "door-phone")
        self.assertNoConsoleErrors(usher)
