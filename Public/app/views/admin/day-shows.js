// The shows of a date, each with its prices link and a cancel button that says first what cancelling refunds.
import { api } from "../../api.js";
import { action, el, onSubmit } from "../../ui.js";
import { everything, note, query } from "./common.js";

/** The shows of a date, each with its prices link and a cancel button. */
export async function dayShows(date, box) {
  const shows = (await everything(`/shows?${query({ date })}`)).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  box.replaceChildren(
    el("h2", {}, `Shows on ${date}`),
    shows.length ? el("div", { class: "list" }, shows.map(showRow)) : el("p", {}, "No shows on this day."),
  );
}

function showRow(show) {
  const status = el(
    "span",
    { testid: "admin-show-status" },
    show.status === "CANCELLED"
      ? `Cancelled${show.cancel_reason ? `: ${show.cancel_reason}` : ""}`
      : show.is_on_sale
        ? "On sale"
        : "Scheduled, started",
  );
  const row = el(
    "article",
    {
      class: show.status === "CANCELLED" ? "card cancelled" : "card",
      testid: "admin-show-row",
      "data-show-id": show.id,
    },
    el("h3", {}, `${show.show_time} · ${show.movie.title}`),
    el("p", {}, `${show.screen.name} · ${show.language} · ${show.format} · `, status),
  );
  const buttons = el(
    "p",
    { class: "filters" },
    el("a", { href: `#/prices/${show.id}`, class: "button", testid: "admin-show-prices" }, "Prices"),
    el(
      "a",
      {
        href: `#/seats/${show.id}`,
        class: "button",
        testid: "admin-show-seats-link",
        "aria-label": `Seats of ${show.show_time} ${show.movie.title}`,
      },
      "Seats",
    ),
  );
  if (show.status === "SCHEDULED") buttons.append(cancelButton(show, row, status));
  row.append(buttons);
  return row;
}

// Cancelling a show refunds its confirmed bookings in full, so the page counts them and asks first.
function cancelButton(show, row, status) {
  const button = action(
    "Cancel show",
    async () => {
      const { total } = await api("GET", `/bookings?${query({ show_id: show.id, status: "CONFIRMED", limit: 1 })}`);
      const bookings = `${total} confirmed booking${total === 1 ? "" : "s"}`;
      const reason = el("input", {
        required: true,
        maxlength: 500,
        placeholder: "e.g. projector fault",
        testid: "admin-cancel-reason",
      });
      const panel = el(
        "form",
        { class: "confirm", testid: "admin-cancel-confirm" },
        el(
          "p",
          { testid: "admin-cancel-summary" },
          `This cancels ${bookings} and refunds ${total === 1 ? "it" : "them"} in full.`,
        ),
        el("label", {}, "Reason (customers see it) ", reason),
        el("button", { type: "submit", class: "danger", testid: "admin-cancel-submit" }, "Cancel the show"),
        " ",
        el(
          "button",
          {
            type: "button",
            onclick: () => {
              panel.remove();
              button.hidden = false;
            },
          },
          "Keep it",
        ),
      );
      onSubmit(panel, async () => {
        const cancelled = await api("PUT", `/shows/${show.id}/cancel`, { reason: reason.value.trim() });
        status.textContent = `Cancelled${cancelled.cancel_reason ? `: ${cancelled.cancel_reason}` : ""}`;
        row.classList.add("cancelled");
        panel.replaceWith(note(`Show cancelled; ${bookings} cancelled and refunded in full.`, "admin-cancel-result"));
        button.remove();
      });
      button.hidden = true;
      row.append(panel);
      reason.focus();
    },
    { class: "danger", testid: "admin-cancel-show" },
  );
  return button;
}
