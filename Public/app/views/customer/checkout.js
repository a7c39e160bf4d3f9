// The checkout after a hold: a countdown, food, a promo code, the API's price breakdown, pay, the reference.
import { api, rupees } from "../../api.js";
import { el, guarded, view } from "../../ui.js";

export async function checkout(show, lock) {
  const section = document.getElementById("checkout");
  const countdown = el("p", { testid: "hold-countdown", role: "timer", "data-expires-at": lock.expires_at });
  const tick = () => {
    const left = Math.max(0, Math.round((Date.parse(lock.expires_at) - Date.now()) / 1000));
    countdown.textContent =
      left > 0 ? `Held for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "Your hold has expired";
    if (left > 0 && document.body.contains(countdown)) setTimeout(tick, 1000);
  };
  tick();
  const food = (await api("GET", "/food-items?limit=100")).items.filter((item) => item.is_available !== false);
  const quantities = new Map();
  const promo = el("input", {
    testid: "promo-input",
    placeholder: "Promo code",
    "aria-label": "Promo code",
    autocapitalize: "characters",
  });
  const bookBar = el("p", {}, promo, " ");
  bookBar.append(
    el(
      "button",
      {
        type: "button",
        testid: "book-button",
        onclick: guarded(
          async () => {
            const foods = [...quantities]
              .filter(([, q]) => q > 0)
              .map(([food_id, quantity]) => ({ food_id, quantity }));
            const booking = await api("POST", "/bookings", {
              show_id: show.id,
              lock_id: lock.lock_id,
              foods,
              promo_code: promo.value.trim() || undefined,
            });
            pay(booking);
          },
          () => bookBar,
        ),
      },
      "Book",
    ),
  );
  section.replaceChildren(
    el("h2", {}, "Your seats: ", lock.seats.map((s) => s.label).join(", ")),
    countdown,
    food.length ? el("h3", {}, "Food") : "",
    el(
      "div",
      { class: "cards" },
      food.map((item) => {
        const qty = el("input", {
          type: "number",
          min: 0,
          max: 10,
          value: 0,
          testid: "food-qty",
          class: "narrow",
          "aria-label": `Quantity of ${item.name}`,
          oninput: () => quantities.set(item.id, Number(qty.value)),
        });
        return el(
          "div",
          { class: "card", testid: "food-item", "data-food-id": item.id },
          el("span", {}, `${item.name} ${rupees(item.price_minor)} `),
          qty,
        );
      }),
    ),
    bookBar,
  );
  section.scrollIntoView({ block: "start" });
}

function breakdown(b) {
  const lines = [
    ["Seats", b.seats_minor],
    ["Food", b.food_minor],
    ["Discount", -b.discount_minor],
    ["CGST", b.cgst_minor],
    ["SGST", b.sgst_minor],
  ].filter(([name, value]) => value !== 0 || name === "Seats");
  return el(
    "table",
    { class: "breakdown" },
    el(
      "tbody",
      {},
      lines.map(([name, value]) => el("tr", {}, el("td", {}, name), el("td", {}, rupees(value)))),
      el(
        "tr",
        { class: "total" },
        el("th", { scope: "row" }, "Total"),
        el("td", { testid: "price-total" }, rupees(b.total_minor)),
      ),
    ),
  );
}

function pay(booking) {
  const section = document.getElementById("checkout") || view;
  const payBar = el("p", {});
  payBar.append(
    el(
      "button",
      {
        type: "button",
        testid: "pay-button",
        onclick: guarded(
          async () => {
            const payment = await api("POST", "/payments", { booking_id: booking.id, method: "upi" });
            // The simulator's checkout (development); a real gateway's Checkout would open here.
            if (payment.checkout?.simulate_url)
              await api("POST", payment.checkout.simulate_url, { outcome: "succeeded" });
            const paid = await api("GET", `/bookings/${booking.id}`);
            window.scrollTo(0, 0);
            view.replaceChildren(
              el("h2", {}, paid.status === "CONFIRMED" ? "Booked!" : `Booking ${paid.status.toLowerCase()}`),
              el("p", {}, "Reference ", el("strong", { testid: "booking-reference" }, paid.reference)),
              el("p", {}, "Seats ", paid.seats.map((s) => s.label).join(", ")),
              breakdown(paid.breakdown),
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
          },
          () => payBar,
        ),
      },
      `Pay ${rupees(booking.breakdown.total_minor)}`,
    ),
  );
  section.replaceChildren(
    el("h2", {}, "Pay"),
    el("p", {}, `Booking ${booking.reference}, due by ${new Date(booking.payment_due_by).toLocaleTimeString()}`),
    breakdown(booking.breakdown),
    payBar,
  );
}
