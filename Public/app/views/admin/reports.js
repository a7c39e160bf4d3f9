// Reports for the office: sales for a date range (by day, movie, show or screen; revenue by day is charted with the
// vendored uPlot), a day's occupancy by show, a month's GST by rate; each also as a CSV download. Dates are business
// days in the cinema's time zone, which the server applies.
import { api, refreshIfDue, rupees, session } from "../../api.js";
import { action, el, onSubmit, view } from "../../ui.js";
import { chartLibrary } from "../../vendor.js";
import { option, query, today } from "./common.js";

const daysAgo = (days) => {
  const date = new Date();
  date.setDate(date.getDate() - days);
  return date.toLocaleDateString("en-CA");
};

/** A table of `rows` with `columns` ([heading, value of a row, numeric?]) and an optional totals row. */
function table(testid, columns, rows, totals) {
  const cells = (row, tag) =>
    el(
      "tr",
      {},
      columns.map(([, value, numeric]) => el(tag, { class: numeric ? "num" : undefined }, value(row))),
    );
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      { class: "report", testid },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          columns.map(([heading, , numeric]) => el("th", { class: numeric ? "num" : undefined }, heading)),
        ),
      ),
      el(
        "tbody",
        {},
        rows.length
          ? rows.map((row) => cells(row, "td"))
          : el("tr", {}, el("td", { colspan: columns.length }, "Nothing in this period.")),
      ),
      totals ? el("tfoot", {}, cells(totals, "th")) : [],
    ),
  );
}

/** Fetches the report as CSV with the bearer token and saves it as a file. */
async function downloadCSV(path, filename) {
  await refreshIfDue();
  const response = await fetch(`${path}&format=csv`, {
    headers: { accept: "text/csv", authorization: `Bearer ${session.access}` },
    cache: "no-cache",
  });
  if (!response.ok) throw new Error(`The CSV could not be made (the server answered ${response.status}).`);
  const named = /filename="?([^";]+)"?/.exec(response.headers.get("content-disposition") || "");
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", { href: url, download: named ? named[1] : filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const csvButton = (path, filename, testid) =>
  action("Download CSV", () => downloadCSV(path(), filename()), { testid, class: "csv" });

const HEADINGS = { cgst_minor: "CGST", sgst_minor: "SGST" };
const heading = (key) => HEADINGS[key] ?? key[0].toUpperCase() + key.slice(1).replace(/_minor$/, "");
const money = (key) => [heading(key), (row) => rupees(row[key]), true];
const count = (heading, key) => [heading, (row) => String(row[key]), true];

/** Net revenue by day as a line chart (uPlot); nothing when the range has under two days. */
async function revenueChart(box, rows) {
  box.replaceChildren();
  if (rows.length < 2) return;
  const uPlot = await chartLibrary();
  const x = rows.map((row) => Date.parse(`${row.key}T00:00:00`) / 1000);
  const net = rows.map((row) => row.net_minor / 100);
  const paid = rows.map((row) => row.paid_minor / 100);
  const width = Math.max(280, Math.min(box.clientWidth || 900, 960));
  new uPlot(
    {
      title: "Revenue by day (₹)",
      width,
      height: 260,
      series: [
        {},
        { label: "Paid", stroke: "#2457c5", width: 2 },
        { label: "Net of refunds", stroke: "#1b7f3b", width: 2, fill: "rgba(27,127,59,.08)" },
      ],
      axes: [{}, { size: 70 }],
    },
    [x, paid, net],
    box,
  );
}

function salesSection() {
  const from = el("input", { type: "date", value: daysAgo(6), required: true, testid: "sales-from" });
  const to = el("input", { type: "date", value: today(), required: true, testid: "sales-to" });
  const groupBy = el(
    "select",
    { testid: "sales-group" },
    ["day", "movie", "show", "screen"].map((g) => option(g, `by ${g}`)),
  );
  const out = el("div", { testid: "sales-result" });
  const chart = el("div", { class: "chart", testid: "sales-chart" });
  const path = () => `/reports/sales?${query({ from: from.value, to: to.value, group_by: groupBy.value })}`;
  const form = el(
    "form",
    { class: "filters" },
    el("label", {}, "From ", from),
    el("label", {}, "To ", to),
    el("label", {}, "Group ", groupBy),
    el("button", { type: "submit", testid: "sales-show" }, "Show"),
    csvButton(path, () => `sales-${from.value}-${to.value}.csv`, "sales-csv"),
  );
  const draw = async () => {
    const report = await api("GET", path());
    out.replaceChildren(
      table(
        "sales-table",
        [
          [heading(report.group_by), (row) => row.label ?? "Total", false],
          count("Bookings", "bookings"),
          count("Tickets", "tickets"),
          ...["gross_minor", "discount_minor", "food_minor", "cgst_minor", "sgst_minor", "paid_minor"].map(money),
          money("refunds_minor"),
          money("net_minor"),
        ],
        report.rows,
        { ...report.totals, label: "Total" },
      ),
    );
    if (report.group_by === "day") await revenueChart(chart, report.rows);
    else chart.replaceChildren();
  };
  onSubmit(form, draw);
  return { node: el("section", { class: "report-section" }, el("h2", {}, "Sales"), form, chart, out), draw };
}

function occupancySection() {
  const date = el("input", { type: "date", value: today(), required: true, testid: "occupancy-date" });
  const out = el("div", { testid: "occupancy-result" });
  const path = () => `/reports/occupancy?${query({ date: date.value })}`;
  const form = el(
    "form",
    { class: "filters" },
    el("label", {}, "Date ", date),
    el("button", { type: "submit", testid: "occupancy-show" }, "Show"),
    csvButton(path, () => `occupancy-${date.value}.csv`, "occupancy-csv"),
  );
  const bar = (row) =>
    el(
      "span",
      { class: "occupancy" },
      el("meter", { min: 0, max: 100, value: row.occupancy_percent }),
      ` ${row.occupancy_percent}%`,
    );
  const draw = async () => {
    const report = await api("GET", path());
    out.replaceChildren(
      table(
        "occupancy-table",
        [
          ["Time", (row) => row.show_time, false],
          ["Movie", (row) => row.movie_title, false],
          ["Screen", (row) => row.screen_name, false],
          ["Status", (row) => row.status, false],
          count("On sale", "seats_on_sale"),
          count("Sold", "sold"),
          count("Admitted", "admitted"),
          ["Occupancy", bar, false],
        ],
        report.rows,
      ),
    );
  };
  onSubmit(form, draw);
  return { node: el("section", { class: "report-section" }, el("h2", {}, "Occupancy"), form, out), draw };
}

function gstSection() {
  const month = el("input", { type: "month", value: today().slice(0, 7), required: true, testid: "gst-month" });
  const out = el("div", { testid: "gst-result" });
  const path = () => `/reports/gst?${query({ month: month.value })}`;
  const form = el(
    "form",
    { class: "filters" },
    el("label", {}, "Month ", month),
    el("button", { type: "submit", testid: "gst-show" }, "Show"),
    csvButton(path, () => `gst-${month.value}.csv`, "gst-csv"),
  );
  const draw = async () => {
    const report = await api("GET", path());
    out.replaceChildren(
      table(
        "gst-table",
        [
          ["Supply", (row) => row.supply ?? "Total", false],
          ["CGST %", (row) => (row.cgst_rate === undefined ? "" : String(row.cgst_rate)), true],
          ["SGST %", (row) => (row.sgst_rate === undefined ? "" : String(row.sgst_rate)), true],
          ["Taxable value", (row) => rupees(row.taxable_value_minor), true],
          ["CGST", (row) => rupees(row.cgst_minor), true],
          ["SGST", (row) => rupees(row.sgst_minor), true],
        ],
        report.rows,
        report.totals,
      ),
    );
  };
  onSubmit(form, draw);
  return { node: el("section", { class: "report-section" }, el("h2", {}, "GST"), form, out), draw };
}

export async function reports({ load }) {
  const sections = [salesSection(), occupancySection(), gstSection()];
  view.replaceChildren(el("h1", {}, "Reports"), ...sections.map((s) => s.node));
  await load(Promise.all(sections.map((s) => s.draw())));
}
