"""The VMO scorecards: `vmo dashboard` serves this app on 127.0.0.1, read-only."""

from pathlib import Path

import streamlit as st

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title="VMO scorecards", page_icon=":material/monitoring:", layout="wide")
navigation = st.navigation(
    [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/monitoring:", default=True),
        st.Page(VIEWS / "portfolios.py", title="Portfolios and products", icon=":material/account_tree:"),
        st.Page(VIEWS / "initiative.py", title="Initiative", icon=":material/target:"),
        st.Page(VIEWS / "flags.py", title="Flags", icon=":material/flag:"),
        st.Page(VIEWS / "catalogue.py", title="KPI catalogue", icon=":material/menu_book:"),
        st.Page(VIEWS / "data_health.py", title="Data health", icon=":material/health_and_safety:"),
    ]
)
navigation.run()
