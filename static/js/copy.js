// A "Copy" button for text shown once (a new API token): it copies the element named by its
// data-copy and says so. Sent hidden with data-needs-js, so without JavaScript the text is
// simply there to select.

for (const button of document.querySelectorAll("[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector("[data-copy-status]");
  button.addEventListener("click", async () => {
    const text = source.textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied.";
    } catch {
      // No clipboard access (an insecure origin, a refused permission): select the text so
      // the reader can copy it with the keyboard.
      window.getSelection().selectAllChildren(source);
      status.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  });
}
