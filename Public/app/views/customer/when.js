// Times as the cinema tells them. A show's date and time are the cinema's own (`show_date`, `show_time`, in its
// CINEMA_TIME_ZONE, as the shows list prints them); any other instant about that show (a refund deadline, a
// notification) is shown at the same UTC offset, so a customer abroad reads the times printed at the cinema.
import { api } from "../../api.js";

const utc = { timeZone: "UTC" };
const dayFormat = new Intl.DateTimeFormat("en-IN", {
  ...utc,
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});
const stampFormat = new Intl.DateTimeFormat("en-IN", {
  ...utc,
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

// Without a show to read the offset from: the zone the shows list assumes (shows.js).
const fallbackFormat = new Intl.DateTimeFormat("en-IN", {
  timeZone: "Asia/Kolkata",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const shows = new Map();

/** GET /shows/{id}, asked once per page load (its date, time, screen and status do not change under a booking but
 * for a cancellation, which the booking's own status also tells). */
export function showOf(id) {
  if (!shows.has(id)) {
    const asked = api("GET", `/shows/${id}`);
    asked.catch(() => shows.delete(id));
    shows.set(id, asked);
  }
  return shows.get(id);
}

/** The cinema's wall-clock instant of a show's start, as milliseconds read in UTC. */
const wallClock = (show) => Date.parse(`${show.show_date}T${show.show_time.slice(0, 5)}:00Z`);

/** "Mon, 7 Dec 2026, 18:30": the show's date and time at the cinema. */
export function showTime(show) {
  return `${dayFormat.format(wallClock(show))}, ${show.show_time.slice(0, 5)}`;
}

/** "7 Dec, 16:30": any instant at the cinema's UTC offset, read from `show` when there is one. */
export function atCinema(iso, show) {
  if (!iso) return "";
  if (!show) return fallbackFormat.format(Date.parse(iso));
  return stampFormat.format(Date.parse(iso) + wallClock(show) - Date.parse(show.starts_at));
}
