"""The DuckDB store: building it atomically, the one scoped query layer, the SQL views."""
