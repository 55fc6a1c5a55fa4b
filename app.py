"""sanqu: the router. Page config once, then the chosen page (each page opens with ui.layout.page)."""

import streamlit as st

st.set_page_config(page_title="吉安市三区党建", page_icon="static/favicon.png", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("views/map.py", title="地图", icon=":material/map:", url_path="map"),
    # zone pages (issue 4)
    # demonstration sites and mechanisms (issue 5)
]

st.navigation(PAGES).run()
