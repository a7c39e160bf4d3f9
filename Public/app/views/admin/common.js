// What the staff views share: values in and out of forms (rupees typed as text, seat-number lists), query strings,
// every page of a list, a pager, and a message for the next view.
import { api } from "../../api.js";
import { el } from "../../ui.js";

export const CERTIFICATES = ["U", "UA", "UA7+", "UA13+", "UA16+", "A", "S"];
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const option = (value, text) => el("option", { value }, text);
export const note = (text, testid = "admin-note") => el("p", { class: "ok", role: "status", testid }, text);
/** "Hindi, English ," → ["Hindi", "English"] */
export const list = (text) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
/** A query string of the parameters that have a value. */
export const query = (params) =>
  new URLSearchParams(
    Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== ""),
  ).toString();
/** Today in the browser's time zone, YYYY-MM-DD (the cinema's, for staff on site). */
export const today = () => new Date().toLocaleDateString("en-CA");
export const when = (iso) => new Date(iso).toLocaleString();

/** Rupees typed by staff ("250", "250.5", "₹1,250.50") to integer paise, from the digits: no floating point. */
export function paise(text, what = "amount") {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(String(text).trim().replace(/^₹\s*/, "").replaceAll(",", ""));
  if (!match) throw new Error(`Enter the ${what} in rupees, like 250 or 250.50.`);
  return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
}
export const optionalPaise = (input, what) => (input.value.trim() ? paise(input.value, what) : undefined);
export const optionalInt = (input) => (input.value.trim() ? Number(input.value) : undefined);
/** Paise as an input's value: 25050 → "250.50". */
export const rupeeInput = (minor) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

/** Seat numbers typed as "3, 7, 10-12" → [3, 7, 10, 11, 12]. */
export function seatNumbers(text, what) {
  const numbers = [];
  for (const part of list(text)) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    const [from, to] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [0, 0];
    if (!match || from < 1 || to < from || to > 60)
      throw new Error(`${what}: use seat numbers from 1 to 60, like 3, 7 or 10-12.`);
    for (let n = from; n <= to; n += 1) numbers.push(n);
  }
  return numbers;
}
export const looseSeatNumbers = (text) => {
  try {
    return new Set(seatNumbers(text, ""));
  } catch {
    return new Set();
  }
};

/** Every item of a list endpoint, page by page (100 at a time). */
export async function everything(path) {
  const items = [];
  for (let offset = 0; ; offset += 100) {
    const page = await api("GET", `${path}${path.includes("?") ? "&" : "?"}limit=100&offset=${offset}`);
    items.push(...page.items);
    if (offset + page.limit >= page.total || page.items.length === 0) return items;
  }
}

/** Previous / next links for a page of a list. */
export function pager(page, hrefFor) {
  if (page.total <= page.limit) return "";
  const last = Math.min(page.offset + page.items.length, page.total);
  return el(
    "p",
    { class: "filters" },
    page.offset > 0
      ? el("a", { href: hrefFor(Math.max(0, page.offset - page.limit)), class: "button" }, "Previous")
      : "",
    `${page.offset + 1}–${last} of ${page.total}`,
    last < page.total ? el("a", { href: hrefFor(page.offset + page.limit), class: "button" }, "Next") : "",
  );
}

// A message for the next view, e.g. "Movie created" after a form sends the browser to the new movie's page.
let flash = "";
/** A list's search form: the given text box, All / Active / Inactive, and Filter; `apply(text, active)` on submit. */
export function searchFilters(search, active, apply) {
  const status = el(
    "select",
    { "aria-label": "Active or not" },
    option("", "All"),
    option("true", "Active"),
    option("false", "Inactive"),
  );
  status.value = active;
  return el(
    "form",
    {
      class: "filters",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        apply(search.value.trim(), status.value);
      },
    },
    search,
    status,
    el("button", { type: "submit" }, "Filter"),
  );
}

export function setFlash(text) {
  flash = text;
}
export function takeFlash() {
  const text = flash;
  flash = "";
  return text ? note(text, "admin-flash") : "";
}
