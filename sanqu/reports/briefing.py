"""The briefing pack (简报): a PDF with Chinese fonts embedded, made offline.

What a secretary puts in front of a leader, for the current filter:
1. a cover: the title, the three headline rates, a written summary (综述) and the KPI table;
2. one page per zone: its figures in a sentence, a map (districts coloured by organisation
   coverage; one county: its townships) and a ranking (by district; by TOWNSHIP when one county
   is chosen) on a 0–100 % axis with the value on each bar;
3. the demonstration-site board (stage × status, sites by district or zone, those needing attention).

The summary is made only from figures and place names (districts, townships, zones), never from
register free text. A chart with nothing to show is the words 无数据. With demo data every page
says 演示数据 at its head and foot. The PDF carries title, author, subject and keywords.
Charts are drawn with matplotlib (no browser on the server); fpdf2 embeds a subset of
Noto Sans CJK SC.
"""

import datetime as dt
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from fpdf import FPDF  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib import patheffects as pe  # noqa: E402

from sanqu import fmt, geography, periods  # noqa: E402
from sanqu.context import Context  # noqa: E402
from sanqu.geography import district_name, district_shapes, townships  # noqa: E402
from sanqu.ingest.registers import ZONES  # noqa: E402
from sanqu.metrics import overview, places  # noqa: E402
from sanqu.metrics.coverage import coverage  # noqa: E402
from sanqu.metrics.indicators import indicator  # noqa: E402
from sanqu.programmes import sites  # noqa: E402
from sanqu.storage.db import Database  # noqa: E402

AUTHOR = geography.app_title() + "数据平台"  # 吉安市三区党建数据平台

FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk")
FONT_FILE = "NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # the Simplified Chinese face in Noto's collection
ZONE_KPIS = {z: (f"{z}_org", f"{z}_own", f"{z}_joint", f"{z}_work") for z in ZONES}
ZONE_UNITS = {"park": "家企业", "community": "个小区和两新组织", "scenic": "个景区景点"}
RED = "#c8161d"
ZONE_COLOURS = {"park": RED, "community": "#e08a1e", "scenic": "#2a7ab0"}
DEMO_NOTE = "演示数据：地名与区划代码真实，企业、组织与数字均为生成，不是真实台账。"
NO_DATA = "无数据"


class FontMissing(RuntimeError):
    """No CJK font: install fonts-noto-cjk."""


@lru_cache(maxsize=1)
def cjk_font() -> Path:
    for d in FONT_DIRS:
        path = Path(d) / FONT_FILE
        if path.exists():
            return path
    raise FontMissing("找不到中文字体 NotoSansCJK-Regular.ttc：请安装 fonts-noto-cjk 后再生成简报。")


@lru_cache(maxsize=1)
def _mpl_font() -> str:
    font_manager.fontManager.addfont(str(cjk_font()))
    name = font_manager.FontProperties(fname=str(cjk_font())).get_name()
    plt.rcParams["font.family"] = [name]
    plt.rcParams["axes.unicode_minus"] = False
    return name


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


# --------------------------------------------------------------------------- figures


def _where(scope) -> str:
    """How the summary names the scope: 全市 (全省 for a province's pack) for the whole region,
    else the unit or districts."""
    return f"全{geography.region_name()[-1]}" if scope.is_city else scope.label


def _by_township(ctx: Context) -> bool:
    """One county (or a township of it): its places are its townships (`places.level`)."""
    return places.level(ctx.scope) == "township"


def _by_city(ctx: Context) -> bool:
    """The whole of a province's pack: its places are its cities (a hundred counties do not read)."""
    return places.level(ctx.scope) == "city"


def _city_of(county: str) -> str:
    return geography.pack().unit(county).parent


def _places_word(ctx: Context) -> str:
    return "乡镇（街道）" if _by_township(ctx) else "设区市" if _by_city(ctx) else "区县"


def ranking(db: Database, ctx: Context, zone: str) -> pd.DataFrame:
    """Organisation coverage of a zone per district (per township when the scope is one county,
    per city for the whole of a province): code, name, numerator, denominator, rate; places with
    nothing to cover left out; lowest first."""
    ind = indicator(f"{zone}_org")
    by = places.level(ctx.scope)
    df = coverage(db, ctx, zone, by=(by,))
    df = df[df[ind.denominator] > 0]
    names = townships().set_index("code")["name"] if by == "township" else None
    out = pd.DataFrame(
        {
            "code": df[by],
            "name": df[by].map(names) if names is not None else df[by].map(places.name),
            "numerator": df[ind.numerator].astype(int),
            "denominator": df[ind.denominator].astype(int),
        }
    )
    out["name"] = out["name"].fillna(out["code"])
    out["rate"] = out["numerator"] / out["denominator"]
    return out.sort_values(["rate", "code"]).reset_index(drop=True)


def missing(ctx: Context, ranks: pd.DataFrame) -> list[str]:
    """Districts of the scope with nothing of the zone to cover (no rate: shown as such, last);
    for one county's townships, none (a township without the zone is simply not a place of it)."""
    if _by_township(ctx):
        return []
    return [c for c in places.every(ctx.scope) if c not in set(ranks["code"])]


def _change_words(change: float | None) -> str:
    if change is None:
        return "无上季度数据可比"
    if abs(change) < 0.05:
        return "环比持平"
    return f"环比{'上升' if change > 0 else '下降'} {abs(change):.1f} 个百分点"


def zone_sentence(k: overview.Kpi, ranks: pd.DataFrame, where: str, word: str) -> str:
    """One zone's figures in words: rate, change, lowest and highest place, what is left."""
    zone = k.indicator.zone
    if k.denominator == 0:
        return f"{where}{ZONES[zone]}：本季度无应覆盖对象，{NO_DATA}。"
    rate = f"{fmt.pct(k.rate)}（{k.numerator:,}/{k.denominator:,}）"
    text = f"{where}{ZONES[zone]}组织覆盖率 {rate}，{_change_words(k.change)}"
    if len(ranks) > 1:
        low, high = ranks.iloc[0], ranks.iloc[-1]
        text += f"；{word}中{low['name']}最低 {fmt.pct(low['rate'])}，{high['name']}最高 {fmt.pct(high['rate'])}"
    left = k.denominator - k.numerator
    text += f"；尚有 {left:,} {ZONE_UNITS[zone]}未覆盖。" if left else "；已全部覆盖。"
    return text


def sites_sentence(df: pd.DataFrame, today: dt.date | None) -> str:
    if df.empty:
        return f"示范点：截至 {today} 无示范点，{NO_DATA}。"
    c = sites.status_counts(df)
    return (
        f"示范点 {len(df)} 个（截至 {today}）：正常 {c['green']} 个、预警 {c['amber']} 个、逾期 {c['red']} 个"
        f"；平均进度 {df['progress'].mean() * 100:.1f}%。"
    )


@dataclass(frozen=True)
class Summary:
    """The written summary: one sentence per zone and one for the demonstration sites."""

    zones: dict[str, str]
    sites: str

    @property
    def lines(self) -> list[str]:
        return [*self.zones.values(), self.sites]


def summary(db: Database, ctx: Context) -> Summary:
    """The 综述, from figures and place names only."""
    where, word = _where(ctx.scope), "各" + _places_word(ctx)
    zones = {
        zone: zone_sentence(overview.kpi(db, ctx, f"{zone}_org"), ranking(db, ctx, zone), where, word) for zone in ZONES
    }
    return Summary(zones, sites_sentence(sites.sites(db, ctx), sites.status_day(db, ctx)))


# --------------------------------------------------------------------------- charts


def _halo(text) -> None:
    """Dark text with a white outline: readable on any fill, light or dark red."""
    text.set_path_effects([pe.withStroke(linewidth=2.5, foreground="white")])


def zone_map_png(ctx: Context, zone: str, ranks: pd.DataFrame) -> bytes:
    """The districts coloured by the zone's organisation coverage (0–100 %); for one county, that
    county with its townships as dots coloured the same way."""
    _mpl_font()
    shapes = district_shapes(True)
    fig, ax = plt.subplots(figsize=(7.2, 5.6))
    cmap, norm = plt.get_cmap("Reds"), plt.Normalize(0, 100)
    if _by_township(ctx):
        code = ctx.scope.counties[0]
        county = shapes[shapes["district"] == code]
        shapes.plot(ax=ax, color="#f3f3f3", edgecolor="#bbb", linewidth=0.5)
        county.plot(ax=ax, color="#fbeaea", edgecolor="#555", linewidth=1.0)
        pts = townships().set_index("code")
        dots = ranks.join(pts[["lon", "lat"]], on="code").dropna(subset=["lon"])
        ax.scatter(
            dots["lon"], dots["lat"], c=dots["rate"] * 100, cmap=cmap, norm=norm, s=90, edgecolors="#333", zorder=3
        )
        for r in dots.itertuples():
            _halo(ax.annotate(f"{r.name}\n{r.rate * 100:.1f}%", (r.lon, r.lat), xytext=(0, 8),
                              textcoords="offset points", ha="center", va="bottom", fontsize=6.5))  # fmt: skip
        x0, y0, x1, y1 = county.total_bounds
        pad = max(x1 - x0, y1 - y0) * 0.08
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
        title = f"{ctx.scope.label} · {ZONES[zone]}组织覆盖率（分乡镇街道）"
    else:
        _district_map(ax, _map_shapes(ctx, shapes), ranks, missing(ctx, ranks), zone)
        title = f"{ZONES[zone]}组织覆盖率（分{_places_word(ctx)}）"
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.6, pad=0.01)
    bar.set_label("组织覆盖率（%）")
    ax.set_axis_off()
    ax.set_title(title, fontsize=11)
    return _png(fig)


def _map_shapes(ctx: Context, shapes):
    """The places the map colours: the province's cities for the whole of a province; else the
    counties of the cities the scope lies in (a city of a province pack: its own counties)."""
    if _by_city(ctx):
        cities = geography.pack().boundaries("city")
        if cities is not None:
            return cities.rename(columns={"adcode": "district"})[["district", "name", "geometry"]]
    around = {_city_of(c) for c in ctx.scope.counties}
    return shapes[shapes["district"].map(_city_of).isin(around)]


def _district_map(ax, shapes, ranks: pd.DataFrame, empty: list[str], zone: str) -> None:
    """Districts by rate; a district of the scope with nothing to cover hatched grey and named so,
    never drawn in the colour of 0 %."""
    rates = ranks.set_index("code")["rate"] * 100
    shapes = shapes.assign(rate=shapes["district"].map(rates))
    shapes.plot(column="rate", ax=ax, cmap="Reds", vmin=0, vmax=100, edgecolor="#555", linewidth=0.6,
                missing_kwds={"color": "#eeeeee"})  # fmt: skip
    nodata = shapes["district"].isin(empty)
    if nodata.any():
        shapes[nodata].plot(ax=ax, color="#bdbdbd", hatch="///", edgecolor="#555", linewidth=0.6)
    for c, geom, rate, none in zip(shapes["district"], shapes.geometry, shapes["rate"], nodata):
        p = geom.representative_point()
        figure = f"\n{fmt.no_data(zone)}" if none else "" if rate != rate else f"\n{rate:.1f}%"
        label = geography.unit_name(c) + figure
        _halo(ax.annotate(label, (p.x, p.y), ha="center", va="center", fontsize=7.5))


def ranking_png(ranks: pd.DataFrame, zone: str, title: str, empty: tuple[str, ...] = ()) -> bytes:
    """Horizontal bars, highest at the top (`ranks` lowest first: barh draws the first row at the
    bottom), on a 0–100 % axis, 'rate（n/d）' at each bar's end; the districts in `empty` (nothing
    to cover) listed last, at the bottom, with a note and no bar."""
    _mpl_font()
    n = len(ranks) + len(empty)
    fig, ax = plt.subplots(figsize=(7.2, 0.7 + min(0.27, 4.2 / max(1, n)) * n))
    names = [geography.unit_name(c) for c in empty] + list(ranks["name"])
    ax.barh(names, [0.0] * len(empty) + list(ranks["rate"] * 100), color=ZONE_COLOURS[zone], height=0.62)
    for y in range(len(empty)):
        ax.text(1, y, fmt.no_data(zone), va="center", ha="left", fontsize=7.5, color="#666")
    for y, r in enumerate(ranks.itertuples(), start=len(empty)):
        inside = r.rate > 0.7
        ax.text(r.rate * 100 + (-1 if inside else 1), y, f"{r.rate * 100:.1f}%（{r.numerator:,}/{r.denominator:,}）",
                va="center", ha="right" if inside else "left", fontsize=7.5,
                color="white" if inside else "#222")  # fmt: skip
    ax.set_xlim(0, 100)
    ax.set_xlabel("组织覆盖率（%）", fontsize=8)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return _png(fig)


def trend_png(trend: pd.DataFrame, zone: str) -> bytes:
    """The zone's organisation coverage over the quarters (0–100 %), each point labelled."""
    _mpl_font()
    fig, ax = plt.subplots(figsize=(7.2, 2.4))
    known = trend.dropna(subset=["rate"])
    x = [periods.label(p).replace("年第", "年\n第") for p in known["period"]]
    ax.plot(x, known["rate"] * 100, marker="o", color=ZONE_COLOURS[zone])
    for xi, r in zip(x, known["rate"]):
        ax.annotate(f"{r * 100:.1f}%", (xi, r * 100), xytext=(0, 5), textcoords="offset points", ha="center",
                    fontsize=7)  # fmt: skip
    ax.set_ylim(0, 100)
    ax.set_ylabel("%", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{ZONES[zone]} · 组织覆盖率走势", fontsize=10)
    fig.tight_layout()
    return _png(fig)


def sites_png(df: pd.DataFrame, ctx: Context) -> bytes:
    """Sites by status, per district (per zone when the scope is one county)."""
    _mpl_font()
    if _by_township(ctx):
        groups = df.groupby(["zone", "status"]).size().unstack(fill_value=0)
        title = f"{ctx.scope.label} · 各领域示范点状态"
    else:
        groups = sites.district_status(df, ctx.scope).set_index("name")
        groups = groups[groups["sites"] > 0]
        title = "各区县示范点状态"
    groups = groups.reindex(columns=list(sites.STATUS_LABELS), fill_value=0)[["green", "amber", "red"]]
    fig, ax = plt.subplots(figsize=(7.2, 0.8 + 0.3 * len(groups)))
    left = pd.Series(0, index=groups.index)
    for status, colour in (("green", "#3a9b4a"), ("amber", "#e0a21e"), ("red", RED)):
        ax.barh(groups.index, groups[status], left=left, color=colour, label=sites.STATUS_LABELS[status], height=0.6)
        left = left + groups[status]
    for y, total in enumerate(left):
        ax.text(total + 0.1, y, f"{int(total)} 个", va="center", fontsize=7.5)
    ax.set_xlim(0, max(1, left.max()) * 1.15)
    ax.legend(ncol=3, fontsize=8, loc="lower right", bbox_to_anchor=(1, 1.0), frameon=False)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title, fontsize=10, loc="left")
    fig.tight_layout()
    return _png(fig)


# --------------------------------------------------------------------------- the PDF


class _Pdf(FPDF):
    def __init__(self, footer_text: str, demo: bool):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.demo = demo
        self.add_font("cjk", "", str(cjk_font()), collection_font_number=SC_INDEX)
        self.set_auto_page_break(True, margin=15)

    def header(self):
        if self.demo:  # on every page, above whatever the page shows
            self.set_font("cjk", size=8)
            self.set_text_color(180, 90, 0)
            self.cell(0, 5, "演示数据 · 非真实台账", align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 6, f"{self.footer_text}　第 {self.page_no()} 页", align="C")

    def heading(self, text: str, size: float = 13) -> None:
        self.set_font("cjk", size=size)
        self.set_text_color(200, 22, 29)
        self.cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def paragraph(self, text: str, size: float = 10.5, h: float = 6.2) -> None:
        self.set_font("cjk", size=size)
        # no break inside "3.2 个百分点": CJK lines wrap at any character, so no spaces are needed to wrap
        self.multi_cell(0, h, text.replace(" ", "\u00a0"), align="L", new_x="LMARGIN", new_y="NEXT")

    def no_data(self, what: str) -> None:
        self.set_font("cjk", size=11)
        self.set_fill_color(245, 245, 245)
        self.cell(0, 16, f"{what}：{NO_DATA}", align="C", fill=True, new_x="LMARGIN", new_y="NEXT")

    def picture(self, png: bytes, width: float = 180, max_height: float | None = None) -> None:
        """A chart across the page, shrunk to the room left (a new page when too little is left)."""
        img = io.BytesIO(png)
        from PIL import Image

        w_px, h_px = Image.open(io.BytesIO(png)).size
        h = width * h_px / w_px
        room = self.h - 18 - self.get_y()
        if max_height:
            h = min(h, max_height)
        if h > room:
            if room < 60:
                self.add_page()
                room = self.h - 18 - self.get_y()
            h = min(h, room)
        w = h * w_px / h_px
        self.image(img, x=(self.w - w) / 2, w=w, h=h)
        self.ln(2)


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: list[float], h: float = 6.5) -> None:
    pdf.set_font("cjk", size=9)
    pdf.set_fill_color(240, 228, 228)
    for head, w in zip(header, widths):
        pdf.cell(w, h + 0.5, head, border=1, fill=True, align="C")
    pdf.ln()
    for row in rows:
        for v, w in zip(row, widths):
            pdf.cell(w, h, v, border=1, align="C")
        pdf.ln()


def _kpi_rows(db: Database, ctx: Context) -> list[list[str]]:
    rows = []
    for zone, keys in ZONE_KPIS.items():
        for key in keys:
            k = overview.kpi(db, ctx, key)
            change, yoy = fmt.pp(k.change) or "—", fmt.pp(k.change_yoy) or "—"
            rows.append(
                [ZONES[zone], k.indicator.name, fmt.pct(k.rate), fmt.ratio(k.numerator, k.denominator), change, yoy]
            )
    return rows


def _headline_boxes(pdf: _Pdf, db: Database, ctx: Context) -> None:
    """The three zones' organisation coverage as large figures in boxes."""
    y, w, gap = pdf.get_y(), 56, 6
    for i, key in enumerate(overview.HEADLINE):
        k = overview.kpi(db, ctx, key)
        x = pdf.l_margin + i * (w + gap)
        pdf.set_draw_color(200, 22, 29)
        pdf.rect(x, y, w, 34)
        pdf.set_xy(x, y + 3)
        pdf.set_font("cjk", size=10)
        pdf.cell(w, 6, f"{ZONES[k.indicator.zone]} · 组织覆盖率", align="C")
        pdf.set_xy(x, y + 10)
        pdf.set_font("cjk", size=22)
        pdf.set_text_color(200, 22, 29)
        pdf.cell(w, 12, fmt.pct(k.rate), align="C")
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(x, y + 24)
        pdf.set_font("cjk", size=8.5)
        pdf.cell(w, 5, f"{fmt.ratio(k.numerator, k.denominator)} · 环比 {fmt.pp(k.change) or '—'}", align="C")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y + 40)


def _cover(pdf: _Pdf, db: Database, ctx: Context, demo: bool, data_date: str, text: Summary) -> None:
    pdf.add_page()
    pdf.ln(12)
    pdf.set_font("cjk", size=24)
    pdf.cell(0, 14, f"{ctx.scope.label}三区党建工作简报", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", size=11)
    line = f"工业园区 · 城乡社区 · 旅游景区　{periods.label(ctx.period)}　数据截至 {data_date}　生成于 {ctx.today}"
    pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT", align="C")
    if demo:
        pdf.set_text_color(180, 90, 0)
        pdf.cell(0, 7, DEMO_NOTE, new_x="LMARGIN", new_y="NEXT", align="C")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(8)
    _headline_boxes(pdf, db, ctx)
    pdf.heading("一、综述")
    for sentence in text.lines:
        pdf.paragraph("　　" + sentence)
        pdf.ln(1)
    pdf.ln(3)
    pdf.heading("主要指标", size=11)
    _table(pdf, ["领域", "指标", "比率", "分子 / 分母", "环比", "同比"], _kpi_rows(db, ctx), [24, 30, 22, 42, 36, 36])


NUMBERS = "二三四五六"


def _zone_page(pdf: _Pdf, db: Database, ctx: Context, zone: str, n: int, sentence: str) -> None:
    pdf.add_page()
    pdf.heading(f"{NUMBERS[n]}、{ZONES[zone]}")
    pdf.paragraph(sentence)
    pdf.ln(1)
    _table(
        pdf,
        ["指标", "比率", "分子 / 分母", "环比", "同比"],
        [r[1:] for r in _kpi_rows_of(db, ctx, zone)],
        [40, 26, 46, 34, 34],
        h=6,
    )
    pdf.ln(3)
    ranks = ranking(db, ctx, zone)
    place = _places_word(ctx)
    if ranks.empty:
        pdf.no_data(f"{ZONES[zone]}分{place}覆盖情况")
        return
    pdf.picture(zone_map_png(ctx, zone, ranks), max_height=112 if len(ranks) <= 8 else 88)
    title = f"{ZONES[zone]} · 各{place}组织覆盖率排名"
    pdf.picture(ranking_png(ranks, zone, title, tuple(missing(ctx, ranks))))
    trend = overview.trend_to(db, ctx, f"{zone}_org")
    if len(trend) > 1 and pdf.h - 18 - pdf.get_y() > 45:  # a trend (two quarters or more) where there is room
        pdf.picture(trend_png(trend, zone), max_height=pdf.h - 20 - pdf.get_y())


def _kpi_rows_of(db: Database, ctx: Context, zone: str) -> list[list[str]]:
    return [r for r in _kpi_rows(db, ctx) if r[0] == ZONES[zone]]


def _site_board(pdf: _Pdf, db: Database, ctx: Context, sentence: str) -> None:
    df = sites.sites(db, ctx)
    pdf.add_page()
    pdf.heading(f"五、示范点推进情况（截至 {sites.status_day(db, ctx)}）")
    pdf.paragraph(sentence)
    pdf.ln(2)
    if df.empty:
        pdf.no_data("示范点")
        return
    board = sites.board(df).pivot(index="stage", columns="status", values="sites").reindex(sites.STAGES)
    rows = [
        [stage, *(str(int(board.loc[stage, s])) for s in ("green", "amber", "red")), str(int(board.loc[stage].sum()))]
        for stage in sites.STAGES
    ]
    _table(pdf, ["阶段", "正常", "预警", "逾期", "合计"], rows, [38, 36, 36, 36, 36])
    pdf.ln(4)
    pdf.picture(sites_png(df, ctx), max_height=95)
    late = df[df["status"] != "green"].sort_values(["status", "progress"], ascending=[False, True])
    pdf.heading(f"需关注的示范点（{len(late)} 个）", size=11)
    if late.empty:
        pdf.paragraph("无：全部示范点进度正常。")
        return
    rows = [
        [
            district_name(r.district),
            r.name[:22],
            r.stage,
            sites.STATUS_LABELS[r.status],
            f"{r.progress * 100:.0f}%（{r.milestones_done}/{r.milestones}）",
        ]
        for r in late.itertuples()
    ]
    _table(pdf, ["区县", "示范点", "阶段", "状态", "进度"], rows, [24, 84, 20, 20, 34])


def build(db: Database, ctx: Context, demo: bool) -> bytes:
    """The whole briefing pack as PDF bytes."""
    label = "演示数据 · " if demo else ""
    data_date = periods.data_date(ctx.period, db.meta().get("data_date", ""))
    title = f"{ctx.scope.label}三区党建工作简报（{periods.label(ctx.period)}）"
    pdf = _Pdf(f"{label}{ctx.scope.label} · {periods.label(ctx.period)} · 数据截至 {data_date}", demo)
    pdf.set_title(title)
    pdf.set_author(AUTHOR)
    pdf.set_subject(("演示数据：" if demo else "") + "工业园区、城乡社区、旅游景区党组织覆盖与示范点推进情况")
    pdf.set_keywords(f"三区党建 {ctx.scope.label} {periods.label(ctx.period)}" + (" 演示数据" if demo else ""))
    pdf.set_creator("sanqu")
    pdf.set_creation_date(dt.datetime.combine(ctx.today or dt.date.today(), dt.time(), tzinfo=dt.UTC))
    text = summary(db, ctx)
    _cover(pdf, db, ctx, demo, data_date, text)
    for n, zone in enumerate(ZONES):
        _zone_page(pdf, db, ctx, zone, n, text.zones[zone])
    _site_board(pdf, db, ctx, text.sites)
    return bytes(pdf.output())
