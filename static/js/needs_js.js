// Controls that only work with JavaScript are sent with `hidden` and `data-needs-js`: shown
// here, so a reader without JavaScript never meets a button that does nothing.

for (const control of document.querySelectorAll("[data-needs-js]")) {
  control.hidden = false;
}
