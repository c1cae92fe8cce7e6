{#
  No two rows share `columns`. With `partitioned_by` (the column naming the part of the table a
  run adds or rebuilds whole: the ingest run that appended a row, the day of a daily fact), only
  the keys of rows in parts that changed since the test last passed are looked for, against
  every row (macros/tested_rows.sql).
#}
{% test unique_combination(model, columns, partitioned_by=none) %}
    {%- set untested = untested_parts(model, columns, partitioned_by) if partitioned_by else none %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }} as tested
    {%- if untested is not none and partitioned_by in columns %}
        where tested.{{ partitioned_by }} in ({{ untested }})
    {%- elif untested is not none %}
        where exists (
            select 1 from {{ model }} as changed
            where changed.{{ partitioned_by }} in ({{ untested }})
                {%- for column in columns %} and changed.{{ column }} is not distinct from tested.{{ column }}{% endfor %}
        )
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
