// Cancelling a booking, asked first: the refund the policy gives now (GET /bookings/{id}/cancellation), then
// POST /bookings/{id}/cancel. And what became of a cancelled booking afterwards, after any reload: who cancelled it
// and why (its status log), and the money (its payments' refunds).
import { api, rupees } from "../../api.js";
import { el, guarded } from "../../ui.js";
import { atCinema } from "./when.js";

/** The caller's payments, by booking id (one page of GET /payments). */
export async function paymentsByBooking() {
  const byBooking = new Map();
  for (const payment of (await api("GET", "/payments?limit=100")).items) {
    byBooking.set(payment.booking_id, [...(byBooking.get(payment.booking_id) || []), payment]);
  }
  return byBooking;
}

/** One booking's payments, each with its refunds (GET /payments/{id} lists them). */
export async function paymentsOf(bookingID) {
  const page = await api("GET", `/payments?booking_id=${bookingID}&limit=10`);
  return Promise.all(page.items.map((p) => api("GET", `/payments/${p.payment_id}`)));
}

/** What a cancelled booking got back, in words: "Refund: ₹1,180.00 (on its way)". A refund counts in
 * `refunded_minor` from the moment it is recorded, before the gateway has paid it out. */
export function refundWords(payments) {
  const paid = payments.filter((p) => p.status === "COMPLETED");
  if (!paid.length) return "Nothing was paid, so nothing is refunded.";
  const refunded = paid.reduce((sum, p) => sum + p.refunded_minor, 0);
  if (!refunded) return `No refund: ${rupees(paid.reduce((sum, p) => sum + p.amount_minor, 0))} was kept.`;
  const refunds = paid.flatMap((p) => p.refunds || []);
  const pending = refunds.some((r) => r.status === "PENDING");
  const state = !refunds.length ? "" : pending ? " (on its way to you)" : " (paid back)";
  return `Refund: ${rupees(refunded)}${state}`;
}

/** Who cancelled a booking and why, from its status log: the cinema's reason for a cancelled show. */
export async function cancelledBecause(bookingID) {
  const logs = await api("GET", `/bookings/${bookingID}/logs`);
  const entry = logs.items.findLast((log) => log.to === "CANCELLED");
  if (!entry) return "";
  const show = entry.reason.match(/^Show cancelled: (.*)$/s);
  if (show) return `The cinema cancelled this show: ${show[1]}`;
  if (entry.actor === "user") return "You cancelled this booking.";
  if (entry.actor === "admin") return `The cinema cancelled this booking: ${entry.reason}`;
  return `Cancelled: ${entry.reason}`;
}

/** The policy's answer in words, e.g. "You get back ₹944.00 (80 % of ₹1,180.00) if you cancel before 7 Dec, 10:30." */
export function quoteWords(quote, show) {
  if (!quote.cancellable) return quote.message;
  if (!quote.paid_minor) return "Nothing was paid, so nothing is refunded; the seats are released.";
  const until = quote.valid_until ? ` if you cancel before ${atCinema(quote.valid_until, show)}` : "";
  return `You get back ${rupees(quote.refund_minor)} (${quote.refund_percent} % of ${rupees(quote.paid_minor)})${until}.`;
}

/**
 * The cancel button of a pending or confirmed booking. A click asks the API what cancelling would refund and shows
 * it with "Yes, cancel" and "Keep booking"; only "Yes, cancel" cancels. `done(cancelled, words)` runs afterwards with
 * the cancelled booking and the refund in words. `attrs` name the button: `{ testid: "cancel-booking" }` on a card of
 * My bookings (the hook the first browser tests click), `{ testid: "cancel-button" }` on the booking's own page.
 */
export function cancelControls(booking, show, done, attrs) {
  const box = el("div", { class: "cancel-box" });
  const start = el(
    "button",
    { type: "button", class: "danger", "aria-expanded": "false", ...attrs },
    "Cancel booking…",
  );
  const ask = async () => {
    start.disabled = true;
    try {
      const quote = await api("GET", `/bookings/${booking.id}/cancellation`);
      const confirm = el("button", { type: "button", class: "danger", testid: "cancel-confirm" }, "Yes, cancel");
      const keep = el("button", { type: "button", testid: "cancel-keep" }, "Keep booking");
      const panel = el(
        "div",
        { class: "cancel-confirm", role: "group", "aria-label": `Cancel booking ${booking.reference}?` },
        el("p", { testid: "refund-quote", "data-refund-minor": quote.refund_minor }, quoteWords(quote, show)),
        quote.cancellable ? [confirm, " "] : [],
        keep,
      );
      keep.addEventListener("click", () => {
        panel.remove();
        start.hidden = false;
        start.setAttribute("aria-expanded", "false");
        start.focus();
      });
      confirm.addEventListener(
        "click",
        guarded(async () => {
          confirm.disabled = true;
          try {
            const cancelled = await api("POST", `/bookings/${booking.id}/cancel`, {});
            const words =
              booking.status === "CONFIRMED" ? refundWords(await paymentsOf(booking.id)) : "Nothing was paid.";
            box.replaceChildren();
            done(cancelled, `Cancelled. ${words}`);
          } finally {
            confirm.disabled = false;
          }
        }, panel),
      );
      start.hidden = true;
      start.setAttribute("aria-expanded", "true");
      box.append(panel);
      (quote.cancellable ? confirm : keep).focus();
    } finally {
      start.disabled = false;
    }
  };
  start.addEventListener(
    "click",
    guarded(ask, () => start),
  );
  box.append(start);
  return box;
}
