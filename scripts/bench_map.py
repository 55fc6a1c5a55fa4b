"""Map figures for `make bench`: payload, server build time, and the naive way for comparison."""

import copy
import datetime as dt
import time

import folium
from streamlit_folium import _get_map_string

from sanqu.context import Context
from sanqu.mapping import mapdata, webmap
from sanqu.scope import Scope
from sanqu.storage.db import Database
from scripts.bench import timed

TODAY = dt.date(2026, 11, 26)
ALL = webmap.MapOptions(layers=tuple(webmap.LAYERS))
# The naive map's points: these point layers' frames (webmap.POINT_LAYERS), one marker each. Our map
# with these layers, less our map with none (districts, labels, legends): the same points our way.
NAIVE_LAYERS = ("enterprises", "communities", "scenic", "parks")
NAIVE_FRAMES = tuple(webmap.POINT_LAYERS[key][0] for key in NAIVE_LAYERS)


def _naive(db: Database, period: str) -> folium.Map:
    """The same points, one folium.Marker with an HTML popup each."""
    m = folium.Map(location=[27.1, 114.9], zoom_start=8, tiles=None)
    ctx = Context(Scope.city(), period, TODAY)
    frames = [f(db, ctx) for f in NAIVE_FRAMES]
    for df in frames:
        for name, x, y in zip(df["name"], df["x"], df["y"]):
            folium.Marker([y, x], popup=folium.Popup(str(name)), tooltip=str(name)).add_to(m)
    return m


def kept_as_the_app(db: Database, period: str):
    """build's loaders as the app's (ui.mapview.rendered) with everything of the quarter kept: the
    region's frames and point layers (made once, untimed), the scope's relation lines. What a
    district change on the map costs once the quarter's map has been drawn for anyone."""
    city = Context(Scope.city(), period, TODAY)
    frames: dict = {}
    layers: dict = {}

    def frame(fn, ctx, *args):
        key = (fn, ctx.scope.codes, args)
        if key not in frames:
            frames[key] = fn(db, ctx, *args)
        return frames[key]

    def region(key: str, gcj: bool):
        if (key, gcj) not in layers:
            layers[key, gcj] = webmap.region_layer(db, city, key, gcj, lambda fn: frame(fn, city))
        return layers[key, gcj]

    def build(ctx: Context, opts: webmap.MapOptions):
        load = lambda fn, *args: mapdata.in_scope(frame(fn, city, *args), ctx.scope)  # noqa: E731
        return webmap.build(db, ctx, opts, load, region=region, exact=lambda fn: frame(fn, ctx))

    return build


def main(db: Database, period: str) -> None:
    city = Context(Scope.city(), period, TODAY)
    build = timed(lambda: webmap.build(db, city, ALL))
    kept = kept_as_the_app(db, period)
    one_ctx = Context(Scope.of("360822"), period, TODAY)
    kept(city, ALL), kept(one_ctx, ALL)  # the quarter's frames and layers made once (untimed)
    kept_city = timed(lambda: kept(city, ALL))
    kept_one = timed(lambda: kept(one_ctx, ALL))
    m = webmap.build(db, city, ALL)
    render = timed(lambda: _get_map_string(copy.deepcopy(m)))
    html = m.get_root().render()
    points = sum(len(f(db, city)) for f in NAIVE_FRAMES)
    one = timed(lambda: webmap.build(db, Context(Scope.of("360822"), period, TODAY), ALL))
    print(f"map build, whole city, all layers {build:8.0f} ms (median of 5; data + folium objects)")
    print(f"map to st_folium script, cached   {render:8.0f} ms (median of 5; what each rerun of the map costs)")
    print(f"map build, one district 360822    {one:8.0f} ms")
    print(f"map build, quarter's layers kept  {kept_city:8.0f} ms whole city, {kept_one:.0f} ms 360822 (as the app)")
    print(f"map payload, whole city, all on   {len(html.encode()) / 1e6:8.2f} MB HTML ({points:,} points + edges)")
    t0 = time.perf_counter()
    naive = _naive(db, period)
    naive_html = naive.get_root().render()
    naive_ms = (time.perf_counter() - t0) * 1000
    print(f"naive: one folium.Marker each     {naive_ms:8.0f} ms, {len(naive_html.encode()) / 1e6:.2f} MB HTML")
    print(f"  ratio naive / ours: time {naive_ms / build:.1f}x, size {len(naive_html) / len(html):.1f}x")
    print(f"  ratio naive / ours with the quarter's layers kept (whole city): time {naive_ms / kept_city:.1f}x")
    base, same = (webmap.build(db, city, webmap.MapOptions(layers=keys)) for keys in ((), NAIVE_LAYERS))
    _browser(m, naive, points, {"base": base, "same": same})


def _browser(ours: folium.Map, naive: folium.Map, points: int, more: dict[str, folium.Map]) -> None:
    """Navigation to every point drawn, in chromium (skipped without one)."""
    from scripts.bench_map_browser import JQUERY, drawn_ms, marked, offline
    from scripts.chromium import executable

    if not executable() or not JQUERY.is_file():
        print("browser draw: skipped (needs Debian's chromium and libjs-jquery for the naive map)")
        return
    extra = {name: marked(m.get_root().render()) for name, m in more.items()}
    naive_html = marked(offline(naive).get_root().render())
    t, made = drawn_ms(ours.get_root().render(), naive_html, points, repeat=5, more=extra)
    print(f"browser, navigation to drawn: ours {t['ours']:6.0f} ms (every layer), naive {t['naive']:6.0f} ms")
    print(f"  ratio naive / ours in the browser: {t['naive'] / t['ours']:.1f}x (median of 5, chromium)")
    print(f"  floors: a blank page {t['blank']:.0f} ms, Leaflet's empty map {t['empty']:.0f} ms (loaded + 2 frames)")
    print(
        f"  50x the naive map is {t['naive'] / 50:.0f} ms; the most any map can be: {t['naive'] / t['blank']:.0f}x"
        f" (blank page), a Leaflet map {t['naive'] / t['empty']:.0f}x"
    )
    past = {k: t[k] - t["empty"] for k in ("ours", "naive")}
    print(f"  past the empty Leaflet map: ours {past['ours']:.0f} ms, the naive {past['naive']:.0f} ms")
    ours_points, naive_points = made["same"] - made["base"], made["naive"]
    print(
        f"  the points alone, from the map made to drawn: ours {ours_points:.0f} ms (our map with the naive's"
        f" {points:,} points, less our map without them: {made['same']:.0f} - {made['base']:.0f}), the naive"
        f" {naive_points:.0f} ms: {_ratio(naive_points, ours_points)}"
    )


def _ratio(naive: float, ours: float) -> str:
    """naive / ours, or what it is at least when ours is within a millisecond of nothing."""
    return f"{naive / ours:.1f}x" if ours >= 1 else f"over {naive:.0f}x (ours under 1 ms)"
