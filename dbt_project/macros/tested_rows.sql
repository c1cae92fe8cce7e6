{#
  Uniqueness tests of what a run added (tests/generic/unique_combination.sql, `added_by`).

  An append-only table (a raw table, an incremental model that appends the rows of each ingest
  run) gains a day's rows and keeps the rest: testing the uniqueness of years of keys every day
  re-reads them all (the raw events' (file, record) and the track events' messageId: 3.4 and
  2.1 s of each day's run at L). Once a test has passed, only the keys of rows added since can
  break it, so it looks only for those keys (a semi-join on the added rows, against every row).

  "Since" is kept per test in test_records.tested_runs: after a run whose test passed, the rows
  its table held of each ingest run (`added_by`, the column naming it). The next run's test
  trusts that record only if nothing it vouches for moved: each recorded run still holds
  exactly as many rows (a row of a tested run duplicated or dropped changes its count, and the
  whole table is tested again; one dropped and another duplicated in the same run would not,
  the one case the count cannot tell); and only for the code it was made with (VMO_CODE_VERSION, the
  pipeline's code fingerprint: any change of code tests everything once). Without a record, on
  Spark, or outside the pipeline (no code version), the test reads every row as before.
#}

{% macro create_test_records() -%}{{ return(adapter.dispatch('create_test_records', 'vmo')()) }}{%- endmacro %}
{% macro default__create_test_records() -%}
    create schema if not exists test_records;
    create table if not exists test_records.tested_runs (test_key varchar, run_id varchar, row_count bigint)
{%- endmacro %}
{% macro spark__create_test_records() -%}select 1{%- endmacro %}

{# What the record of a test on `relation` over `columns` is filed under: none when no scoping. #}
{% macro tested_runs_key(relation, columns) -%}
    {%- set code = env_var('VMO_CODE_VERSION', '') -%}
    {%- if target.type != 'duckdb' or not code -%}{{ return(none) }}{%- endif -%}
    {{ return(relation.identifier ~ '(' ~ columns | join(',') ~ ')@' ~ code) }}
{%- endmacro %}

{#
  The runs whose rows the test must look at, as a SQL list of constants ('null' when none), or
  none when the whole table must be tested.
#}
{% macro untested_runs(relation, columns, added_by) %}
    {% set key = tested_runs_key(relation, columns) if execute else none %}
    {% if key is none %}{{ return(none) }}{% endif %}
    {% set recorded = run_query(
        "select run_id, row_count from test_records.tested_runs where test_key = '" ~ key | replace("'", "''") ~ "'"
    ) %}
    {% if recorded.rows | length == 0 %}{{ return(none) }}{% endif %}
    {% set held = {} %}
    {% for row in run_query("select " ~ added_by ~ ", count(*) from " ~ relation ~ " group by all").rows %}
        {% do held.update({row[0]: row[1]}) %}
    {% endfor %}
    {% for row in recorded.rows %}
        {% if held.get(row[0], 0) != row[1] %}{{ return(none) }}{% endif %}
    {% endfor %}
    {% set recorded_runs = recorded.columns[0].values() %}
    {% set untested = [] %}
    {% for run in held if run not in recorded_runs %}
        {% do untested.append("'" ~ (run | string | replace("'", "''")) ~ "'") %}
    {% endfor %}
    {{ return(untested | join(', ') if untested else 'null') }}
{% endmacro %}

{# on-run-end: for each passed test with `added_by`, what its table holds of each run now. #}
{% macro record_tested_runs(results) %}
    {% if execute %}
        {% for result in results if result.node.resource_type == 'test' and result.status == 'pass' %}
            {% set test = result.node.test_metadata %}
            {% if test and test.name == 'unique_combination' and test.kwargs.get('added_by') %}
                {% set model = graph.nodes[result.node.attached_node] %}
                {% set relation = api.Relation.create(database=model.database, schema=model.schema, identifier=model.alias) %}
                {% set key = tested_runs_key(relation, test.kwargs['columns']) %}
                {% if key is not none %}
                    {% set quoted = "'" ~ key | replace("'", "''") ~ "'" %}
                    {% do run_query(
                        "begin; delete from test_records.tested_runs where test_key = " ~ quoted ~ ";"
                        ~ " insert into test_records.tested_runs select " ~ quoted ~ ", " ~ test.kwargs['added_by']
                        ~ ", count(*) from " ~ relation ~ " group by all; commit"
                    ) %}
                {% endif %}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
