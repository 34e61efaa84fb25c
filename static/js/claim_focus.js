// The claims as one composite widget for the keyboard (a "roving tabindex"): Tab stops at one
// claim only, the last one the reader was at, instead of at every claim, timestamp and "#"
// (a long page would otherwise take hundreds of Tab presses to cross). Inside the widget the
// arrows, j/k, Home and End move (keys.js) and Enter seeks. The links of the claim holding the
// Tab stop stay in the Tab order, so its timestamps and "#" are still reached with Tab; the
// other claims' links leave it until their claim is reached. The server sends every claim with
// tabindex="0" and plain links: without JavaScript nothing here applies.

import { claimOf } from "./follow.js";

/** A claim's own links and buttons, not those of the claims nested in it, nor of its notes. */
function ownControls(claim) {
  return [...claim.querySelectorAll(":scope > .claim-body :is(a[href], button)")];
}

export class ClaimFocus {
  constructor(notes) {
    this.notes = notes;
    this.current = null;
    for (const claim of notes.querySelectorAll("[data-claim-id]")) {
      claim.tabIndex = -1;
      for (const control of ownControls(claim)) control.tabIndex = -1;
    }
    notes.addEventListener("focusin", (event) => {
      const claim = claimOf(event.target);
      if (claim && notes.contains(claim)) this.makeTabStop(claim);
    });
    // Links that arrive later in a claim (a change swapped in by htmx) leave the Tab order too.
    new MutationObserver((records) => this.settleAdded(records)).observe(notes, {
      childList: true,
      subtree: true,
    });
  }

  settleAdded(records) {
    for (const record of records) {
      for (const node of record.addedNodes) {
        const claim = node instanceof Element ? node.closest(".claim-body")?.parentElement : null;
        if (!claim || claim === this.current || !claim.matches("[data-claim-id]")) continue;
        for (const control of ownControls(claim)) control.tabIndex = -1;
      }
    }
  }

  /** Make `claim` the widget's one Tab stop (with its own links), the rest reachable by keys. */
  makeTabStop(claim) {
    if (!claim || claim === this.current) return;
    if (this.current) {
      this.current.tabIndex = -1;
      for (const control of ownControls(this.current)) control.tabIndex = -1;
    }
    claim.tabIndex = 0;
    for (const control of ownControls(claim)) control.removeAttribute("tabindex");
    this.current = claim;
  }

  /** Where Tab enters the notes when the reader has not been in them: the claim being spoken. */
  follow(claim) {
    if (claim && !this.notes.contains(document.activeElement)) this.makeTabStop(claim);
  }
}
