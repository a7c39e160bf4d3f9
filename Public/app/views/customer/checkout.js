// The checkout after a hold: a countdown that ticks every second (a warning in the last minute, "hold again" after
// it), the seats and food with a running total, a promo code priced before booking, Book, and "change seats". The
// seat map hears `boxoffice:checkout-open` and `boxoffice:checkout-closed` (its Hold buttons are off in between).
// Paying is in checkout-pay.js, the countdown in checkout-timer.js.
import { APIProblem, api, rupees } from "../../api.js";
import { el, guarded, onSubmit } from "../../ui.js";
import { pay } from "./checkout-pay.js";
import { countdown } from "./checkout-timer.js";
import { admission } from "./queue.js";

/** Tells the seat map (and anyone listening) that the checkout opened or ended. */
export function announce(open, lock) {
  const type = open ? "boxoffice:checkout-open" : "boxoffice:checkout-closed";
  document.dispatchEvent(new CustomEvent(type, { detail: { lock_id: lock?.lock_id, seat_ids: lock?.seat_ids } }));
}

/** Releases a hold; one that already ended (expired, released or booked) counts as released. */
async function release(lock) {
  try {
    await api("DELETE", `/seatlocks/${lock.lock_id}`);
  } catch (error) {
    if (!(error instanceof APIProblem && [404, 409].includes(error.status))) throw error;
  }
}

/**
 * Seats as lines: "2 × Prime ₹180.00", one per category and price. A seat's price is the one its hold fixed (demand
 * pricing may have moved the seat map's since), else its category's.
 */
function seatLines(lock, map) {
  const categories = Object.fromEntries(map.categories.map((c) => [c.id, c]));
  const seats = Object.fromEntries(map.seats.map((s) => [s.id, s]));
  const held = Object.fromEntries((lock.seats || []).map((s) => [s.id, s.price_minor]));
  const lines = new Map();
  for (const id of lock.seat_ids) {
    const category = categories[seats[id]?.category_id];
    const price = held[id] ?? category?.price_minor ?? 0;
    const key = `${category?.name}|${price}`;
    const line = lines.get(key) || { name: category?.name || "Seat", price, count: 0 };
    line.count += 1;
    lines.set(key, line);
  }
  return [...lines.values()];
}

/**
 * Draws the checkout for `lock` (a POST /seatlocks answer) under the seat map. `kept` carries the food and promo
 * code chosen before a hold ran out, so holding again keeps them.
 */
export async function checkout(show, lock, kept = {}) {
  const section = document.getElementById("checkout");
  const [foodPage, map] = await Promise.all([
    api("GET", "/food-items?limit=100"),
    api("GET", `/shows/${show.id}/availability`),
  ]);
  const food = foodPage.items.filter((item) => item.is_available !== false);
  const quantities = new Map(kept.quantities || []);
  const seats = seatLines(lock, map);
  const seatsMinor = seats.reduce((sum, line) => sum + line.count * line.price, 0);
  let applied = null; // { code, discount_minor } once a promo code is priced for the current subtotal
  let pricing = 0; // the latest validation; an older answer that arrives late is dropped

  const subtotal = () =>
    seatsMinor + food.reduce((sum, item) => sum + (quantities.get(item.id) || 0) * item.price_minor, 0);
  const order = el("tbody", {});
  const drawTotal = () => {
    const foodLines = food
      .filter((item) => quantities.get(item.id) > 0)
      .map((item) => [`${quantities.get(item.id)} × ${item.name} ${rupees(item.price_minor)}`, item.price_minor, item]);
    const rows = [
      ...seats.map((line) => [`${line.count} × ${line.name} ${rupees(line.price)}`, line.count * line.price]),
      ...foodLines.map(([name, price, item]) => [name, price * quantities.get(item.id)]),
      ...(applied ? [[`Promo code ${applied.code}`, -applied.discount_minor]] : []),
    ];
    order.replaceChildren(
      ...rows.map(([name, value]) => el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, rupees(value)))),
      el(
        "tr",
        { class: "total" },
        el("th", { scope: "row" }, "Total before GST"),
        el("td", { testid: "running-total" }, rupees(subtotal() - (applied?.discount_minor || 0))),
      ),
    );
  };

  // The promo code: Apply prices it for this subtotal; a change of food prices it again.
  const promo = el("input", {
    id: "promo-code",
    testid: "promo-input",
    autocapitalize: "characters",
    autocomplete: "off",
    spellcheck: "false",
    value: kept.promo || "",
  });
  const promoNote = el("p", { class: "promo-note", role: "status" });
  const price = async (code) => {
    const asked = ++pricing;
    const quote = await api("POST", "/discounts/validate", { code, show_id: show.id, subtotal_minor: subtotal() });
    if (asked !== pricing) return;
    applied = quote;
    promoNote.textContent = `${quote.code} applied: ${rupees(quote.discount_minor)} off.`;
    drawTotal();
  };
  const promoForm = onSubmit(
    el(
      "form",
      { class: "promo" },
      el("label", { for: "promo-code" }, "Promo code"),
      promo,
      el("button", { type: "submit", testid: "promo-apply" }, "Apply"),
    ),
    async () => {
      applied = null;
      promoNote.textContent = "";
      drawTotal();
      const code = promo.value.trim();
      if (!code) throw new Error("Type a promo code first.");
      await price(code);
    },
  );
  promo.addEventListener("input", () => {
    if (!applied) return;
    applied = null;
    pricing++;
    promoNote.textContent = "";
    drawTotal();
  });
  let repricing = null;
  const foodChanged = () => {
    drawTotal();
    if (!applied) return;
    clearTimeout(repricing);
    const code = applied.code;
    repricing = setTimeout(
      () =>
        price(code).catch((error) => {
          applied = null;
          promoNote.textContent = `${code} no longer applies: ${error.message}`;
          drawTotal();
        }),
      400,
    );
  };

  const heading = el("h2", { tabindex: "-1" }, "Checkout: seats ", lock.seats.map((s) => s.label).join(", "));
  const bookBar = el("p", { class: "actions" });
  const book = el("button", { type: "button", testid: "book-button", class: "primary" }, "Book");
  const change = el("button", { type: "button", testid: "change-seats" }, "Change seats");
  const timer = countdown(lock, () => expired());
  const close = () => {
    section.replaceChildren();
    announce(false, lock);
  };

  book.addEventListener(
    "click",
    guarded(
      async () => {
        book.disabled = true;
        try {
          const foods = [...quantities].filter(([, q]) => q > 0).map(([food_id, quantity]) => ({ food_id, quantity }));
          const booking = await api("POST", "/bookings", {
            show_id: show.id,
            lock_id: lock.lock_id,
            foods,
            promo_code: promo.value.trim() || undefined,
          });
          timer.stop();
          pay(booking, section, () => announce(false, lock));
        } catch (error) {
          if (error instanceof APIProblem && error.code === "hold_expired") expired();
          throw error;
        } finally {
          book.disabled = timer.ended;
        }
      },
      () => bookBar,
    ),
  );
  change.addEventListener(
    "click",
    guarded(
      async () => {
        timer.stop();
        await release(lock);
        close();
        // Back to the map: its one tab stop (a seat), or the Hold button.
        const seat = document.querySelector('[data-testid="seat"][tabindex="0"]');
        (seat || document.querySelector('[data-testid="hold-button"]'))?.focus();
      },
      () => bookBar,
    ),
  );

  // The hold ran out: say so, stop booking, and offer to hold the same seats again (with the same food and code).
  const again = el("button", { type: "button", testid: "hold-again", class: "primary" }, "Hold these seats again");
  again.addEventListener(
    "click",
    guarded(
      async () => {
        again.disabled = true;
        try {
          await release(lock);
          const fresh = await api("POST", "/seatlocks", {
            show_id: show.id,
            seat_ids: lock.seat_ids,
            ...admission(show.id),
          });
          await checkout(show, fresh, { quantities: [...quantities], promo: promo.value });
        } finally {
          again.disabled = false;
        }
      },
      () => bookBar,
    ),
  );
  function expired() {
    if (!timer.ended) timer.expire();
    book.disabled = true;
    book.hidden = true;
    // Said again beside the button: on a phone the countdown is far above by now.
    if (!again.isConnected)
      bookBar.prepend(el("span", { class: "expired-note" }, "Your hold has expired."), again, " ");
    announce(false, lock);
  }

  drawTotal();
  bookBar.append(book, " ", change);
  section.replaceChildren(
    heading,
    timer.node,
    timer.status,
    el("h3", {}, "Your order"),
    el("table", { class: "breakdown order" }, el("caption", { class: "sr-only" }, "Your order so far"), order),
    el("p", { class: "muted" }, "GST is added when you book; the full breakdown shows before you pay."),
    food.length ? el("h3", {}, "Food and drinks") : "",
    el(
      "div",
      { class: "cards food" },
      food.map((item) => {
        const qty = el("input", {
          type: "number",
          inputmode: "numeric",
          min: 0,
          max: 10,
          value: quantities.get(item.id) || 0,
          testid: "food-qty",
          class: "narrow",
          id: `food-${item.id}`,
          oninput: () => {
            const n = Math.trunc(Number(qty.value));
            quantities.set(item.id, Number.isFinite(n) ? Math.min(10, Math.max(0, n)) : 0);
            foodChanged();
          },
        });
        return el(
          "div",
          { class: "card", testid: "food-item", "data-food-id": item.id },
          el("label", { for: `food-${item.id}` }, `${item.name} `, el("span", {}, rupees(item.price_minor))),
          qty,
        );
      }),
    ),
    promoForm,
    promoNote,
    bookBar,
  );
  announce(true, lock);
  timer.start();
  heading.focus({ preventScroll: true });
  section.scrollIntoView({ block: "start" });
}
