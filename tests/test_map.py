"""The map builders: layers, legend, offline assets, escaping, coordinates."""

import datetime as dt
import json
import re
import shutil
import subprocess

import pytest
from streamlit_folium import _get_map_string

from sanqu import geography
from sanqu.context import Context
from sanqu.ingest import demo
from sanqu.mapping import gcj02, mapdata, webmap
from sanqu.mapping.safe_js import js_json, js_parsed
from sanqu.scope import Scope
from tests import stores, tiny
from tests.evil import PAYLOADS, evil_rows

TODAY = dt.date(2026, 11, 26)
ALL = webmap.MapOptions(layers=tuple(webmap.LAYERS))


def _html(db, scope=None, opts=ALL, period=None) -> str:
    m = webmap.build(db, Context(scope or Scope.city(), period or db.periods()[-1], TODAY), opts)
    return m.get_root().render()


def test_wgs2gcj_published_vector():
    assert gcj02.wgs2gcj(120, 40) == pytest.approx((120.00567568355486, 40.0013047896019), abs=1e-12)
    x, y = gcj02.wgs2gcj(114.9, 27.1)
    assert gcj02.gcj2wgs(x, y) == pytest.approx((114.9, 27.1), abs=1e-7)


def test_js_json_is_inert():
    text = js_json({"n": "</script><script>${alert(1)}`\u2028"})
    for bad in ("<", ">", "`", "${", "\u2028"):
        assert bad not in text
    assert "\\u003c/script\\u003e" in text


@pytest.fixture(scope="module")
def city_html(demo_db) -> str:
    return _html(demo_db)


def test_layers_and_legend_present(city_html):
    shown = _shown_layers(city_html)
    for name in ["区县 · 工业园区 · 组织覆盖率", *webmap.LAYERS.values()]:
        assert name in shown, name  # the map shows it (sanqu.show)
    # one layer control, the page's 图层 pills (in the URL): no Leaflet layer control in the map
    assert "sanqu.legend(" in city_html and "L.control.layers(" not in city_html
    legend = js_json(webmap.legend_spec("park_org"))
    assert legend in city_html
    for label in ("低于 50%", "95% 及以上", "无应覆盖对象", "不在当前筛选范围"):
        assert js_json(label)[1:-1] in legend


def test_every_asset_comes_from_the_app(city_html, demo_db):
    assert not re.search(r"https?://", city_html)
    m = webmap.build(demo_db, Context(Scope.city(), demo_db.periods()[-1], TODAY), ALL)
    m.get_root().render()
    links = [
        src for el in m._children.values() for _, src in getattr(el, "default_js", []) + getattr(el, "default_css", [])
    ]
    links += [src for _, src in m.default_js + m.default_css]
    assert links and all(src.startswith("/app/static/") for src in links)
    assert "cdn" not in " ".join(links)


def test_all_communities_and_points_are_sent(demo_db, city_html):
    period = demo_db.periods()[-1]
    assert len(mapdata.communities(demo_db, Context(Scope.city(), period))) == 2967
    ents = mapdata.enterprises(demo_db, Context(Scope.city(), period))
    assert set(ents["cover"]) == {"单独组建", "企企合建", "村企共建", "企会联建", "未覆盖"}
    assert city_html.count('"rows":[') == 6  # five point layers and the edges
    assert len(city_html.encode()) < 1_500_000


def test_choropleth_values_and_out_of_scope_districts(demo_db):
    from sanqu.mapping import drill
    from tests.test_drill import _features

    html = _html(demo_db, Scope.of("360822"))
    assert len(_features(html, "choropleth")) == 13
    cells = drill.township_cells("360822").cells  # a county: its townships' approximate areas too
    assert [f["properties"]["code"] for f in _features(html, "townships")] == [c.code for c in cells]
    assert html.count('"code":"') == 13 + len(cells)
    assert html.count(js_json("不在当前范围")[1:-1]) == 12
    vals = mapdata.district_values(demo_db, Context(Scope.of("360822"), demo_db.periods()[-1], TODAY), "park_org")
    assert vals["district"].tolist() == ["360822"]


def test_township_areas_are_coloured_by_their_own_counts(demo_db, demo_data):
    """At a county, each township area carries its own community coverage (grid units), recounted
    from the register CSVs by the community's 乡镇街道代码 (tests/test_township.py's count)."""
    from tests.test_drill import _features
    from tests.test_township import community_count

    assert demo_db.periods()[-1] == "2026Q3"  # community_count's quarter
    opts = webmap.MapOptions(indicator="community_org", layers=())
    html = _html(demo_db, Scope.of("360822"), opts)
    cells = {f["properties"]["code"]: f["properties"] for f in _features(html, "townships")}
    valued = 0
    for code, props in cells.items():
        n, d = community_count(demo_data, code)
        if d:
            valued += 1
            assert props["value"].endswith(f"（{n:,} / {d:,}）"), (code, props["value"], n, d)
            assert props["fill"] == webmap.class_colour(n / d)
        else:
            assert props["value"] == webmap.NO_UNITS and "fill" not in props  # the county's colour shows
    assert valued >= 10  # most of 吉水县's areas have communities


def test_scoped_layers_hold_only_that_district(demo_db):
    period, scope = demo_db.periods()[-1], Scope.of("360881")
    for df in (
        mapdata.enterprises(demo_db, Context(scope, period)),
        mapdata.communities(demo_db, Context(scope, period)),
        mapdata.scenic(demo_db, Context(scope, period)),
        mapdata.parks(demo_db, Context(scope, period)),
    ):
        assert set(df["district"]) == {"360881"}
        inside = [geography.district_at(x, y) for x, y in zip(df["x"], df["y"])]
        assert sum(d == "360881" for d in inside) >= 0.8 * len(df)


def test_not_exact_points_are_marked(demo_db):
    ents = mapdata.enterprises(demo_db, Context(Scope.city(), demo_db.periods()[-1]))
    assert 0 < (~ents["exact"]).sum() < len(ents)


@pytest.fixture(scope="module")
def evil_db(tmp_path_factory):
    yield from stores.opened(tmp_path_factory.mktemp("evil"), evil_rows(demo.generate()))


def test_injection_payloads_stay_text_and_script_parses(evil_db, tmp_path):
    m = webmap.build(evil_db, Context(Scope.city(), evil_db.periods()[-1], TODAY), ALL)
    html = m.get_root().render()
    for payload in PAYLOADS:
        assert payload not in html
    assert "alert(" in html  # the names are there, escaped
    assert html.count("<script") == html.count("</script>")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "map.js"
    script.write_text(_get_map_string(m), encoding="utf-8")
    subprocess.run([node, "--check", str(script)], check=True, capture_output=True)


def test_gcj_basemap_shifts_points_and_polygons(demo_db):
    from sanqu.mapping import basemaps

    assert basemaps.enabled() == []  # tiles are off unless configured
    wgs = _html(demo_db, Scope.of("360881"), webmap.MapOptions(layers=("parks",)))
    gcj = _html(demo_db, Scope.of("360881"), webmap.MapOptions(layers=("parks",), basemap="amap"))
    assert "autonavi" not in wgs and "autonavi" in gcj
    first = lambda h: re.search(r'"coordinates":\[\[\[\[([0-9.]+),([0-9.]+)\]', h).groups()  # noqa: E731
    (x0, y0), (x1, y1) = map(float, first(wgs)), map(float, first(gcj))
    assert (x1, y1) == pytest.approx(gcj02.wgs2gcj(x0, y0), abs=2e-5)


def test_fit_view_city_and_district():
    (lat, lon), zoom = webmap.fit_view(Scope.city(), 720)
    assert 26.5 < lat < 27.5 and 114.5 < lon < 115.5 and 7.5 <= zoom <= 9
    _, zoom_one = webmap.fit_view(Scope.of("360802"), 720)
    assert zoom_one > zoom


def test_district_at():
    assert geography.district_at(114.17, 26.58) == "360881"
    assert geography.district_at(120.0, 40.0) is None


def test_tiny_map_builds(tiny_db):
    html = _html(tiny_db, Scope.city(), ALL, "2026Q3")
    shown = {f"企业{e['enterprise_id'][-4:]}" for e in tiny.ROWS["enterprises"]} - {"企业0006", "企业0008"}
    for name in shown:  # every operating non-public enterprise is drawn
        assert js_json(name)[1:-1] in html
    assert js_json("企业0006")[1:-1] not in html  # state-owned: not in the coverage layer


def test_js_json_writes_null_for_nan():
    assert js_json({"a": float("nan"), "b": [1.5, float("inf")]}) == '{"a":null,"b":[1.5,null]}'


def _shown_layers(script: str) -> set[str]:
    """Names of the map's layers that the built map adds (shows), from st_folium's script."""
    return {json.loads(name) for name in re.findall(r'sanqu\.show\(map_\w+, ("[^"]*"), \w+\);', script)}


def _map_page(demo_dir, **params):
    from tests.test_pages import _app

    at = _app(demo_dir, **params)
    at.switch_page("views/map.py").run()
    assert not at.exception, at.exception
    return at


DEFAULT_NAMES = {webmap.LAYERS[k] for k in webmap.DEFAULT_LAYERS}
CHOROPLETH = "区县 · 工业园区 · 组织覆盖率"


@pytest.mark.parametrize(
    ("raw", "message", "used"),
    [
        (
            "moon",
            "图层「layers=moon」无效，已改用默认图层：工业园区、园区企业、旅游景区、示范点",
            webmap.DEFAULT_LAYERS,
        ),
        ("", "图层「layers=」无效，已改用默认图层：工业园区、园区企业、旅游景区、示范点", webmap.DEFAULT_LAYERS),
        ("moon,sun", "「layers=moon,sun」无效，已改用默认图层", webmap.DEFAULT_LAYERS),
        (
            "scenic,moon,relations",
            "「layers=scenic,moon,relations」中的「moon」无效，已忽略；显示：旅游景区、关系连线",
            ("scenic", "relations"),
        ),
    ],
)
def test_invalid_layers_in_the_url_show_the_default_or_the_valid_ones_with_a_message(demo_dir, raw, message, used):
    from tests.test_pages import _map_args

    at = _map_page(demo_dir, layers=raw)
    warnings = [w.value for w in at.warning]
    assert any(message in w for w in warnings), warnings
    assert tuple(at.button_group(key="layers").value) == used
    assert _shown_layers(_map_args(at)["script"]) == {CHOROPLETH} | {webmap.LAYERS[k] for k in used}
    assert at.query_params["layers"] == ",".join(used)


def test_layers_none_in_the_url_is_an_empty_choice_and_round_trips(demo_dir):
    from tests.test_pages import _map_args

    at = _map_page(demo_dir, layers="none")
    assert not at.warning
    assert at.button_group(key="layers").value == []
    assert _shown_layers(_map_args(at)["script"]) == {CHOROPLETH}
    assert at.query_params["layers"] == "none"
    at = _map_page(demo_dir)  # no parameter: the default layers
    assert _shown_layers(_map_args(at)["script"]) == {CHOROPLETH} | DEFAULT_NAMES
    at.button_group(key="layers").set_value([]).run()
    assert at.query_params["layers"] == "none"  # the person's empty choice, kept in the link


def test_js_parsed_is_inert_and_reads_back_the_data(tmp_path):
    data = {"n": "</script>${x}`'\"\\ \u2028 {{ 7*7 }} 吉安", "v": [1.5, None]}
    text = js_parsed(data)
    for ch in "<>`$\u2028\n":
        assert ch not in text
    assert text.startswith("JSON.parse('") and text.count("'") == 2
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "parse.js"
    script.write_text(f"process.stdout.write(JSON.stringify({text}));", encoding="utf-8")
    out = subprocess.run([node, str(script)], check=True, capture_output=True, text=True).stdout
    assert json.loads(out) == data


def test_city_frames_narrowed_to_a_district_are_that_districts_frames(demo_db):
    period = demo_db.periods()[-1]
    city, one = Context(Scope.city(), period, TODAY), Context(Scope.of("360822"), period, TODAY)
    for fn in (mapdata.parks, mapdata.enterprises, mapdata.communities, mapdata.scenic, mapdata.demo_sites):
        narrowed, direct = mapdata.in_scope(fn(demo_db, city), one.scope), fn(demo_db, one)
        assert len(direct) > 0 and narrowed.equals(direct), fn.__name__
    narrowed = mapdata.in_scope(mapdata.district_values(demo_db, city, "park_org"), one.scope)
    assert narrowed.equals(mapdata.district_values(demo_db, one, "park_org"))


def _layer_data(layer: webmap.JsLayer) -> dict:
    """A layer's data as the browser parses it (the inverse of js_parsed)."""
    return json.loads(layer.data.removeprefix("JSON.parse('").removesuffix("')").replace("\\\\", "\\"))


def _shown_rows(layer: webmap.JsLayer) -> tuple[list, list]:
    """A point layer's columns and rows as the browser has them once the coded columns are put
    back (the inverse of js_parsed, then of `codes`), the rows sorted."""
    data = _layer_data(layer)
    index = {c: i for i, c in enumerate(data["columns"])}
    rows = [list(r) for r in data["rows"]]
    for column, values in data.get("codes", {}).items():
        for r in rows:
            r[index[column]] = values[r[index[column]]]
    return data["columns"], sorted(json.dumps(r, ensure_ascii=False) for r in rows)


@pytest.mark.parametrize("gcj", [False, True])
def test_region_layers_cut_to_a_scope_show_what_the_scopes_own_layers_show(demo_db, gcj):
    period = demo_db.periods()[-1]
    city = Context(Scope.city(), period, TODAY)
    proj = webmap._Project(gcj)
    for key, (query, make) in webmap.POINT_LAYERS.items():
        region = webmap.region_layer(demo_db, city, key, gcj)
        assert region is not None, key
        for scope in (Scope.city(), Scope.of("360822"), Scope.of("360802")):
            own = make(query(demo_db, Context(scope, period, TODAY)), proj)
            cut = region.layer(scope)
            assert _shown_rows(cut) == _shown_rows(own), (key, scope.codes)
            assert (cut.factory, cut.label, cut.opts) == (own.factory, own.label, own.opts)
            assert len(_shown_rows(cut)[1]) == len(query(demo_db, Context(scope, period, TODAY)))
            assert _unused_codes(cut) == {}, (key, scope.codes)  # no other district's names


def _unused_codes(layer: webmap.JsLayer) -> dict[str, list]:
    """A coded column's values that no row of the layer uses (would name another district's)."""
    data = _layer_data(layer)
    out = {}
    for column, values in data.get("codes", {}).items():
        at = data["columns"].index(column)
        used = {r[at] for r in data["rows"]}
        if unused := [v for i, v in enumerate(values) if i not in used]:
            out[column] = unused
    return out


def test_the_map_made_with_region_layers_sends_the_same_points(demo_db):
    period = demo_db.periods()[-1]
    city, one = Context(Scope.city(), period, TODAY), Context(Scope.of("360822"), period, TODAY)
    layers: dict = {}

    def region(key: str, gcj: bool):
        return layers.setdefault((key, gcj), webmap.region_layer(demo_db, city, key, gcj))

    for ctx in (city, one):
        html = webmap.build(demo_db, ctx, ALL, region=region).get_root().render()
        assert html.count('"rows":[') == 6  # five point layers and the edges
        plain = webmap.build(demo_db, ctx, ALL).get_root().render()
        for name in ("sanqu.pointLayer", "sanqu.lineLayer", "sanqu.choropleth", "sanqu.legend"):
            assert html.count(name) == plain.count(name)
