// Keyboard shortcuts for the episode page. Keys typed into a field are never taken.
//
//   j / k   focus the next / previous claim        Enter  play the focused claim
//   f       follow along on / off                  n      write a note at this moment
//   ?       show or hide the list of shortcuts
//   Space / p  play / pause                      ← / →  back / forward 5 s (Shift: 15 s)
//   < / >   slower / faster                        c      copy a link to this moment
//   ↑ / ↓, Home / End  between claims, once one has focus (Tab enters them: claim_focus.js)
// (`/` for the search box is every page's: search_box.js.)

import { isTyping, prefersReducedMotion } from "./input.js";

function isVisible(element) {
  const rect = element.getBoundingClientRect();
  return rect.bottom > 0 && rect.top < window.innerHeight;
}

/** Moving focus between the claims: by one (j/k, ↑/↓) or to the first or last (Home/End). */
function claimMover(notes, follower) {
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

  /** Arrows, Home and End move between claims only once focus is in one (else they scroll). */
  const withinClaims = (move) => (event) => {
    if (!event.target.closest?.("[data-claim-id]") || event.shiftKey) return false;
    move();
  };

  return {
    j: () => step(1),
    k: () => step(-1),
    ArrowDown: withinClaims(() => step(1)),
    ArrowUp: withinClaims(() => step(-1)),
    Home: withinClaims(() => focusClaim(claims()[0])),
    End: withinClaims(() => focusClaim(claims().at(-1))),
  };
}

export function bindKeys({ notes, follower, seekClaim, help, writeNote = null, controls = null }) {
  const actions = {
    ...claimMover(notes, follower),
    Enter: (event) => {
      // Only a focused claim itself; Enter on a link or button inside keeps its own meaning.
      const claim = event.target.closest?.("[data-claim-id]");
      if (!claim || claim !== event.target) return false;
      seekClaim(claim);
    },
    f: () => follower.setEnabled(!follower.enabled),
    n: () => (writeNote ? writeNote() : false),
    "?": () => {
      if (!help) return false;
      help.open = !help.open;
    },
    ...playerActions(controls),
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    const action = Object.hasOwn(actions, event.key) ? actions[event.key] : null;
    if (!action || action(event) === false) return;
    event.preventDefault();
  });
}

/** The player's shortcuts (player_controls.js does the work); none without the controls. */
function playerActions(controls) {
  if (!controls) return {};
  const playPause = (event) => {
    // Space on a button, link or summary presses it, as everywhere else.
    if (event.key === " " && event.target.closest?.("button, a, summary, [role='button']")) {
      return false;
    }
    controls.togglePlay();
  };
  return {
    " ": playPause,
    p: playPause,
    ArrowLeft: (event) => controls.skip(event.shiftKey ? -15 : -5),
    ArrowRight: (event) => controls.skip(event.shiftKey ? 15 : 5),
    "<": () => controls.stepRate(-1),
    ">": () => controls.stepRate(1),
    c: () => {
      controls.copyLink();
    },
  };
}
