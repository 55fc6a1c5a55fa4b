"""The map's view in the URL: centre (lat, lon) and zoom (z); the map rendered once per choice."""

from dataclasses import dataclass

import streamlit as st
import streamlit_folium as sf
from folium.elements import JSCSSMixin

from sanqu import geography
from sanqu.context import Context
from sanqu.mapping import basemaps, drill, mapdata, webmap
from sanqu.mapping.gcj02 import gcj2wgs
from sanqu.scope import Scope
from sanqu.storage.db import Database
from ui.data import cached, kept
from ui.filters import request_district


@dataclass(frozen=True)
class View:
    center: tuple[float, float] | None
    zoom: float | None


def _float(value: str | None, lo: float, hi: float) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except ValueError:
        return None
    return x if lo <= x <= hi else None


def _from_url() -> View:
    qp = st.query_params
    lat, lon, zoom = _float(qp.get("lat"), 20, 32), _float(qp.get("lon"), 108, 121), _float(qp.get("z"), 6, 18)
    if lat is not None and lon is not None and zoom is not None:
        return View((lat, lon), zoom)
    if any(k in qp for k in ("lat", "lon", "z")):
        st.warning("链接中的地图视图（lat/lon/z）无效，已显示默认范围。")
    return View(None, None)


def initial_view(scope_key: str) -> View:
    """The view the map is built with: from the URL on first load, then kept while the
    person pans (the browser moves the map; rebuilding it would reload it). A new district
    scope drops the centre so that the map fits the new district."""
    saved = st.session_state.get("map_view")
    if saved is None:
        saved = (scope_key, _from_url())
    elif saved[0] != scope_key:
        saved = (scope_key, View(None, None))
        for k in ("lat", "lon", "z"):
            st.query_params.pop(k, None)
    st.session_state["map_view"] = saved
    return saved[1]


def remember_view(out: dict) -> None:
    """Write the live centre and zoom to the URL (the map itself is not rebuilt)."""
    center, zoom = out.get("center"), out.get("zoom")
    if center and zoom:
        st.query_params["lat"] = f"{center['lat']:.4f}"
        st.query_params["lon"] = f"{center['lng']:.4f}"
        st.query_params["z"] = f"{float(zoom):g}"


# --- the map, rendered once per choice ------------------------------------------------------------
# st_folium renders the whole folium map to its script on every rerun (≈ 100–160 ms for the city,
# a regex and a hash over ≈ 0.5 MB each time). The rendered arguments depend only on the choice
# (scope, quarter, indicator, layers, basemap, view): they are cached with the map, and each rerun
# hands the same strings to st_folium's own component.

KEY = "sanqu_map"
RETURNED = ("last_clicked", "center", "zoom")


def _bounds(b: list) -> dict:
    (s, w), (n, e) = b
    return {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}}


def scoped(fn, ctx: Context, *args):
    """`fn(db, ctx, *args)` of sanqu.mapping.mapdata as the city's cached frame narrowed to the
    scope (`mapdata.in_scope`): a district change on the map runs no query."""
    return mapdata.in_scope(cached(fn, Context(Scope.city(), ctx.period, ctx.today), *args), ctx.scope)


def _region_layer(db: Database, ctx: Context, key: str, gcj: bool) -> webmap.RegionLayer | None:
    """`webmap.region_layer` made from the city's cached frame (`kept`: one per quarter and layer)."""
    return webmap.region_layer(db, ctx, key, gcj, lambda fn: cached(fn, ctx))


def rendered(db: Database, ctx: Context, opts: webmap.MapOptions) -> dict:
    """The st_folium component's arguments for the map of `opts` (what st_folium would send). The
    point layers are the region's, made once per quarter and cut to the scope's districts: a district
    change on the map makes no point layer again."""
    area = webmap.area_context(ctx)  # a township: its county's frames
    city = Context(Scope.city(), ctx.period, ctx.today)
    m = webmap.build(
        db,
        ctx,
        opts,
        lambda fn, *args: scoped(fn, area, *args),
        region=lambda key, gcj: kept(_region_layer, city, key, gcj),
        exact=lambda fn: cached(fn, area),
    )
    m.get_root().render()  # once: header and html for st_folium's component, links below
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    links: dict[str, list[str]] = {"css": [], "js": []}
    for elem in _walk(m):
        links["css"] += [href for _, href in getattr(elem, "default_css", [])]
        links["js"] += [src for _, src in getattr(elem, "default_js", [])]
    try:
        bounds = m.get_bounds()
    except AttributeError:
        bounds = [[None, None], [None, None]]
    defaults = {"last_clicked": None, "bounds": _bounds(bounds), "zoom": m.options.get("zoom")}
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": sf.get_full_id(m),
        "hash": sf.generate_js_hash(script, KEY, False),
        "default": {k: v for k, v in defaults.items() if k in RETURNED},
        "css_links": list(dict.fromkeys(links["css"])),
        "js_links": list(dict.fromkeys(links["js"])),
    }


def _walk(fig):
    if isinstance(fig, JSCSSMixin):
        yield fig
    for child in getattr(fig, "_children", {}).values():
        yield from _walk(child)


def apply_click() -> None:
    """The map's on_change (and the map page's first step, before the sidebar is drawn): a new
    click selects the unit one level down where it falls (the city of the province, the county of
    a city, the township area of a county: `drill.target`) by setting the sidebar's district;
    a click outside the viewer's scope selects nothing (`request_district`)."""
    state = st.session_state.get(KEY) or {}
    click = state.get("last_clicked")
    if not click:
        return
    st.session_state[KEY] = {**state, "last_clicked": None}  # taken: never applied again at the next level
    lon, lat = click["lng"], click["lat"]
    base = basemaps.BASEMAPS.get(st.session_state.get("basemap") or "")
    if base is not None and base.gcj:
        lon, lat = gcj2wgs(lon, lat)
    current = st.session_state.get("district") or geography.region_code()
    code = drill.target(current, lon, lat)
    if code:
        request_district(code)


def live_map(args: dict, height: int, on_change) -> dict:
    """st_folium's component with the cached arguments (its key, its return value and its
    session_state entry as st_folium makes them)."""
    hash_key = args["hash"]

    def changed() -> None:
        st.session_state[KEY] = st.session_state.get(hash_key, {})
        on_change()

    return sf._component_func(
        script=args["script"],
        header=args["header"],
        html=args["html"],
        id=args["id"],
        key=hash_key,
        height=height,
        width=None,
        returned_objects=list(RETURNED),
        default=args["default"],
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=args["css_links"],
        js_links=args["js_links"],
        on_change=changed,
        wrap_longitude=False,
    )
