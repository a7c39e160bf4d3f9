// The skip link of both pages: it moves the focus to the main area without changing the address, since the hash is
// the router's (following `#view` would open a section named "view").
const link = document.querySelector("a.skip-link");
link?.addEventListener("click", (event) => {
  event.preventDefault();
  document.getElementById("view")?.focus();
});
