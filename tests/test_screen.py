"""The big-screen views and the briefing pack, as package objects."""

import datetime as dt
import os
import shutil
import subprocess
import threading

import pandas as pd
import pytest

from sanqu import fmt, geography
from sanqu.context import Context
from sanqu.metrics import overview
from sanqu.programmes import sites
from sanqu.reports import briefing, screen
from sanqu.scope import Scope

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("key", list(screen.VIEWS))
def test_every_view_has_panels_map_charts_and_ticker(demo_db, key):
    v = screen.build(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY), key)
    assert v.title == screen.VIEWS[key] and len(v.panels) == 3 and len(v.side) == 2
    types = {t.type for t in v.choropleth.data}
    assert types <= {"scatter"}  # drawn as shapes: no geo trace, so no topojson download
    filled = [t for t in v.choropleth.data if t.fill == "toself"]
    assert len({t.text for t in filled}) == 13
    assert 0 < len(v.ticker) <= 12
    assert 0 < len(v.board) <= screen.BOARD_ROWS
    assert len(v.choropleth.layout.annotations) == 13  # one label per district


def _view(db, key, district=None):
    scope = Scope.of(district) if district else Scope.city()
    return screen.build(db, Context(scope, db.periods()[-1], TODAY), key)


def _texts(fig) -> list[str]:
    """Every bar's, cell's and label's text, the titles and the category names of a figure."""
    out = [fig.layout.title.text or ""] + [a.text for a in fig.layout.annotations]
    for t in fig.data:
        for key in ("text", "y", "x"):
            value = getattr(t, key, None)
            if value is not None and not isinstance(value, str):
                out += [str(v) for v in (value.ravel() if hasattr(value, "ravel") else value)]
    return out


def test_overview_shows_the_three_zones(demo_db):
    v = _view(demo_db, "overview")
    cells, trend = v.side
    assert list(cells.data[0].x) == ["园区", "社区", "景区"] and len(cells.data[0].y) == 13
    table = overview.district_table(demo_db, Context(Scope.city(), demo_db.periods()[-1]))
    row = table[table["district"] == "360802"].iloc[0]
    i = list(cells.data[0].y).index("吉州区")
    assert list(cells.data[0].text[i]) == [fmt.pct(row[f"{z}_rate"]) for z in ("park", "community", "scenic")]
    assert [t.name for t in trend.data] == ["园区", "社区", "景区"]
    assert "三区" in v.choropleth.layout.title.text
    park = _view(demo_db, "park")
    assert v.side[0].layout.title.text != park.side[0].layout.title.text


def test_sites_view_shows_sites_with_every_value_labelled(demo_db):
    v = _view(demo_db, "sites")
    status, progress = v.side
    assert "示范点" in status.layout.title.text and "示范点" in progress.layout.title.text
    assert "走势" not in " ".join(_texts(status) + _texts(progress))
    df = sites.sites(demo_db, Context(Scope.city(), "2026Q3", TODAY))
    for trace, st in zip(status.data, ("green", "amber", "red")):
        assert sum(int(x) for x in trace.x) == int((df["status"] == st).sum())
        assert all(t == (str(int(x)) if x else "") for t, x in zip(trace.text, trace.x))
    bar = progress.data[0]
    assert all(t and t != "—" for t in bar.text) and bar.constraintext == "none"
    assert progress.layout.xaxis.range[1] >= 130  # a 100 % bar and its label fit the axis


@pytest.mark.parametrize("key", ["park", "community", "scenic"])
def test_one_county_is_zoomed_and_ranked_by_township(demo_db, key):
    v = _view(demo_db, key, "360881")
    x0, x1 = v.choropleth.layout.xaxis.range
    assert x1 - x0 < 1.2  # the city spans 2.5°
    assert "分乡镇" in v.choropleth.layout.title.text
    ranking = v.side[0]
    assert ranking.layout.title.text.startswith("各乡镇（街道）") or ranking.layout.title.text.endswith("位乡镇")
    names = set(geography.townships().query("district == '360881'")["name"])
    assert set(ranking.data[0].y) <= names and len(ranking.data[0].y) >= 1
    assert len(v.choropleth.layout.annotations) == 1


@pytest.mark.parametrize("key", ["overview", "community"])
def test_a_township_is_named_on_the_map_its_county_shape_stands_for(demo_db, key):
    """At a township the map draws its county's shape with the township's values: the label and
    the hover name the township (桥头镇), never the county (泰和县), whose own value differs."""
    ctx = Context(Scope(("360826",), "360826102"), demo_db.periods()[-1], TODAY)
    v = screen.build(demo_db, ctx, key)
    (label,) = [a.text for a in v.choropleth.layout.annotations if "%" in a.text]
    assert label.startswith("桥头镇<br>") and "泰和县" not in label
    focus = [t for t in v.choropleth.data if t.fill == "toself" and t.text.startswith("桥头镇")]
    assert focus and not any(t.text.startswith("泰和县") for t in v.choropleth.data if t.fill == "toself")
    county = _view(demo_db, key, "360826").choropleth.layout.annotations
    assert [a.text for a in county if "%" in a.text][0].startswith("泰和县<br>")
    assert ("乡镇" in v.choropleth.layout.title.text) and "分区县" not in v.choropleth.layout.title.text


def test_a_county_without_scenic_sites_says_so(demo_db):
    v = _view(demo_db, "scenic", "360823")
    assert all(p.value == "—" and p.detail == "该县无旅游景区" for p in v.panels)
    for fig in v.side:
        assert [a.text for a in fig.layout.annotations] == ["该县无旅游景区"] and not fig.data
    assert "无旅游景区" in v.choropleth.layout.annotations[0].text
    assert _view(demo_db, "sites", "360828").panels[0].detail == "该县无示范点"


def test_map_labels_do_not_overlap_and_read():
    from sanqu.reports import screen_map

    items = [
        (c, (geography.district_name(c), "100.0%"), screen_map.fill(r))
        for c, r in zip(geography.DISTRICTS, [i / 12 for i in range(13)])
    ]
    labels = screen_map.place(items, screen_map._area(None))
    boxes = []
    for lab in labels:
        w, h = screen_map.box_size(lab.lines)
        boxes.append((lab.at[0] - w / 2, lab.at[1] - h / 2, lab.at[0] + w / 2, lab.at[1] + h / 2))
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if screen_map._overlap(a, b)]
    for r in [i / 100 for i in range(101)] + [None]:
        colour = screen_map.fill(r)
        assert screen_map.contrast(colour, screen_map.ink(colour)) >= 4.5


def test_cells_and_status_text_contrast():
    from plotly.colors import sample_colorscale

    from sanqu.reports import screen_charts, screen_map

    for v in [i / 50 for i in range(51)]:
        assert screen_map.contrast(sample_colorscale(screen_charts.CELL_SCALE, [v])[0], "#ffffff") >= 4.5
    for colour in screen_charts.STATUS_FILLS.values():
        assert screen_map.contrast(colour, "#000000") >= 4.5


def test_overview_panels_equal_the_kpis(demo_db):
    period, scope = demo_db.periods()[-1], Scope.of("360822")
    v = screen.build(demo_db, Context(scope, period, TODAY), "overview")
    for panel, key in zip(v.panels, screen.VIEW_KPIS["overview"]):
        k = overview.kpi(demo_db, Context(scope, period), key)
        assert panel.value == fmt.pct(k.rate)
        assert panel.detail.startswith(f"{k.numerator:,} / {k.denominator:,}")


def test_sites_panels_count_statuses(demo_db):
    v = screen.build(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY), "sites")
    df = sites.sites(demo_db, Context(Scope.city(), "2026Q3", TODAY))
    assert v.panels[1].value == str((df["status"] == "green").sum())
    assert v.panels[2].value == f"{(df['status'] == 'red').sum()} / {(df['status'] == 'amber').sum()}"


def test_sizes_follow_the_screen_scale(demo_db):
    period = demo_db.periods()[-1]
    one = screen.build(demo_db, Context(Scope.city(), period, TODAY), "park", 1.0)
    two = screen.build(demo_db, Context(Scope.city(), period, TODAY), "park", 2.0)
    assert two.choropleth.layout.height == 2 * one.choropleth.layout.height
    assert two.side[0].layout.font.size == 2 * one.side[0].layout.font.size == 2 * screen.SIZE_LABEL
    sizes = {screen.SIZE_LABEL, screen.SIZE_TITLE, screen.SIZE_NUMBER}
    assert len(sizes) == 3  # at most three font sizes


def test_ticker_is_newest_first_and_text(demo_db):
    items = screen.ticker(demo_db, Context(Scope.city(), "2026Q3", TODAY), limit=30)
    assert items and all(i.startswith(("【督查】", "【逾期】")) for i in items)
    rows = demo_db.query(screen.TICKER_SQL, Scope.city(), day=TODAY, limit=30)
    assert list(rows["day"]) == sorted(rows["day"], reverse=True)


def _pdf_text(path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing in CI")
        pytest.skip("poppler-utils not installed")
    return subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_briefing_pdf_has_the_filters_kpis_and_renders(demo_db, tmp_path, output_dir):
    period, scope = demo_db.periods()[-1], Scope.of("360822")
    pdf = briefing.build(demo_db, Context(scope, period, TODAY), demo=True)
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    text = _pdf_text(path)
    assert "吉水县三区党建工作简报" in text and "演示数据" in text and "2026年第3季度" in text
    flat = "".join(text.split())  # pdftotext may drop the spaces around "/"
    for key in ("park_org", "community_org", "scenic_org"):
        k = overview.kpi(demo_db, Context(scope, period), key)
        assert fmt.pct(k.rate) in text and fmt.ratio(k.numerator, k.denominator).replace(" ", "") in flat
    assert "示范点推进情况" in text
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(output_dir / "briefing-360822")], check=True)
    pages = sorted(output_dir.glob("briefing-360822-*.png"))
    assert len(pages) == 5  # cover, one page per zone, the demonstration sites
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts and "yes" in fonts  # embedded (subset)


def test_briefing_without_a_cjk_font_says_so(monkeypatch):
    monkeypatch.setattr(briefing, "FONT_DIRS", ("/nonexistent",))
    briefing.cjk_font.cache_clear()
    try:
        with pytest.raises(briefing.FontMissing, match="fonts-noto-cjk"):
            briefing.cjk_font()
    finally:
        briefing.cjk_font.cache_clear()


def _screen(**params):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_carousel_makes_its_next_view_while_one_is_shown(demo_dir, monkeypatch):
    """The screen draws its first view and a worker makes the next one meanwhile: the tick that
    shows it takes that view, made once (not at the tick, not twice)."""
    from ui import data
    from ui import screen as screen_ui

    data._kept.clear()  # no view kept by an earlier test
    made, second, build = [], threading.Event(), screen.build

    def spy(db, ctx, key, k=1.0, fetch=None):
        made.append((key, threading.current_thread().name))
        view = build(db, ctx, key, k, fetch)
        if key == "park":
            second.set()
        return view

    monkeypatch.setattr(screen, "build", spy)
    _screen(mode="screen", views="scenic,park", every="3600")
    assert second.wait(60)
    assert made[0][0] == "scenic" and not made[0][1].startswith("sanqu-ahead")  # the run drew the first
    assert made[1][0] == "park" and made[1][1].startswith("sanqu-ahead")  # a worker made the next
    view = data.kept(screen_ui._view, Context(Scope.city(), LATEST), "park", 1.0)  # the tick's call
    assert view.key == "park" and view.title == screen.VIEWS["park"]
    assert [key for key, _ in made] == ["scenic", "park"]  # taken, not made again


def _notice(at) -> list[str]:
    """The lines of the big screen's strip of invalid link parameters (none: no strip)."""

    def find(node):
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "Block" and child.proto.id.endswith("-sq_notice"):
                return child
            found = find(child)
            if found is not None:
                return found
        return None

    block = find(at.main)
    return [] if block is None else [t.value for t in block.text]


LATEST = "2026Q3"  # the demo data's last quarter, the screen's default period
ALL_VIEWS = list(screen.VIEWS)


@pytest.mark.parametrize(
    ("params", "message", "used"),
    [
        ({"district": "999999"}, "区县「district=999999」无效，已改用默认区县：吉安市（全市）", {"district": "360800"}),
        ({"period": "2031Q9"}, "统计季度「period=2031Q9」无效，已改用默认统计季度：2026年第3季度", {"period": LATEST}),
        ({"period": "latest"}, "统计季度「period=latest」无效", {"period": LATEST}),
        ({"every": "abc"}, "轮播间隔「every=abc」无效，已改用默认轮播间隔：20 秒", {"every": 20}),
        ({"every": "0"}, "轮播间隔「every=0」无效，已改用默认轮播间隔：20 秒", {"every": 20}),
        ({"every": "-5"}, "轮播间隔「every=-5」无效，已改用默认轮播间隔：20 秒", {"every": 20}),
        ({"every": "99999"}, "轮播间隔「every=99999」无效，已改用默认轮播间隔：20 秒", {"every": 20}),
        (
            {"views": "nope"},
            "轮播内容「views=nope」无效，已改用默认轮播内容：三区总览、工业园区、城乡社区、旅游景区、示范点",
            {"views": ALL_VIEWS},
        ),
        ({"views": ""}, "轮播内容「views=」无效", {"views": ALL_VIEWS}),
        ({"views": "none"}, "轮播内容「views=none」无效", {"views": ALL_VIEWS}),
        (
            {"views": "park,nope"},
            "轮播内容「views=park,nope」中的「nope」无效，已忽略；显示：工业园区",
            {"views": ["park"]},
        ),
    ],
)
def test_screen_names_an_invalid_parameter_and_uses_the_default(demo_dir, params, message, used):
    at = _screen(mode="screen", **params)
    notice = _notice(at)
    assert len(notice) == 1 and message in notice[0], notice
    for key, value in used.items():
        assert at.session_state["sq_used"][key] == value
    if "district" in used:
        assert at.markdown[0].value.startswith("# 吉安市三区党建")
    if "period" in used:
        assert "2026年第3季度" in " ".join(t.value for t in at.text)


def test_screen_page_lists_every_invalid_parameter_and_valid_ones_are_kept(demo_dir):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.query_params.update(district="360881", period="2031Q9", every="abc", views="sites,moon")
    at.switch_page("views/screen.py").run()  # the 大屏 page itself, not ?mode=screen
    assert not at.exception
    notice = _notice(at)
    assert len(notice) == 3
    assert "every=abc" in notice[0] and "views=sites,moon" in notice[1] and "period=2031Q9" in notice[2]
    assert at.session_state["sq_used"] == {"every": 20, "views": ["sites"], "district": "360881", "period": LATEST}
    assert at.markdown[0].value == "# 井冈山市三区党建 · 示范点"


def test_screen_with_valid_parameters_has_no_notice(demo_dir):
    at = _screen(mode="screen", district="360881", period="2025Q4", every="30", views="park,community")
    assert _notice(at) == []
    assert at.session_state["sq_used"] == {
        "every": 30,
        "views": ["park", "community"],
        "district": "360881",
        "period": "2025Q4",
    }


def test_screen_rolls_forward_when_a_new_quarter_is_published(demo_data, tmp_path, monkeypatch):
    """Without ?period= every refresh uses the store's latest quarter."""
    import csv
    import shutil

    from sanqu.storage import store

    folder = tmp_path / "data"
    shutil.copytree(demo_data / "registers", folder / "registers")
    shutil.copy(demo_data / "sanqu.duckdb", folder / "sanqu.duckdb")
    monkeypatch.setenv("SANQU_DATA_DIR", str(folder))
    at = _screen(mode="screen", views="community")
    assert at.session_state["sq_used"]["period"] == LATEST
    path = folder / "registers" / "community_stats.csv"
    with open(path, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("统计季度")
    rows += [[*r[:col], "2026Q4", *r[col + 1 :]] for r in rows[1:] if r[col] == LATEST]
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    store.build(folder / "registers", folder / "sanqu.duckdb")
    at.run()
    assert not at.exception
    assert at.session_state["sq_used"]["period"] == "2026Q4"
    assert "2026年第4季度" in " ".join(t.value for t in at.text)


def _board_reference(db, ctx, limit: int) -> list[str]:
    """The board computed in pandas from the registers: every inspection and visit in scope up to
    the status day, named, newest first (then kind and name)."""
    day = pd.Timestamp(sites.status_day(db, ctx))
    tw = ctx.scope.township or None
    here = db.query(
        "SELECT entity_type, entity_id FROM locations WHERE list_contains($scope, district) AND township = $t",
        Scope(ctx.scope.counties),
        t=tw or "",
    )
    inside = set(zip(here["entity_type"], here["entity_id"]))
    ins = db.query(
        "SELECT i.date AS day, s.name, i.inspector_role AS who, CAST(i.score AS VARCHAR) AS what, s.entity_type,"
        " s.entity_id FROM inspections i JOIN demo_sites s USING (site_id) WHERE list_contains($scope, i.district)",
        Scope(ctx.scope.counties),
    ).assign(kind="inspection")
    names = db.query(
        "SELECT entity_type, entity_id, name FROM units WHERE list_contains($scope, district) UNION ALL "
        "SELECT 'community', community_id, name FROM communities WHERE list_contains($scope, district)",
        Scope.city(),
    )
    vis = db.query(
        "SELECT v.date AS day, p.entity_type, p.entity_id, p.leader_role AS who, v.kind AS what FROM visits v"
        " JOIN contact_points p USING (point_id) WHERE list_contains($scope, v.district)",
        Scope(ctx.scope.counties),
    ).merge(names, on=["entity_type", "entity_id"], how="left")
    vis = vis.assign(kind="visit", name=vis["name"].fillna(vis["entity_id"]))
    rows = pd.concat([ins, vis], ignore_index=True)
    rows = rows[pd.to_datetime(rows["day"]) <= day]
    if tw:
        rows = rows[[(t, e) in inside for t, e in zip(rows["entity_type"], rows["entity_id"])]]
    rows = rows.sort_values(["day", "kind", "name"], ascending=[False, True, True], kind="stable").head(limit)
    return [screen._board_line(r, pd.Timestamp(r.day).strftime("%m-%d")) for r in rows.itertuples()]


def test_board_is_the_newest_inspections_and_visits_with_ties_at_the_cut(demo_db):
    """The board's query joins names only to rows as new as its last line: every limit (cutting
    inside a day's rows too) gives the first lines of the same list, as the registers say."""
    town = geography.townships().query("district == '360822'")["code"].iloc[0]
    for scope in (Scope.city(), Scope.of("360822"), Scope(("360822",), town)):
        for period in demo_db.periods()[-2:]:
            ctx = Context(scope, period, TODAY)
            full = screen.board(demo_db, ctx, limit=60)
            assert full == _board_reference(demo_db, ctx, 60), (scope, period)
            for n in range(1, 25):
                assert screen.board(demo_db, ctx, limit=n) == full[:n], (scope, period, n)
    ctx = Context(Scope.city(), demo_db.periods()[-1], TODAY)
    assert len(screen.board(demo_db, ctx, limit=60)) == 60  # the city has more rows than that
