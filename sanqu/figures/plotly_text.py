"""Register text in plotly figures stays text.

plotly.js reads every label, tick, hover text, legend name and title as a small HTML subset:
`<a href>` becomes a link, `<b>` and `<br>` render, and entities such as `&lt;` are decoded
(once, after the tags are split off). So text from data is escaped with `escape` (`&` first),
which plotly shows as the original characters.

`safe` escapes, in place, every string a figure takes from data: the traces' x, y, text,
hovertext, customdata, labels and names, the axes' categories, tick values and tick texts,
and the titles. Numbers and dates are left as they are. Templates (hovertemplate,
texttemplate) and annotations are chart code: they may hold markup such as `<br>`, and data
reaches them only through `%{...}` placeholders (for a trace's name, `%{fullData.name}`) or
through `escape`. `figure` decorates a function that returns a figure with `safe`.

`figure` also remembers the last figures it made, keyed by a digest of their arguments (the
data itself, not where it came from): building a plotly figure (its validation) is most of
what a repeated choice costs, and the same data draws the same figure. A figure handed out is
shared: callers draw it (st.plotly_chart reads it) and never change it.
"""

import collections
import functools
import hashlib
import re
import threading
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

TRACE_TEXT = ("x", "y", "text", "hovertext", "customdata", "labels", "name")
AXIS_TEXT = ("categoryarray", "tickvals", "ticktext")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


def escape(s: str) -> str:
    """Text that plotly shows as `s` and never reads as a tag or an entity."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(value):
    """The original of an escaped string (e.g. customdata a click hands back); others as given."""
    if not isinstance(value, str):
        return value
    return re.sub("&(amp|lt|gt);", lambda m: _ENTITIES[m.group(0)], value)


def _clean(value):
    """`value` with every string in it escaped; numbers, dates and None unchanged."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "OUS":
            return value
        flat = [_clean(v.decode() if isinstance(v, bytes) else v) for v in value.ravel().tolist()]
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(value.shape)
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    return value


def _title(obj) -> None:
    if obj.title is not None and obj.title.text is not None:
        obj.title.text = escape(obj.title.text)


def _axis(axis) -> None:
    for key in AXIS_TEXT:
        value = axis[key]
        if value is not None:
            axis[key] = _clean(value)
    _title(axis)


def safe(fig: go.Figure) -> go.Figure:
    """Escape, in place, every data string of `fig` (see the module's text); returns `fig`."""
    for trace in fig.data:
        for key in TRACE_TEXT:
            if key in trace and trace[key] is not None:
                trace[key] = _clean(trace[key])
    fig.for_each_xaxis(_axis)
    fig.for_each_yaxis(_axis)
    _title(fig.layout)
    _title(fig.layout.legend)
    return fig


FIGURES_KEPT = 256  # figures remembered per process (all figure functions together)
_kept: collections.OrderedDict[tuple, go.Figure] = collections.OrderedDict()
_lock = threading.Lock()


class _Unhashable(Exception):
    pass


def _feed(h, value) -> None:
    """Digest `value` (frames, series, containers, scalars); anything else is not remembered."""
    if isinstance(value, pd.DataFrame):
        h.update(b"F" + repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
        h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        h.update(b"S" + repr((value.name, str(value.dtype))).encode())
        h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, dict):
        h.update(b"D%d" % len(value))
        for k, v in value.items():
            _feed(h, k)
            _feed(h, v)
    elif isinstance(value, (list, tuple)):
        h.update(b"L%d" % len(value))
        for v in value:
            _feed(h, v)
    elif value is None or isinstance(value, (str, int, float, bool, np.generic)) or hasattr(value, "isoformat"):
        h.update(b"V" + repr((type(value).__name__, value)).encode())
    else:
        raise _Unhashable


def _digest(name: str, args: tuple, kwargs: dict) -> tuple | None:
    h = hashlib.blake2b(digest_size=16)
    try:
        _feed(h, args)
        _feed(h, sorted(kwargs.items()))
    except (_Unhashable, TypeError):
        return None
    return name, h.digest()


def figure(make: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """Decorator: the figure `make` returns, passed through `safe` (and remembered: see above)."""
    name = f"{make.__module__}.{make.__qualname__}"

    @functools.wraps(make)
    def wrapper(*args, **kwargs) -> go.Figure:
        key = _digest(name, args, kwargs)
        if key is not None:
            with _lock:
                if key in _kept:
                    _kept.move_to_end(key)
                    return _kept[key]
        fig = safe(make(*args, **kwargs))
        if key is not None:
            with _lock:
                _kept[key] = fig
                while len(_kept) > FIGURES_KEPT:
                    _kept.popitem(last=False)
        return fig

    wrapper.plotly_text_safe = True
    return wrapper
