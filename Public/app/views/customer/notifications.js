// The account's notifications (the bell counts the unread ones), each with the show it is about (movie, the cinema's
// date and time, screen; the cinema's reason when it cancelled the show) and a link to its booking.
import { api, rupees } from "../../api.js";
import { route } from "../../router.js";
import { el, guarded, view } from "../../ui.js";
import { setUnread } from "./live.js";
import { atCinema, showOf, showTime } from "./when.js";

/** Amounts in a message written by the server ("₹2951.20") as every page writes them ("₹2,951.20"). */
const money = (text) =>
  text.replace(/₹(\d+)\.(\d\d)\b/g, (_, whole, paise) => rupees(Number(whole) * 100 + Number(paise)));

/** Marks one notification read when its booking is opened; the bell counts one fewer. */
function markRead(n) {
  if (n.is_read) return;
  n.is_read = true;
  const bell = document.getElementById("bell");
  setUnread(Math.max(0, Number(bell.dataset.unread) - 1));
  api("POST", `/notifications/${n.id}/read`, {}).catch(() => {});
}

function item(n, show) {
  const about = show
    ? el(
        "p",
        { class: "about", testid: "notification-show" },
        `${show.movie.title} · ${showTime(show)} · ${show.screen.name}`,
      )
    : "";
  const reason =
    n.type === "show_cancelled" && show?.cancel_reason
      ? el("p", { class: "cancel-reason" }, `The cinema's reason: ${show.cancel_reason}`)
      : "";
  const booking = n.data?.booking_id;
  return el(
    "li",
    { class: n.is_read ? "read" : "unread", testid: "notification", "data-booking-id": booking || "" },
    el("strong", {}, n.is_read ? "" : el("span", { class: "new" }, "New: "), n.title),
    el("p", {}, money(n.message)),
    about,
    reason,
    el(
      "p",
      { class: "meta" },
      el("small", {}, atCinema(n.created_at, show)),
      booking
        ? [
            " · ",
            el(
              "a",
              { href: `#/booking/${booking}`, testid: "notification-link", onclick: () => markRead(n) },
              "View booking",
            ),
          ]
        : "",
    ),
  );
}

export async function notifications({ load }) {
  const page = await load(api("GET", "/notifications?limit=50"));
  // A refund's notification names its booking only: its show is the booking's, known from another notification of
  // the booking or else from the caller's bookings.
  const showOfBooking = new Map(
    page.items.filter((n) => n.data?.show_id).map((n) => [n.data.booking_id, n.data.show_id]),
  );
  if (page.items.some((n) => n.data?.booking_id && !showOfBooking.has(n.data.booking_id))) {
    const mine = await load(api("GET", "/bookings?limit=100").catch(() => ({ items: [] })));
    for (const b of mine.items) if (!showOfBooking.has(b.id)) showOfBooking.set(b.id, b.show_id);
  }
  const showIDOf = (n) => n.data?.show_id || showOfBooking.get(n.data?.booking_id);
  const ids = [...new Set(page.items.map(showIDOf).filter(Boolean))];
  // A show that cannot be read any more leaves its notifications without the show's line.
  const shows = await load(Promise.all(ids.map((id) => showOf(id).catch(() => null))));
  const showByID = new Map(ids.map((id, i) => [id, shows[i]]));
  const markAll = el(
    "button",
    {
      type: "button",
      onclick: guarded(
        async () => {
          await api("POST", "/notifications/mark_all_read", {});
          setUnread(0);
          await route();
        },
        () => markAll,
      ),
    },
    "Mark all read",
  );
  view.replaceChildren(
    el("h1", {}, "Notifications"),
    markAll,
    page.items.length
      ? el(
          "ul",
          { class: "notes", testid: "notifications" },
          page.items.map((n) => item(n, showByID.get(showIDOf(n)))),
        )
      : el("p", {}, "No notifications yet."),
  );
}
