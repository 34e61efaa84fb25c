// Clips: a stretch of the episode, shared as a link and played as one.
//
// A link to a range is `?t=754&end=790` (the server checks both and puts them on the player's
// data-start / data-end) or a Media Fragment, `#t=754,790`, which never reaches the server and
// is read here. The page opens cued at the start, facade and all; once playing, the player
// pauses at the end, or seeks back to the start when "Loop" is ticked. A seek outside the range
// means the reader has moved on: the clip lets go.
//
// "Clip" on a note (a link to its clip, which works without JavaScript too) or on a claim
// copies the clip's address, and says so beside the button.

import { claimOf, claimSeconds } from "./follow.js";
import { isPlainClick } from "./input.js";
import { formatTime } from "./timecode.js";

const POLL_MS = 200;
const CONFIRM_MS = 4000;
const PLAYING = 1;

/** Seconds from a Media Fragment time: `754`, `754.5`, `npt:12:34` or `0:12:34`. */
function fragmentSeconds(text) {
  const value = text.replace(/^npt:/, "");
  if (!/^\d+(:\d{1,2}){0,2}(\.\d+)?$/.test(value)) return null;
  return Math.floor(value.split(":").reduce((total, part) => total * 60 + Number(part), 0));
}

/** The range a Media Fragment (`#t=754,790`, `#t=,790`, `#t=754`) names, or null. */
export function rangeFromFragment(hash) {
  const match = /(?:^#|&)t=([^&]*)/.exec(hash);
  if (!match) return null;
  const [startText, endText = ""] = decodeURIComponent(match[1]).split(",");
  const start = startText === "" ? 0 : fragmentSeconds(startText);
  const end = endText === "" ? null : fragmentSeconds(endText);
  if (start === null || (endText !== "" && end === null)) return null;
  return { start, end: end !== null && end > start ? end : null };
}

/** Put a fragment's range on the player, as the server puts `?t=&end=` there. */
function applyFragment(root) {
  const range = rangeFromFragment(window.location.hash);
  if (!range) return;
  root.dataset.start = String(range.start);
  if (range.end !== null) root.dataset.end = String(range.end);
  else delete root.dataset.end;
  const facade = root.querySelector("[data-player-facade]");
  if (facade?.href) {
    // A modified click still opens YouTube, at the clip's start.
    const youtube = new URL(facade.href);
    youtube.searchParams.set("t", `${range.start}s`);
    facade.href = youtube.href;
  }
  const note = root.querySelector("[data-player-note]");
  if (note) {
    const what = range.end === null ? `from ${formatTime(range.start)}` : rangeText(range);
    note.textContent = `Play ${what} · YouTube loads on play`;
  }
}

function rangeText({ start, end }) {
  return `${formatTime(start)}–${formatTime(end)}`;
}

/** Plays [start, end) of the video and stops there, or loops it: the clip a link opened, or
 * the range of a note whose time was pressed. Shown above the notes with its Loop choice. */
class ClipPlayback {
  constructor({ player, tools }) {
    this.player = player;
    this.tools = tools; // [data-clip-range], or null
    this.loop = tools?.querySelector("[data-clip-loop]") ?? null;
    this.start = null;
    this.end = null;
    this.active = false;
    this.timer = null;
    player.addEventListener("statechange", (event) => this.watch(event.detail.state === PLAYING));
    player.addEventListener("seek", (event) => {
      const seconds = event.detail.seconds;
      if (this.active && (seconds < this.start || seconds >= this.end)) this.letGo();
    });
  }

  /** From now on, stop (or loop) at `end`; the seek to `start` is the caller's. */
  play(start, end) {
    Object.assign(this, { start, end, active: true });
    if (this.tools) {
      this.tools.querySelector("[data-clip-range-label]").textContent =
        `Clip ${rangeText({ start, end })}`;
      this.tools.hidden = false;
    }
    this.watch(this.player.isPlaying());
  }

  watch(playing) {
    window.clearInterval(this.timer);
    this.timer = playing && this.active ? window.setInterval(() => this.check(), POLL_MS) : null;
  }

  check() {
    if (this.player.currentTime() < this.end) return;
    if (this.loop?.checked) {
      this.player.seek(this.start);
      return;
    }
    this.player.pause();
    this.stop();
  }

  stop() {
    this.active = false;
    this.watch(false);
  }

  /** The reader went elsewhere in the video: the clip is over, and so is its Loop choice. */
  letGo() {
    this.stop();
    if (this.tools) this.tools.hidden = true;
  }
}

/** The clip a claim makes: from its moment to the next claim's in the same article. */
export function claimClip(claim) {
  const start = claimSeconds(claim);
  if (start === null) return null;
  const article = claim.closest("[data-article-slug]") ?? document;
  const claims = [...article.querySelectorAll("[data-claim-id]")];
  const later = claims
    .slice(claims.indexOf(claim) + 1)
    .map(claimSeconds)
    .find((seconds) => seconds !== null && seconds > start);
  const query = later === undefined ? `?t=${start}` : `?t=${start}&end=${later}`;
  return `${window.location.pathname}${query}#${claim.id}`;
}

function confirm(button, message, url = null) {
  button.parentElement.querySelector(":scope > [data-clip-copied]")?.remove();
  const status = document.createElement("span");
  status.className = "clip-copied";
  status.dataset.clipCopied = "";
  status.setAttribute("role", "status");
  status.textContent = message;
  if (url) {
    // No clipboard here (an insecure origin, a refused permission): the link, ready to copy.
    const field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = url;
    field.className = "clip-copied-field";
    field.setAttribute("aria-label", "Clip link");
    status.append(" ", field);
    button.after(status);
    field.select();
    return;
  }
  button.after(status);
  window.setTimeout(() => status.remove(), CONFIRM_MS);
}

async function copyClip(button, address) {
  const url = new URL(address, window.location.href).href;
  try {
    await navigator.clipboard.writeText(url);
    confirm(button, "Clip link copied");
  } catch {
    confirm(button, "Copy this link:", url);
  }
}

function bindCopying(notes) {
  notes.addEventListener("click", (event) => {
    if (!isPlainClick(event)) return;
    const noteClip = event.target.closest("a[data-clip]");
    const claimButton = event.target.closest("[data-clip-claim]");
    const control = noteClip ?? claimButton;
    if (!control) return;
    const address = noteClip ? noteClip.getAttribute("href") : claimClip(claimOf(claimButton));
    if (!address) return;
    event.preventDefault();
    copyClip(control, address);
  });
}

/** Range playback for the page's clip link and for notes on a range, and the Clip buttons. */
export function bindClips({ root, player, notes }) {
  applyFragment(root);
  bindCopying(notes);
  const clip = new ClipPlayback({ player, tools: document.querySelector("[data-clip-range]") });
  // A note's range, pressed: annotations.js seeks to its start, this stops at its end.
  notes.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-note-until]");
    if (!link || !isPlainClick(event)) return;
    clip.play(Number(link.dataset.noteSeconds), Number(link.dataset.noteUntil));
  });
  const start = player.startSeconds ?? 0;
  const end = root.dataset.end ? Number(root.dataset.end) : null;
  if (end !== null && end > start) clip.play(start, end);
  return clip;
}
