/* 数字翻牌器: when a KPI value on the big screen changes (the carousel moved on, the data were
 * refreshed), its numbers count from the old value to the new one. A constant script, no data
 * in it: it reads the text Streamlit has just written, rewrites only that text node, and ends
 * on exactly the text Streamlit wrote. A value drawn for the first time is shown as it is. */
(function () {
  if (window.__sqCount) return;
  window.__sqCount = true;
  var MS = 900, STEP = 0.34, NUM = /\d[\d,]*(?:\.\d+)?/g;

  function numbers(s) {
    return (s.match(NUM) || []).map(function (t) { return parseFloat(t.replace(/,/g, "")); });
  }
  function format(v, like) {
    var dot = like.indexOf("."), places = dot < 0 ? 0 : like.length - dot - 1;
    var s = v.toFixed(places);
    return like.indexOf(",") >= 0 ? s.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : s;
  }
  function animate(node, from, to) {
    var a = numbers(from), b = numbers(to), parts = to.match(NUM) || [];
    node.__sqTarget = to;
    if (!b.length || from === to) return;
    if (a.length !== b.length) a = b.map(function () { return 0; });
    var t0 = performance.now(), last = 0;
    function frame(now) {
      if (node.__sqTarget !== to) return; // a newer value took over
      // at most a third of the way per frame: a busy screen whose frames come late still counts
      // through two values in between instead of jumping to the end
      var p = Math.min(1, (now - t0) / MS, last + STEP), e = 1 - Math.pow(1 - p, 3), i = 0;
      last = p;
      var text = p >= 1 ? to : to.replace(NUM, function () {
        var v = a[i] + (b[i] - a[i]) * e, like = parts[i];
        i += 1;
        return format(v, like);
      });
      node.__sqMine = text;
      node.nodeValue = text;
      if (p < 1) requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  }
  function metric(node) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    return !!(el && el.closest && el.closest("[data-testid='stMetricValue']"));
  }
  function texts(list) {
    return Array.prototype.filter.call(list || [], function (n) { return n.nodeType === 3; });
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (!metric(r.target)) return;
      if (r.type === "characterData") {
        var node = r.target, now = node.nodeValue;
        if (now === node.__sqMine || now === node.__sqTarget) return; // one of our frames
        var from = node.__sqMine !== undefined ? node.__sqMine : r.oldValue;
        animate(node, from == null ? now : from, now);
      } else {
        var added = texts(r.addedNodes), removed = texts(r.removedNodes);
        if (added.length === 1 && removed.length === 1) {
          var old = removed[0].__sqMine !== undefined ? removed[0].__sqMine : removed[0].nodeValue;
          removed[0].__sqTarget = null; // stop its animation
          animate(added[0], old, added[0].nodeValue);
        }
      }
    });
  }).observe(document.body, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
})();
