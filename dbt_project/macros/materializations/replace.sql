{#-
  Tables and views on DuckDB in one statement: `create or replace`, which DuckDB does atomically
  in the model's transaction, instead of dbt-duckdb's build under a temporary name, rename of the
  old one to a backup, rename of the new one and drop of the backup. Each of those steps was a
  statement and a round of Jinja: a small table took 185 ms against 50 ms now, a third of a day's
  dbt step at S (bench/PROFILE.md). What the stock materializations handle and this project never
  uses (contracts, constraints and foreign keys, indexes, grants, DuckLake, Python models,
  partitioning) is left out; hooks and `persist_docs` are kept. The Spark engine keeps
  dbt-spark's own materializations (these are for the duckdb adapter only).
-#}

{% materialization table, adapter='duckdb' %}
  {{ return(vmo_create_or_replace('table')) }}
{% endmaterialization %}

{% materialization view, adapter='duckdb' %}
  {{ return(vmo_create_or_replace('view')) }}
{% endmaterialization %}

{% macro vmo_create_or_replace(kind) %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type=kind) -%}
  {#- What a run of the stock materializations killed midway may have left (a lookup in dbt's
      cache; a statement only where one exists). -#}
  {% for leftover in [make_intermediate_relation(target_relation), make_backup_relation(target_relation, kind)] %}
    {{ drop_relation_if_exists(load_cached_relation(leftover)) }}
  {% endfor %}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {#- `create or replace` replaces only an object of the same kind: one of the other kind is
      dropped first, in the same transaction, so that a build that fails leaves it in place. -#}
  {% if existing_relation is not none and existing_relation.type != kind %}
    {% call statement('drop_other_kind') -%}
      drop {{ existing_relation.type }} if exists {{ existing_relation }} cascade
    {%- endcall %}
    {% do adapter.cache_dropped(existing_relation) %}
  {% endif %}
  {% call statement('main') -%}
    create or replace {{ kind }} {{ target_relation }} as (
      {{ sql }}
    )
  {%- endcall %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target_relation, model) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target_relation]}) }}
{% endmacro %}
