// The search page: the query box follows the history htmx restores.
//
// htmx saves each result list with its URL and brings it back on "back"; the box's typed value
// is not part of that snapshot, so it is read again from the restored URL's ?q=.

document.addEventListener("htmx:historyRestore", () => {
  const box = document.querySelector("[data-search-input]");
  if (box) box.value = new URLSearchParams(window.location.search).get("q") ?? "";
});
