// Changing the show of a confirmed booking, `#/booking/{id}/change`: a date and a show (the date strip and showtimes
// of shows.js), seats on that show's map (seatgrid.js), held with POST /seatlocks at the prices of that moment, then
// POST /bookings/{id}/exchange. The server prices the change: costing the same or less, it is made at once and the
// difference refunded (200); costing more, the difference is paid first (202, then POST /payments for the booking,
// as the checkout pays); refused (409), its detail says why. The booking keeps its id and reference. A hold this page
// placed and did not exchange is let go when the page moves on (another date or show, the back link, any address).
import { APIProblem, api, rupees } from "../../api.js";
import { go, route } from "../../router.js";
import { action, el, view } from "../../ui.js";
import { bookingSummary, seatsOf } from "./booking.js";
import { openRazorpay } from "./checkout-razorpay.js";
import { countdown } from "./checkout-timer.js";
import { admission } from "./queue.js";
import { seatGrid } from "./seatgrid.js";
import { allShows, cinemaDate, dateStrip, showtimes } from "./shows.js";
import { atCinema, showOf, showTime } from "./when.js";

// The hold placed here and not (yet) given to an exchange: released when the page moves on. An exchange awaiting
// payment keeps its hold (the server extends it to the payment's deadline), so it is no longer this page's to drop.
let unused = null;
function letGo() {
  const lock = unused;
  unused = null;
  // A hold that already ended (expired, or released by the server) is a 404: nothing left to do.
  return lock ? api("DELETE", `/seatlocks/${lock.lock_id}`).catch(() => {}) : Promise.resolve();
}
window.addEventListener("hashchange", letGo);

const PAY_WITH = { upi: "UPI", card: "Card", wallet: "Wallet" };

/** Pays what the booking asks now (an exchange's difference) as the checkout does: the simulator in development,
 * Razorpay Checkout with PAYMENT_GATEWAY=razorpay. */
async function payDue(bookingID, method) {
  const payment = await api("POST", "/payments", { booking_id: bookingID, method });
  const gateway = payment.checkout || {};
  if (gateway.simulate_url) return api("POST", gateway.simulate_url, { outcome: "succeeded" });
  if (gateway.order_id) {
    const signed = await openRazorpay(gateway, method);
    return api("POST", `/payments/${payment.payment_id}/confirm`, signed);
  }
  return null;
}

/** The booking once it sits on the exchange's show and seats (the payment's answer is applied as it arrives), or
 * null when it has not moved after a few seconds. */
async function moved(answer, lock) {
  const seats = [...lock.seat_ids].sort().join();
  for (let tries = 0; tries < 12; tries++) {
    const now = await api("GET", `/bookings/${answer.booking.id}`);
    const there = now.seats.map((s) => s.seat_id).sort();
    if (now.show_id === answer.to_show_id && there.join() === seats) return now;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return null;
}

/** The end of a change: what the booking is now, what the money did, and the way back to the booking. */
function finished(after, money) {
  const heading = el("h1", { tabindex: "-1" }, "Booking changed");
  view.replaceChildren(
    heading,
    el(
      "p",
      { class: "exchange-done", testid: "exchange-result", role: "status" },
      `Done. Booking ${after.reference} is now for seats ${seatsOf(after)}. ${money}`,
    ),
    bookingSummary(after, null, { heading: "h2" }),
    el("p", {}, el("a", { href: "#/bookings" }, "My bookings")),
  );
  heading.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

const moneyWords = (answer) =>
  answer.refund_minor > 0
    ? `${rupees(answer.refund_minor)} is refunded to you.`
    : "The new seats cost the same: nothing to pay, nothing refunded.";

/**
 * The step after the hold, drawn into `step`: the held seats at their prices beside what the booking cost, then
 * "Confirm change", and what the server answered.
 */
function confirmStep(step, booking, map, grid, lock) {
  const categoryOf = new Map(map.seats.map((s) => [s.id, map.categories.find((c) => c.id === s.category_id)?.name]));
  const seatsMinor = lock.seats.reduce((sum, seat) => sum + (seat.price_minor ?? 0), 0);
  const heading = el("h2", { tabindex: "-1" }, "Your new seats");
  const bar = el("p", { class: "actions" });
  const timer = countdown(lock, () => {
    letGo();
    bar.replaceChildren(
      el("span", { class: "expired-note" }, "Your hold has expired."),
      el("button", { type: "button", class: "primary", onclick: () => route() }, "Choose seats again"),
    );
  });
  const back = el("a", { href: `#/booking/${booking.id}`, testid: "exchange-cancel" }, "Keep the booking as it is");

  // 409: the server's reason; the seats held for it are let go.
  const refused = (problem) => {
    for (const id of lock.seat_ids) grid.setStatus(id, "available");
    step.replaceChildren(
      el("h2", {}, "The show was not changed"),
      el("p", { class: "error", role: "alert", testid: "exchange-error" }, problem.detail || problem.message),
      el("p", {}, "Your booking stays as it was, and the seats you held are released."),
      el(
        "p",
        { class: "actions" },
        el("button", { type: "button", onclick: () => route() }, "Choose other seats"),
        back,
      ),
    );
  };

  // 202: the difference is paid first; its success makes the change.
  const payStep = (answer) => {
    const method = el(
      "select",
      { id: "exchange-pay-method", testid: "pay-method" },
      Object.entries(PAY_WITH).map(([value, name]) => el("option", { value }, name)),
    );
    const payBar = el(
      "p",
      { class: "actions" },
      el("label", { for: "exchange-pay-method" }, "Pay with"),
      method,
      action(
        `Pay ${rupees(answer.difference_minor)}`,
        async () => {
          await payDue(booking.id, method.value);
          const after = await moved(answer, lock);
          if (!after) {
            throw new Error(
              "The payment went through, but the booking has not moved yet. Open the booking in a minute: if the " +
                "change could not be made, the difference is refunded.",
            );
          }
          finished(after, `You paid ${rupees(answer.difference_minor)} more.`);
        },
        { class: "primary", testid: "pay-difference" },
      ),
    );
    const payHeading = el("h2", { tabindex: "-1" }, "Pay the difference");
    const fee = answer.fee_minor ? `, with an exchange fee of ${rupees(answer.fee_minor)}` : "";
    step.replaceChildren(
      payHeading,
      el(
        "p",
        { testid: "exchange-difference", "data-difference-minor": answer.difference_minor },
        `The new seats cost ${rupees(answer.difference_minor)} more: the booking comes to ` +
          `${rupees(answer.new_total_minor)} with GST${fee}, and ${rupees(answer.old_total_minor)} is paid.`,
      ),
      el("p", {}, `Pay by ${atCinema(answer.due_by, map.show)}, or the change lapses and your booking stays as it is.`),
      payBar,
      el("p", {}, back),
    );
    payHeading.focus({ preventScroll: true });
  };

  const confirm = action(
    "Confirm change",
    async () => {
      let answer;
      try {
        answer = await api("POST", `/bookings/${booking.id}/exchange`, { lock_id: lock.lock_id });
      } catch (error) {
        if (!(error instanceof APIProblem && error.status === 409)) throw error;
        timer.stop();
        await letGo();
        return refused(error);
      }
      unused = null; // the exchange has it now
      timer.stop();
      if (answer.status === "AWAITING_PAYMENT") return payStep(answer);
      return finished(answer.booking, moneyWords(answer));
    },
    { class: "primary", testid: "confirm-exchange" },
  );
  const other = action(
    "Choose other seats",
    async () => {
      timer.stop();
      await letGo();
      route();
    },
    { testid: "exchange-other-seats" },
  );
  bar.append(confirm, other, back);

  step.replaceChildren(
    heading,
    timer.node,
    timer.status,
    el(
      "table",
      { class: "breakdown" },
      el("caption", { class: "sr-only" }, "The seats you hold, at the prices held"),
      el(
        "tbody",
        {},
        lock.seats.map((seat) =>
          el(
            "tr",
            {},
            el("th", { scope: "row" }, `Seat ${seat.label}`, el("span", { class: "rate" }, categoryOf.get(seat.id))),
            el("td", {}, rupees(seat.price_minor ?? 0)),
          ),
        ),
        el(
          "tr",
          { class: "total" },
          el("th", { scope: "row" }, "Seats now"),
          el("td", { testid: "exchange-seats-total" }, rupees(seatsMinor)),
        ),
      ),
    ),
    el(
      "p",
      { testid: "exchange-old-total" },
      `Your booking: seats ${seatsOf(booking)} for ${rupees(booking.breakdown.seats_minor)}, `,
      `${rupees(booking.breakdown.total_minor)} paid with GST.`,
    ),
    el(
      "p",
      { class: "muted" },
      `Seats now ${rupees(seatsMinor)}; the exact difference including GST is shown when you confirm. Costing the ` +
        "same or less, the change is made at once and the difference refunded; costing more, you pay the difference.",
    ),
    bar,
  );
  timer.start();
  heading.focus({ preventScroll: true });
  step.scrollIntoView?.({ block: "start" });
}

/** The chosen show's seat map with its Hold button; the confirm step opens below it. */
function seatsPart(booking, map) {
  const wanted = booking.seats.length;
  const picked = new Set();
  const chosen = el("p", { class: "chosen", "aria-live": "polite" });
  const step = el("section", { class: "exchange-step", "aria-label": "Confirm the change" });
  const grid = seatGrid(map, picked, (seatID) => {
    if (grid.statusOf(seatID) !== "available") return;
    if (!picked.delete(seatID)) picked.add(seatID);
    grid.refresh(seatID);
    const labels = [...picked].map(grid.labelOf).join(", ");
    chosen.textContent = picked.size ? `Chosen: ${labels} (${picked.size}; the booking has ${wanted}).` : "";
  });
  const holdBar = el("p", { class: "actions" });
  holdBar.append(
    action(
      "Hold these seats",
      async () => {
        if (!picked.size) throw new Error(`Choose seats on the map first: the booking has ${wanted}.`);
        await letGo();
        const lock = await api("POST", "/seatlocks", {
          show_id: map.show.id,
          seat_ids: [...picked],
          ...admission(map.show.id),
        });
        unused = lock;
        for (const id of lock.seat_ids) grid.setStatus(id, "held_by_you");
        chosen.textContent = "";
        holdBar.remove();
        confirmStep(step, booking, map, grid, lock);
      },
      { class: "primary", testid: "exchange-hold" },
    ),
  );
  const show = map.show;
  return el(
    "section",
    { class: "exchange-seats", "aria-labelledby": "exchange-seats-heading" },
    el("h2", { id: "exchange-seats-heading" }, "2. Choose seats"),
    el(
      "p",
      { testid: "exchange-show" },
      `${show.movie.title}, ${showTime(show)} · ${show.language} · ${show.format} · ${show.screen.name}. `,
      `Your booking has ${wanted} ${wanted === 1 ? "seat" : "seats"}; choose as many as you like.`,
    ),
    grid.node,
    chosen,
    holdBar,
    step,
  );
}

export async function exchange({ id, params, load }) {
  await letGo(); // drawn again (route()): the hold of the last drawing is not on screen any more
  const booking = await load(api("GET", `/bookings/${id}`));
  const current = await load(showOf(booking.show_id).catch(() => null));
  const back = el("p", {}, el("a", { href: `#/booking/${id}`, testid: "exchange-back" }, "← Back to the booking"));
  if (booking.status !== "CONFIRMED") {
    view.replaceChildren(
      back,
      el("h1", {}, "Change show"),
      el("p", { testid: "exchange-error" }, "Only a confirmed booking can be moved to another show."),
    );
    return;
  }
  const today = cinemaDate();
  const date = params.get("date") || (current?.show_date >= today ? current.show_date : today);
  const showID = params.get("show");
  const [list, map] = await load(
    Promise.all([allShows(`date=${date}`), showID ? api("GET", `/shows/${showID}/availability`) : null]),
  );
  const here = (query) => `#/booking/${id}/change?${new URLSearchParams(query)}`;

  // One group of showtimes per movie. A showtime here chooses the show for the change (its own click, which opens
  // the show's seat map, is stopped on the way down).
  const picker = el(
    "div",
    { class: "exchange-shows" },
    [...Map.groupBy(list, (show) => show.movie.title)].map(([title, group]) =>
      el("section", { class: "exchange-movie" }, el("h3", {}, title), showtimes(group)),
    ),
  );
  picker.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest("button[data-show-id]");
      if (!button) return;
      event.stopPropagation();
      go(here({ date, show: button.dataset.showId }));
    },
    true,
  );
  for (const button of picker.querySelectorAll(`button[data-show-id="${showID}"]`)) {
    button.setAttribute("aria-current", "true");
  }
  const seats = map ? seatsPart(booking, map) : "";
  view.replaceChildren(
    back,
    el("h1", {}, "Change show"),
    el(
      "section",
      { class: "exchange-now", "aria-label": "Your booking now" },
      bookingSummary(booking, current, { heading: "h2", link: false }),
      el("p", {}, `${rupees(booking.breakdown.total_minor)} paid · Reference ${booking.reference}`),
    ),
    el("h2", {}, "1. Choose a show"),
    dateStrip(date, (day) => here({ date: day })),
    list.length ? picker : el("p", {}, "No shows on this day."),
    seats,
  );
  if (seats) seats.scrollIntoView({ block: "start" });
}
