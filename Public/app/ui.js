// Small DOM helpers shared by the customer pages and the staff pages.
import { APIProblem } from "./api.js";

/** The page's main area, which each view draws into. */
export const view = document.getElementById("view");

/** el("button", { testid: "x", onclick: f, disabled: true }, "text", child) — attributes, listeners, children. */
export const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "testid") node.dataset.testid = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false)
      node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat())
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
};

/** The words for an error: an API problem's plain sentence (api.js `inWords` maps the codes and field errors), a
 * network failure as such, and any other error's own message. */
export function describe(error) {
  if (error instanceof APIProblem) return error.message;
  // fetch rejects with a TypeError ("Failed to fetch") when the server cannot be reached at all.
  if (error instanceof TypeError && /fetch|network/i.test(error.message))
    return "The server could not be reached. Check your connection and try again.";
  return error?.message || String(error);
}

const pageError = () => document.getElementById("error");

/**
 * Shows an error in words. With `near`, the message goes right after that element (the form or button that caused
 * it); otherwise in the page's error banner. Every message carries data-testid="error-message".
 */
export function showError(error, near) {
  clearError();
  if (near?.isConnected) {
    const message = el("p", { class: "error inline", role: "alert", testid: "error-message" }, describe(error));
    near.after(message);
    // On a phone the cause may be below the fold: the message comes into view rather than being missed.
    message.scrollIntoView?.({ block: "nearest" });
    return;
  }
  const box = pageError();
  box.textContent = describe(error);
  box.hidden = false;
  box.scrollIntoView?.({ block: "nearest" });
}

export function clearError() {
  const box = pageError();
  box.hidden = true;
  box.textContent = "";
  for (const node of document.querySelectorAll(".error.inline")) node.remove();
}

/** Wraps an event handler: clears old errors, and shows a thrown one next to `near` (an element or a function). */
export const guarded =
  (action, near) =>
  async (...args) => {
    clearError();
    try {
      await action(...args);
    } catch (error) {
      showError(error, typeof near === "function" ? near() : near);
    }
  };

/** Submits `form` through `work`: no reload, its submit buttons disabled meanwhile, errors in words after it. */
export function onSubmit(form, work) {
  form.addEventListener(
    "submit",
    guarded(async (event) => {
      event.preventDefault();
      const buttons = [...form.querySelectorAll('button[type="submit"]')];
      for (const button of buttons) button.disabled = true;
      try {
        await work();
      } finally {
        for (const button of buttons) button.disabled = false;
      }
    }, form),
  );
  return form;
}

/** A button whose click runs `work`; disabled meanwhile, and an error shows in words right after it. */
export function action(label, work, attrs = {}) {
  const node = el("button", { type: "button", ...attrs }, label);
  node.addEventListener(
    "click",
    guarded(async () => {
      node.disabled = true;
      try {
        await work(node);
      } finally {
        node.disabled = false;
      }
    }, node),
  );
  return node;
}
