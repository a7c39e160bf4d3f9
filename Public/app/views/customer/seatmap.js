// A show's seat map, open to visitors too: drawn from /shows/{id}/availability (the seats: seatgrid.js), kept live by
// the socket when signed in, with a cap on how many seats one may choose, and the hold (the chosen seats or the best
// N) that opens the checkout. Holding asks a visitor to sign in, then brings back the seats they chose. Coming back to
// a show where the customer still holds seats offers to continue with them or to let them go.
import { APIProblem, api, rupees, session } from "../../api.js";
import { go, route } from "../../router.js";
import { clearError, el, guarded, showError, view } from "../../ui.js";
import { checkout } from "./checkout.js";
import { follow } from "./live.js";
import { admission, queueBox } from "./queue.js";
import { seatGrid, statusMark } from "./seatgrid.js";

// The API does not say the cap (MAX_SEATS_PER_USER_PER_SHOW, 10 unless configured); when the availability answer
// carries it as `max_seats_per_customer`, that wins. The server checks it anyway, counting bookings too.
const DEFAULT_SEAT_CAP = 10;

// Hold and best-N wait while a checkout is open; checkout.js announces it on `document`. One listener pair for the
// page's life, acting on the buttons of the map on screen.
let checkoutOpen = false;
let busy = false;
let controls = [];
// The seats of the open checkout's hold are the customer's own whatever the socket says meanwhile: "Hold these
// seats again" releases and re-holds them, and those two events may arrive after the checkout opened.
let mine = new Set();
let onScreen = null;
let onScreenShow = null;
const sync = () => {
  for (const button of controls) button.disabled = checkoutOpen || busy;
};
document.addEventListener("boxoffice:checkout-open", (event) => {
  checkoutOpen = true;
  mine = new Set(event.detail?.seat_ids ?? []);
  for (const id of mine) onScreen?.setStatus(id, "held_by_you");
  sync();
});
document.addEventListener("boxoffice:checkout-closed", async () => {
  checkoutOpen = false;
  const had = mine;
  mine = new Set();
  sync();
  // What the socket said about those seats meanwhile was set aside: the map on screen asks the API once instead.
  const grid = onScreen;
  if (!had.size || !grid?.node.isConnected) return;
  try {
    const map = await api("GET", `/shows/${onScreenShow}/availability`);
    for (const seat of map.seats) if (had.has(seat.id)) grid.setStatus(seat.id, seat.status);
  } catch {
    // The next live message or visit corrects the map.
  }
});

const minutesLeft = (lock) => Math.max(1, Math.ceil((Date.parse(lock.expires_at) - Date.now()) / 60_000));

export async function seatMap({ id: showID, params, load }) {
  const [map, holds] = await load(
    Promise.all([
      api("GET", `/shows/${showID}/availability`),
      session.signedIn ? api("GET", `/seatlocks?show_id=${showID}&limit=100`) : { items: [] },
    ]),
  );
  checkoutOpen = false;
  busy = false;
  mine = new Set();
  const cap = map.max_seats_per_customer ?? DEFAULT_SEAT_CAP;
  const picked = new Set();
  const chosen = el("p", { class: "chosen", "aria-live": "polite" });
  const limit = el("p", { class: "limit", role: "status", testid: "seat-limit", hidden: true });
  const grid = seatGrid(map, picked, toggle);
  onScreen = grid;
  onScreenShow = showID;
  const heldByYou = () => map.seats.filter((s) => grid.statusOf(s.id) === "held_by_you").length;
  const room = () => Math.max(0, cap - heldByYou());
  const showChosen = () => {
    chosen.textContent = picked.size
      ? `Chosen: ${[...picked].map(grid.labelOf).join(", ")} (${picked.size} of at most ${room()})`
      : "";
    best.max = String(Math.max(1, room()));
  };
  const tooMany = () => {
    const held = heldByYou();
    limit.textContent = `At most ${cap} seats per customer for a show${held ? `, and you hold ${held} already` : ""}.`;
    limit.hidden = false;
  };
  function toggle(seatID) {
    if (grid.statusOf(seatID) !== "available") return;
    limit.hidden = true;
    if (picked.has(seatID)) picked.delete(seatID);
    else if (picked.size >= room()) return tooMany();
    else picked.add(seatID);
    grid.refresh(seatID);
    showChosen();
  }

  follow(showID, (message) => {
    const status = { held: "held", released: "available", expired: "available", booked: "booked", freed: "available" }[
      message.status
    ];
    if (!status) return;
    for (const id of message.seat_ids) {
      if (mine.has(id) && status !== "booked") continue;
      if (!(status === "held" && grid.statusOf(id) === "held_by_you")) grid.setStatus(id, status);
    }
    showChosen();
  });

  const best = el("input", {
    type: "number",
    min: 1,
    max: Math.max(1, room()),
    value: Math.min(Number(params.get("best")) || 2, Math.max(1, room())),
    "aria-label": "Number of seats",
    class: "narrow",
  });
  const holdBar = el("p", { class: "hold-bar" });
  // A show sold through a waiting room refuses a hold without the customer's admission: its queue panel (queue.js).
  const queue = queueBox(map.show, load);
  // The seat map names the show's room: once its queue is open, the panel is shown (without taking the focus) before
  // any Hold is refused.
  if (session.signedIn && map.waiting_room && Date.parse(map.waiting_room.opens_at) <= Date.now()) {
    queue.node.hidden = false;
  }
  // A visitor signs in first and comes back here with the same choice.
  const signInFirst = () =>
    go(`#/signin?next=${encodeURIComponent(`#/show/${showID}?seats=${[...picked].join(",")}&best=${best.value}`)}`);
  const hold = async (request) => {
    clearError();
    if (!session.signedIn) return signInFirst();
    busy = true;
    sync();
    try {
      const lock = await api("POST", "/seatlocks", { show_id: showID, ...request, ...admission(map.show.id) });
      for (const id of lock.seat_ids) grid.setStatus(id, "held_by_you");
      showChosen();
      await checkout(map.show, lock);
    } catch (error) {
      if (error instanceof APIProblem && error.code === "not_admitted") queue.open();
      else showError(error, holdBar);
    } finally {
      busy = false;
      sync();
    }
  };
  const holdButton = el(
    "button",
    {
      type: "button",
      testid: "hold-button",
      onclick: () =>
        picked.size
          ? hold({ seat_ids: [...picked] })
          : showError(new Error("Choose seats on the map first, or ask for the best ones."), holdBar),
    },
    "Hold the chosen seats",
  );
  const bestButton = el(
    "button",
    {
      type: "button",
      testid: "best-button",
      onclick: () => {
        const count = Number(best.value);
        if (count > room()) return tooMany();
        return hold({ best_available: { count } });
      },
    },
    "seats",
  );
  controls = [holdButton, bestButton];
  holdBar.append(holdButton, " or the best ", best, " ", bestButton);

  // Seats chosen before signing in come back, as far as they are still free.
  for (const id of (params.get("seats") || "").split(",")) {
    if (grid.statusOf(id) === "available" && picked.size < room()) {
      picked.add(id);
      grid.refresh(id);
    }
  }
  showChosen();

  const resume = holds.items
    .filter((lock) => Date.parse(lock.expires_at) > Date.now())
    .map((lock) => {
      const box = el(
        "section",
        { class: "resume", testid: "resume-hold", "data-lock-id": lock.lock_id, "aria-label": "Seats you hold" },
        el(
          "p",
          {},
          `Your seats ${lock.seats.map((s) => s.label).join(", ")} are held for about ${minutesLeft(lock)} more min.`,
        ),
      );
      box.append(
        el(
          "button",
          {
            type: "button",
            testid: "resume-continue",
            onclick: guarded(async () => {
              box.remove();
              await checkout(map.show, lock);
            }, box),
          },
          "Continue with these seats",
        ),
        " ",
        el(
          "button",
          {
            type: "button",
            class: "secondary",
            testid: "resume-release",
            onclick: guarded(async () => {
              await api("DELETE", `/seatlocks/${lock.lock_id}`);
              route();
            }, box),
          },
          "Let them go",
        ),
      );
      return box;
    });

  const swatch = (status, extra = "", mark = statusMark[status]) =>
    el("span", { class: `swatch seat ${extra}`, "data-status": status, "aria-hidden": "true" }, mark ?? "");
  const show = map.show;
  view.replaceChildren(
    el("h1", {}, show.movie.title),
    el(
      "p",
      {},
      `${show.show_date} ${show.show_time} · ${show.language} · ${show.format} · ${show.screen.name} · `,
      el("a", { href: `#/movie/${show.movie.id}?date=${show.show_date}` }, "About the movie"),
    ),
    ...resume,
    el(
      "ul",
      { class: "legend seat-legend", "aria-label": "Legend" },
      [...grid.categories.values()].map((c) =>
        el(
          "li",
          {},
          swatch("available", c.cls, ""),
          ` ${c.name}`,
          c.price_minor != null ? ` ${rupees(c.price_minor)}` : "",
        ),
      ),
      el("li", {}, swatch("available", "picked", ""), " Your choice"),
      [
        ["held", "Held by someone"],
        ["held_by_you", "Held by you"],
        ["booked", "Booked"],
        ["unavailable", "Unavailable"],
      ].map(([status, name]) => el("li", {}, swatch(status), ` ${name}`)),
      el("li", {}, "♿ wheelchair space"),
      el("li", {}, "+ companion seat"),
    ),
    el("p", { class: "muted" }, `${map.counts.available} of ${map.seats.length} seats available`),
    grid.node,
    limit,
    chosen,
    holdBar,
    queue.node,
    session.signedIn ? "" : el("p", { class: "muted" }, "You will be asked to sign in when you hold seats."),
    el("section", { id: "checkout" }),
  );
}
