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

/** A problem-details error from the API. Its message is for people (see `inWords`); the API's own `detail` and
 * field `errors` stay on it for code that needs them. */
export class APIProblem extends Error {
  constructor(status, problem) {
    super(inWords(status, problem || {}));
    this.status = status;
    this.code = problem?.code;
    this.detail = problem?.detail;
    this.errors = problem?.errors || [];
    this.problem = problem || {};
  }
}

// The API's problem codes (Sources/BoxOffice/Core/Errors/ErrorCode.swift) in words for the people using the pages.
// A code left out here, or mapped to null, shows the API's own detail when that is already a sentence.
const AGAIN = "Nothing was changed; please try again in a moment.";
const SIGN_IN_AGAIN = "Your session has ended. Please sign in again.";
const WORDS = {
  bad_request: "The page sent something the server could not read. Reload the page and try again.",
  malformed_body: "The page sent something the server could not read. Reload the page and try again.",
  method_not_allowed: "The page asked for something the server does not do. Reload the page and try again.",
  payload_too_large: "That file is too large.",
  upgrade_required: "Live updates need a newer browser.",
  internal_error: `Something went wrong on our side. ${AGAIN}`,
  service_unavailable: `The service is busy or briefly unavailable. ${AGAIN}`,
  request_timeout: `That took too long and was stopped. ${AGAIN}`,
  maintenance: "The cinema is doing maintenance, so changes are paused. Please try again in a few minutes.",
  idempotency_conflict: `That request could not be recorded. ${AGAIN}`,
  idempotency_key_reused: "That request was already sent with different details. Reload the page and try again.",
  idempotency_in_progress: "That request is still being handled. Wait a moment before trying again.",
  authentication_required: "Please sign in first.",
  invalid_token: SIGN_IN_AGAIN,
  token_expired: SIGN_IN_AGAIN,
  session_revoked: SIGN_IN_AGAIN,
  refresh_token_reused: SIGN_IN_AGAIN,
  invalid_credentials: "That email and password do not match an account. Check them and try again.",
  account_disabled: "This account is disabled. Please contact the cinema.",
  forbidden: "Your account may not do that.",
  wrong_password: "The current password is not correct.",
  account_exists: "An account with this email or phone number already exists. Sign in instead.",
  show_not_on_sale: "This show is no longer on sale: it was cancelled or has started.",
  not_admitted:
    "This show sells its seats through a waiting room: join its queue on the show's seat map, and hold seats when " +
    "it is your turn.",
  no_block_available: null,
  hold_extension_limit: "This hold cannot be extended again. Hold the seats again instead.",
  hold_expired: "Your hold on these seats has ended. Hold them again to book.",
  pricing_unavailable: "Some of these seats have no price yet. Please choose other seats.",
  booking_not_payable: "This booking can no longer be paid: it is already paid, cancelled or expired.",
  payment_conflict: `Another payment for this booking was starting at the same time. ${AGAIN}`,
  booking_expired: "This booking expired before it was paid, so there is nothing to cancel.",
  too_late_to_cancel: "It is too late to cancel this booking.",
  gateway_refused: "The payment provider refused the payment. No money was taken; try again or use another method.",
  invalid_code: "There is no such promo code. Check the spelling.",
  inactive: "That promo code is not active.",
  not_started: "That promo code is not valid yet.",
  expired: "That promo code has expired.",
  invalid_ticket: "That is not a ticket of this cinema.",
  too_many_sockets: "Too many windows are following live updates. Close some and reload.",
};

// Field names as people say them ("seat_ids" → "The seats"); other fields are spelt out from their name.
const FIELDS = {
  seat_ids: "The seats",
  "best_available.count": "The number of seats",
  email: "The email address",
  phone: "The phone number",
  name: "The name",
  password: "The password",
  new_password: "The new password",
  promo_code: "The promo code",
  code: "The promo code",
};

const sentence = (text) => /^[A-Z₹"“(].*[.!?)]$/s.test(text.trim());
const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);
// "at least 30000 paise" → "at least ₹300.00"; "in minor units from 0 to 1000000000" → "from ₹0.00 to …".
const inRupees = (text) =>
  text
    .replace(/(\d+) paise/g, (_, n) => rupees(Number(n)))
    .replace(/an amount in minor units from (\d+) to (\d+)/g, (_, a, b) => `from ${rupees(+a)} to ${rupees(+b)}`);

/** One field error as a sentence: "seat_ids: must name at least one seat" → "Choose at least one seat, …". */
export function fieldInWords({ field = "", message = "" }) {
  if (field === "seat_ids" && message === "must name at least one seat")
    return "Choose at least one seat on the map first, or ask for the best seats.";
  const text = inRupees(message.trim());
  if (/^(must|is|are|cannot|can|should|needs|has)\b/.test(text)) {
    const plain = field
      .replace(/\[\d+\]/g, "")
      .split(".")
      .pop()
      .replace(/_(ids?|minor)$/, "")
      .replaceAll("_", " ");
    return `${FIELDS[field.replace(/\[\d+\]/g, "")] || `The ${plain}`} ${text.replace(/[.]$/, "")}.`;
  }
  return `${capitalized(text).replace(/[.]$/, "")}.`;
}

/** A problem in words: the mapped sentence for its code, else its field errors, else its detail when that is a
 * sentence, else a sentence for its status. */
export function inWords(status, problem) {
  const mapped = WORDS[problem.code];
  if (mapped) return mapped;
  if (problem.code === "validation_failed" && problem.errors?.length) return problem.errors.map(fieldInWords).join(" ");
  const detail = inRupees(problem.detail || "");
  if (sentence(detail)) return detail;
  if (status === 404) return "That could not be found. It may have been removed; go back and try again.";
  if (status === 429) return "Too many tries in a short time. Please wait a minute and try again.";
  if (status >= 500) return `Something went wrong on our side. ${AGAIN}`;
  return "That did not work. Please check what you entered and try again.";
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
