// Scheduling: the free slots of a screen for a movie on a date (or, when there is none, the next free screen and day),
// a new show, and the day's shows.
import { APIProblem, api } from "../../api.js";
import { el, guarded, onSubmit, view } from "../../ui.js";
import { everything, option, query, takeFlash, today } from "./common.js";
import { dayShows } from "./day-shows.js";
import { suggestionBox } from "./schedule-suggestions.js";

export async function schedule({ params, load }) {
  const [movieList, screenList] = await load(
    Promise.all([everything("/movies?is_active=true&sort=title"), everything("/screens?is_available=true")]),
  );
  const moviesByID = new Map(movieList.map((m) => [m.id, m]));
  const movie = el(
    "select",
    { required: true, testid: "schedule-movie" },
    option("", "Choose a movie"),
    movieList.map((m) => option(m.id, `${m.title} (${m.duration_minutes} min)`)),
  );
  const screen = el(
    "select",
    { required: true, testid: "schedule-screen" },
    option("", "Choose a screen"),
    screenList.map((s) => option(s.id, `${s.name} (${s.screen_type})`)),
  );
  const date = el("input", {
    type: "date",
    required: true,
    value: params.get("date") || today(),
    testid: "schedule-date",
  });
  const time = el("input", { type: "time", required: true, testid: "schedule-time" });
  const language = el("select", { required: true, testid: "schedule-language" });
  const format = el("select", { required: true, testid: "schedule-format" });
  const slots = el("div", { class: "slots", testid: "admin-slots" });
  const result = el("div", { role: "status" });
  // A suggestion fills the form: its screen, date and start (the slots of that day are then asked again).
  const suggestions = suggestionBox(
    guarded(
      async (offer) => {
        screen.value = offer.screen.id;
        const newDay = date.value !== offer.date;
        date.value = offer.date;
        time.value = offer.time;
        remember();
        await Promise.all([loadSlots(), newDay ? dayShows(date.value, showsBox) : null]);
        time.focus();
      },
      () => suggestions.box,
    ),
  );
  const choice = () => ({
    screens: screenList,
    screenID: screen.value,
    date: date.value,
    movieID: movie.value,
    time: time.value,
  });
  const showsBox = el("section", { testid: "admin-shows" });
  movie.value = moviesByID.has(params.get("movie")) ? params.get("movie") : "";
  screen.value = screenList.some((s) => s.id === params.get("screen")) ? params.get("screen") : "";

  // The language and format lists come from the chosen movie.
  const fillChoices = () => {
    const chosen = moviesByID.get(movie.value);
    for (const [select, values] of [
      [language, chosen?.languages || []],
      [format, chosen?.formats || []],
    ]) {
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
      suggestions.clear();
      slots.replaceChildren(el("p", { class: "muted" }, "Choose a movie, a screen and a date to see the free times."));
      return;
    }
    slots.replaceChildren(el("p", { class: "muted" }, "Looking for free times…"));
    const answer = await api(
      "GET",
      `/shows/available-slots?${query({ screen_id: screen.value, date: date.value, movie_id: movie.value })}`,
    );
    if (mine !== slotTicket) return;
    if (!answer.slots.length) {
      const why = `No free time that day fits this movie (${answer.required_minutes ?? "its"} minutes with cleaning).`;
      slots.replaceChildren();
      await suggestions.show(choice(), why);
      return;
    }
    suggestions.clear();
    const fits = (t) => answer.slots.some((s) => t >= s.start_time && t <= (s.latest_start_time || s.end_time));
    if (!time.value || !fits(time.value)) time.value = answer.slots[0].start_time;
    slots.replaceChildren(
      el("p", { class: "muted" }, `Free to start (the show needs ${answer.required_minutes} minutes with cleaning):`),
      ...answer.slots.map((s) => {
        const latest = s.latest_start_time || s.end_time;
        return el(
          "button",
          {
            type: "button",
            testid: "admin-slot",
            "data-start": s.start_time,
            "aria-label": `Start between ${s.start_time} and ${latest}`,
            onclick: () => {
              time.value = s.start_time;
            },
          },
          `${s.start_time}–${latest}`,
        );
      }),
    );
  };

  const form = el(
    "form",
    { class: "stack", testid: "admin-schedule-form" },
    el(
      "div",
      { class: "fields" },
      el("label", {}, "Movie ", movie),
      el("label", {}, "Screen ", screen),
      el("label", {}, "Date ", date),
    ),
    slots,
    suggestions.box,
    el(
      "div",
      { class: "fields" },
      el("label", {}, "Start time ", time),
      el("label", {}, "Language ", language),
      el("label", {}, "Format ", format),
    ),
    el("button", { type: "submit", testid: "admin-schedule-submit" }, "Schedule show"),
    result,
  );
  const remember = () =>
    history.replaceState(
      null,
      "",
      `#/schedule?${query({ date: date.value, movie: movie.value, screen: screen.value })}`,
    );
  movie.addEventListener(
    "change",
    guarded(async () => {
      remember();
      fillChoices();
      await loadSlots();
    }, form),
  );
  screen.addEventListener(
    "change",
    guarded(async () => {
      remember();
      await loadSlots();
    }, form),
  );
  date.addEventListener(
    "change",
    guarded(async () => {
      remember();
      await Promise.all([loadSlots(), dayShows(date.value, showsBox)]);
    }, form),
  );
  onSubmit(form, async () => {
    let show;
    try {
      show = await api("POST", "/shows", {
        movie_id: movie.value,
        screen_id: screen.value,
        show_date: date.value,
        show_time: time.value,
        language: language.value,
        format: format.value,
      });
    } catch (error) {
      // Another show is in the way (maybe scheduled meanwhile): the error in words, and where else it fits.
      if (error instanceof APIProblem && error.status === 409) {
        result.replaceChildren();
        await suggestions.show(choice(), `${time.value} on ${date.value} overlaps another show.`);
      }
      throw error;
    }
    result.replaceChildren(
      el(
        "p",
        { class: "ok", testid: "admin-schedule-result" },
        `Scheduled ${show.movie.title} on ${show.show_date} at ${show.show_time} in ${show.screen.name} (${show.language}, ${show.format}). `,
        el("a", { href: `#/prices/${show.id}` }, "Prices"),
      ),
    );
    await Promise.all([loadSlots(), dayShows(date.value, showsBox)]);
  });
  fillChoices();
  view.replaceChildren(el("h1", {}, "Schedule a show"), takeFlash(), form, showsBox);
  await Promise.all([loadSlots(), dayShows(date.value, showsBox)]);
}
