// Movies: the list with filters, the create and edit form, (de)activating, the poster upload.
import { api, ownImage } from "../../api.js";
import { go, route } from "../../router.js";
import { action, el, onSubmit, view } from "../../ui.js";
import { CERTIFICATES, list, option, pager, query, searchFilters, setFlash, takeFlash } from "./common.js";

export async function movies({ params, load }) {
  const q = params.get("q") || "";
  const active = params.get("active") || "";
  const page = await load(
    api("GET", `/movies?${query({ limit: 100, offset: params.get("offset"), q, is_active: active, sort: "title" })}`),
  );
  const search = el("input", {
    type: "search",
    value: q,
    placeholder: "Title contains",
    "aria-label": "Title contains",
    testid: "admin-movie-search",
  });
  const filters = searchFilters(search, active, (text, status) => go(`#/movies?${query({ q: text, active: status })}`));
  const rows = page.items.map((movie) =>
    el(
      "article",
      { class: "card item", testid: "admin-movie", "data-movie-id": movie.id },
      el("img", { class: "poster", src: ownImage(movie.poster_url), alt: "", hidden: !ownImage(movie.poster_url) }),
      el(
        "div",
        {},
        el("h2", {}, movie.title),
        el(
          "p",
          {},
          [
            `${movie.duration_minutes} min`,
            movie.certificate,
            movie.languages.join(", "),
            movie.formats.join(", "),
            movie.release_date,
          ]
            .filter(Boolean)
            .join(" · "),
        ),
        el("p", {}, movie.is_active ? "Active" : "Inactive"),
        el(
          "p",
          { class: "filters" },
          el("a", { href: `#/movies/${movie.id}`, class: "button", testid: "admin-edit-movie" }, "Edit"),
          movie.is_active
            ? el("a", { href: `#/schedule?${query({ movie: movie.id })}`, class: "button" }, "Schedule")
            : "",
          action(
            movie.is_active ? "Deactivate" : "Activate",
            async () => {
              await api("PATCH", `/movies/${movie.id}`, { is_active: !movie.is_active });
              route();
            },
            { testid: "admin-toggle-movie" },
          ),
        ),
      ),
    ),
  );
  view.replaceChildren(
    el("h1", {}, "Movies"),
    takeFlash(),
    el("p", {}, el("a", { href: "#/movies/new", class: "button", testid: "admin-new-movie" }, "New movie")),
    filters,
    rows.length ? el("div", { class: "list" }, rows) : el("p", {}, "No movies."),
    pager(page, (offset) => `#/movies?${query({ q, active, offset })}`),
  );
}

export async function movieForm({ id, load }) {
  const movie = id === "new" ? null : await load(api("GET", `/movies/${id}`));
  const f = {
    title: el("input", { required: true, maxlength: 200, value: movie?.title, testid: "movie-title" }),
    duration: el("input", {
      type: "number",
      required: true,
      min: 1,
      max: 600,
      value: movie?.duration_minutes,
      testid: "movie-duration",
    }),
    certificate: el(
      "select",
      { testid: "movie-certificate" },
      option("", "None"),
      CERTIFICATES.map((c) => option(c, c)),
    ),
    languages: el("input", {
      required: true,
      value: movie?.languages.join(", "),
      placeholder: "Hindi, English",
      testid: "movie-languages",
    }),
    formats: el("input", {
      required: true,
      value: movie?.formats.join(", "),
      placeholder: "2D, IMAX",
      testid: "movie-formats",
    }),
    genres: el("input", { value: movie?.genres.join(", "), placeholder: "Drama, Action", testid: "movie-genres" }),
    release: el("input", { type: "date", value: movie?.release_date, testid: "movie-release-date" }),
    description: el("textarea", { rows: 4, maxlength: 5000, testid: "movie-description" }, movie?.description || ""),
  };
  f.certificate.value = movie?.certificate || "";
  const form = el(
    "form",
    { class: "stack", testid: "admin-movie-form" },
    el(
      "div",
      { class: "fields" },
      el("label", { class: "wide" }, "Title ", f.title),
      el("label", {}, "Minutes ", f.duration),
      el("label", {}, "Certificate ", f.certificate),
      el("label", {}, "Release date ", f.release),
      el("label", {}, "Languages ", f.languages),
      el("label", {}, "Formats ", f.formats),
      el("label", {}, "Genres ", f.genres),
    ),
    el("p", { class: "muted" }, "Languages, formats and genres are comma lists; shows pick from the first two."),
    el("label", {}, "Description ", f.description),
    el("button", { type: "submit", testid: "admin-movie-save" }, movie ? "Save changes" : "Create movie"),
  );
  onSubmit(form, async () => {
    const body = {
      title: f.title.value.trim(),
      duration_minutes: Number(f.duration.value),
      languages: list(f.languages.value),
      formats: list(f.formats.value),
      genres: list(f.genres.value),
      description: f.description.value.trim(),
      certificate: f.certificate.value || undefined,
      release_date: f.release.value || undefined,
    };
    const saved = movie ? await api("PATCH", `/movies/${movie.id}`, body) : await api("POST", "/movies", body);
    setFlash(movie ? "Saved." : `Created ${saved.title}. Add a poster, or schedule it.`);
    go(`#/movies/${saved.id}`);
  });
  view.replaceChildren(
    el("p", {}, el("a", { href: "#/movies" }, "← Movies")),
    el("h1", {}, movie ? movie.title : "New movie"),
    takeFlash(),
    form,
    movie ? posterForm(movie) : "",
    movie?.is_active
      ? el("p", {}, el("a", { href: `#/schedule?${query({ movie: movie.id })}`, class: "button" }, "Schedule a show"))
      : "",
  );
}

function posterForm(movie) {
  const image = el("img", {
    class: "poster large",
    src: ownImage(movie.poster_url),
    alt: `Poster of ${movie.title}`,
    hidden: !ownImage(movie.poster_url),
    testid: "admin-poster-img",
  });
  const file = el("input", {
    type: "file",
    required: true,
    accept: "image/jpeg,image/png,image/webp",
    testid: "admin-poster-file",
  });
  const status = el("p", { role: "status" });
  const form = el(
    "form",
    { class: "stack", testid: "admin-poster-form" },
    el("h2", {}, "Poster"),
    image,
    el("label", {}, "JPEG, PNG or WebP, at most 5 MiB ", file),
    el("button", { type: "submit", testid: "admin-poster-upload" }, "Upload poster"),
    status,
  );
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
