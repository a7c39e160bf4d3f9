// BoxOffice in the browser: shows by date, a live seat map, hold, food and promo, book, pay, my bookings.
// Plain modules, no build step; every call goes through the public JSON API.
import { api, session, rupees, APIProblem } from "./api.js";

const view = document.getElementById("view");
const errorBox = document.getElementById("error");
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "testid") node.dataset.testid = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
};

function showError(error) {
  errorBox.textContent = error instanceof APIProblem && error.errors.length
    ? `${error.message} ${error.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`
    : error.message;
  errorBox.hidden = false;
}
const clearError = () => { errorBox.hidden = true; errorBox.textContent = ""; };
const guarded = (action) => async (...args) => { clearError(); try { await action(...args); } catch (e) { showError(e); } };

// ---- live updates: one socket, seat events of the show on screen, notifications for the bell ----
let socket = null, liveShow = null, onSeats = null, unread = 0;
function connectLive() {
  if (!session.signedIn || socket) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(session.access)}`);
  socket.addEventListener("open", () => { if (liveShow) socket.send(JSON.stringify({ type: "subscribe", show_id: liveShow })); });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "seats" && message.show_id === liveShow && onSeats) onSeats(message);
    if (message.type === "notification") setUnread(unread + 1);
  });
  socket.addEventListener("close", () => { socket = null; if (session.signedIn) setTimeout(connectLive, 3000); });
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

// ---- header ----
function renderNav() {
  for (const id of ["nav-bookings", "bell", "nav-signout"]) document.getElementById(id).hidden = !session.signedIn;
}
document.getElementById("nav-bookings").addEventListener("click", () => go("#/bookings"));
document.getElementById("nav-signout").addEventListener("click", guarded(async () => {
  try { await api("POST", "/users/logout"); } finally { session.clear(); socket?.close(); renderNav(); go("#/"); }
}));

// ---- views ----
function signIn(next) {
  const email = el("input", { type: "email", required: true, testid: "signin-email", autocomplete: "email" });
  const password = el("input", { type: "password", required: true, testid: "signin-password", autocomplete: "current-password" });
  view.replaceChildren(el("form", { onsubmit: guarded(async (event) => {
    event.preventDefault();
    session.save(await api("POST", "/users/login", { email: email.value, password: password.value }));
    renderNav(); connectLive(); go(next || "#/");
  }) },
  el("h1", {}, "Sign in"), el("label", {}, "Email ", email), el("label", {}, "Password ", password),
  el("button", { type: "submit", testid: "signin-submit" }, "Sign in"), " ",
  el("a", { href: `#/signup?next=${encodeURIComponent(next || "#/")}`, testid: "signup-link" }, "Create an account")));
}

function signUp(next) {
  const fields = {
    name: el("input", { required: true }), email: el("input", { type: "email", required: true }),
    phone: el("input", { required: true, placeholder: "+919876543210" }), password: el("input", { type: "password", required: true }),
  };
  view.replaceChildren(el("form", { onsubmit: guarded(async (event) => {
    event.preventDefault();
    await api("POST", "/users/signup", Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.value])));
    session.save(await api("POST", "/users/login", { email: fields.email.value, password: fields.password.value }));
    renderNav(); connectLive(); go(next || "#/");
  }) }, el("h1", {}, "Create an account"),
  Object.entries(fields).map(([name, input]) => el("label", {}, `${name[0].toUpperCase()}${name.slice(1)} `, input)),
  el("button", { type: "submit" }, "Sign up")));
}

// Each navigation takes a ticket; a view whose data arrives after a later navigation draws nothing.
let routeTicket = 0;

async function shows(date) {
  const ticket = routeTicket;
  date = date || new Date().toISOString().slice(0, 10);
  const picker = el("input", { type: "date", value: date, testid: "date-picker", onchange: () => go(`#/?date=${picker.value}`) });
  const page = await api("GET", `/shows?date=${date}&limit=100`);
  if (ticket !== routeTicket) return;
  const cards = page.items.map((show) => el("article", { class: "card", testid: "show-card", "data-show-id": show.id },
    el("h2", {}, show.movie.title), el("p", {}, `${show.show_time} · ${show.language} · ${show.format} · ${show.screen.name}`),
    el("p", {}, show.is_on_sale ? "On sale" : "Not on sale"),
    show.is_on_sale ? el("button", { type: "button", onclick: () => go(`#/show/${show.id}`) }, "Choose seats") : ""));
  view.replaceChildren(el("h1", {}, "Shows"), el("label", {}, "Date ", picker),
    cards.length ? el("div", { class: "cards" }, cards) : el("p", {}, "No shows on this day."));
}

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
    return `Seat ${seat.label}, ${category?.name || ""}${price}, ${status.replaceAll("_", " ")}`;
  };
  const setStatus = (seatID, status) => {
    const button = buttons.get(seatID);
    if (!button) return;
    button.dataset.status = status;
    button.setAttribute("aria-label", label(button.seat, status));
    if (status !== "available") { picked.delete(seatID); button.classList.remove("picked"); }
  };
  const toggle = (seatID) => {
    const button = buttons.get(seatID);
    if (button.dataset.status !== "available") return;
    if (picked.has(seatID)) picked.delete(seatID); else picked.add(seatID);
    button.classList.toggle("picked", picked.has(seatID));
    button.setAttribute("aria-pressed", String(picked.has(seatID)));
  };
  const rows = [...new Set(map.seats.map((s) => s.row))];
  const grid = el("div", { class: "seatmap", role: "grid", "aria-label": "Seat map" }, rows.map((row) => {
    const seats = map.seats.filter((s) => s.row === row).sort((a, b) => a.column - b.column);
    let last = 0;
    return el("div", { class: "row", role: "row" }, el("span", { class: "row-label" }, row), seats.flatMap((seat) => {
      const gaps = Array.from({ length: Math.max(0, seat.column - last - 1) }, () => el("span", { class: "gap" }));
      last = seat.column;
      const button = el("button", {
        type: "button", class: "seat", testid: "seat", "data-seat-id": seat.id, "data-status": seat.status,
        "aria-label": label(seat, seat.status), title: seat.label, onclick: () => toggle(seat.id),
      }, seat.column);
      button.seat = seat;
      buttons.set(seat.id, button);
      return [...gaps, button];
    }));
  }));
  grid.addEventListener("keydown", (event) => {
    const all = [...buttons.values()];
    const index = all.indexOf(document.activeElement);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (index >= 0 && step) { event.preventDefault(); all[Math.min(all.length - 1, Math.max(0, index + step))].focus(); }
  });
  follow(showID, (message) => {
    const status = { held: "held", released: "available", expired: "available", booked: "booked", freed: "available" }[message.status];
    for (const id of message.seat_ids) {
      if (!(status === "held" && buttons.get(id)?.dataset.status === "held_by_you")) setStatus(id, status);
    }
  });
  const best = el("input", { type: "number", min: 1, max: 10, value: 2, "aria-label": "Number of seats" });
  const hold = guarded(async (request) => {
    const lock = await api("POST", "/seatlocks", { show_id: showID, ...request });
    lock.seat_ids.forEach((id) => setStatus(id, "held_by_you"));
    await checkout(map.show, lock);
  });
  view.replaceChildren(
    el("h1", {}, `${map.show.movie.title} · ${map.show.show_date} ${map.show.show_time}`),
    el("p", { class: "legend" }, el("span", {}, "green: available"), el("span", {}, "amber: held"),
      el("span", {}, "blue: yours"), el("span", {}, "grey: booked or unavailable")),
    el("p", {}, map.categories.map((c) => `${c.name}${c.price_minor != null ? ` ${rupees(c.price_minor)}` : ""}`).join(" · ")),
    grid,
    el("p", {}, el("button", { type: "button", testid: "hold-button", onclick: () => hold({ seat_ids: [...picked] }) }, "Hold the chosen seats"),
      " or the best ", best, " ", el("button", { type: "button", onclick: () => hold({ best_available: { count: Number(best.value) } }) }, "seats")),
    el("section", { id: "checkout" }));
}

async function checkout(show, lock) {
  const section = document.getElementById("checkout");
  const countdown = el("p", { testid: "hold-countdown" });
  const tick = () => {
    const left = Math.max(0, Math.round((Date.parse(lock.expires_at) - Date.now()) / 1000));
    countdown.textContent = `Held for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    if (left > 0 && document.body.contains(countdown)) setTimeout(tick, 1000);
  };
  tick();
  const food = (await api("GET", "/food-items?limit=100")).items;
  const quantities = new Map();
  const promo = el("input", { testid: "promo-input", placeholder: "Promo code" });
  section.replaceChildren(el("h2", {}, "Your seats: ", lock.seats.map((s) => s.label).join(", ")), countdown,
    el("h3", {}, "Food"), el("div", { class: "cards" }, food.map((item) => {
      const qty = el("input", {
        type: "number", min: 0, max: 10, value: 0, testid: "food-qty", "aria-label": `Quantity of ${item.name}`,
        onchange: () => quantities.set(item.id, Number(qty.value)),
      });
      return el("div", { class: "card", testid: "food-item", "data-food-id": item.id }, `${item.name} ${rupees(item.price_minor)} `, qty);
    })),
    el("p", {}, promo, " ", el("button", { type: "button", testid: "book-button", onclick: guarded(async () => {
      const foods = [...quantities].filter(([, q]) => q > 0).map(([food_id, quantity]) => ({ food_id, quantity }));
      const booking = await api("POST", "/bookings", {
        show_id: show.id, lock_id: lock.lock_id, foods, promo_code: promo.value.trim() || undefined,
      });
      pay(booking);
    }) }, "Book")));
}

function breakdown(b) {
  const lines = [["Seats", b.seats_subtotal_minor], ["Food", b.food_subtotal_minor], ["Discount", -b.discount_minor],
    ["CGST", b.cgst_minor], ["SGST", b.sgst_minor]];
  return el("table", { class: "breakdown" }, lines.map(([name, value]) => el("tr", {}, el("td", {}, name), el("td", {}, rupees(value)))),
    el("tr", {}, el("th", {}, "Total"), el("td", { testid: "price-total" }, rupees(b.total_minor))));
}

function pay(booking) {
  const section = document.getElementById("checkout") || view;
  section.replaceChildren(el("h2", {}, "Pay"), breakdown(booking.breakdown),
    el("button", { type: "button", testid: "pay-button", onclick: guarded(async () => {
      const payment = await api("POST", "/payments", { booking_id: booking.id, method: "upi" });
      // The simulator's checkout (development); a real gateway's Checkout would open here.
      if (payment.checkout?.simulate_url) await api("POST", payment.checkout.simulate_url, { outcome: "succeeded" });
      const paid = await api("GET", `/bookings/${booking.id}`);
      section.replaceChildren(el("h2", {}, paid.status === "CONFIRMED" ? "Booked!" : `Booking ${paid.status.toLowerCase()}`),
        el("p", {}, "Reference ", el("strong", { testid: "booking-reference" }, paid.reference)), breakdown(paid.breakdown));
    }) }, `Pay ${rupees(booking.breakdown.total_minor)}`));
}

async function bookings() {
  if (!session.signedIn) return signIn("#/bookings");
  const ticket = routeTicket;
  const page = await api("GET", "/bookings?limit=50");
  if (ticket !== routeTicket) return;
  view.replaceChildren(el("h1", {}, "My bookings"), el("div", { testid: "my-bookings", class: "cards" }, page.items.map((b) =>
    el("article", { class: "card", "data-booking-id": b.id }, el("h2", {}, b.reference), el("p", {}, b.status),
      el("p", {}, b.seats.map((s) => s.label).join(", "), " · ", rupees(b.breakdown.total_minor)),
      ["PENDING", "CONFIRMED"].includes(b.status)
        ? el("button", { type: "button", testid: "cancel-booking", onclick: guarded(async () => {
          await api("POST", `/bookings/${b.id}/cancel`, {});
          await bookings();
        }) }, "Cancel")
        : ""))));
}

// ---- routing ----
function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }
const route = guarded(async () => {
  routeTicket += 1;
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(query || "");
  if (!path.startsWith("/show/")) follow(null, null);
  if (path === "/signin") return signIn(params.get("next"));
  if (path === "/signup") return signUp(params.get("next"));
  if (path === "/bookings") return bookings();
  if (path.startsWith("/show/")) return seatMap(path.slice(6));
  return shows(params.get("date"));
});
window.addEventListener("hashchange", route);
renderNav();
connectLive();
route();
