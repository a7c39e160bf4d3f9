// Promo codes: the list with filters, (de)activating, and a new code (percent or flat, limits, validity).
import { api, rupees } from "../../api.js";
import { go, route } from "../../router.js";
import { action, el, onSubmit, view } from "../../ui.js";
import {
  option,
  optionalInt,
  optionalPaise,
  pager,
  paise,
  query,
  searchFilters,
  setFlash,
  takeFlash,
  when,
} from "./common.js";

function promoTerms(d) {
  const parts = [
    d.discount_type === "percent"
      ? `${d.percent}% off${d.max_discount_minor != null ? `, at most ${rupees(d.max_discount_minor)}` : ""}`
      : `${rupees(d.flat_amount_minor ?? 0)} off`,
  ];
  if (d.min_subtotal_minor) parts.push(`on ${rupees(d.min_subtotal_minor)} or more`);
  if (d.usage_limit_total) parts.push(`${d.usage_limit_total} uses in all`);
  if (d.usage_limit_per_user) parts.push(`${d.usage_limit_per_user} per customer`);
  if (d.starts_at) parts.push(`from ${when(d.starts_at)}`);
  if (d.ends_at) parts.push(`until ${when(d.ends_at)}`);
  if (d.movie_id || d.show_id) parts.push(d.show_id ? "one show only" : "one movie only");
  parts.push(`used ${d.times_used} time${d.times_used === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

export async function promos({ params, load }) {
  const code = params.get("code") || "";
  const active = params.get("active") || "";
  const page = await load(
    api("GET", `/discounts?${query({ limit: 100, offset: params.get("offset"), code, is_active: active })}`),
  );
  const rows = page.items.map((d) =>
    el(
      "article",
      { class: "card", testid: "admin-promo", "data-discount-id": d.id },
      el("h2", {}, d.promo_code),
      d.description ? el("p", {}, d.description) : "",
      el("p", {}, promoTerms(d)),
      el(
        "p",
        { class: "filters" },
        d.is_active ? "Active" : "Inactive",
        action(
          d.is_active ? "Deactivate" : "Activate",
          async () => {
            await api("PATCH", `/discounts/${d.id}`, { is_active: !d.is_active });
            route();
          },
          { testid: "admin-toggle-promo" },
        ),
      ),
    ),
  );

  const f = {
    code: el("input", {
      required: true,
      minlength: 3,
      maxlength: 30,
      pattern: "[A-Za-z0-9_\\-]+",
      testid: "promo-code",
    }),
    type: el("select", { testid: "promo-type" }, option("percent", "Percent off"), option("flat", "Flat amount off")),
    percent: el("input", { type: "number", min: 0, max: 100, step: "0.01", testid: "promo-percent" }),
    max: el("input", { inputmode: "decimal", placeholder: "no cap", testid: "promo-max" }),
    flat: el("input", { inputmode: "decimal", testid: "promo-flat" }),
    min: el("input", { inputmode: "decimal", placeholder: "0", testid: "promo-min" }),
    total: el("input", { type: "number", min: 1, placeholder: "no limit", testid: "promo-limit-total" }),
    perUser: el("input", { type: "number", min: 1, placeholder: "no limit", testid: "promo-limit-user" }),
    starts: el("input", { type: "datetime-local", testid: "promo-starts" }),
    ends: el("input", { type: "datetime-local", testid: "promo-ends" }),
    description: el("input", { maxlength: 500, testid: "promo-description" }),
  };
  const percentFields = [el("label", {}, "Percent ", f.percent), el("label", {}, "At most (₹) ", f.max)];
  const flatFields = [el("label", {}, "Amount off (₹) ", f.flat)];
  const showType = () => {
    percentFields.forEach((n) => {
      n.hidden = f.type.value !== "percent";
    });
    flatFields.forEach((n) => {
      n.hidden = f.type.value !== "flat";
    });
  };
  f.type.addEventListener("change", showType);
  showType();
  const form = el(
    "form",
    { class: "stack", testid: "admin-promo-form" },
    el("h2", {}, "New promo code"),
    el(
      "div",
      { class: "fields" },
      el("label", {}, "Code ", f.code),
      el("label", {}, "Type ", f.type),
      percentFields,
      flatFields,
      el("label", {}, "Smallest subtotal (₹) ", f.min),
      el("label", {}, "Uses in all ", f.total),
      el("label", {}, "Uses per customer ", f.perUser),
      el("label", {}, "Valid from ", f.starts),
      el("label", {}, "Valid until ", f.ends),
    ),
    el("label", {}, "Description ", f.description),
    el("button", { type: "submit", testid: "admin-promo-save" }, "Create promo code"),
  );
  onSubmit(form, async () => {
    const percent = f.type.value === "percent";
    if (percent && !f.percent.value) throw new Error("Enter the percent off.");
    if (!percent && !f.flat.value.trim()) throw new Error("Enter the amount off in rupees.");
    const created = await api("POST", "/discounts", {
      promo_code: f.code.value.trim(),
      discount_type: f.type.value,
      percent: percent ? Number(f.percent.value) : undefined,
      max_discount_minor: percent ? optionalPaise(f.max, "most taken off") : undefined,
      flat_amount_minor: percent ? undefined : paise(f.flat.value, "amount off"),
      min_subtotal_minor: optionalPaise(f.min, "smallest subtotal"),
      usage_limit_total: optionalInt(f.total),
      usage_limit_per_user: optionalInt(f.perUser),
      starts_at: f.starts.value ? new Date(f.starts.value).toISOString() : undefined,
      ends_at: f.ends.value ? new Date(f.ends.value).toISOString() : undefined,
      description: f.description.value.trim() || undefined,
    });
    setFlash(`Created ${created.promo_code}.`);
    go(`#/promos?${query({ code: created.promo_code })}`);
  });

  const search = el("input", {
    type: "search",
    value: code,
    placeholder: "Code contains",
    "aria-label": "Code contains",
  });
  const filters = searchFilters(search, active, (text, status) =>
    go(`#/promos?${query({ code: text, active: status })}`),
  );
  view.replaceChildren(
    el("h1", {}, "Promo codes"),
    takeFlash(),
    filters,
    rows.length ? el("div", { class: "list" }, rows) : el("p", {}, "No promo codes."),
    pager(page, (offset) => `#/promos?${query({ code, active, offset })}`),
    form,
  );
}
