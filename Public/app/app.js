// BoxOffice in the browser: shows by date, a live seat map, hold, food and promo, book, pay, my bookings, alerts.
// Plain modules, no build step; every call goes through the public JSON API with the same tokens as any client.
import { api, session, logIn, rupees, refreshIfDue, startRefreshing, ownImage } from "./api.js";
import { el, guarded, clearError } from "./ui.js";

const view = document.getElementById("view");

// ---- live updates: one socket; seat events of the show on screen, notifications for the bell ----
let socket = null, liveShow = null, onSeats = null, unread = 0;
async function connectLive() {
  if (!session.signedIn || socket) return;
  await refreshIfDue();
  if (!session.signedIn || socket) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(session.access)}`);
  socket.addEventListener("open", () => {
    if (liveShow) socket.send(JSON.stringify({ type: "subscribe", show_id: liveShow }));
    refreshUnread();
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "seats" && message.show_id === liveShow && onSeats) onSeats(message);
    if (message.type === "notification") setUnread(unread + 1);
  });
  // Reconnects after a drop (server restart, token renewal); a fresh map is drawn on the next visit. 4401: the session
  // ended (signed out elsewhere, password changed, account disabled), so this page is signed out too.
  socket.addEventListener("close", (event) => {
    socket = null;
    if (event.code === 4401) { session.clear(); renderNav(); return; }
    if (session.signedIn) setTimeout(connectLive, 3000);
  });
}
function follow(showID, handler) {
  if (socket?.readyState === WebSocket.OPEN && liveShow && liveShow !== showID) {
    socket.send(JSON.stringify({ type: "unsubscribe", show_id: liveShow }));
  }
  liveShow = showID; onSeats = handler;
  if (socket?.readyState === WebSocket.OPEN && showID) socket.send(JSON.stringify({ type: "subscribe", show_id: showID }));
}
function setUnread(count) {
  unread = count;
  document.getElementById("bell").dataset.unread = String(count);
  document.getElementById("bell-count").textContent = String(count);
}
async function refreshUnread() {
  if (session.signedIn) setUnread((await api("GET", "/notifications?unread_only=true&limit=1")).total);
}

// ---- header ----
function renderNav() {
  for (const id of ["nav-bookings", "bell", "nav-signout"]) document.getElementById(id).hidden = !session.signedIn;
  document.getElementById("nav-signin").hidden = session.signedIn;
}
document.getElementById("nav-bookings").addEventListener("click", () => go("#/bookings"));
document.getElementById("nav-signin").addEventListener("click", () => go("#/signin"));
document.getElementById("bell").addEventListener("click", () => go("#/notifications"));
document.getElementById("nav-signout").addEventListener("click", guarded(async () => {
  try { await api("POST", "/users/logout"); } finally {
    session.clear(); socket?.close(); renderNav(); go("#/");
  }
}));
function signedIn() { renderNav(); connectLive(); }

// ---- sign in / sign up ----
function signIn(next) {
  const email = el("input", { type: "email", required: true, testid: "signin-email", autocomplete: "email" });
  const password = el("input", { type: "password", required: true, testid: "signin-password", autocomplete: "current-password" });
  const form = el("form", {}, el("h1", {}, "Sign in"), el("label", {}, "Email ", email), el("label", {}, "Password ", password),
    el("button", { type: "submit", testid: "signin-submit" }, "Sign in"), " ",
    el("a", { href: `#/signup?next=${encodeURIComponent(next || "#/")}`, testid: "signup-link" }, "Create an account"));
  form.addEventListener("submit", guarded(async (event) => {
    event.preventDefault();
    await logIn(email.value, password.value);
    signedIn(); go(next || "#/");
  }, form));
  view.replaceChildren(form);
  email.focus();
}

function signUp(next) {
  const fields = {
    name: el("input", { required: true, autocomplete: "name", testid: "signup-name" }),
    email: el("input", { type: "email", required: true, autocomplete: "email", testid: "signup-email" }),
    phone: el("input", { required: true, placeholder: "+919876543210", autocomplete: "tel", testid: "signup-phone" }),
    password: el("input", { type: "password", required: true, autocomplete: "new-password", testid: "signup-password" }),
  };
  const form = el("form", {}, el("h1", {}, "Create an account"),
    Object.entries(fields).map(([name, input]) => el("label", {}, `${name[0].toUpperCase()}${name.slice(1)} `, input)),
    el("button", { type: "submit", testid: "signup-submit" }, "Sign up"));
  form.addEventListener("submit", guarded(async (event) => {
    event.preventDefault();
    await api("POST", "/users/signup", Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.value])));
    await logIn(fields.email.value, fields.password.value);
    signedIn(); go(next || "#/");
  }, form));
  view.replaceChildren(form);
}

// Each navigation takes a ticket; a view whose data arrives after a later navigation draws nothing.
let routeTicket = 0;

// ---- shows by date ----
async function shows(date) {
  const ticket = routeTicket;
  date = date || new Date().toLocaleDateString("en-CA"); // YYYY-MM-DD in the browser's time zone
  const picker = el("input", { type: "date", value: date, testid: "date-picker", onchange: () => go(`#/?date=${picker.value}`) });
  const page = await api("GET", `/shows?date=${date}&limit=100`);
  if (ticket !== routeTicket) return;
  const cards = page.items.map((show) => el("article", { class: "card show", testid: "show-card", "data-show-id": show.id },
    ownImage(show.movie.poster_url)
      ? el("img", { class: "poster", src: show.movie.poster_url, alt: `Poster of ${show.movie.title}` })
      : el("div", { class: "poster blank", "aria-hidden": "true" }, show.movie.title.slice(0, 1)),
    el("div", {}, el("h2", {}, show.movie.title),
      el("p", {}, `${show.show_time} · ${show.language} · ${show.format}${show.movie.certificate ? ` · ${show.movie.certificate}` : ""}`),
      el("p", {}, show.screen.name, " · ", el("span", { class: show.is_on_sale ? "on-sale" : "off-sale" },
        show.is_on_sale ? "On sale" : show.status === "CANCELLED" ? "Cancelled" : "Not on sale")),
      show.is_on_sale ? el("button", { type: "button", onclick: () => go(`#/show/${show.id}`) }, "Choose seats") : "")));
  view.replaceChildren(el("h1", {}, "Shows"), el("label", {}, "Date ", picker),
    cards.length ? el("div", { class: "cards" }, cards) : el("p", {}, "No shows on this day."));
}

// ---- a show's seat map: live, keyboard-operable, hold ----
const kindNote = { wheelchair: "wheelchair space", companion: "companion seat" };
const kindMark = { wheelchair: "♿", companion: "+" };

async function seatMap(showID) {
  if (!session.signedIn) return signIn(`#/show/${showID}`);
  const ticket = routeTicket;
  const map = await api("GET", `/shows/${showID}/availability`);
  if (ticket !== routeTicket) return;
  const categories = Object.fromEntries(map.categories.map((c) => [c.id, c]));
  const picked = new Set();
  const buttons = new Map();
  const label = (seat, status) => {
    const category = categories[seat.category_id];
    const price = category?.price_minor != null ? `, ${rupees(category.price_minor)}` : "";
    const kind = kindNote[seat.kind] ? `, ${kindNote[seat.kind]}` : "";
    const chosen = picked.has(seat.id) ? ", chosen" : "";
    return `Seat ${seat.label}, ${category?.name || ""}${price}${kind}, ${status.replaceAll("_", " ")}${chosen}`;
  };
  const relabel = (button) => button.setAttribute("aria-label", label(button.seat, button.dataset.status));
  const setStatus = (seatID, status) => {
    const button = buttons.get(seatID);
    if (!button) return;
    button.dataset.status = status;
    if (status !== "available") { picked.delete(seatID); button.classList.remove("picked"); button.setAttribute("aria-pressed", "false"); }
    button.disabled = false;
    relabel(button);
  };
  const toggle = (seatID) => {
    const button = buttons.get(seatID);
    if (button.dataset.status !== "available") return;
    if (picked.has(seatID)) picked.delete(seatID); else picked.add(seatID);
    button.classList.toggle("picked", picked.has(seatID));
    button.setAttribute("aria-pressed", String(picked.has(seatID)));
    relabel(button);
    chosen.textContent = picked.size ? `Chosen: ${[...picked].map((id) => buttons.get(id).seat.label).join(", ")}` : "";
  };
  const rows = [...new Set(map.seats.map((s) => s.row))];
  const grid = el("div", { class: "seatmap", role: "group", "aria-label": "Seat map: arrow keys move, Enter or Space chooses" },
    el("p", { class: "screen-edge", "aria-hidden": "true" }, "Screen this way"),
    rows.map((row) => {
      const seats = map.seats.filter((s) => s.row === row).sort((a, b) => a.column - b.column);
      let last = 0;
      return el("div", { class: "row" }, el("span", { class: "row-label", "aria-hidden": "true" }, row), seats.flatMap((seat) => {
        const gaps = Array.from({ length: Math.max(0, seat.column - last - 1) }, () => el("span", { class: "gap" }));
        last = seat.column;
        const button = el("button", {
          type: "button", class: `seat kind-${seat.kind}`, testid: "seat", "data-seat-id": seat.id, "data-status": seat.status,
          "data-row": row, "data-column": seat.column, "aria-pressed": "false", title: seat.label, tabindex: "-1",
          onclick: () => toggle(seat.id),
        }, kindMark[seat.kind] || seat.label.slice(row.length));
        button.seat = seat;
        buttons.set(seat.id, button);
        relabel(button);
        return [...gaps, button];
      }));
    }));
  // One tab stop for the whole map (roving tabindex); arrows move within a row and to the nearest seat above or below.
  const all = [...buttons.values()];
  if (all.length) all[0].tabIndex = 0;
  grid.addEventListener("keydown", (event) => {
    const current = document.activeElement;
    if (!buttons.has(current?.dataset?.seatId)) return;
    let target = null;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      target = all[all.indexOf(current) + (event.key === "ArrowRight" ? 1 : -1)];
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const row = rows[rows.indexOf(current.dataset.row) + (event.key === "ArrowDown" ? 1 : -1)];
      const column = Number(current.dataset.column);
      target = all.filter((b) => b.dataset.row === row)
        .sort((a, b) => Math.abs(a.dataset.column - column) - Math.abs(b.dataset.column - column))[0];
    } else if (event.key === "Home" || event.key === "End") {
      target = event.key === "Home" ? all[0] : all[all.length - 1];
    }
    if (!target) return;
    event.preventDefault();
    current.tabIndex = -1; target.tabIndex = 0; target.focus();
  });
  follow(showID, (message) => {
    const status = { held: "held", released: "available", expired: "available", booked: "booked", freed: "available" }[message.status];
    if (!status) return;
    for (const id of message.seat_ids) {
      if (!(status === "held" && buttons.get(id)?.dataset.status === "held_by_you")) setStatus(id, status);
    }
  });
  const best = el("input", { type: "number", min: 1, max: 10, value: 2, "aria-label": "Number of seats", class: "narrow" });
  const chosen = el("p", { class: "chosen", "aria-live": "polite" });
  const holdBar = el("p", {});
  const hold = guarded(async (request) => {
    const lock = await api("POST", "/seatlocks", { show_id: showID, ...request });
    lock.seat_ids.forEach((id) => setStatus(id, "held_by_you"));
    await checkout(map.show, lock);
  }, () => holdBar);
  holdBar.append(
    el("button", { type: "button", testid: "hold-button", onclick: () => hold({ seat_ids: [...picked] }) }, "Hold the chosen seats"),
    " or the best ", best, " ", el("button", { type: "button", testid: "best-button", onclick: () => hold({ best_available: { count: Number(best.value) } }) }, "seats"));
  const counts = map.counts;
  view.replaceChildren(
    el("h1", {}, `${map.show.movie.title}`),
    el("p", {}, `${map.show.show_date} ${map.show.show_time} · ${map.show.language} · ${map.show.format} · ${map.show.screen.name}`),
    el("ul", { class: "legend", "aria-label": "Legend" },
      [["available", "Available"], ["held", "Held by someone"], ["held_by_you", "Held by you"], ["booked", "Booked"], ["unavailable", "Unavailable"]]
        .map(([status, name]) => el("li", {}, el("span", { class: "swatch seat", "data-status": status, "aria-hidden": "true" }), ` ${name}`)),
      el("li", {}, "♿ wheelchair space"), el("li", {}, "+ companion seat")),
    el("p", { class: "prices" }, map.categories.map((c) => el("span", {}, `${c.name} ${c.price_minor != null ? rupees(c.price_minor) : ""}`))),
    el("p", { class: "muted" }, `${counts.available} of ${map.seats.length} seats available`),
    grid, chosen, holdBar,
    el("section", { id: "checkout" }));
}

// ---- checkout: countdown, food, promo, the price breakdown, pay ----
async function checkout(show, lock) {
  const section = document.getElementById("checkout");
  const countdown = el("p", { testid: "hold-countdown", role: "timer", "data-expires-at": lock.expires_at });
  const tick = () => {
    const left = Math.max(0, Math.round((Date.parse(lock.expires_at) - Date.now()) / 1000));
    countdown.textContent = left > 0 ? `Held for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "Your hold has expired";
    if (left > 0 && document.body.contains(countdown)) setTimeout(tick, 1000);
  };
  tick();
  const food = (await api("GET", "/food-items?limit=100")).items.filter((item) => item.is_available !== false);
  const quantities = new Map();
  const promo = el("input", { testid: "promo-input", placeholder: "Promo code", "aria-label": "Promo code", autocapitalize: "characters" });
  const bookBar = el("p", {}, promo, " ");
  bookBar.append(el("button", { type: "button", testid: "book-button", onclick: guarded(async () => {
    const foods = [...quantities].filter(([, q]) => q > 0).map(([food_id, quantity]) => ({ food_id, quantity }));
    const booking = await api("POST", "/bookings", {
      show_id: show.id, lock_id: lock.lock_id, foods, promo_code: promo.value.trim() || undefined,
    });
    pay(booking);
  }, () => bookBar) }, "Book"));
  section.replaceChildren(el("h2", {}, "Your seats: ", lock.seats.map((s) => s.label).join(", ")), countdown,
    food.length ? el("h3", {}, "Food") : "", el("div", { class: "cards" }, food.map((item) => {
      const qty = el("input", {
        type: "number", min: 0, max: 10, value: 0, testid: "food-qty", class: "narrow", "aria-label": `Quantity of ${item.name}`,
        oninput: () => quantities.set(item.id, Number(qty.value)),
      });
      return el("div", { class: "card", testid: "food-item", "data-food-id": item.id },
        el("span", {}, `${item.name} ${rupees(item.price_minor)} `), qty);
    })),
    bookBar);
  section.scrollIntoView({ block: "start" });
}

function breakdown(b) {
  const lines = [["Seats", b.seats_minor], ["Food", b.food_minor], ["Discount", -b.discount_minor],
    ["CGST", b.cgst_minor], ["SGST", b.sgst_minor]].filter(([name, value]) => value !== 0 || name === "Seats");
  return el("table", { class: "breakdown" },
    el("tbody", {}, lines.map(([name, value]) => el("tr", {}, el("td", {}, name), el("td", {}, rupees(value)))),
      el("tr", { class: "total" }, el("th", { scope: "row" }, "Total"), el("td", { testid: "price-total" }, rupees(b.total_minor)))));
}

function pay(booking) {
  const section = document.getElementById("checkout") || view;
  const payBar = el("p", {});
  payBar.append(el("button", { type: "button", testid: "pay-button", onclick: guarded(async () => {
    const payment = await api("POST", "/payments", { booking_id: booking.id, method: "upi" });
    // The simulator's checkout (development); a real gateway's Checkout would open here.
    if (payment.checkout?.simulate_url) await api("POST", payment.checkout.simulate_url, { outcome: "succeeded" });
    const paid = await api("GET", `/bookings/${booking.id}`);
    window.scrollTo(0, 0);
    view.replaceChildren(el("h2", {}, paid.status === "CONFIRMED" ? "Booked!" : `Booking ${paid.status.toLowerCase()}`),
      el("p", {}, "Reference ", el("strong", { testid: "booking-reference" }, paid.reference)),
      el("p", {}, "Seats ", paid.seats.map((s) => s.label).join(", ")), breakdown(paid.breakdown),
      el("p", {}, el("a", { href: "#/bookings" }, "My bookings"), " · ", el("a", { href: "#/" }, "More shows")));
  }, () => payBar) }, `Pay ${rupees(booking.breakdown.total_minor)}`));
  section.replaceChildren(el("h2", {}, "Pay"), el("p", {}, `Booking ${booking.reference}, due by ${new Date(booking.payment_due_by).toLocaleTimeString()}`),
    breakdown(booking.breakdown), payBar);
}

// ---- my bookings, with cancel and the refund the policy gives ----
async function bookings() {
  if (!session.signedIn) return signIn("#/bookings");
  const ticket = routeTicket;
  const page = await api("GET", "/bookings?limit=50");
  if (ticket !== routeTicket) return;
  const card = (b) => {
    const outcome = el("p", { class: "refund", testid: "refund-amount", hidden: true });
    const node = el("article", { class: "card", "data-booking-id": b.id, "data-status": b.status },
      el("h2", {}, b.reference), el("p", {}, b.status),
      el("p", {}, b.seats.map((s) => s.label).join(", "), " · ", rupees(b.breakdown.total_minor)), outcome);
    if (["PENDING", "CONFIRMED"].includes(b.status)) {
      const cancel = el("button", { type: "button", testid: "cancel-booking" }, "Cancel");
      cancel.addEventListener("click", guarded(async () => {
        const cancelled = await api("POST", `/bookings/${b.id}/cancel`, {});
        const payments = b.status === "CONFIRMED" ? (await api("GET", `/payments?booking_id=${b.id}&limit=10`)).items : [];
        // refunded_minor counts a refund from the moment it is recorded, before the gateway has paid it out.
        const refunded = payments.reduce((sum, p) => sum + p.refunded_minor, 0);
        node.dataset.status = cancelled.status;
        node.children[1].textContent = cancelled.status;
        outcome.textContent = b.status === "CONFIRMED" ? `Cancelled. Refund: ${rupees(refunded)}` : "Cancelled. Nothing was paid.";
        outcome.hidden = false;
        cancel.remove();
      }, () => cancel));
      node.append(cancel);
    }
    return node;
  };
  view.replaceChildren(el("h1", {}, "My bookings"), el("div", { testid: "my-bookings", class: "cards" },
    page.items.length ? page.items.map(card) : el("p", {}, "No bookings yet.")));
}

// ---- notifications ----
async function notifications() {
  if (!session.signedIn) return signIn("#/notifications");
  const ticket = routeTicket;
  const page = await api("GET", "/notifications?limit=50");
  if (ticket !== routeTicket) return;
  const markAll = el("button", { type: "button", onclick: guarded(async () => {
    await api("POST", "/notifications/mark_all_read", {}); setUnread(0); await notifications();
  }, () => markAll) }, "Mark all read");
  view.replaceChildren(el("h1", {}, "Notifications"), markAll, el("ul", { class: "notes" }, page.items.map((n) =>
    el("li", { class: n.is_read ? "read" : "unread" }, el("strong", {}, n.title), " ", n.message,
      el("small", {}, ` ${new Date(n.created_at).toLocaleString()}`)))));
}

// ---- routing ----
function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }
const route = guarded(async () => {
  routeTicket += 1;
  clearError();
  await refreshIfDue(); // after a reload: the session comes back through the refresh cookie
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(query || "");
  if (!path.startsWith("/show/")) follow(null, null);
  if (path === "/signin") return signIn(params.get("next"));
  if (path === "/signup") return signUp(params.get("next"));
  if (path === "/bookings") return bookings();
  if (path === "/notifications") return notifications();
  if (path.startsWith("/show/")) return seatMap(path.slice(6));
  return shows(params.get("date"));
});
window.addEventListener("hashchange", route);
startRefreshing(() => { renderNav(); if (!session.signedIn) socket?.close(); });
await refreshIfDue();
renderNav();
connectLive();
route();
