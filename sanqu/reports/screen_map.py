"""The big screen's district map: plain cartesian shapes (no tiles, no topojson download),
labels that never overlap and always read.

Labels are boxes in the district's own fill, with black or white text, whichever contrasts
more (always >= 4.5:1). Each label is placed at the district's representative point when its
box fits there, else at the nearest free spot around it with a leader line: the boxes are
sized in px at the smallest scale the map is drawn at (MIN_PX_PER_DEGREE), so at any larger
size they only move further apart. With one county chosen, the map is zoomed to it and its
townships are drawn as points.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb, sample_colorscale, unlabel_rgb
from shapely.geometry import Point

from sanqu.figures import plotly_text
from sanqu.geography import district_name, district_shapes, region_code
from sanqu.reports.screen_charts import SIZE_LABEL, TEXT, finish

SCALE = ["#16325c", "#1f5a8c", "#2b8cbe", "#7bccc4", "#ffcf4a"]
NO_DATA, OTHER, EDGE = "#4a4f5a", "#111d36", "#9fc3ff"  # no data: grey, unlike any colour of the scale
ASPECT = 1.12  # y px per x px of a degree (Ji'an at 27° N)
MIN_PX_PER_DEGREE = 255  # the map's smallest scale (the 1920×1080 layout), px per degree of longitude
PAD = 0.12  # degrees around the drawn area
LINE = 1.3  # a label's line height in font sizes


@dataclass(frozen=True)
class Label:
    code: str
    lines: tuple[str, ...]
    anchor: tuple[float, float]  # the district's point
    at: tuple[float, float]  # the label box's centre
    fill: str
    ink: str

    @property
    def moved(self) -> bool:
        return self.anchor != self.at


def rings() -> dict[str, list[tuple[list[float], list[float]]]]:
    """Each district's outer rings (lon, lat lists), simplified for display."""
    return _rings(region_code())


@lru_cache(maxsize=4)
def _rings(region: str) -> dict[str, list[tuple[list[float], list[float]]]]:  # noqa: ARG001 (cache key)
    """`rings` of a region (a cache per region: the deployed region is read per call)."""
    out: dict[str, list] = {}
    shapes = district_shapes(True).set_index("district").geometry.simplify(0.003)
    for code, geom in shapes.items():
        polys = getattr(geom, "geoms", [geom])
        out[code] = [([round(x, 4) for x in p.exterior.xy[0]], [round(y, 4) for y in p.exterior.xy[1]]) for p in polys]
    return out


@lru_cache(maxsize=16)
def label_point(code: str) -> tuple[float, float]:
    p = district_shapes(True).set_index("district").geometry[code].representative_point()
    return round(p.x, 4), round(p.y, 4)


def bounds(code: str | None = None) -> tuple[float, float, float, float]:
    """(west, south, east, north) of one district, or of the city."""
    return _bounds(region_code(), code)


@lru_cache(maxsize=64)
def _bounds(region: str, code: str | None) -> tuple[float, float, float, float]:  # noqa: ARG001 (cache key)
    shapes = district_shapes(True)
    geo = shapes.geometry if code is None else shapes.set_index("district").geometry[[code]]
    return tuple(float(v) for v in geo.total_bounds)  # type: ignore[return-value]


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb' or 'rgb(r, g, b)'."""
    rgb = hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)
    lin = [(c / 255 / 12.92) if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def ink(fill: str) -> str:
    """Black or white text on `fill`, whichever contrasts more (never under 4.58:1)."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#ffffff") else "#ffffff"


def fill(rate: float | None) -> str:
    if rate is None or rate != rate:
        return NO_DATA
    scale = [[i / (len(SCALE) - 1), c] for i, c in enumerate(SCALE)]
    return sample_colorscale(scale, [min(1.0, max(0.0, float(rate)))])[0]


def box_size(lines: tuple[str, ...], px_per_degree: float = MIN_PX_PER_DEGREE) -> tuple[float, float]:
    """A label box's (width, height) in degrees: 24 px CJK characters, digits about 0.6 of
    that, 6 px padding and a 4 px gap to its neighbours on each side."""
    width = max(sum(SIZE_LABEL * (0.62 if ch.isascii() else 1.0) for ch in line) for line in lines)
    w = width + 2 * 10
    h = len(lines) * SIZE_LABEL * LINE + 2 * 10
    return w / px_per_degree, h / (px_per_degree * ASPECT)


def place(items: list[tuple[str, tuple[str, ...], str]], area: tuple[float, float, float, float]) -> list[Label]:
    """Labels (code, lines, fill) at non-overlapping spots inside `area`. The smallest district
    goes first, at its point; each next one at the nearest free spot inside its own district,
    or failing that the nearest free spot outside it (with a leader line)."""
    shapes = district_shapes(True).set_index("district").geometry
    placed: list[tuple[float, float, float, float]] = []
    out = []
    west, south, east, north = area
    for code, lines, colour in sorted(items, key=lambda it: shapes[it[0]].area):
        ax, ay = label_point(code)
        w, h = box_size(lines)
        spot = (ax, ay)
        for x, y in _spots(code, h):
            box = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            inside = west <= box[0] and box[2] <= east and south <= box[1] and box[3] <= north
            if inside and not any(_overlap(box, other) for other in placed):
                spot = (x, y)
                placed.append(box)
                break
        out.append(Label(code, lines, (ax, ay), spot, colour, ink(colour)))
    return sorted(out, key=lambda lab: lab.code)


@lru_cache(maxsize=256)
def _spots(code: str, h: float) -> tuple[tuple[float, float], ...]:
    """The candidate spots of a district's label, inside the district first, nearest first (the
    same for every figure: the geometry does not change)."""
    ax, ay = label_point(code)
    own = district_shapes(True).set_index("district").geometry[code]
    return tuple(sorted(_candidates(ax, ay, h), key=lambda p: (not own.contains(Point(p)), math.dist(p, (ax, ay)))))


def _candidates(x: float, y: float, step: float):
    """The point and points on rings around it, `step` apart."""
    yield x, y
    for ring in range(1, 16):
        r = ring * step / 2
        n = 8 * ring
        for i in range(n):
            a = math.pi / 2 + i * 2 * math.pi / n
            yield round(x + r * math.cos(a), 4), round(y + r * math.sin(a) / ASPECT, 4)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def choropleth(
    values: pd.DataFrame,
    title: str,
    height: int,
    k: float = 1.0,
    focus: str | None = None,
    points: pd.DataFrame | None = None,
    empty: str = "—",
    names: dict[str, str] | None = None,
) -> go.Figure:
    """Districts filled by rate (values: district, rate, hover); with `focus` (one county)
    the map is zoomed to it, the others drawn dim and unlabelled, and `points` (name, lon,
    lat, rate, hover: its townships) drawn on it. `empty` is the label of a district with no value;
    `names`, the label of a district other than its name (a township's values drawn on its county)."""
    named = names or {}
    fig = go.Figure()
    vals = values.set_index("district")
    shapes = []  # one trace per ring, added at once (plotly validates the figure per call)
    for code, district_rings in rings().items():
        shown = focus is None or code == focus
        rate = vals.loc[code, "rate"] if code in vals.index else None
        colour = fill(rate) if shown else OTHER
        hover = vals.loc[code, "hover"] if code in vals.index else f"{named.get(code) or district_name(code)} · {empty}"
        for xs, ys in district_rings:
            shapes.append(
                dict(
                    type="scatter",
                    x=xs,
                    y=ys,
                    fill="toself",
                    fillcolor=colour,
                    mode="lines",
                    line=dict(color=EDGE if shown else "#2b4670", width=1.2 * k),
                    hoveron="fills",
                    hoverinfo="text",
                    text=hover,
                    showlegend=False,
                )
            )
    fig.add_traces(shapes)
    area = _area(focus)
    items: list[tuple[str, tuple[str, ...], str]] = []
    for code in [focus] if focus else list(rings()):
        rate = vals.loc[code, "rate"] if code in vals.index else None
        value = f"{rate * 100:.1f}%" if rate is not None and rate == rate else empty
        items.append((code, (named.get(code) or district_name(code), value), fill(rate)))
    labels = [_annotation(lab, k) for lab in place(items, area)]
    if points is not None and len(points):
        fig.add_scatter(
            x=points["lon"],
            y=points["lat"],
            mode="markers",
            marker=dict(size=16 * k, color=[fill(r) for r in points["rate"]], line=dict(color=TEXT, width=2 * k)),
            text=points["hover"],
            hoverinfo="text",
            showlegend=False,
        )
    _colour_key(fig, k)
    layout = dict(
        annotations=labels,
        xaxis=dict(visible=False, range=[area[0], area[2]]),
        yaxis=dict(visible=False, range=[area[1], area[3]], scaleanchor="x", scaleratio=ASPECT),
    )
    return finish(fig, title, height, k, layout=layout)


def _area(focus: str | None) -> tuple[float, float, float, float]:
    west, south, east, north = bounds(focus)
    pad = PAD if focus is None else 0.05 + 0.1 * max(east - west, north - south)
    return west - pad, south - pad, east + pad, north + pad


def _annotation(lab: Label, k: float) -> dict:
    """A label's box (with a leader line to its district when moved), as a layout annotation."""
    text = "<br>".join(plotly_text.escape(s) for s in lab.lines)
    common = dict(
        text=text,
        font=dict(size=SIZE_LABEL * k, color=lab.ink),
        bgcolor=lab.fill,
        bordercolor=EDGE,
        borderwidth=1,
        borderpad=6 * k,
        xref="x",
        yref="y",
    )
    if lab.moved:
        return dict(
            x=lab.anchor[0],
            y=lab.anchor[1],
            ax=lab.at[0],
            ay=lab.at[1],
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=0,
            arrowwidth=2 * k,
            arrowcolor=TEXT,
            **common,
        )
    return dict(x=lab.at[0], y=lab.at[1], showarrow=False, **common)


def _colour_key(fig: go.Figure, k: float) -> None:
    scale = [[i / (len(SCALE) - 1), c] for i, c in enumerate(SCALE)]
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="markers",
        showlegend=False,
        hoverinfo="skip",
        marker=dict(
            colorscale=scale,
            cmin=0,
            cmax=100,
            color=[0],
            showscale=True,
            colorbar=dict(title=dict(text="%"), thickness=18 * k, len=0.6, tickvals=[0, 50, 100]),
        ),
    )
