// The timeline under the player (templates/episodes/_timeline.html). The server draws every
// mark as a link to its moment; this module makes a press seek the player instead, moves the
// playhead with the follower, shows a tip on hover or focus, rescales once the player knows
// the video's length, and makes the drawing one Tab stop whose marks the arrow keys walk.

import { isPlainClick } from "./input.js";
import { formatTime } from "./timecode.js";

// As apps/pages/timeline.py: a span this narrow (in %) is still visible and can be pressed.
const MIN_SPAN_PERCENT = 0.3;
// A move larger than this is a seek: the playhead jumps rather than glides there.
const JUMP_SECONDS = 2;
// As apps/pages/timeline.py: a label keeps this much room (px) inside its span, and a cut
// label ends on a whole word (without trailing punctuation) and an ellipsis.
const LABEL_PADDING_PX = 8;
const LABEL_TRAILING = /[\s,;:.\-\u2013\u2014(]+$/;
// The tip keeps this far (px) from the mark it names.
const TIP_GAP_PX = 6;

const at = (mark) => Number(mark.dataset.at);

export class Timeline {
  constructor(root, { player, follower, seekTo }) {
    this.root = root;
    this.svg = root.querySelector(".timeline-map");
    this.tip = root.querySelector("[data-timeline-tip]");
    this.playhead = root.querySelector("[data-playhead]");
    this.player = player;
    this.seekTo = seekTo;
    this.duration = Number(root.dataset.duration);
    // The length the server drew the marks for (data-duration follows the player's).
    this.drawnDuration = root.dataset.duration;
    this.durationFromPlayer = false;
    this.time = null;
    // The claim being spoken, when the lanes were lent by the drawing before (`redraw`).
    this.currentTick = root.querySelector(".tl-claim.is-current");
    this.collectMarks();

    // One Tab stop for the whole drawing, however many marks it has.
    for (const mark of this.marks) mark.setAttribute("tabindex", "-1");
    this.marks[0]?.setAttribute("tabindex", "0");
    const help = root.querySelector("[data-timeline-help]");
    if (help) help.textContent = "Arrow keys move between marks; Enter plays from the mark.";

    this.svg.addEventListener("click", (event) => this.onClick(event));
    this.svg.addEventListener("keydown", (event) => this.onKey(event));
    this.pointed = null;
    root.classList.add("is-enhanced");
    this.svg.addEventListener("pointermove", (event) => {
      const mark = this.markAt(event);
      this.point(mark);
      if (mark) this.showTip(mark);
      else this.hideTip();
    });
    this.svg.addEventListener("pointerleave", () => {
      this.point(null);
      this.hideTip();
    });
    this.svg.addEventListener("focusin", (event) => {
      const mark = markOf(event.target);
      if (mark) this.makeTabStop(mark);
      this.showTip(mark);
    });
    this.svg.addEventListener("focusout", () => this.hideTip());

    this.follower = follower;
    this.onFollow = (event) => {
      this.checkDuration();
      this.setTime(event.detail.seconds);
      this.markCurrent(event.detail.claim);
    };
    this.onReady = () => this.checkDuration();
    follower.addEventListener("change", this.onFollow);
    player.addEventListener("ready", this.onReady);
    this.spans = [...root.querySelectorAll(".tl-span")];
    this.resizes = new ResizeObserver(() => this.fitLabels());
    this.resizes.observe(this.svg);
    this.checkDuration();
  }

  /** The marks by keyboard row, top to bottom: each lane's top-level sections, its sections,
   * its claims; then the notes. */
  collectMarks() {
    const byTime = (marks) => [...marks].sort((a, b) => at(a) - at(b));
    this.rows = [];
    for (const lane of this.root.querySelectorAll("[data-lane]")) {
      this.rows.push(byTime(lane.querySelectorAll(".tl-chapter")));
      this.rows.push(byTime(lane.querySelectorAll(".tl-span:not(.tl-chapter)")));
      this.rows.push(byTime(lane.querySelectorAll(".tl-claim")));
    }
    this.rows.push(byTime(this.root.querySelectorAll(".tl-note")));
    this.rows = this.rows.filter((row) => row.length > 0);
    this.marks = this.rows.flat();
    this.ticks = new Map(
      [...this.root.querySelectorAll(".tl-claim")].map((tick) => [tick.dataset.claim, tick]),
    );
  }

  /**
   * Put the marks `fresh` brings (a note just written: templates/episodes/_timeline.html's
   * marks-added) in this drawing's row of notes, each after the notes at or before its moment,
   * as the server orders them. False, changing nothing, when `fresh` was drawn for other lanes
   * or another length, or this drawing has no row of notes yet: the page then asks for the
   * whole timeline (`redraw`).
   */
  addMarks(fresh) {
    const row = this.svg.querySelector(".tl-notes");
    const marks = [...fresh.querySelectorAll(".tl-note")];
    const sameDrawing =
      fresh.dataset.marksAdded === this.root.dataset.lanes &&
      fresh.dataset.duration === this.drawnDuration;
    if (!sameDrawing || (marks.length > 0 && !row)) return false;
    for (const mark of marks) {
      row.querySelector(`.tl-note[data-note="${mark.dataset.note}"]`)?.remove();
      const later = [...row.querySelectorAll(".tl-note")].find((other) => at(other) > at(mark));
      row.insertBefore(mark, later ?? null);
      mark.setAttribute("tabindex", "-1");
      if (this.durationFromPlayer) this.place(mark);
    }
    this.collectMarks();
    return true;
  }

  /**
   * Draw the timeline again from the server (after the reader's notes changed, when the
   * answer did not bring it) and return the Timeline that now runs it (`redrawWith`).
   */
  async redraw() {
    // Named, the lanes drawn here are left out of the answer while they are still the same.
    const url = new URL(this.root.dataset.timelineUrl, document.baseURI);
    if (this.root.dataset.lanes) url.searchParams.set("lanes", this.root.dataset.lanes);
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return this;
    const template = document.createElement("template");
    template.innerHTML = await response.text();
    const fresh = template.content.querySelector("[data-timeline]");
    if (!fresh || !this.canTake(fresh)) return this;
    return this.redrawWith(fresh);
  }

  /** Whether `fresh`, a drawing of this timeline, can replace it: it has its lanes, or leaves
   * out the very lanes this one has. */
  canTake(fresh) {
    return !fresh.hasAttribute("data-lanes-kept") || fresh.dataset.lanes === this.root.dataset.lanes;
  }

  /** Put `fresh` in this drawing's place (with this one's lanes, when it left them out) and
   * return the Timeline that now runs it, at the same time and scale; this one stops. */
  redrawWith(fresh) {
    if (fresh.hasAttribute("data-lanes-kept")) this.lendLanes(fresh);
    this.follower.removeEventListener("change", this.onFollow);
    this.player.removeEventListener("ready", this.onReady);
    this.resizes.disconnect();
    const hadFocus = this.root.contains(document.activeElement);
    this.root.replaceWith(fresh);
    const next = new Timeline(fresh, {
      player: this.player,
      follower: this.follower,
      seekTo: this.seekTo,
    });
    if (this.time !== null) next.setTime(this.time);
    if (hadFocus) next.marks.find((mark) => mark.tabIndex === 0)?.focus();
    return next;
  }

  /** Move this drawing's lanes into `fresh`, which left them out, where it would draw them. */
  lendLanes(fresh) {
    for (const mark of this.root.querySelectorAll("[data-pointed]")) {
      mark.removeAttribute("data-pointed");
    }
    fresh.querySelector(".timeline-map > defs").after(...this.root.querySelectorAll("[data-lane]"));
    fresh.removeAttribute("data-lanes-kept");
  }

  percent(seconds) {
    return (100 * Math.min(Math.max(seconds, 0), this.duration)) / this.duration;
  }

  /** Put `mark` where its moment (and its end) fall on this drawing's length. */
  place(mark) {
    const shape = mark.firstElementChild;
    // A note on a range is its span and its dot: both start at its moment.
    for (const part of mark.children) part.setAttribute("x", `${this.percent(at(mark))}%`);
    if (mark.dataset.until !== undefined) {
      const share = this.percent(Number(mark.dataset.until)) - this.percent(at(mark));
      shape.setAttribute("width", `${Math.max(share, MIN_SPAN_PERCENT)}%`);
    }
  }

  /** Fit each span's label to its width now: whole words, an ellipsis, or none at all. */
  fitLabels() {
    const widths = this.spans.map((span) => span.querySelector("rect").getBoundingClientRect().width);
    const measure = textMeasurer();
    this.spans.forEach((span, i) => {
      const text = span.querySelector("text");
      if (!text) return;
      const label = fitLabel(
        span.dataset.title ?? text.textContent,
        widths[i] - LABEL_PADDING_PX,
        measure(text),
      );
      if (text.textContent !== label) text.textContent = label;
      span.classList.toggle("is-narrow", label === "");
    });
  }

  /**
   * The mark a pointer means. Ticks and notes have 24 px targets, wider than the room between
   * close neighbours: where targets overlap, the mark nearest the pointer wins, not the one
   * drawn last.
   */
  markAt(event) {
    const mark = markOf(event.target);
    if (!mark || !(mark.classList.contains("tl-claim") || mark.classList.contains("tl-note"))) {
      return mark;
    }
    const row = this.rows.find((marks) => marks.includes(mark));
    const box = this.svg.getBoundingClientRect();
    const seconds = ((event.clientX - box.left) / box.width) * this.duration;
    return nearest(row, seconds);
  }

  /** Highlight the mark the pointer means (see markAt). */
  point(mark) {
    if (mark === this.pointed) return;
    // An attribute, not a class: the class list says what a mark is (current, a chapter).
    this.pointed?.removeAttribute("data-pointed");
    mark?.setAttribute("data-pointed", "");
    this.pointed = mark;
  }

  onClick(event) {
    const mark = event.detail === 0 ? markOf(event.target) : this.markAt(event);
    if (!mark || !isPlainClick(event)) return;
    event.preventDefault();
    this.play(mark);
  }

  play(mark) {
    // A claim's tick seeks as pressing the claim does, so the follower prefers that claim.
    const claim = mark.dataset.claim
      ? document.querySelector(`[data-claim-id="${mark.dataset.claim}"]`)
      : null;
    this.seekTo(at(mark), claim);
  }

  onKey(event) {
    const mark = markOf(event.target);
    if (!mark || event.ctrlKey || event.metaKey || event.altKey) return;
    const rowIndex = this.rows.findIndex((row) => row.includes(mark));
    const row = this.rows[rowIndex];
    const index = row.indexOf(mark);
    let next = null;
    switch (event.key) {
      case "ArrowRight":
        next = row[Math.min(index + 1, row.length - 1)];
        break;
      case "ArrowLeft":
        next = row[Math.max(index - 1, 0)];
        break;
      case "ArrowDown":
      case "ArrowUp": {
        const other = this.rows[rowIndex + (event.key === "ArrowDown" ? 1 : -1)];
        next = other ? nearest(other, at(mark)) : mark;
        break;
      }
      case "Home":
        next = row[0];
        break;
      case "End":
        next = row.at(-1);
        break;
      case " ":
        this.play(mark);
        break;
      case "Escape":
        this.hideTip();
        break;
      default:
        return;
    }
    // Handled here: not a scroll of the page, so follow mode must not pause for it.
    event.preventDefault();
    event.stopPropagation();
    if (next && next !== mark) next.focus();
  }

  makeTabStop(mark) {
    for (const other of this.svg.querySelectorAll(".tl-mark[tabindex='0']")) {
      if (other !== mark) other.setAttribute("tabindex", "-1");
    }
    mark.setAttribute("tabindex", "0");
  }

  showTip(mark) {
    if (!mark || !this.tip) return;
    // "Claim at 1:09: To imitate …": the part before the first colon is the tip's heading.
    const label = mark.getAttribute("aria-label") ?? "";
    const split = label.indexOf(": ");
    const heading = document.createElement("strong");
    heading.textContent = split > 0 ? label.slice(0, split) : label;
    this.tip.replaceChildren(heading);
    if (split > 0) this.tip.append(document.createElement("br"), label.slice(split + 2));
    this.tip.hidden = false;

    const box = this.root.getBoundingClientRect();
    // A span's label may run on past its rectangle (clipped), so measure the rectangle.
    const rect = (mark.querySelector("rect") ?? mark).getBoundingClientRect();
    const width = this.tip.offsetWidth;
    const height = this.tip.offsetHeight;
    const centre = rect.left + rect.width / 2 - box.left;
    this.tip.style.left = `${Math.min(Math.max(centre - width / 2, 0), box.width - width)}px`;
    // Above the mark, as a scrubber's preview is, so the controls under the timeline (Follow
    // along) stay in sight; below it only where the window has no room above.
    const above = rect.top - height - TIP_GAP_PX >= 0;
    const top = above ? rect.top - box.top - height - TIP_GAP_PX : rect.bottom - box.top + TIP_GAP_PX;
    this.tip.style.top = `${top}px`;
  }

  hideTip() {
    if (this.tip) this.tip.hidden = true;
  }

  setTime(seconds) {
    if (!this.playhead || !Number.isFinite(seconds)) return;
    const jump = this.time === null || Math.abs(seconds - this.time) > JUMP_SECONDS;
    this.time = seconds;
    this.playhead.classList.toggle("is-jumping", jump);
    // translateX(%) of an SVG element is a share of the drawing's width (transform-box).
    this.playhead.style.transform = `translateX(${this.percent(seconds)}%)`;
    this.playhead.dataset.seconds = String(seconds);
    this.root.classList.add("is-playing");
  }

  markCurrent(claim) {
    const tick = claim ? (this.ticks.get(claim.dataset.claimId) ?? null) : null;
    if (tick === this.currentTick) return;
    this.currentTick?.classList.remove("is-current");
    tick?.classList.add("is-current");
    this.currentTick = tick;
    // Tabbing into the timeline lands on what is being said, unless the reader is in it.
    if (tick && !this.svg.contains(document.activeElement)) this.makeTabStop(tick);
  }

  /** Take the player's length once it reports one: the server could only estimate it. */
  checkDuration() {
    if (this.durationFromPlayer) return;
    const reported = this.player.duration();
    if (reported === null) return;
    this.durationFromPlayer = true;
    const last = Math.max(...this.marks.map((mark) => Number(mark.dataset.until ?? mark.dataset.at)));
    this.rescale(Math.max(reported, last));
  }

  rescale(duration) {
    this.duration = duration;
    this.root.dataset.duration = String(Math.round(duration));
    for (const mark of this.marks) this.place(mark);
    for (const label of this.root.querySelectorAll("[data-share]")) {
      label.textContent = formatTime(Math.round(Number(label.dataset.share) * duration));
      label.classList.remove("is-estimate");
    }
    this.svg.setAttribute("aria-label", `Timeline, ${formatTime(duration)}`);
    showLength(duration);
    this.fitLabels();
    if (this.time !== null) {
      const time = this.time;
      this.time = null;
      this.setTime(time);
    }
  }
}

/** The episode's length, once the player knows it, in the page header too. */
function showLength(duration) {
  const length = document.querySelector("[data-episode-length]");
  if (!length) return;
  length.querySelector("[data-episode-length-text]").textContent = formatTime(Math.round(duration));
  length.hidden = false;
}

/** A function giving the width (px) of a string in the font of a given SVG text element. */
function textMeasurer() {
  const context = document.createElement("canvas").getContext("2d");
  const fonts = new Map();
  return (element) => {
    const style = getComputedStyle(element);
    const font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    if (!fonts.has(font)) fonts.set(font, new Map());
    const widths = fonts.get(font);
    return (text) => {
      if (!widths.has(text)) {
        context.font = font;
        widths.set(text, context.measureText(text).width);
      }
      return widths.get(text);
    };
  };
}

/** `title` whole if it fits `room` px, else cut after a word with an ellipsis, else "". */
export function fitLabel(title, room, width) {
  if (width(title) <= room) return title;
  const words = title.split(/\s+/);
  for (let count = words.length - 1; count > 0; count -= 1) {
    const cut = words.slice(0, count).join(" ").replace(LABEL_TRAILING, "");
    if (cut && width(`${cut}\u2026`) <= room) return `${cut}\u2026`;
  }
  return "";
}

function markOf(node) {
  return node?.closest?.(".tl-mark") ?? null;
}

/** The mark of `row` (sorted by time) nearest to `seconds`. */
function nearest(row, seconds) {
  return row.reduce((best, mark) =>
    Math.abs(at(mark) - seconds) < Math.abs(at(best) - seconds) ? mark : best,
  );
}
