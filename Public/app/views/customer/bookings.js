// My bookings: what each one is for (movie, the cinema's date and time, screen, seats), its status, total and ticket;
// cancelling asks first with the refund the policy gives; a cancelled one says who cancelled it, why, and the refund.
import { api, rupees } from "../../api.js";
import { el, view } from "../../ui.js";
import { bookingSummary, statusWords } from "./booking.js";
import { cancelControls, cancelledBecause, paymentsByBooking, refundWords } from "./cancel.js";
import { showOf } from "./when.js";

export async function bookings({ load }) {
  const page = await load(api("GET", "/bookings?limit=50"));
  const cancelled = page.items.filter((b) => b.status === "CANCELLED");
  const [shows, payments, reasons] = await load(
    Promise.all([
      Promise.all([...new Set(page.items.map((b) => b.show_id))].map((id) => showOf(id).catch(() => null))),
      cancelled.length ? paymentsByBooking() : new Map(),
      Promise.all(cancelled.map((b) => cancelledBecause(b.id))),
    ]),
  );
  const showByID = new Map(shows.filter(Boolean).map((s) => [s.id, s]));
  const reasonOf = new Map(cancelled.map((b, i) => [b.id, reasons[i]]));

  const card = (b) => {
    const show = showByID.get(b.show_id);
    const status = el("span", { class: "status", testid: "booking-status" }, statusWords[b.status] || b.status);
    const outcome = el("div", { class: "outcome" });
    const actions = el("div", { class: "actions" });
    const node = el(
      "article",
      { class: "card booking-card", "data-booking-id": b.id, "data-status": b.status },
      bookingSummary(b, show),
      el("p", {}, status, " · ", el("span", { class: "ref" }, b.reference), " · ", rupees(b.breakdown.total_minor)),
      outcome,
      actions,
    );
    const said = (reason, refund) =>
      outcome.replaceChildren(
        reason ? el("p", { class: "cancel-reason", testid: "cancel-reason" }, reason) : "",
        el("p", { class: "refund", testid: "refund-amount" }, refund),
      );
    if (b.status === "CANCELLED") said(reasonOf.get(b.id), refundWords(payments.get(b.id) || []));
    if (b.status === "CONFIRMED") {
      actions.append(el("a", { href: `#/ticket/${b.id}`, class: "button", testid: "show-ticket" }, "Ticket"), " ");
    }
    if (["PENDING", "CONFIRMED"].includes(b.status)) {
      const done = (after, words) => {
        node.dataset.status = after.status;
        status.textContent = statusWords[after.status] || after.status;
        actions.replaceChildren();
        said("You cancelled this booking.", words);
      };
      actions.append(cancelControls(b, show, done, { testid: "cancel-booking" }));
    }
    return node;
  };
  view.replaceChildren(
    el("h1", {}, "My bookings"),
    el(
      "div",
      { testid: "my-bookings", class: "cards" },
      page.items.length ? page.items.map(card) : el("p", {}, "No bookings yet."),
    ),
  );
}
