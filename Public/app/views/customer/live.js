// Live updates for the customer page: one WebSocket; seat events of the show on screen go to its seat map,
// notifications to the bell.
import { api, refreshIfDue, session } from "../../api.js";

let socket = null;
let liveShow = null;
let onSeats = null;
let unread = 0;
let sessionEnded = () => {};

/** `handler` runs when the server ends the session (the socket closes with 4401). */
export function whenSessionEnds(handler) {
  sessionEnded = handler;
}

export async function connectLive() {
  if (!session.signedIn || socket) return;
  await refreshIfDue();
  if (!session.signedIn || socket) return;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(session.access)}`);
  socket.addEventListener("open", () => {
    if (liveShow) socket.send(JSON.stringify({ type: "subscribe", show_id: liveShow }));
    refreshUnread();
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.type === "seats" && message.show_id === liveShow && onSeats) onSeats(message);
    if (message.type === "notification") setUnread(unread + 1);
  });
  // Reconnects after a drop (server restart, token renewal); a fresh map is drawn on the next visit. 4401: the session
  // ended (signed out elsewhere, password changed, account disabled), so this page is signed out too.
  socket.addEventListener("close", (event) => {
    socket = null;
    if (event.code === 4401) {
      session.clear();
      sessionEnded();
      return;
    }
    if (session.signedIn) setTimeout(connectLive, 3000);
  });
}

export function closeLive() {
  socket?.close();
}

/** Sends the seat events of `showID` to `handler` (null, null: of no show). */
export function follow(showID, handler) {
  if (socket?.readyState === WebSocket.OPEN && liveShow && liveShow !== showID) {
    socket.send(JSON.stringify({ type: "unsubscribe", show_id: liveShow }));
  }
  liveShow = showID;
  onSeats = handler;
  if (socket?.readyState === WebSocket.OPEN && showID)
    socket.send(JSON.stringify({ type: "subscribe", show_id: showID }));
}

export function setUnread(count) {
  unread = count;
  document.getElementById("bell").dataset.unread = String(count);
  document.getElementById("bell-count").textContent = String(count);
}

async function refreshUnread() {
  if (session.signedIn) setUnread((await api("GET", "/notifications?unread_only=true&limit=1")).total);
}
