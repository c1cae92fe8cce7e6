{#
  Uniqueness tests of what a run changed (tests/generic/unique_combination.sql, `partitioned_by`).

  Some tables change by whole parts and keep the rest: a raw table and an incremental model that
  appends each ingest run's rows (a part is an ingest run, `_run_id`), the daily usage facts that
  rebuild only the days whose events changed (a part is a day, `activity_date`). Testing the
  uniqueness of years of keys every day re-reads them all (the raw events' (file, record), the
  track events' messageId, the two usage facts' keys: 3.4, 2.1, 1.8 and 1.7 s of each day's run
  at L). Once a test has passed, only keys of rows in parts that changed since can break it, so
  it looks only for those keys (a semi-join on the changed parts' rows, against every row).

  "Since" is kept per test in test_records.tested_parts: after a run whose test passed, how many
  rows its table held of each part. The next run's test looks at the keys of every part that is
  new or holds another count now: a row added, duplicated or rebuilt changes its part's count
  (one dropped and another duplicated in the same part would not, the one case the count cannot
  tell; a rebuilt day is inserted grouped by its key, so it cannot hold a duplicate of its own).
  A part gone needs no look: removing rows makes no duplicate. The record holds only for the
  code it was made with (VMO_CODE_VERSION, the pipeline's code fingerprint: any change of code
  tests everything once). Without a record, on Spark, or outside the pipeline (no code version),
  the test reads every row as before.
#}

{% macro create_test_records() -%}{{ return(adapter.dispatch('create_test_records', 'vmo')()) }}{%- endmacro %}
{% macro default__create_test_records() -%}
    create schema if not exists test_records;
    -- The record before parts were more than ingest runs: its counts are of another code.
    drop table if exists test_records.tested_runs;
    create table if not exists test_records.tested_parts (test_key varchar, part varchar, row_count bigint)
{%- endmacro %}
{% macro spark__create_test_records() -%}select 1{%- endmacro %}

{# What the record of a test on `relation` over `columns` is filed under: none when no scoping. #}
{% macro tested_parts_key(relation, columns) -%}
    {%- set code = env_var('VMO_CODE_VERSION', '') -%}
    {%- if target.type != 'duckdb' or not code -%}{{ return(none) }}{%- endif -%}
    {{ return(relation.identifier ~ '(' ~ columns | join(',') ~ ')@' ~ code) }}
{%- endmacro %}

{# Each part of `relation` and its rows: the part as text, as the record keeps it. #}
{% macro part_counts(relation, partitioned_by) -%}
    select cast({{ partitioned_by }} as varchar) as part, count(*) as row_count from {{ relation }} group by all
{%- endmacro %}

{#
  The parts whose rows the test must look at, as a SQL list of constants ('null' when none), or
  none when the whole table must be tested.
#}
{% macro untested_parts(relation, columns, partitioned_by) %}
    {% set key = tested_parts_key(relation, columns) if execute else none %}
    {% if key is none %}{{ return(none) }}{% endif %}
    {% set recorded = {} %}
    {% for row in run_query(
        "select part, row_count from test_records.tested_parts where test_key = '" ~ key | replace("'", "''") ~ "'"
    ).rows %}
        {% do recorded.update({row[0]: row[1]}) %}
    {% endfor %}
    {% if not recorded %}{{ return(none) }}{% endif %}
    {% set untested = [] %}
    {% for part, row_count in run_query(part_counts(relation, partitioned_by)).rows %}
        {# A part that is null cannot be named in a list of constants: test every row. #}
        {% if part is none %}{{ return(none) }}{% endif %}
        {% if recorded.get(part) != row_count %}
            {% do untested.append("'" ~ part | replace("'", "''") ~ "'") %}
        {% endif %}
    {% endfor %}
    {{ return(untested | join(', ') if untested else 'null') }}
{% endmacro %}

{# on-run-end: for each passed test with `partitioned_by`, what its table holds of each part now. #}
{% macro record_tested_parts(results) %}
    {% if execute %}
        {% for result in results if result.node.resource_type == 'test' and result.status == 'pass' %}
            {% set test = result.node.test_metadata %}
            {% if test and test.name == 'unique_combination' and test.kwargs.get('partitioned_by') %}
                {% set model = graph.nodes[result.node.attached_node] %}
                {% set relation = api.Relation.create(database=model.database, schema=model.schema, identifier=model.alias) %}
                {% set key = tested_parts_key(relation, test.kwargs['columns']) %}
                {% if key is not none %}
                    {% set quoted = "'" ~ key | replace("'", "''") ~ "'" %}
                    {% do run_query(
                        "begin; delete from test_records.tested_parts where test_key = " ~ quoted ~ ";"
                        ~ " insert into test_records.tested_parts select " ~ quoted ~ ", * from ("
                        ~ part_counts(relation, test.kwargs['partitioned_by']) ~ "); commit"
                    ) %}
                {% endif %}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
