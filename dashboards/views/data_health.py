"""Data health: the last runs and their outcome, the checks, what was quarantined and why, and
how fresh each source is."""

import pandas as pd
import streamlit as st

from dashboards import queries
from dashboards.components import current_version, table
from dashboards.formatting import RAG_COLOURS, plain
from orchestration.run_inputs import standing_run

OUTCOME_COLOURS = {
    "published": RAG_COLOURS["green"],
    "blocked": RAG_COLOURS["amber"],
    "failed": RAG_COLOURS["red"],
}

st.title("Data health")
version = current_version()
if version is None:
    st.stop()

st.header("Runs")
runs = queries.recent_runs(version)
if runs.empty:
    st.info(f"No run records beside the warehouse ({plain(queries.ops_path(version[0]))}).")
else:
    last = runs.iloc[0]
    outcome = last["outcome"] or "running"
    colour = OUTCOME_COLOURS.get(outcome, RAG_COLOURS["unrated"])
    st.markdown(
        f"**Last run**: <span style='color:{colour};font-weight:600'>{outcome}</span>"
        f" · started {last['started_at']:%Y-%m-%d %H:%M} UTC",
        unsafe_allow_html=True,
    )
    if last["message"]:
        st.caption(plain(last["message"]))
    table(runs, "recent runs")

    st.header("Checks")
    finished = runs[runs["outcome"].notna()]
    run_id = (
        st.selectbox(
            "Run",
            list(finished["run_id"]),
            format_func=lambda r: f"{r[:8]} · {finished.set_index('run_id').loc[r, 'outcome']}",
        )
        if not finished.empty
        else None
    )
    if run_id:
        checks = queries.check_results(version, run_id)
        standing = standing_run(finished.set_index("run_id").loc[run_id, "message"])
        if checks.empty and standing:
            # It ran no check: the warehouse in place is that run's, and so are its checks.
            run_id = standing
            checks = queries.check_results(version, run_id)
            st.caption(f"This run found nothing new and ran no check; the warehouse is run {run_id[:8]}'s:")
        failed = checks[~checks["passed"]] if not checks.empty else checks
        st.caption(f"{len(checks)} checks, {len(failed)} failed")
        table(checks, f"checks of run {run_id[:8]}")

st.header("Freshness")
freshness = queries.source_freshness(version)
st.caption(
    "Each source's newest record as of the run's as_of; a source older than the configured limit"
    " blocks publishing."
)
for item in freshness.itertuples():
    st.markdown(f"- **{item.source}**: newest record {item.newest_on:%Y-%m-%d}, {item.age_days} days old")
table(freshness, "source freshness")

st.header("Quarantine")
st.caption(
    "Records (or whole files) that broke their contract, by source and rule; the rest of each file loaded."
)
quarantine = queries.quarantine_summary(version)
if quarantine.empty:
    st.success("Nothing quarantined.")
else:
    table(quarantine, "quarantine by source and reason")

st.header("Landed files")
landed = queries.landed_summary(version)
if not landed.empty:
    landed["rows_loaded"] = landed["rows_loaded"].astype("Int64")
    landed["rows_quarantined"] = landed["rows_quarantined"].astype("Int64")
    table(landed, "landed files by source")
    st.caption(f"{int(pd.to_numeric(landed['files']).sum())} files landed in all.")
