// The shows of a date, with their posters, language, format and times.
import { api, ownImage } from "../../api.js";
import { go } from "../../router.js";
import { el, view } from "../../ui.js";

export async function shows({ params, load }) {
  const date = params.get("date") || new Date().toLocaleDateString("en-CA"); // YYYY-MM-DD in the browser's time zone
  const picker = el("input", {
    type: "date",
    value: date,
    testid: "date-picker",
    onchange: () => go(`#/?date=${picker.value}`),
  });
  const page = await load(api("GET", `/shows?date=${date}&limit=100`));
  const cards = page.items.map((show) =>
    el(
      "article",
      { class: "card show", testid: "show-card", "data-show-id": show.id },
      ownImage(show.movie.poster_url)
        ? el("img", { class: "poster", src: show.movie.poster_url, alt: `Poster of ${show.movie.title}` })
        : el("div", { class: "poster blank", "aria-hidden": "true" }, show.movie.title.slice(0, 1)),
      el(
        "div",
        {},
        el("h2", {}, show.movie.title),
        el(
          "p",
          {},
          `${show.show_time} · ${show.language} · ${show.format}${show.movie.certificate ? ` · ${show.movie.certificate}` : ""}`,
        ),
        el(
          "p",
          {},
          show.screen.name,
          " · ",
          el(
            "span",
            { class: show.is_on_sale ? "on-sale" : "off-sale" },
            show.is_on_sale ? "On sale" : show.status === "CANCELLED" ? "Cancelled" : "Not on sale",
          ),
        ),
        show.is_on_sale ? el("button", { type: "button", onclick: () => go(`#/show/${show.id}`) }, "Choose seats") : "",
      ),
    ),
  );
  view.replaceChildren(
    el("h1", {}, "Shows"),
    el("label", {}, "Date ", picker),
    cards.length ? el("div", { class: "cards" }, cards) : el("p", {}, "No shows on this day."),
  );
}
