-- Issues of type Bug created in period / all issues created in period, under the entity's epics.

{{ kpi_share_of_items('defect_ratio', defect_ratio_items()) }}
