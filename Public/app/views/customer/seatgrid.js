// The seats of a show's map. Rows are grouped under their category's name and price (as box offices print them), each
// category's free seats outlined in its own colour. A state never rests on colour alone: held seats are hatched,
// booked ones crossed, yours ticked, chosen ones solid. Only free seats are buttons (one tab stop, arrow keys move
// among them); held, booked and unavailable seats are labelled images that take no focus.
import { rupees } from "../../api.js";
import { el } from "../../ui.js";

const kindNote = { wheelchair: "wheelchair space", companion: "companion seat" };
const kindMark = { wheelchair: "♿", companion: "+" };
/** What a seat that is not free shows, besides its fill (held: a hatch pattern, in CSS). */
export const statusMark = { held: "", held_by_you: "✓", booked: "×", unavailable: "" };
const ZOOMS = 4;

/**
 * Draws `map` (an availability answer). `picked` is the set of chosen seat ids, which the grid reads; `onToggle(id)`
 * runs when a free seat is pressed. Answers { node, setStatus, refresh, statusOf, labelOf }.
 */
export function seatGrid(map, picked, onToggle) {
  const categories = new Map(
    [...map.categories]
      .sort((a, b) => a.display_order - b.display_order)
      .map((c, i) => [c.id, { ...c, cls: `cat-${i % 6}` }]),
  );
  const nodes = new Map();
  const seats = new Map(map.seats.map((s) => [s.id, s]));
  const label = (seat, status) => {
    const category = categories.get(seat.category_id);
    const price = category?.price_minor != null ? `, ${rupees(category.price_minor)}` : "";
    const kind = kindNote[seat.kind] ? `, ${kindNote[seat.kind]}` : "";
    const chosen = picked.has(seat.id) ? ", chosen" : "";
    return `Seat ${seat.label}, ${category?.name || ""}${price}${kind}, ${status.replaceAll("_", " ")}${chosen}`;
  };
  const make = (seat, status) => {
    const chosen = status === "available" && picked.has(seat.id);
    const attrs = {
      class: `seat ${categories.get(seat.category_id)?.cls || ""} kind-${seat.kind}${chosen ? " picked" : ""}`,
      testid: "seat",
      "data-seat-id": seat.id,
      "data-status": status,
      "data-category": seat.category_id,
      "data-row": seat.row,
      "data-column": seat.column,
      "aria-label": label(seat, status),
      title: seat.label,
    };
    const node =
      status === "available"
        ? el(
            "button",
            {
              ...attrs,
              type: "button",
              tabindex: "-1",
              "aria-pressed": String(chosen),
              onclick: () => onToggle(seat.id),
            },
            kindMark[seat.kind] || seat.label.slice(seat.row.length),
          )
        : el("span", { ...attrs, role: "img" }, statusMark[status] ?? "");
    nodes.set(seat.id, node);
    return node;
  };

  const rows = [...new Set(map.seats.map((s) => s.row))];
  let lastCategory = null;
  const grid = el(
    "div",
    {
      class: "seatmap",
      role: "group",
      "aria-label": "Seat map: arrow keys move between free seats, Enter or Space chooses",
    },
    el("p", { class: "screen-edge", "aria-hidden": "true" }, "Screen this way"),
    rows.flatMap((row) => {
      const inRow = map.seats.filter((s) => s.row === row).sort((a, b) => a.column - b.column);
      const category = categories.get(inRow[0]?.category_id);
      const heading =
        category && category.id !== lastCategory
          ? el(
              "h2",
              { class: `block ${category.cls}` },
              el("span", { class: "swatch", "aria-hidden": "true" }),
              ` ${category.name} `,
              el("strong", {}, category.price_minor != null ? rupees(category.price_minor) : ""),
            )
          : "";
      lastCategory = category?.id ?? lastCategory;
      let last = 0;
      return [
        heading,
        el(
          "div",
          { class: "row" },
          el("span", { class: "row-label", "aria-hidden": "true" }, row),
          inRow.flatMap((seat) => {
            const gaps = Array.from({ length: Math.max(0, seat.column - last - 1) }, () =>
              el("span", { class: "gap" }),
            );
            last = seat.column;
            return [...gaps, make(seat, seat.status)];
          }),
        ),
      ];
    }),
  );

  // One tab stop for the whole map (roving tabindex) among the free seats.
  const free = () => [...grid.querySelectorAll("button.seat")];
  const keepOneStop = () => {
    const all = free();
    if (all.length && !all.some((b) => b.tabIndex === 0)) all[0].tabIndex = 0;
  };
  const moveTo = (from, target) => {
    if (from) from.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  };
  const nearestIn = (row, column) =>
    free()
      .filter((b) => b.dataset.row === row)
      .sort((a, b) => Math.abs(a.dataset.column - column) - Math.abs(b.dataset.column - column))[0];
  grid.addEventListener("keydown", (event) => {
    const current = document.activeElement;
    const all = free();
    if (!all.includes(current)) return;
    let target = null;
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      target = all[all.indexOf(current) + (event.key === "ArrowRight" ? 1 : -1)];
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      for (let i = rows.indexOf(current.dataset.row) + step; i >= 0 && i < rows.length && !target; i += step) {
        target = nearestIn(rows[i], Number(current.dataset.column));
      }
    } else if (event.key === "Home" || event.key === "End") {
      target = event.key === "Home" ? all[0] : all[all.length - 1];
    }
    if (!target) return;
    event.preventDefault();
    moveTo(current, target);
  });

  /** Redraws one seat in `status` (a fresh node: a button when free, an image otherwise), keeping focus nearby. */
  const setStatus = (seatID, status) => {
    const old = nodes.get(seatID);
    const seat = seats.get(seatID);
    if (!old || !seat) return;
    if (status !== "available") picked.delete(seatID);
    const focused = document.activeElement === old;
    const node = make(seat, status);
    old.replaceWith(node);
    if (node.tagName === "BUTTON" && old.tabIndex === 0) node.tabIndex = 0;
    if (focused) {
      const next = node.tagName === "BUTTON" ? node : nearestIn(seat.row, seat.column) || free()[0];
      if (next) moveTo(null, next);
    }
    keepOneStop();
  };

  // Zoom (the phone's narrow screen): seat sizes in steps; the map scrolls sideways inside its own box, never the page.
  let zoom = 1;
  const scroller = el("div", { class: `seat-scroll zoom-${zoom}` }, grid);
  const zoomBy = (step) => {
    zoom = Math.min(ZOOMS - 1, Math.max(0, zoom + step));
    scroller.className = `seat-scroll zoom-${zoom}`;
    smaller.disabled = zoom === 0;
    larger.disabled = zoom === ZOOMS - 1;
  };
  const smaller = el("button", { type: "button", "aria-label": "Smaller seats", onclick: () => zoomBy(-1) }, "−");
  const larger = el("button", { type: "button", "aria-label": "Larger seats", onclick: () => zoomBy(1) }, "+");
  keepOneStop();
  return {
    node: el(
      "div",
      { class: "seat-area" },
      el("div", { class: "zoom", role: "group", "aria-label": "Zoom" }, smaller, larger),
      scroller,
    ),
    setStatus,
    /** Redraws a free seat after its choice changed. */
    refresh: (seatID) => {
      const node = nodes.get(seatID);
      if (node?.tagName !== "BUTTON") return;
      node.classList.toggle("picked", picked.has(seatID));
      node.setAttribute("aria-pressed", String(picked.has(seatID)));
      node.setAttribute("aria-label", label(seats.get(seatID), "available"));
    },
    statusOf: (seatID) => nodes.get(seatID)?.dataset.status,
    labelOf: (seatID) => seats.get(seatID)?.label,
    categories,
  };
}
