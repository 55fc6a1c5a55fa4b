"""make bench-national: a synthetic store at the scale of the whole country, and the server time
of the overview's queries on it for the nation, one province and one county (figures only).

The store has the real schema: every register table as `sanqu.storage.store` creates it, filled
with DuckDB SQL (generate_series, hash-based pseudo-random values: the same store every run),
then the real derived tables (units, links, unit_status, community_status…) by the store's own
`_derived`. It is built in a child process; its peak memory is the child's, the queries' the
parent's. The overview's queries are those `sanqu.figures.overview_page.figures` runs (per zone
`coverage_trend` by place, `overview.kpi`, and `overview.place_tables` for the quarter, 环比 and 同比)
through the real `Database` with a `Context`.

    python -m scripts.bench_national [--scale 1.0] [--keep DIR] [--repeat 3]
"""

import argparse
import datetime as dt
import functools
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# the 31 provincial units of the mainland
PROVINCES: tuple[int, ...] = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46)
PROVINCES += (50, 51, 52, 53, 54, 61, 62, 63, 64, 65)
CITIES, COUNTIES = 10, 9  # per province, per city: 31 × 10 × 9 = 2,790 counties (≈ 2,800)
ORGS = 5_200_000  # grassroots Party organisations (2023 bulletin: 5.176 million)
# Per county (about the national totals / 2,790): townships, parks, enterprises in parks,
# scenic sites, villages and communities; quarters of statistics in the store.
PER_COUNTY = {"townships": 14, "parks": 2, "enterprises": 540, "scenic": 11, "communities": 215}
QUARTERS = ("2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4")
TODAY = dt.date(2026, 12, 31)  # the day of the contexts: the last quarter's end


@dataclass(frozen=True)
class BenchScope:
    """A scope of county codes, duck-typed for `Database.query` (which reads `.codes`):
    `sanqu.scope.Scope` accepts only the units of the deployed region's pack."""

    codes: tuple[str, ...]
    label: str = ""
    township: str = ""  # a county-level scope (sanqu.scope.Scope's field)
    is_city: bool = False  # not the deployed region: its places are its counties (sanqu.metrics.places)

    @property
    def counties(self) -> tuple[str, ...]:
        return self.codes


def _u(expr: str, salt: int) -> str:
    """SQL for a pseudo-random number in [0, 1) from an integer expression: the same every run."""
    return f"((hash({expr} * 1000003 + {salt}) % 1000000) / 1000000.0)"


def _fill_sql(n: dict[str, int]) -> list[str]:
    """INSERT statements filling the register tables (which exist, empty) from generate_series."""
    provinces = "[" + ", ".join(str(p) for p in PROVINCES) + "]"
    per_province = CITIES * COUNTIES
    province = f"{provinces}[d // {per_province} + 1]"
    county = f"printf('%02d%02d%02d', {province}, (d // {COUNTIES}) % {CITIES} + 1, d % {COUNTIES} + 1)"
    towns, parks = PER_COUNTY["townships"], PER_COUNTY["parks"]
    e_per, s_per, c_per = PER_COUNTY["enterprises"], PER_COUNTY["scenic"], PER_COUNTY["communities"]
    quarters = "[" + ", ".join(f"'{q}'" for q in QUARTERS) + "]"
    e0, s0, c0 = 0, n["enterprises"], n["enterprises"] + n["scenic"]  # first org id of each zone
    return [
        f"CREATE TEMP TABLE c AS SELECT d, {county} AS code FROM generate_series(0, {n['counties'] - 1}) g(d)",
        "INSERT INTO districts SELECT code, '县' || code FROM c",
        f"""INSERT INTO townships SELECT code || printf('%03d', t + 1), '乡镇' || t, code,
            100 + (d % 90) * 0.3 + t * 0.01, 22 + (d // 90) * 0.6 + t * 0.01, 'geonames'
            FROM c, generate_series(0, {towns - 1}) g(t)""",
        f"""INSERT INTO parks SELECT 'P' || code || t, '园区' || code || t, code,
            CASE WHEN t = 0 THEN '国家级' ELSE '省级' END, NULL, NULL FROM c, generate_series(0, {parks - 1}) g(t)""",
        f"""INSERT INTO enterprises
            SELECT 'E' || lpad(i::VARCHAR, 8, '0'), '企业' || i, 'P' || c.code || (i % {parks}), c.code,
                   c.code || printf('%03d', i % {towns} + 1), '制造业',
                   CASE WHEN {_u("i", 1)} < 0.9 THEN '私营' WHEN {_u("i", 1)} < 0.95 THEN '股份制' ELSE '国有' END,
                   CASE WHEN {_u("i", 2)} < 0.3 THEN '规上' ELSE '规下' END,
                   10 + CAST({_u("i", 3)} * 500 AS BIGINT), CAST({_u("i", 4)} * 12 AS BIGINT),
                   DATE '2012-01-01' + CAST({_u("i", 5)} * 5000 AS INTEGER),
                   CASE WHEN {_u("i", 6)} < 0.05 THEN DATE '2025-01-01' + CAST({_u("i", 7)} * 700 AS INTEGER) END,
                   NULL, NULL
            FROM generate_series(0, {n["enterprises"] - 1}) g(i) JOIN c ON c.d = i // {e_per}""",
        f"""INSERT INTO scenic_sites
            SELECT 'S' || lpad(i::VARCHAR, 7, '0'), '景区' || i, '景区', NULL, c.code,
                   c.code || printf('%03d', i % {towns} + 1),
                   CASE WHEN {_u("i", 11)} < 0.05 THEN '4A' WHEN {_u("i", 11)} < 0.4 THEN '3A' ELSE '未评级' END,
                   20 + CAST({_u("i", 12)} * 300 AS BIGINT), CAST({_u("i", 13)} * 10 AS BIGINT),
                   DATE '2010-01-01' + CAST({_u("i", 14)} * 5000 AS INTEGER), NULL, NULL
            FROM generate_series(0, {n["scenic"] - 1}) g(i) JOIN c ON c.d = i // {s_per}""",
        f"""INSERT INTO communities
            SELECT 'C' || lpad(i::VARCHAR, 7, '0'), '社区' || i, c.code || printf('%03d', i % {towns} + 1), c.code,
                   CASE WHEN {_u("i", 21)} < 0.2 THEN '城市社区' ELSE '农村社区' END, 1 + {_u("i", 22)} * 20
            FROM generate_series(0, {n["communities"] - 1}) g(i) JOIN c ON c.d = i // {c_per}""",
        f"""INSERT INTO community_stats
            SELECT community_id, district, q, 300 + CAST(u * 2000 AS BIGINT), 20 + CAST(u * 100 AS BIGINT),
                   quarters, quarters_own, quarters_joint, LEAST(quarters - quarters_own - quarters_joint, 1),
                   quarters * 6, quarters * 2, two_new, two_new_own, 0, LEAST(two_new - two_new_own, 1),
                   CAST(u * 5 AS BIGINT)
            FROM (
                SELECT community_id, district, q, {_u("CAST(right(community_id, 7) AS BIGINT)", 31)} AS u,
                       2 + CAST(u * 8 AS BIGINT) AS quarters,
                       CAST((2 + CAST(u * 8 AS BIGINT)) * (0.4 + 0.05 * qi) AS BIGINT) AS quarters_own,
                       1 AS quarters_joint, 1 + CAST(u * 4 AS BIGINT) AS two_new,
                       CAST((1 + CAST(u * 4 AS BIGINT)) * 0.5 AS BIGINT) AS two_new_own
                FROM communities, unnest({quarters}) WITH ORDINALITY AS t(q, qi)
            )""",
        # Organisations: one per enterprise, scenic site and community (the ones that cover it,
        # when it is covered), then the rest of the country's (机关, 乡镇) up to ORGS.
        f"""INSERT INTO party_orgs
            SELECT 'O' || lpad(i::VARCHAR, 8, '0'), '党组织' || i,
                   CASE WHEN {_u("i", 41)} < 0.1 THEN '党总支' ELSE '党支部' END, NULL,
                   CASE WHEN i < {s0} THEN '工业园区' WHEN i < {c0} THEN '旅游景区'
                        WHEN i < {c0 + n["communities"]} THEN '城乡社区' ELSE '机关' END,
                   c.code,
                   CASE WHEN i >= {c0} OR {_u("i", 42)} < 0.7 THEN '单独组建'
                        WHEN i < {s0} THEN '企企合建' ELSE '景区联建' END,
                   NULL, 3 + CAST({_u("i", 43)} * 40 AS BIGINT),
                   DATE '2015-01-01' + CAST({_u("i", 44)} * 4000 AS INTEGER),
                   CASE WHEN {_u("i", 45)} < 0.02 THEN DATE '2025-06-01' + CAST({_u("i", 46)} * 500 AS INTEGER) END
            FROM (
                SELECT i, CASE WHEN i < {s0} THEN i // {e_per} WHEN i < {c0} THEN (i - {s0}) // {s_per}
                               WHEN i < {c0 + n["communities"]} THEN (i - {c0}) // {c_per}
                               ELSE i % {n["counties"]} END AS d
                FROM generate_series(0, {n["orgs"] - 1}) g(i)
            ) o JOIN c USING (d)""",
        f"""INSERT INTO org_coverage
            SELECT 'O' || lpad(i::VARCHAR, 8, '0'), 'enterprise', 'E' || lpad(i::VARCHAR, 8, '0'),
                   DATE '2016-01-01' + CAST({_u("i", 51)} * 3800 AS INTEGER)
            FROM generate_series({e0}, {s0 - 1}) g(i) WHERE {_u("i", 52)} < 0.65
            UNION ALL
            SELECT 'O' || lpad(i::VARCHAR, 8, '0'), 'scenic', 'S' || lpad((i - {s0})::VARCHAR, 7, '0'),
                   DATE '2016-01-01' + CAST({_u("i", 51)} * 3800 AS INTEGER)
            FROM generate_series({s0}, {c0 - 1}) g(i) WHERE {_u("i", 52)} < 0.8
            UNION ALL
            SELECT 'O' || lpad(i::VARCHAR, 8, '0'), 'community', 'C' || lpad((i - {c0})::VARCHAR, 7, '0'),
                   DATE '2016-01-01'
            FROM generate_series({c0}, {c0 + n["communities"] - 1}) g(i)""",
        f"""INSERT INTO instructors
            SELECT 'I' || substr(enterprise_id, 2), 'enterprise', enterprise_id, district, '机关干部',
                   DATE '2024-01-01' + CAST({_u("CAST(substr(enterprise_id, 2) AS BIGINT)", 61)} * 900 AS INTEGER), NULL
            FROM enterprises WHERE {_u("CAST(substr(enterprise_id, 2) AS BIGINT)", 62)} < 0.1""",
    ]


def counts(scale: float) -> dict[str, int]:
    """Rows per table at `scale` (1.0: the country)."""
    counties = max(CITIES * COUNTIES, round(len(PROVINCES) * CITIES * COUNTIES * scale))
    n = {"counties": counties, **{k: v * counties for k, v in PER_COUNTY.items() if k != "townships"}}
    n["orgs"] = max(round(ORGS * scale), n["enterprises"] + n["scenic"] + n["communities"])
    return n


def build(path: Path, scale: float) -> dict:
    """The synthetic store at `path` (run in a child process: its peak memory is the build's)."""
    import duckdb

    from sanqu.ingest.registers import REGISTERS, SQL_TYPES
    from sanqu.storage import store

    n = counts(scale)
    t0 = time.perf_counter()
    con = duckdb.connect(str(path), config={"memory_limit": "3GB", "threads": 2, "preserve_insertion_order": False})
    try:
        for reg in REGISTERS:
            cols = ", ".join(f'"{f.name}" {SQL_TYPES[f.type]}' for f in reg.fields)
            con.execute(f"CREATE TABLE {reg.name} ({cols})")
        steps = {}
        for sql in _fill_sql(n):
            t1 = time.perf_counter()
            con.execute(sql)
            steps[" ".join(sql.split()[:3])] = time.perf_counter() - t1
        t1 = time.perf_counter()
        store._derived(con, demo=True)  # the real derived tables: units, links, unit_status, …
        steps["derived tables (store._derived)"] = time.perf_counter() - t1
        rows = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
            for t in ("districts", "enterprises", "communities", "community_stats", "party_orgs", "org_coverage")
        }
        rows["unit_status"] = con.execute("SELECT count(*) FROM unit_status").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    return {"seconds": time.perf_counter() - t0, "rows": rows, "steps": steps}


def _build_in_child(path: Path, scale: float) -> dict:
    """`build` in a separate process (`--build-only`), which reports its result and peak memory."""
    cmd = [sys.executable, "-m", "scripts.bench_national", "--build-only", str(path), "--scale", str(scale)]
    done = subprocess.run(cmd, cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def overview_queries(db, ctx) -> None:
    """What `sanqu.figures.overview_page.figures` asks the store for one scope and quarter (its
    places: the nation's and a province's counties, a county's townships)."""
    from sanqu import periods
    from sanqu.metrics import overview

    known = db.periods()
    by_place = overview.place_trends(db, ctx)
    for key in overview.HEADLINE:
        overview.kpi(db, ctx, key, overview.totals_of(by_place[key], known))
    wanted = [ctx.period, periods.shift(ctx.period, -1), periods.shift(ctx.period, -4)]
    overview.place_tables(db, ctx, [p for p in wanted if p in known], by_place)


def _kpis(db, ctx) -> str:
    """The scope's headline figures, to show the queries count real rows."""
    from sanqu.metrics import overview

    kpis = overview.headline(db, ctx)
    return ", ".join(f"{k.indicator.zone} {k.numerator:,}/{k.denominator:,}" for k in kpis)


def timed(fn: Callable[[], None], repeat: int) -> tuple[float, float]:
    """(first run, median of `repeat` more) in milliseconds."""
    t0 = time.perf_counter()
    fn()
    first = (time.perf_counter() - t0) * 1000
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return first, statistics.median(runs)


def scopes(db) -> dict[str, BenchScope]:
    """The nation (every county), the first province (its 90 counties) and one county."""
    codes = tuple(
        r[0] for r in db.con.execute("SELECT district FROM districts ORDER BY 1").fetchall()
    )  # unscoped on purpose: the list of counties is what a scope is made of
    province = tuple(c for c in codes if c[:2] == codes[0][:2])
    return {
        "nation": BenchScope(codes, "全国"),
        "province": BenchScope(province, f"省 {codes[0][:2]}"),
        "county": BenchScope((codes[0],), codes[0]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scripts.bench_national")
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the country (1.0 = 2,790 counties)")
    ap.add_argument("--keep", type=Path, default=None, help="build the store in this folder and keep it")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--build-only", type=Path, default=None, help=argparse.SUPPRESS)  # the child's work
    args = ap.parse_args(argv)
    if args.build_only:
        result = build(args.build_only, args.scale)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sanqu-national-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "national.duckdb"
    path.unlink(missing_ok=True)
    try:
        return _run(path, args)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(path: Path, args) -> int:
    from sanqu.context import Context
    from sanqu.storage.db import Database

    built = _build_in_child(path, args.scale)
    for step, seconds in built["steps"].items():
        print(f"  build {step:<40} {seconds:8.1f} s")
    print("rows " + ", ".join(f"{t}={n:,}" for t, n in built["rows"].items()))
    print(
        f"store {path.stat().st_size / 1e6:,.0f} MB, built in {built['seconds']:.1f} s, "
        f"peak {built['peak_rss_mb']:.0f} MB"
    )
    db = Database(path)  # the app's settings: duckdb_memory_limit, duckdb_threads
    try:
        period = db.periods()[-1]
        figures = {}
        for name, scope in scopes(db).items():
            ctx = Context(scope, period, TODAY)  # type: ignore[arg-type]
            first, median = timed(functools.partial(overview_queries, db, ctx), args.repeat)
            figures[name] = median
            print(f"  {scope.label}: {_kpis(db, ctx)}")
            print(
                f"overview queries {name:<8} ({len(scope.codes):>5} counties): first {first:8.0f} ms, "
                f"then median of {args.repeat} {median:8.0f} ms"
            )
    finally:
        db.close()
    query_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = max(built["peak_rss_mb"], query_rss)
    print(f"peak RSS: build {built['peak_rss_mb']:.0f} MB, queries {query_rss:.0f} MB")
    print(
        f"orgs={built['rows']['party_orgs']} build_s={built['seconds']:.1f} peak_rss_mb={peak:.0f} "
        f"nation_ms={figures['nation']:.0f} province_ms={figures['province']:.0f} county_ms={figures['county']:.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
