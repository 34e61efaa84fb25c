// Keys in every note form, on every page: Ctrl+Enter (Cmd+Enter on a Mac) saves, Esc cancels.
//
// Saving goes through requestSubmit, so htmx posts the form where it enhances it and the
// browser posts it where it does not. Cancelling is the page's to do: the form is sent a
// cancelable "seeknotes:note-cancel" event, and the episode page closes it in place. A form
// on a page of its own is left open, since leaving the page would lose what was typed.

const FORM = "form[data-annotation-form]";

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.isComposing) return;
  const form = event.target.closest?.(FORM);
  if (!form) return;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey) {
    event.preventDefault();
    form.requestSubmit();
    return;
  }
  if (event.key === "Escape" && !(event.ctrlKey || event.metaKey || event.altKey)) {
    const cancel = new CustomEvent("seeknotes:note-cancel", { bubbles: true, cancelable: true });
    if (!form.dispatchEvent(cancel)) event.preventDefault();
  }
});
