// Creating a customer account; the page is signed in with it straight after.
import { api, logIn } from "../../api.js";
import { go } from "../../router.js";
import { el, onSubmit, view } from "../../ui.js";
import { signedIn } from "./header.js";

export function signUp(next) {
  const fields = {
    name: el("input", { required: true, autocomplete: "name", testid: "signup-name" }),
    email: el("input", { type: "email", required: true, autocomplete: "email", testid: "signup-email" }),
    phone: el("input", { required: true, placeholder: "+919876543210", autocomplete: "tel", testid: "signup-phone" }),
    password: el("input", {
      type: "password",
      required: true,
      autocomplete: "new-password",
      testid: "signup-password",
    }),
  };
  const form = el(
    "form",
    {},
    el("h1", {}, "Create an account"),
    Object.entries(fields).map(([name, input]) => el("label", {}, `${name[0].toUpperCase()}${name.slice(1)} `, input)),
    el("button", { type: "submit", testid: "signup-submit" }, "Sign up"),
  );
  onSubmit(form, async () => {
    await api("POST", "/users/signup", Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.value])));
    await logIn(fields.email.value, fields.password.value);
    signedIn();
    go(next || "#/");
  });
  view.replaceChildren(form);
}
