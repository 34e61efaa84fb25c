// The API docs page: what Swagger UI leaves out for keyboards and screen readers, added as it
// renders (it draws operations as they open, so this watches for them):
// - the "Try it out" request body is a textarea with no label, announced as a bare "edit text";
// - examples too wide for a phone scroll sideways in a <pre> no keyboard can reach.

const label = (root) => {
  for (const body of root.querySelectorAll("textarea.body-param__text:not([aria-label])")) {
    body.setAttribute("aria-label", "Request body (JSON)");
  }
  for (const example of root.querySelectorAll("pre.microlight:not([tabindex])")) {
    example.setAttribute("tabindex", "0");
  }
};

const docs = document.getElementById("swagger-ui");
if (docs) {
  label(docs);
  new MutationObserver(() => label(docs)).observe(docs, { childList: true, subtree: true });
}
