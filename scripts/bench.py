"""make bench: time to build the store and server time of the overview's queries (figures only)."""

import statistics
import tempfile
import time
from pathlib import Path

from sanqu.context import Context
from sanqu.ingest import demo
from sanqu.metrics import overview
from sanqu.scope import Scope
from sanqu.storage import store
from sanqu.storage.db import Database


def timed(fn, repeat: int = 5) -> float:
    """Median wall time in milliseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def overview_queries(db: Database, ctx: Context) -> None:
    overview.headline(db, ctx)
    overview.district_table(db, ctx)
    for key in overview.HEADLINE:
        overview.trend(db, ctx, key)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        demo.write(folder / "registers")
        gen = time.perf_counter() - t0
        builds = [store.build(folder / "registers", folder / f"b{i}.duckdb").seconds for i in range(3)]
        report = store.build(folder / "registers", folder / "sanqu.duckdb")
        print(f"demo registers generated      {gen * 1000:8.0f} ms  ({sum(report.rows.values()):,} rows)")
        print(f"store build (median of 3)     {statistics.median(builds) * 1000:8.0f} ms")
        db = Database(folder / "sanqu.duckdb")
        period = db.periods()[-1]
        for label, scope in (("whole city", Scope.city()), ("one district 360822", Scope.of("360822"))):
            ctx = Context(scope, period)
            everything = timed(lambda c=ctx: overview_queries(db, c))
            kpis = timed(lambda c=ctx: overview.headline(db, c))
            print(f"overview queries, {label:20s} {everything:8.0f} ms (median of 5, uncached)")
            print(f"  headline KPIs only, {label:16s} {kpis:8.0f} ms")
        from scripts.bench_intake import main as intake_bench

        intake_bench()
        try:
            from scripts.bench_map import main as map_bench
        except ImportError:
            return
        map_bench(db, period)


if __name__ == "__main__":
    main()
