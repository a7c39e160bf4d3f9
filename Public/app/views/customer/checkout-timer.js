// The hold's countdown: ticks every second once it is in the page, warns in the last minute, and says when the hold
// has expired. It reads the time through Date.now() on every tick (never a count of ticks), so a page that sleeps
// or falls behind shows the true time left, and a test can move the page's clock by replacing Date.now.
import { el } from "../../ui.js";

/** Seconds left at which the countdown warns. */
export const WARN_SECONDS = 60;

const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

/**
 * The countdown of `lock` (its `expires_at`). `node` is the visible countdown (data-testid="hold-countdown"),
 * `status` a polite live region that announces the warning and the expiry once each. Call `start()` after both are
 * in the page; `onExpire` runs once when the time is up. It stops by itself when it leaves the page.
 */
export function countdown(lock, onExpire) {
  const expiresAt = Date.parse(lock.expires_at);
  const node = el("p", {
    testid: "hold-countdown",
    class: "countdown",
    role: "timer",
    "data-expires-at": lock.expires_at,
  });
  const status = el("p", { class: "sr-only", role: "status" });
  let timer = null;
  let warned = false;
  const state = {
    node,
    status,
    ended: false,
    start() {
      clearTimeout(timer);
      tick();
    },
    stop() {
      clearTimeout(timer);
      timer = null;
    },
    /** Shows the hold as expired (also when the server said so first). */
    expire() {
      state.stop();
      if (state.ended) return;
      state.ended = true;
      node.dataset.state = "expired";
      node.textContent = "Your hold has expired, so these seats are no longer kept for you.";
      status.textContent = "Your hold has expired. You can hold these seats again if they are still free.";
      onExpire();
    },
  };
  function tick() {
    timer = null;
    if (!node.isConnected || state.ended) return; // the checkout was closed or replaced
    const ms = expiresAt - Date.now();
    const left = Math.ceil(ms / 1000);
    if (left <= 0) {
      state.expire();
      return;
    }
    if (left <= WARN_SECONDS) {
      node.dataset.state = "warning";
      node.textContent = `Held for ${clock(left)}. Last minute: book now or the seats are released.`;
      if (!warned) status.textContent = "One minute left to book these seats.";
      warned = true;
    } else {
      node.dataset.state = "running";
      node.textContent = `Held for ${clock(left)}`;
    }
    // The next whole second of time left, so the display never skips or repeats a second.
    timer = setTimeout(tick, (ms % 1000) + 5);
  }
  return state;
}
