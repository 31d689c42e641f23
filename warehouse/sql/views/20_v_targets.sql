-- v_targets: one row per target fact (a goal a report sets), with its document and region.
CREATE OR REPLACE VIEW v_targets AS
SELECT * FROM v_indicator_values WHERE kind = 'target';
