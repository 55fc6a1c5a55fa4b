"""The server time of a fragment's own rerun, logged like app.py's script runs (make bench-pages
reads both): a fragment rerun does not run app.py, so without this it would leave no line."""

import functools
import time

from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from sanqu.log import log


def timed(page: str, name: str):
    """Decorate a fragment's function (under @st.fragment): when it reruns alone, log
    `script run page=<page> fragment=<name> ms=<server ms>`; inside a full run, nothing."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            ctx = get_script_run_ctx()
            if ctx is None or not ctx.fragment_ids_this_run:
                return fn(*args, **kwargs)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                log.info("script run page=%s fragment=%s ms=%.1f", page, name, (time.perf_counter() - t0) * 1000)

        return run

    return wrap
