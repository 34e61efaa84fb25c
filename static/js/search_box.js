// The search box on every page that shows one: `/` goes to it, `Esc` leaves it.
// A `/` typed into a field is text, not a shortcut.

import { isTyping } from "./input.js";

function searchBox() {
  return document.querySelector("[data-search-input]");
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape" && event.target === searchBox()) {
    // Leave the box with its query kept: the browser's own Esc would empty it (and, on the
    // search page, the results with it).
    event.preventDefault();
    event.target.blur();
    return;
  }
  if (event.key !== "/" || isTyping(event.target)) return;
  const box = searchBox();
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});
