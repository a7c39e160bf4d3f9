// The customer page's header: sign in, my bookings, the notifications bell, sign out.
import { session } from "../../api.js";
import { signOut } from "../../auth.js";
import { go } from "../../router.js";
import { guarded } from "../../ui.js";
import { closeLive, connectLive, whenSessionEnds } from "./live.js";

export function renderNav() {
  for (const id of ["nav-bookings", "bell", "nav-signout"]) document.getElementById(id).hidden = !session.signedIn;
  document.getElementById("nav-signin").hidden = session.signedIn;
}

/** After signing in or up: the header for the account, and its live updates. */
export function signedIn() {
  renderNav();
  connectLive();
}

/** The bell's name says what its badge shows, "Alerts, 3 unread notifications" (live.js updates `data-unread`). */
function labelBell() {
  const bell = document.getElementById("bell");
  const name = () =>
    bell.setAttribute("aria-label", `Alerts, ${Number(bell.dataset.unread) || 0} unread notifications`);
  new MutationObserver(name).observe(bell, { attributes: true, attributeFilter: ["data-unread"] });
  name();
}

export function startHeader() {
  labelBell();
  document.getElementById("nav-bookings").addEventListener("click", () => go("#/bookings"));
  document.getElementById("nav-signin").addEventListener("click", () => go("#/signin"));
  document.getElementById("bell").addEventListener("click", () => go("#/notifications"));
  document.getElementById("nav-signout").addEventListener(
    "click",
    guarded(() =>
      signOut(() => {
        closeLive();
        renderNav();
        go("#/");
      }),
    ),
  );
  whenSessionEnds(renderNav);
}
