"""The server time of a fragment's own rerun, logged like app.py's script runs (make bench-pages
reads both): a fragment rerun does not run app.py, so without this it would leave no line."""

import functools
import time

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from sanqu import heap
from sanqu.log import log


def timed(page: str, name: str):
    """Decorate a fragment's function (under @st.fragment): when it reruns alone, log
    `script run page=<page> fragment=<name> ms=<server ms> cpu_ms=<process CPU ms>`; inside a full
    run, nothing."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            ctx = get_script_run_ctx()
            if ctx is None or not ctx.fragment_ids_this_run:
                return fn(*args, **kwargs)
            t0, cpu0 = time.perf_counter(), time.process_time()
            heap.run_started()
            try:
                return fn(*args, **kwargs)
            finally:
                heap.run_ended()
                ms, cpu_ms = (time.perf_counter() - t0) * 1000, (time.process_time() - cpu0) * 1000
                log.info("script run page=%s fragment=%s ms=%.1f cpu_ms=%.1f", page, name, ms, cpu_ms)

        return run

    return wrap
