// Replies on the episode page. Under a public note, "Reply" (or "2 replies") opens its thread
// in place, and the reply form there posts without leaving the episode. Both are the note's own
// page (/notes/<id>/#replies) underneath: the thread shown here is that page's replies section,
// as the server rendered it, so without JavaScript the links simply go there.

import { isPlainClick } from "./input.js";

const THREAD = "[data-replies-for]";

/** The replies section of a note's page, or null when the page has none. */
function threadIn(html) {
  const page = new DOMParser().parseFromString(html, "text/html");
  const section = page.querySelector(THREAD);
  return section ? document.importNode(section, true) : null;
}

/** Ids made the note's own, so two open threads (and the page's forms) never share one. */
function ownIds(section, noteId) {
  const prefix = `n${noteId}-`;
  for (const element of section.querySelectorAll("[id]")) element.id = prefix + element.id;
  for (const label of section.querySelectorAll("label[for]")) {
    label.htmlFor = prefix + label.htmlFor;
  }
  section.id = `${prefix}replies`;
  const heading = section.querySelector("h2");
  if (heading) {
    heading.tabIndex = -1;
    section.setAttribute("aria-labelledby", heading.id);
  }
}

function place(note, link, section, { focus = "heading" } = {}) {
  const noteId = note.dataset.annotationId;
  ownIds(section, noteId);
  section.classList.add("replies--inline");
  const open = note.querySelector(`:scope > ${THREAD}`);
  if (open) open.replaceWith(section);
  else note.append(section);
  window.htmx?.process(section);
  link.setAttribute("aria-expanded", "true");
  link.setAttribute("aria-controls", section.id);
  // "1 reply", "2 replies": the thread's heading counts what this reader may see.
  const count = section.querySelector("h2")?.textContent.trim();
  if (count && !count.startsWith("0 ")) link.textContent = count;
  if (focus === "heading") section.querySelector("h2")?.focus();
  else section.querySelector(focus)?.focus();
}

async function openThread(note, link) {
  const response = await fetch(link.href, { credentials: "same-origin" });
  const section = response.ok ? threadIn(await response.text()) : null;
  if (!section) {
    window.location.assign(link.href);
    return;
  }
  place(note, link, section, { focus: "textarea" });
}

async function postReply(form) {
  const note = form.closest("[data-annotation-id]");
  const link = note?.querySelector("a[data-note-replies]");
  const button = form.querySelector("[type=submit]");
  if (button) button.disabled = true;
  try {
    // The reply view answers with the note's page (after its redirect), or the form's errors.
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    });
    const section = threadIn(await response.text());
    if (!section || !link) {
      form.submit();
      return;
    }
    place(note, link, section, { focus: response.ok ? "heading" : "textarea" });
  } finally {
    if (button?.isConnected) button.disabled = false;
  }
}

export function bindReplies({ notes }) {
  notes.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-note-replies]");
    const note = link?.closest("[data-annotation-id]");
    if (!note || !isPlainClick(event)) return;
    event.preventDefault();
    const open = note.querySelector(`:scope > ${THREAD}`);
    if (open) {
      open.remove();
      link.setAttribute("aria-expanded", "false");
      return;
    }
    openThread(note, link);
  });
  notes.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-reply-form]");
    if (!form?.closest(THREAD)) return;
    event.preventDefault();
    postReply(form);
  });
}
