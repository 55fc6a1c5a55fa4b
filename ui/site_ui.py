"""Small Streamlit helpers of the demonstration-site and mechanism pages."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from sanqu.areas.zones import ZONE_OPTIONS
from sanqu.context import Context, county_note, org_note
from sanqu.figures import site_page
from sanqu.figures.charts import STATUS_COLOURS
from sanqu.programmes import sites
from sanqu.programmes.site_tables import StagePanel
from sanqu.programmes.sites import STATUS_LABELS
from sanqu.storage.db import Database
from sanqu.tables import Metric
from ui.data import cached
from ui.filters import url_select
from ui.zone_widgets import vega_chart

CHART = {"displaylogo": False}
# the board's columns: the site's name cut to fit (its whole name on hover) so that 进度 stays in view
BOARD_COLUMNS = {
    "状态": st.column_config.TextColumn("状态", width=56),
    "示范点": st.column_config.TextColumn("示范点", width=200),
    "区县": st.column_config.TextColumn("区县", width=72),
    "进度": st.column_config.ProgressColumn("进度", format="%.0f%%", min_value=0, max_value=100, width=96),
}

_BY_LABEL = {label: STATUS_COLOURS[key] for key, label in STATUS_LABELS.items()}


def county_caption(ctx: Context, register: str) -> None:
    """At a township scope: figures of a register without townships are the county's, said so."""
    note = county_note(ctx, register)
    if note:
        st.caption(note)


def org_caption(ctx: Context) -> None:
    """At a township scope: how organisations are placed in it."""
    note = org_note(ctx)
    if note:
        st.caption(note)


def metric_row(metrics: list[Metric]) -> None:
    """Headline figures side by side, one bordered st.metric each (a delta is against 环比)."""
    for col, m in zip(st.columns(len(metrics)), metrics):
        description = None if m.delta is None else "环比"
        col.metric(m.label, m.value, delta=m.delta, help=m.help, border=True, delta_description=description)


def coloured_status(df: pd.DataFrame, column: str = "状态"):
    """A Styler that paints the status column red / amber / green (text stays the label)."""

    def paint(value):
        colour = _BY_LABEL.get(value)
        return f"background-color: {colour}; color: white; font-weight: 600" if colour else ""

    return df.style.map(paint, subset=[column])


def open_site(table_key: str, site_ids: list[str]) -> Callable[[], None]:
    """on_select of the site list drawn with `table_key`: a click on a row opens that site's
    detail view. A callback runs before the page, so it sets the page's own `site` and `view`
    widgets before they are created."""

    def opened() -> None:
        rows = st.session_state[table_key].selection.rows
        if rows:
            st.session_state["site"] = site_ids[rows[0]]
            st.session_state["view"] = "detail"

    return opened


def zone_filter(widths: list[int]) -> tuple[str, list]:
    """The zone filter of the sites and mechanisms pages (?zone=, all zones by default) in the first
    of a row of columns; returns it and the other columns, for the page's own filters."""
    first, *others = st.columns(widths)
    with first:
        zone = url_select("领域", list(ZONE_OPTIONS), "zone", "all", ZONE_OPTIONS.get)
    return zone, others


def titled_chart(title: str, fig, key: str) -> None:
    """A chart under a small heading: a Vega-Lite spec (a dict) or a plotly figure."""
    st.markdown(f"##### {title}")
    plain_chart(fig, key)


def plain_chart(fig, key: str) -> None:
    """A chart nobody clicks: a Vega-Lite spec (a dict, `vega_sites`) across the column, or a plotly figure."""
    if isinstance(fig, dict):
        vega_chart(fig, key)
    else:
        st.plotly_chart(fig, key=key, config=CHART)


def stage_panel(panel: StagePanel) -> None:
    """One stage of the progress board: its sites, a click on a row opening one (无 when empty)."""
    st.markdown(f"#### {panel.title}")
    st.caption(panel.counts)
    if panel.rows.empty:
        st.caption("该阶段暂无示范点")
        return
    key = f"board_{panel.stage}"
    st.dataframe(
        coloured_status(panel.rows),
        key=key,
        on_select=open_site(key, panel.site_ids),
        height=min(38 + 35 * len(panel.rows), 390),
        column_config=BOARD_COLUMNS,
        hide_index=True,
        placeholder="—",
        selection_mode="single-row",
    )


# Built once per choice (`ui.data.kept`) from the frames the 示范点 page reads through `cached`:
# its site table and milestones are queried once for the page, the board and the two lists.
def site_board(db: Database, ctx: Context, zone: str, shown: tuple[str, ...]) -> site_page.SiteBoard:
    """The progress board of one choice (zone, statuses shown)."""
    return site_page.board(db, ctx, zone, shown, fetch=cached)


def needs_attention(db: Database, ctx: Context, zone: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(overdue milestones, sites not inspected this quarter) of one zone."""
    return sites.needs_attention(db, ctx, zone, fetch=cached)
