// BoxOffice for staff: movies and posters, screens and seat layouts, scheduling, show prices, promo codes,
// cancelling shows, refunds. Plain modules, no build step; every call goes through the public JSON API, which
// refuses all of it without an admin token.
import { api, session, logIn, refreshIfDue, ownImage, rupees, APIProblem } from "./api.js";
import { el, guarded, showError } from "./ui.js";

const view = document.getElementById("view");
const CERTIFICATES = ["U", "UA", "UA7+", "UA13+", "UA16+", "A", "S"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---- small helpers: values in and out of forms ----

const option = (value, text) => el("option", { value }, text);
const note = (text, testid = "admin-note") => el("p", { class: "ok", role: "status", testid }, text);
/** "Hindi, English ," → ["Hindi", "English"] */
const list = (text) => text.split(",").map((item) => item.trim()).filter(Boolean);
/** A query string of the parameters that have a value. */
const query = (params) => new URLSearchParams(
  Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== ""),
).toString();
/** Today in the browser's time zone, YYYY-MM-DD (the cinema's, for staff on site). */
const today = () => new Date().toLocaleDateString("en-CA");
const when = (iso) => new Date(iso).toLocaleString();

/** Rupees typed by staff ("250", "250.5", "₹1,250.50") to integer paise, from the digits: no floating point. */
function paise(text, what = "amount") {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(String(text).trim().replace(/^₹\s*/, "").replaceAll(",", ""));
  if (!match) throw new Error(`Enter the ${what} in rupees, like 250 or 250.50.`);
  return Number(match[1]) * 100 + Number((match[2] || "").padEnd(2, "0"));
}
const optionalPaise = (input, what) => (input.value.trim() ? paise(input.value, what) : undefined);
const optionalInt = (input) => (input.value.trim() ? Number(input.value) : undefined);
/** Paise as an input's value: 25050 → "250.50". */
const rupeeInput = (minor) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

/** Seat numbers typed as "3, 7, 10-12" → [3, 7, 10, 11, 12]. */
function seatNumbers(text, what) {
  const numbers = [];
  for (const part of list(text)) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    const [from, to] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [0, 0];
    if (!match || from < 1 || to < from || to > 60) throw new Error(`${what}: use seat numbers from 1 to 60, like 3, 7 or 10-12.`);
    for (let n = from; n <= to; n += 1) numbers.push(n);
  }
  return numbers;
}
const looseSeatNumbers = (text) => { try { return new Set(seatNumbers(text, "")); } catch { return new Set(); } };

/** Every item of a list endpoint, page by page (100 at a time). */
async function everything(path) {
  const items = [];
  for (let offset = 0; ; offset += 100) {
    const page = await api("GET", `${path}${path.includes("?") ? "&" : "?"}limit=100&offset=${offset}`);
    items.push(...page.items);
    if (offset + page.limit >= page.total || page.items.length === 0) return items;
  }
}


/** Submits `form` through `work`: no reload, its submit buttons disabled meanwhile, errors in words after it. */
function onSubmit(form, work) {
  form.addEventListener("submit", guarded(async (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button[type="submit"]')];
    buttons.forEach((button) => { button.disabled = true; });
    try { await work(); } finally { buttons.forEach((button) => { button.disabled = false; }); }
  }, form));
  return form;
}

/** A button whose click runs `work`; disabled meanwhile, and an error shows in words right after it. */
function action(label, work, attrs = {}) {
  const node = el("button", { type: "button", ...attrs }, label);
  node.addEventListener("click", guarded(async () => {
    node.disabled = true;
    try { await work(node); } finally { node.disabled = false; }
  }, node));
  return node;
}

/** Previous / next links for a page of a list. */
function pager(page, hrefFor) {
  if (page.total <= page.limit) return "";
  const last = Math.min(page.offset + page.items.length, page.total);
  return el("p", { class: "filters" },
    page.offset > 0 ? el("a", { href: hrefFor(Math.max(0, page.offset - page.limit)), class: "button" }, "Previous") : "",
    `${page.offset + 1}–${last} of ${page.total}`,
    last < page.total ? el("a", { href: hrefFor(page.offset + page.limit), class: "button" }, "Next") : "");
}

// A message for the next view, e.g. "Movie created" after a form sends the browser to the new movie's page.
let flash = "";
const takeFlash = () => { const text = flash; flash = ""; return text ? note(text, "admin-flash") : ""; };

// ---- who is signed in: staff only ----
let me = null; // the signed-in account, asked once per sign-in

function renderNav(section) {
  const nav = document.getElementById("admin-nav");
  nav.hidden = !(session.signedIn && me?.role === "admin");
  for (const link of nav.querySelectorAll("a[data-section]")) {
    if (link.dataset.section === section) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
}
document.getElementById("nav-signout").addEventListener("click", guarded(async () => {
  try { await api("POST", "/users/logout"); } finally { session.clear(); me = null; renderNav(); go("#/signin"); }
}));

function signIn(next) {
  renderNav();
  const email = el("input", { type: "email", required: true, testid: "signin-email", autocomplete: "email" });
  const password = el("input", { type: "password", required: true, testid: "signin-password", autocomplete: "current-password" });
  const form = el("form", {}, el("h1", {}, "Staff sign-in"), el("label", {}, "Email ", email),
    el("label", {}, "Password ", password), el("button", { type: "submit", testid: "signin-submit" }, "Sign in"));
  onSubmit(form, async () => {
    await logIn(email.value, password.value);
    me = null;
    go(next && next !== "#/signin" ? next : "#/movies");
  });
  view.replaceChildren(form);
}

function notStaff() {
  renderNav();
  view.replaceChildren(el("section", { testid: "admin-not-staff" }, el("h1", {}, "This page is for staff"),
    el("p", {}, `You are signed in as ${me.email}, a customer account. `, el("a", { href: "/" }, "Book tickets")),
    action("Sign out", async () => {
      try { await api("POST", "/users/logout"); } finally { session.clear(); me = null; go("#/signin"); }
    })));
}

// Each navigation takes a ticket; a view whose data arrives after a later navigation draws nothing.
let routeTicket = 0;

// ---- movies: list, create, edit, (de)activate, poster ----

async function movies(params) {
  const ticket = routeTicket;
  const q = params.get("q") || "", active = params.get("active") || "";
  const page = await api("GET", `/movies?${query({ limit: 100, offset: params.get("offset"), q, is_active: active, sort: "title" })}`);
  if (ticket !== routeTicket) return;
  const search = el("input", { type: "search", value: q, placeholder: "Title contains", "aria-label": "Title contains", testid: "admin-movie-search" });
  const status = el("select", { "aria-label": "Active or not" }, option("", "All"), option("true", "Active"), option("false", "Inactive"));
  status.value = active;
  const filters = el("form", { class: "filters", role: "search", onsubmit: (event) => {
    event.preventDefault();
    go(`#/movies?${query({ q: search.value.trim(), active: status.value })}`);
  } }, search, status, el("button", { type: "submit" }, "Filter"));
  const rows = page.items.map((movie) => el("article", { class: "card item", testid: "admin-movie", "data-movie-id": movie.id },
    el("img", { class: "poster", src: ownImage(movie.poster_url), alt: "", hidden: !ownImage(movie.poster_url) }),
    el("div", {}, el("h2", {}, movie.title),
      el("p", {}, [`${movie.duration_minutes} min`, movie.certificate, movie.languages.join(", "), movie.formats.join(", "),
        movie.release_date].filter(Boolean).join(" · ")),
      el("p", {}, movie.is_active ? "Active" : "Inactive"),
      el("p", { class: "filters" }, el("a", { href: `#/movies/${movie.id}`, class: "button", testid: "admin-edit-movie" }, "Edit"),
        movie.is_active ? el("a", { href: `#/schedule?${query({ movie: movie.id })}`, class: "button" }, "Schedule") : "",
        action(movie.is_active ? "Deactivate" : "Activate", async () => {
          await api("PATCH", `/movies/${movie.id}`, { is_active: !movie.is_active });
          route();
        }, { testid: "admin-toggle-movie" })))));
  view.replaceChildren(el("h1", {}, "Movies"), takeFlash(),
    el("p", {}, el("a", { href: "#/movies/new", class: "button", testid: "admin-new-movie" }, "New movie")), filters,
    rows.length ? el("div", { class: "list" }, rows) : el("p", {}, "No movies."),
    pager(page, (offset) => `#/movies?${query({ q, active, offset })}`));
}

async function movieForm(id) {
  const ticket = routeTicket;
  const movie = id ? await api("GET", `/movies/${id}`) : null;
  if (ticket !== routeTicket) return;
  const f = {
    title: el("input", { required: true, maxlength: 200, value: movie?.title, testid: "movie-title" }),
    duration: el("input", { type: "number", required: true, min: 1, max: 600, value: movie?.duration_minutes, testid: "movie-duration" }),
    certificate: el("select", { testid: "movie-certificate" }, option("", "None"), CERTIFICATES.map((c) => option(c, c))),
    languages: el("input", { required: true, value: movie?.languages.join(", "), placeholder: "Hindi, English", testid: "movie-languages" }),
    formats: el("input", { required: true, value: movie?.formats.join(", "), placeholder: "2D, IMAX", testid: "movie-formats" }),
    genres: el("input", { value: movie?.genres.join(", "), placeholder: "Drama, Action", testid: "movie-genres" }),
    release: el("input", { type: "date", value: movie?.release_date, testid: "movie-release-date" }),
    description: el("textarea", { rows: 4, maxlength: 5000, testid: "movie-description" }, movie?.description || ""),
  };
  f.certificate.value = movie?.certificate || "";
  const form = el("form", { class: "stack", testid: "admin-movie-form" },
    el("div", { class: "fields" },
      el("label", { class: "wide" }, "Title ", f.title), el("label", {}, "Minutes ", f.duration),
      el("label", {}, "Certificate ", f.certificate), el("label", {}, "Release date ", f.release),
      el("label", {}, "Languages ", f.languages), el("label", {}, "Formats ", f.formats), el("label", {}, "Genres ", f.genres)),
    el("p", { class: "muted" }, "Languages, formats and genres are comma lists; shows pick from the first two."),
    el("label", {}, "Description ", f.description),
    el("button", { type: "submit", testid: "admin-movie-save" }, movie ? "Save changes" : "Create movie"));
  onSubmit(form, async () => {
    const body = {
      title: f.title.value.trim(), duration_minutes: Number(f.duration.value), languages: list(f.languages.value),
      formats: list(f.formats.value), genres: list(f.genres.value), description: f.description.value.trim(),
      certificate: f.certificate.value || undefined, release_date: f.release.value || undefined,
    };
    const saved = movie ? await api("PATCH", `/movies/${movie.id}`, body) : await api("POST", "/movies", body);
    flash = movie ? "Saved." : `Created ${saved.title}. Add a poster, or schedule it.`;
    go(`#/movies/${saved.id}`);
  });
  view.replaceChildren(el("p", {}, el("a", { href: "#/movies" }, "← Movies")),
    el("h1", {}, movie ? movie.title : "New movie"), takeFlash(), form,
    movie ? posterForm(movie) : "",
    movie?.is_active ? el("p", {}, el("a", { href: `#/schedule?${query({ movie: movie.id })}`, class: "button" }, "Schedule a show")) : "");
}

function posterForm(movie) {
  const image = el("img", { class: "poster large", src: ownImage(movie.poster_url), alt: `Poster of ${movie.title}`, hidden: !ownImage(movie.poster_url), testid: "admin-poster-img" });
  const file = el("input", { type: "file", required: true, accept: "image/jpeg,image/png,image/webp", testid: "admin-poster-file" });
  const status = el("p", { role: "status" });
  const form = el("form", { class: "stack", testid: "admin-poster-form" }, el("h2", {}, "Poster"), image,
    el("label", {}, "JPEG, PNG or WebP, at most 5 MiB ", file), el("button", { type: "submit", testid: "admin-poster-upload" }, "Upload poster"), status);
  onSubmit(form, async () => {
    const chosen = file.files[0];
    if (!chosen) throw new Error("Choose an image first.");
    if (chosen.size > 5 * 1024 * 1024) throw new Error("The image is larger than 5 MiB.");
    status.textContent = "Uploading…";
    try {
      const upload = new FormData();
      upload.append("file", chosen);
      const updated = await api("POST", `/movies/${movie.id}/poster`, upload);
      image.src = updated.poster_url;
      image.hidden = false;
      file.value = "";
      status.textContent = "Poster saved.";
    } catch (error) {
      status.textContent = "";
      throw error;
    }
  });
  return form;
}

// ---- screens: list, create, seat layout from rows ----

const seatCounts = (screen) => [
  `${screen.total_seats} seats, ${screen.capacity} on sale`,
  screen.categories.map((c) => `${c.name} ${c.seats} (base ${rupees(c.base_price_minor)})`).join(", "),
  Object.entries(screen.kinds || {}).filter(([, n]) => n).map(([kind, n]) => `${n} ${kind}`).join(", "),
].filter(Boolean).join(" · ");

async function screens() {
  const ticket = routeTicket;
  const page = await api("GET", "/screens?limit=100");
  if (ticket !== routeTicket) return;
  const name = el("input", { required: true, maxlength: 100, testid: "screen-name" });
  const type = el("input", { required: true, maxlength: 40, value: "standard", list: "screen-types", testid: "screen-type" });
  const form = el("form", { class: "stack", testid: "admin-screen-form" }, el("h2", {}, "New screen"),
    el("div", { class: "fields" }, el("label", {}, "Name ", name), el("label", {}, "Type ", type)),
    el("datalist", { id: "screen-types" }, ["standard", "imax", "4dx", "recliner"].map((t) => option(t, t))),
    el("button", { type: "submit" }, "Create screen"));
  onSubmit(form, async () => {
    const screen = await api("POST", "/screens", { name: name.value.trim(), screen_type: type.value.trim() });
    flash = `Created ${screen.name}. Now give it seats.`;
    go(`#/screens/${screen.id}`);
  });
  view.replaceChildren(el("h1", {}, "Screens"), takeFlash(), el("div", { class: "list" }, page.items.map((screen) =>
    el("article", { class: "card", testid: "admin-screen", "data-screen-id": screen.id },
      el("h2", {}, `${screen.name} (${screen.screen_type})`), el("p", {}, seatCounts(screen)),
      el("p", {}, screen.is_available ? "In use" : "Out of use: no new shows"),
      el("p", { class: "filters" }, el("a", { href: `#/screens/${screen.id}`, class: "button" }, "Seat layout"),
        action(screen.is_available ? "Take out of use" : "Bring into use", async () => {
          await api("PATCH", `/screens/${screen.id}`, { is_available: !screen.is_available });
          route();
        }))))), form);
}

/** The next row label: A → B, Z → AA. */
function nextLabel(label) {
  const chars = (label || "").toUpperCase().split("");
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (chars[i] !== "Z") { chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1); return chars.join(""); }
    chars[i] = "A";
  }
  return `A${chars.join("")}`;
}

async function layoutEditor(screenID) {
  const ticket = routeTicket;
  const screen = await api("GET", `/screens/${screenID}`);
  const seats = screen.total_seats ? await everything(`/seats?screen_id=${screenID}`) : [];
  if (ticket !== routeTicket) return;

  // The editor's state: category lines and row lines, each with its inputs; rows name categories by a stable key.
  let nextKey = 0;
  const categories = [], rows = [];
  const categoryBox = el("div"), rowBox = el("div");
  const preview = el("div", { class: "preview", testid: "admin-layout-preview", role: "img", "aria-label": "Preview of the seat map" });
  const totals = el("p", { testid: "admin-layout-totals" });
  const drop = (array, item) => { array.splice(array.indexOf(item), 1); item.node.remove(); };
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
    line.name = el("input", { required: true, maxlength: 100, value: name, placeholder: "e.g. Classic", testid: "layout-category-name" });
    line.price = el("input", { required: true, inputmode: "decimal", value: priceMinor === null ? "" : rupeeInput(priceMinor), placeholder: "e.g. 180", testid: "layout-category-price" });
    line.node = el("div", { class: "fields line" }, el("label", {}, "Category ", line.name), el("label", {}, "Base price (₹) ", line.price),
      el("button", { type: "button", onclick: () => { drop(categories, line); refreshChoices(); draw(); } }, "Remove"));
    line.name.addEventListener("input", refreshChoices);
    categories.push(line);
    categoryBox.append(line.node);
    refreshChoices();
    return line;
  }

  function addRow(spec = {}) {
    const row = {};
    const numbers = (value, hint, testid) => el("input", { value, placeholder: hint, testid });
    row.label = el("input", { required: true, maxlength: 3, pattern: "[A-Za-z]{1,3}", value: spec.label ?? nextLabel(rows.at(-1)?.label.value.trim()), testid: "layout-row-label" });
    row.category = el("select", { required: true, testid: "layout-row-category" });
    row.seats = el("input", { type: "number", required: true, min: 1, max: 60, value: spec.seats ?? 12, testid: "layout-row-seats" });
    row.aisles = numbers(spec.aisles, "e.g. 4, 8", "layout-row-aisles");
    row.wheelchair = numbers(spec.wheelchair, "e.g. 1", "layout-row-wheelchair");
    row.companion = numbers(spec.companion, "e.g. 2", "layout-row-companion");
    row.blocked = numbers(spec.blocked, "e.g. 11-12", "layout-row-blocked");
    row.node = el("fieldset", { class: "fields line", testid: "layout-row" },
      el("label", {}, "Row ", row.label), el("label", {}, "Category ", row.category), el("label", {}, "Seats ", row.seats),
      el("label", {}, "Aisle after ", row.aisles), el("label", {}, "Wheelchair ", row.wheelchair),
      el("label", {}, "Companion ", row.companion), el("label", {}, "Blocked ", row.blocked),
      el("button", { type: "button", onclick: () => { drop(rows, row); draw(); } }, "Remove row"));
    rows.push(row);
    rowBox.append(row.node);
    refreshChoices();
    row.category.value = spec.category ?? String(categories[0]?.key ?? "");
  }

  // The preview draws what the rows say, as the API will number it: seat n of a row is its nth seat, aisles are gaps.
  function draw() {
    const kinds = { standard: 0, wheelchair: 0, companion: 0, blocked: 0 };
    preview.replaceChildren(...rows.map((row) => {
      const label = row.label.value.trim().toUpperCase();
      const count = Math.min(60, Math.max(0, Math.floor(Number(row.seats.value)) || 0));
      const [aisles, wheelchair, companion, blocked] = [row.aisles, row.wheelchair, row.companion, row.blocked].map((i) => looseSeatNumbers(i.value));
      const cells = [];
      for (let n = 1; n <= count; n += 1) {
        const kind = wheelchair.has(n) ? "wheelchair" : companion.has(n) ? "companion" : blocked.has(n) ? "blocked" : "standard";
        kinds[kind] += 1;
        cells.push(el("span", { class: `pseat ${kind}`, title: `${label}${n} ${kind}` }));
        if (aisles.has(n) && n < count) cells.push(el("span", { class: "pgap" }));
      }
      return el("div", { class: "row" }, el("span", { class: "row-label" }, label), cells,
        el("span", { class: "muted" }, categoryName(row.category.value)));
    }));
    const total = Object.values(kinds).reduce((a, b) => a + b, 0);
    totals.textContent = `Preview: ${total} seats (${Object.entries(kinds).map(([kind, n]) => `${n} ${kind}`).join(", ")}).`;
  }

  // Start from the screen's categories and its current seats, read back into rows.
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
      label, seats: rowSeats.length, category: keyOf.get(rowSeats[0].category_id),
      aisles: numbered((seat, i) => rowSeats[i + 1] && rowSeats[i + 1].column > seat.column + 1),
      wheelchair: numbered((seat) => seat.kind === "wheelchair"), companion: numbered((seat) => seat.kind === "companion"),
      blocked: numbered((seat) => seat.kind === "blocked"),
    });
  }
  if (!rows.length) addRow({ label: "A" });

  const replace = el("input", { type: "checkbox", checked: screen.total_seats > 0, testid: "layout-replace" });
  const summary = el("p", { testid: "admin-layout-counts" }, seatCounts(screen));
  const result = el("div", { role: "status" });
  const form = el("form", { class: "stack", testid: "admin-layout-form", oninput: draw, onchange: draw },
    el("h2", {}, "Categories"), categoryBox,
    el("button", { type: "button", onclick: () => { addCategory(); draw(); } }, "Add category"),
    el("h2", {}, "Rows"), el("p", { class: "muted" }, "Seat numbers are comma lists or ranges, counted from the left: 1, 5, 10-12."),
    rowBox, el("button", { type: "button", testid: "layout-add-row", onclick: () => { addRow(); draw(); } }, "Add row"),
    el("h2", {}, "Preview"), totals,
    el("p", { class: "legend" }, ["standard", "wheelchair", "companion", "blocked"].map((kind) => el("span", {}, el("span", { class: `pseat ${kind}` }), kind))),
    preview,
    el("label", {}, replace, " Replace the current seats (tickets already sold keep theirs)"),
    el("button", { type: "submit", testid: "admin-layout-save" }, "Save layout"), result);
  onSubmit(form, async () => {
    if (!rows.length) throw new Error("Add at least one row.");
    const body = {
      replace: replace.checked,
      categories: categories.map((c, index) => ({
        name: c.name.value.trim(), base_price_minor: paise(c.price.value, `base price of ${c.name.value.trim() || "a category"}`), display_order: index,
      })),
      rows: rows.map((row) => {
        const label = row.label.value.trim().toUpperCase();
        const spec = { label, category: categoryName(row.category.value), seats: Number(row.seats.value) };
        for (const [field, input, what] of [["aisles_after", row.aisles, "aisle after"], ["wheelchair", row.wheelchair, "wheelchair"],
          ["companion", row.companion, "companion"], ["blocked", row.blocked, "blocked"]]) {
          const numbers = seatNumbers(input.value, `Row ${label}, ${what}`);
          if (numbers.length) spec[field] = numbers;
        }
        return spec;
      }),
    };
    const saved = await api("POST", `/screens/${screenID}/layout`, body);
    summary.textContent = seatCounts(saved);
    replace.checked = saved.total_seats > 0;
    result.replaceChildren(note(`Layout saved: ${seatCounts(saved)}.`, "admin-layout-result"));
  });
  draw();
  view.replaceChildren(el("p", {}, el("a", { href: "#/screens" }, "← Screens")),
    el("h1", {}, `${screen.name}: seat layout`), takeFlash(), summary, form);
}

// ---- schedule: free slots of a screen, a new show, the day's shows (prices, cancel) ----

async function schedule(params) {
  const ticket = routeTicket;
  const [movieList, screenList] = await Promise.all([
    everything("/movies?is_active=true&sort=title"), everything("/screens?is_available=true"),
  ]);
  if (ticket !== routeTicket) return;
  const moviesByID = new Map(movieList.map((m) => [m.id, m]));
  const movie = el("select", { required: true, testid: "schedule-movie" }, option("", "Choose a movie"),
    movieList.map((m) => option(m.id, `${m.title} (${m.duration_minutes} min)`)));
  const screen = el("select", { required: true, testid: "schedule-screen" }, option("", "Choose a screen"),
    screenList.map((s) => option(s.id, `${s.name} (${s.screen_type})`)));
  const date = el("input", { type: "date", required: true, value: params.get("date") || today(), testid: "schedule-date" });
  const time = el("input", { type: "time", required: true, testid: "schedule-time" });
  const language = el("select", { required: true, testid: "schedule-language" });
  const format = el("select", { required: true, testid: "schedule-format" });
  const slots = el("div", { class: "slots", testid: "admin-slots" });
  const result = el("div", { role: "status" });
  const showsBox = el("section", { testid: "admin-shows" });
  movie.value = moviesByID.has(params.get("movie")) ? params.get("movie") : "";
  screen.value = screenList.some((s) => s.id === params.get("screen")) ? params.get("screen") : "";

  // The language and format lists come from the chosen movie.
  const fillChoices = () => {
    const chosen = moviesByID.get(movie.value);
    for (const [select, values] of [[language, chosen?.languages || []], [format, chosen?.formats || []]]) {
      const current = select.value;
      select.replaceChildren(...values.map((v) => option(v, v)));
      if (values.includes(current)) select.value = current;
    }
  };

  // Free windows of the screen that day that fit the movie; a click on one puts its start in the time field.
  let slotTicket = 0;
  const loadSlots = async () => {
    const mine = ++slotTicket;
    if (!movie.value || !screen.value || !date.value) {
      slots.replaceChildren(el("p", { class: "muted" }, "Choose a movie, a screen and a date to see the free times."));
      return;
    }
    slots.replaceChildren(el("p", { class: "muted" }, "Looking for free times…"));
    const answer = await api("GET", `/shows/available-slots?${query({ screen_id: screen.value, date: date.value, movie_id: movie.value })}`);
    if (mine !== slotTicket) return;
    if (!answer.slots.length) {
      slots.replaceChildren(el("p", {}, `No free time that day fits this movie (${answer.required_minutes ?? "its"} minutes with cleaning).`));
      return;
    }
    const fits = (t) => answer.slots.some((s) => t >= s.start_time && t <= (s.latest_start_time || s.end_time));
    if (!time.value || !fits(time.value)) time.value = answer.slots[0].start_time;
    slots.replaceChildren(el("p", { class: "muted" }, `Free to start (the show needs ${answer.required_minutes} minutes with cleaning):`),
      ...answer.slots.map((s) => {
        const latest = s.latest_start_time || s.end_time;
        return el("button", {
          type: "button", testid: "admin-slot", "data-start": s.start_time, "aria-label": `Start between ${s.start_time} and ${latest}`,
          onclick: () => { time.value = s.start_time; },
        }, `${s.start_time}–${latest}`);
      }));
  };

  const form = el("form", { class: "stack", testid: "admin-schedule-form" },
    el("div", { class: "fields" }, el("label", {}, "Movie ", movie), el("label", {}, "Screen ", screen), el("label", {}, "Date ", date)),
    slots,
    el("div", { class: "fields" }, el("label", {}, "Start time ", time), el("label", {}, "Language ", language), el("label", {}, "Format ", format)),
    el("button", { type: "submit", testid: "admin-schedule-submit" }, "Schedule show"), result);
  const remember = () => history.replaceState(null, "", `#/schedule?${query({ date: date.value, movie: movie.value, screen: screen.value })}`);
  movie.addEventListener("change", guarded(async () => { remember(); fillChoices(); await loadSlots(); }, form));
  screen.addEventListener("change", guarded(async () => { remember(); await loadSlots(); }, form));
  date.addEventListener("change", guarded(async () => { remember(); await Promise.all([loadSlots(), dayShows(date.value, showsBox)]); }, form));
  onSubmit(form, async () => {
    const show = await api("POST", "/shows", {
      movie_id: movie.value, screen_id: screen.value, show_date: date.value, show_time: time.value,
      language: language.value, format: format.value,
    });
    result.replaceChildren(el("p", { class: "ok", testid: "admin-schedule-result" },
      `Scheduled ${show.movie.title} on ${show.show_date} at ${show.show_time} in ${show.screen.name} (${show.language}, ${show.format}). `,
      el("a", { href: `#/prices/${show.id}` }, "Prices")));
    await Promise.all([loadSlots(), dayShows(date.value, showsBox)]);
  });
  fillChoices();
  view.replaceChildren(el("h1", {}, "Schedule a show"), takeFlash(), form, showsBox);
  await Promise.all([loadSlots(), dayShows(date.value, showsBox)]);
}

/** The shows of a date, each with its prices link and a cancel button. */
async function dayShows(date, box) {
  const shows = (await everything(`/shows?${query({ date })}`)).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  box.replaceChildren(el("h2", {}, `Shows on ${date}`), shows.length
    ? el("div", { class: "list" }, shows.map(showRow))
    : el("p", {}, "No shows on this day."));
}

function showRow(show) {
  const status = el("span", { testid: "admin-show-status" }, show.status === "CANCELLED"
    ? `Cancelled${show.cancel_reason ? `: ${show.cancel_reason}` : ""}` : show.is_on_sale ? "On sale" : "Scheduled, started");
  const row = el("article", { class: show.status === "CANCELLED" ? "card cancelled" : "card", testid: "admin-show-row", "data-show-id": show.id },
    el("h3", {}, `${show.show_time} · ${show.movie.title}`),
    el("p", {}, `${show.screen.name} · ${show.language} · ${show.format} · `, status));
  const buttons = el("p", { class: "filters" }, el("a", { href: `#/prices/${show.id}`, class: "button", testid: "admin-show-prices" }, "Prices"));
  if (show.status === "SCHEDULED") buttons.append(cancelButton(show, row, status));
  row.append(buttons);
  return row;
}

// Cancelling a show refunds its confirmed bookings in full, so the page counts them and asks first.
function cancelButton(show, row, status) {
  const button = action("Cancel show", async () => {
    const { total } = await api("GET", `/bookings?${query({ show_id: show.id, status: "CONFIRMED", limit: 1 })}`);
    const bookings = `${total} confirmed booking${total === 1 ? "" : "s"}`;
    const reason = el("input", { required: true, maxlength: 500, placeholder: "e.g. projector fault", testid: "admin-cancel-reason" });
    const panel = el("form", { class: "confirm", testid: "admin-cancel-confirm" },
      el("p", { testid: "admin-cancel-summary" }, `This cancels ${bookings} and refunds ${total === 1 ? "it" : "them"} in full.`),
      el("label", {}, "Reason (customers see it) ", reason),
      el("button", { type: "submit", class: "danger", testid: "admin-cancel-submit" }, "Cancel the show"), " ",
      el("button", { type: "button", onclick: () => { panel.remove(); button.hidden = false; } }, "Keep it"));
    onSubmit(panel, async () => {
      const cancelled = await api("PUT", `/shows/${show.id}/cancel`, { reason: reason.value.trim() });
      status.textContent = `Cancelled${cancelled.cancel_reason ? `: ${cancelled.cancel_reason}` : ""}`;
      row.classList.add("cancelled");
      panel.replaceWith(note(`Show cancelled; ${bookings} cancelled and refunded in full.`, "admin-cancel-result"));
      button.remove();
    });
    button.hidden = true;
    row.append(panel);
    reason.focus();
  }, { class: "danger", testid: "admin-cancel-show" });
  return button;
}

// ---- show prices: one price per seat category of the show's screen, in rupees ----

async function prices(showID) {
  const ticket = routeTicket;
  const show = await api("GET", `/shows/${showID}`);
  const [showPrices, categories] = await Promise.all([
    everything(`/show-category-pricing?${query({ show_id: showID })}`), everything(`/seat-categories?${query({ screen_id: show.screen.id })}`),
  ]);
  if (ticket !== routeTicket) return;
  const priceOf = new Map(showPrices.map((p) => [p.category_id, p]));
  const rows = categories.sort((a, b) => a.display_order - b.display_order).map((category) => {
    let current = priceOf.get(category.id);
    const shown = el("span", { testid: "admin-price-current" }, current ? rupees(current.price_minor) : "not priced");
    const amount = el("input", { required: true, inputmode: "decimal", value: rupeeInput(current?.price_minor ?? category.base_price_minor), "aria-label": `Price of ${category.name} in rupees`, testid: "admin-price-input" });
    const form = el("form", { class: "card filters", testid: "admin-price-row", "data-category-id": category.id },
      el("strong", {}, category.name), el("span", { class: "muted" }, `base ${rupees(category.base_price_minor)}`), "now ", shown,
      el("label", {}, "New price (₹) ", amount), el("button", { type: "submit", testid: "admin-price-save" }, "Save"));
    onSubmit(form, async () => {
      const price_minor = paise(amount.value, `price of ${category.name}`);
      current = current
        ? await api("PATCH", `/show-category-pricing/${current.id}`, { price_minor })
        : await api("POST", "/show-category-pricing", { show_id: showID, category_id: category.id, price_minor });
      shown.textContent = `${rupees(current.price_minor)} (saved)`;
    });
    return form;
  });
  view.replaceChildren(el("p", {}, el("a", { href: `#/schedule?${query({ date: show.show_date })}` }, `← Shows on ${show.show_date}`)),
    el("h1", {}, `Prices: ${show.movie.title}`),
    el("p", {}, `${show.show_date} ${show.show_time} · ${show.screen.name} · ${show.language} · ${show.format} · ${show.status}`),
    rows.length ? el("div", { class: "list" }, rows) : el("p", {}, "This screen has no seat categories yet."));
}

// ---- promo codes: list, create, (de)activate ----

function promoTerms(d) {
  const parts = [d.discount_type === "percent"
    ? `${d.percent}% off${d.max_discount_minor != null ? `, at most ${rupees(d.max_discount_minor)}` : ""}`
    : `${rupees(d.flat_amount_minor ?? 0)} off`];
  if (d.min_subtotal_minor) parts.push(`on ${rupees(d.min_subtotal_minor)} or more`);
  if (d.usage_limit_total) parts.push(`${d.usage_limit_total} uses in all`);
  if (d.usage_limit_per_user) parts.push(`${d.usage_limit_per_user} per customer`);
  if (d.starts_at) parts.push(`from ${when(d.starts_at)}`);
  if (d.ends_at) parts.push(`until ${when(d.ends_at)}`);
  if (d.movie_id || d.show_id) parts.push(d.show_id ? "one show only" : "one movie only");
  parts.push(`used ${d.times_used} time${d.times_used === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

async function promos(params) {
  const ticket = routeTicket;
  const code = params.get("code") || "", active = params.get("active") || "";
  const page = await api("GET", `/discounts?${query({ limit: 100, offset: params.get("offset"), code, is_active: active })}`);
  if (ticket !== routeTicket) return;
  const rows = page.items.map((d) => el("article", { class: "card", testid: "admin-promo", "data-discount-id": d.id },
    el("h2", {}, d.promo_code), d.description ? el("p", {}, d.description) : "", el("p", {}, promoTerms(d)),
    el("p", { class: "filters" }, d.is_active ? "Active" : "Inactive", action(d.is_active ? "Deactivate" : "Activate", async () => {
      await api("PATCH", `/discounts/${d.id}`, { is_active: !d.is_active });
      route();
    }, { testid: "admin-toggle-promo" }))));

  const f = {
    code: el("input", { required: true, minlength: 3, maxlength: 30, pattern: "[A-Za-z0-9_\\-]+", testid: "promo-code" }),
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
    percentFields.forEach((n) => { n.hidden = f.type.value !== "percent"; });
    flatFields.forEach((n) => { n.hidden = f.type.value !== "flat"; });
  };
  f.type.addEventListener("change", showType);
  showType();
  const form = el("form", { class: "stack", testid: "admin-promo-form" }, el("h2", {}, "New promo code"),
    el("div", { class: "fields" }, el("label", {}, "Code ", f.code), el("label", {}, "Type ", f.type), percentFields, flatFields,
      el("label", {}, "Smallest subtotal (₹) ", f.min), el("label", {}, "Uses in all ", f.total),
      el("label", {}, "Uses per customer ", f.perUser), el("label", {}, "Valid from ", f.starts), el("label", {}, "Valid until ", f.ends)),
    el("label", {}, "Description ", f.description), el("button", { type: "submit", testid: "admin-promo-save" }, "Create promo code"));
  onSubmit(form, async () => {
    const percent = f.type.value === "percent";
    if (percent && !f.percent.value) throw new Error("Enter the percent off.");
    if (!percent && !f.flat.value.trim()) throw new Error("Enter the amount off in rupees.");
    const created = await api("POST", "/discounts", {
      promo_code: f.code.value.trim(), discount_type: f.type.value,
      percent: percent ? Number(f.percent.value) : undefined,
      max_discount_minor: percent ? optionalPaise(f.max, "most taken off") : undefined,
      flat_amount_minor: percent ? undefined : paise(f.flat.value, "amount off"),
      min_subtotal_minor: optionalPaise(f.min, "smallest subtotal"),
      usage_limit_total: optionalInt(f.total), usage_limit_per_user: optionalInt(f.perUser),
      starts_at: f.starts.value ? new Date(f.starts.value).toISOString() : undefined,
      ends_at: f.ends.value ? new Date(f.ends.value).toISOString() : undefined,
      description: f.description.value.trim() || undefined,
    });
    flash = `Created ${created.promo_code}.`;
    go(`#/promos?${query({ code: created.promo_code })}`);
  });

  const search = el("input", { type: "search", value: code, placeholder: "Code contains", "aria-label": "Code contains" });
  const status = el("select", { "aria-label": "Active or not" }, option("", "All"), option("true", "Active"), option("false", "Inactive"));
  status.value = active;
  const filters = el("form", { class: "filters", role: "search", onsubmit: (event) => {
    event.preventDefault();
    go(`#/promos?${query({ code: search.value.trim(), active: status.value })}`);
  } }, search, status, el("button", { type: "submit" }, "Filter"));
  view.replaceChildren(el("h1", {}, "Promo codes"), takeFlash(), filters,
    rows.length ? el("div", { class: "list" }, rows) : el("p", {}, "No promo codes."),
    pager(page, (offset) => `#/promos?${query({ code, active, offset })}`), form);
}

// ---- refunds: find a booking, see its payments, refund part or all ----

async function findBooking(text) {
  if (UUID.test(text)) return api("GET", `/bookings/${text}`);
  const page = await api("GET", `/bookings?${query({ reference: text, limit: 1 })}`);
  if (!page.items.length) throw new Error(`No booking has the reference ${text}.`);
  return page.items[0];
}

async function refunds(params) {
  const ticket = routeTicket;
  const wanted = (params.get("q") || "").trim();
  const input = el("input", { required: true, value: wanted, placeholder: "BX-7K2M9Q or booking id", testid: "admin-refund-query" });
  const form = el("form", { class: "filters", role: "search", testid: "admin-refund-search" },
    el("label", {}, "Booking reference or id ", input), el("button", { type: "submit", testid: "admin-refund-find" }, "Find"));
  onSubmit(form, async () => go(`#/refunds?${query({ q: input.value.trim() })}`));
  const found = el("section");
  view.replaceChildren(el("h1", {}, "Refunds"), form, found);
  if (!wanted) return;
  found.replaceChildren(el("p", { class: "muted" }, "Looking…"));
  try {
    const booking = await findBooking(wanted);
    const payments = await everything(`/payments?${query({ booking_id: booking.id })}`);
    if (ticket !== routeTicket) return;
    found.replaceChildren(el("article", { class: "card", testid: "admin-booking", "data-booking-id": booking.id },
      el("h2", {}, `${booking.reference} · ${booking.status}`),
      el("p", {}, booking.seats.map((s) => s.label).join(", "), ` · total ${rupees(booking.breakdown.total_minor)} · booked ${when(booking.created_at)}`)),
    ...(payments.length ? payments.map(paymentCard) : [el("p", {}, "No payments for this booking.")]));
  } catch (error) {
    found.replaceChildren();
    if (error instanceof APIProblem && error.status === 401) throw error;
    showError(error, form);
  }
}

function paymentCard(payment) {
  const left = payment.amount_minor - payment.refunded_minor;
  const card = el("article", { class: "card", testid: "admin-payment", "data-payment-id": payment.payment_id },
    el("h3", {}, `Payment ${payment.status.toLowerCase()} · ${payment.method} via ${payment.gateway}`),
    el("p", {}, "Paid ", el("strong", { testid: "admin-payment-amount" }, rupees(payment.amount_minor)),
      " · refunded ", el("strong", { testid: "admin-payment-refunded" }, rupees(payment.refunded_minor)), ` · ${rupees(left)} left`),
    (payment.refunds || []).length ? el("ul", { testid: "admin-refunds" }, payment.refunds.map((r) =>
      el("li", {}, `${rupees(r.amount_minor)} · ${r.reason} · by ${r.actor} · ${r.status.toLowerCase()} · ${when(r.created_at)}`))) : "");
  if (payment.status !== "COMPLETED" || left <= 0) return card;
  // randomUUID needs a secure context (https or loopback); getRandomValues works everywhere.
  const key = crypto.randomUUID?.() ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const amount = el("input", { inputmode: "decimal", placeholder: `all ${rupeeInput(left)}`, testid: "admin-refund-amount" });
  const reason = el("input", { required: true, maxlength: 500, testid: "admin-refund-reason" });
  const form = el("form", { class: "stack", testid: "admin-refund-form" },
    el("div", { class: "fields" }, el("label", {}, "Amount (₹; empty for all that is left) ", amount), el("label", {}, "Reason ", reason)),
    el("button", { type: "submit", class: "danger", testid: "admin-refund-submit" }, "Refund"));
  onSubmit(form, async () => {
    const amount_minor = optionalPaise(amount, "refund");
    if (amount_minor !== undefined && amount_minor > left) throw new Error(`At most ${rupees(left)} is left to refund.`);
    // One key per form: a retry after a timeout gets the first answer again instead of a second refund.
    const updated = await api("POST", `/payments/${payment.payment_id}/refund`, { amount_minor, reason: reason.value.trim() },
      { "Idempotency-Key": key });
    const next = paymentCard(updated);
    card.replaceWith(next);
    next.append(note(`Refunded ${rupees(updated.refunded_minor - payment.refunded_minor)}.`, "admin-refund-result"));
  });
  card.append(form);
  return card;
}

// ---- routing ----
function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }

async function draw() {
  const [path, search] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(search || "");
  const [section, id] = path.split("/").filter(Boolean);
  if (section === "signin") return signIn(params.get("next"));
  await refreshIfDue(); // after a reload: the session comes back through the refresh cookie
  if (!session.signedIn) return signIn(location.hash);
  me ||= await api("GET", "/users/me");
  if (me.role !== "admin") return notStaff();
  renderNav(section || "movies");
  if (section === "movies" && id) return movieForm(id === "new" ? null : id);
  if (section === "screens") return id ? layoutEditor(id) : screens();
  if (section === "schedule") return schedule(params);
  if (section === "prices" && id) return prices(id);
  if (section === "promos") return promos(params);
  if (section === "refunds") return refunds(params);
  return movies(params);
}

const route = guarded(async () => {
  routeTicket += 1;
  try {
    await draw();
  } catch (error) {
    // An expired or revoked session: sign in again, then come back here.
    if (!(error instanceof APIProblem && error.status === 401)) throw error;
    session.clear();
    me = null;
    signIn(location.hash);
  }
});
window.addEventListener("hashchange", route);
route();
