/* sanqu map helpers: layers built from compact JSON rows.
 * Register text is only ever put on screen with textContent: never innerHTML. */
(function () {
  "use strict";
  var S = (window.sanqu = window.sanqu || {});
  S.registry = {}; /* layer name -> markers, so a person or a test can find a point */
  S.districts = {}; /* district code -> its polygon */

  /* One canvas per map for the districts, the points and the edges: a canvas takes every
   * mouse event over it and hit-tests only its own layers, so a second canvas (or an SVG
   * pane) below it would never see the mouse. Drawn in order: districts at the back. */
  function canvas(map) {
    if (!map._sqCanvas) map._sqCanvas = L.canvas({ padding: 0.5 });
    return map._sqCanvas;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  S.el = el;

  /* A click on a point or an edge opens its popup and stops there: on a canvas the map
   * would otherwise also see it as a click on the district underneath. */
  function stopAtLayer(e) {
    if (e.originalEvent) L.DomEvent.stopPropagation(e.originalEvent);
  }

  /* A card: title, rows of [label, value], an optional note. */
  S.card = function (title, rows, note) {
    var box = el("div", "sq-card");
    box.appendChild(el("div", "sq-title", title));
    var table = el("table", "sq-rows");
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined || r[1] === "") return;
      var tr = el("tr");
      tr.appendChild(el("th", null, r[0]));
      tr.appendChild(el("td", null, r[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (note) box.appendChild(el("div", "sq-note", note));
    return box;
  };

  function rowCard(row, opts) {
    var rows = opts.fields.map(function (f) {
      return [f[0], row[f[1]]];
    });
    var note = opts.noteCol !== undefined && row[opts.noteCol] ? opts.note : null;
    return S.card(row[opts.titleCol], rows, note);
  }

  /* Points: data = {rows: [[lon, lat, category, ...], ...]}; one canvas circle each,
   * optionally clustered. opts: palette, labels, fields, titleCol, noteCol, note, radius, cluster. */
  S.pointLayer = function (data, opts, map) {
    var markers = data.rows.map(function (row) {
      var colour = opts.palette[row[2]] || "#666";
      var m = L.circleMarker([row[1], row[0]], {
        renderer: canvas(map),
        radius: opts.radiusCol !== undefined ? row[opts.radiusCol] : opts.radius || 5,
        color: opts.stroke || "#fff",
        weight: 1,
        fillColor: colour,
        fillOpacity: 0.9,
        bubblingMouseEvents: false,
      });
      m.bindTooltip(function () {
        return el("span", null, row[opts.titleCol]);
      });
      m.bindPopup(function () {
        return rowCard(row, opts);
      });
      m.on("click", stopAtLayer);
      m.sanquRow = row;
      return m;
    });
    S.registry[opts.name] = markers;
    if (opts.cluster && L.markerClusterGroup) {
      var group = L.markerClusterGroup({ chunkedLoading: true, maxClusterRadius: 45, showCoverageOnHover: false });
      group.addLayers(markers);
      return group;
    }
    return L.featureGroup(markers);
  };

  /* Edges: rows = [[lon1, lat1, lon2, lat2, category, label], ...]. */
  S.lineLayer = function (data, opts, map) {
    var lines = data.rows.map(function (row) {
      var line = L.polyline(
        [
          [row[1], row[0]],
          [row[3], row[2]],
        ],
        {
          renderer: canvas(map),
          color: opts.palette[row[4]] || "#888",
          weight: 1.5,
          opacity: 0.7,
          dashArray: opts.dash && opts.dash[row[4]],
          bubblingMouseEvents: false,
        }
      );
      line.on("click", stopAtLayer);
      line.bindTooltip(function () {
        return el("span", null, (opts.labels[row[4]] || "") + "：" + row[5]);
      });
      return line;
    });
    return L.featureGroup(lines);
  };

  /* District polygons filled by class; hover shows name and figures. */
  S.choropleth = function (geojson, opts, map) {
    /* On the points' canvas, behind them: over a point the point gets the mouse, elsewhere
     * the district under it does (tooltip, and a click that reaches the map). */
    var layer = L.geoJSON(geojson, {
      renderer: canvas(map),
      style: function (f) {
        return {
          color: "#5b5b5b",
          weight: 1.2,
          fillColor: f.properties.fill,
          fillOpacity: 0.75,
        };
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        S.districts[p.code] = lyr;
        lyr.bindTooltip(
          function () {
            return S.card(p.name, [
              [opts.indicator, p.rate],
              ["分子 / 分母", p.nd],
            ]);
          },
          { sticky: true }
        );
        lyr.on("mouseover", function () {
          lyr.setStyle({ weight: 3, color: "#111" });
        });
        lyr.on("mouseout", function () {
          layer.resetStyle(lyr);
        });
      },
    });
    layer.on("add", function () {
      layer.bringToBack(); /* shown again from the layer control: back behind the points */
    });
    return layer;
  };

  /* Legend: {title, unit, items: [[colour, label], ...], extra: [[colour, label], ...]} */
  S.legend = function (map, spec) {
    var ctl = L.control({ position: "bottomright" });
    ctl.onAdd = function () {
      var box = el("div", "sq-legend leaflet-control");
      box.appendChild(el("div", "sq-title", spec.title));
      if (spec.unit) box.appendChild(el("div", "sq-note", "单位：" + spec.unit));
      spec.items.forEach(function (it) {
        var row = el("div", "sq-legend-row");
        var sw = el("span", "sq-swatch");
        sw.style.background = it[0];
        row.appendChild(sw);
        row.appendChild(el("span", null, it[1]));
        box.appendChild(row);
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
    return ctl;
  };

  /* Lets a test (or a person) see that the page is live: counts drawn layers. */
  S.ready = function (map, name) {
    var n = 0;
    map.eachLayer(function () {
      n += 1;
    });
    document.body.setAttribute("data-sanqu-map", name + ":" + n);
  };
})();
