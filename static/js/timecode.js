// Times as people read them, written the way the server's `timecode` filter writes them
// (apps/reader/timecode.py), so a time filled in by the page matches one rendered by Django.

/** 69 -> "1:09", 3723 -> "1:02:03". */
export function formatTime(seconds) {
  const total = Math.max(0, Math.floor(Number(seconds) || 0));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}
