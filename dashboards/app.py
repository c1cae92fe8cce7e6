"""The VMO scorecards: `vmo dashboard` serves this app on 127.0.0.1, read-only."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "pages"

st.set_page_config(page_title="VMO scorecards", page_icon=":material/monitoring:", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "scorecard.py", title="Scorecard", icon=":material/monitoring:", default=True),
        st.Page(PAGES / "catalogue.py", title="KPI catalogue", icon=":material/menu_book:"),
    ]
)
navigation.run()
