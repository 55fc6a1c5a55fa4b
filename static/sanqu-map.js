/* sanqu map helpers: layers built from compact JSON rows.
 * Register text is only ever put on screen with textContent: never innerHTML. */
(function () {
  "use strict";
  var S = (window.sanqu = window.sanqu || {});
  S.registry = {}; /* layer name -> its points (row and place), so a person or a test can find one */
  S.districts = {}; /* district code -> its polygon */
  S.layers = {}; /* layer name -> the layer shown (only the layers the URL asks for are sent) */
  S.labels = []; /* the districts' name labels */

  /* A layer of points or edges waits for S.furniture's fit (the map at its final view): added
   * before it, its thousands of points would be projected and drawn twice, at the first view and
   * again at the fitted one. Areas go on at once (the choropleth gives the fit its bounds). */
  S.show = function (map, name, layer) {
    S.layers[name] = layer;
    if (layer._sqAfterFit && !map._sqFurnished) {
      (map._sqLater = map._sqLater || []).push(layer);
      Promise.resolve().then(function () {
        addLater(map); /* a map without furniture: once the map's script is over */
      });
      return;
    }
    layer.addTo(map);
  };

  function addLater(map) {
    var later = map._sqLater || [];
    map._sqLater = [];
    later.forEach(function (layer) {
      layer.addTo(map);
    });
  }

  /* One canvas per map for the districts, the points and the edges: a canvas takes every
   * mouse event over it and hit-tests only its own layers, so a second canvas (or an SVG
   * pane) below it would never see the mouse. Drawn in order: districts at the back. */
  function canvas(map) {
    if (!map._sqCanvas) map._sqCanvas = lastMoveKept(L.canvas({ padding: 0.5 }));
    return map._sqCanvas;
  }

  /* Leaflet's canvas looks for the shape under the mouse at most once per 32 ms and drops the
   * moves in between, the last one too: a mouse that stops on a point would keep the tooltip
   * (and cursor) of whatever it crossed up to 32 ms before. The last dropped move is looked at
   * once the 32 ms are over, so the hover always ends on where the mouse is. */
  var HOVER_PAUSE = 32; /* Leaflet 1.9's own pause in Canvas._handleMouseHover */
  function lastMoveKept(renderer) {
    var hover = renderer._handleMouseHover;
    var out = renderer._handleMouseOut;
    renderer._handleMouseHover = function (e, point) {
      var self = this;
      if (this._mouseHoverThrottled) {
        this._sqDropped = e;
        return;
      }
      this._sqDropped = null;
      hover.call(this, e, point);
      setTimeout(function () {
        var last = self._sqDropped;
        self._sqDropped = null;
        /* through _onMouseMove: the point again for the map as it is now, nothing while dragging */
        if (last && self._map) self._onMouseMove(last);
      }, HOVER_PAUSE + 1);
    };
    renderer._handleMouseOut = function (e) {
      if (e && e.type === "mouseout") this._sqDropped = null; /* the mouse left the map */
      out.call(this, e);
    };
    return renderer;
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

  /* data = {columns: [name, ...], rows: [[...], ...], codes: {column: [value, ...]}}: the coded
   * columns' values put back in the rows (once), and a cell getter by column name. */
  function cells(data) {
    var index = {};
    data.columns.forEach(function (name, i) {
      index[name] = i;
    });
    Object.keys(data.codes || {}).forEach(function (name) {
      var i = index[name], values = data.codes[name];
      data.rows.forEach(function (row) {
        row[i] = values[row[i]];
      });
    });
    data.codes = {};
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

  /* A Path whose many shapes its own _updatePath draws (PointSet, EdgeSet). */
  var ShapeSet = L.Path.extend({
    _update: function () {
      if (this._map) this._updatePath();
    },

    _empty: function () {
      return !this._pxBounds;
    },
  });

  /* Every point of a layer as one shape on the map's canvas: projected, drawn and hit-tested in
   * plain loops, not one Leaflet layer per point (each of those costs its own projection, events
   * and bookkeeping: thousands of them took most of the map's drawing time). Drawn as Leaflet
   * draws a circleMarker, in row order (a later row on top). The canvas hands it the mouse like
   * any shape; `hit` is then the index of the topmost point under it, `sanquRow` that point's row. */
  var PointSet = ShapeSet.extend({
    options: { bubblingMouseEvents: false, weight: 1, opacity: 1, fillOpacity: 0.9 },

    initialize: function (lats, lons, radii, fills, rows, options) {
      L.setOptions(this, options);
      this._lats = lats;
      this._lons = lons;
      this._radii = radii;
      this._fills = fills;
      this.sanquRows = rows;
      this.hit = -1;
      this.sanquRow = null;
      this._only = null; /* the indices of the points shown (null: every point) */
    },

    /* Shows only the points of `indices` (a ClusterSet's points outside every bubble). */
    only: function (indices) {
      this._only = indices;
      if (this._map) this.redraw();
      return this;
    },

    latLng: function (i) {
      return L.latLng(this._lats[i], this._lons[i]);
    },

    _project: function () {
      var map = this._map, n = this._lats.length, w = this.options.weight;
      var xs = (this._xs = new Float64Array(n)), ys = (this._ys = new Float64Array(n));
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (var i = 0; i < n; i++) {
        var p = map.latLngToLayerPoint([this._lats[i], this._lons[i]]);
        var r = this._radii[i] + w;
        xs[i] = p.x;
        ys[i] = p.y;
        if (p.x - r < x0) x0 = p.x - r;
        if (p.y - r < y0) y0 = p.y - r;
        if (p.x + r > x1) x1 = p.x + r;
        if (p.y + r > y1) y1 = p.y + r;
      }
      this._pxBounds = n ? L.bounds([x0, y0], [x1, y1]) : null;
    },

    /* as the canvas draws one circleMarker (its _updateCircle and _fillStroke), point by point;
     * a point outside the part being redrawn is skipped (the canvas clips it away anyway) */
    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) return;
      var ctx = renderer._ctx, o = this.options, b = renderer._redrawBounds || renderer._bounds;
      var xs = this._xs, ys = this._ys, radii = this._radii, fills = this._fills, fill = null, on = this._only;
      if (ctx.setLineDash) ctx.setLineDash([]);
      ctx.lineWidth = o.weight;
      ctx.strokeStyle = o.color;
      ctx.lineCap = o.lineCap;
      ctx.lineJoin = o.lineJoin;
      for (var k = 0, n = on ? on.length : xs.length; k < n; k++) {
        var i = on ? on[k] : k, x = xs[i], y = ys[i], r = Math.max(Math.round(radii[i]), 1), m = r + o.weight;
        if (b && (x + m < b.min.x || x - m > b.max.x || y + m < b.min.y || y - m > b.max.y)) continue;
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI, false);
        if (fills[i] !== fill) ctx.fillStyle = fill = fills[i];
        ctx.globalAlpha = o.fillOpacity;
        ctx.fill("evenodd");
        ctx.globalAlpha = o.opacity;
        ctx.stroke();
      }
    },

    /* the topmost point within its radius (and the canvas' tolerance) of p, as a circleMarker's */
    _containsPoint: function (p) {
      this.hit = -1;
      if (!this._pxBounds || !this._pxBounds.contains(p)) return false;
      var tol = this._clickTolerance(), xs = this._xs, ys = this._ys, on = this._only;
      for (var k = (on ? on.length : xs.length) - 1; k >= 0; k--) {
        var i = on ? on[k] : k, dx = p.x - xs[i], dy = p.y - ys[i], r = this._radii[i] + tol;
        if (dx * dx + dy * dy <= r * r) {
          this.hit = i;
          return true;
        }
      }
      return false;
    },
  });
  S.PointSet = PointSet;

  /* A point of a PointSet as S.registry lists it: its row and where it is. */
  function Point(layer, i) {
    this.layer = layer;
    this.index = i;
    this.sanquRow = layer.sanquRows[i];
  }
  Point.prototype.getLatLng = function () {
    return this.layer.latLng(this.index);
  };

  /* Points: data = {columns: ["lon", "lat", ...], rows}; one canvas circle each, optionally
   * clustered. opts (columns by name): palette + colourCol, titleCol, fields [[label, column]],
   * noteCol + note, radius or radiusCol, cluster. */
  S.pointLayer = function (data, opts, map) {
    var cell = cells(data);
    var radius = function (row) {
      return opts.radiusCol !== undefined ? cell(row, opts.radiusCol) : opts.radius || 5;
    };
    var colour = function (row) {
      return opts.palette[cell(row, opts.colourCol)] || "#666";
    };
    var rows = data.rows, n = rows.length;
    var lats = new Float64Array(n), lons = new Float64Array(n), radii = new Float64Array(n), fills = new Array(n);
    for (var i = 0; i < n; i++) {
      lats[i] = cell(rows[i], "lat");
      lons[i] = cell(rows[i], "lon");
      radii[i] = radius(rows[i]);
      fills[i] = colour(rows[i]);
    }
    var layer = new PointSet(lats, lons, radii, fills, rows, { renderer: canvas(map), color: opts.stroke || "#fff" });
    S.registry[opts.name] = rows.map(function (row, i) {
      return new Point(layer, i);
    });
    pointEvents(layer, opts, cell);
    var shown = opts.cluster ? new ClusterSet(layer, opts, cell) : layer;
    shown._sqAfterFit = true;
    return shown;
  };

  /* One tooltip for all of a PointSet's or an EdgeSet's shapes: the text of the one under the
   * mouse, at its place, moved as the mouse goes from one to the next. */
  function hoverTip(layer, text, at) {
    var tip = L.tooltip(), shown = -1;
    layer.on("mouseover mousemove", function () {
      var i = layer.hit;
      layer.sanquRow = i < 0 ? null : layer.sanquRows[i];
      if (i === shown || i < 0) return;
      shown = i;
      tip.setLatLng(at(i)).setContent(el("span", null, text(layer.sanquRow)));
      if (!layer._map.hasLayer(tip)) layer._map.openTooltip(tip);
    });
    layer.on("mouseout remove", function () {
      shown = -1;
      layer.sanquRow = null;
      if (layer._map) layer._map.closeTooltip(tip);
    });
  }

  /* A PointSet's tooltip (the title of the point under the mouse) and popup (the point's card, on
   * a click); one of each for the layer. */
  function pointEvents(layer, opts, cell) {
    hoverTip(
      layer,
      function (row) {
        return cell(row, opts.titleCol);
      },
      function (i) {
        return layer.latLng(i);
      }
    );
    layer.on("click", function (e) {
      stopAtLayer(e);
      var i = layer.hit;
      if (i < 0) return;
      L.popup().setLatLng(layer.latLng(i)).setContent(rowCard(layer.sanquRows[i], opts, cell)).openOn(layer._map);
    });
  }

  /* A PointSet clustered as Leaflet.markercluster shows points (its default look and rule: points
   * within 45 px of a cluster's first point at the map's zoom are one bubble with their count; a
   * click on a bubble zooms in to its points), made for the zoom the map is at when it gets there:
   * markercluster makes every zoom's clusters up front, one layer per point, which took most of
   * the map's drawing time for 1,500 points. The points in no bubble are the PointSet's. */
  var CLUSTER_PX = 45;
  var ClusterSet = L.Layer.extend({
    initialize: function (points, opts, cell) {
      this.points = points;
      this._opts = opts;
      this._cell = cell;
      this._byZoom = {};
      this._bubbles = L.layerGroup();
      /* each point at zoom 0 (px of a 256 px world), projected once for every zoom */
      var n = points._lats.length, crs = L.CRS.EPSG3857;
      this._wx = new Float64Array(n);
      this._wy = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        var p = crs.latLngToPoint(L.latLng(points._lats[i], points._lons[i]), 0);
        this._wx[i] = p.x;
        this._wy[i] = p.y;
      }
    },

    onAdd: function (map) {
      map.addLayer(this._bubbles);
      this._show(); /* the points shown set before they are drawn */
      map.addLayer(this.points);
    },

    onRemove: function (map) {
      map.removeLayer(this.points);
      map.removeLayer(this._bubbles);
    },

    getEvents: function () {
      return { zoomend: this._show };
    },

    _show: function () {
      var zoom = Math.round(this._map.getZoom());
      var made = this._byZoom[zoom] || (this._byZoom[zoom] = this._cluster(zoom));
      this._bubbles.clearLayers();
      made.groups.forEach(function (members) {
        this._bubbles.addLayer(this._bubble(members));
      }, this);
      this.points.only(made.single);
    },

    /* markercluster's rule at one zoom: a point joins the nearest cluster whose first point is
     * within 45 px, else makes one with the nearest lone point within 45 px, else stays alone. */
    _cluster: function (zoom) {
      var scale = Math.pow(2, zoom), size = CLUSTER_PX, near = size * size;
      var clusters = new Map(), lone = new Map(), groups = [], at = [];
      var wx = this._wx, wy = this._wy;
      function nearest(grid, x, y) {
        var cx = Math.floor(x / size), cy = Math.floor(y / size), best = null, bestD = near;
        for (var i = cx - 1; i <= cx + 1; i++) {
          for (var j = cy - 1; j <= cy + 1; j++) {
            var list = grid.get(i * 4194304 + j);
            if (!list) continue;
            for (var k = 0; k < list.length; k++) {
              var dx = list[k].x - x, dy = list[k].y - y, d = dx * dx + dy * dy;
              if (d <= bestD) {
                bestD = d;
                best = list[k];
              }
            }
          }
        }
        return best;
      }
      function put(grid, item) {
        var key = Math.floor(item.x / size) * 4194304 + Math.floor(item.y / size);
        var list = grid.get(key);
        if (list) list.push(item);
        else grid.set(key, [item]);
      }
      function drop(grid, item) {
        var list = grid.get(Math.floor(item.x / size) * 4194304 + Math.floor(item.y / size));
        list.splice(list.indexOf(item), 1);
      }
      for (var i = 0; i < wx.length; i++) {
        var x = wx[i] * scale, y = wy[i] * scale;
        var c = nearest(clusters, x, y);
        if (c) {
          c.members.push(i);
          continue;
        }
        var p = nearest(lone, x, y);
        if (p) {
          drop(lone, p);
          p.members = [p.index, i];
          put(clusters, p);
          groups.push(p.members);
          continue;
        }
        var item = { x: x, y: y, index: i };
        put(lone, item);
        at.push(item);
      }
      var single = at
        .filter(function (it) {
          return !it.members;
        })
        .map(function (it) {
          return it.index;
        });
      return { groups: groups, single: Int32Array.from(single.sort(function (a, b) { return a - b; })) };
    },

    /* One bubble: markercluster's default icon at its points' mean position. */
    _bubble: function (members) {
      var pts = this.points, lat = 0, lon = 0;
      members.forEach(function (i) {
        lat += pts._lats[i];
        lon += pts._lons[i];
      });
      var n = members.length;
      var inner = el("div");
      inner.appendChild(el("span", null, n));
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      var m = L.marker([lat / n, lon / n], {
        icon: L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) }),
      });
      m.sanquMembers = members;
      m.on("click", function (e) {
        stopAtLayer(e);
        this._open(members, m.getLatLng());
      }, this);
      return m;
    },

    /* A click on a bubble zooms in to its points (a zoom at least, as markercluster does); where
     * no zoom can part them (one spot, or the map's last zoom) it lists them instead. */
    _open: function (members, at) {
      var map = this._map, pts = this.points;
      var bounds = L.latLngBounds(
        members.map(function (i) {
          return pts.latLng(i);
        })
      );
      var oneSpot = bounds.getNorthEast().equals(bounds.getSouthWest());
      if (oneSpot || map.getZoom() >= map.getMaxZoom()) {
        L.popup({ maxHeight: 320 }).setLatLng(at).setContent(this._list(members)).openOn(map);
      } else if (map.getBoundsZoom(bounds) <= map.getZoom()) {
        map.setView(at, Math.min(map.getZoom() + 1, map.getMaxZoom()));
      } else {
        map.fitBounds(bounds);
      }
    },

    /* The points of one spot: their names; a name opens its card. */
    _list: function (members) {
      var pts = this.points, opts = this._opts, cell = this._cell;
      var box = el("div", "sq-card");
      box.appendChild(el("div", "sq-title", opts.name + "：此处 " + members.length + " 个"));
      var list = el("div", "sq-list");
      members.forEach(function (i) {
        var row = pts.sanquRows[i];
        var item = el("button", "sq-link", cell(row, opts.titleCol));
        item.type = "button";
        item.addEventListener("click", function (e) {
          L.DomEvent.stop(e);
          box.replaceChildren(rowCard(row, opts, cell));
        });
        list.appendChild(item);
      });
      box.appendChild(list);
      box.appendChild(el("div", "sq-note", "位置相同或过近，放大也无法分开：点名称看详情"));
      return box;
    },
  });
  S.ClusterSet = ClusterSet;

  /* Points aggregated on the server (too many to draw one by one): data = {columns: [lon, lat, n,
   * category...], rows}, one bubble per grid cell showing its count n; its popup lists the count of
   * each category. opts: name, categories, palette, unit, total. */
  S.aggregateLayer = function (data, opts, map) {
    var bubbles = data.rows.map(function (row) {
      var n = row[2];
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      var inner = el("div");
      inner.appendChild(el("span", null, n.toLocaleString("zh-CN")));
      var m = L.marker([row[1], row[0]], {
        icon: L.divIcon({ html: inner, className: "sq-cluster marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) }),
        title: n + " " + opts.unit,
      });
      m.sanquRow = row;
      return m;
    });
    S.registry[opts.name] = bubbles;
    var group = L.featureGroup(bubbles);
    group.bindPopup(function (m) {
      var rows = opts.categories.map(function (c, i) {
        return [c, m.sanquRow[3 + i] ? m.sanquRow[3 + i].toLocaleString("zh-CN") : ""];
      });
      var title = opts.name + "：本方格 " + m.sanquRow[2].toLocaleString("zh-CN") + " " + opts.unit;
      return S.card(title, rows, "点位过多，已在服务器按约 5 公里方格聚合（全图共 " + opts.total.toLocaleString("zh-CN") + " " + opts.unit + "）");
    });
    group.on("click", stopAtLayer);
    group._sqAfterFit = true;
    return group;
  };

  /* Every edge of a layer as one shape on the map's canvas (as PointSet is for points): drawn as
   * the canvas draws a two-point polyline, in row order; `hit` is the topmost edge within the
   * canvas' tolerance of the mouse, `sanquRow` its row. */
  var EDGE_SLACK = 3;
  var EdgeSet = ShapeSet.extend({
    options: { bubblingMouseEvents: false, weight: 1.5, opacity: 0.7 },

    initialize: function (ends, colours, dashes, rows, options) {
      L.setOptions(this, options);
      this._ends = ends; /* lat1, lon1, lat2, lon2 of each edge */
      this._colours = colours;
      this._dashes = dashes; /* each edge's dash pattern, [] for a solid line */
      this.sanquRows = rows;
      this.hit = -1;
      this.sanquRow = null;
    },

    /* the edge's middle (in the map's projection, as Leaflet centres a polyline) */
    middle: function (i) {
      var e = this._ends, map = this._map;
      var a = map.project([e[4 * i], e[4 * i + 1]], 0), b = map.project([e[4 * i + 2], e[4 * i + 3]], 0);
      return map.unproject(a.add(b).divideBy(2), 0);
    },

    _project: function () {
      var map = this._map, e = this._ends, n = e.length / 4, w = this.options.weight;
      var xy = (this._xy = new Float64Array(4 * n));
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (var k = 0; k < 2 * n; k++) {
        var p = map.latLngToLayerPoint([e[2 * k], e[2 * k + 1]]);
        xy[2 * k] = p.x;
        xy[2 * k + 1] = p.y;
        if (p.x < x0) x0 = p.x;
        if (p.y < y0) y0 = p.y;
        if (p.x > x1) x1 = p.x;
        if (p.y > y1) y1 = p.y;
      }
      this._pxBounds = n ? L.bounds([x0 - w, y0 - w], [x1 + w, y1 + w]) : null;
    },

    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || this._empty()) return;
      var ctx = renderer._ctx, o = this.options, b = renderer._redrawBounds || renderer._bounds, xy = this._xy;
      var colour = null, dash = null, m = o.weight;
      ctx.globalAlpha = o.opacity;
      ctx.lineWidth = o.weight;
      ctx.lineCap = o.lineCap;
      ctx.lineJoin = o.lineJoin;
      for (var i = 0; i < xy.length / 4; i++) {
        var ax = xy[4 * i], ay = xy[4 * i + 1], bx = xy[4 * i + 2], by = xy[4 * i + 3];
        if (b && (Math.max(ax, bx) + m < b.min.x || Math.min(ax, bx) - m > b.max.x ||
                  Math.max(ay, by) + m < b.min.y || Math.min(ay, by) - m > b.max.y)) continue;
        if (this._dashes[i] !== dash && ctx.setLineDash) ctx.setLineDash((dash = this._dashes[i]));
        if (this._colours[i] !== colour) ctx.strokeStyle = colour = this._colours[i];
        ctx.beginPath();
        ctx.moveTo(ax, ay);
        ctx.lineTo(bx, by);
        ctx.stroke();
      }
    },

    /* a 1.5 px line would take the mouse only 0.75 px either side (a polyline's tolerance): hard
     * to find, a tooltip that flickers; an edge takes it EDGE_SLACK px further */
    _clickTolerance: function () {
      return this.options.weight / 2 + EDGE_SLACK;
    },

    /* the topmost edge within that tolerance of p */
    _containsPoint: function (p) {
      this.hit = -1;
      if (!this._pxBounds || !this._pxBounds.contains(p)) return false;
      var tol = this._clickTolerance(), xy = this._xy;
      for (var i = xy.length / 4 - 1; i >= 0; i--) {
        var a = L.point(xy[4 * i], xy[4 * i + 1]), b = L.point(xy[4 * i + 2], xy[4 * i + 3]);
        if (L.LineUtil.pointToSegmentDistance(p, a, b) <= tol) {
          this.hit = i;
          return true;
        }
      }
      return false;
    },
  });
  S.EdgeSet = EdgeSet;

  /* "5 4" -> [5, 4], as Leaflet reads a path's dashArray; none -> [] */
  function dashes(text) {
    return text ? String(text).split(/[, ]+/).map(Number) : [];
  }

  /* Edges: data = {columns: [lon1, lat1, lon2, lat2, kind, label], rows}; the tooltip says the
   * edge's kind and label, at its middle. */
  S.lineLayer = function (data, opts, map) {
    var cell = cells(data), rows = data.rows, n = rows.length;
    var ends = new Float64Array(4 * n), colours = new Array(n), dashed = new Array(n), byKind = {};
    rows.forEach(function (row, i) {
      var kind = cell(row, "kind");
      ends.set([cell(row, "lat1"), cell(row, "lon1"), cell(row, "lat2"), cell(row, "lon2")], 4 * i);
      colours[i] = opts.palette[kind] || "#888";
      if (!(kind in byKind)) byKind[kind] = dashes(opts.dash && opts.dash[kind]);
      dashed[i] = byKind[kind]; /* one array per kind: the drawing sets a dash only when it changes */
    });
    var layer = new EdgeSet(ends, colours, dashed, rows, { renderer: canvas(map) });
    hoverTip(
      layer,
      function (row) {
        return (opts.labels[cell(row, "kind")] || "") + "：" + cell(row, "label");
      },
      function (i) {
        return layer.middle(i);
      }
    );
    layer.on("click", stopAtLayer);
    layer._sqAfterFit = true;
    return layer;
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
            var rows = [
              [opts.indicator, p.rate],
              ["分子 / 分母", p.nd],
            ];
            if (p.city) rows.unshift(["所属市", p.city]);
            return S.card(p.name, rows);
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
      layer.bringToBack();
      if (opts.labels !== false) districtLabels(map, geojson);
      if (opts.fit) map._sqFit = opts.fit; /* fitted by S.furniture once the legends are there */
    });
    return layer;
  };

  /* No view in the link: fit the scope to the map's real size (the page sizes the map to the
   * window), again when that size or the keys on the right change while the view is still the
   * fitted one (a key can widen after the fit: a late font, a layer's rows). */
  function fit(map, bounds) {
    var fitted = null;
    var used = -1;
    function keys() {
      return map.getContainer().querySelectorAll(".leaflet-right .leaflet-control:not(.leaflet-control-attribution)");
    }
    /* clear of the keys on the right where that costs the scope no zoom level, or the map is wide
     * enough to spare the room (a key over a third of a narrow map: the scope drawn under it) */
    function clearance() {
      var right = 0;
      keys().forEach(function (c) {
        right = Math.max(right, c.offsetWidth);
      });
      if (!right || map.getSize().x >= 3 * right) return right;
      var free = map.getBoundsZoom(bounds, false, L.point(right + 24, 24)) >= map.getBoundsZoom(bounds, false, L.point(24, 24));
      return free ? right : 0;
    }
    function apply() {
      used = clearance();
      map.fitBounds(bounds, { paddingTopLeft: [12, 12], paddingBottomRight: [used + 12, 12], animate: false });
      fitted = [map.getCenter(), map.getZoom()];
    }
    /* the person has not moved the map since it was fitted */
    function untouched() {
      if (!fitted || map.getZoom() !== fitted[1]) return false;
      return map.latLngToContainerPoint(fitted[0]).distanceTo(map.getSize().divideBy(2)) < 3;
    }
    apply();
    map.on("resize", function () {
      if (untouched()) apply();
    });
    if (window.ResizeObserver) {
      var watch = new ResizeObserver(function () {
        if (clearance() !== used && untouched()) apply();
      });
      keys().forEach(function (c) {
        watch.observe(c);
      });
    }
  }

  /* The districts' names at each one's pole of inaccessibility; a label that would overlap one
   * already placed (larger districts first) is hidden until the zoom makes room. Not interactive:
   * the district and the points under a label keep the mouse. */
  function districtLabels(map, geojson) {
    if (map._sqLabels) return;
    if (!map.getPane("sqLabels")) {
      map.createPane("sqLabels").style.zIndex = 450; /* above the canvas, below tooltips and popups */
    }
    var group = L.layerGroup().addTo(map);
    map._sqLabels = group;
    var items = geojson.features.map(function (f) {
      var span = el("span", "sq-district-label", f.properties.name);
      var marker = L.marker(f.properties.label, {
        icon: L.divIcon({ className: "sq-district-icon", html: span, iconSize: null }),
        interactive: false,
        keyboard: false,
        pane: "sqLabels",
      });
      marker.sanquName = f.properties.name;
      group.addLayer(marker);
      S.labels.push(marker);
      var b = S.districts[f.properties.code].getBounds(); /* the district's own layer: no second parse */
      return { marker: marker, size: (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth()) };
    });
    items.sort(function (a, b) {
      return b.size - a.size;
    });
    /* every label's box read in one pass (one layout), then every label shown or hidden: reads
     * and writes interleaved would lay the page out again for each label */
    function declutter() {
      var nodes = items.map(function (it) {
        return it.marker.getElement();
      });
      var rects = nodes.map(function (node) {
        return node ? node.firstChild.getBoundingClientRect() : null; /* visibility moves no box */
      });
      var placed = [];
      rects.forEach(function (r, i) {
        if (!r) return;
        var clash = placed.some(function (p) {
          return r.left < p.right + 4 && p.left < r.right + 4 && r.top < p.bottom + 2 && p.top < r.bottom + 2;
        });
        nodes[i].style.visibility = clash ? "hidden" : "visible";
        if (!clash) placed.push(r);
      });
    }
    map.on("zoomend moveend resize", declutter);
    declutter();
  }

  /* Name labels at given points (pane sqLabels: above the canvas, never taking the mouse). */
  function nameLabels(map, items, cls) {
    if (!map.getPane("sqLabels")) map.createPane("sqLabels").style.zIndex = 450;
    var group = L.layerGroup();
    items.forEach(function (it) {
      var span = el("span", cls, it.name);
      group.addLayer(
        L.marker(it.label, {
          icon: L.divIcon({ className: "sq-district-icon", html: span, iconSize: null }),
          interactive: false,
          keyboard: false,
          pane: "sqLabels",
        })
      );
    });
    return group;
  }

  /* The cities of a province, outlined heavier over the counties; not interactive (the county
   * under the mouse keeps its tooltip, a click reaches the map). opts.labels: the cities' names. */
  S.cities = function (geojson, opts, map) {
    var lines = L.geoJSON(geojson, {
      renderer: canvas(map),
      interactive: false,
      style: function () {
        return { color: "#1d1d1d", weight: 2.6, fill: false, interactive: false };
      },
    });
    var group = L.layerGroup([lines]);
    if (opts.labels) {
      group.addLayer(
        featureLabels(map, geojson, "sq-district-label sq-city-label")
      );
    }
    group.on("add", function () {
      lines.bringToFront();
    });
    S.cities.layer = lines;
    return group;
  };

  /* A county's townships as approximate areas (Voronoi cells of their seats, clipped to the
   * county): dashed and light, the chosen township highlighted, each labelled; the note that
   * they are approximate stays on the map (bottom left) and in every tooltip. */
  /* Name labels of a GeoJSON's features (properties name and label point). */
  function featureLabels(map, geojson, cls) {
    return nameLabels(
      map,
      geojson.features.map(function (f) {
        return { name: f.properties.name, label: f.properties.label };
      }),
      cls
    );
  }

  S.townships = function (geojson, opts, map) {
    S.townshipCells = {};
    var cells = L.geoJSON(geojson, {
      renderer: canvas(map),
      style: function (f) {
        var on = f.properties.code === opts.selected;
        return {
          color: on ? "#b3001b" : "#37474f",
          weight: on ? 3 : 1.2,
          dashArray: on ? null : "5 4",
          fill: true,
          fillColor: f.properties.fill || (on ? "#ffd166" : "#ffffff"),
          fillOpacity: f.properties.fill ? 0.75 : on ? 0.35 : 0.05,
        };
      },
      onEachFeature: function (f, lyr) {
        var p = f.properties;
        S.townshipCells[p.code] = lyr;
        lyr.bindTooltip(
          function () {
            return S.card(p.name, [["所属区县", p.county], ["指标", p.value || opts.values]], opts.note);
          },
          { sticky: true }
        );
        lyr.on("mouseover", function () {
          lyr.setStyle({ weight: 3, color: "#111" });
        });
        lyr.on("mouseout", function () {
          cells.resetStyle(lyr);
        });
      },
    });
    var group = L.layerGroup([cells]);
    group.addLayer(
      featureLabels(map, geojson, "sq-district-label sq-township-label")
    );
    var note = L.control({ position: "bottomleft" });
    note.onAdd = function () {
      var box = el("div", "sq-approx leaflet-control");
      box.appendChild(el("div", "sq-title", opts.note));
      if (opts.unplaced) box.appendChild(el("div", "sq-note", opts.unplaced));
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    group.on("add", function () {
      cells.bringToFront();
      if (S.cities.layer && S.cities.layer._map) S.cities.layer.bringToFront();
      note.addTo(map);
    });
    return group;
  };

  /* Legend: {title, unit, items: [[colour, label], ...], formula, note} */
  S.legend = function (map, spec) {
    var ctl = L.control({ position: "bottomright" });
    ctl.onAdd = function () {
      var box = el("div", "sq-legend leaflet-control");
      box.appendChild(el("div", "sq-title", spec.title));
      if (spec.unit) box.appendChild(el("div", "sq-note", "单位：" + spec.unit));
      var grid = el("div", "sq-legend-grid");
      spec.items.forEach(function (it) {
        var row = el("div", "sq-legend-row");
        var sw = el("span", "sq-swatch");
        sw.style.background = it[0];
        row.appendChild(sw);
        row.appendChild(el("span", null, it[1]));
        grid.appendChild(row);
      });
      box.appendChild(grid);
      if (spec.formula) box.appendChild(el("div", "sq-note sq-formula", spec.formula));
      if (spec.note) box.appendChild(el("div", "sq-note sq-hint", spec.note));
      /* on a short map these two lines give way to the layers' key: then on hover */
      box.title = [spec.formula, spec.note].filter(Boolean).join("\n");
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    ctl.addTo(map);
    return ctl;
  };

  /* The shown point layers' legend: [{title, shape: "dot"|"line", items: [[colour, label]],
   * cluster, note}]; nothing when no layer is shown. */
  S.pointLegend = function (map, sections) {
    if (!sections.length) return null;
    var ctl = L.control({ position: "topright" });
    ctl.onAdd = function () {
      var box = el("div", "sq-key leaflet-control");
      sections.forEach(function (sec) {
        var part = el("div", "sq-legend-section");
        part.appendChild(el("div", "sq-title", sec.title));
        var grid = el("div", "sq-legend-grid");
        sec.items.forEach(function (it) {
          var row = el("div", "sq-legend-row");
          var mark = el("span", sec.shape === "line" ? "sq-line" : "sq-dot");
          if (sec.shape === "line") mark.style.borderTopColor = it[0];
          else mark.style.background = it[0];
          row.appendChild(mark);
          row.appendChild(el("span", null, it[1]));
          grid.appendChild(row);
        });
        part.appendChild(grid);
        if (sec.cluster) {
          var row = el("div", "sq-legend-row sq-cluster-row");
          [
            ["small", "8"],
            ["medium", "42"],
            ["large", "150"],
          ].forEach(function (c) {
            var bubble = el("div", "sq-cluster marker-cluster marker-cluster-" + c[0]);
            var inner = el("div");
            inner.appendChild(el("span", null, c[1]));
            bubble.appendChild(inner);
            row.appendChild(bubble);
          });
          row.appendChild(el("span", null, sec.cluster));
          part.appendChild(row);
        }
        if (sec.note) part.appendChild(el("div", "sq-note", sec.note));
        box.appendChild(part);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    ctl.addTo(map);
    return ctl;
  };

  /* A metric scale bar and plain-text credits: Leaflet (no flag) and the boundaries' source. */
  S.furniture = function (map, credits) {
    /* the frame is sized by the page and our CSS may arrive after the map was made: follow the
     * container's real size (a change fires "resize", which refits an untouched view) */
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
      }).observe(map.getContainer());
    }
    /* the layers' key (top right) takes the height the choropleth's legend (bottom right) leaves */
    function sizeKey() {
      var box = map.getContainer();
      var key = box.querySelector(".sq-key");
      var legend = box.querySelector(".sq-legend");
      function room() {
        return Math.max(80, map.getSize().y - (legend ? legend.offsetHeight : 0) - 60);
      }
      if (!key) return;
      /* a short map: the legend's formula and hint give way (on hover), the key's rows closer */
      box.classList.remove("sq-short");
      key.style.maxHeight = "none";
      if (key.offsetHeight > room()) box.classList.add("sq-short");
      key.style.maxHeight = room() + "px";
    }
    map.on("resize", sizeKey);
    sizeKey();
    /* and again when the key or the legend changes size without the map (a layer's rows, a late
     * style): the state follows their final sizes, whatever came first. sizeKey's own change (the
     * key's max height, the short state) leaves the same sizes at the next look: no loop. */
    if (window.ResizeObserver) {
      var pending = false;
      var watch = new ResizeObserver(function () {
        if (pending) return;
        pending = true;
        requestAnimationFrame(function () {
          pending = false;
          sizeKey();
        });
      });
      map.getContainer().querySelectorAll(".sq-key, .sq-legend").forEach(function (c) {
        watch.observe(c);
      });
    }
    if (map._sqFit) fit(map, map._sqFit);
    map._sqFurnished = true;
    addLater(map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    if (map.attributionControl) {
      map.attributionControl.setPrefix(credits.prefix);
      credits.credits.forEach(function (c) {
        map.attributionControl.addAttribution(c);
      });
    }
  };

  /* Every layer on its map and every clustered layer done clustering (make bench times this). */
  S.drawn = function () {
    return Object.keys(S.layers).every(function (name) {
      var layer = S.layers[name];
      return layer._map && (!layer.options.chunkedLoading || layer._sqClustered);
    });
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
