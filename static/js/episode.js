// The episode page: wires the player, the follow-along and the keyboard to the notes.
// Everything here enhances server-rendered HTML; without it, each timestamp still opens
// its moment on YouTube.

import { bindAnnotations } from "./annotations.js";
import { ClaimFocus } from "./claim_focus.js";
import { bindClips } from "./clip.js";
import { bindContents } from "./contents.js";
import { bindCorrections } from "./corrections.js";
import { bindDurationReport } from "./duration.js";
import { Follower, claimOf, claimSeconds } from "./follow.js";
import { isPlainClick } from "./input.js";
import { bindKeys } from "./keys.js";
import { bindMark } from "./mark.js";
import { Player } from "./player.js";
import { bindPlayerControls } from "./player_controls.js";
import { bindReplies } from "./replies.js";
import { bindSetNow } from "./set_now.js";
import { Timeline } from "./timeline.js";

const INTERACTIVE = "a, button, input, textarea, select, summary, label";

function init() {
  const root = document.querySelector("[data-player]");
  const notes = document.querySelector("[data-notes]");
  if (!root || !notes) return;

  const player = new Player(root);
  const follower = new Follower({
    notes,
    player,
    toggle: document.querySelector("[data-follow]"),
    backButton: document.querySelector("[data-back-to-now]"),
  });

  /** Jump the video to `seconds`; `claim` is the claim the reader chose, if any. */
  function seekTo(seconds, claim = null) {
    follower.update(seconds, { claim });
    player.seek(seconds);
  }

  function seekClaim(claim) {
    const seconds = claimSeconds(claim);
    if (seconds !== null) seekTo(seconds, claim);
  }

  notes.addEventListener("click", (event) => {
    if (event.defaultPrevented || !isPlainClick(event)) return;
    const link = event.target.closest("a[data-seconds]");
    if (link) {
      event.preventDefault();
      seekTo(Number(link.dataset.seconds), claimOf(link));
      return;
    }
    if (event.target.closest(INTERACTIVE)) return;
    const body = event.target.closest(".claim-body");
    if (!body) return;
    // A drag that selected text is reading, not a request to play.
    if (String(window.getSelection() ?? "").trim()) return;
    seekClaim(claimOf(body));
  });

  const claimFocus = new ClaimFocus(notes);
  const { writeNoteNow } = bindAnnotations({ notes, player, follower, seekTo });
  const controlsRoot = document.querySelector("[data-player-controls]");
  const controls = controlsRoot
    ? bindPlayerControls({ controls: controlsRoot, player, follower })
    : null;
  bindKeys({
    notes,
    follower,
    seekClaim,
    writeNote: writeNoteNow,
    help: document.querySelector("[data-shortcuts]"),
    controls,
  });

  const contents = document.querySelector("[data-contents]");
  if (contents) bindContents(contents, follower);
  const timelineRoot = document.querySelector("[data-timeline]");
  let timeline = timelineRoot ? new Timeline(timelineRoot, { player, follower, seekTo }) : null;
  // A note written, changed or deleted moves the reader's marks on the timeline. The answer
  // brings the timeline along, out of band, without the lanes this page keeps, or only a new
  // note's mark when nothing else changed; the page asks for the timeline only when the
  // answer brought neither (or brought other lanes: the content changed meanwhile).
  let timelineBrought = false;
  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    if (!timeline || event.detail.target !== timeline.root) return;
    event.detail.shouldSwap = false; // the timeline puts itself in, keeping its lanes
    const fresh = event.detail.fragment.querySelector("[data-timeline]");
    if (fresh?.hasAttribute("data-marks-added")) {
      timelineBrought = timeline.addMarks(fresh);
      return;
    }
    if (!fresh || !timeline.canTake(fresh)) return;
    timeline = timeline.redrawWith(fresh);
    window.Seeknotes.timeline = timeline;
    timelineBrought = true;
  });
  const redrawTimeline = async () => {
    if (!timeline) return;
    if (timelineBrought) {
      timelineBrought = false;
      return;
    }
    timeline = await timeline.redraw();
    window.Seeknotes.timeline = timeline;
  };
  document.addEventListener("seeknotes:note-saved", redrawTimeline);
  document.addEventListener("seeknotes:note-deleted", redrawTimeline);

  // A clip (?t=&end=, or a Media Fragment #t=754,790) plays its range and stops or loops.
  const clip = bindClips({ root, player, notes });
  // `m` and the button beside the player: a bookmark at the player's time.
  const marker = bindMark({ player });
  // "Now" beside a note's times in its edit form.
  bindSetNow({ player });
  // A public note's thread opens under it, and takes replies, without leaving the page.
  bindReplies({ notes });

  // ?t= (the server put it on data-start): mark that moment in the notes. The player stays a
  // facade cued there, so nothing is asked of YouTube until the reader presses play.
  const start = player.startSeconds;
  if (start !== null) follower.update(start);
  // Tab enters the notes at the claim being spoken (else the first), and keeps up with it.
  claimFocus.makeTabStop(follower.currentClaim() ?? notes.querySelector("[data-claim-id]"));
  follower.addEventListener("change", (event) => claimFocus.follow(event.detail.claim));

  // "Set to now" in a timestamp's correction; the video's length, reported once.
  bindCorrections({ player });
  bindDurationReport({ player, root });

  // The page's one global, for later modules (and browser tests) to reach the same objects.
  window.Seeknotes = Object.assign(window.Seeknotes ?? {}, {
    player,
    follower,
    timeline,
    seekTo,
    seekClaim,
    writeNoteNow,
    clip,
    marker,
  });
}

init();
