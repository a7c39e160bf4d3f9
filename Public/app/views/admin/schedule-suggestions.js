// When the chosen screen has no room for the movie (no free slot that day, or a 409 overlap from POST /shows): the
// next screen free on that date and the next day free on that screen, up to a week ahead, as buttons that fill the
// scheduling form.
import { api } from "../../api.js";
import { el } from "../../ui.js";
import { query } from "./common.js";

const LOOK_AHEAD_DAYS = 7;

/** "2025-03-31" plus `days` → "2025-04-01", on the calendar (no time zone involved). */
export function addDays(date, days) {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

const slotsOf = async (screenID, date, movieID) =>
  (await api("GET", `/shows/available-slots?${query({ screen_id: screenID, date, movie_id: movieID })}`)).slots;

/** The slot start to offer: the wanted time when a slot allows it, else the slot's first start. */
function startIn(slots, wanted) {
  const fits = wanted && slots.find((s) => wanted >= s.start_time && wanted <= (s.latest_start_time || s.end_time));
  return fits ? wanted : slots[0].start_time;
}

/** The next screen after `screenID` (in the list's order, wrapping) with room for the movie on `date`. */
async function nextScreen({ screens, screenID, date, movieID, time }) {
  const at = screens.findIndex((s) => s.id === screenID);
  const others = [...screens.slice(at + 1), ...screens.slice(0, Math.max(0, at))].filter((s) => s.capacity !== 0);
  const answers = await Promise.all(others.map((s) => slotsOf(s.id, date, movieID)));
  const found = answers.findIndex((slots) => slots.length);
  return found < 0 ? null : { screen: others[found], date, time: startIn(answers[found], time) };
}

/** The first of the next `LOOK_AHEAD_DAYS` days with room for the movie on the same screen. */
async function nextDay({ screens, screenID, date, movieID, time }) {
  const days = Array.from({ length: LOOK_AHEAD_DAYS }, (_, i) => addDays(date, i + 1));
  const answers = await Promise.all(days.map((day) => slotsOf(screenID, day, movieID)));
  const found = answers.findIndex((slots) => slots.length);
  const screen = screens.find((s) => s.id === screenID);
  return found < 0 ? null : { screen, date: days[found], time: startIn(answers[found], time) };
}

/**
 * A box for suggestions. `show(choice, why)` looks for the next free screen and day for `choice` ({screens,
 * screenID, date, movieID, time}) and offers each as a button that calls `apply({screen, date, time})`;
 * `clear()` empties it (and makes a search still under way draw nothing).
 */
export function suggestionBox(apply) {
  const box = el("div", { class: "schedule-suggestions", testid: "schedule-suggestions" });
  let ticket = 0;
  const clear = () => {
    ticket += 1;
    box.replaceChildren();
  };
  const show = async (choice, why) => {
    const mine = ++ticket;
    box.replaceChildren(el("p", { class: "muted" }, `${why} Looking for the next free screen and day…`));
    const found = await Promise.all([nextScreen(choice), nextDay(choice)]);
    if (mine !== ticket) return;
    const offers = found.filter(Boolean);
    box.replaceChildren(
      el(
        "p",
        { role: "status" },
        offers.length
          ? `${why} Free instead:`
          : `${why} No other screen is free that day, nor this screen in the next ${LOOK_AHEAD_DAYS} days.`,
      ),
      ...offers.map((offer) =>
        el(
          "button",
          {
            type: "button",
            testid: "schedule-suggestion",
            "data-screen-id": offer.screen.id,
            "data-date": offer.date,
            "data-start": offer.time,
            onclick: () => apply(offer),
          },
          `${offer.screen.name} on ${offer.date} at ${offer.time}`,
        ),
      ),
    );
  };
  return { box, show, clear };
}
