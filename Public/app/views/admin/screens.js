// Screens: the list, a new screen, taking one out of use; the seat layout is in layout.js.
import { api, rupees } from "../../api.js";
import { go, route } from "../../router.js";
import { action, el, onSubmit, view } from "../../ui.js";
import { option, setFlash, takeFlash } from "./common.js";

export const seatCounts = (screen) =>
  [
    `${screen.total_seats} seats, ${screen.capacity} on sale`,
    screen.categories.map((c) => `${c.name} ${c.seats} (base ${rupees(c.base_price_minor)})`).join(", "),
    Object.entries(screen.kinds || {})
      .filter(([, n]) => n)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(", "),
  ]
    .filter(Boolean)
    .join(" · ");

export async function screens({ load }) {
  const page = await load(api("GET", "/screens?limit=100"));
  const name = el("input", { required: true, maxlength: 100, testid: "screen-name" });
  const type = el("input", {
    required: true,
    maxlength: 40,
    value: "standard",
    list: "screen-types",
    testid: "screen-type",
  });
  const form = el(
    "form",
    { class: "stack", testid: "admin-screen-form" },
    el("h2", {}, "New screen"),
    el("div", { class: "fields" }, el("label", {}, "Name ", name), el("label", {}, "Type ", type)),
    el(
      "datalist",
      { id: "screen-types" },
      ["standard", "imax", "4dx", "recliner"].map((t) => option(t, t)),
    ),
    el("button", { type: "submit" }, "Create screen"),
  );
  onSubmit(form, async () => {
    const screen = await api("POST", "/screens", { name: name.value.trim(), screen_type: type.value.trim() });
    setFlash(`Created ${screen.name}. Now give it seats.`);
    go(`#/screens/${screen.id}`);
  });
  view.replaceChildren(
    el("h1", {}, "Screens"),
    takeFlash(),
    el(
      "div",
      { class: "list" },
      page.items.map((screen) =>
        el(
          "article",
          { class: "card", testid: "admin-screen", "data-screen-id": screen.id },
          el("h2", {}, `${screen.name} (${screen.screen_type})`),
          el("p", {}, seatCounts(screen)),
          el("p", {}, screen.is_available ? "In use" : "Out of use: no new shows"),
          el(
            "p",
            { class: "filters" },
            el("a", { href: `#/screens/${screen.id}`, class: "button" }, "Seat layout"),
            action(screen.is_available ? "Take out of use" : "Bring into use", async () => {
              await api("PATCH", `/screens/${screen.id}`, { is_available: !screen.is_available });
              route();
            }),
          ),
        ),
      ),
    ),
    form,
  );
}
