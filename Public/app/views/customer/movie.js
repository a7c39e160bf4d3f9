// A movie's page: poster, synopsis, runtime, genres, languages, cast and crew, and its showtimes day by day.
import { api } from "../../api.js";
import { el, view } from "../../ui.js";
import { allShows, cinemaDate, dateStrip, facts, poster, showtimes } from "./shows.js";

const credits = (people) =>
  el(
    "ul",
    { class: "credits" },
    people.map((p) =>
      el("li", {}, el("strong", {}, p.name), p.role ? el("span", { class: "muted" }, ` ${p.role}`) : ""),
    ),
  );

export async function moviePage({ id, params, load }) {
  const date = params.get("date") || cinemaDate();
  const [movie, list] = await load(Promise.all([api("GET", `/movies/${id}`), allShows(`movie_id=${id}&date=${date}`)]));
  const details = [
    ["Languages", movie.languages.join(", ")],
    ["Formats", movie.formats.join(", ")],
    ["Released", movie.release_date],
    ["Rating", movie.rating != null ? `${movie.rating} / 10` : null],
  ].filter(([, value]) => value);
  view.replaceChildren(
    el("p", {}, el("a", { href: `#/?date=${date}` }, "← All movies")),
    el(
      "article",
      { class: "movie-page", testid: "movie-page", "data-movie-id": movie.id },
      poster(movie, "large"),
      el(
        "div",
        {},
        el("h1", {}, movie.title),
        el("p", { class: "muted" }, facts(movie)),
        movie.description ? el("p", { class: "synopsis" }, movie.description) : "",
        details.length
          ? el(
              "dl",
              { class: "facts" },
              details.flatMap(([name, value]) => [el("dt", {}, name), el("dd", {}, value)]),
            )
          : "",
        movie.cast.length ? [el("h2", {}, "Cast"), credits(movie.cast)] : [],
        movie.crew.length ? [el("h2", {}, "Crew"), credits(movie.crew)] : [],
      ),
    ),
    el("h2", {}, "Showtimes"),
    dateStrip(date, (day) => `#/movie/${movie.id}?date=${day}`),
    list.length ? showtimes(list) : el("p", {}, "No shows of this movie on this day."),
  );
}
