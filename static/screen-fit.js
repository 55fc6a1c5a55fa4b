/* Fits the big screen to the window: the page is drawn for ?scale=min(w / 1920, h / 1080) and,
 * on a window wider than 16:9 (a spliced video wall), ?width= the canvas width (px at scale 1)
 * that fills it at that scale; when the window's values differ (first load, or a resize),
 * reload once with the right ones. Sizes are CSS px, so Windows display scaling (125 %, 150 %)
 * is already in them. */
(function () {
  function want() {
    var w = window.innerWidth, h = window.innerHeight;
    var k = Math.max(0.3, Math.min(4, Math.floor(Math.min(w / 1920, h / 1080) * 1000) / 1000));
    return { scale: k, width: Math.max(1920, Math.min(8000, Math.floor(w / k) - 2)) };
  }
  function check() {
    var url = new URL(window.location.href);
    var have = parseFloat(url.searchParams.get("scale"));
    var wide = parseInt(url.searchParams.get("width") || "1920", 10);
    var w = want();
    if (!(Math.abs(have - w.scale) < 0.002) || Math.abs(wide - w.width) > 4) {
      url.searchParams.set("scale", String(w.scale));
      if (w.width > 1920) url.searchParams.set("width", String(w.width));
      else url.searchParams.delete("width");
      window.location.replace(url.toString());
    }
  }
  if (!window.__sqFit) {
    window.__sqFit = true;
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    });
  }
  check();
})();
