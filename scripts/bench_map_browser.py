"""The map drawn in the browser (`make bench`): time from navigation to every point on the map, in
Debian's chromium, for the naive map (one folium.Marker with a popup and a tooltip per point) and
for ours (the same points and more: every layer), both served from a local HTTP server with the
app's own static files (offline)."""

import functools
import http.server
import re
import shutil
import statistics
import tempfile
import threading
from pathlib import Path

import folium
from playwright.sync_api import sync_playwright

from scripts.chromium import FLAGS

ROOT = Path(__file__).resolve().parent.parent
LEAFLET_JS, LEAFLET_CSS = "/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css"
# folium's popups need jQuery (its default pages load it from a CDN): Debian's libjs-jquery.
JQUERY = Path("/usr/share/javascript/jquery/jquery.min.js")

# Every layer on the map and every clustered layer done clustering (sanqu.drawn), then two frames
# (TWO_FRAMES), so that the canvas and the marker icons have been painted.
OURS_DRAWN = "() => !!(window.sanqu && document.body.getAttribute('data-sanqu-map') && window.sanqu.drawn())"
NAIVE_DRAWN = "(n) => document.querySelectorAll('.leaflet-marker-icon').length >= n"
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"


def offline(m: folium.Map) -> folium.Map:
    """A folium map that loads Leaflet from the app's static files and nothing else."""
    m.default_js = [("leaflet", LEAFLET_JS), ("jquery", "/jquery.min.js")]
    m.default_css = [("leaflet_css", LEAFLET_CSS)]
    return m


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# The floors under any map measured this way: a page with nothing on it, and Leaflet's empty map
# (its scripts and stylesheet fetched, parsed, a map made) with no layer.
BLANK = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>x</p></body></html>"
EMPTY = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><script src="{LEAFLET_JS}"></script>
<link rel="stylesheet" href="{LEAFLET_CSS}"/><style>html, body, #m {{ width: 100%; height: 100%; margin: 0; }}</style>
</head><body><div id="m"></div><script>L.map("m", {{center: [27.1, 114.9], zoom: 8.5, preferCanvas: true}});</script>
</body></html>"""
LOADED = "() => document.readyState === 'complete'"


MAP_MADE = re.compile(r"= L\.map\(.*?\n\s*\);", re.S)  # folium's map statement, made before any layer


def marked(html: str) -> str:
    """The page with the moment its Leaflet map is made noted (window.__sqMade): what comes after it
    (the layers made, added and drawn) is timed apart from loading and parsing the page's scripts."""
    made = MAP_MADE.search(html)
    if not made:
        raise ValueError("no L.map( statement in the page")
    return html[: made.end()] + "\nwindow.__sqMade = performance.now();" + html[made.end() :]


def drawn_ms(
    ours_html: str, naive_html: str, naive_points: int, repeat: int = 3, more: dict[str, str] | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """Median ms from navigation to drawn (a fresh browser each time) of ours, the naive map, a blank
    page, an empty Leaflet map (loaded, then two frames) and `more` (name -> another of our maps);
    and of the pages with a mark (`marked`), the median ms from their map made to drawn."""
    pages = {
        "ours": (ours_html, OURS_DRAWN, None),
        "naive": (naive_html, NAIVE_DRAWN, naive_points),
        "blank": (BLANK, LOADED, None),
        "empty": (EMPTY, LOADED, None),
        **{name: (html, OURS_DRAWN, None) for name, html in (more or {}).items()},
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "app").mkdir()
        (folder / "app" / "static").symlink_to(ROOT / "static")
        shutil.copy(JQUERY, folder / "jquery.min.js")
        for name, (html, _, _) in pages.items():
            (folder / f"{name}.html").write_text(html, encoding="utf-8")
        server, base = _serve(folder)
        try:
            times: dict[str, list[float]] = {name: [] for name in pages}
            since_made: dict[str, list[float]] = {name: [] for name in pages}
            with sync_playwright() as p:
                for _ in range(repeat):
                    for name, (_, cond, arg) in pages.items():
                        # a browser of its own each time: nothing of the last page (its teardown,
                        # its renderer) in the way of the next
                        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
                        page = browser.new_page(viewport={"width": 1366, "height": 768})
                        page.goto(f"{base}/{name}.html", wait_until="commit")
                        page.wait_for_function(cond, arg=arg, polling="raf", timeout=180_000)
                        times[name].append(page.evaluate(TWO_FRAMES))
                        if (made := page.evaluate("window.__sqMade")) is not None:
                            since_made[name].append(times[name][-1] - made)
                        browser.close()
        finally:
            server.shutdown()
    return (
        {name: statistics.median(t) for name, t in times.items()},
        {name: statistics.median(t) for name, t in since_made.items() if t},
    )
