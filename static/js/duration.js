// The episode's length, sent to the server once, the first time the player knows it: the
// server knows no length until a player reports one, and uses it to spot timestamps past the
// end. The server believes a report only within bounds (apps/episodes/durations.py).

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") ?? "{}")["X-CSRFToken"] ?? "";
  } catch {
    return "";
  }
}

export function bindDurationReport({ player, root }) {
  const url = root.dataset.durationUrl;
  if (!url) return;
  const known = Number(root.dataset.duration) || null;
  let sent = false;
  const report = () => {
    const reported = player.duration();
    if (sent || reported === null) return;
    sent = true;
    const seconds = Math.round(reported);
    if (seconds === known) return;
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ seconds }),
    }).catch(() => {});
  };
  player.addEventListener("ready", report);
  player.addEventListener("statechange", report);
}
