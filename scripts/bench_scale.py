"""make bench SCALE=N: the demo ×N built into a temporary store (never data/), then the server
time of every page's queries (uncached: the median of 3 calls, each a first call, for nothing in
sanqu caches a query) and of the map (figures only).

    python -m scripts.bench_scale 100 [--keep DIR]

The store is built by the real build (sanqu.storage.store.build: every check of the loader) in a
child process, so that its peak RSS is the build's own. The pages' queries are the functions the
pages call (sanqu/figures/*_page.py, sanqu/areas, sanqu/programmes, sanqu/reports/screen) with the
pages' default filters, for the whole city and for one district; the map is what ui.mapview
renders for st_folium (the data, the folium map and its script), every layer on.
Last line: scale=N build_s=X rss_mb=Y max_page_ms=Z map_mb=W.
"""

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sanqu import periods
from sanqu.context import Context
from sanqu.ingest import demo, scaled
from sanqu.scope import Scope
from sanqu.storage.db import Database

TODAY = dt.date(2026, 11, 26)
DISTRICT = "360822"  # 吉水县
Query = Callable[[Database, Context], object]


def _build_child(folder: str, db: str) -> None:
    """In the child: the real build; prints its report as JSON."""
    from sanqu.storage import store

    report = store.build(Path(folder), Path(db))
    print(json.dumps({"seconds": report.seconds, "rows": report.rows, "demo": report.demo}))


def build(folder: Path, db: Path) -> tuple[dict, float]:
    """(the build's report with the child's CPU seconds, the child's peak RSS in MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, "-m", "scripts.bench_scale", "--build-child", str(folder), str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    report["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return report, after.ru_maxrss / 1024


def pages(period: str) -> dict[str, list[tuple[str, Query]]]:
    """Every page's queries with the page's default filters: page -> [(name, fn(db, ctx))]."""
    from sanqu.areas import communities as cm
    from sanqu.areas import parks as pk
    from sanqu.areas import scenic as sc
    from sanqu.areas.zones import ALL
    from sanqu.figures import community_page, overview_page, park_page, scenic_page
    from sanqu.programmes import mechanism_tables, sites
    from sanqu.programmes import mechanisms as mech
    from sanqu.reports import screen

    compare = periods.shift(period, -1)
    shown = tuple(sites.STATUS_MARKS)
    quarters = mechanism_tables.visit_quarters(list(periods.span(demo.FIRST_PERIOD, period)), TODAY)
    out: dict[str, list[tuple[str, Query]]] = {
        "overview": [("overview_page.figures", overview_page.figures)],
        "parks": [
            ("parks.parks", pk.parks),
            ("parks.industries", pk.industries),
            ("park_page.figures", lambda db, c: park_page.figures(db, c, ALL, ALL, ALL)),
            ("park_page.tree", lambda db, c: park_page.tree(db, c, ALL, c.scope.label)),
            ("list gaps", lambda db, c: pk.select(pk.enterprise_list(db, c, ALL, ALL, ALL, "gaps"), "gaps")),
        ],
        "communities": [
            ("communities.townships", cm.townships),
            ("community_page.figures", lambda db, c: community_page.figures(db, c, ALL, ALL, compare)),
            ("list upgrade", lambda db, c: cm.select(cm.star_changes(db, c, compare, ALL, ALL, "upgrade"), "upgrade")),
        ],
        "scenic": [
            ("scenic_page.figures", lambda db, c: scenic_page.figures(db, c, ALL, ALL)),
            ("list gaps", lambda db, c: sc.select(sc.scenic_list(db, c, ALL, ALL), "gaps")),
        ],
        "sites": [
            ("site page, board view", lambda db, c: _site_page(db, c, ALL, shown)),
            ("sites.red_flag", lambda db, c: sites.red_flag(db, c, ALL)),
        ],
        "mechanisms:contacts": [
            ("contact_points", lambda db, c: mech.contact_points(db, c, ALL)),
            ("visits_by_quarter", lambda db, c: mech.visits_by_quarter(db, c, quarters, ALL)),
            ("points_without_visit", lambda db, c: mech.points_without_visit(db, c, ALL)),
        ],
        "mechanisms:pairings": [("pairings", lambda db, c: mech.pairings(db, c, ALL))],
        "mechanisms:cadres": [
            ("cadre_summary", lambda db, c: mech.cadre_summary(db, c, ALL)),
            *[
                (f"cadre_breakdown {f}", lambda db, c, f=f: mech.cadre_breakdown(db, c, f, ALL))
                for f in mech.CADRE_FIELDS
            ],
            ("cadres_by_district", lambda db, c: mech.cadres_by_district(db, c, ALL)),
        ],
        "mechanisms:venues": [("venues", lambda db, c: mech.venues(db, c, ALL))],
        "mechanisms:activities": [("activities", lambda db, c: mech.activities(db, c, ALL))],
        "mechanisms:assessment": [("assessment", lambda db, c: mech.assessment(db, c, ALL))],
    }
    for key in screen.VIEWS:
        out[f"screen:{key}"] = [(f"screen.build {key}", _screen_view(key))]
    return out


def _site_page(db: Database, ctx: Context, zone: str, shown: tuple[str, ...]) -> object:
    """What 示范点 reads on a first visit (board view; its timeline reads the same milestones),
    through a fresh cache as the page's `cached` serves it (ui.site_ui: the board and the lists
    share the site table and the milestones)."""
    from sanqu.figures import site_page
    from sanqu.programmes import sites

    fetch = memo(db)
    return (
        fetch(sites.site_table, ctx, zone),
        *sites.needs_attention(db, ctx, zone, fetch),
        site_page.board(db, ctx, zone, shown, fetch=fetch),
        fetch(sites.inspections, ctx, zone),
    )


def _screen_view(key: str) -> Query:
    """One view of the big screen, built with a fresh cache (`memo`)."""

    def build(db: Database, ctx: Context) -> object:
        from sanqu.reports import screen

        return screen.build(db, ctx, key, 1.0, memo(db))

    return build


def memo(db: Database) -> Callable:
    """A fresh cache for one screen view, as the app's `cached` serves it: empty at the start (the
    first call), so a query the view asks for twice (a zone's counts for three KPIs) runs once."""
    seen: dict = {}

    def fetch(fn, ctx, *args):
        key = (fn, ctx, args)
        if key not in seen:
            seen[key] = fn(db, ctx, *args)
        return seen[key]

    return fetch


REPEAT = 3  # each page's queries run this many times (each a first call: nothing is cached): the median


def time_page(
    db: Database, ctx: Context, queries: list[tuple[str, Query]], repeat: int = 1
) -> tuple[float, list[tuple[str, float]]]:
    """(total ms, [(query, ms)]) of one page's queries, each called `repeat` times: the medians (on a
    shared machine one sample is noise)."""
    parts = []
    for name, fn in queries:
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(db, ctx)
            samples.append((time.perf_counter() - t0) * 1000)
        parts.append((name, statistics.median(samples)))
    return sum(ms for _, ms in parts), parts


def map_figures(db: Database, period: str, scope: Scope) -> tuple[float, float, float, dict]:
    """(data ms, map build + render ms, payload MB, points per layer) of the map, every layer on,
    as ui.mapview builds it: the city's frames narrowed to the scope."""
    import streamlit_folium as sf

    from sanqu.mapping import mapdata, webmap

    city, ctx = Context(Scope.city(), period, TODAY), Context(scope, period, TODAY)
    queries = {
        "enterprises": mapdata.enterprises,
        "communities": mapdata.communities,
        "scenic": mapdata.scenic,
        "parks": mapdata.parks,
        "sites": mapdata.demo_sites,
    }
    frames: dict = {}
    t0 = time.perf_counter()
    for fn in queries.values():
        frames[fn] = fn(db, city)
    frames[mapdata.district_values] = mapdata.district_values(db, city, "park_org")
    data_ms = (time.perf_counter() - t0) * 1000

    def load(fn, *args):
        return mapdata.in_scope(frames[fn] if fn in frames else fn(db, city, *args), scope)

    t0 = time.perf_counter()
    m = webmap.build(db, ctx, webmap.MapOptions(layers=tuple(webmap.LAYERS)), load)
    m.get_root().render()
    payload = sf._get_map_string(m) + sf._get_html(m) + sf._get_header(m)
    build_ms = (time.perf_counter() - t0) * 1000
    points = {k: len(mapdata.in_scope(frames[fn], scope)) for k, fn in queries.items()}
    return data_ms, build_ms, len(payload.encode()) / 1e6, points


def warm(db: Database, period: str) -> None:
    """Every page and the map once for another quarter, untimed: Python's imports, plotly's templates
    and the outlines (as in a running app) are loaded; no query result is kept anywhere."""
    for queries in pages(period).values():
        time_page(db, Context(Scope.city(), period, TODAY), queries)
    map_figures(db, period, Scope.of(DISTRICT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("scale", type=int, nargs="?", default=100)
    ap.add_argument("--keep", help="build in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--store", help="time the pages and the map of this built store only (no build)")
    ap.add_argument("--build-child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build_child:
        _build_child(*args.build_child)
        return
    if args.store:
        measure(Database(Path(args.store)), args.scale, {"seconds": float("nan")}, float("nan"))
        return
    with tempfile.TemporaryDirectory(prefix="sanqu-scale-") as tmp:
        run(args.scale, Path(args.keep) if args.keep else Path(tmp))


def run(n: int, folder: Path) -> None:
    t0 = time.perf_counter()
    demo.write(folder / "demo")
    counts = scaled.write(folder / "registers", n, folder / "demo")
    print(f"demo ×{n} registers written        {time.perf_counter() - t0:8.1f} s  ({sum(counts.values()):,} rows)")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if v))
    report, rss = build(folder / "registers", folder / "sanqu.duckdb")
    print(
        f"store build (real loader, child)  {report['seconds']:8.1f} s  peak RSS {rss:,.0f} MB"
        f"  (CPU {report['cpu']:.1f} s: the machine's other work shows as wall time above it)"
    )
    measure(Database(folder / "sanqu.duckdb"), n, report, rss)


def measure(db: Database, n: int, report: dict, rss: float) -> None:
    """Every page's queries and the map, then the summary line."""
    period = db.periods()[-1]
    warm(db, db.periods()[-2])
    worst = 0.0
    print(f"\npage queries, uncached, median of {REPEAT} ({period}; ms)  whole city   {DISTRICT}")
    for page, queries in pages(period).items():
        totals, slow = [], []
        for scope in (Scope.city(), Scope.of(DISTRICT)):
            total, parts = time_page(db, Context(scope, period, TODAY), queries, REPEAT)
            totals.append(total)
            slow += parts
        worst = max(worst, *totals)
        top = max(slow, key=lambda p: p[1])
        print(f"  {page:26s} {totals[0]:10.0f} {totals[1]:10.0f}   slowest: {top[0]} {top[1]:.0f} ms")
    city_map = map_figures(db, period, Scope.city())
    one_map = map_figures(db, period, Scope.of(DISTRICT))
    for label, (data_ms, build_ms, mb, points) in (("whole city", city_map), (DISTRICT, one_map)):
        print(
            f"map, {label:10s} every layer: data {data_ms:6.0f} ms, build+render {build_ms:6.0f} ms, "
            f"payload {mb:6.2f} MB  ({', '.join(f'{k} {v:,}' for k, v in points.items())})"
        )
    build_s, map_mb = report["seconds"], city_map[2]
    print(f"scale={n} build_s={build_s:.1f} rss_mb={rss:.0f} max_page_ms={worst:.0f} map_mb={map_mb:.2f}")


if __name__ == "__main__":
    main()
