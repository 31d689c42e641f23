-- Warehouses created before facts said how their year and kind were decided gain the columns
-- (facts loaded earlier read 'unknown' / 'default' until `govreports reprocess` re-reads them).
ALTER TABLE fct_indicator_value ADD COLUMN IF NOT EXISTS year_basis VARCHAR DEFAULT 'unknown';
ALTER TABLE fct_indicator_value ADD COLUMN IF NOT EXISTS kind_basis VARCHAR DEFAULT 'default';
