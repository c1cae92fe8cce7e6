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

{#
  Pre-hook of the event history and its daily parts: code before this one kept the landed
  file's path in every row of both, and the parts one per file. A table kept by it is brought to
  this shape once, in place, its rows kept: the history holds events that raw no longer does (an
  events file overwritten since keeps counting the messages it dropped), so it is never rebuilt
  from raw. `grouped` sums the rows that the dropped column alone told apart.
#}
{% macro drop_landed_file_column(grouped=false) %}
    {% if execute and is_incremental() %}
        {% set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list %}
        {% if '_file' in columns %}
            {% set kept = columns | reject('equalto', '_file') | list %}
            {% set reshaped = this.incorporate(path={'identifier': this.identifier ~ '__reshaped'}) %}
            {% if grouped %}
                {% set rows %}
                    select product_id, user_id, feature, activity_date, bool_and(is_anonymous) as is_anonymous,
                        cast(sum(event_count) as bigint) as event_count, _run_id
                    from {{ this }}
                    group by product_id, user_id, feature, activity_date, _run_id
                {% endset %}
            {% else %}
                {% set rows %}select {{ kept | join(', ') }} from {{ this }}{% endset %}
            {% endif %}
            {% do run_query(create_table_as(false, reshaped, rows)) %}
            {% do run_query('drop table ' ~ this) %}
            {% do run_query('alter table ' ~ reshaped ~ ' rename to ' ~ adapter.quote(this.identifier)) %}
        {% endif %}
    {% endif %}
    select 1
{% endmacro %}
