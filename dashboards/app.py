"""The VMO scorecards: `vmo dashboard` serves this app on 127.0.0.1, read-only."""

from pathlib import Path

import streamlit as st

# What every page imports, loaded before the navigation is drawn: a reader never sees the page
# list beside an empty page while the libraries load on a cold start.
from dashboards import charts, components, grid, queries  # noqa: F401

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="VMO scorecards", page_icon=":material/monitoring:", layout="wide")
# The scorecards are wide tables: a narrower sidebar and less side padding than Streamlit's
# wide layout, so that the initiative grid fits a 1440-pixel screen.
st.html(
    "<style>[data-testid='stMainBlockContainer'] { padding-left: 1.5rem; padding-right: 1.5rem; }"
    " [data-testid='stSidebar'] { width: 15rem !important; min-width: 15rem !important; }</style>"
)
navigation = st.navigation(
    [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/monitoring:", default=True),
        st.Page(VIEWS / "portfolios.py", title="Portfolios and products", icon=":material/account_tree:"),
        st.Page(VIEWS / "initiative.py", title="Initiative", icon=":material/target:"),
        st.Page(VIEWS / "roadmap.py", title="Roadmap", icon=":material/timeline:"),
        st.Page(VIEWS / "objectives.py", title="Objectives", icon=":material/flag_circle:"),
        st.Page(VIEWS / "flags.py", title="Flags", icon=":material/flag:"),
        st.Page(VIEWS / "catalogue.py", title="KPI catalogue", icon=":material/menu_book:"),
        st.Page(VIEWS / "data_health.py", title="Data health", icon=":material/health_and_safety:"),
    ]
)
navigation.run()
