// "Now" beside a note's times: the edit form's At and Until fields ([data-note-time]) take
// the player's time in one press, so a note is moved to the moment being watched, or made a
// range ending there. Added here, beside each field, since without a player it means nothing.

import { formatTime } from "./timecode.js";

const LABELS = { start: "Set the start to now", end: "Set the end to now" };

function addButtons(root) {
  for (const field of root.querySelectorAll("input[data-note-time]")) {
    if (field.nextElementSibling?.matches("[data-set-now]")) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button set-now";
    button.dataset.setNow = field.dataset.noteTime;
    button.textContent = "Now";
    button.setAttribute("aria-label", LABELS[field.dataset.noteTime] ?? "Set to now");
    field.after(button);
  }
}

export function bindSetNow({ player }) {
  addButtons(document);
  // Edit forms arrive by htmx.
  document.addEventListener("htmx:load", (event) => addButtons(event.target));
  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("[data-set-now]");
    if (!button) return;
    const field = button.previousElementSibling;
    if (!field?.matches("input[data-note-time]")) return;
    field.value = formatTime(player.currentTime());
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
