{# In an incremental model over landed rows: keep only the rows of file versions (a landed
   file, as one ingest run loaded it) that this model has not taken in yet. A file overwritten
   under its own name is a new version. #}
{% macro only_unseen_file_versions(alias) -%}
    {% if is_incremental() %}
        left join (select distinct _file, _run_id from {{ this }}) as seen
            on seen._file = {{ alias }}._file and seen._run_id = {{ alias }}._run_id
        where seen._file is null
    {% endif %}
{%- endmacro %}
