// My bookings, with cancel and the refund the policy gave.
import { api, rupees } from "../../api.js";
import { el, guarded, view } from "../../ui.js";

export async function bookings({ load }) {
  const page = await load(api("GET", "/bookings?limit=50"));
  const card = (b) => {
    const outcome = el("p", { class: "refund", testid: "refund-amount", hidden: true });
    const node = el(
      "article",
      { class: "card", "data-booking-id": b.id, "data-status": b.status },
      el("h2", {}, b.reference),
      el("p", {}, b.status),
      el("p", {}, b.seats.map((s) => s.label).join(", "), " · ", rupees(b.breakdown.total_minor)),
      outcome,
    );
    if (b.status === "CONFIRMED") {
      node.append(el("a", { href: `#/ticket/${b.id}`, class: "button", testid: "show-ticket" }, "Ticket"), " ");
    }
    if (["PENDING", "CONFIRMED"].includes(b.status)) {
      const cancel = el("button", { type: "button", testid: "cancel-booking" }, "Cancel");
      cancel.addEventListener(
        "click",
        guarded(
          async () => {
            const cancelled = await api("POST", `/bookings/${b.id}/cancel`, {});
            const payments =
              b.status === "CONFIRMED" ? (await api("GET", `/payments?booking_id=${b.id}&limit=10`)).items : [];
            // refunded_minor counts a refund from the moment it is recorded, before the gateway has paid it out.
            const refunded = payments.reduce((sum, p) => sum + p.refunded_minor, 0);
            node.dataset.status = cancelled.status;
            node.children[1].textContent = cancelled.status;
            outcome.textContent =
              b.status === "CONFIRMED" ? `Cancelled. Refund: ${rupees(refunded)}` : "Cancelled. Nothing was paid.";
            outcome.hidden = false;
            cancel.remove();
          },
          () => cancel,
        ),
      );
      node.append(cancel);
    }
    return node;
  };
  view.replaceChildren(
    el("h1", {}, "My bookings"),
    el(
      "div",
      { testid: "my-bookings", class: "cards" },
      page.items.length ? page.items.map(card) : el("p", {}, "No bookings yet."),
    ),
  );
}
