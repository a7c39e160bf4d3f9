// The seat-layout editor's state: category lines and row lines, each with its inputs (rows name categories by a
// stable key), and a preview drawn from them as the API will number it. layout.js puts it in a form and saves it.
import { el } from "../../ui.js";
import { looseSeatNumbers, option, paise, rupeeInput, seatNumbers } from "./common.js";

/** The next row label: A → B, Z → AA. */
function nextLabel(label) {
  const chars = (label || "").toUpperCase().split("");
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (chars[i] !== "Z") {
      chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1);
      return chars.join("");
    }
    chars[i] = "A";
  }
  return `A${chars.join("")}`;
}

export function layoutDraft() {
  let nextKey = 0;
  const categories = [];
  const rows = [];
  const categoryBox = el("div");
  const rowBox = el("div");
  const preview = el("div", {
    class: "preview",
    testid: "admin-layout-preview",
    role: "img",
    "aria-label": "Preview of the seat map",
  });
  const totals = el("p", { testid: "admin-layout-totals" });
  const drop = (array, item) => {
    array.splice(array.indexOf(item), 1);
    item.node.remove();
  };
  const categoryName = (key) => categories.find((c) => String(c.key) === key)?.name.value.trim() || "";
  const refreshChoices = () => {
    for (const row of rows) {
      const current = row.category.value;
      row.category.replaceChildren(...categories.map((c) => option(String(c.key), c.name.value.trim() || "(unnamed)")));
      if (categories.some((c) => String(c.key) === current)) row.category.value = current;
    }
  };

  function addCategory(name = "", priceMinor = null) {
    const line = { key: nextKey++ };
    line.name = el("input", {
      required: true,
      maxlength: 100,
      value: name,
      placeholder: "e.g. Classic",
      testid: "layout-category-name",
    });
    line.price = el("input", {
      required: true,
      inputmode: "decimal",
      value: priceMinor === null ? "" : rupeeInput(priceMinor),
      placeholder: "e.g. 180",
      testid: "layout-category-price",
    });
    line.node = el(
      "div",
      { class: "fields line" },
      el("label", {}, "Category ", line.name),
      el("label", {}, "Base price (₹) ", line.price),
      el(
        "button",
        {
          type: "button",
          onclick: () => {
            drop(categories, line);
            refreshChoices();
            draw();
          },
        },
        "Remove",
      ),
    );
    line.name.addEventListener("input", refreshChoices);
    categories.push(line);
    categoryBox.append(line.node);
    refreshChoices();
    return line;
  }

  function addRow(spec = {}) {
    const row = {};
    const numbers = (value, hint, testid) => el("input", { value, placeholder: hint, testid });
    row.label = el("input", {
      required: true,
      maxlength: 3,
      pattern: "[A-Za-z]{1,3}",
      value: spec.label ?? nextLabel(rows.at(-1)?.label.value.trim()),
      testid: "layout-row-label",
    });
    row.category = el("select", { required: true, testid: "layout-row-category" });
    row.seats = el("input", {
      type: "number",
      required: true,
      min: 1,
      max: 60,
      value: spec.seats ?? 12,
      testid: "layout-row-seats",
    });
    row.aisles = numbers(spec.aisles, "e.g. 4, 8", "layout-row-aisles");
    row.wheelchair = numbers(spec.wheelchair, "e.g. 1", "layout-row-wheelchair");
    row.companion = numbers(spec.companion, "e.g. 2", "layout-row-companion");
    row.blocked = numbers(spec.blocked, "e.g. 11-12", "layout-row-blocked");
    row.node = el(
      "fieldset",
      { class: "fields line", testid: "layout-row" },
      el("label", {}, "Row ", row.label),
      el("label", {}, "Category ", row.category),
      el("label", {}, "Seats ", row.seats),
      el("label", {}, "Aisle after ", row.aisles),
      el("label", {}, "Wheelchair ", row.wheelchair),
      el("label", {}, "Companion ", row.companion),
      el("label", {}, "Blocked ", row.blocked),
      el(
        "button",
        {
          type: "button",
          onclick: () => {
            drop(rows, row);
            draw();
          },
        },
        "Remove row",
      ),
    );
    rows.push(row);
    rowBox.append(row.node);
    refreshChoices();
    row.category.value = spec.category ?? String(categories[0]?.key ?? "");
  }

  // The preview draws what the rows say, as the API will number it: seat n of a row is its nth seat, aisles are gaps.
  function draw() {
    const kinds = { standard: 0, wheelchair: 0, companion: 0, blocked: 0 };
    preview.replaceChildren(
      ...rows.map((row) => {
        const label = row.label.value.trim().toUpperCase();
        const count = Math.min(60, Math.max(0, Math.floor(Number(row.seats.value)) || 0));
        const [aisles, wheelchair, companion, blocked] = [row.aisles, row.wheelchair, row.companion, row.blocked].map(
          (i) => looseSeatNumbers(i.value),
        );
        const cells = [];
        for (let n = 1; n <= count; n += 1) {
          const kind = wheelchair.has(n)
            ? "wheelchair"
            : companion.has(n)
              ? "companion"
              : blocked.has(n)
                ? "blocked"
                : "standard";
          kinds[kind] += 1;
          cells.push(el("span", { class: `pseat ${kind}`, title: `${label}${n} ${kind}` }));
          if (aisles.has(n) && n < count) cells.push(el("span", { class: "pgap" }));
        }
        return el(
          "div",
          { class: "row" },
          el("span", { class: "row-label" }, label),
          cells,
          el("span", { class: "muted" }, categoryName(row.category.value)),
        );
      }),
    );
    const total = Object.values(kinds).reduce((a, b) => a + b, 0);
    totals.textContent = `Preview: ${total} seats (${Object.entries(kinds)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(", ")}).`;
  }

  /** Starts from the screen's categories and its current seats, read back into rows. */
  function readBack(screen, seats) {
    const keyOf = new Map();
    for (const c of [...screen.categories].sort((a, b) => a.display_order - b.display_order)) {
      keyOf.set(c.category_id, String(addCategory(c.name, c.base_price_minor).key));
    }
    if (!categories.length) addCategory();
    const byRow = new Map();
    for (const seat of seats) byRow.set(seat.row_label, [...(byRow.get(seat.row_label) || []), seat]);
    for (const [label, rowSeats] of byRow) {
      rowSeats.sort((a, b) => a.column - b.column);
      const numbered = (test) => rowSeats.flatMap((seat, i) => (test(seat, i) ? [i + 1] : [])).join(", ");
      addRow({
        label,
        seats: rowSeats.length,
        category: keyOf.get(rowSeats[0].category_id),
        aisles: numbered((seat, i) => rowSeats[i + 1] && rowSeats[i + 1].column > seat.column + 1),
        wheelchair: numbered((seat) => seat.kind === "wheelchair"),
        companion: numbered((seat) => seat.kind === "companion"),
        blocked: numbered((seat) => seat.kind === "blocked"),
      });
    }
    if (!rows.length) addRow({ label: "A" });
  }

  /** The body of POST /screens/{id}/layout; throws an error in words for a seat list that does not read. */
  function request(replace) {
    if (!rows.length) throw new Error("Add at least one row.");
    return {
      replace,
      categories: categories.map((c, index) => ({
        name: c.name.value.trim(),
        base_price_minor: paise(c.price.value, `base price of ${c.name.value.trim() || "a category"}`),
        display_order: index,
      })),
      rows: rows.map((row) => {
        const label = row.label.value.trim().toUpperCase();
        const spec = { label, category: categoryName(row.category.value), seats: Number(row.seats.value) };
        for (const [field, input, what] of [
          ["aisles_after", row.aisles, "aisle after"],
          ["wheelchair", row.wheelchair, "wheelchair"],
          ["companion", row.companion, "companion"],
          ["blocked", row.blocked, "blocked"],
        ]) {
          const numbers = seatNumbers(input.value, `Row ${label}, ${what}`);
          if (numbers.length) spec[field] = numbers;
        }
        return spec;
      }),
    };
  }

  return { categoryBox, rowBox, preview, totals, addCategory, addRow, draw, readBack, request };
}
