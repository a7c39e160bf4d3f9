// Signing in and out, the same on both pages. The session itself (the access token in memory, the refresh token in
// an HttpOnly cookie) is api.js's.
import { api, logIn, session } from "./api.js";
import { el, onSubmit, view } from "./ui.js";

/**
 * Draws the sign-in form; `signedIn()` runs once the session is saved. `signUp`, when given, is the address of the
 * page's sign-up form, linked beside the button.
 */
export function showSignIn({ heading = "Sign in", signUp, signedIn }) {
  const email = el("input", { type: "email", required: true, testid: "signin-email", autocomplete: "email" });
  const password = el("input", {
    type: "password",
    required: true,
    testid: "signin-password",
    autocomplete: "current-password",
  });
  const form = el(
    "form",
    {},
    el("h1", {}, heading),
    el("label", {}, "Email ", email),
    el("label", {}, "Password ", password),
    el("button", { type: "submit", testid: "signin-submit" }, "Sign in"),
    signUp ? [" ", el("a", { href: signUp, testid: "signup-link" }, "Create an account")] : [],
  );
  onSubmit(form, async () => {
    await logIn(email.value, password.value);
    await signedIn();
  });
  view.replaceChildren(form);
  email.focus();
}

/** Ends the session on the server and in the page; `after` runs even when the server could not be reached. */
export async function signOut(after) {
  try {
    await api("POST", "/users/logout");
  } finally {
    session.clear();
    after();
  }
}
