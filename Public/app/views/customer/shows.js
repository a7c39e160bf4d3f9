// Browsing: a strip of the cinema's next seven days, then one card per movie with that day's showtimes as buttons.
// The pieces (the date strip, a movie's facts, its showtimes) are shared with the movie page (movie.js).
import { api, ownImage } from "../../api.js";
import { go } from "../../router.js";
import { el, view } from "../../ui.js";

// The cinema's dates are in its time zone (the server's CINEMA_TIME_ZONE), not the browser's: at 23:00 in London it
// is already tomorrow in Kolkata. India keeps no daylight saving, so a day is always 24 hours there.
const CINEMA_TIME_ZONE = "Asia/Kolkata";
const DAY = 86_400_000;

/** The cinema's date `days` from today, YYYY-MM-DD. */
export const cinemaDate = (days = 0) =>
  new Date(Date.now() + days * DAY).toLocaleDateString("en-CA", { timeZone: CINEMA_TIME_ZONE });

const dayName = (iso, options) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString("en-IN", { timeZone: "UTC", ...options });

/**
 * The next seven days as links (`hrefFor(date)`), the chosen one marked, and a date field for any later day. A chosen
 * date outside the seven is added to the strip so the page always says which day it shows.
 */
export function dateStrip(date, hrefFor) {
  const days = Array.from({ length: 7 }, (_, i) => cinemaDate(i));
  if (!days.includes(date)) days.push(date);
  const names = { [days[0]]: "Today", [days[1]]: "Tomorrow" };
  const picker = el("input", {
    type: "date",
    value: date,
    min: days[0],
    testid: "date-picker",
    onchange: () => picker.value && go(hrefFor(picker.value)),
  });
  return el(
    "nav",
    { class: "date-strip", "aria-label": "Dates" },
    el(
      "ul",
      { testid: "date-strip" },
      days.map((day) =>
        el(
          "li",
          {},
          el(
            "a",
            { href: hrefFor(day), "data-date": day, "aria-current": day === date ? "date" : undefined },
            el("span", { class: "weekday" }, names[day] || dayName(day, { weekday: "short" })),
            el("span", { class: "day" }, dayName(day, { day: "numeric", month: "short" })),
          ),
        ),
      ),
    ),
    el("label", { class: "other-date" }, "Another date ", picker),
  );
}

/** "2 h 15 min". */
export const runtime = (minutes) =>
  minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;

/** A movie's poster, or its initial on a plain tile when it has none of ours. */
export function poster(movie, size = "") {
  return ownImage(movie.poster_url)
    ? el("img", { class: `poster ${size}`, src: movie.poster_url, alt: `Poster of ${movie.title}` })
    : el("div", { class: `poster blank ${size}`, "aria-hidden": "true" }, movie.title.slice(0, 1));
}

/** Certificate, runtime, genres: what the API knows of the movie (a show's summary has no genres). */
export const facts = (movie) =>
  [movie.certificate, movie.duration_minutes && runtime(movie.duration_minutes), (movie.genres || []).join(", ")]
    .filter(Boolean)
    .join(" · ");

/** One button per showtime (`show-card` on its item, with data-show-id); a show not on sale says why, no button. */
export function showtimes(list) {
  return el(
    "ul",
    { class: "showtimes", "aria-label": "Showtimes" },
    [...list]
      .sort((a, b) => a.show_time.localeCompare(b.show_time))
      .map((show) => {
        const detail = `${show.format} · ${show.language}`;
        return el(
          "li",
          { testid: "show-card", "data-show-id": show.id },
          show.is_on_sale
            ? el(
                "button",
                {
                  type: "button",
                  class: "showtime",
                  testid: "showtime",
                  "data-show-id": show.id,
                  "aria-label": `${show.show_time}, ${detail}, ${show.screen.name}`,
                  onclick: () => go(`#/show/${show.id}`),
                },
                el("strong", {}, show.show_time),
                el("small", {}, detail),
              )
            : el(
                "span",
                { class: "showtime off" },
                el("strong", {}, show.show_time),
                el("small", {}, show.status === "CANCELLED" ? "Cancelled" : "Not on sale"),
              ),
        );
      }),
  );
}

/** Every show matching `query`, through as many pages as it takes. */
export async function allShows(query) {
  const items = [];
  for (;;) {
    const page = await api("GET", `/shows?${query}&limit=100&offset=${items.length}`);
    items.push(...page.items);
    if (!page.items.length || items.length >= page.total) return items;
  }
}

export async function shows({ params, load }) {
  const date = params.get("date") || cinemaDate();
  const [list, movies] = await load(
    Promise.all([
      allShows(`date=${date}`),
      api("GET", "/movies?is_active=true&limit=100").catch(() => ({ items: [] })),
    ]),
  );
  const known = new Map(movies.items.map((m) => [m.id, m]));
  const byMovie = new Map();
  for (const show of list) {
    if (!byMovie.has(show.movie.id)) byMovie.set(show.movie.id, []);
    byMovie.get(show.movie.id).push(show);
  }
  const cards = [...byMovie.values()].map((group) => {
    const movie = { ...group[0].movie, ...known.get(group[0].movie.id) };
    const languages = [...new Set(group.map((s) => s.language))].join(", ");
    return el(
      "article",
      { class: "card movie", testid: "movie-card", "data-movie-id": movie.id },
      poster(movie),
      el(
        "div",
        {},
        el("h2", {}, el("a", { href: `#/movie/${movie.id}?date=${date}` }, movie.title)),
        el("p", { class: "muted" }, facts(movie)),
        el("p", { class: "muted" }, languages),
        showtimes(group),
      ),
    );
  });
  view.replaceChildren(
    el("h1", {}, "Movies"),
    dateStrip(date, (day) => `#/?date=${day}`),
    cards.length ? el("div", { class: "movies" }, cards) : el("p", {}, "No shows on this day."),
  );
}
