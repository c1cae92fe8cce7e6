{# In an incremental model over landed rows: keep only the rows of ingest runs that this model
   has not taken in yet. A file overwritten under its own name lands in a new run, so its new
   version is read.

   `relation` is what the model reads (`alias` in its FROM): the ingest runs it holds that this
   model has not seen are written into the SQL as constants, so that the filter reaches the scan
   and skips the Parquet parts (or row groups) of earlier runs (int_track_events at L: 3.0 ->
   0.2 s against a join on the runs seen). A run this model has seen adds nothing: its rows were
   all read when it was new, in one statement. A run that added nothing (a file of resent
   messages only) is read again by the next run, and again adds nothing. #}
{% macro only_unseen_ingest_runs(alias, relation) -%}
    {% if is_incremental() %}
        {% set runs_query %}
            select distinct _run_id from {{ relation }}
            except
            select distinct _run_id from {{ this }}
        {% endset %}
        {% set runs = run_query(runs_query).columns[0].values() if execute else [] %}
        where {{ alias }}._run_id in (
            {%- for run in runs %}'{{ run | replace("'", "''") }}'{{ ", " if not loop.last }}{% else %}null{% endfor -%}
        )
    {% endif %}
{%- endmacro %}
