// Mark the moment: `m` (when not typing) or the button beside the player saves a private
// bookmark at the player's time, with nothing to fill in; it is written up later (Edit).
//
// The button is a plain form (without JavaScript it posts the moment the page opened at);
// here its `seconds` is set from the player just before the form is sent, by htmx or not, and
// the answer is said beside the button.

import { isTyping } from "./input.js";
import { formatTime } from "./timecode.js";

export function bindMark({ player }) {
  const form = document.querySelector("[data-mark-form]");
  const status = form?.querySelector("[data-mark-status]");
  let marked = null;

  // In the capture phase, so the time is on the form before htmx (or the browser) reads it.
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target !== form) return;
      marked = Math.floor(player.currentTime());
      form.elements.namedItem("seconds").value = String(marked);
    },
    true,
  );

  form?.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) {
      status.textContent = `Marked at ${formatTime(marked)}`;
    } else {
      const reason = event.detail.xhr?.responseText?.trim();
      status.textContent = `Nothing was marked${reason ? `: ${reason}` : "."}`;
    }
  });

  function mark() {
    if (!form) {
      // Signed out: the page's invitation to sign in is where marking starts.
      document.querySelector("[data-note-signin]")?.focus();
      return;
    }
    form.requestSubmit();
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key !== "m" || isTyping(event.target)) return;
    event.preventDefault();
    mark();
  });

  return { mark };
}
