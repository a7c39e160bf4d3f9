// A confirmed booking's ticket: the QR of its signed code, which the door scans, with the movie, time, screen and
// seats; printable (the print stylesheet in app.css leaves only the ticket on the page). The QR is drawn by the
// vendored jquery.qrcode (app/vendor/README.md).
import { api } from "../../api.js";
import { el, view } from "../../ui.js";
import { qrLibrary } from "../../vendor.js";

const time = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

export async function ticket({ id, load }) {
  const [t, jQuery] = await load(Promise.all([api("GET", `/bookings/${id}/ticket`), qrLibrary()]));
  const qr = el("div", { class: "ticket-qr", testid: "ticket-qr", "data-code": t.code, role: "img" });
  qr.setAttribute("aria-label", `QR code of ticket ${t.reference}`);
  // Error correction M (0): the code is 300 to 500 characters, so the symbol stays readable when printed small.
  jQuery(qr).qrcode({ render: "canvas", width: 320, height: 320, text: t.code, correctLevel: 0 });
  const row = (label, value, testid) => [el("dt", {}, label), el("dd", { testid }, value)];
  view.replaceChildren(
    el(
      "article",
      { class: "ticket", testid: "ticket" },
      el("h1", { testid: "ticket-movie" }, t.movie_title),
      qr,
      el(
        "dl",
        {},
        row("Time", time(t.starts_at), "ticket-time"),
        row("Screen", t.screen_name, "ticket-screen"),
        row("Seats", t.seats.join(", "), "ticket-seats"),
        row("Admits", String(t.admits), "ticket-admits"),
        row("Booking", t.reference, "ticket-reference"),
      ),
      el("p", { class: "hint" }, `Doors open ${time(t.valid_from)}. Show this code at the entrance.`),
      el(
        "p",
        { class: "no-print" },
        el("button", { type: "button", testid: "print-ticket", onclick: () => window.print() }, "Print ticket"),
        " ",
        el("a", { href: "#/bookings" }, "My bookings"),
      ),
    ),
  );
}
