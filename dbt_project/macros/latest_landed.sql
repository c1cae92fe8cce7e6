{#
  landing-zone.md: a later file may re-send a record with the same key; the latest landed
  version wins (files in name order, then the record's position in its file).
#}
{% macro latest_landed(relation, key_columns, order_by='_file desc, _record desc') -%}
    select {{ all_columns_except(['_landed_rank']) }}
    from (
        select *, row_number() over (
            partition by {{ key_columns | join(', ') }} order by {{ order_by }}
        ) as _landed_rank
        from {{ relation }}
    )
    where _landed_rank = 1
{%- endmacro %}
