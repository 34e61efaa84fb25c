// Correcting a claim's timestamp on the episode page: "Set to now" fills the form's time in
// from the player. The form arrives by htmx (the "Fix time" link under a claim), after
// needs_js.js has shown the page's own controls, so this module shows the button itself.

import { formatTime } from "./timecode.js";

function reveal(root) {
  for (const button of root.querySelectorAll("[data-fix-now]")) button.hidden = false;
}

export function bindCorrections({ player }) {
  reveal(document);
  document.body.addEventListener("htmx:load", (event) => reveal(event.target));
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-fix-now]");
    const field = button?.form?.querySelector("[data-fix-at]");
    if (!field) return;
    field.value = formatTime(player.currentTime());
    field.focus();
  });
}
