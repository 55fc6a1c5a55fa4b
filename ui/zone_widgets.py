"""Widgets of the three zone pages: KPI cards that open their list,
charts whose bars open their list, and the Excel export of a list."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import pandas as pd
import streamlit as st

from sanqu import fmt, periods
from sanqu.areas import zones
from sanqu.areas.zones import Count, relative
from sanqu.figures import scenic_page, vega
from sanqu.metrics.overview import Kpi
from sanqu.reports.export import to_excel
from ui import access_log
from ui.data import ahead, arrow_rows, arrow_table, cached, kept
from ui.filters import Filters, url_select, url_value
from ui.layout import data_table, kpi_card


def set_state(**values) -> Callable[[], None]:
    """A callback that sets session-state values (widgets of this page read them next run)."""

    def apply() -> None:
        for k, v in values.items():
            st.session_state[k] = v

    return apply


def count_card(
    c: Count,
    key: str,
    history: list[int] | None = None,
    lower_is_better: bool = False,
    on_list: Callable[[], None] | None = None,
) -> None:
    """A KPI that is a count: the value, its change in units (环比) and relative changes below."""
    delta = None if c.previous is None else c.value - c.previous
    delta_text = None if delta is None else ("持平" if delta == 0 else f"{delta:+,}{c.unit}")
    st.metric(
        c.name,
        f"{fmt.count(c.value)}{c.unit}",
        delta=delta_text,
        delta_color="off" if delta in (None, 0) else ("inverse" if lower_is_better else "normal"),
        delta_arrow="off" if delta == 0 else "auto",
        delta_description="环比",
        border=True,
        help=c.help,
        chart_data=history,
        chart_type="bar",
    )
    yoy = "—" if c.year_ago is None else f"{c.value - c.year_ago:+,}（{relative(c.change_yoy) or '—'}）"
    before = "—" if c.previous is None else fmt.count(c.previous)
    st.caption(f"上季度 {before} · 环比 {relative(c.change) or '—'} · 同比 {yoy}")
    if on_list is not None:
        st.button("查看名单", key=f"{key}_list", on_click=on_list, icon=":material/list:", type="tertiary")


def zone_kpi(k: Kpi, unit: str, trend: pd.DataFrame, f: Filters, on_list: Callable[[], None] | None = None) -> None:
    """A rate KPI of a zone page with its sparkline from the page's trend table."""
    history = zones.history(trend, k.indicator, f.period)
    kpi_card(k, unit, history, key=k.indicator.key, on_list=on_list)


def trend_count_card(
    trend: pd.DataFrame, column: str, f: Filters, name: str, unit: str, help: str, key: str, **kwargs
) -> None:
    """A count KPI of a zone page (a column of the page's trend table) with its bars up to the quarter."""
    c = zones.count_kpi(trend, column, f.period, name, unit, help, f.periods)
    count_card(c, key, trend[trend["period"] <= f.period][column].tolist(), **kwargs)


def _list_rows(db, ctx, zone_name: str, query: str, args: tuple, choice: str) -> pd.DataFrame:  # noqa: ARG001 (kept's signature)
    """One list of a zone page as shown: `list_view` of the rows of `LISTS[choice]` of the table
    that the zone module's `query` gives for `args` (read through `cached`). Named, not passed,
    so that the cache key is plain text."""
    zone = importlib.import_module(zone_name)
    if choice in getattr(zone, "LIST_SQL", {}):  # the zone's query picks this list's rows itself
        args = (*args, choice)
    table = cached(getattr(zone, query), ctx, *args)
    return zones.drop_empty(zone.list_view(zone.select(table, choice)))


@dataclass(frozen=True)
class ZoneList:
    """The list of a zone page: its zone module, the table it is picked from (`source` = a query of
    the zone and its filters…), and the URL parameter of its choice (one of `zone.LISTS`) with its default."""

    zone: ModuleType
    source: tuple
    param: str
    default: str

    def kept_args(self, choice: str) -> tuple:
        """`_list_rows`' arguments after the context, for one choice."""
        query, *args = self.source
        return self.zone.__name__, query.__name__, tuple(args), choice


def list_ahead(lst: ZoneList, f: Filters) -> None:
    """Start making the rows that `list_section(lst, f, …)` will show (`ui.data.ahead`), while the
    page draws what comes before it."""
    ahead(_list_rows, f.ctx, *lst.kept_args(url_value(lst.param, lst.zone.LISTS, lst.default)))


SHOWN_ROWS = 5_000  # a longer list shows its first rows on the page; its export holds every row


def list_section(
    lst: ZoneList,
    f: Filters,
    filters: dict[str, str],
    *,
    title: str,
    unit: str,
    name: str,
    key: str,
    shown: tuple[str, ...] | None = None,
    notes: dict[str, str] | None = None,
) -> None:
    """The list of a zone page: one of `lst.zone.LISTS` (kept in the URL as ?param=), its rows of
    the table `lst.source` gives, shaped by the zone's `list_view` (kept per choice), their count,
    the scope and the `shown` filters (all by default), the list's note if it has one, the table
    (its first SHOWN_ROWS rows, in the list's order) and its Excel export (every row)."""
    st.subheader(title)
    lists = lst.zone.LISTS
    choice = url_select("清单", list(lists), lst.param, lst.default, lambda k: lists[k].label)
    rows = kept(_list_rows, f.ctx, *lst.kept_args(choice))
    label = lists[choice].label
    st.markdown(f"**{label}** · 共 {len(rows):,} {unit}")
    # filter values may be register text (park and township names): plain text, not markdown
    st.text("（" + " · ".join([f.scope.label, *(filters[k] for k in shown or filters)]) + "）")
    if notes and choice in notes:
        st.caption(notes[choice])
    table = rows.head(SHOWN_ROWS)
    if len(rows) > len(table):
        st.caption(f"表中列出前 {len(table):,} {unit}（按清单顺序）；导出 Excel 含全部 {len(rows):,} {unit}。")
    shown_rows = table if len(rows) > len(table) else arrow_table(rows)  # the kept rows: their Arrow made once
    data_table(shown_rows, key=f"{key}_list_table", height=min(600, 38 + 35 * max(1, len(table))))
    download_list(rows, f"{name}{label}", f, f"{key}_export", dict(filters, 清单=label))


def scenic_figures(db, ctx, a_level: str, kind: str) -> scenic_page.ScenicFigures:
    """旅游景区's figures, their list of sites read through `cached`, as the page's list reads it:
    made once, not once for each."""
    return scenic_page.figures(db, ctx, a_level, kind, fetch=cached)


def chart(spec: dict, key: str, on_pick: Callable[[list], None] | None = None) -> None:
    """A chart of a zone page: a Vega-Lite spec (`sanqu.figures.vega_zone`, `vega_community`). With
    `on_pick`, a click on a bar calls on_pick([id, list key] of that bar) before the next run (its
    strings as in the data); the chart then starts afresh (a new key), so that the page's filters,
    not a stale highlight, show what was picked."""
    pick = None if on_pick is None else (lambda row: on_pick([row["id"], row["list"]]))
    vega_chart(spec, key, pick, fields=("id", "list"))


def vega_chart(
    spec: dict, key: str, on_pick: Callable[[dict], None] | None = None, fields: tuple[str, ...] = ("district",)
) -> None:
    """A Vega-Lite chart (`sanqu.figures.vega`); with `on_pick`, a click on a mark calls
    on_pick({field: value} of that mark's row, for `fields`) before the next run, and the chart
    starts afresh (a new key), as `chart` does."""
    spec = arrow_rows(spec)
    if on_pick is None:
        st.vega_lite_chart(spec, key=key, width="stretch")
        return
    n = st.session_state.get(f"{key}__n", 0)
    widget = f"{key}_{n}"

    def picked() -> None:
        points = st.session_state[widget]["selection"].get(vega.PICK) or []
        if points and all(points[0].get(f) is not None for f in fields):
            st.session_state[f"{key}__n"] = n + 1
            on_pick({f: points[0][f] for f in fields})

    st.vega_lite_chart(spec, key=widget, on_select=picked, selection_mode=vega.PICK, width="stretch")


def sheet_title(name: str, f: Filters) -> str:
    """The first row of an export's data sheet: 演示数据 · what · where · when."""
    parts = ["演示数据"] if f.demo else []
    return " · ".join([*parts, name, f.scope.label, periods.label(f.period), f"数据截至 {f.data_date}"])


def download_list(
    df,
    name: str,
    f: Filters,
    key: str,
    filters: dict[str, str] | None,
    sheet: str = "清单",
    *,
    more: Callable[[], dict[str, pd.DataFrame]] | None = None,
    notes: dict[str, str] | None = None,
) -> None:
    """The download button of every list (Chinese headers) as .xlsx: a title row on the data
    sheet (`sheet_title`), and a 说明 sheet naming the scope, the page's filters (none given: no
    such line), the quarter, `notes` (such as the day the 示范点 status was computed on) and the
    row count (of `df`). The workbook is made when the button is pressed, on a thread of its own
    (openpyxl takes 30–150 ms a list: no run waits for it). An empty list offers nothing to
    download: a disabled button says 无数据. `more`: further data sheets after the first, asked for
    at the press (name: rows; plain calls, no Streamlit)."""
    if len(df) == 0:
        st.button("导出 Excel（无数据）", key=key, disabled=True, icon=":material/download:")
        return
    about = {"内容": name, "范围": f.scope.label}
    if filters is not None:
        about["筛选条件"] = "；".join(f"{k}：{v}" for k, v in filters.items()) or "无"
    about |= {
        "统计季度": periods.label(f.period),
        **(notes or {}),
        "数据截至": f.data_date,
        "行数": str(len(df)),
    }
    if f.demo:
        about["数据性质"] = "演示数据（生成数据，非真实台账）"
    file_name, title = f"{name}_{f.scope.key}_{f.period}.xlsx", sheet_title(name, f)

    def workbook() -> bytes:
        return to_excel(df, sheet, about, title, more() if more else None)

    st.download_button(
        f"导出 Excel（{len(df):,} 行）",
        data=access_log.audited(workbook, file_name, access_log.scope_codes(f.scope), len(df)),
        file_name=file_name,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
        on_click="ignore",  # no rerun at the press: the trail is written by the press itself
    )
