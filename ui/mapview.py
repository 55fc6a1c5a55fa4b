"""The map's view in the URL: centre (lat, lon) and zoom (z)."""

from dataclasses import dataclass

import streamlit as st


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
