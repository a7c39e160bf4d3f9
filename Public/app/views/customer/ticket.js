// A confirmed booking's ticket: the QR of its signed code, which the door scans, with the movie, time, screen and
// seats; printable (the print stylesheet in app.css leaves only the ticket on the page). The QR is drawn by the
// vendored jquery.qrcode (app/vendor/README.md). `#/ticket/{id}` is the ticket alone; the booking page shows the
// same card (`ticketCard`).
import { api } from "../../api.js";
import { el, view } from "../../ui.js";
import { qrLibrary } from "../../vendor.js";
import { atCinema, showOf, showTime } from "./when.js";

/** Draws the QR of a ticket's `code` into `element` with `jQuery` (from qrLibrary()): a 320-pixel canvas. Error
 * correction M (0): the code is 300 to 500 characters, so the symbol stays readable when printed small. */
export function drawTicketQR(element, code, jQuery) {
  jQuery(element).qrcode({ render: "canvas", width: 320, height: 320, text: code, correctLevel: 0 });
}

/** The ticket, its QR drawn with `jQuery` (from qrLibrary()); `show` gives the cinema's times; `heading` is the tag
 * of the movie's title (h1 on the ticket's own page, h2 inside the booking page). */
export function ticketCard(t, jQuery, show, heading = "h1") {
  const qr = el("div", { class: "ticket-qr", testid: "ticket-qr", "data-code": t.code, role: "img" });
  qr.setAttribute("aria-label", `QR code of ticket ${t.reference}`);
  drawTicketQR(qr, t.code, jQuery);
  const row = (label, value, testid) => [el("dt", {}, label), el("dd", { testid }, value)];
  return el(
    "article",
    { class: "ticket", testid: "ticket" },
    el(heading, { testid: "ticket-movie" }, t.movie_title),
    qr,
    el(
      "dl",
      {},
      row("Time", show ? showTime(show) : atCinema(t.starts_at), "ticket-time"),
      row("Screen", t.screen_name, "ticket-screen"),
      row("Seats", t.seats.join(", "), "ticket-seats"),
      row("Admits", String(t.admits), "ticket-admits"),
      row("Booking", t.reference, "ticket-reference"),
    ),
    el("p", { class: "hint" }, `Doors open ${atCinema(t.valid_from, show)}. Show this code at the entrance.`),
    el(
      "p",
      { class: "no-print" },
      el("button", { type: "button", testid: "print-ticket", onclick: () => window.print() }, "Print ticket"),
    ),
  );
}

export async function ticket({ id, load }) {
  const [t, jQuery, show] = await load(
    Promise.all([
      api("GET", `/bookings/${id}/ticket`),
      qrLibrary(),
      api("GET", `/bookings/${id}`).then((b) => showOf(b.show_id).catch(() => null)),
    ]),
  );
  view.replaceChildren(
    ticketCard(t, jQuery, show),
    el(
      "p",
      { class: "no-print ticket-links" },
      el("a", { href: `#/booking/${id}` }, "Booking details"),
      " · ",
      el("a", { href: "#/bookings" }, "My bookings"),
    ),
  );
}
