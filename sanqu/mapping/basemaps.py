"""Optional basemaps (tiles are off by default: the product works with no tile server).

Enable with the basemaps setting (SANQU_BASEMAPS=tianditu,amap,osm, or an intranet tile server
through SANQU_TILE_URL). Amap tiles are GCJ-02: the map converts its points and polygons.
"""

from dataclasses import dataclass, replace

import folium

from sanqu import settings


@dataclass(frozen=True)
class Basemap:
    key: str
    label: str
    url: str
    attribution: str
    gcj: bool = False
    subdomains: str = "abc"
    needs_key: str = ""  # the setting holding the tile key


BASEMAPS = {
    "tianditu": Basemap(
        "tianditu",
        "天地图 矢量",
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
        "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "© 天地图",
        subdomains="01234567",
        needs_key="tianditu_key",
    ),
    "amap": Basemap(
        "amap",
        "高德 矢量（GCJ-02）",
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "© 高德地图",
        gcj=True,
        subdomains="1234",
    ),
    "osm": Basemap(
        "osm", "OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"
    ),
    "intranet": Basemap("intranet", "内网瓦片服务", "", "内网瓦片"),  # url: the tile_url setting
}


def basemap(key: str) -> Basemap | None:
    """A basemap with its URL as configured now (the intranet one comes from the settings)."""
    base = BASEMAPS.get(key)
    if base is not None and key == "intranet":
        base = replace(base, url=settings.get("tile_url"))
    return base


def enabled() -> list[str]:
    """Basemaps switched on in the environment (none by default)."""
    return [k for k in settings.get_list("basemaps") if (base := basemap(k)) is not None and base.url]


def tile_keys() -> dict[str, str]:
    return {b.needs_key: settings.get(b.needs_key) for b in BASEMAPS.values() if b.needs_key}


def add(m: folium.Map, base: Basemap, keys: dict[str, str]) -> None:
    url = base.url.replace("{key}", keys.get(base.needs_key, "")) if base.needs_key else base.url
    folium.TileLayer(
        url, attr=base.attribution, name=base.label, subdomains=base.subdomains, overlay=False, control=False
    ).add_to(m)
