"""Small Streamlit helpers of the demonstration-site and mechanism pages."""

import pandas as pd
import streamlit as st

from sanqu.charts import STATUS_COLOURS
from sanqu.sites import STATUS_LABELS
from sanqu.tables import Metric

_BY_LABEL = {label: STATUS_COLOURS[key] for key, label in STATUS_LABELS.items()}


def show_url_problems() -> None:
    """Warn now about invalid URL values met by url_select after the sidebar (which only shows
    the problems it finds before its own widgets)."""
    for problem in st.session_state.pop("url_problems", []):
        st.warning(problem)


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


def open_site_from(event, site_ids: list[str]) -> None:
    """A row chosen in a site list opens that site's detail view (applied at the next run)."""
    rows = event.selection.rows if event is not None else []
    if rows:
        st.session_state["pending_site"] = site_ids[rows[0]]
        st.rerun()


def apply_pending_site() -> None:
    """Before any widget: switch to the detail view of the site chosen in a list."""
    pending = st.session_state.pop("pending_site", None)
    if pending:
        st.session_state["site"] = pending
        st.session_state["view"] = "detail"
