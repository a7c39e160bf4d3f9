// The account's notifications (the bell counts the unread ones).
import { api } from "../../api.js";
import { route } from "../../router.js";
import { el, guarded, view } from "../../ui.js";
import { setUnread } from "./live.js";

export async function notifications({ load }) {
  const page = await load(api("GET", "/notifications?limit=50"));
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
    el(
      "ul",
      { class: "notes" },
      page.items.map((n) =>
        el(
          "li",
          { class: n.is_read ? "read" : "unread" },
          el("strong", {}, n.title),
          " ",
          n.message,
          el("small", {}, ` ${new Date(n.created_at).toLocaleString()}`),
        ),
      ),
    ),
  );
}
