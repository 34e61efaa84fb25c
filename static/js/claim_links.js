// Each claim's "Note" and "Fix time" links load their form in place with htmx. A long page
// has hundreds of each, so they are sent as plain links, which work without JavaScript, and
// are given here the htmx attributes that would otherwise repeat each address in the page.
// A module runs once the page is parsed and before DOMContentLoaded, when htmx reads the
// page: the links are ready by then, as if they had been sent so.

const IN_PLACE = [
  [".claim-note-link:not(.claim-fix-link)", { "hx-target": "next .claim-notes" }],
  [".claim-fix-link", { "hx-target": "closest .claim-body", "hx-swap": "afterend" }],
];

for (const [selector, attributes] of IN_PLACE) {
  for (const link of document.querySelectorAll(selector)) {
    link.setAttribute("hx-get", link.getAttribute("href"));
    for (const [name, value] of Object.entries(attributes)) link.setAttribute(name, value);
  }
}
