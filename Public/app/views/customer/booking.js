// One booking, `#/booking/{id}`: what was booked (the movie, the cinema's date and time, screen, seats), its ticket
// while it is confirmed (printable: only the ticket is printed), the price, changing the show of a confirmed one
// (exchange.js, `#/booking/{id}/change`), cancelling with the refund asked first, and once cancelled who cancelled it
// and why, and the refund. `bookingSummary` is the same "what was booked" for
// other pages (the confirmation after paying, the cards of My bookings).
import { api, rupees } from "../../api.js";
import { route } from "../../router.js";
import { el, view } from "../../ui.js";
import { qrLibrary } from "../../vendor.js";
import { cancelControls, cancelledBecause, paymentsOf, refundWords } from "./cancel.js";
import { ticketCard } from "./ticket.js";
import { atCinema, showOf, showTime } from "./when.js";

/** A booking's status in words (the status is never told by colour alone). */
export const statusWords = {
  PENDING: "Awaiting payment",
  CONFIRMED: "Confirmed",
  CANCELLED: "Cancelled",
  EXPIRED: "Expired unpaid",
};

export const seatsOf = (b) => (b.seat_labels || b.seats.map((s) => s.label)).join(", ");

/**
 * What was booked: the movie (`booking-movie`), the cinema's date and time (`booking-time`), the screen and seats,
 * and a link to the booking's page with its ticket. `show` (GET /shows/{id}) gives the cinema's time; without it the
 * time is filled in when the show has been asked for. For checkout.js: `bookingSummary(paid)` after paying.
 */
export function bookingSummary(booking, show = null, { heading = "h2", link = true, seats = true } = {}) {
  const time = el("p", { testid: "booking-time", class: "when" }, show ? showTime(show) : "");
  if (!show) {
    showOf(booking.show_id).then(
      (asked) => {
        time.textContent = showTime(asked);
      },
      () => {
        time.textContent = atCinema(booking.starts_at);
      },
    );
  }
  return el(
    "div",
    { class: "booking-summary" },
    el(heading, { testid: "booking-movie" }, booking.movie_title),
    time,
    seats ? el("p", {}, `${booking.screen_name} · Seats ${seatsOf(booking)}`) : "",
    link ? el("p", {}, el("a", { href: `#/booking/${booking.id}`, testid: "booking-link" }, "Booking details")) : "",
  );
}

/** The ticket (confirmed) or the reason and refund (cancelled) of a booking, asked of the API. */
async function extras(b) {
  if (b.status === "CONFIRMED") {
    const [ticket, jQuery] = await Promise.all([api("GET", `/bookings/${b.id}/ticket`), qrLibrary()]);
    return { ticket, jQuery };
  }
  if (b.status === "CANCELLED") {
    const [reason, payments] = await Promise.all([cancelledBecause(b.id), paymentsOf(b.id)]);
    return { reason, refund: refundWords(payments) };
  }
  return {};
}

export async function booking({ id, load }) {
  const b = await load(api("GET", `/bookings/${id}`));
  const [show, more] = await load(Promise.all([showOf(b.show_id).catch(() => null), extras(b)]));
  const row = (label, value, testid) => [el("dt", {}, label), el("dd", { testid }, value)];
  const facts = el(
    "dl",
    { class: "facts" },
    row("Status", statusWords[b.status] || b.status, "booking-status"),
    row("Screen", b.screen_name),
    row("Seats", seatsOf(b)),
    row("Reference", b.reference, "booking-reference"),
    row("Total", rupees(b.breakdown.total_minor), "booking-total"),
  );
  const cancelled = b.status === "CANCELLED";
  view.replaceChildren(
    el("p", { class: "no-print" }, el("a", { href: "#/bookings" }, "← My bookings")),
    el(
      "article",
      { class: "booking-page", "data-booking-id": b.id, "data-status": b.status },
      el(
        "section",
        { class: "booking-facts no-print" },
        bookingSummary(b, show, { heading: "h1", link: false, seats: false }),
        facts,
        cancelled && more.reason ? el("p", { class: "cancel-reason", testid: "cancel-reason" }, more.reason) : "",
        cancelled ? el("p", { class: "refund", testid: "refund-amount" }, more.refund) : "",
        b.status === "PENDING"
          ? el("p", {}, `Pay by ${atCinema(b.payment_due_by, show)}, or the seats are released.`)
          : "",
        b.status === "CONFIRMED"
          ? el(
              "p",
              { class: "actions" },
              el("a", { href: `#/booking/${b.id}/change`, class: "button", testid: "change-show" }, "Change show"),
            )
          : "",
        ["PENDING", "CONFIRMED"].includes(b.status)
          ? cancelControls(b, show, () => route(), { testid: "cancel-button" })
          : "",
      ),
      more.ticket ? ticketCard(more.ticket, more.jQuery, show, "h2") : "",
    ),
  );
}
