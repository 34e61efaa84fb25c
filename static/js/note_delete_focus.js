// Where focus goes when a note is deleted in place (htmx): the note and its Delete button are
// gone, and focus left on nothing would throw a keyboard reader back to the top of the page.
// It moves to the next note in the same list, else the previous one, else what the list hangs
// from: the claim on the episode page, the page's heading on /notes/.
//
// The neighbours are noted before the request, since on the episode page the whole list is
// sent again; the server tells the page a note was deleted with "seeknotes:note-deleted".

let pending = null;

function idOf(note) {
  return note?.dataset.annotationId ?? null;
}

function neighbour(note, direction) {
  let other = direction > 0 ? note.nextElementSibling : note.previousElementSibling;
  while (other && !other.matches("[data-annotation-id]")) {
    other = direction > 0 ? other.nextElementSibling : other.previousElementSibling;
  }
  return other;
}

/** What the list belongs to, as a selector to find it again after the swap. */
function ownerOf(note) {
  const claim = note.closest("[data-claim-id]");
  if (claim) return `[data-claim-id="${claim.dataset.claimId}"]`;
  if (note.closest("[data-loose-annotations]")) return "[data-loose-annotations] h2, [data-notes] h2";
  return "main h1";
}

function focusElement(element) {
  if (!element.matches("a[href], button, [tabindex]")) element.setAttribute("tabindex", "-1");
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: "nearest" });
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail?.elt;
  if (!(form instanceof HTMLFormElement) || !form.matches("[data-note-delete]")) return;
  const note = form.closest("[data-annotation-id]");
  if (!note) return;
  pending = {
    candidates: [idOf(neighbour(note, 1)), idOf(neighbour(note, -1))].filter(Boolean),
    owner: ownerOf(note),
  };
});

document.addEventListener("seeknotes:note-deleted", () => {
  if (!pending) return;
  const { candidates, owner } = pending;
  pending = null;
  for (const id of candidates) {
    const note = document.querySelector(`[data-annotation-id="${id}"]`);
    if (note) {
      focusElement(note);
      return;
    }
  }
  // The last note of /notes/ gone: say so, as the page would when loaded again.
  const emptied = document.querySelector("[data-notes-emptied]");
  if (emptied && !document.querySelector(".my-notes [data-annotation-id]")) emptied.hidden = false;
  const fallback = document.querySelector(owner);
  if (fallback) focusElement(fallback);
});
