"""The breadcrumb of every page: the region down to the chosen unit (江西省 › 吉安市 › 吉水县 ›
醪桥镇), each ancestor the viewer may see a button back to it, the current unit plain text."""

import re

import streamlit as st

from sanqu.mapping.drill import trail
from sanqu.scope import Scope
from ui.filters import district_options, request_district

MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(name: str) -> str:
    """A unit's name as a button label: Streamlit reads labels as markdown, so every markdown
    character is escaped and the name shows as it is."""
    return MARKDOWN.sub(r"\\\1", name)


def breadcrumb(scope: Scope, allowed: Scope) -> None:
    """`scope` as chosen in the sidebar; `allowed` the viewer's own: only units within it are
    buttons (a county user's region and city are text: never a way to widen the scope)."""
    steps = trail(scope)
    choices = district_options(allowed)
    with st.container(key="sq_crumbs", horizontal=True, gap=None, vertical_alignment="center"):
        for i, (code, name) in enumerate(steps):
            if i:
                st.text("›")
            if i < len(steps) - 1 and code in choices:
                st.button(plain(name), key=f"sq_crumb_{code}", type="tertiary", on_click=request_district, args=(code,))
            else:
                st.text(name)  # the current unit, or one beyond the viewer's scope: text, never markdown
