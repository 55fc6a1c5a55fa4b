"""The 工业园区 page's organisation tree as a Vega-Lite treemap (Vega-Lite has no treemap layout:
the boxes are laid out here, by the squarified algorithm of Bruls, Huizing and van Wijk, and drawn
as rectangles on fixed linear scales).

As plotly's treemap did, the chart shows three levels from its current root: the root as a frame
with its name in a strip across its top, its children inside it (with such a strip when they have
children of their own) and their children inside them. A box's area is its covered enterprises,
a node's value being the total of its subtree (plotly's `branchvalues="total"`): children never
exceed their parent, and what they leave of it stays empty. Boxes of no enterprises are not drawn.
A click on a box that has children draws the tree from it; a click on the root's frame goes one
level up (`target`).

Register text (organisation names) is only ever a row value in `data.values`, drawn by Vega as
text; the title (the note on what the tree leaves out) is the chart's own words."""

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sanqu.figures import vega
from sanqu.fmt import count

ROOT = "root"
# the layout's units: a pixel each on the narrowest chart (the tree's column at 1366 × 768 is about
# 680 px wide: a wider one stretches the boxes across, and their text leaves room to the right)
W, H = 680.0, 560.0
HEAD = 24.0  # the strip across the top of a box with children, holding its name
PAD = 3.0  # between a box's edge and its children
TEXT = 14  # px: every label (the page's body text is 14-16 px)
MIN_W = 82.0  # narrower boxes show no text (a line of a name holds five characters); the tooltip does
# Streamlit fits the chart, title and padding included, into the spec's height: the boxes get H px
# when it adds what the padding and the title (a line of it) take (measured in Chromium)
FIT, TITLE_LINE = 18, 16
LINE = 18.0  # a line of text, and the space above the first
PX = 1.0  # pixels per layout unit on the narrowest chart
DEPTH = 2  # levels below the root drawn at once (plotly's maxdepth=3 counts the root)
COLOURS = ["#fbe3e1", "#c8161d"]  # the colour scale's ends, as plotly's
ROOT_FILL = "#f6f6f6"
DARK, LIGHT = "#222222", "#ffffff"

Rect = tuple[float, float, float, float]  # x, y (from the top), width, height


def _worst(largest: float, smallest: float, s: float, side: float) -> float:
    """The largest aspect ratio of the boxes of a row (areas from `largest` down to `smallest`,
    summing to `s`) laid along a side of length `side`: that of its largest or of its smallest box
    (each ratio grows with the area or with its inverse), so a row is never walked through."""
    return max(side * side * largest / (s * s), s * s / (side * side * smallest))


def squarify(values: Sequence[float], rect: Rect) -> list[Rect]:
    """`rect` cut into one box per value (all > 0), each of an area proportional to its value, as
    square as the squarified algorithm makes them: the values, largest first, fill rows along the
    shorter side of what is left while a row's worst aspect ratio improves. In the order given."""
    x, y, w, h = rect
    total = sum(values)
    order = sorted(range(len(values)), key=lambda i: -values[i])
    areas = [values[i] * w * h / total for i in order]
    out: list[Rect] = []
    i = 0
    while i < len(areas):
        side = min(w, h)
        j, s = i + 1, areas[i]  # the row areas[i:j] and its sum, added up as sum() does
        while j < len(areas) and _worst(areas[i], areas[j], s + areas[j], side) <= _worst(
            areas[i], areas[j - 1], s, side
        ):
            s += areas[j]
            j += 1
        row = areas[i:j]  # s: its sum, as sum() adds it
        if w >= h:  # a column down the left of what is left
            cw, cy = (s / h if h else 0.0), y
            for a in row:
                out.append((x, cy, cw, a / cw if cw else 0.0))
                cy += out[-1][3]
            x, w = x + cw, w - cw
        else:  # a row across its top
            rh, cx = (s / w if w else 0.0), x
            for a in row:
                out.append((cx, y, a / rh if rh else 0.0, rh))
                cx += out[-1][2]
            y, h = y + rh, h - rh
        i = j
    placed: list[Rect] = [(0.0, 0.0, 0.0, 0.0)] * len(values)
    for k, r in zip(order, out):
        placed[k] = r
    return placed


@dataclass(frozen=True)
class Box:
    org_id: str
    rect: Rect
    depth: int  # 0: the root drawn
    framed: bool  # its children are drawn inside it, below its name strip


def _texts(tree: pd.DataFrame, col: str) -> list[str]:
    """A column as a list of str: iterating an Arrow-backed column goes value by value through
    pandas (x100 city, 1,401 rows read five times a run: 20 of 65 ms)."""
    return tree[col].astype(str).tolist()


def _children(tree: pd.DataFrame) -> dict[str, list[tuple[str, int]]]:
    """Each node's children of any enterprises, with their values, in the tree's order."""
    kids: dict[str, list[tuple[str, int]]] = {}
    for oid, parent, n in zip(_texts(tree, "org_id"), _texts(tree, "parent"), tree["enterprises"].tolist()):
        if int(n) > 0 and oid != parent:
            kids.setdefault(parent, []).append((oid, int(n)))
    return kids


def layout(tree: pd.DataFrame, root: str = ROOT) -> list[Box]:
    """The boxes drawn from `root` (in drawing order: each parent before its children): the root
    filling [0, W] × [0, H], then two levels of children squarified inside their parent, below its
    name strip and within PAD; a parent's enterprises its children do not cover stay empty."""
    kids = _children(tree)
    value = dict(zip(_texts(tree, "org_id"), tree["enterprises"].astype(int).tolist()))
    boxes: list[Box] = []

    def place(node: str, rect: Rect, depth: int) -> None:
        x, y, w, h = rect
        inner = (x + PAD, y + HEAD, w - 2 * PAD, h - HEAD - PAD)
        below = kids.get(node, []) if depth < DEPTH else []
        framed = bool(below) and inner[2] > 2 * PAD and inner[3] > 2 * PAD
        boxes.append(Box(node, rect, depth, framed))
        if not framed:
            return
        values = [n for _, n in below]
        rest = value[node] - sum(values)
        rects = squarify([*values, rest] if rest > 0 else values, inner)
        for (oid, _), r in zip(below, rects):
            place(oid, r, depth + 1)

    place(root, (0.0, 0.0, W, H), 0)
    return boxes


def _parent(tree: pd.DataFrame) -> dict[str, str]:
    return dict(zip(_texts(tree, "org_id"), _texts(tree, "parent")))


def path(tree: pd.DataFrame, node: str, root_label: str) -> list[tuple[str, str]]:
    """(org_id, name) from the tree's root down to `node`, the root named `root_label`."""
    parent, name = _parent(tree), dict(zip(_texts(tree, "org_id"), _texts(tree, "name")))
    steps: list[tuple[str, str]] = []
    at = node
    while at != ROOT and at in parent and len(steps) < len(parent):
        steps.append((at, name[at]))
        at = parent[at]
    return [(ROOT, root_label), *reversed(steps)]


def root_of(tree: pd.DataFrame, node: str) -> str:
    """`node` when the tree holds it with enterprises to draw, else the tree's root."""
    ok = tree[(tree["org_id"] == node) & (tree["enterprises"] > 0)]
    return node if len(ok) else ROOT


def targets(tree: pd.DataFrame, root: str) -> dict[str, str]:
    """What a click on each box drawn from `root` draws next: a box with children is drawn from
    itself, a box of the lowest level drawn without any from its parent (a click inside a 党工委
    lands on one of its 党总支), and the root's frame (below the tree's root) from its parent;
    other boxes (a child of the root without children) are not in it."""
    kids, parent = _children(tree), _parent(tree)
    out = {}
    for b in layout(tree, root):
        if b.depth > 0 and b.org_id in kids:
            out[b.org_id] = b.org_id
        elif b.depth == DEPTH:
            out[b.org_id] = parent[b.org_id]
    if root != ROOT and root in parent:
        out[root] = parent[root]
    return out


def target(tree: pd.DataFrame, root: str, picked: str) -> str:
    """The root drawn after a click on the box `picked` of the tree drawn from `root` (the same
    root when the box leads nowhere)."""
    return targets(tree, root).get(picked, root)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _mix(t: float) -> tuple[float, float, float]:
    """The colour at `t` (0-1) of the scale, interpolated in RGB (as plotly and the spec do)."""
    (r0, g0, b0), (r1, g1, b1) = _rgb(COLOURS[0]), _rgb(COLOURS[1])
    return r0 + (r1 - r0) * t, g0 + (g1 - g0) * t, b0 + (b1 - b0) * t


def _luminance(rgb: tuple[float, float, float]) -> float:
    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink(t: float) -> str:
    """The text colour of greater contrast on the fill at `t` (0-1) of the colour scale."""
    lum = _luminance(_mix(min(1.0, max(0.0, t))))
    return LIGHT if 1.05 / (lum + 0.05) > (lum + 0.05) / (_luminance(_rgb(DARK)) + 0.05) else DARK


def _width(ch: str) -> float:
    """A character's width in pixels at TEXT px: CJK a full em, others (digits, Latin) about 0.6."""
    return TEXT if ord(ch) >= 0x2E80 else 0.6 * TEXT


def _fit(text: str, room: float) -> tuple[str, str]:
    """The longest start of `text` no wider than `room` px, and the rest."""
    used = 0.0
    for i, ch in enumerate(text):
        used += _width(ch)
        if used > room:
            return text[:i], text[i:]
    return text, ""


def _label(name: str, n: int, w: float, h: float, strip: bool) -> str | None:
    """The text of a box `w` × `h` (layout units) at TEXT px on the narrowest chart: in a name strip
    (`strip`) the name and its count on one line (the name alone where both do not fit), else the
    name on as many lines as the box holds over the count; the name cut with "…" where it does not
    all fit. None in a box narrower than MIN_W, or too low for the count and a line of the name."""
    room, tally = (w - 12) * PX, f"{count(n)} 家企业"
    name = " ".join(name.split())  # a line break in a register's name is a space here
    if w < MIN_W or _fit(tally, room)[1]:
        return None
    if strip:  # name and count; else the name alone, cut if it must be (to no fewer than 4 characters)
        line, rest = _fit(f"{name}（{tally}）", room)
        if not rest:
            return line
        line, rest = _fit(name, room)
        if rest:
            line = _fit(line, room - TEXT)[0] + "…"
        return line if len(line) >= 4 or not rest else None
    lines: list[str] = []
    rest = name
    while rest and len(lines) < int((h - 6) // LINE) - 1:
        line, rest = _fit(rest, room)
        lines.append(line)
    if not lines:
        return None
    if rest:
        lines[-1] = _fit(lines[-1], room - TEXT)[0] + "…"
    return "\n".join([*lines, tally])


def rows(tree: pd.DataFrame, root: str, root_label: str) -> tuple[list[dict], list[float]]:
    """One row per box drawn from `root` (parents first) and the colour scale's domain: the box
    (x, x2, y, y2 in layout units), its id, name, level and form, enterprises and members (as
    text for the tooltip), depth, the text drawn in it (lines; None where none fits),
    the text's colour and whether a click on it draws another root."""
    boxes = layout(tree, root)
    columns = ("enterprises", "name", "level", "form", "members")  # read as plain values: a pandas row costs 0.3 ms
    t = dict(zip(_texts(tree, "org_id"), zip(*(tree[c].tolist() for c in columns), strict=True), strict=True))
    values = [int(t[b.org_id][0]) for b in boxes if b.depth > 0]
    lo, hi = (min(values), max(values)) if values else (0, 1)
    lo = 0 if lo == hi else lo
    clicks = targets(tree, root)
    out = []
    for b in boxes:
        enterprises, rec_name, rec_level, rec_form, members = t[b.org_id]
        n, x, y, w, h = int(enterprises), *b.rect
        top = b.org_id == ROOT
        name = root_label if top else str(rec_name)
        level = "合计" if top else " · ".join(s for s in (str(rec_level), str(rec_form)) if s)
        text = _label(name, n, w, min(h, HEAD) if b.framed or b.depth == 0 else h, b.framed or b.depth == 0)
        out.append(
            {
                "id": b.org_id,
                "name": name,
                "level": level,
                "enterprises": n,
                "ent": f"{count(n)} 家",
                "mem": f"{count(int(members))} 名",
                "depth": b.depth,
                "x": round(x, 2),
                "x2": round(x + w, 2),
                "y": round(y, 2),
                "y2": round(y + h, 2),
                "text": text,
                "about": f"{name}；{level}；覆盖企业 {count(n)} 家；党员 {count(int(members))} 名",
                "ink": DARK if b.depth == 0 else ink((n - lo) / (hi - lo)),
                "click": b.org_id in clicks,
            }
        )
    return out, [lo, hi]


TOOLTIP = [
    {"field": "name", "title": "名称"},
    {"field": "level", "title": "层级"},
    {"field": "ent", "title": "覆盖企业"},
    {"field": "mem", "title": "党员"},
]
CURSOR = "datum.click ? 'pointer' : 'default'"  # a hand over boxes a click redraws from
# a line of text as wide as its box allows, at the chart's real width (cut with "…" beyond)
LIMIT = {"expr": "max(0, scale('x', datum.x2) - scale('x', datum.x) - 10)"}


def _axis(field: str, end: float, reverse: bool = False) -> dict:
    scale = {"domain": [0, end], "nice": False, "zero": False, "reverse": reverse}
    return {"field": field, "type": "quantitative", "scale": scale, "axis": None, "title": None}


def org_tree(tree: pd.DataFrame, root_label: str, root: str = ROOT, note: str | None = None) -> dict:
    """The organisation tree from `root` (the tree's root named `root_label`) as a treemap spec;
    `note` (what the tree leaves out) as its title. A click selects the box's `id` (`vega.PICK`)."""
    data, domain = rows(tree, root, root_label)
    at = {"x": _axis("x", W), "x2": {"field": "x2"}, "y": _axis("y", H, reverse=True), "y2": {"field": "y2"}}
    colour = {
        "condition": {"test": "datum.depth == 0", "value": ROOT_FILL},
        "field": "enterprises",
        "type": "quantitative",
        "scale": {"domain": domain, "range": COLOURS, "interpolate": "rgb"},
        "legend": None,
    }
    boxes = {
        "mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 1, "cursor": {"expr": CURSOR}},
        "params": [vega.pick(("id",))],
        "encoding": {**at, "color": colour, "tooltip": TOOLTIP, "description": {"field": "about"}},
    }
    text = {
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "fontSize": TEXT,
            "lineBreak": "\n",
            "lineHeight": LINE,
            "dx": 6,
            "dy": 5,
            "limit": LIMIT,
            "aria": False,
            "cursor": {"expr": CURSOR},
        },
        "transform": [{"filter": "datum.text != null"}],
        "encoding": {
            "x": at["x"],
            "y": at["y"],
            "text": {"field": "text"},
            "color": {"field": "ink", "type": "nominal", "scale": None},
            "tooltip": TOOLTIP,
        },
    }
    extra: dict = {}
    height = H + FIT
    if note:
        title = note.replace("；", "；\n").split("\n")
        extra["title"] = {"text": title, "anchor": "start", "fontSize": 13, "fontWeight": "normal", "offset": 10}
        height += TITLE_LINE * len(title) + 6
    return vega.spec([boxes, text], data, height=int(height), **extra)
