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
"""

import functools
import re
from collections.abc import Callable
from typing import Any, Protocol, cast

import numpy as np
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
    """`value` with every string in it escaped; numbers, dates and None unchanged. A value with
    nothing to escape is returned as it is (the same object), so that the figure need not take
    it again (plotly validates every value it is given)."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "OUS":
            return value
        items = value.ravel().tolist()
        flat = [_clean(v.decode() if isinstance(v, bytes) else v) for v in items]
        if value.dtype.kind == "O" and all(a is b or a == b for a, b in zip(flat, items)):
            return value
        out = np.empty(len(flat), dtype=object)
        out[:] = flat
        return out.reshape(value.shape)
    if isinstance(value, (list, tuple)):
        cleaned = type(value)(_clean(v) for v in value)
        return value if all(a is b or a == b for a, b in zip(cleaned, value)) else cleaned
    return value


def _title(obj) -> None:
    if obj.title is not None and obj.title.text is not None:
        text = escape(obj.title.text)
        if text != obj.title.text:
            obj.title.text = text


def _set(obj, key: str, value) -> None:
    """obj[key] = value escaped, unless there was nothing to escape."""
    cleaned = _clean(value)
    if cleaned is not value:
        obj[key] = cleaned


def _axis(axis) -> None:
    for key in AXIS_TEXT:
        value = axis[key]
        if value is not None:
            _set(axis, key, value)
    _title(axis)


def safe(fig: go.Figure) -> go.Figure:
    """Escape, in place, every data string of `fig` (see the module's text); returns `fig`."""
    for trace in fig.data:
        for key in TRACE_TEXT:
            if key in trace and trace[key] is not None:
                _set(trace, key, trace[key])
    fig.for_each_xaxis(_axis)
    fig.for_each_yaxis(_axis)
    _title(fig.layout)
    _title(fig.layout.legend)
    return fig


class SafeFigure(Protocol):
    """A figure function whose figure went through `safe`, marked so (tests look for the mark)."""

    plotly_text_safe: bool

    def __call__(self, *args: Any, **kwargs: Any) -> go.Figure: ...


def figure(make: Callable[..., go.Figure]) -> SafeFigure:
    """Decorator: the figure `make` returns, passed through `safe`."""

    @functools.wraps(make)
    def wrapper(*args, **kwargs) -> go.Figure:
        return safe(make(*args, **kwargs))

    marked = cast(SafeFigure, wrapper)  # the function, with the attribute set on the next line
    marked.plotly_text_safe = True
    return marked
