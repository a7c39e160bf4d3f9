// The JSON API, with the same tokens any client uses: access token in Authorization, refreshed before it expires.
const store = window.localStorage;

export const session = {
  get access() { return store.getItem("bx.access"); },
  get refresh() { return store.getItem("bx.refresh"); },
  get expiresAt() { return Number(store.getItem("bx.expiresAt") || 0); },
  save(tokens) {
    store.setItem("bx.access", tokens.access_token);
    store.setItem("bx.refresh", tokens.refresh_token);
    store.setItem("bx.expiresAt", String(Date.now() + tokens.expires_in * 1000));
  },
  clear() { ["bx.access", "bx.refresh", "bx.expiresAt"].forEach((k) => store.removeItem(k)); },
  get signedIn() { return Boolean(this.access); },
};

/** A problem-details error from the API, with its fields for messages next to inputs. */
export class APIProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || `The server answered ${status}.`);
    this.status = status;
    this.code = problem?.code;
    this.errors = problem?.errors || [];
  }
}

// One refresh at a time: a refresh token is used once, so two racing refreshes would sign the second one out.
let refreshing = null;

/** Renews the tokens when the access token has less than a minute left (or has expired). */
export function refreshIfDue() {
  if (!session.refresh || Date.now() < session.expiresAt - 60_000) return Promise.resolve();
  refreshing ??= (async () => {
    try {
      const response = await fetch("/users/refresh", {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: session.refresh }),
      });
      if (response.ok) session.save(await response.json());
      else if (response.status === 401 || response.status === 400) session.clear();
    } catch { /* offline: try again on the next call */ } finally { refreshing = null; }
  })();
  return refreshing;
}

/** Refreshes before expiry even while the page sits idle; `changed` runs when signed-in state may have changed. */
export function startRefreshing(changed) {
  setInterval(async () => { const before = session.signedIn; await refreshIfDue(); if (before !== session.signedIn) changed(); }, 20_000);
}

/**
 * Calls the API with a JSON body, a FormData body (multipart, e.g. a poster), or none; `extra` adds headers such as
 * Idempotency-Key. Answers the parsed JSON; throws an APIProblem for any error status.
 */
export async function api(method, path, body, extra = {}) {
  await refreshIfDue();
  const headers = { accept: "application/json", ...extra };
  if (session.access) headers.authorization = `Bearer ${session.access}`;
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers["content-type"] = "application/json";
  // "no-cache": public lists carry `max-age=1`, and a page that just wrote must not read its own stale copy; the
  // browser revalidates with the ETag instead (a 304 when nothing changed).
  const response = await fetch(path, {
    method, headers, cache: "no-cache", body: body === undefined || form ? body : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON: a proxy's error page; the status says enough */ }
  if (!response.ok) throw new APIProblem(response.status, data);
  return data;
}

/** Paise as rupees, exactly: 1234567 → "₹12,345.67", -8600 → "−₹86.00". */
export function rupees(minor) {
  const sign = minor < 0 ? "−" : "";
  const paise = Math.abs(Math.trunc(minor));
  const whole = Math.trunc(paise / 100).toLocaleString("en-IN");
  return `${sign}₹${whole}.${String(paise % 100).padStart(2, "0")}`;
}
