// Notes on the episode page. The forms are plain HTML that htmx posts (or the browser, without
// JavaScript); this module adds what needs the player: the "note at this moment" form filled
// with the playback time and the claim being spoken (also the `n` key), time links in notes
// that seek the player, Cancel (and Esc) without a page load with focus back where it was, and
// focus on a note once it is saved.

import { claimOf } from "./follow.js";
import { isPlainClick } from "./input.js";
import { bindPauseWhileWriting } from "./pause_while_writing.js";
import { formatTime } from "./timecode.js";

/** The "note at this moment" form: opened by `n` or its summary, closed by save or cancel. */
function bindNoteNow({ details, player, follower }) {
  // htmx replaces the form when it shows an error, so look it up each time.
  const nowForm = () => details?.querySelector("[data-note-now-form]") ?? null;
  // Where the reader was when the form opened: a cancel goes back there.
  let returnFocus = null;

  // Whether the form holds the time of this opening. It is filled as the form opens (the
  // summary's click, `n`), not when the browser reports the toggle a task later: by then the
  // reader may have typed a time of their own.
  let filled = false;

  /** Put the playback time, and the claim being spoken, on the form. */
  function fillNow() {
    const form = nowForm();
    if (!form) return;
    // The follower may be a poll behind the player (its time can jump without the page):
    // brought to the player's time, it names the claim spoken at the time the form names.
    follower.tick();
    form.elements.namedItem("at").value = formatTime(player.currentTime());
    const claim = follower.currentClaim();
    form.elements.namedItem("claim").value = claim?.dataset.claimId ?? "";
    filled = true;
  }

  function writeNoteNow() {
    if (!details) {
      document.querySelector("[data-note-signin]")?.focus();
      return;
    }
    if (!details.open) returnFocus = document.activeElement;
    details.open = true;
    fillNow();
    nowForm()?.elements.namedItem("body").focus();
  }

  function cancelNow() {
    const back = returnFocus?.isConnected ? returnFocus : details.querySelector("summary");
    returnFocus = null;
    nowForm()?.reset();
    details.open = false;
    if (back === document.body) document.activeElement?.blur();
    else back?.focus();
  }

  if (details) {
    // Opened some other way (a script, the browser's find): filled when the toggle comes.
    details.addEventListener("toggle", () => {
      if (!details.open) filled = false;
      else if (!filled) fillNow();
    });
    details.querySelector("summary")?.addEventListener("click", () => {
      if (details.open) return;
      returnFocus = null;
      fillNow();
    });
    // A time typed by hand names its own moment: the server finds the claim spoken then.
    details.addEventListener("input", (event) => {
      if (event.target.name === "at") nowForm().elements.namedItem("claim").value = "";
    });
    bindPauseWhileWriting({ details, player });
  }
  return { writeNoteNow, cancelNow };
}

/** Close a note form on a claim or an edit in place; false when it is neither. */
function cancelInPlace(form) {
  const editing = form.closest("[data-annotation-id]");
  if (editing) {
    const id = editing.dataset.annotationId;
    // Once the note is back in place, its Edit link is where the reader was.
    document.addEventListener(
      "htmx:afterSettle",
      () => document.querySelector(`[data-annotation-id="${id}"] .note-actions a`)?.focus(),
      { once: true },
    );
    form.querySelector(".note-form-actions a[hx-get]")?.click();
    return true;
  }
  const claim = claimOf(form);
  if (!claim) return false;
  form.remove();
  claim.querySelector(".claim-note-link")?.focus();
  return true;
}

function focusSavedNote(id) {
  const note = document.getElementById(`n${id}`);
  if (!note) return;
  note.classList.add("is-new");
  note.setAttribute("tabindex", "-1");
  note.focus({ preventScroll: true });
  note.scrollIntoView({ block: "nearest" });
}

export function bindAnnotations({ notes, player, follower, seekTo }) {
  const details = document.querySelector("[data-note-now]");
  const { writeNoteNow, cancelNow } = bindNoteNow({ details, player, follower });

  function cancel(form) {
    if (!form.matches("[data-note-now-form]")) return cancelInPlace(form);
    cancelNow();
    return true;
  }

  notes.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-note-seconds]");
    if (!link || !isPlainClick(event)) return;
    event.preventDefault();
    seekTo(Number(link.dataset.noteSeconds), claimOf(link));
  });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-note-cancel]");
    if (!link || !isPlainClick(event)) return;
    const form = link.closest("form");
    if (form && cancel(form)) event.preventDefault();
  });
  // Esc in a note form (note_form.js).
  document.addEventListener("seeknotes:note-cancel", (event) => {
    if (cancel(event.target)) event.preventDefault();
  });

  document.addEventListener("seeknotes:note-saved", (event) => {
    if (details && event.target instanceof Element && details.contains(event.target)) {
      details.querySelector("[data-note-now-form]")?.reset();
      details.open = false;
    }
    focusSavedNote(event.detail?.id);
  });

  // Focus after a note is deleted: note_delete_focus.js, shared with /notes/.

  return { writeNoteNow };
}
