// A stand-in for https://www.youtube.com/iframe_api in browser tests.
//
// Implements the slice of the IFrame API the page uses, records every call in
// window.__ytCalls as [name, ...args], and lets the test report a playback time with
// window.__ytSetTime(seconds), which also puts the player in the PLAYING state. Like the real
// player, it knows no duration (getDuration() is 0) until told one with __ytSetDuration(seconds).
// Playback rates: setPlaybackRate(rate) takes one of getAvailablePlaybackRates() (others are
// rounded to the nearest, as YouTube does) and fires onPlaybackRateChange; getPlaybackRate() reads it.
(function () {
  "use strict";

  const State = { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 };
  const calls = (window.__ytCalls = window.__ytCalls || []);
  const players = [];

  function Player(element, options) {
    options = options || {};
    const vars = options.playerVars || {};
    calls.push(["Player", options.videoId, vars]);
    const target = typeof element === "string" ? document.getElementById(element) : element;
    // The real API swaps the element for an iframe; a plain element keeps tests offline.
    const stage = document.createElement("div");
    stage.className = "fake-youtube";
    stage.dataset.fakeYoutube = options.videoId || "";
    stage.style.cssText = "position:absolute;inset:0;background:#000;color:#fff;";
    stage.textContent = "Fake YouTube player: " + (options.videoId || "");
    target.replaceWith(stage);

    this._events = options.events || {};
    this._time = Number(vars.start) || 0;
    this._duration = 0;
    this._state = State.UNSTARTED;
    this._rate = 1;
    players.push(this);
    setTimeout(() => this._fire("onReady", { target: this }), 20);
  }

  Player.prototype._fire = function (name, event) {
    const handler = this._events[name];
    if (typeof handler === "function") handler(event);
  };

  Player.prototype._setState = function (state) {
    if (this._state === state) return;
    this._state = state;
    this._fire("onStateChange", { target: this, data: state });
  };

  Player.prototype.seekTo = function (seconds, allowSeekAhead) {
    calls.push(["seekTo", seconds, allowSeekAhead]);
    this._time = Number(seconds);
  };

  Player.prototype.playVideo = function () {
    calls.push(["playVideo"]);
    this._setState(State.PLAYING);
  };

  Player.prototype.pauseVideo = function () {
    calls.push(["pauseVideo"]);
    this._setState(State.PAUSED);
  };

  Player.prototype.getCurrentTime = function () {
    calls.push(["getCurrentTime"]);
    return this._time;
  };

  Player.prototype.getDuration = function () {
    calls.push(["getDuration"]);
    return this._duration;
  };

  Player.prototype.getPlayerState = function () {
    calls.push(["getPlayerState"]);
    return this._state;
  };

  const RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

  Player.prototype.getAvailablePlaybackRates = function () {
    calls.push(["getAvailablePlaybackRates"]);
    return RATES.slice();
  };

  Player.prototype.getPlaybackRate = function () {
    calls.push(["getPlaybackRate"]);
    return this._rate;
  };

  Player.prototype.setPlaybackRate = function (rate) {
    calls.push(["setPlaybackRate", rate]);
    let nearest = RATES[0];
    for (const r of RATES) if (Math.abs(r - rate) < Math.abs(nearest - rate)) nearest = r;
    if (nearest === this._rate) return;
    this._rate = nearest;
    setTimeout(() => this._fire("onPlaybackRateChange", { target: this, data: nearest }), 0);
  };

  window.__ytSetTime = function (seconds) {
    for (const player of players) {
      player._time = Number(seconds);
      player._setState(State.PLAYING);
    }
  };

  window.__ytSetDuration = function (seconds) {
    for (const player of players) player._duration = Number(seconds);
  };

  window.YT = { Player: Player, PlayerState: State, loaded: 1 };

  // The real script calls this global once the API is usable, asynchronously.
  setTimeout(function () {
    if (typeof window.onYouTubeIframeAPIReady === "function") window.onYouTubeIframeAPIReady();
  }, 0);
})();
