// BoxOffice in the browser: shows by date, a live seat map, hold, food and promo, book, pay, my bookings, alerts.
// Plain modules, no build step; every call goes through the public JSON API with the same tokens as any client.
// The views are in views/customer/; this module routes to them.
import { refreshIfDue, session, startRefreshing } from "./api.js";
import { showSignIn } from "./auth.js";
import { go, startRouter } from "./router.js";
import { booking } from "./views/customer/booking.js";
import { bookings } from "./views/customer/bookings.js";
import { exchange } from "./views/customer/exchange.js";
import { renderNav, signedIn, startHeader } from "./views/customer/header.js";
import { closeLive, connectLive, follow } from "./views/customer/live.js";
import { moviePage } from "./views/customer/movie.js";
import { notifications } from "./views/customer/notifications.js";
import { seatMap } from "./views/customer/seatmap.js";
import { shows } from "./views/customer/shows.js";
import { signUp } from "./views/customer/signup.js";
import { ticket } from "./views/customer/ticket.js";

/** The sign-in form; afterwards the page goes to `next` (the shows when there is none). */
function signIn(next) {
  showSignIn({
    signUp: `#/signup?next=${encodeURIComponent(next || "#/")}`,
    signedIn: () => {
      signedIn();
      go(next || "#/");
    },
  });
}

// The view of each `#/section`; an account's own pages ask a visitor to sign in first, then come back. Any other
// address shows the shows. `#/booking/{id}/change` moves a booking to another show (exchange.js).
const views = {
  signin: { draw: ({ params }) => signIn(params.get("next")) },
  signup: { draw: ({ params }) => signUp(params.get("next")) },
  booking: { draw: (to) => (to.sub === "change" ? exchange(to) : booking(to)), signedIn: true, needsID: true },
  bookings: { draw: bookings, signedIn: true },
  notifications: { draw: notifications, signedIn: true },
  movie: { draw: moviePage, needsID: true },
  show: { draw: seatMap, needsID: true }, // open to visitors; holding asks them to sign in
  ticket: { draw: ticket, signedIn: true, needsID: true },
};

startHeader();
startRefreshing(() => {
  renderNav();
  if (!session.signedIn) closeLive();
});
await refreshIfDue();
renderNav();
connectLive();
startRouter(async (to) => {
  await refreshIfDue(); // after a reload: the session comes back through the refresh cookie
  const chosen = Object.hasOwn(views, to.section) ? views[to.section] : null;
  const page = chosen && !(chosen.needsID && !to.id) ? chosen : { draw: shows };
  if (page.draw !== seatMap) follow(null, null);
  if (page.signedIn && !session.signedIn) return signIn(location.hash);
  return page.draw(to);
});
