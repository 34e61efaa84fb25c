// The player's controls as buttons on the page (and, through keys.js, shortcuts): play/pause,
// back and forward, slower and faster, and a link to the moment being watched. Each goes
// through the IFrame API (player.js), so they work the same on YouTube's player and its
// stand-in in the browser tests. Without JavaScript the controls stay hidden (needs_js.js).

/** "1x", "1.25x", "0.5x": the speed as YouTube's own menu shows it. */
export function formatRate(rate) {
  return `${Number(rate.toFixed(2))}x`;
}

/** The address of this episode at `seconds`: what "copy link" hands out. */
export function momentUrl(episodePath, seconds) {
  const url = new URL(episodePath, window.location.origin);
  url.searchParams.set("t", String(Math.max(0, Math.floor(seconds))));
  return url.href;
}

/** Put `text` on the clipboard; false when the browser will not (no API, no permission). */
async function writeClipboard(text) {
  if (!navigator.clipboard || typeof navigator.clipboard.writeText !== "function") return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function bindCopy(controls, player) {
  const status = controls.querySelector("[data-player-copied]");
  const field = controls.querySelector("[data-player-copy-field]");
  const input = controls.querySelector("[data-player-copy-input]");
  let clearTimer = null;

  return async function copyLink() {
    const link = momentUrl(controls.dataset.episodeUrl, player.currentTime());
    if (await writeClipboard(link)) {
      if (field) field.hidden = true;
      status.textContent = `Link copied: ${link}`;
      window.clearTimeout(clearTimer);
      clearTimer = window.setTimeout(() => {
        status.textContent = "";
      }, 6000);
      return link;
    }
    // No clipboard here: show the link, selected, for the reader to copy themselves.
    status.textContent = "";
    input.value = link;
    field.hidden = false;
    input.focus();
    input.select();
    return link;
  };
}

/** Wire the controls in `controls` to `player`; returns the actions for the shortcuts. */
export function bindPlayerControls({ controls, player, follower }) {
  const toggle = controls.querySelector("[data-player-toggle]");
  const rateText = controls.querySelector("[data-player-rate-text]");

  function showState() {
    toggle.textContent = player.isPlaying() ? "Pause" : "Play";
  }

  function skip(delta) {
    const seconds = player.skipTarget(delta);
    follower.update(seconds);
    // A skip keeps the video playing or paused as it was; one not yet started starts there.
    player.seek(seconds, { play: !player.ready });
  }

  function stepRate(direction) {
    player.stepRate(direction);
  }

  const copyLink = bindCopy(controls, player);

  controls.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.matches("[data-player-toggle]")) player.togglePlay();
    else if (button.dataset.playerSkip) {
      // Shift widens the step, as it does for the arrow keys.
      skip(Number(button.dataset.playerSkip) * (event.shiftKey ? 3 : 1));
    } else if (button.dataset.playerSpeed) stepRate(Number(button.dataset.playerSpeed));
    else if (button.matches("[data-player-copy]")) copyLink();
  });

  player.addEventListener("statechange", showState);
  player.addEventListener("ready", showState);
  player.addEventListener("ratechange", (event) => {
    rateText.textContent = formatRate(Number(event.detail.rate) || player.rate());
  });

  return { togglePlay: () => player.togglePlay(), skip, stepRate, copyLink };
}
