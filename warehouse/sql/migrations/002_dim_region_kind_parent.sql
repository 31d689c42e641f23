-- Warehouses created before dim_region carried kind and parent gain the columns.
ALTER TABLE dim_region ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE dim_region ADD COLUMN IF NOT EXISTS parent_name VARCHAR;
