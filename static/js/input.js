// What the reader's input means, for every module that listens to it.

/** A plain left click: with a modifier key the browser's own meaning (a new tab …) wins. */
export function isPlainClick(event) {
  return event.button === 0 && !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey);
}

/** Whether keys pressed on `target` are text being written, not shortcuts. */
export function isTyping(target) {
  return Boolean(
    target?.closest?.("input, textarea, select, [contenteditable]:not([contenteditable='false'])"),
  );
}

/** Whether the reader asked the system for less motion: scroll without animating. */
export function prefersReducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}
