"""What analysts use on the published warehouse: the read-only SQL prompt, KPI explanations and
the schema reference."""
