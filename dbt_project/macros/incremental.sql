{# In an incremental model over landed rows: keep only the rows of file versions (a landed
   file, as one ingest run loaded it) that this model has not taken in yet. A file overwritten
   under its own name is a new version.

   `relation` is what the model reads (`alias` in its FROM): the ingest runs it holds that this
   model has not seen are written into the SQL as constants, so that the filter reaches the scan
   and skips the Parquet parts (or row groups) of earlier runs; the join alone read and typed
   every landed row to keep a day's (int_track_events at L: 3.0 -> 0.2 s). A version of a run
   this model has seen adds nothing: the run's versions were all read when it was new, and
   what a version added stays (a version that added nothing, such as a file of resent
   messages, would add nothing again). #}
{% macro only_unseen_file_versions(alias, relation) -%}
    {% if is_incremental() %}
        {% set runs_query %}
            select distinct _run_id from {{ relation }}
            except
            select distinct _run_id from {{ this }}
        {% endset %}
        {% set runs = run_query(runs_query).columns[0].values() if execute else [] %}
        left join (select distinct _file, _run_id from {{ this }}) as seen
            on seen._file = {{ alias }}._file and seen._run_id = {{ alias }}._run_id
        where seen._file is null
            and {{ alias }}._run_id in (
                {%- for run in runs %}'{{ run | replace("'", "''") }}'{{ ", " if not loop.last }}{% else %}null{% endfor -%}
            )
    {% endif %}
{%- endmacro %}
