{#
  Uniqueness tests of what a run changed (tests/generic/unique_combination.sql, `partitioned_by`).

  Some tables change by whole parts and keep the rest: a raw table and an incremental model that
  appends each ingest run's rows (a part is an ingest run, `_run_id`), the daily usage facts that
  rebuild only the days whose events changed (a part is a day, `activity_date`). Testing the
  uniqueness of years of keys every day re-reads them all (the raw events' (file, record), the
  track events' messageId, the two usage facts' keys: 3.4, 2.1, 1.8 and 1.7 s of each day's run
  at L). Once a test has passed, only keys of rows in parts that changed since can break it, so
  it looks only for those keys, against every row (or, when the part is one of the key's
  columns, only at the changed parts: a duplicate then lies within one part).

  "Since" is kept per test in test_records.tested_parts: after a run whose test passed, each
  part's rows, and, when the part is one of the key's columns, the sum of its keys' hashes. The
  next run's test looks at every part that is new or differs now. A part named by an ingest run
  only ever gains rows, once, so its count tells a row added or duplicated (the one change it
  cannot tell, a row dropped and another duplicated in the same part, no model makes). A part
  that is a column of the key, a day, is rebuilt whole by its model and may come back with as
  many rows as before: the sum of its keys' hashes tells any key changed (but for a collision of
  64-bit hashes). Hashing every key costs a scan (0.8 s for L's 21 M messageIds, against 0.05 s
  counting), which is why the ingest runs' parts go without it. A part gone needs no look:
  removing rows makes no duplicate.

  The parts are read once a run, when the test is compiled, into test_records.pending_parts;
  only a passed test's become its record (in on-run-end, so a failing or killed run leaves the
  last passed one). The record holds only for the code it was made with (VMO_CODE_VERSION, the
  pipeline's code fingerprint: any change of code tests everything once). Without a record, on
  Spark, or outside the pipeline (no code version), the test reads every row as before.
#}

{% macro create_test_records() -%}{{ return(adapter.dispatch('create_test_records', 'vmo')()) }}{%- endmacro %}
{% macro default__create_test_records() -%}
    create schema if not exists test_records;
    -- The record of the code before parts: its counts are of other code, never read again.
    drop table if exists test_records.tested_runs;
    create table if not exists test_records.tested_parts (
        test_key varchar, part varchar, row_count bigint, key_hashes hugeint
    );
    -- A record made before the keys' hashes: its days read as changed once, then filed anew.
    alter table test_records.tested_parts add column if not exists key_hashes hugeint;
    create table if not exists test_records.pending_parts (
        test_key varchar, part varchar, row_count bigint, key_hashes hugeint
    )
{%- endmacro %}
{% macro spark__create_test_records() -%}select 1{%- endmacro %}

{# What the record of a test on `relation` over `columns` is filed under: none when no scoping. #}
{% macro tested_parts_key(relation, columns) -%}
    {%- set code = env_var('VMO_CODE_VERSION', '') -%}
    {%- if target.type != 'duckdb' or not code -%}{{ return(none) }}{%- endif -%}
    {{ return(relation.identifier ~ '(' ~ columns | join(',') ~ ')@' ~ code) }}
{%- endmacro %}

{# Each part of `relation` as the record keeps it: the part as text, its rows, and the sum of its
   keys' hashes when the part is one of the key's columns (a hugeint: no sum of 64-bit hashes
   overflows it). #}
{% macro part_counts(relation, columns, partitioned_by) -%}
    select
        cast({{ partitioned_by }} as varchar) as part,
        count(*) as row_count,
        {% if partitioned_by in columns -%}
            sum(cast(hash({{ columns | join(', ') }}) as hugeint))
        {%- else -%}
            cast(null as hugeint)
        {%- endif %} as key_hashes
    from {{ relation }}
    group by all
{%- endmacro %}

{% macro quoted_text(text) -%}'{{ text | replace("'", "''") }}'{%- endmacro %}

{#
  The parts whose rows the test must look at, as a SQL list of constants ('null' when none), or
  none when the whole table must be tested.
#}
{% macro untested_parts(relation, columns, partitioned_by) %}
    {% set key = tested_parts_key(relation, columns) if execute else none %}
    {% if key is none %}{{ return(none) }}{% endif %}
    {% set filed_under = "where test_key = " ~ quoted_text(key) %}
    {% do run_query(
        "begin; delete from test_records.pending_parts " ~ filed_under ~ ";"
        ~ " insert into test_records.pending_parts select " ~ quoted_text(key) ~ ", * from ("
        ~ part_counts(relation, columns, partitioned_by) ~ "); commit"
    ) %}
    {% set recorded = {} %}
    {% for part, row_count, key_hashes in run_query(
        "select part, row_count, key_hashes from test_records.tested_parts " ~ filed_under
    ).rows %}
        {% do recorded.update({part: (row_count, key_hashes)}) %}
    {% endfor %}
    {% if not recorded %}{{ return(none) }}{% endif %}
    {% set untested = [] %}
    {% for part, row_count, key_hashes in run_query(
        "select part, row_count, key_hashes from test_records.pending_parts " ~ filed_under
    ).rows %}
        {# A part that is null cannot be named in a list of constants: test every row. #}
        {% if part is none %}{{ return(none) }}{% endif %}
        {% if recorded.get(part) != (row_count, key_hashes) %}
            {% do untested.append(quoted_text(part)) %}
        {% endif %}
    {% endfor %}
    {{ return(untested | join(', ') if untested else 'null') }}
{% endmacro %}

{# on-run-end: each passed test with `partitioned_by` files the parts it was compiled against. #}
{% macro record_tested_parts(results) %}
    {% if execute %}
        {% for result in results if result.node.resource_type == 'test' and result.status == 'pass' %}
            {% set test = result.node.test_metadata %}
            {% if test and test.name == 'unique_combination' and test.kwargs.get('partitioned_by') %}
                {% set model = graph.nodes[result.node.attached_node] %}
                {% set relation = api.Relation.create(database=model.database, schema=model.schema, identifier=model.alias) %}
                {% set key = tested_parts_key(relation, test.kwargs['columns']) %}
                {% if key is not none %}
                    {# The test's records of every code version go: only this one's is read again. #}
                    {% do run_query(
                        "begin; delete from test_records.tested_parts"
                        ~ " where starts_with(test_key, " ~ quoted_text(key.rpartition('@')[0] ~ '@') ~ ");"
                        ~ " insert into test_records.tested_parts select * from test_records.pending_parts"
                        ~ " where test_key = " ~ quoted_text(key) ~ ";"
                        ~ " delete from test_records.pending_parts where test_key = " ~ quoted_text(key) ~ "; commit"
                    ) %}
                {% endif %}
            {% endif %}
        {% endfor %}
    {% endif %}
    select 1
{% endmacro %}
