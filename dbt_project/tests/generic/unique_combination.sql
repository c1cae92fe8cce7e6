{#
  No two rows share `columns`. With `added_by` (the column naming the ingest run that added a
  row, on a table that only gains rows), only the keys of rows added since the test last passed
  are looked for, against every row (macros/tested_rows.sql): the columns must be not null,
  since they are compared with `=`.
#}
{% test unique_combination(model, columns, added_by=none) %}
    {%- set untested = untested_runs(model, columns, added_by) if added_by else none %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }} as tested
    {%- if untested is not none %}
        where exists (
            select 1 from {{ model }} as added
            where added.{{ added_by }} in ({{ untested }})
                {%- for column in columns %} and added.{{ column }} = tested.{{ column }}{% endfor %}
        )
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
