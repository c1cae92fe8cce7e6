{#
  The SQL that differs between the engines, and only that: each macro dispatches to DuckDB's
  form (default__, the embedded warehouse) or Spark's (spark__, vmo run --engine spark). Every
  other line of the project is SQL both read alike, or dbt's own cross-database macros
  (dbt.dateadd, dbt.datediff, dbt.date_trunc, dbt.type_string, ...).
#}

{# A landed ISO 8601 text as a UTC timestamp; null when it is not one. #}
{% macro utc_timestamp(text) -%}{{ return(adapter.dispatch('utc_timestamp', 'vmo')(text)) }}{%- endmacro %}
{% macro default__utc_timestamp(text) -%}timezone('UTC', try_cast({{ text }} as timestamptz)){%- endmacro %}
{# The session's time zone is UTC (profiles.yml): a text with an offset is converted to it. #}
{% macro spark__utc_timestamp(text) -%}try_cast({{ text }} as timestamp){%- endmacro %}

{# Every column of the relation in scope but these. #}
{% macro all_columns_except(columns) -%}{{ return(adapter.dispatch('all_columns_except', 'vmo')(columns)) }}{%- endmacro %}
{% macro default__all_columns_except(columns) -%}* exclude ({{ columns | join(', ') }}){%- endmacro %}
{% macro spark__all_columns_except(columns) -%}* except ({{ columns | join(', ') }}){%- endmacro %}

{# Whether text matches a regular expression somewhere. #}
{% macro regex_matches(text, pattern) -%}{{ return(adapter.dispatch('regex_matches', 'vmo')(text, pattern)) }}{%- endmacro %}
{% macro default__regex_matches(text, pattern) -%}regexp_matches({{ text }}, {{ pattern }}){%- endmacro %}
{% macro spark__regex_matches(text, pattern) -%}regexp_like({{ text }}, {{ pattern }}){%- endmacro %}

{# The largest Unicode code point as a one-character string: sorts after any other text. #}
{% macro max_character() -%}{{ return(adapter.dispatch('max_character', 'vmo')()) }}{%- endmacro %}
{% macro default__max_character() -%}chr(1114111){%- endmacro %}
{# Spark's chr() takes its argument modulo 256: the code point from its UTF-8 bytes. #}
{% macro spark__max_character() -%}decode(unhex('F48FBFBF'), 'UTF-8'){%- endmacro %}

{# A date's day of the month as one bit of an integer (day 1 the lowest): a month's distinct
   days are the bits set in the bitwise OR of its days' bits. #}
{% macro day_of_month_bit(day) -%}{{ return(adapter.dispatch('day_of_month_bit', 'vmo')(day)) }}{%- endmacro %}
{% macro default__day_of_month_bit(day) -%}(1 << (dayofmonth({{ day }}) - 1)){%- endmacro %}
{% macro spark__day_of_month_bit(day) -%}shiftleft(1, dayofmonth({{ day }}) - 1){%- endmacro %}

{# A ';'-separated text as a list of its trimmed, non-empty parts. #}
{% macro split_list(text, separator) -%}{{ return(adapter.dispatch('split_list', 'vmo')(text, separator)) }}{%- endmacro %}
{% macro default__split_list(text, separator) -%}
    list_filter(list_transform(string_split(coalesce({{ text }}, ''), '{{ separator }}'), lambda k: trim(k)), lambda k: k <> '')
{%- endmacro %}
{% macro spark__split_list(text, separator) -%}
    filter(transform(split(coalesce({{ text }}, ''), '\\{{ separator }}'), k -> trim(k)), k -> k <> '')
{%- endmacro %}

{# Whether a list holds a value. #}
{% macro list_has(list, value) -%}{{ return(adapter.dispatch('list_has', 'vmo')(list, value)) }}{%- endmacro %}
{% macro default__list_has(list, value) -%}list_contains({{ list }}, {{ value }}){%- endmacro %}
{% macro spark__list_has(list, value) -%}array_contains({{ list }}, {{ value }}){%- endmacro %}

{# A list of the values of these expressions. #}
{% macro list_of(expressions) -%}{{ return(adapter.dispatch('list_of', 'vmo')(expressions)) }}{%- endmacro %}
{% macro default__list_of(expressions) -%}[{{ expressions | join(', ') }}]{%- endmacro %}
{% macro spark__list_of(expressions) -%}array({{ expressions | join(', ') }}){%- endmacro %}

{#
  The days (or month starts: `step` is day or month) from `start` to `last` included, as dates,
  one row each, in a select list.
#}
{% macro date_series(start, last, step) -%}{{ return(adapter.dispatch('date_series', 'vmo')(start, last, step)) }}{%- endmacro %}
{% macro default__date_series(start, last, step) -%}
    cast(unnest(range(cast({{ start }} as timestamp), cast({{ last }} as timestamp) + interval 1 day, interval 1 {{ step }})) as date)
{%- endmacro %}
{% macro spark__date_series(start, last, step) -%}
    explode(sequence(cast({{ start }} as date), cast({{ last }} as date), interval 1 {{ step }}))
{%- endmacro %}

{# One row per element of a list, in a select list. #}
{% macro unnest_list(list) -%}{{ return(adapter.dispatch('unnest_list', 'vmo')(list)) }}{%- endmacro %}
{% macro default__unnest_list(list) -%}unnest({{ list }}){%- endmacro %}
{% macro spark__unnest_list(list) -%}explode({{ list }}){%- endmacro %}

{# The text at a JSON path of a document (a JSON text or value). #}
{% macro json_text(document, path) -%}{{ return(adapter.dispatch('json_text', 'vmo')(document, path)) }}{%- endmacro %}
{% macro default__json_text(document, path) -%}{{ document }} ->> '{{ path }}'{%- endmacro %}
{% macro spark__json_text(document, path) -%}get_json_object({{ document }}, '{{ path }}'){%- endmacro %}

{#
  The texts at several JSON paths of one document, as columns `name` of `fields` (name ->
  path), for each row of `relation`; with every column of the relation. DuckDB parses the
  document once for all the paths (its JSON is text: each path read alone parses it again).
#}
{% macro json_text_fields(relation, document, fields) -%}
    {{ return(adapter.dispatch('json_text_fields', 'vmo')(relation, document, fields)) }}
{%- endmacro %}
{% macro default__json_text_fields(relation, document, fields) -%}
    select
        *,
        {%- for name in fields %}
            _json_texts[{{ loop.index }}] as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            *,
            json_extract_string({{ document }}, [{% for path in fields.values() %}'{{ path }}'{{ ', ' if not loop.last }}{% endfor %}])
                as _json_texts
        from {{ relation }}
    )
{%- endmacro %}
{% macro spark__json_text_fields(relation, document, fields) -%}
    select
        *,
        {%- for name, path in fields.items() %}
            get_json_object({{ document }}, '{{ path }}') as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
{%- endmacro %}

{# The elements of a JSON array (as JSON texts), one row each, in a select list; none when not an array. #}
{% macro json_array_elements(document) -%}
    {{ return(adapter.dispatch('json_array_elements', 'vmo')(document)) }}
{%- endmacro %}
{% macro default__json_array_elements(document) -%}unnest(cast({{ document }} as json[])){%- endmacro %}
{% macro spark__json_array_elements(document) -%}explode(from_json({{ document }}, 'array<string>')){%- endmacro %}

{# Whether a JSON text is an array. #}
{% macro json_is_array(document) -%}{{ return(adapter.dispatch('json_is_array', 'vmo')(document)) }}{%- endmacro %}
{% macro default__json_is_array(document) -%}json_type({{ document }}) = 'ARRAY'{%- endmacro %}
{% macro spark__json_is_array(document) -%}left(trim({{ document }}), 1) = '['{%- endmacro %}

{# A date or timestamp as text, by a strftime pattern (%Y, %m, %d, %H, %M). #}
{% macro format_time(value, pattern) -%}{{ return(adapter.dispatch('format_time', 'vmo')(value, pattern)) }}{%- endmacro %}
{% macro default__format_time(value, pattern) -%}strftime({{ value }}, '{{ pattern }}'){%- endmacro %}
{% macro spark__format_time(value, pattern) -%}
    date_format({{ value }}, '{{ pattern | replace('%Y', 'yyyy') | replace('%m', 'MM') | replace('%d', 'dd') | replace('%H', 'HH') | replace('%M', 'mm') }}')
{%- endmacro %}

{# The texts of a group joined by `separator`, in their sort order. #}
{% macro sorted_text_agg(text, separator) -%}{{ return(adapter.dispatch('sorted_text_agg', 'vmo')(text, separator)) }}{%- endmacro %}
{% macro default__sorted_text_agg(text, separator) -%}string_agg({{ text }}, '{{ separator }}' order by {{ text }}){%- endmacro %}
{% macro spark__sorted_text_agg(text, separator) -%}array_join(array_sort(collect_list({{ text }})), '{{ separator }}'){%- endmacro %}

{# A list's elements joined by `separator`. #}
{% macro list_join(list, separator) -%}{{ return(adapter.dispatch('list_join', 'vmo')(list, separator)) }}{%- endmacro %}
{% macro default__list_join(list, separator) -%}array_to_string({{ list }}, '{{ separator }}'){%- endmacro %}
{% macro spark__list_join(list, separator) -%}array_join({{ list }}, '{{ separator }}'){%- endmacro %}

{# ISO day of the week: Monday 1 ... Sunday 7. #}
{% macro iso_day_of_week(day) -%}{{ return(adapter.dispatch('iso_day_of_week', 'vmo')(day)) }}{%- endmacro %}
{% macro default__iso_day_of_week(day) -%}isodow({{ day }}){%- endmacro %}
{# dayofweek() counts from Sunday = 1. #}
{% macro spark__iso_day_of_week(day) -%}((dayofweek({{ day }}) + 5) % 7 + 1){%- endmacro %}

{#
  The mean of a group's values added in their sort order: a sum of doubles depends on the order
  a parallel aggregate adds them in, and the same files must give the same value to the last bit.
#}
{% macro sorted_avg(value) -%}{{ return(adapter.dispatch('sorted_avg', 'vmo')(value)) }}{%- endmacro %}
{% macro default__sorted_avg(value) -%}avg({{ value }} order by {{ value }}){%- endmacro %}
{% macro spark__sorted_avg(value) -%}
    aggregate(array_sort(collect_list({{ value }})), cast(0 as double), (total, v) -> total + v) / count({{ value }})
{%- endmacro %}

{#
  The incremental models: the event history and its daily parts grow by appending, on both
  engines; the usage facts and counts replace their partitions out of date
  (macros/usage_increments.sql). Spark's tables are Parquet, partitioned by `columns`; DuckDB's
  are not partitioned.
#}
{% macro partitioned_by(columns) -%}{{ return(adapter.dispatch('partitioned_by', 'vmo')(columns)) }}{%- endmacro %}
{% macro default__partitioned_by(columns) -%}{{ return(none) }}{%- endmacro %}
{% macro spark__partitioned_by(columns) -%}{{ return(columns) }}{%- endmacro %}

{# A pre-hook removing the rows of the partitions `partitions` (a query of `columns`) lists. #}
{% macro remove_partitions_out_of_date(partitions, columns) -%}
    {{ return(adapter.dispatch('remove_partitions_out_of_date', 'vmo')(partitions, columns)) }}
{%- endmacro %}
{% macro default__remove_partitions_out_of_date(partitions, columns) -%}
    {% if is_incremental() %}
        delete from {{ this }} as built
        using ({{ partitions }}) as stale
        where {% for column in columns %}built.{{ column }} = stale.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
    {% else %}
        select 1  -- a first build or a full refresh: nothing to remove
    {% endif %}
{%- endmacro %}
{# Spark drops the partitions: listed first, then one ALTER TABLE (their values are dates and
   words, written as literals Spark casts to the partition columns' types). #}
{% macro spark__remove_partitions_out_of_date(partitions, columns) -%}
    {% set specs = [] %}
    {% if execute and is_incremental() %}
        {% for row in run_query(partitions).rows %}
            {% set values = [] %}
            {% for column in columns %}
                {% do values.append(column ~ " = '" ~ row[column] ~ "'") %}
            {% endfor %}
            {% do specs.append('partition (' ~ values | join(', ') ~ ')') %}
        {% endfor %}
    {% endif %}
    {% if specs %}
        alter table {{ this }} drop if exists {{ specs | join(', ') }}
    {% else %}
        select 1  -- a first build, or nothing out of date
    {% endif %}
{%- endmacro %}

{#
  On Spark, the raw tables are the raw layer's Parquet folders ingest wrote
  (orchestration/ingest/raw_store.py), registered before every build; DuckDB reads them through
  the views ingest creates.
#}
{% macro register_raw_tables() -%}{{ return(adapter.dispatch('register_raw_tables', 'vmo')()) }}{%- endmacro %}
{% macro default__register_raw_tables() -%}select 1{%- endmacro %}
{% macro spark__register_raw_tables() -%}
    {% set folder = env_var('VMO_RAW_PARQUET', '') %}
    {% if execute and folder %}
        {% do run_query('create database if not exists raw') %}
        {% for source in graph.sources.values() if source.schema == 'raw' %}
            {% do run_query('drop table if exists raw.' ~ source.name) %}
            {% do run_query("create table raw." ~ source.name ~ " using parquet location '" ~ folder ~ "/" ~ source.name ~ "'") %}
        {% endfor %}
    {% endif %}
    select 1
{%- endmacro %}

{#
  A number in [0, 1) from 8 hex digits of `digest` (an MD5 hex digest) from character `first`
  (1-based): MD5 and this reading of it are alike on every engine, so a seeded draw is the same
  number on DuckDB and on Spark, run after run (fct_delivery_forecast_trials).
#}
{% macro hex_unit_interval(digest, first) -%}{{ return(adapter.dispatch('hex_unit_interval', 'vmo')(digest, first)) }}{%- endmacro %}
{% macro default__hex_unit_interval(digest, first) -%}
    (cast('0x' || substr({{ digest }}, {{ first }}, 8) as ubigint) / 4294967296.0)
{%- endmacro %}
{% macro spark__hex_unit_interval(digest, first) -%}
    (cast(conv(substr({{ digest }}, {{ first }}, 8), 16, 10) as bigint) / cast(4294967296 as double))
{%- endmacro %}

{# The integers from `first` to `last` included, one row each, in a select list. #}
{% macro integer_series(first, last) -%}{{ return(adapter.dispatch('integer_series', 'vmo')(first, last)) }}{%- endmacro %}
{% macro default__integer_series(first, last) -%}unnest(generate_series(cast({{ first }} as bigint), cast({{ last }} as bigint))){%- endmacro %}
{% macro spark__integer_series(first, last) -%}explode(sequence(cast({{ first }} as bigint), cast({{ last }} as bigint))){%- endmacro %}

{# The continuous (interpolated) percentile `fraction` of a group's values. #}
{% macro percentile_cont(value, fraction) -%}{{ return(adapter.dispatch('percentile_cont', 'vmo')(value, fraction)) }}{%- endmacro %}
{% macro default__percentile_cont(value, fraction) -%}quantile_cont({{ value }}, {{ fraction }}){%- endmacro %}
{% macro spark__percentile_cont(value, fraction) -%}percentile({{ value }}, {{ fraction }}){%- endmacro %}
