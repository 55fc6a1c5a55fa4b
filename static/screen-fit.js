/* Fits the big screen to the window: the page is drawn for ?scale=min(w / 1920, h / 1080); when
 * the window's scale differs (first load, or a resize), reload once with the right one. */
(function () {
  function want() {
    var z = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
    return Math.max(0.3, Math.min(4, Math.round(z * 1000) / 1000));
  }
  function check() {
    var url = new URL(window.location.href);
    var have = parseFloat(url.searchParams.get("scale"));
    if (!(Math.abs(have - want()) < 0.01)) {
      url.searchParams.set("scale", String(want()));
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
