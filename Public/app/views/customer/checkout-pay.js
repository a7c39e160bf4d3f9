// Paying for a booking: the API's breakdown line by line with each line's tax rates, a choice of payment method, the
// gateway's checkout (the simulator in development; Razorpay Checkout with PAYMENT_GATEWAY=razorpay), then the
// reference.
import { api, rupees } from "../../api.js";
import { el, guarded, view } from "../../ui.js";
import { bookingSummary } from "./booking.js";
import { openRazorpay } from "./checkout-razorpay.js";

const METHODS = [
  ["upi", "UPI"],
  ["card", "Card"],
  ["wallet", "Wallet"],
];

const percent = (value) => `${Number(value)}%`;
const rates = (line) =>
  Number(line.cgst_percent) || Number(line.sgst_percent)
    ? ` (CGST ${percent(line.cgst_percent)} + SGST ${percent(line.sgst_percent)})`
    : " (no GST)";

/** The booking's seats as lines, one per category, price and tax rate: "2 × Prime ₹180.00". */
function seatLines(seats) {
  const lines = new Map();
  for (const seat of seats) {
    const key = [seat.category, seat.price_minor, seat.cgst_percent, seat.sgst_percent].join("|");
    const line = lines.get(key) || { ...seat, count: 0, labels: [] };
    line.count += 1;
    line.labels.push(seat.label);
    lines.set(key, line);
  }
  return [...lines.values()];
}

const row = (name, value, note) =>
  el(
    "tr",
    {},
    el("th", { scope: "row" }, name, note ? el("span", { class: "rate" }, note) : ""),
    el("td", {}, rupees(value)),
  );

/** A booking's price, line by line: seats and food with their GST rates, the discount, the taxes, the total. */
export function breakdown(booking) {
  const b = booking.breakdown;
  const lines = [
    ...seatLines(booking.seats || []).map((line) =>
      row(
        `${line.count} × ${line.category} ${rupees(line.price_minor)}`,
        line.count * line.price_minor,
        ` seats ${line.labels.join(", ")}${rates(line)}`,
      ),
    ),
    ...(booking.foods || []).map((line) =>
      row(
        `${line.quantity} × ${line.name} ${rupees(line.unit_price_minor)}`,
        line.quantity * line.unit_price_minor,
        rates(line),
      ),
    ),
  ];
  if (!lines.length) lines.push(row("Seats", b.seats_minor), row("Food", b.food_minor));
  if (b.discount_minor)
    lines.push(row(`Discount${booking.promo_code ? ` (${booking.promo_code})` : ""}`, -b.discount_minor));
  lines.push(row("CGST", b.cgst_minor), row("SGST", b.sgst_minor));
  return el(
    "table",
    { class: "breakdown" },
    el("caption", { class: "sr-only" }, "Price breakdown"),
    el(
      "tbody",
      {},
      lines,
      el(
        "tr",
        { class: "total" },
        el("th", { scope: "row" }, "Total"),
        el("td", { testid: "price-total" }, rupees(b.total_minor)),
      ),
    ),
  );
}

/** The confirmation: what was booked (movie, time, screen, seats), the reference, the breakdown, what next. */
function confirmation(paid) {
  window.scrollTo(0, 0);
  const heading = el(
    "h2",
    { tabindex: "-1" },
    paid.status === "CONFIRMED" ? "Booked!" : `Booking ${paid.status.toLowerCase()}`,
  );
  view.replaceChildren(
    heading,
    bookingSummary(paid, null, { heading: "h3" }),
    el("p", {}, "Reference ", el("strong", { testid: "booking-reference" }, paid.reference)),
    breakdown(paid),
    el(
      "p",
      {},
      paid.status === "CONFIRMED"
        ? [el("a", { href: `#/ticket/${paid.id}`, testid: "ticket-link" }, "Ticket"), " · "]
        : [],
      el("a", { href: "#/bookings" }, "My bookings"),
      " · ",
      el("a", { href: "#/" }, "More shows"),
    ),
  );
  heading.focus({ preventScroll: true });
}

/** Waits briefly for a paid booking to read CONFIRMED (the gateway's answer is applied as it arrives). */
async function settled(bookingID) {
  let booking = await api("GET", `/bookings/${bookingID}`);
  for (let i = 0; i < 10 && booking.status === "PENDING"; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    booking = await api("GET", `/bookings/${bookingID}`);
  }
  return booking;
}

/** Draws the payment step of `booking` into `section`; `done` runs once the booking is paid. */
export function pay(booking, section, done) {
  const payBar = el("p", { class: "actions" });
  const methods = el(
    "fieldset",
    { class: "methods" },
    el("legend", {}, "Pay with"),
    METHODS.map(([value, name], index) =>
      el(
        "label",
        {},
        el("input", { type: "radio", name: "pay-method", value, testid: "pay-method", checked: index === 0 }),
        ` ${name}`,
      ),
    ),
  );
  const button = el(
    "button",
    { type: "button", testid: "pay-button", class: "primary" },
    `Pay ${rupees(booking.breakdown.total_minor)}`,
  );
  button.addEventListener(
    "click",
    guarded(
      async () => {
        button.disabled = true;
        try {
          const method = methods.querySelector("input:checked")?.value || "upi";
          const payment = await api("POST", "/payments", { booking_id: booking.id, method });
          const checkout = payment.checkout || {};
          if (checkout.simulate_url) {
            // The simulator (development): the payment succeeds at once.
            await api("POST", checkout.simulate_url, { outcome: "succeeded" });
          } else if (checkout.order_id) {
            const proof = await openRazorpay(checkout, method);
            await api("POST", `/payments/${payment.payment_id}/confirm`, proof);
          }
          const paid = await settled(booking.id);
          if (paid.status === "CONFIRMED") done();
          confirmation(paid);
        } finally {
          button.disabled = false;
        }
      },
      () => payBar,
    ),
  );
  payBar.append(button);
  const heading = el("h2", { tabindex: "-1" }, "Pay");
  section.replaceChildren(
    heading,
    el(
      "p",
      {},
      `Booking ${booking.reference}. Pay by ${new Date(booking.payment_due_by).toLocaleTimeString()} or it is released.`,
    ),
    breakdown(booking),
    methods,
    payBar,
  );
  heading.focus({ preventScroll: true });
}
