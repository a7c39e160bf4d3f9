// A show's waiting room for staff (issue 30), on the show's seat page: whether the show sells through a queue, when
// the queue and the sale open, the pace and how long an admission lasts, how long the queue is and how many have been
// admitted; a form to put the show behind a room or change it, and Remove (asked twice).
//
// Times are the cinema's wall clock, as the schedule form takes a show's date and time: the datetime-local fields are
// read and filled at the show's own UTC offset (its show_date and show_time against its starts_at, as the customer
// pages print times), whatever the staff browser's zone.
//
// The API answers 404 for a show without a room, and the browser logs every 404 as a console error; so the room is
// asked for only when staff press "Show the waiting room" (after that, on every show's page of this visit), and the
// page's own refresh asks again only while the show has one.
import { APIProblem, api } from "../../api.js";
import { describe, el, onSubmit } from "../../ui.js";
import { note } from "./common.js";

const places = (n) => `${n} ${n === 1 ? "place" : "places"}`;
let wanted = false; // staff opened a room once this visit: open the next show's room by itself

const utcFormat = new Intl.DateTimeFormat("en-IN", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** `show`: the show as the seat map answers it. Answers the section and `refresh(force)` for the page's refresh. */
export function waitingRoom(show) {
  const offset = Date.parse(`${show.show_date}T${show.show_time.slice(0, 5)}:00Z`) - Date.parse(show.starts_at);
  const toInput = (ms) => new Date(ms + offset).toISOString().slice(0, 16);
  const fromInput = (value) => new Date(Date.parse(`${value}:00Z`) - offset).toISOString();
  const atCinema = (iso) => utcFormat.format(Date.parse(iso) + offset);

  let room = null; // the room as last answered; null when the show has none
  let loaded = false;
  let asking = 0;

  const facts = el("div", { testid: "room-facts" });
  const result = el("div", { role: "status" });
  const f = {
    opens: el("input", { type: "datetime-local", required: true, testid: "room-opens" }),
    onSale: el("input", { type: "datetime-local", required: true, testid: "room-on-sale" }),
    rate: el("input", { type: "number", min: 1, max: 100000, step: 1, required: true, testid: "room-rate" }),
    minutes: el("input", { type: "number", min: 1, max: 120, step: 1, required: true, testid: "room-minutes" }),
  };
  const formHeading = el("h3", {});
  const save = el("button", { type: "submit", testid: "room-save" }, "");
  const form = el(
    "form",
    { class: "stack", testid: "room-form", hidden: true },
    formHeading,
    el(
      "div",
      { class: "fields" },
      el("label", {}, "Queue opens (cinema time) ", f.opens),
      el("label", {}, "Sale opens (cinema time) ", f.onSale),
      el("label", {}, "Admitted per minute ", f.rate),
      el("label", {}, "Each admission lasts (minutes) ", f.minutes),
    ),
    save,
  );
  const confirmBox = el("div", { class: "confirm", hidden: true, testid: "room-remove-confirm-box" });
  const remove = el(
    "button",
    { type: "button", class: "danger", testid: "room-remove", hidden: true },
    "Remove the waiting room",
  );
  const openButton = el("button", { type: "button", testid: "room-show" }, "Show the waiting room");
  const node = el(
    "section",
    { class: "waiting-room", testid: "waiting-room", "aria-labelledby": "waiting-room-heading" },
    el("h2", { id: "waiting-room-heading" }, "Waiting room"),
    el(
      "p",
      { class: "muted" },
      "A busy show can sell through a queue: customers join it from when it opens and may hold seats once admitted.",
    ),
    openButton,
    // Redrawn with the page's refresh, so not read out each time.
    el("div", { "aria-live": "off" }, facts),
    result,
    remove,
    confirmBox,
    form,
  );

  const failure = (error) =>
    el("p", { class: "error inline", role: "alert", testid: "error-message" }, describe(error));
  const fill = () => {
    if (room) {
      f.opens.value = toInput(Date.parse(room.opens_at));
      f.onSale.value = toInput(Date.parse(room.on_sale_at));
      f.rate.value = String(room.admit_per_minute);
      f.minutes.value = String(room.admission_minutes);
    } else {
      // The queue opens at the next quarter hour, the sale 30 minutes later (and before the show starts).
      const quarter = 15 * 60_000;
      const opens = Math.ceil(Date.now() / quarter) * quarter;
      const onSale = Math.max(opens, Math.min(opens + 2 * quarter, Date.parse(show.starts_at) - quarter));
      f.opens.value = toInput(opens);
      f.onSale.value = toInput(onSale);
      f.rate.value = "100";
      f.minutes.value = "10";
    }
    formHeading.textContent = room ? "Change the waiting room" : "Put this show behind a waiting room";
    save.textContent = room ? "Save the waiting room" : "Add a waiting room";
  };

  const drawFacts = () => {
    openButton.hidden = true;
    form.hidden = false;
    remove.hidden = !room;
    if (!room) {
      confirmBox.hidden = true;
      facts.replaceChildren(
        el("p", { testid: "room-none" }, "This show has no waiting room: anyone signed in may hold its seats."),
      );
      return;
    }
    const row = (name, value, testid) => [el("dt", {}, name), el("dd", { testid }, value)];
    facts.replaceChildren(
      el(
        "p",
        { testid: "room-state" },
        el("strong", {}, room.is_active ? "Active now" : "Not active now"),
        room.is_active
          ? ": only admitted customers may hold seats until the show starts."
          : ": it is active from when the queue opens until the show starts.",
      ),
      el(
        "dl",
        { class: "room-facts" },
        row("Queue opens", atCinema(room.opens_at), "room-opens-at"),
        row("Sale opens", atCinema(room.on_sale_at), "room-on-sale-at"),
        row("Admitted per minute", String(room.admit_per_minute), "room-rate-shown"),
        row("Each admission lasts", `${room.admission_minutes} min`, "room-minutes-shown"),
        row("In the queue", String(room.queue_length), "room-length"),
        row("Admitted so far", String(room.admitted), "room-admitted"),
      ),
    );
  };

  /** Asks for the room; a 404 is a show without one. */
  const ask = async () => {
    const mine = ++asking;
    let answer = null;
    try {
      answer = await api("GET", `/shows/${show.id}/waiting-room`);
    } catch (error) {
      if (!(error instanceof APIProblem && error.status === 404)) throw error;
    }
    if (mine !== asking || !node.isConnected) return;
    const first = !loaded;
    loaded = true;
    const had = Boolean(room);
    room = answer;
    // The form keeps what staff are typing; it is filled the first time and when the room came or went.
    if (first || had !== Boolean(room)) fill();
    drawFacts();
  };

  openButton.addEventListener("click", async () => {
    wanted = true;
    openButton.disabled = true;
    try {
      await ask();
    } catch (error) {
      result.replaceChildren(failure(error));
    } finally {
      openButton.disabled = false;
    }
  });

  onSubmit(form, async () => {
    result.replaceChildren();
    if (!f.opens.value || !f.onSale.value) throw new Error("Enter when the queue opens and when the sale opens.");
    // A field left as it was filled keeps the room's instant to the second (the field shows minutes only).
    const read = (input, iso) => (room && input.value === toInput(Date.parse(iso)) ? iso : fromInput(input.value));
    const opensAt = read(f.opens, room?.opens_at);
    const onSaleAt = read(f.onSale, room?.on_sale_at);
    if (Date.parse(opensAt) > Date.parse(onSaleAt))
      throw new Error("The queue must open before the sale opens, or at the same time.");
    if (Date.parse(onSaleAt) >= Date.parse(show.starts_at))
      throw new Error("The sale must open before the show starts.");
    const rate = Number(f.rate.value);
    const minutes = Number(f.minutes.value);
    if (!Number.isInteger(rate) || rate < 1 || rate > 100000)
      throw new Error("Admitted per minute: enter a whole number from 1 to 100000.");
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 120)
      throw new Error("Each admission lasts: enter a whole number of minutes from 1 to 120.");
    const added = !room;
    room = await api("PUT", `/shows/${show.id}/waiting-room`, {
      opens_at: opensAt,
      on_sale_at: onSaleAt,
      admit_per_minute: rate,
      admission_minutes: minutes,
    });
    asking += 1; // an older answer that arrives now is out of date
    fill();
    drawFacts();
    result.replaceChildren(note(added ? "Waiting room added." : "Waiting room saved.", "room-note"));
  });

  remove.addEventListener("click", () => {
    result.replaceChildren();
    const yes = el("button", { type: "button", class: "danger", testid: "room-remove-confirm" }, "Yes, remove it");
    const no = el("button", { type: "button", testid: "room-remove-cancel" }, "Keep it");
    confirmBox.replaceChildren(
      el(
        "p",
        {},
        `Remove the waiting room? Its queue (${places(room?.queue_length ?? 0)}) is dropped, and anyone signed in ` +
          "may hold seats at once.",
      ),
      yes,
      " ",
      no,
    );
    confirmBox.hidden = false;
    remove.hidden = true;
    no.addEventListener("click", () => {
      confirmBox.hidden = true;
      remove.hidden = false;
      remove.focus();
    });
    yes.addEventListener("click", async () => {
      yes.disabled = true;
      try {
        await api("DELETE", `/shows/${show.id}/waiting-room`);
        room = null;
        asking += 1;
        fill();
        drawFacts();
        result.replaceChildren(note("Waiting room removed.", "room-note"));
        f.opens.focus();
      } catch (error) {
        yes.disabled = false;
        result.replaceChildren(failure(error));
      }
    });
    yes.focus();
  });

  if (wanted) {
    openButton.hidden = true;
    ask().catch((error) => result.replaceChildren(failure(error)));
  }

  return {
    node,
    /** The page's refresh: the numbers again while the show has a room (`force`: also when it has none). */
    refresh(force) {
      if (!loaded || !(room || force)) return;
      ask().catch(() => {});
    },
  };
}
