// Keeps the notes in step with the video: marks the claim and the segment being spoken
// (aria-current="true") and, in follow mode, scrolls the current claim into view.
//
// Per article, the current claim is the one owning the greatest timestamp <= the playback
// time, and the current segment the [data-segment] around that timestamp's link.

import { isTyping, prefersReducedMotion } from "./input.js";

const POLL_MS = 250;
const SCROLL_KEYS = new Set([
  "ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End", " ", "Spacebar",
]);
const STORAGE_KEY = "seeknotes.follow";

/** The claim element that owns a timestamp link or any node inside a claim. */
export function claimOf(node) {
  return node.closest("[data-claim-id]");
}

/** A claim's own timestamp links, not those of the claims nested in it. */
export function ownTimestamps(claim) {
  return [...claim.querySelectorAll("a[data-seconds]")].filter((link) => claimOf(link) === claim);
}

/** Seconds of a claim's first timestamp, or null when it has none. */
export function claimSeconds(claim) {
  const [first] = ownTimestamps(claim);
  return first ? Number(first.dataset.seconds) : null;
}

function indexArticle(article) {
  const marks = [...article.querySelectorAll("a[data-seconds]")].map((link, order) => ({
    seconds: Number(link.dataset.seconds),
    order,
    link,
    claim: claimOf(link),
    segment: link.closest("[data-segment]"),
  }));
  return {
    element: article,
    marks: marks
      .filter((mark) => Number.isFinite(mark.seconds) && mark.claim)
      .sort((a, b) => a.seconds - b.seconds || a.order - b.order),
    current: null,
  };
}

/** The mark of the greatest timestamp <= seconds; among equals the preferred claim's, else the first. */
function markAt(marks, seconds, preferredClaim) {
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (marks[middle].seconds <= seconds) low = middle + 1;
    else high = middle;
  }
  if (low === 0) return null;
  const best = marks[low - 1].seconds;
  let first = low - 1;
  while (first > 0 && marks[first - 1].seconds === best) first -= 1;
  for (let i = first; i < low; i += 1) {
    if (preferredClaim && marks[i].claim === preferredClaim) return marks[i];
  }
  return marks[first];
}

export class Follower extends EventTarget {
  constructor({ notes, player, toggle, backButton }) {
    super();
    this.notes = notes;
    this.player = player;
    this.toggle = toggle;
    this.backButton = backButton;
    this.articles = [...notes.querySelectorAll("[data-article-slug]")].map(indexArticle);
    this.activeArticle = null;
    this.enabled = this.loadPreference();
    this.paused = false;
    this.time = null;
    this.scrolledTo = null;
    this.timer = null;

    this.toggle?.addEventListener("click", () => this.setEnabled(!this.enabled));
    this.backButton?.addEventListener("click", () => this.resume());

    // Remember which article the reader is in, to follow that one.
    const remember = (event) => {
      const article = event.target.closest?.("[data-article-slug]");
      if (article) this.activeArticle = article;
    };
    notes.addEventListener("pointerdown", remember);
    notes.addEventListener("focusin", remember);

    // Scrolling by hand pauses follow mode. Only real input counts: our own scrollIntoView
    // fires scroll events but never wheel, touch or key events.
    const manual = () => this.pause();
    window.addEventListener("wheel", manual, { passive: true });
    window.addEventListener("touchmove", manual, { passive: true });
    // While paused, keep the "Back to now" arrow pointing at the current claim.
    let pending = false;
    window.addEventListener(
      "scroll",
      () => {
        if (!this.paused || pending) return;
        pending = true;
        window.requestAnimationFrame(() => {
          pending = false;
          this.render();
        });
      },
      { passive: true },
    );
    window.addEventListener("keydown", (event) => {
      // A key a shortcut took (Space for play/pause, the arrows between claims) scrolled nothing.
      if (event.defaultPrevented) return;
      if (!SCROLL_KEYS.has(event.key) || isTyping(event.target)) return;
      // Space on a button or link presses it rather than scrolling.
      if (event.key === " " && event.target.closest?.("button, a, summary")) return;
      manual();
    });

    player.addEventListener("statechange", () => this.syncPolling());
    player.addEventListener("ready", () => this.syncPolling());
    this.render();
  }

  loadPreference() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) !== "off";
    } catch {
      return true;
    }
  }

  setEnabled(enabled) {
    this.enabled = enabled;
    try {
      window.localStorage.setItem(STORAGE_KEY, enabled ? "on" : "off");
    } catch {
      // Private browsing may refuse storage; the toggle still works for this page.
    }
    if (enabled) this.resume();
    else this.render();
  }

  /** Stop scrolling along (the reader scrolled away) and offer the way back. */
  pause() {
    if (!this.enabled || this.paused || this.time === null) return;
    this.paused = true;
    this.render();
  }

  /** Follow again and bring the current claim into view. */
  resume() {
    this.paused = false;
    this.scrolledTo = null;
    this.render();
    this.scrollToCurrent();
  }

  syncPolling() {
    const playing = this.player.isPlaying();
    if (playing && this.timer === null) {
      this.timer = window.setInterval(() => this.tick(), POLL_MS);
    } else if (!playing && this.timer !== null) {
      window.clearInterval(this.timer);
      this.timer = null;
    }
    this.tick();
  }

  tick() {
    if (this.player.ready) this.update(this.player.currentTime());
  }

  /**
   * Mark what is spoken at `seconds`. `claim` is the claim the reader chose, if any: it wins
   * ties, its article becomes the active one, and it is not scrolled (it is already in view).
   */
  update(seconds, { claim = null, scroll = true } = {}) {
    this.time = seconds;
    if (claim) {
      // The reader picked this moment: follow along from here.
      this.activeArticle = claim.closest("[data-article-slug]");
      this.paused = false;
    }
    for (const article of this.articles) {
      const mark = markAt(article.marks, seconds, claim);
      const previous = article.current;
      if (previous?.claim === mark?.claim && previous?.segment === mark?.segment) continue;
      if (previous) {
        previous.claim.removeAttribute("aria-current");
        previous.segment?.removeAttribute("aria-current");
      }
      if (mark) {
        mark.claim.setAttribute("aria-current", "true");
        mark.segment?.setAttribute("aria-current", "true");
      }
      article.current = mark;
    }
    const current = this.currentClaim();
    if (current && claim && current === claim) this.scrolledTo = current;
    if (scroll) this.scrollToCurrent();
    this.render();
    this.dispatchEvent(new CustomEvent("change", { detail: { seconds, claim: current } }));
  }

  /** The current claim of the active article, else of the first article that has one. */
  currentClaim() {
    const active = this.articles.find((article) => article.element === this.activeArticle);
    if (active?.current) return active.current.claim;
    return this.articles.find((article) => article.current)?.current.claim ?? null;
  }

  scrollToCurrent() {
    if (!this.enabled || this.paused) return;
    const claim = this.currentClaim();
    if (!claim || claim === this.scrolledTo) return;
    this.scrolledTo = claim;
    claim.scrollIntoView({
      behavior: prefersReducedMotion() ? "auto" : "smooth",
      block: "center",
    });
  }

  render() {
    this.toggle?.setAttribute("aria-pressed", String(this.enabled));
    if (this.backButton) {
      const claim = this.enabled && this.paused ? this.currentClaim() : null;
      this.backButton.hidden = !claim;
      if (claim) {
        const above = claim.getBoundingClientRect().bottom < 0;
        this.backButton.dataset.direction = above ? "up" : "down";
      }
    }
  }
}
