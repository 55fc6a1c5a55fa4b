"""The 工业园区 page's organisation tree: the path from its root to the node drawn (each step above
it a button back up) and the treemap, where a click on a box with children draws the tree from it
(`sanqu.figures.park_page.tree`, `drilled`). The node is kept in the session with the choice it
was made for: another district, quarter or park draws the tree from its root again."""

import streamlit as st

from sanqu.figures import park_page
from sanqu.figures.vega_tree import ROOT
from ui.breadcrumb import plain
from ui.zone_widgets import vega_chart

KEY = "park_tree_node"


def node(choice: tuple) -> str:
    """The node the tree is drawn from for `choice` (the root unless a click chose another)."""
    kept = st.session_state.get(KEY)
    return kept[1] if isinstance(kept, tuple) and kept[0] == choice else ROOT


def _draw_from(choice: tuple, org_id: str) -> None:
    st.session_state[KEY] = (choice, org_id)


def tree_chart(tree: park_page.TreeFigures, choice: tuple) -> None:
    """The path (a button per step above the node drawn; names as text) and the treemap."""
    with st.container(key="park_tree_path", horizontal=True, gap=None, vertical_alignment="center"):
        for i, (org_id, name) in enumerate(tree.path):
            if i:
                st.text("›")
            if i < len(tree.path) - 1:
                args = (choice, org_id)
                st.button(plain(name), key=f"park_tree_up_{i}", type="tertiary", on_click=_draw_from, args=args)
            else:
                st.text(name)  # the node drawn: text, never markdown

    def picked(row: dict) -> None:
        _draw_from(choice, park_page.drilled(tree, str(row["id"])))

    vega_chart(tree.figure, "park_tree", picked, fields=("id",))
