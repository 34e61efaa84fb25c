"""The episode page in Chromium (Playwright), served by the benchmark's gunicorn.

YouTube is stood in for as in tests/e2e: https://www.youtube.com/iframe_api is answered with
tests/e2e/fake_youtube.js (plus a line that notes when seekTo is called), every other request
for another host is aborted and counted. Each of `LOADS` cold loads (a new browser context,
so nothing is cached) gives the page's requests and bytes and its largest contentful paint;
the last one then clicks a claim twice: the first click loads the stand-in API and starts the
player, the second seeks a player that is ready, which is the figure held to its target.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

from .report import Results

GROUP = "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IFRAME_API = "https://www.youtube.com/iframe_api"
FAKE_YOUTUBE = Path(__file__).parents[1] / "e2e" / "fake_youtube.js"
SEED_VIDEO_ID = "Wo95ob_s_NI"
LOADS = 5
LCP_TARGET_MS = 1000
SEEK_TARGET_MS = 50
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Every click's event time, and the largest contentful paint as it grows.
WATCH_PAGE = """
window.__bench = {clicks: [], seeks: [], lcp: null};
addEventListener("click", (event) => window.__bench.clicks.push(event.timeStamp), true);
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__bench.lcp = entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
"""
TIME_SEEKS = """
;(function () {
  const seekTo = YT.Player.prototype.seekTo;
  YT.Player.prototype.seekTo = function (...args) {
    window.__bench.seeks.push(performance.now());
    return seekTo.apply(this, args);
  };
})();
"""


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


def measure_browser(base_url: str, results: Results) -> None:
    if not CHROMIUM.exists():
        results.skip(GROUP, "episode page", f"no Chromium at {CHROMIUM}")
        return
    from playwright.sync_api import sync_playwright

    stand_in = FAKE_YOUTUBE.read_text(encoding="utf-8") + TIME_SEEKS
    url = f"{base_url}/episodes/{SEED_VIDEO_ID}/"
    loads = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for number in range(LOADS):
                loads.append(_load(browser, url, stand_in, click=number == LOADS - 1))
        finally:
            browser.close()

    last = loads[-1]
    own = [r for r in last["responses"] if _is_local(r["url"])]
    html = [r for r in own if r["type"] == "document"]
    assets = [r for r in own if r["type"] != "document"]
    results.add(
        GROUP,
        "episode page HTML, transferred",
        sum(r["body"] for r in html),
        "KB",
        note="the server does not compress HTML",
    )
    results.add(
        GROUP,
        "own assets, transferred (compressed)",
        sum(r["body"] for r in assets),
        "KB",
        note=", ".join(
            f"{urlsplit(r['url']).path.rsplit('/', 1)[-1]} {r['body'] / 1e3:.1f} KB "
            f"({r['encoding'] or 'identity'})"
            for r in assets
        ),
    )
    results.add(GROUP, "requests before the first play", len(last["requests_before_play"]), "count")
    offsite = [u for u in last["requests_before_play"] if not _is_local(u)]
    results.add(
        GROUP,
        "requests leaving 127.0.0.1 before the first play",
        len(offsite),
        "count",
        target="0",
        met=not offsite,
        note=", ".join(offsite),
    )
    lcps = [load["lcp"] for load in loads if load["lcp"] is not None]
    lcp = statistics.median(lcps) if lcps else None
    results.add(
        GROUP,
        "largest contentful paint",
        lcp,
        "ms",
        target=f"≤ {LCP_TARGET_MS} ms",
        met=None if lcp is None else lcp <= LCP_TARGET_MS,
        note=f"median of {len(lcps)} cold loads: " + ", ".join(f"{v:.0f}" for v in lcps),
    )
    first, ready = last["click_to_seek"]
    results.add(
        GROUP,
        "first click on a claim → seekTo",
        first,
        "ms",
        note="loads the stand-in IFrame API and waits for its onReady (20 ms by design)",
    )
    results.add(
        GROUP,
        "click on a claim → seekTo, player ready",
        ready,
        "ms",
        target=f"≤ {SEEK_TARGET_MS} ms",
        met=None if ready is None else ready <= SEEK_TARGET_MS,
        note="from the click event's timestamp to the seekTo call, in the page's clock",
    )


def _load(browser, url: str, stand_in: str, *, click: bool) -> dict:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))

    def route(route) -> None:
        if _is_local(route.request.url):
            route.continue_()
        elif route.request.url == IFRAME_API:
            route.fulfill(status=200, content_type="text/javascript", body=stand_in)
        else:
            route.abort()

    page.route("**/*", route)
    page.add_init_script(WATCH_PAGE)
    page.goto(url, wait_until="load")
    _wait_until(page, "window.Seeknotes !== undefined")
    page.wait_for_timeout(300)  # let the paint settle: LCP is final once the reader acts
    load = {
        "lcp": page.evaluate("window.__bench.lcp"),
        "requests_before_play": list(requested),
        "responses": [_response_size(request) for request in finished],
        "click_to_seek": (None, None),
    }
    if click:
        load["click_to_seek"] = (_click_claim(page, 0), _click_claim(page, 1))
    context.close()
    return load


def _response_size(request) -> dict:
    response = request.response()
    sizes = request.sizes()
    return {
        "url": request.url,
        "type": request.resource_type,
        "body": sizes["responseBodySize"],
        "encoding": (response.header_value("content-encoding") if response else None) or "",
    }


def _click_claim(page, nth: int) -> float | None:
    """Click the text of the `nth` claim that has a timestamp; ms until its seekTo."""
    before = page.evaluate("window.__bench.seeks.length")
    claim = page.locator("[data-claim-id]:has(a[data-seconds])").nth(nth)
    claim.scroll_into_view_if_needed()
    claim.click(position={"x": 4, "y": 4})
    _wait_until(page, f"window.__bench.seeks.length > {before}", seconds=10)
    return page.evaluate(
        "() => window.__bench.seeks[window.__bench.seeks.length - 1]"
        " - window.__bench.clicks[window.__bench.clicks.length - 1]"
    )


def _wait_until(page, condition: str, seconds: float = 30) -> None:
    """Poll `condition` in the page until it holds. Not `wait_for_function`: that evaluates a
    string in the page, which the Content-Security-Policy (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(condition):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{condition!r} did not hold within {seconds} s")
        page.wait_for_timeout(5)
