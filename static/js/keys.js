// Keyboard shortcuts for the episode page. Keys typed into a field are never taken.
//
//   j / k   focus the next / previous claim        Enter  play the focused claim
//   f       follow along on / off                  n      write a note at this moment
//   ?       show or hide the list of shortcuts
// (`/` for the search box is every page's: search_box.js.)

import { isTyping, prefersReducedMotion } from "./input.js";

function isVisible(element) {
  const rect = element.getBoundingClientRect();
  return rect.bottom > 0 && rect.top < window.innerHeight;
}

export function bindKeys({ notes, follower, seekClaim, help, writeNote = null }) {
  const claims = () => [...notes.querySelectorAll("[data-claim-id]")];

  function focusClaim(claim) {
    if (!claim) return;
    // Moving through the notes by hand is reading, not following.
    follower.pause();
    claim.focus({ preventScroll: true });
    claim.scrollIntoView({ block: "nearest", behavior: prefersReducedMotion() ? "auto" : "smooth" });
  }

  function step(direction) {
    const all = claims();
    if (all.length === 0) return;
    const focused = document.activeElement?.closest?.("[data-claim-id]");
    const index = focused ? all.indexOf(focused) : -1;
    if (index === -1) {
      // Nothing focused yet: start from what is on screen.
      const visible = all.filter(isVisible);
      focusClaim(direction > 0 ? (visible[0] ?? all[0]) : (visible.at(-1) ?? all.at(-1)));
      return;
    }
    focusClaim(all[Math.min(all.length - 1, Math.max(0, index + direction))]);
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    switch (event.key) {
      case "j":
        step(1);
        break;
      case "k":
        step(-1);
        break;
      case "Enter": {
        // Only a focused claim itself; Enter on a link or button inside keeps its own meaning.
        const claim = event.target.closest?.("[data-claim-id]");
        if (!claim || claim !== event.target) return;
        seekClaim(claim);
        break;
      }
      case "f":
        follower.setEnabled(!follower.enabled);
        break;
      case "n":
        if (!writeNote) return;
        writeNote();
        break;
      case "?":
        if (!help) return;
        help.open = !help.open;
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}
