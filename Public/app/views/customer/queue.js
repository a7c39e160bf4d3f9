// The waiting room on the seat map (issue 30). A show that sells through a queue refuses a hold without an admission
// (403 `not_admitted`); the seat map then opens this panel. The customer joins with a button rather than by surprise
// (a place is once per account, and before the sale opens the early joiners' order is drawn at random), then sees
// their place, how many are ahead, a progress bar and the estimated wait, and the page asks again after the
// `poll_after_seconds` the API says. Once admitted, the admission is kept in memory for that show and the seat map
// sends it with its holds (`admission`). A turn that passed unused is said so: a place cannot be taken twice.
//
// One poll at a time, one setTimeout, and none after the view is left: a hash change or the next seat map stops it,
// an answer that arrives after a later navigation is dropped through the router's `load`, and a panel no longer in
// the page never asks again. Coming back to the show's map shows the place again and goes on asking.
import { APIProblem, api } from "../../api.js";
import { describe, el, guarded } from "../../ui.js";
import { atCinema } from "./when.js";

// Per show id: { entryID, last (the latest answer), start (the most places seen ahead: the progress bar's 0) }.
const places = new Map();
let stopCurrent = () => {};
const NO_ROOM = "This show no longer sells through a waiting room: hold your seats again.";
window.addEventListener("hashchange", () => stopCurrent());

/** The `admission` field for a hold of `showID`: the customer's admission while it lasts, else nothing. */
export function admission(showID) {
  const last = places.get(showID)?.last;
  const valid = last?.state === "admitted" && last.admission && Date.now() < Date.parse(last.admission_expires_at);
  return valid ? { admission: last.admission } : {};
}

/** "about 2 min 5 s" */
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `about ${s} s`;
  if (s < 3600) return `about ${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `about ${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/**
 * The queue panel of `show` (the seat map's `map.show`), hidden until `open()` (a hold was refused for want of an
 * admission) unless the customer already has a place in its queue. `load` is the seat map's stale-view guard.
 */
export function queueBox(show, load) {
  stopCurrent();
  const showID = show.id;
  let timer = null;
  let stopped = false;
  let failures = 0;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    timer = null;
  };
  stopCurrent = stop;
  // "16:30": an instant at the cinema's clock (atCinema answers "7 Dec, 16:30"; the day is the show's).
  const clock = (iso) => atCinema(iso, show).slice(-5);

  const heading = el("h2", { id: "queue-heading", tabindex: "-1" }, "Waiting room");
  const intro = el(
    "p",
    {},
    "This show is busy, so its seats are sold through a queue. Join it, and you can hold seats when it is your turn.",
  );
  const join = el("button", { type: "button", class: "primary", testid: "join-queue" }, "Join the queue");
  const message = el("p", { class: "queue-message", testid: "queue-message", hidden: true });
  const position = el("p", { class: "queue-position", testid: "queue-position" });
  const ahead = el("p", { testid: "queue-ahead" });
  const bar = el("progress", { id: "queue-progress", testid: "queue-progress", max: 1, value: 0 });
  const wait = el("p", { testid: "queue-wait" });
  const standing = el(
    "div",
    { class: "queue-standing", testid: "queue-standing", hidden: true },
    position,
    ahead,
    el("label", { for: "queue-progress" }, "Your way to the front of the queue"),
    bar,
    wait,
  );
  // Announced once each: the turn, or that it passed. The place and wait change on every poll and are not read out.
  const admitted = el("p", { class: "queue-admitted", testid: "queue-admitted" });
  const expired = el("p", { class: "queue-expired", testid: "queue-expired" });
  const node = el(
    "section",
    { class: "queue-panel", testid: "queue-panel", "aria-labelledby": "queue-heading", hidden: true },
    heading,
    intro,
    join,
    message,
    el("div", { "aria-live": "off" }, standing),
    el("div", { role: "status" }, admitted, expired),
  );

  const say = (text) => {
    message.textContent = text;
    message.hidden = !text;
  };
  const later = (seconds) => {
    clearTimeout(timer);
    timer = stopped ? null : setTimeout(poll, Math.max(1, seconds) * 1000);
  };

  function draw(entry) {
    const place = places.get(showID);
    place.last = entry;
    intro.hidden = true;
    join.hidden = true;
    node.dataset.state = entry.state;
    if (entry.state === "waiting") {
      place.start = Math.max(place.start ?? 0, entry.ahead);
      standing.hidden = false;
      position.textContent = `Your place in the queue: ${entry.position} of ${entry.queue_length}`;
      ahead.textContent =
        entry.ahead === 0
          ? "Nobody is ahead of you."
          : `${entry.ahead} ${entry.ahead === 1 ? "person is" : "people are"} ahead of you.`;
      // From where the customer stood (the most places ever ahead) to the front, and one step more for the turn.
      bar.max = place.start + 1;
      bar.value = place.start - entry.ahead;
      const opens = Date.parse(entry.on_sale_at) > Date.now();
      wait.textContent =
        `Estimated wait: ${duration(entry.estimated_wait_seconds)}.` +
        (opens
          ? ` The sale opens at ${clock(entry.on_sale_at)}; everyone who joins before then gets a place drawn at random.`
          : "");
      later(entry.poll_after_seconds);
      return;
    }
    standing.hidden = true;
    if (entry.state === "admitted") {
      bar.value = bar.max;
      admitted.textContent = `It's your turn: choose seats before ${clock(entry.admission_expires_at)}.`;
      expired.textContent = "";
    } else if (entry.state === "sold_out") {
      admitted.textContent = "";
      expired.textContent = "This show is sold out: every seat has been booked. Try another showtime.";
    } else {
      admitted.textContent = "";
      expired.textContent =
        "Your turn in the queue has passed. A place in this queue can be taken once per account, so you cannot join " +
        "it again.";
    }
  }

  async function poll() {
    timer = null;
    const place = places.get(showID);
    if (stopped || !node.isConnected || !place) return stop();
    try {
      const entry = await load(api("GET", `/queue/${place.entryID}`));
      if (stopped || !node.isConnected) return;
      failures = 0;
      say("");
      draw(entry);
    } catch (error) {
      if (stopped || !node.isConnected) return; // a later navigation began: this view is over
      if (error instanceof APIProblem && error.status === 404) {
        places.delete(showID);
        standing.hidden = true;
        say(NO_ROOM);
        return;
      }
      failures += 1;
      say(`${describe(error)} Your place is kept; asking again shortly.`);
      later(Math.min(30, 5 * failures));
    }
  }

  join.addEventListener(
    "click",
    guarded(async () => {
      join.disabled = true;
      say("");
      try {
        const entry = await load(api("POST", `/shows/${showID}/queue`));
        if (stopped) return;
        places.set(showID, { entryID: entry.entry_id, start: entry.ahead });
        draw(entry);
      } catch (error) {
        if (stopped || !node.isConnected) return; // a later navigation began: this view is over
        if (!(error instanceof APIProblem)) throw error;
        if (error.code === "queue_not_open")
          // "The queue for this show opens at 2026-12-07T10:00:00Z." with the instant at the cinema's clock.
          say((error.detail || error.message).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, (iso) => atCinema(iso, show)));
        else if (error.status === 404) say(NO_ROOM);
        else throw error;
      } finally {
        join.disabled = false;
      }
    }, join),
  );

  // A place taken earlier on this page: shown again, and asked again at once unless its end is known.
  const known = places.get(showID);
  if (known) {
    node.hidden = false;
    const last = known.last;
    if (["expired", "sold_out"].includes(last?.state) || (last?.state === "admitted" && admission(showID).admission))
      draw(last);
    else timer = setTimeout(poll, 0);
  }

  return {
    node,
    /** A hold was refused for want of an admission: show the panel (and where the customer stands, if they joined). */
    open() {
      node.hidden = false;
      if (places.has(showID) && !timer) timer = setTimeout(poll, 0);
      heading.focus({ preventScroll: true });
      node.scrollIntoView?.({ block: "nearest" });
    },
  };
}
