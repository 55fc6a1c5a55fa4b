/* The map page: the map's frame as tall as the window allows below the controls. A constant
 * script (no data): it sets --sq-map-h on the page from where the map starts, again whenever the
 * layout above it or the window changes; static/map-page.css applies it. */
(function () {
  function fit() {
    var box = document.querySelector(".st-key-sq_map");
    if (!box) return;
    var main = document.querySelector("[data-testid='stMain']");
    var top = box.getBoundingClientRect().top + window.scrollY + (main ? main.scrollTop : 0);
    var h = Math.max(360, Math.floor(window.innerHeight - top - 12));
    var root = document.documentElement;
    if (root.style.getPropertyValue("--sq-map-h") !== h + "px") root.style.setProperty("--sq-map-h", h + "px");
  }
  if (!window.__sqMapFit) {
    window.__sqMapFit = true;
    var pending = false;
    var later = function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        fit();
      });
    };
    window.addEventListener("resize", later);
    new MutationObserver(later).observe(document.body, { childList: true, subtree: true });
  }
  fit();
})();
