// BoxOffice for staff: movies and posters, screens and seat layouts, scheduling, show prices, promo codes,
// cancelling shows, refunds. Plain modules, no build step; every call goes through the public JSON API, which
// refuses all of it without an admin token. The views are in views/admin/; this module lets staff in and routes.
import { APIProblem, api, refreshIfDue, session } from "./api.js";
import { showSignIn, signOut } from "./auth.js";
import { go, startRouter } from "./router.js";
import { action, el, guarded, view } from "./ui.js";
import { door } from "./views/admin/door.js";
import { layoutEditor } from "./views/admin/layout.js";
import { movieForm, movies } from "./views/admin/movies.js";
import { prices } from "./views/admin/prices.js";
import { promos } from "./views/admin/promos.js";
import { refunds } from "./views/admin/refunds.js";
import { reports } from "./views/admin/reports.js";
import { schedule } from "./views/admin/schedule.js";
import { screens } from "./views/admin/screens.js";
import { showSeats } from "./views/admin/show-seats.js";

let me = null; // the signed-in account, asked once per sign-in

// Admins see every section; an usher only the door (the API refuses an usher everything else with a 403).
const STAFF = ["admin", "usher"];
const USHER_SECTIONS = ["door"];
const allowed = (section) => me?.role === "admin" || USHER_SECTIONS.includes(section);

function renderNav(section) {
  const nav = document.getElementById("admin-nav");
  nav.hidden = !(session.signedIn && STAFF.includes(me?.role));
  for (const link of nav.querySelectorAll("a[data-section]")) {
    link.hidden = !allowed(link.dataset.section);
    if (link.dataset.section === section) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

const signedOut = () => {
  me = null;
  renderNav();
  go("#/signin");
};
document.getElementById("nav-signout").addEventListener(
  "click",
  guarded(() => signOut(signedOut)),
);

/** The staff sign-in form; afterwards the page goes to `next` (the role's first section when there is none). */
function signIn(next) {
  renderNav();
  showSignIn({
    heading: "Staff sign-in",
    signedIn: () => {
      me = null;
      go(next && next !== "#/signin" ? next : "#/");
    },
  });
}

function notStaff() {
  renderNav();
  view.replaceChildren(
    el(
      "section",
      { testid: "admin-not-staff" },
      el("h1", {}, "This page is for staff"),
      el("p", {}, `You are signed in as ${me.email}, a customer account. `, el("a", { href: "/" }, "Book tickets")),
      action("Sign out", () => signOut(signedOut)),
    ),
  );
}

// The view of each `#/section` (and `#/section/id`); any other address (or one the role may not open) shows the
// role's first section: the movies for an admin, the door for an usher.
const views = {
  movies: (to) => (to.id ? movieForm(to) : movies(to)),
  screens: (to) => (to.id ? layoutEditor(to) : screens(to)),
  schedule,
  seats: (to) => (to.id ? showSeats(to) : schedule(to)),
  prices: (to) => (to.id ? prices(to) : movies(to)),
  promos,
  refunds,
  reports,
  door,
};

async function draw(to) {
  if (to.section === "signin") return signIn(to.params.get("next"));
  await refreshIfDue(); // after a reload: the session comes back through the refresh cookie
  if (!session.signedIn) return signIn(location.hash);
  me ||= await to.load(api("GET", "/users/me"));
  if (!STAFF.includes(me.role)) return notStaff();
  const home = me.role === "admin" ? "movies" : "door";
  const section = Object.hasOwn(views, to.section) && allowed(to.section) ? to.section : home;
  renderNav(section === "seats" ? "schedule" : section); // a show's seats are opened from the schedule
  return views[section](to);
}

startRouter(async (to) => {
  try {
    await draw(to);
  } catch (error) {
    // An expired or revoked session: sign in again, then come back here.
    if (!(error instanceof APIProblem && error.status === 401)) throw error;
    session.clear();
    me = null;
    signIn(location.hash);
  }
});
