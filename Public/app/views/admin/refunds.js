// Refunds: find a booking by reference or id, see its payments, refund part or all of one.
import { APIProblem, api, rupees } from "../../api.js";
import { go } from "../../router.js";
import { el, onSubmit, showError, view } from "../../ui.js";
import { everything, note, optionalPaise, query, rupeeInput, UUID, when } from "./common.js";

async function findBooking(text) {
  if (UUID.test(text)) return api("GET", `/bookings/${text}`);
  const page = await api("GET", `/bookings?${query({ reference: text, limit: 1 })}`);
  if (!page.items.length) throw new Error(`No booking has the reference ${text}.`);
  return page.items[0];
}

/** The booking and its payments; a failure is answered as { error }, to be shown next to the search form. */
async function lookUp(text) {
  try {
    const booking = await findBooking(text);
    return { booking, payments: await everything(`/payments?${query({ booking_id: booking.id })}`) };
  } catch (error) {
    return { error };
  }
}

export async function refunds({ params, load }) {
  const wanted = (params.get("q") || "").trim();
  const input = el("input", {
    required: true,
    value: wanted,
    placeholder: "BX-7K2M9Q or booking id",
    testid: "admin-refund-query",
  });
  const form = el(
    "form",
    { class: "filters", role: "search", testid: "admin-refund-search" },
    el("label", {}, "Booking reference or id ", input),
    el("button", { type: "submit", testid: "admin-refund-find" }, "Find"),
  );
  onSubmit(form, async () => go(`#/refunds?${query({ q: input.value.trim() })}`));
  const found = el("section");
  view.replaceChildren(el("h1", {}, "Refunds"), form, found);
  if (!wanted) return;
  found.replaceChildren(el("p", { class: "muted" }, "Looking…"));
  const { booking, payments, error } = await load(lookUp(wanted));
  if (error) {
    found.replaceChildren();
    if (error instanceof APIProblem && error.status === 401) throw error; // the router signs in again
    showError(error, form);
    return;
  }
  found.replaceChildren(
    el(
      "article",
      { class: "card", testid: "admin-booking", "data-booking-id": booking.id },
      el("h2", {}, `${booking.reference} · ${booking.status}`),
      el(
        "p",
        {},
        booking.seats.map((s) => s.label).join(", "),
        ` · total ${rupees(booking.breakdown.total_minor)} · booked ${when(booking.created_at)}`,
      ),
    ),
    ...(payments.length ? payments.map(paymentCard) : [el("p", {}, "No payments for this booking.")]),
  );
}

function paymentCard(payment) {
  const left = payment.amount_minor - payment.refunded_minor;
  const card = el(
    "article",
    { class: "card", testid: "admin-payment", "data-payment-id": payment.payment_id },
    el("h3", {}, `Payment ${payment.status.toLowerCase()} · ${payment.method} via ${payment.gateway}`),
    el(
      "p",
      {},
      "Paid ",
      el("strong", { testid: "admin-payment-amount" }, rupees(payment.amount_minor)),
      " · refunded ",
      el("strong", { testid: "admin-payment-refunded" }, rupees(payment.refunded_minor)),
      ` · ${rupees(left)} left`,
    ),
    (payment.refunds || []).length
      ? el(
          "ul",
          { testid: "admin-refunds" },
          payment.refunds.map((r) =>
            el(
              "li",
              {},
              `${rupees(r.amount_minor)} · ${r.reason} · by ${r.actor} · ${r.status.toLowerCase()} · ${when(r.created_at)}`,
            ),
          ),
        )
      : "",
  );
  if (payment.status !== "COMPLETED" || left <= 0) return card;
  // randomUUID needs a secure context (https or loopback); getRandomValues works everywhere.
  const key =
    crypto.randomUUID?.() ??
    [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const amount = el("input", {
    inputmode: "decimal",
    placeholder: `all ${rupeeInput(left)}`,
    testid: "admin-refund-amount",
  });
  const reason = el("input", { required: true, maxlength: 500, testid: "admin-refund-reason" });
  const form = el(
    "form",
    { class: "stack", testid: "admin-refund-form" },
    el(
      "div",
      { class: "fields" },
      el("label", {}, "Amount (₹; empty for all that is left) ", amount),
      el("label", {}, "Reason ", reason),
    ),
    el("button", { type: "submit", class: "danger", testid: "admin-refund-submit" }, "Refund"),
  );
  onSubmit(form, async () => {
    const amount_minor = optionalPaise(amount, "refund");
    if (amount_minor !== undefined && amount_minor > left)
      throw new Error(`At most ${rupees(left)} is left to refund.`);
    // One key per form: a retry after a timeout gets the first answer again instead of a second refund.
    const updated = await api(
      "POST",
      `/payments/${payment.payment_id}/refund`,
      { amount_minor, reason: reason.value.trim() },
      { "Idempotency-Key": key },
    );
    const next = paymentCard(updated);
    card.replaceWith(next);
    next.append(note(`Refunded ${rupees(updated.refunded_minor - payment.refunded_minor)}.`, "admin-refund-result"));
  });
  card.append(form);
  return card;
}
