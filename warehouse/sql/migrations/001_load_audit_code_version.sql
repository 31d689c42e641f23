-- Warehouses created before load_audit recorded the code version gain the column.
ALTER TABLE load_audit ADD COLUMN IF NOT EXISTS code_version VARCHAR;
