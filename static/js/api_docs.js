// The API docs page: Swagger UI draws the "Try it out" request body as a textarea with no
// label, which a screen reader announces as a bare "edit text". Each one gets a name as it
// appears (Swagger UI renders as operations open, so this watches for them).

const label = (root) => {
  for (const body of root.querySelectorAll("textarea.body-param__text:not([aria-label])")) {
    body.setAttribute("aria-label", "Request body (JSON)");
  }
};

const docs = document.getElementById("swagger-ui");
if (docs) {
  label(docs);
  new MutationObserver(() => label(docs)).observe(docs, { childList: true, subtree: true });
}
