// A show's seat map: drawn from /shows/{id}/availability, kept live by the socket, one tab stop with arrow keys,
// and the hold (chosen seats or the best N) that opens the checkout.
import { api, rupees } from "../../api.js";
import { el, guarded, view } from "../../ui.js";
import { checkout } from "./checkout.js";
import { follow } from "./live.js";

const kindNote = { wheelchair: "wheelchair space", companion: "companion seat" };
const kindMark = { wheelchair: "♿", companion: "+" };

export async function seatMap({ id: showID, load }) {
  const map = await load(api("GET", `/shows/${showID}/availability`));
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
    if (status !== "available") {
      picked.delete(seatID);
      button.classList.remove("picked");
      button.setAttribute("aria-pressed", "false");
    }
    button.disabled = false;
    relabel(button);
  };
  const toggle = (seatID) => {
    const button = buttons.get(seatID);
    if (button.dataset.status !== "available") return;
    if (picked.has(seatID)) picked.delete(seatID);
    else picked.add(seatID);
    button.classList.toggle("picked", picked.has(seatID));
    button.setAttribute("aria-pressed", String(picked.has(seatID)));
    relabel(button);
    chosen.textContent = picked.size ? `Chosen: ${[...picked].map((id) => buttons.get(id).seat.label).join(", ")}` : "";
  };
  const rows = [...new Set(map.seats.map((s) => s.row))];
  const grid = el(
    "div",
    { class: "seatmap", role: "group", "aria-label": "Seat map: arrow keys move, Enter or Space chooses" },
    el("p", { class: "screen-edge", "aria-hidden": "true" }, "Screen this way"),
    rows.map((row) => {
      const seats = map.seats.filter((s) => s.row === row).sort((a, b) => a.column - b.column);
      let last = 0;
      return el(
        "div",
        { class: "row" },
        el("span", { class: "row-label", "aria-hidden": "true" }, row),
        seats.flatMap((seat) => {
          const gaps = Array.from({ length: Math.max(0, seat.column - last - 1) }, () => el("span", { class: "gap" }));
          last = seat.column;
          const button = el(
            "button",
            {
              type: "button",
              class: `seat kind-${seat.kind}`,
              testid: "seat",
              "data-seat-id": seat.id,
              "data-status": seat.status,
              "data-row": row,
              "data-column": seat.column,
              "aria-pressed": "false",
              title: seat.label,
              tabindex: "-1",
              onclick: () => toggle(seat.id),
            },
            kindMark[seat.kind] || seat.label.slice(row.length),
          );
          button.seat = seat;
          buttons.set(seat.id, button);
          relabel(button);
          return [...gaps, button];
        }),
      );
    }),
  );
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
      target = all
        .filter((b) => b.dataset.row === row)
        .sort((a, b) => Math.abs(a.dataset.column - column) - Math.abs(b.dataset.column - column))[0];
    } else if (event.key === "Home" || event.key === "End") {
      target = event.key === "Home" ? all[0] : all[all.length - 1];
    }
    if (!target) return;
    event.preventDefault();
    current.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  });
  follow(showID, (message) => {
    const status = { held: "held", released: "available", expired: "available", booked: "booked", freed: "available" }[
      message.status
    ];
    if (!status) return;
    for (const id of message.seat_ids) {
      if (!(status === "held" && buttons.get(id)?.dataset.status === "held_by_you")) setStatus(id, status);
    }
  });
  const best = el("input", {
    type: "number",
    min: 1,
    max: 10,
    value: 2,
    "aria-label": "Number of seats",
    class: "narrow",
  });
  const chosen = el("p", { class: "chosen", "aria-live": "polite" });
  const holdBar = el("p", {});
  const hold = guarded(
    async (request) => {
      const lock = await api("POST", "/seatlocks", { show_id: showID, ...request });
      for (const id of lock.seat_ids) setStatus(id, "held_by_you");
      await checkout(map.show, lock);
    },
    () => holdBar,
  );
  holdBar.append(
    el(
      "button",
      { type: "button", testid: "hold-button", onclick: () => hold({ seat_ids: [...picked] }) },
      "Hold the chosen seats",
    ),
    " or the best ",
    best,
    " ",
    el(
      "button",
      { type: "button", testid: "best-button", onclick: () => hold({ best_available: { count: Number(best.value) } }) },
      "seats",
    ),
  );
  const counts = map.counts;
  view.replaceChildren(
    el("h1", {}, `${map.show.movie.title}`),
    el(
      "p",
      {},
      `${map.show.show_date} ${map.show.show_time} · ${map.show.language} · ${map.show.format} · ${map.show.screen.name}`,
    ),
    el(
      "ul",
      { class: "legend", "aria-label": "Legend" },
      [
        ["available", "Available"],
        ["held", "Held by someone"],
        ["held_by_you", "Held by you"],
        ["booked", "Booked"],
        ["unavailable", "Unavailable"],
      ].map(([status, name]) =>
        el("li", {}, el("span", { class: "swatch seat", "data-status": status, "aria-hidden": "true" }), ` ${name}`),
      ),
      el("li", {}, "♿ wheelchair space"),
      el("li", {}, "+ companion seat"),
    ),
    el(
      "p",
      { class: "prices" },
      map.categories.map((c) => el("span", {}, `${c.name} ${c.price_minor != null ? rupees(c.price_minor) : ""}`)),
    ),
    el("p", { class: "muted" }, `${counts.available} of ${map.seats.length} seats available`),
    grid,
    chosen,
    holdBar,
    el("section", { id: "checkout" }),
  );
}
