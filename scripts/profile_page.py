"""Profile one page's script runs in-process (AppTest + cProfile inside the script thread).

    python -m scripts.profile_page parks [--district 360802] [--period 2026Q2] [--top 40]

Runs the page as make bench-pages does (open, district, back to the city, district again,
period) and prints each step's server time as the app logs it (`script run … ms=`, the figure
make bench-pages reads), then the cProfile of the chosen step(s) sorted by cumulative time.
Figures only; nothing is asserted.
"""

import argparse
import cProfile
import logging
import os
import pstats
import re
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from sanqu.geography import CITY_CODE, DISTRICTS
from sanqu.paths import db_path
from sanqu.storage.db import Database

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {"overview": "views/overview.py"}
STEPS = ("first", "district", "back", "repeat", "period")
RUN = re.compile(r"script run page=\S+(?: fragment=\S+)? ms=([\d.]+)")


class Runs(logging.Handler):
    """The server ms of the app's logged script runs since the last `take`."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.ms: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if m := RUN.search(record.getMessage()):
            self.ms.append(float(m[1]))

    def take(self) -> float:
        total, self.ms = sum(self.ms), []
        return total


class Profiler:
    """cProfile around every ScriptRunner._run_script (the script runs in its own thread)."""

    def __init__(self) -> None:
        self.on = False
        self.stats: pstats.Stats | None = None
        original = script_runner.ScriptRunner._run_script
        me = self

        def run(runner, rerun_data):
            if not me.on:
                return original(runner, rerun_data)
            prof = cProfile.Profile()
            prof.enable()
            try:
                return original(runner, rerun_data)
            finally:
                prof.disable()
                me.stats = pstats.Stats(prof) if me.stats is None else me.stats.add(prof) or me.stats

        script_runner.ScriptRunner._run_script = run  # type: ignore[method-assign]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("page")
    ap.add_argument("--district", default=next(iter(DISTRICTS)))
    ap.add_argument("--period", default=None)
    ap.add_argument("--profile", default="district", help="comma list of steps to profile, or 'none'")
    ap.add_argument("--top", type=int, default=45)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--warm", action="store_true", help="visit other districts first (warm Python)")
    args = ap.parse_args()
    os.environ.setdefault("SANQU_TODAY", "2026-11-26")
    os.environ.setdefault("SANQU_LOG_LEVEL", "INFO")
    runs = Runs()
    logging.getLogger("sanqu").addHandler(runs)
    prof = Profiler()
    page = VIEWS.get(args.page, f"views/{args.page}.py")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    timed: dict[str, float] = {}
    wanted = set(args.profile.split(","))

    def step(name: str, do) -> None:
        prof.on = name in wanted
        runs.take()
        do()
        timed[name] = runs.take()
        prof.on = False
        assert not at.exception, at.exception

    def opening() -> None:
        at.run()
        if page != VIEWS["overview"]:
            at.switch_page(page).run()

    db = Database(db_path())
    periods = db.periods()[::-1]
    db.close()
    if args.warm:
        others = list(DISTRICTS)[1:3]
        opening()
        for code in others:
            at.selectbox(key="district").set_value(code).run()
        at.selectbox(key="district").set_value(CITY_CODE).run()
    step("first", opening)
    step("district", lambda: at.selectbox(key="district").set_value(args.district).run())
    step("back", lambda: at.selectbox(key="district").set_value(CITY_CODE).run())
    step("repeat", lambda: at.selectbox(key="district").set_value(args.district).run())
    period = args.period or periods[1]
    step("period", lambda: at.selectbox(key="period").set_value(period).run())
    print("  ".join(f"{k}={v:.0f}ms" for k, v in timed.items()))
    if prof.stats is not None:
        prof.stats.sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
