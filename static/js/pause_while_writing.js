// "Pause the video while I write", on the "note at this moment" form: a choice the reader makes
// once (kept in localStorage). While the form is open the video waits; it plays on when the
// note is saved or cancelled, if it was playing when the form opened.

const STORAGE_KEY = "seeknotes:pause-while-writing";
const OPTION = "[data-pause-while-writing]";

function remembered() {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === "1";
  } catch {
    return false;
  }
}

function remember(wanted) {
  try {
    window.localStorage.setItem(STORAGE_KEY, wanted ? "1" : "0");
  } catch {
    // Storage refused (private mode, a full quota): the choice lasts for this page only.
  }
}

/** The option on the form, showing the remembered choice. It is added here, since without
 * JavaScript it could do nothing. */
function showOption(form) {
  if (!form) return;
  let box = form.querySelector(OPTION);
  if (!box) {
    const label = document.createElement("label");
    label.className = "note-pause";
    box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.pauseWhileWriting = "";
    label.append(box, " Pause the video while I write");
    form.querySelector(".note-form-actions")?.before(label);
  }
  box.checked = box.defaultChecked = remembered();
}

export function bindPauseWhileWriting({ details, player }) {
  let pausedByUs = false;
  const form = () => details.querySelector("[data-note-now-form]");

  function pauseIfWanted() {
    if (!details.open || !remembered() || !player.isPlaying()) return;
    player.pause();
    pausedByUs = true;
  }

  function resume() {
    if (!pausedByUs) return;
    pausedByUs = false;
    player.play();
  }

  details.addEventListener("toggle", () => {
    if (!details.open) {
      resume();
      return;
    }
    showOption(form());
    pauseIfWanted();
  });
  details.addEventListener("change", (event) => {
    if (!event.target.matches(OPTION)) return;
    remember(event.target.checked);
    event.target.defaultChecked = event.target.checked;
    if (event.target.checked) pauseIfWanted();
    else resume();
  });
  // htmx brings the form back with its errors: the option comes back with it.
  document.addEventListener("htmx:load", () => showOption(form()));
}
