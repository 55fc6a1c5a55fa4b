"""The briefing pack (简报): a PDF with Chinese fonts embedded, made offline.

Overview KPIs, the district map, each zone's key charts and the demonstration-site board
for the current filter. Charts are drawn with matplotlib (no browser on the server);
the PDF is written with fpdf2, which embeds a subset of Noto Sans CJK SC.
"""

import io
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from fpdf import FPDF  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from sanqu import (
    fmt,  # noqa: E402
    periods,  # noqa: E402
)
from sanqu.context import Context  # noqa: E402
from sanqu.geography import district_name, district_shapes  # noqa: E402
from sanqu.ingest.registers import ZONES  # noqa: E402
from sanqu.mapping import mapdata  # noqa: E402
from sanqu.metrics import overview  # noqa: E402
from sanqu.metrics.indicators import indicator  # noqa: E402
from sanqu.metrics.ranking import no_data_last  # noqa: E402
from sanqu.programmes import sites  # noqa: E402
from sanqu.storage.db import Database  # noqa: E402

FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk")
FONT_FILE = "NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # the Simplified Chinese face in Noto's collection
ZONE_KPIS = {z: (f"{z}_org", f"{z}_own", f"{z}_joint", f"{z}_work") for z in ZONES}


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


def district_map_png(db: Database, ctx: Context, key: str) -> bytes:
    """The districts coloured by an indicator, with name and rate labels."""
    _mpl_font()
    shapes = district_shapes(True)
    values = mapdata.district_values(db, ctx, key).set_index("district")
    shapes = shapes.assign(rate=shapes["district"].map(values["rate"].astype(float) * 100))
    fig, ax = plt.subplots(figsize=(7, 7.5))
    shapes.plot(
        column="rate",
        ax=ax,
        cmap="Reds",
        vmin=0,
        vmax=100,
        edgecolor="#555",
        linewidth=0.6,
        legend=True,
        legend_kwds={"label": f"{indicator(key).title}（%）", "shrink": 0.6},
        missing_kwds={"color": "#f5f5f5", "label": "不在范围"},
    )
    # in scope but nothing to count: hatched grey and named so, never the colour of 0 %
    nodata = shapes["district"].isin(ctx.scope.codes) & shapes["rate"].isna()
    if nodata.any():
        shapes[nodata].plot(ax=ax, color="#bdbdbd", hatch="///", edgecolor="#555", linewidth=0.6)
    note = fmt.no_data(indicator(key).zone)
    for code, geom, rate, empty in zip(shapes["district"], shapes.geometry, shapes["rate"], nodata):
        p = geom.representative_point()
        label = district_name(code) + (f"\n{note}" if empty else "" if rate != rate else f"\n{rate:.1f}%")
        ax.annotate(label, (p.x, p.y), ha="center", va="center", fontsize=8)
    ax.set_axis_off()
    ax.set_title(f"{indicator(key).title}（分区县）", fontsize=13)
    return _png(fig)


def zone_chart_png(db: Database, ctx: Context, zone: str) -> bytes:
    """Per-district organisation coverage of a zone, and its trend over the quarters."""
    _mpl_font()
    # highest on top (barh draws the first row at the bottom); nothing to cover: bottom, no bar
    table = no_data_last(overview.district_table(db, ctx), f"{zone}_rate").iloc[::-1]
    trend = overview.trend(db, ctx, f"{zone}_org")
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1.2, 1]})
    a.barh(table["name"], table[f"{zone}_rate"] * 100, color="#c8161d")
    for y, (r, n, d) in enumerate(zip(table[f"{zone}_rate"], table[f"{zone}_num"], table[f"{zone}_den"])):
        if r == r:
            a.text(r * 100 + 1, y, f"{r * 100:.1f}%（{int(n)}/{int(d)}）", va="center", fontsize=7)
        else:
            a.text(1, y, fmt.no_data(zone), va="center", fontsize=7, color="#777")
    a.set_xlim(0, 125)
    a.set_title(f"{ZONES[zone]} · 各区县组织覆盖率", fontsize=11)
    a.tick_params(labelsize=8)
    b.plot(trend["period"], trend["rate"] * 100, marker="o", color="#c8161d")
    b.set_ylim(0, 100)
    b.set_title(f"{ZONES[zone]} · 组织覆盖率走势（%）", fontsize=11)
    b.tick_params(labelsize=7, axis="x", rotation=45)
    fig.tight_layout()
    return _png(fig)


class _Pdf(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font("cjk", "", str(cjk_font()), collection_font_number=SC_INDEX)
        self.set_auto_page_break(True, margin=15)

    def footer(self):
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 6, f"{self.footer_text}　第 {self.page_no()} 页", align="C")


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    pdf.set_font("cjk", size=9)
    pdf.set_fill_color(240, 228, 228)
    for h, w in zip(header, widths):
        pdf.cell(w, 7, h, border=1, fill=True, align="C")
    pdf.ln()
    for row in rows:
        for v, w in zip(row, widths):
            pdf.cell(w, 6.5, v, border=1, align="C")
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


def build(db: Database, ctx: Context, demo: bool) -> bytes:
    """The whole briefing pack as PDF bytes."""
    scope, period, today = ctx.scope, ctx.period, ctx.today
    label = "演示数据 · " if demo else ""
    data_date = db.meta().get("data_date", "")
    pdf = _Pdf(f"{label}{scope.label} · {periods.label(period)} · 数据截至 {data_date}")
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, f"{scope.label}三区党建工作简报", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", size=10)
    line = f"工业园区 · 城乡社区 · 旅游景区　{periods.label(period)}　数据截至 {data_date}　生成于 {today}"
    pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT", align="C")
    if demo:
        pdf.set_text_color(180, 90, 0)
        pdf.cell(
            0,
            7,
            "演示数据：地名与区划代码真实，企业、组织与数字均为生成，不是真实台账。",
            new_x="LMARGIN",
            new_y="NEXT",
            align="C",
        )
        pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "一、主要指标", new_x="LMARGIN", new_y="NEXT")
    _table(
        pdf,
        ["领域", "指标", "比率", "分子 / 分母", "环比", "同比"],
        _kpi_rows(db, ctx),
        [24, 30, 22, 42, 36, 36],
    )
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "二、分区县组织覆盖（工业园区）", new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(district_map_png(db, ctx, "park_org")), w=150, x=30)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "三、各领域重点图表", new_x="LMARGIN", new_y="NEXT")
    for zone in ZONES:
        pdf.image(io.BytesIO(zone_chart_png(db, ctx, zone)), w=185)
        pdf.ln(2)
    _site_board(pdf, db, ctx)
    return bytes(pdf.output())


def _site_board(pdf: FPDF, db: Database, ctx: Context) -> None:
    df = sites.sites(db, ctx)
    pdf.add_page()
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, f"四、示范点推进情况（截至 {ctx.today}）", new_x="LMARGIN", new_y="NEXT")
    counts = df.groupby(["stage", "status"]).size().unstack(fill_value=0)
    rows = []
    for stage in sites.STAGES:
        r = counts.loc[stage] if stage in counts.index else {}
        rows.append(
            [stage]
            + [str(int(r.get(s, 0))) for s in ("green", "amber", "red")]
            + [str(int(sum(r.get(s, 0) for s in ("green", "amber", "red"))))]
        )
    _table(pdf, ["阶段", "正常", "预警", "逾期", "合计"], rows, [38, 36, 36, 36, 36])
    pdf.ln(4)
    late = df[df["status"] != "green"].sort_values(["status", "progress"], ascending=[False, True])
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 8, f"需关注的示范点（{len(late)} 个）", new_x="LMARGIN", new_y="NEXT")
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
