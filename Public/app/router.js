// One hash router for both pages. An address is `#/section/id/sub?query` (`sub`, a step of that page such as
// `#/booking/{id}/change`, is optional); on every navigation (a hash change, `go` to the address already shown, or
// `route()` to draw it again) the page's `draw` gets { section, id, sub, params, load }.
//
// The stale-view guard, once for every view: each navigation has its own `load`. A view awaits its data through it,
// and when a later navigation has begun by the time the data (or its error) arrives, `load` throws a StaleView
// instead of answering: the old view ends there, drawing nothing over the new one, and the router drops the throw.
import { guarded } from "./ui.js";

class StaleView extends Error {}

let navigation = 0;
let redraw = async () => {};

/** Goes to `hash`; when the page is already there, draws it again. */
export function go(hash) {
  if (location.hash === hash) redraw();
  else location.hash = hash;
}

/** Draws the current address again (after a change the view shows, say). */
export const route = () => redraw();

/** Starts routing with the page's `draw`; an error it throws shows in the page's error banner. */
export function startRouter(draw) {
  redraw = guarded(async () => {
    navigation += 1;
    const mine = navigation;
    const current = () => {
      if (mine !== navigation) throw new StaleView();
    };
    const load = (promise) =>
      Promise.resolve(promise).then(
        (value) => {
          current();
          return value;
        },
        (error) => {
          current();
          throw error;
        },
      );
    const [path, query] = (location.hash.slice(1) || "/").split("?");
    const [section = "", id = null, sub = null] = path.split("/").filter(Boolean);
    try {
      await draw({ section, id, sub, params: new URLSearchParams(query || ""), load });
    } catch (error) {
      if (!(error instanceof StaleView)) throw error;
    }
  });
  window.addEventListener("hashchange", redraw);
  return redraw();
}
