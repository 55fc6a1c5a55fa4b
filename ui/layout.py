"""Page furniture shared by every page: title line with scope, period and demo label."""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from sanqu import fmt, periods
from sanqu.metrics.overview import Kpi
from ui import assets
from ui.breadcrumb import breadcrumb
from ui.filters import Filters, county_only, sidebar


def page(title: str, compact: bool = False, township: bool = False) -> Filters:
    """Start a page: the shared sidebar filters, then the title line (`compact`: title, label and
    scope on one line, for a page that gives the rest of the window to one element) and the
    breadcrumb. `township`: the page's queries handle a township scope; other pages show a chosen
    township's county and say so. Returns the filters."""
    chosen = sidebar()
    f, note = (chosen, None) if township else county_only(chosen)
    # for the share controls drawn after the page: the briefing and share links go by county
    st.session_state["filters"] = county_only(chosen)[0]
    st.html(assets.style("page.css", {}))
    if compact:
        with st.container(key="sq_header", horizontal=True, vertical_alignment="center"):
            header(title, f)
            _crumbs(chosen)
    else:
        header(title, f)
        _crumbs(chosen)
    if note:
        st.info(note)
    return f


def _crumbs(f: Filters) -> None:
    if f.who is not None:
        breadcrumb(f.scope, f.who.scope)


def header(title: str, f: Filters) -> None:
    st.title(title)
    parts = [f.scope.label, periods.label(f.period), f"数据截至 {f.data_date}"]
    line = " · ".join(parts)
    if f.demo:
        st.badge("演示数据", icon=":material/science:", color="orange")
    st.caption(line)


def data_table(df, key: str, empty: str = "无数据", **kwargs) -> None:
    """A page table: no index, a missing value shown as "—" (Streamlit's default is "None"), and
    an empty table as the words `empty` (Streamlit draws an English "empty" row). `df` may be a
    Styler; `kwargs` go to st.dataframe and win over those defaults."""
    rows = df.data if isinstance(getattr(df, "data", None), pd.DataFrame) else df
    if len(rows) == 0:
        st.caption(empty)
        return
    options: dict[str, Any] = {"hide_index": True, "placeholder": "—"} | kwargs
    st.dataframe(df, key=key, **options)


def kpi_card(
    k: Kpi,
    unit: str,
    history: list[float] | None = None,
    label: str | None = None,
    key: str | None = None,
    on_list: Callable[[], None] | None = None,
) -> None:
    """A KPI: rate, change against the previous quarter, n/d and 同比 below, sparkline;
    with `on_list`, a button that opens the rows behind it. Labelled by the indicator's name
    unless `label` is given (a zone page names its zone; the overview passes the title)."""
    change = fmt.pp(k.change)
    st.metric(
        label or k.indicator.name,
        fmt.pct(k.rate),
        delta=change,
        delta_color="off" if change == "持平" else "normal",
        delta_arrow="off" if change == "持平" else "auto",
        delta_description="环比",
        border=True,
        help=f"{k.indicator.name} = {k.indicator.formula}",
        chart_data=history,
        chart_type="line",
    )
    st.caption(
        f"{fmt.ratio(k.numerator, k.denominator, unit)} · 环比 {change or '—'} · 同比 {fmt.pp(k.change_yoy) or '—'}"
    )
    if on_list is not None:
        st.button("查看名单", key=f"{key}_list", on_click=on_list, icon=":material/list:", type="tertiary")
