// The YouTube player behind a facade: nothing leaves the page until the first play or seek.
//
// Until then [data-player] shows a placeholder link (which opens YouTube when JavaScript is
// off). The first play() or seek() loads the IFrame API and mounts the real player; a seek
// made before the player is ready is kept and applied in onReady.

const API_URL = "https://www.youtube.com/iframe_api";
const PLAYING = 1;
// YouTube's usual speeds, until the player says which it offers for this video.
const USUAL_RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

let apiPromise = null;

function loadYouTubeApi() {
  if (window.YT && typeof window.YT.Player === "function") {
    return Promise.resolve(window.YT);
  }
  if (!apiPromise) {
    apiPromise = new Promise((resolve, reject) => {
      // The API announces itself through this global callback; keep any earlier one working.
      const previous = window.onYouTubeIframeAPIReady;
      window.onYouTubeIframeAPIReady = () => {
        if (typeof previous === "function") previous();
        resolve(window.YT);
      };
      const script = document.createElement("script");
      script.src = API_URL;
      script.async = true;
      script.onerror = () => {
        apiPromise = null;
        script.remove();
        reject(new Error("The YouTube player could not be loaded."));
      };
      document.head.append(script);
    });
  }
  return apiPromise;
}

export class Player extends EventTarget {
  constructor(root) {
    super();
    this.root = root;
    this.videoId = root.dataset.videoId;
    this.facade = root.querySelector("[data-player-facade]");
    this.mount = root.querySelector("[data-player-mount]");
    this.yt = null;
    this.ready = false;
    this.starting = false;
    this.pendingSeek = null;
    this.lastSeek = null;
    // A speed chosen before the player exists is applied once it is ready.
    this.chosenRate = 1;

    if (this.facade) {
      // Without JavaScript the facade is a link to YouTube; with it, a play button.
      this.facade.setAttribute("role", "button");
      this.facade.addEventListener("keydown", (event) => {
        if (event.key === " ") {
          event.preventDefault();
          this.facade.click();
        }
      });
      this.facade.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        const start = this.startSeconds;
        if (start !== null && !this.yt) this.seek(start);
        else this.play();
      });
    }
  }

  /** Seconds from the page's ?t= (the server puts them on data-start), or null. */
  get startSeconds() {
    const value = this.root.dataset.start;
    return value === undefined || value === "" ? null : Number(value);
  }

  get started() {
    return this.yt !== null || this.starting;
  }

  play() {
    if (this.ready) {
      this.yt.playVideo();
    } else {
      this.start();
    }
  }

  pause() {
    if (this.ready) this.yt.pauseVideo();
  }

  /**
   * Jump to `seconds` and play; before the player exists this starts it there. With
   * `play: false` a paused video stays paused (a skip while reading a frame).
   */
  seek(seconds, { play = true } = {}) {
    seconds = Math.max(0, Math.floor(Number(seconds) || 0));
    this.lastSeek = { seconds, at: performance.now() };
    if (this.ready) {
      this.yt.seekTo(seconds, true);
      if (play) this.yt.playVideo();
    } else {
      this.pendingSeek = seconds;
      this.start();
    }
    this.dispatchEvent(new CustomEvent("seek", { detail: { seconds } }));
  }

  /** Play when paused, pause when playing; before the player exists this starts it. */
  togglePlay() {
    if (this.isPlaying()) this.pause();
    else this.play();
  }

  /** Where a skip of `delta` seconds (back when negative) lands: within the video. */
  skipTarget(delta) {
    const duration = this.duration();
    const seconds = Math.max(0, this.currentTime() + delta);
    return duration === null ? seconds : Math.min(seconds, duration);
  }

  /** The speeds the reader may choose from, slowest first. */
  rates() {
    if (this.ready && typeof this.yt.getAvailablePlaybackRates === "function") {
      const rates = (this.yt.getAvailablePlaybackRates() || []).map(Number).filter((r) => r > 0);
      if (rates.length) return rates.sort((a, b) => a - b);
    }
    return USUAL_RATES;
  }

  /**
   * The speed last chosen: here, or in YouTube's own menu (onPlaybackRateChange). Not read back
   * from the player, which reports a new speed only once it has switched to it, so two quick
   * presses of ">" would otherwise both go from the old one.
   */
  rate() {
    return this.chosenRate;
  }

  /** One speed slower (direction -1) or faster (+1) than now, within what the player offers. */
  stepRate(direction) {
    const rates = this.rates();
    const now = this.rate();
    const next =
      direction > 0 ? rates.find((r) => r > now + 1e-9) : rates.findLast((r) => r < now - 1e-9);
    if (next === undefined) return now;
    this.chosenRate = next;
    if (this.ready) this.yt.setPlaybackRate(next);
    this.dispatchEvent(new CustomEvent("ratechange", { detail: { rate: next } }));
    return next;
  }

  /** The playback position in seconds; before the player is ready, where it will start. */
  currentTime() {
    if (this.ready) {
      const time = Number(this.yt.getCurrentTime());
      // Right after seekTo the player may still report the old position for a moment.
      const recent = this.lastSeek && performance.now() - this.lastSeek.at < 1000;
      if (recent && Math.abs(time - this.lastSeek.seconds) > 2) return this.lastSeek.seconds;
      return Number.isFinite(time) ? time : 0;
    }
    return this.pendingSeek ?? this.startSeconds ?? 0;
  }

  /** The video's length in seconds as the player reports it, or null until it knows. */
  duration() {
    if (!this.ready || typeof this.yt.getDuration !== "function") return null;
    const seconds = Number(this.yt.getDuration());
    return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  }

  isPlaying() {
    return this.ready && this.yt.getPlayerState() === PLAYING;
  }

  async start() {
    if (this.started) return;
    this.starting = true;
    this.root.classList.add("is-loading");
    this.root.classList.remove("has-error");
    try {
      const YT = await loadYouTubeApi();
      this.create(YT);
    } catch (error) {
      this.starting = false;
      this.root.classList.remove("is-loading");
      this.root.classList.add("has-error");
      const note = this.root.querySelector("[data-player-note]");
      if (note) note.textContent = "YouTube could not be reached. Press to try again.";
      this.dispatchEvent(new CustomEvent("error", { detail: { error } }));
    }
  }

  create(YT) {
    const start = this.pendingSeek ?? this.startSeconds ?? 0;
    this.yt = new YT.Player(this.mount, {
      videoId: this.videoId,
      playerVars: { autoplay: 1, playsinline: 1, start, rel: 0 },
      events: {
        onReady: () => this.onReady(),
        onStateChange: (event) => this.onStateChange(event),
        onPlaybackRateChange: (event) => {
          const rate = Number(event.data);
          if (!(rate > 0) || rate === this.chosenRate) return;
          this.chosenRate = rate;
          this.dispatchEvent(new CustomEvent("ratechange", { detail: { rate } }));
        },
      },
    });
    this.starting = false;
    this.root.classList.remove("is-loading");
    this.root.classList.add("is-active");
    if (this.facade) this.facade.hidden = true;
  }

  onReady() {
    this.ready = true;
    if (this.pendingSeek !== null) {
      const seconds = this.pendingSeek;
      this.pendingSeek = null;
      this.lastSeek = { seconds, at: performance.now() };
      this.yt.seekTo(seconds, true);
    }
    if (this.chosenRate !== 1) this.yt.setPlaybackRate(this.chosenRate);
    this.yt.playVideo();
    this.dispatchEvent(new CustomEvent("ready"));
  }

  onStateChange(event) {
    this.dispatchEvent(new CustomEvent("statechange", { detail: { state: event.data } }));
  }
}
