// One show's seats for staff: the seat map by row with each seat's state, counts and occupancy overall and by
// category, and people checked in, refreshed on demand or every few seconds. It never says who holds or booked a seat:
// the seat map carries no owners, and the staff's own holds are drawn as any other hold.
import { api, rupees } from "../../api.js";
import { action, el, view } from "../../ui.js";
import { waitingRoom } from "./waiting-room.js";

const EVERY_SECONDS = 5;
const STATES = ["available", "held", "booked", "unavailable"];
const WORDS = { available: "Available", held: "Held", booked: "Booked", unavailable: "Unavailable" };
const kindNote = { wheelchair: ", wheelchair space", companion: ", companion seat" };
// The staff's own hold is a hold like any other here.
const state = (seat) => (seat.status === "held_by_you" ? "held" : seat.status);

/** `part` of `whole` as a percentage with one decimal, half-up, as the occupancy report rounds it (0 of 0 is 0). */
function percent(part, whole) {
  if (!whole) return "0%";
  const permille = Math.floor((part * 2000 + whole) / (2 * whole));
  return `${Math.floor(permille / 10)}.${permille % 10}%`;
}

function tally(seats) {
  const counts = Object.fromEntries(STATES.map((s) => [s, 0]));
  for (const seat of seats) counts[state(seat)] = (counts[state(seat)] ?? 0) + 1;
  counts.total = seats.length;
  counts.sellable = seats.length - counts.unavailable;
  return counts;
}

/** `#/seats/{show id}` */
export async function showSeats({ id: showID, load }) {
  const fetchBoth = () =>
    Promise.all([api("GET", `/shows/${showID}/availability`), api("GET", `/shows/${showID}/checkins`)]);
  const [first, firstDoor] = await load(fetchBoth());
  const show = first.show;
  const room = waitingRoom(show);
  // Redrawn every few seconds, so not read out each time (the page's main area is a polite live region).
  const body = el("div", {});
  const stamp = el("p", { class: "muted" });
  let ticket = 0;
  let shown = "";
  const update = ([seatMap, door], force) => {
    const key = JSON.stringify([seatMap.seats.map(state), door]);
    if (force || key !== shown) body.replaceChildren(...draw(seatMap, door));
    shown = key;
    stamp.textContent = `Updated at ${new Date().toLocaleTimeString()}.`;
  };
  const refresh = async (force) => {
    const mine = ++ticket;
    room.refresh(force);
    const answer = await fetchBoth();
    if (mine === ticket && body.isConnected) update(answer, force);
  };
  const auto = el("input", { type: "checkbox", checked: true, testid: "admin-seats-auto" });
  const timer = setInterval(() => {
    if (!body.isConnected) clearInterval(timer);
    else if (auto.checked && !document.hidden) refresh(false).catch(() => {});
  }, EVERY_SECONDS * 1000);
  update([first, firstDoor], true);
  view.replaceChildren(
    el(
      "section",
      { testid: "admin-show-seats", "data-show-id": show.id },
      el("h1", {}, `Seats: ${show.movie.title}`),
      el(
        "p",
        {},
        `${show.screen.name} · ${show.show_date} at ${show.show_time} · ${show.language} · ${show.format} · `,
        show.status === "CANCELLED" ? "Cancelled" : show.is_on_sale ? "On sale" : "Not on sale",
      ),
      el(
        "p",
        { class: "filters" },
        el("a", { href: `#/schedule?date=${show.show_date}`, class: "button" }, "Back to the day's shows"),
        el("a", { href: `#/prices/${show.id}`, class: "button" }, "Prices"),
        action("Refresh", () => refresh(true), { testid: "admin-seats-refresh" }),
        el("label", {}, auto, ` Refresh every ${EVERY_SECONDS} seconds`),
      ),
      el("div", { "aria-live": "off" }, stamp, body),
      room.node,
    ),
  );
}

function draw(map, door) {
  const counts = tally(map.seats);
  const waiting = Math.max(0, counts.booked - door.sold);
  return [
    el(
      "p",
      { class: "occupancy-figure", testid: "admin-occupancy", "data-sold": door.sold, "data-held": counts.held },
      el("strong", {}, `${percent(door.sold, counts.sellable)} sold`),
      ` (${door.sold} of ${counts.sellable} seats on sale) · ${counts.held} held (${percent(counts.held, counts.sellable)})`,
      waiting ? ` · ${waiting} booked, awaiting payment` : "",
      ` · ${counts.available} available · ${door.admitted} checked in`,
    ),
    categoryTable(map),
    legend(),
    seatRows(map),
  ];
}

function categoryTable(map) {
  const categories = [...map.categories].sort((a, b) => a.display_order - b.display_order);
  const row = (name, price, seats, tag) => {
    const c = tally(seats);
    return el(
      "tr",
      {},
      el(tag, {}, name),
      el(tag, { class: "num" }, price),
      [c.total, c.available, c.held, c.booked, c.unavailable].map((n) => el(tag, { class: "num" }, String(n))),
      el(tag, { class: "num" }, percent(c.booked, c.sellable)),
    );
  };
  const headings = ["Category", "Price", "Seats", "Available", "Held", "Booked", "Unavailable", "Booked of on sale"];
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      { class: "report", testid: "admin-seat-categories" },
      el("caption", { class: "muted staff-caption" }, "By category (booked includes bookings awaiting payment)"),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          headings.map((h, i) => el("th", { scope: "col", class: i ? "num" : undefined }, h)),
        ),
      ),
      el(
        "tbody",
        {},
        categories.map((c) =>
          row(
            c.name,
            c.price_minor == null ? "—" : rupees(c.price_minor),
            map.seats.filter((s) => s.category_id === c.id),
            "td",
          ),
        ),
      ),
      el("tfoot", {}, row("All", "", map.seats, "th")),
    ),
  );
}

const legend = () =>
  el(
    "ul",
    { class: "legend", "aria-label": "Seat states" },
    STATES.map((s) =>
      el("li", {}, el("span", { class: "seat swatch", "data-status": s, "aria-hidden": "true" }), ` ${WORDS[s]}`),
    ),
  );

function seatRows(map) {
  const categories = Object.fromEntries(map.categories.map((c) => [c.id, c.name]));
  const rows = [...new Set(map.seats.map((s) => s.row))];
  return el(
    "div",
    { class: "seatmap staff-seats" },
    el("p", { class: "screen-edge", "aria-hidden": "true" }, "Screen this way"),
    rows.map((row) => {
      const seats = map.seats.filter((s) => s.row === row).sort((a, b) => a.column - b.column);
      const c = tally(seats);
      let last = 0;
      return el(
        "div",
        { class: "row", role: "group", "aria-label": `Row ${row}: ${c.booked} booked, ${c.held} held of ${c.total}` },
        el("span", { class: "row-label", "aria-hidden": "true" }, row),
        seats.flatMap((seat) => {
          const gaps = Array.from({ length: Math.max(0, seat.column - last - 1) }, () => el("span", { class: "gap" }));
          last = seat.column;
          const words = `Seat ${seat.label}, ${categories[seat.category_id] || ""}${kindNote[seat.kind] || ""}, ${WORDS[state(seat)].toLowerCase()}`;
          return [
            ...gaps,
            el(
              "span",
              {
                class: `seat kind-${seat.kind}`,
                role: "img",
                testid: "admin-seat",
                "data-seat-id": seat.id,
                "data-status": state(seat),
                "aria-label": words,
                title: words,
              },
              seat.label.slice(row.length),
            ),
          ];
        }),
        el("span", { class: "row-count muted", "aria-hidden": "true" }, `${c.booked}/${c.total}`),
      );
    }),
  );
}
