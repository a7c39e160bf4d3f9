// A show's prices: one per seat category of its screen, in rupees.
import { api, rupees } from "../../api.js";
import { el, onSubmit, view } from "../../ui.js";
import { everything, paise, query, rupeeInput } from "./common.js";

export async function prices({ id: showID, load }) {
  const show = await load(api("GET", `/shows/${showID}`));
  const [showPrices, categories] = await load(
    Promise.all([
      everything(`/show-category-pricing?${query({ show_id: showID })}`),
      everything(`/seat-categories?${query({ screen_id: show.screen.id })}`),
    ]),
  );
  const priceOf = new Map(showPrices.map((p) => [p.category_id, p]));
  const rows = categories
    .sort((a, b) => a.display_order - b.display_order)
    .map((category) => {
      let current = priceOf.get(category.id);
      const shown = el("span", { testid: "admin-price-current" }, current ? rupees(current.price_minor) : "not priced");
      const amount = el("input", {
        required: true,
        inputmode: "decimal",
        value: rupeeInput(current?.price_minor ?? category.base_price_minor),
        "aria-label": `Price of ${category.name} in rupees`,
        testid: "admin-price-input",
      });
      const form = el(
        "form",
        { class: "card filters", testid: "admin-price-row", "data-category-id": category.id },
        el("strong", {}, category.name),
        el("span", { class: "muted" }, `base ${rupees(category.base_price_minor)}`),
        "now ",
        shown,
        el("label", {}, "New price (₹) ", amount),
        el("button", { type: "submit", testid: "admin-price-save" }, "Save"),
      );
      onSubmit(form, async () => {
        const price_minor = paise(amount.value, `price of ${category.name}`);
        current = current
          ? await api("PATCH", `/show-category-pricing/${current.id}`, { price_minor })
          : await api("POST", "/show-category-pricing", { show_id: showID, category_id: category.id, price_minor });
        shown.textContent = `${rupees(current.price_minor)} (saved)`;
      });
      return form;
    });
  view.replaceChildren(
    el("p", {}, el("a", { href: `#/schedule?${query({ date: show.show_date })}` }, `← Shows on ${show.show_date}`)),
    el("h1", {}, `Prices: ${show.movie.title}`),
    el(
      "p",
      {},
      `${show.show_date} ${show.show_time} · ${show.screen.name} · ${show.language} · ${show.format} · ${show.status}`,
    ),
    rows.length ? el("div", { class: "list" }, rows) : el("p", {}, "This screen has no seat categories yet."),
  );
}
