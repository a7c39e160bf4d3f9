// A screen's seat layout, edited as rows (seats, aisles, wheelchair, companion and blocked places) over categories,
// with a preview numbered as the API will number it (the editor's state is in layout-draft.js).
import { api } from "../../api.js";
import { el, onSubmit, view } from "../../ui.js";
import { everything, note, takeFlash } from "./common.js";
import { layoutDraft } from "./layout-draft.js";
import { seatCounts } from "./screens.js";

export async function layoutEditor({ id: screenID, load }) {
  const screen = await load(api("GET", `/screens/${screenID}`));
  const seats = screen.total_seats ? await load(everything(`/seats?screen_id=${screenID}`)) : [];
  const draft = layoutDraft();
  draft.readBack(screen, seats);
  const { addCategory, addRow, draw } = draft;

  const replace = el("input", { type: "checkbox", checked: screen.total_seats > 0, testid: "layout-replace" });
  const summary = el("p", { testid: "admin-layout-counts" }, seatCounts(screen));
  const result = el("div", { role: "status" });
  const form = el(
    "form",
    { class: "stack", testid: "admin-layout-form", oninput: draw, onchange: draw },
    el("h2", {}, "Categories"),
    draft.categoryBox,
    el(
      "button",
      {
        type: "button",
        onclick: () => {
          addCategory();
          draw();
        },
      },
      "Add category",
    ),
    el("h2", {}, "Rows"),
    el("p", { class: "muted" }, "Seat numbers are comma lists or ranges, counted from the left: 1, 5, 10-12."),
    draft.rowBox,
    el(
      "button",
      {
        type: "button",
        testid: "layout-add-row",
        onclick: () => {
          addRow();
          draw();
        },
      },
      "Add row",
    ),
    el("h2", {}, "Preview"),
    draft.totals,
    el(
      "p",
      { class: "legend" },
      ["standard", "wheelchair", "companion", "blocked"].map((kind) =>
        el("span", {}, el("span", { class: `pseat ${kind}` }), kind),
      ),
    ),
    draft.preview,
    el("label", {}, replace, " Replace the current seats (tickets already sold keep theirs)"),
    el("button", { type: "submit", testid: "admin-layout-save" }, "Save layout"),
    result,
  );
  onSubmit(form, async () => {
    const saved = await api("POST", `/screens/${screenID}/layout`, draft.request(replace.checked));
    summary.textContent = seatCounts(saved);
    replace.checked = saved.total_seats > 0;
    result.replaceChildren(note(`Layout saved: ${seatCounts(saved)}.`, "admin-layout-result"));
  });
  draw();
  view.replaceChildren(
    el("p", {}, el("a", { href: "#/screens" }, "← Screens")),
    el("h1", {}, `${screen.name}: seat layout`),
    takeFlash(),
    summary,
    form,
  );
}
