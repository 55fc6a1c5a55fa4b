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

  /* data = {columns: [name, ...], rows: [[...], ...]}: a cell getter by column name. */
  function cells(data) {
    var index = {};
    data.columns.forEach(function (name, i) {
      index[name] = i;
    });
    return function (row, name) {
      return name === undefined || !(name in index) ? undefined : row[index[name]];
    };
  }

  function rowCard(row, opts, cell) {
    var rows = opts.fields.map(function (f) {
      return [f[0], cell(row, f[1])];
    });
    var note = cell(row, opts.noteCol) ? opts.note : null;
    return S.card(cell(row, opts.titleCol), rows, note);
  }

  /* Points: data = {columns: ["lon", "lat", ...], rows}; one canvas circle each, optionally
   * clustered. opts (columns by name): palette + colourCol, titleCol, fields [[label, column]],
   * noteCol + note, radius or radiusCol, cluster. */
  S.pointLayer = function (data, opts, map) {
    var cell = cells(data);
    var markers = data.rows.map(function (row) {
      var colour = opts.palette[cell(row, opts.colourCol)] || "#666";
      var m = L.circleMarker([cell(row, "lat"), cell(row, "lon")], {
        renderer: canvas(map),
        radius: opts.radiusCol !== undefined ? cell(row, opts.radiusCol) : opts.radius || 5,
        color: opts.stroke || "#fff",
        weight: 1,
        fillColor: colour,
        fillOpacity: 0.9,
        bubblingMouseEvents: false,
      });
      m.bindTooltip(function () {
        return el("span", null, cell(row, opts.titleCol));
      });
      m.bindPopup(function () {
        return rowCard(row, opts, cell);
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

  /* Edges: data = {columns: [lon1, lat1, lon2, lat2, kind, label], rows}. */
  S.lineLayer = function (data, opts, map) {
    var cell = cells(data);
    var lines = data.rows.map(function (row) {
      var kind = cell(row, "kind");
      var line = L.polyline(
        [
          [cell(row, "lat1"), cell(row, "lon1")],
          [cell(row, "lat2"), cell(row, "lon2")],
        ],
        {
          renderer: canvas(map),
          color: opts.palette[kind] || "#888",
          weight: 1.5,
          opacity: 0.7,
          dashArray: opts.dash && opts.dash[kind],
          bubblingMouseEvents: false,
        }
      );
      line.on("click", stopAtLayer);
      line.bindTooltip(function () {
        return el("span", null, (opts.labels[kind] || "") + "：" + cell(row, "label"));
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
