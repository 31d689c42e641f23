"""Warehouse: DuckDB tables (star schema) and Parquet publishing. SQL lives in sql/*.sql."""
