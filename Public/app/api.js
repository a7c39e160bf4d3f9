// The JSON API: the access token in Authorization, renewed before it expires. The page keeps only the access token,
// in memory; the refresh token is an HttpOnly cookie that only POST /users/refresh is sent, so no script (ours or an
// injected one) can read it. A reload starts with no access token and renews it through the cookie. The one thing in
// localStorage is a hint that there may be a session, so a visitor who never signed in sends no refresh at all.
const HINT = "bx.session";
let access = null;
let expiresAt = 0;

export const session = {
  get access() {
    return access;
  },
  get expiresAt() {
    return expiresAt;
  },
  /** Stores a token answer (`access_token`, `expires_in`); the refresh token is in the cookie. */
  save(tokens) {
    access = tokens.access_token;
    expiresAt = Date.now() + tokens.expires_in * 1000;
    localStorage.setItem(HINT, "1");
  },
  clear() {
    access = null;
    expiresAt = 0;
    localStorage.removeItem(HINT);
    // Tokens an older version of this page kept in localStorage.
    for (const key of ["bx.access", "bx.refresh", "bx.expiresAt"]) localStorage.removeItem(key);
  },
  get signedIn() {
    return Boolean(access);
  },
};

/** Signs in; the server sets the refresh cookie (`cookie: true`) and answers the access token. */
export async function logIn(email, password) {
  session.save(await api("POST", "/users/login", { email, password, cookie: true }));
}

/** A problem-details error from the API, with its fields for messages next to inputs. */
export class APIProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || `The server answered ${status}.`);
    this.status = status;
    this.code = problem?.code;
    this.errors = problem?.errors || [];
    this.problem = problem || {};
  }
}

// One refresh at a time: a refresh token is used once, so two racing refreshes would sign the second one out. Within
// a page one promise is shared; across tabs (one cookie) a Web Lock queues them, and the second sends the rotated one.
let refreshing = null;

/** Renews the access token through the cookie when it has less than a minute left, has expired, or (after a
 * reload) is not there yet while the hint says a session may be. */
export function refreshIfDue() {
  if (!access && !localStorage.getItem(HINT)) return Promise.resolve();
  if (access && Date.now() < expiresAt - 60_000) return Promise.resolve();
  refreshing ??= withLock(async () => {
    try {
      const response = await fetch("/users/refresh", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      if (response.ok) session.save(await response.json());
      else if (response.status === 401 || response.status === 400) session.clear();
    } catch {
      /* offline: try again on the next call */
    } finally {
      refreshing = null;
    }
  });
  return refreshing;
}

function withLock(work) {
  return navigator.locks ? navigator.locks.request("bx.refresh", work) : work();
}

/** Refreshes before expiry even while the page sits idle; `changed` runs when signed-in state may have changed. */
export function startRefreshing(changed) {
  setInterval(async () => {
    const before = session.signedIn;
    await refreshIfDue();
    if (before !== session.signedIn) changed();
  }, 20_000);
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
    method,
    headers,
    cache: "no-cache",
    body: body === undefined || form ? body : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: a proxy's error page; the status says enough */
  }
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

/** A poster URL the pages may show: our own uploads only (the CSP allows images from this origin alone). An
 * external poster_url, which the API accepts for other clients, is drawn as the placeholder instead. */
export function ownImage(url) {
  return typeof url === "string" && url.startsWith("/static/uploads/") ? url : null;
}
