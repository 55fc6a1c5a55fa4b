"""地图: the district choropleth and the three zones' layers; view and layers in the URL."""

from dataclasses import replace

import streamlit as st

from sanqu import fmt
from sanqu.areas.zones import ZONE_OPTIONS
from sanqu.geography import district_name
from sanqu.mapping import basemaps, drill, mapdata
from sanqu.mapping.webmap import DEFAULT_LAYERS, LAYERS, MapOptions, area_context
from sanqu.metrics.indicators import CATALOGUE, indicator
from ui import assets
from ui.data import cached_resource
from ui.filters import url_pills, url_select
from ui.layout import page
from ui.mapview import apply_click, initial_view, remember_view, rendered, scoped
from ui.mapview import live_map as live_map_component
from ui.runlog import timed
from ui.widgets import download_map

st.html(assets.style("map-page.css", {}))
st.html(assets.script("map-fit.js"), unsafe_allow_javascript=True)  # the map as tall as the window
apply_click()  # a click the map's callback has not seen (the script run before the sidebar)
f = page("三区地图", compact=True, township=True)  # a township: its county's map, its area marked
MAP_ZONES = {**ZONE_OPTIONS, "sites": "示范点"}
district = st.session_state["district"]  # as the sidebar shows it in this run
enabled = basemaps.enabled()
with st.container(key="sq_controls"):  # one row: the map gets the rest of the window
    cols = st.columns([1, 1.5, 1, 4] if enabled else [1, 1.5, 4], vertical_alignment="bottom")
    with cols[0]:
        zone = url_select("领域", list(MAP_ZONES), "zone", "all", MAP_ZONES.get)
    keys = [i.key for i in CATALOGUE if zone == "all" or i.zone == zone]
    with cols[1]:
        key = url_select("指标", keys, "indicator", keys[0], lambda k: indicator(k).title)
    base = ""
    if enabled:  # with no basemap configured there is nothing to choose (the map is offline)
        with cols[2]:
            base = url_select(
                "底图", ["", *enabled], "basemap", "", lambda b: basemaps.BASEMAPS[b].label if b else "无底图（离线）"
            )
    with cols[-1]:
        layers = url_pills("图层", LAYERS, "layers", DEFAULT_LAYERS)
view = initial_view(f.scope_key)
options = MapOptions(
    indicator=key,
    layers=layers,
    basemap=base,
    center=view.center,
    zoom=view.zoom,
    tile_keys=basemaps.tile_keys(),
)


@st.fragment
@timed("map", "live_map")
def live_map() -> None:
    args = cached_resource(rendered, f.ctx, options)  # built and rendered once per choice
    with st.container(key="sq_map"):
        out = live_map_component(args, options.height, apply_click)
    remember_view(out)
    if st.session_state["district"] != district:  # set by clicked(): redraw the page for it
        st.rerun(scope="app")


live_map()

if f.scope.township:
    st.caption(
        f"{drill.APPROX_NOTE}。指标暂不按乡镇计算：地图与下表为所在区县{district_name(f.scope.counties[0])}的数据。"
    )
values = scoped(mapdata.district_values, area_context(f.ctx), key)  # the city's frame, narrowed
table = values.assign(区县=values["district"].map(district_name), 比率=values["rate"].map(fmt.pct))
st.dataframe(
    table.rename(columns={"district": "区县代码", "numerator": "分子", "denominator": "分母"})[
        ["区县代码", "区县", "分子", "分母", "比率"]
    ],
    key="map_table",
    hide_index=True,
)
download_map(replace(f, ctx=area_context(f.ctx)), values, key, layers)  # a township: its county's
