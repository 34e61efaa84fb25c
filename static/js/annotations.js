// Notes on the episode page. The forms are plain HTML that htmx posts (or the browser, without
// JavaScript); this module adds what needs the player: the "note at this moment" form filled
// with the playback time and the claim being spoken (also the `n` key), time links in notes
// that seek the player, Cancel without a page load, and focus on a note once it is saved.

import { claimOf } from "./follow.js";
import { isPlainClick } from "./input.js";
import { formatTime } from "./timecode.js";

export function bindAnnotations({ notes, player, follower, seekTo }) {
  const details = document.querySelector("[data-note-now]");
  // htmx replaces the form when it shows an error, so look it up each time.
  const nowForm = () => details?.querySelector("[data-note-now-form]") ?? null;

  /** Put the playback time, and the claim being spoken, on the "note at this moment" form. */
  function fillNow() {
    const form = nowForm();
    if (!form) return;
    form.elements.namedItem("at").value = formatTime(player.currentTime());
    const claim = follower.currentClaim();
    form.elements.namedItem("claim").value = claim?.dataset.claimId ?? "";
  }

  /** Open the "note at this moment" form (the `n` key). */
  function writeNoteNow() {
    if (!details) {
      document.querySelector("[data-note-signin]")?.focus();
      return;
    }
    details.open = true;
    fillNow();
    nowForm()?.elements.namedItem("body").focus();
  }

  details?.addEventListener("toggle", () => {
    if (details.open) fillNow();
  });
  // A time typed by hand names its own moment: the server finds the claim spoken then.
  details?.addEventListener("input", (event) => {
    if (event.target.name === "at") nowForm().elements.namedItem("claim").value = "";
  });

  notes.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-note-seconds]");
    if (!link || !isPlainClick(event)) return;
    event.preventDefault();
    seekTo(Number(link.dataset.noteSeconds), claimOf(link));
  });

  document.addEventListener("click", (event) => {
    const cancel = event.target.closest("[data-note-cancel]");
    if (!cancel || !isPlainClick(event)) return;
    const form = cancel.closest("form");
    if (!form) return;
    event.preventDefault();
    if (form.matches("[data-note-now-form]")) {
      form.reset();
      details.open = false;
      details.querySelector("summary")?.focus();
      return;
    }
    const claim = claimOf(form);
    form.remove();
    claim?.querySelector(".claim-note-link")?.focus();
  });

  document.addEventListener("seeknotes:note-saved", (event) => {
    if (details && event.target instanceof Element && details.contains(event.target)) {
      nowForm()?.reset();
      details.open = false;
    }
    const note = document.getElementById(`n${event.detail?.id}`);
    if (!note) return;
    note.classList.add("is-new");
    note.setAttribute("tabindex", "-1");
    note.focus({ preventScroll: true });
    note.scrollIntoView({ block: "nearest" });
  });

  document.addEventListener("seeknotes:note-deleted", (event) => {
    const claimId = event.detail?.claim;
    const claim = claimId ? notes.querySelector(`[data-claim-id="${claimId}"]`) : null;
    claim?.focus({ preventScroll: true });
  });

  return { writeNoteNow };
}
